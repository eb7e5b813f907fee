"""Reading partner lists: header synonyms, encodings, delimiters, XLSX cells, typed dates."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from loaders.dates import parse_typed_date
from loaders.errors import InputError
from register.partnerlist import read_partner_list


def write(tmp_path, text: str, encoding: str = "utf-8", name: str = "list.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    "header, expected",
    [
        (
            "Name;Art;AGS;Beitritt;Austritt;Quelle;Bemerkung",
            ["name", "kind", "key", "joined_on", "left_on", "source", "note"],
        ),
        (
            "Bezeichnung;Typ;Schlüssel;Beitrittsdatum;Austritt;Beleg;Bemerkung",
            ["name", "kind", "key", "joined_on", "left_on", "source", "note"],
        ),
        ("Mitglied;Ebene;Gemeindeschlüssel;Datum", ["name", "kind", "key", "joined_on"]),
        ("  MITGLIED ; ebene ;Kennziffer; DATUM ", ["name", "kind", "key", "joined_on"]),
        (
            "name;kind;key;joined_on;left_on;source;note",
            ["name", "kind", "key", "joined_on", "left_on", "source", "note"],
        ),
        ("Name;Art;Gemeindeschluessel;Beitritts-Datum", ["name", "kind", "key", "joined_on"]),
    ],
)
def test_header_synonyms_in_german_and_english(tmp_path, header, expected):
    partners = read_partner_list(write(tmp_path, f"{header}\nKleve;Kreis;05154;2024\n"))
    assert list(partners.columns) == expected
    assert partners.rows[0].values["name"] == "Kleve"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_encodings_and_delimiters(tmp_path, encoding, delimiter):
    text = delimiter.join(["Name", "Beitritt"]) + "\n" + delimiter.join(["Mönchengladbach", "März 2024"]) + "\n"
    partners = read_partner_list(write(tmp_path, text, encoding))
    assert partners.rows[0].values == {"name": "Mönchengladbach", "joined_on": "März 2024"}
    assert partners.delimiter == delimiter
    assert partners.encoding == encoding


def test_quoted_name_with_comma_in_a_comma_file(tmp_path):
    partners = read_partner_list(write(tmp_path, 'Name,Datum\n"Bielefeld, Stadt",01.02.2024\n'))
    assert partners.rows[0].values["name"] == "Bielefeld, Stadt"


def test_a_one_column_file_keeps_names_with_commas_whole(tmp_path):
    partners = read_partner_list(write(tmp_path, "Mitglied\nBielefeld, Stadt\nKleve, Kreis\n"))
    assert [row.values["name"] for row in partners.rows] == ["Bielefeld, Stadt", "Kleve, Kreis"]


def test_title_rows_and_blank_rows_keep_the_numbering(tmp_path):
    partners = read_partner_list(write(tmp_path, "Partnerliste 2024;\n;\nName;Datum\nHamm;2024\n;\nKleve;2023\n"))
    assert partners.header_row == 3
    assert [(row.row, row.values["name"]) for row in partners.rows] == [(1, "Hamm"), (3, "Kleve")]


def test_person_columns_are_never_read(tmp_path):
    partners = read_partner_list(
        write(tmp_path, "Name;Ansprechpartner;E-Mail;Telefon;Farbe\nHamm;Erika Musterfrau;e@x.de;0123;blau\n")
    )
    assert partners.personal_columns == ["Ansprechpartner", "E-Mail", "Telefon"]
    assert partners.ignored_columns == ["Farbe"]
    assert partners.rows[0].values == {"name": "Hamm"}
    assert "Erika" not in repr(partners)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b"Farbe;Form\nrot;rund\n", "no header with a name column"),
        (b"Name;Datum;Beitritt\nHamm;2024;2024\n", "both give joined_on"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old binary Excel"),
        (b"PK\x03\x04 not really a zip", "not a readable XLSX"),
        (b"Name\nK\x81ln\n", "cannot decode"),
    ],
)
def test_unreadable_files_raise_a_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_partner_list(path)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_partner_list(tmp_path / "nope.csv")


def test_xlsx_with_date_cell_serial_number_and_numeric_key(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Liste der Mitglieder"])
    sheet.append(["Bezeichnung", "Art", "AGS", "Beitritt", "Kontaktperson"])
    sheet.append(["Stadt Bielefeld", "Stadt", 5711000, dt.datetime(2024, 2, 1), "Max Mustermann"])
    sheet.append(["Kreis Kleve", "Kreis", 5154, 45323, None])
    sheet.append(["Leichlingen", None, None, "Februar 2024", None])
    sheet.append(["Hamm", None, None, 2023, None])
    sheet["D3"].number_format = "DD.MM.YYYY"
    path = tmp_path / "list.xlsx"
    book.save(path)
    partners = read_partner_list(path)
    assert partners.file_format == "xlsx" and partners.header_row == 2
    assert partners.personal_columns == ["Kontaktperson"]
    values = [row.values for row in partners.rows]
    assert values[0]["joined_on"] == dt.datetime(2024, 2, 1)
    assert [parse_typed_date(v["joined_on"]) for v in values] == [
        ("2024-02-01", "day"),
        ("2024-02-01", "day"),
        ("2024-02", "month"),
        ("2023", "year"),
    ]
    assert values[1]["key"] == 5154


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("2024-02-01", ("2024-02-01", "day")),
        ("1.2.2024", ("2024-02-01", "day")),
        ("01.02.2024", ("2024-02-01", "day")),
        ("1. Februar 2024", ("2024-02-01", "day")),
        ("Februar 2024", ("2024-02", "month")),
        ("februar 2024", ("2024-02", "month")),
        ("Feb. 2024", ("2024-02", "month")),
        ("March 2024", ("2024-03", "month")),
        ("Maerz 2024", ("2024-03", "month")),
        ("02/2024", ("2024-02", "month")),
        ("2/2024", ("2024-02", "month")),
        ("2024-02", ("2024-02", "month")),
        ("2024", ("2024", "year")),
        (2024, ("2024", "year")),
        (45323, ("2024-02-01", "day")),
        (45323.75, ("2024-02-01", "day")),
        ("45323", ("2024-02-01", "day")),
        (dt.date(2024, 2, 1), ("2024-02-01", "day")),
        (dt.datetime(2024, 2, 1, 0, 0), ("2024-02-01", "day")),
        (None, ("", "unknown")),
        ("", ("", "unknown")),
        ("  ", ("", "unknown")),
        ("unbekannt", ("", "unknown")),
    ],
)
def test_each_typed_date_form(typed, expected):
    assert parse_typed_date(typed) == expected


@pytest.mark.parametrize(
    "typed, message",
    [
        ("31.02.2024", "no such day"),
        ("2024-13-01", "no such day"),
        ("13/2024", "no month 13"),
        ("Frebuar 2024", "unknown month"),
        ("1.2.24", "expected e.g."),
        ("bald", "expected e.g."),
        (True, "yes/no"),
        (-3, "not an Excel day number"),
    ],
)
def test_impossible_dates_name_the_value(typed, message):
    with pytest.raises(ValueError, match=message):
        parse_typed_date(typed)
