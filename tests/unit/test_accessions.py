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


def test_network_sizes_are_a_small_time_series():
    sizes = accessions.read_network_sizes()
    assert sizes["day"].is_monotonic_increasing
    assert int(sizes["people"].max()) == 1700
    assert (sizes["source"] != "").all()


def test_an_undated_network_size_is_reported(tmp_path):
    path = tmp_path / "network_sizes.csv"
    path.write_text(
        "date,date_precision,people,organisations,published,source\n,unknown,700,300,more than 700,wn.de\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="row 1: a network size needs a date"):
        accessions.read_network_sizes(path)
