"""The shipped accession data and the rule that expands regional events."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders import accessions
from loaders.errors import DataError
from tests.helpers import accession, tiny_events, tiny_units


@pytest.fixture(scope="module")
def shipped(units):
    events = accessions.read_events()
    table = accessions.read_accessions(units=units, events=events)
    return table, events, accessions.expand_events(table, events, units)


def test_every_shipped_row_names_its_source_evidence_and_precision(shipped):
    table, _, expanded = shipped
    for frame in (table, expanded):
        assert (frame["source"] != "").all()
        assert set(frame["evidence"]) <= {"documented", "inferred"}
        assert set(frame["date_precision"]) <= {"day", "month", "year", "unknown"}
    assert set(table["evidence"]) == {"documented"}


def test_only_organisations_are_listed(shipped):
    table, _, _ = shipped
    assert set(table["kind"]) <= set(accessions.KINDS)
    assert "person" not in accessions.KINDS


def test_five_events_on_their_documented_days(shipped):
    _, events, _ = shipped
    assert dict(zip(events["rb_key"], events["date"])) == {
        "055": "2022-10-19",
        "059": "2023-08-02",
        "053": "2023-09-08",
        "051": "2023-09-25",
        "057": "2024-02-01",
    }


def test_events_expand_to_every_gemeinde_kreis_and_bezirksregierung(shipped, units):
    _, _, expanded = shipped
    bodies = expanded.drop_duplicates(["kind", "key"])
    assert (bodies["kind"] == "gemeinde").sum() == 396
    assert (bodies["kind"] == "bezirksregierung").sum() == 5
    assert (bodies["kind"] == "kreis").sum() == 31  # the 22 kreisfreie Städte are Gemeinden


def test_documented_rows_that_say_otherwise_replace_the_inference(shipped):
    _, _, expanded = shipped
    rows = lambda key: expanded[expanded["key"] == key]  # noqa: E731
    witten = rows("05954036")
    assert witten[["joined_on", "evidence"]].values.tolist() == [["2023-02-06", "documented"]]
    # Erkrath names no event: whether it was part of Düsseldorf's is unclear, so the event's
    # inference stays beside its own (documented) release.
    erkrath = rows("05158004")
    assert sorted(erkrath[["joined_on", "date_precision", "evidence"]].values.tolist()) == [
        ["2023-09-25", "day", "inferred"],
        ["2023-10", "month", "documented"],
    ]
    mettmann = expanded[(expanded["key"] == "05158") & (expanded["kind"] == "kreis")]
    assert mettmann[["joined_on", "evidence"]].values.tolist() == [["", "documented"]]


def test_an_undated_documented_row_keeps_the_event_date_beside_it(shipped):
    _, _, expanded = shipped
    kleve = expanded[(expanded["key"] == "05154") & (expanded["kind"] == "kreis")]
    assert sorted(kleve[["joined_on", "evidence"]].values.tolist()) == [["", "documented"], ["2023-09-25", "inferred"]]


def test_bezirksregierung_koeln_is_only_inferred(shipped):
    _, _, expanded = shipped
    koeln = expanded[(expanded["kind"] == "bezirksregierung") & (expanded["key"] == "053")]
    assert koeln["evidence"].tolist() == ["inferred"]
    assert "abgeleitet" in koeln["source"].iloc[0]


def _write(tmp_path, rows) -> str:
    path = tmp_path / "members.csv"
    pd.DataFrame(rows, columns=accessions.COLUMNS).to_csv(path, index=False)
    return str(path)


def test_problems_are_reported_together_with_their_rows(tmp_path):
    units = tiny_units()
    path = _write(
        tmp_path,
        [
            accession("Adorf", "gemeinde", "05001001", "2023-02-30"),
            accession("Bedorf", "gemeinde", "0500100", "2023-01-01"),
            accession("Someone", "person", "", "2023-01-01"),
            accession("Cestadt", "gemeinde", "05002000", "2023-05", precision="day"),
            accession("Kreis Eins", "kreis", "05001", "2023-05-01", left_on="2023-01-01"),
            accession("Unsourced", "verband", "", "", precision="unknown", source=""),
        ],
    )
    with pytest.raises(DataError) as caught:
        accessions.read_accessions(path, units, tiny_events())
    message = str(caught.value)
    for expected in (
        "row 1 (Adorf)",
        "row 2 (Bedorf): a gemeinde needs a 8-digit key",
        "row 3 (Someone): unknown kind 'person'",
        "row 4 (Cestadt)",
        "row 5 (Kreis Eins): left_on 2023-01-01 is before",
        "row 6 (Unsourced): no source",
    ):
        assert expected in message


def test_unknown_key_and_duplicate_body_are_errors(tmp_path):
    path = _write(
        tmp_path,
        [
            accession("Zdorf", "gemeinde", "05001999", "2023-01-01"),
            accession("Adorf", "gemeinde", "05001001", "2023-01-01"),
            accession("Gemeinde Adorf", "gemeinde", "05001001", "2023-02-01"),
        ],
    )
    with pytest.raises(DataError, match="no gemeinde with key 05001999.*documented twice"):
        accessions.read_accessions(path, tiny_units(), tiny_events())


def test_a_kreisfreie_stadt_given_as_kreis_is_keyed_as_its_gemeinde(tmp_path):
    path = _write(tmp_path, [accession("Stadt Cestadt", "kreis", "05002", "2023-01-01")])
    table = accessions.read_accessions(path, tiny_units(), tiny_events())
    assert table[["kind", "key"]].values.tolist() == [["gemeinde", "05002000"]]


def test_a_body_without_key_is_fine(tmp_path):
    path = _write(tmp_path, [accession("Landtag", "parlament", "", "2023-01-01")])
    assert accessions.read_accessions(path, tiny_units(), tiny_events())["name"].tolist() == ["Landtag"]


def test_network_sizes_are_a_small_time_series_with_undated_figures_beside_it():
    sizes = accessions.read_network_sizes()
    dated = accessions.dated_sizes(sizes)
    assert dated["day"].is_monotonic_increasing and dated["day"].notna().all()
    assert int(dated["people"].max()) == 1700
    assert (sizes["source"] != "").all() and (sizes["read_on"] != "").all()
    # The figures after February 2024 have no date in their sources: listed, never given a day.
    undated = accessions.undated_sizes(sizes)
    assert len(undated) == 3 and undated["day"].isna().all() and (undated["date"] == "").all()
    assert set(undated["date_precision"]) == {"unknown"}
    assert int(undated["people"].max()) == 2450 and set(undated["organisations"]) == {850}
    assert "über 2.450 Beschäftigte aus mehr als 850 Einrichtungen" in set(undated["quote"])


def _sizes(tmp_path, *rows: str) -> str:
    path = tmp_path / "network_sizes.csv"
    head = "date,date_precision,people,organisations,published,source,quote,read_on\n"
    path.write_text(head + "".join(row + "\n" for row in rows), encoding="utf-8")
    return str(path)


def test_an_undated_network_size_is_read_as_undated(tmp_path):
    path = _sizes(tmp_path, ",unknown,700,300,more than 700,wn.de,,2026-11")
    sizes = accessions.read_network_sizes(path)
    assert sizes["day"].tolist() == [None] and sizes["dated"].tolist() == [False]
    assert accessions.dated_sizes(sizes).empty


def test_a_network_size_with_a_date_but_unknown_precision_or_no_figure_is_reported(tmp_path):
    path = _sizes(
        tmp_path,
        "2024-03,unknown,700,300,more than 700,wn.de,,2026-11",
        "2024-03,month,,,nothing,wn.de,,2026-11",
        "2024-03-01,day,700,,more than 700,wn.de,,2024-02",
    )
    with pytest.raises(DataError) as caught:
        accessions.read_network_sizes(path)
    message = str(caught.value)
    assert "row 1: date '2024-03' is not of precision 'unknown'" in message
    assert "row 2: no figure" in message
    assert "row 3: read_on 2024-02 lies before date 2024-03-01" in message


def test_the_sparkasse_is_a_documented_statewide_member_without_a_date_and_with_a_bound(shipped):
    table, _, _ = shipped
    row = table[table["name"] == "Sparkasse Münsterland Ost"].iloc[0]
    assert (row["kind"], row["key"], row["evidence"], row["event"]) == ("sonstige", "05515000", "documented", "")
    assert (row["joined_on"], row["date_precision"], row["certain_by"]) == ("", "unknown", "")
    # "Am 17. März" of a year the copy does not give, after every dated figure (1 February 2024).
    assert (row["not_before"], row["quote"], row["read_on"]) == ("2024-03-17", "Am 17. März", "2026-12")
    assert "frühestens der 17. März 2024" in row["note"] and "1. Februar 2024" in row["note"]


def test_every_shipped_row_says_when_its_source_was_read_and_quotes_only_given_words(shipped):
    table, events, expanded = shipped
    assert set(table["read_on"]) == {"2026-11", "2026-12"} and set(events["read_on"]) == {"2026-11"}
    assert set(table.loc[table["read_on"] == "2026-12", "name"]) == {"Sparkasse Münsterland Ost"}
    quoted = table[table["quote"] != ""].set_index("name")["quote"].to_dict()
    assert quoted == {
        "Bezirksregierung Düsseldorf": "Die Bezirksregierung Düsseldorf ist am 25.09.2023 … beigetreten",
        "Landeshauptstadt Düsseldorf": "zusammen mit … weiteren Kommunen",
        "Bezirksregierung Detmold": "Gemeinden, Städte, Kreise und die Bezirksregierung Detmold",
        "Sparkasse Münsterland Ost": "Am 17. März",
    }
    # An inferred row quotes the words of its event, read when the event's source was.
    inferred = expanded[expanded["evidence"] == "inferred"]
    wording = dict(zip(events["event"], events["wording"]))
    assert (inferred["quote"] == inferred["event"].map(wording)).all()
    assert set(inferred["read_on"]) == {"2026-11"}


def test_not_before_and_read_on_must_fit_the_accession(tmp_path):
    path = _write(
        tmp_path,
        [
            accession("Adorf", "gemeinde", "05001001", "2023-05-01", not_before="2023-06-01"),
            accession("Bedorf", "gemeinde", "05001002", "2023-05", precision="month", not_before="2023-06"),
            accession(
                "Kreis Eins",
                "kreis",
                "05001",
                "2023-05",
                precision="month",
                certain_by="2023-05-10",
                not_before="2023-05-20",
            ),
            accession("Cestadt", "gemeinde", "05002000", "2023-05-01", read_on="2023-04"),
            accession("Verband", "verband", "", "", precision="unknown", not_before="2023-13-01"),
            accession("Gewerkschaft", "gewerkschaft", "", "", precision="unknown", not_before="2024", left_on="2023"),
            accession("Landtag", "parlament", "", "", precision="unknown", quote="x" * 1001),
        ],
    )
    with pytest.raises(DataError) as caught:
        accessions.read_accessions(path, tiny_units(), tiny_events())
    message = str(caught.value)
    for expected in (
        "row 1 (Adorf): not_before 2023-06-01 lies after joined_on 2023-05-01",
        "row 2 (Bedorf): not_before 2023-06 lies after joined_on 2023-05",
        "row 3 (Kreis Eins): not_before 2023-05-20 lies after certain_by 2023-05-10",
        "row 4 (Cestadt): read_on 2023-04 lies before joined_on 2023-05-01",
        "row 5 (Verband): not_before: invalid date '2023-13-01'",
        "row 6 (Gewerkschaft): not_before 2024 lies after left_on 2023",
        "row 7 (Landtag): quote longer than 1000 characters",
    ):
        assert expected in message


def test_a_not_before_inside_a_partial_date_or_before_an_unknown_one_is_fine(tmp_path):
    path = _write(
        tmp_path,
        [
            accession("Bedorf", "gemeinde", "05001002", "2023-05", precision="month", not_before="2023-05-17"),
            accession("Verband", "verband", "", "", precision="unknown", not_before="2024-03-17", read_on="2026-12"),
        ],
    )
    table = accessions.read_accessions(path, tiny_units(), tiny_events())
    assert table["not_before"].tolist() == ["2023-05-17", "2024-03-17"]


def test_a_table_written_before_the_provenance_columns_still_reads(tmp_path):
    path = tmp_path / "old.csv"
    path.write_text(
        "name,kind,key,joined_on,date_precision,evidence,event,source,left_on,note\n"
        "Adorf,gemeinde,05001001,2023-05-01,day,documented,,test,,\n",
        encoding="utf-8",
    )
    table = accessions.read_accessions(path, tiny_units(), tiny_events())
    assert table[["not_before", "quote", "read_on", "certain_by"]].values.tolist() == [["", "", "", ""]]


def test_the_network_meeting_of_november_2025_confirms_a_member_and_is_no_accession(shipped, coverage):
    table, _, expanded = shipped
    confirmations = accessions.read_confirmations()
    row = confirmations.iloc[0]
    assert len(confirmations) == 1 and row["day"].isoformat() == "2025-11-14"
    assert (row["body_kind"], row["body_key"]) == ("bezirksregierung", "059")
    assert "presseportal.de/blaulicht/pm/166917/6158483" in row["source"]
    # It is no accession: the Bezirksregierung's only rows are those of 2 August 2023 ...
    arnsberg = expanded[(expanded["kind"] == "bezirksregierung") & (expanded["key"] == "059")]
    assert arnsberg["joined_on"].tolist() == ["2023-08-02"]
    assert not (table["source"].str.contains("6158483")).any()
    # ... and the body it confirms is a member on the day it was published.
    index = coverage.unit_indices("regierungsbezirk", ["059"])
    assert coverage.paths(row["day"], index, "all")["documented"][0] >= 0


def test_a_confirmation_needs_a_date_a_source_and_what_it_says(tmp_path):
    path = tmp_path / "confirmations.csv"
    path.write_text(
        "date,date_precision,body_kind,body_key,body_name,what,quote,source,read_on\n"
        ",unknown,bezirksregierung,059,BR,Treffen,,presse,2026-12\n"
        "2025-11-14,day,person,,,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        accessions.read_confirmations(path)
    message = str(caught.value)
    for expected in ("row 1: a confirmation needs a date", "row 2: no source", "row 2: no text", "unknown kind"):
        assert expected in message
