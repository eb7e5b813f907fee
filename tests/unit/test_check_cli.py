"""``sid-atlas check``: the per-row report as a user meets it, and the checks behind it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from register.check import check_rows
from register.partnerlist import PartnerList, PartnerRow
from register.resolve import Resolver
from tests.helpers import sid_atlas, small_units

ROW_KEYS = {"row", "name", "status", "level", "key", "joined_on", "date_precision", "messages", "candidates"}


def run(*args):
    return sid_atlas("check", *args)


def write(tmp_path, text, name="list.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_all_rows_usable_exits_0(tmp_path):
    path = write(tmp_path, "Name;Art;Beitritt\nBielefeld, Stadt;;01.02.2024\nKleve;Kreis;Februar 2024\nLandtag NRW;;\n")
    result = run(path)
    assert result.returncode == 0, result.stderr
    assert "3 Zeilen: 3 verwendbar, 0 brauchen Aufmerksamkeit" in result.stdout


def test_json_report_schema_and_row_numbers(tmp_path):
    path = write(
        tmp_path,
        "Stand: 2024\nMitglied;Beitritt;Ansprechpartner\nHamm;2023;Erika Musterfrau\n;;\n"
        "Kleve;1.2.2024;\nHamminkel;;\nHamm;2024;\n",
        encoding="cp1252",
    )
    result = run(path, "--format", "json")
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert set(document) == {"rows", "summary"}
    rows = document["rows"]
    assert all(set(row) >= ROW_KEYS for row in rows)
    assert [(r["row"], r["name"], r["status"]) for r in rows] == [
        (1, "Hamm", "ok"),
        (3, "Kleve", "ambiguous"),
        (4, "Hamminkel", "unknown"),
        (5, "Hamm", "duplicate"),
    ]
    assert rows[0] | {"messages": [], "candidates": []} == rows[0]
    assert (rows[0]["level"], rows[0]["key"], rows[0]["joined_on"], rows[0]["date_precision"]) == (
        "gemeinde",
        "05915000",
        "2023",
        "year",
    )
    assert rows[1]["candidates"] == [
        {"level": "gemeinde", "key": "05154036", "name": "Kleve"},
        {"level": "kreis", "key": "05154", "name": "Kleve"},
    ]
    assert "05170012" in [c["key"] for c in rows[2]["candidates"]]
    summary = document["summary"]
    assert (summary["rows"], summary["usable"], summary["needs_attention"], summary["header_row"]) == (4, 1, 3, 2)
    assert summary["by_status"] == {"ok": 1, "ambiguous": 1, "unknown": 1, "invalid": 0, "duplicate": 1}
    assert summary["personal_columns_ignored"] == ["Ansprechpartner"]
    assert "Erika" not in result.stdout


def test_invalid_dates_exit_1(tmp_path):
    path = write(
        tmp_path, "Name,Beitritt,Austritt\nHamm,31.02.2024,\nKreis Lippe,1.1.2099,\nStadt Bielefeld,2024,2023\n"
    )
    result = run(path, "--format", "json")
    assert result.returncode == 1
    assert [r["status"] for r in json.loads(result.stdout)["rows"]] == ["invalid"] * 3


def test_xlsx_through_the_cli(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Name", "Typ", "Datum"])
    book.active.append(["Leichlingen", "Stadt", dt.datetime(2024, 2, 1)])
    book.active.append(["Kreis Kleve", None, 45323])
    path = tmp_path / "list.xlsx"
    book.save(path)
    result = run(path, "--format", "json")
    assert result.returncode == 0, result.stdout
    assert [(r["key"], r["joined_on"]) for r in json.loads(result.stdout)["rows"]] == [
        ("05378016", "2024-02-01"),
        ("05154", "2024-02-01"),
    ]


@pytest.mark.parametrize("content", [b"", b"\x00\x01binary", b"Farbe\nrot\n", b"Name\n"])
def test_unreadable_file_exits_2_with_one_line(tmp_path, content):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = run(path)
    assert result.returncode == 2
    assert result.stdout == "" and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_missing_file_exits_2(tmp_path):
    result = run(tmp_path / "nope.xlsx")
    assert result.returncode == 2 and "cannot read" in result.stderr


def partners(*rows) -> PartnerList:
    return PartnerList([PartnerRow(i, values) for i, values in enumerate(rows, 1)], {}, 1, "csv")


def test_future_and_exit_before_accession_against_a_fixed_today():
    today = dt.date(2024, 3, 15)
    reports = check_rows(
        partners(
            {"name": "Hamm", "joined_on": "März 2024"},
            {"name": "Stadt Kleve", "joined_on": "April 2024"},
            {"name": "Kreis Kleve", "joined_on": "2024", "left_on": "2023"},
            {"name": "Tecklenburg", "joined_on": "2023", "left_on": "2023-06"},
        ),
        Resolver(small_units()),
        today,
    )
    assert [r.status for r in reports] == ["ok", "invalid", "invalid", "ok"]
    assert "Zukunft" in reports[1].messages[0] and "vor dem Beitritt" in reports[2].messages[0]


def test_duplicates_across_spellings_and_bodies_without_territory():
    reports = check_rows(
        partners(
            {"name": "Stadt Hamm"},
            {"name": "Hamm, Stadt"},
            {"name": "Kreis Hamm"},
            {"name": "DGB NRW"},
            {"name": "dgb nrw"},
            {"name": "Stadt Kleve"},
            {"name": "Kreis Kleve"},
        ),
        Resolver(small_units()),
        dt.date(2024, 1, 1),
    )
    assert [r.status for r in reports] == ["ok", "duplicate", "duplicate", "ok", "duplicate", "ok", "ok"]
    assert reports[1].messages == ["dieselbe Körperschaft wie Zeile 1"]
