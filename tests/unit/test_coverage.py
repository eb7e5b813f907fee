"""Coverage as of a Stichtag: the expected figures and the edge cases."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from loaders import accessions, coverage
from loaders.errors import InputError
from tests.helpers import accession, tiny_events, tiny_units

D = dt.date


def test_detmold_before_and_on_its_accession(coverage):
    before = coverage.as_of(D(2024, 1, 31), "regierungsbezirk", "057")
    on = coverage.as_of(D(2024, 2, 1), "regierungsbezirk", "057")
    assert before[["gemeinden_covered", "gemeinden_total"]].values.tolist() == [[0, 70]]
    assert on[["gemeinden_covered", "gemeinden_total", "population_covered"]].values.tolist() == [[70, 70, 2_087_744]]


def test_all_nrw_covered_from_1_february_2024(coverage):
    land = coverage.as_of(D(2024, 2, 1), "land").iloc[0]
    assert (land["gemeinden_covered"], land["gemeinden_total"]) == (396, 396)
    assert land["population_covered"] == land["population_total"] == 18_190_422


def test_nothing_covered_before_the_first_event(coverage):
    assert coverage.as_of(D(2022, 10, 18), "land")["gemeinden_covered"].tolist() == [0]
    assert coverage.as_of(D(2022, 10, 19), "land")["gemeinden_covered"].tolist() == [78]


def test_documented_only_is_a_strict_subset(coverage):
    documented = coverage.summary(D(2024, 2, 1), evidence="documented")
    assert 0 < documented["gemeinden_covered"] < 396
    status = coverage.gemeinde_status(D(2024, 2, 1), "documented").set_index("key")["status"]
    assert status["05562004"] == "via_kreis"  # Castrop-Rauxel via Kreis Recklinghausen (named)
    assert status["05711000"] == "not_yet"  # Bielefeld is only implied by the Detmold event


def test_member_since_is_null_before_the_accession(coverage):
    row = coverage.as_of(D(2023, 2, 5), "gemeinde", "05954").set_index("key").loc["05954036"]
    assert row["member_since"] is None
    row = coverage.as_of(D(2023, 2, 6), "gemeinde", "05954").set_index("key").loc["05954036"]
    assert (row["member_since"], row["member_evidence"], row["status"]) == ("2023-02-06", "documented", "member")


def test_bad_region_level_and_evidence_are_input_errors(coverage):
    with pytest.raises(InputError, match="'999'"):
        coverage.as_of(D(2024, 2, 1), "kreis", "999")
    with pytest.raises(InputError, match="'bezirk'"):
        coverage.as_of(D(2024, 2, 1), "bezirk")
    with pytest.raises(InputError, match="'maybe'"):
        coverage.summary(D(2024, 2, 1), evidence="maybe")


# -- edge cases on the tiny in-code Land ------------------------------------------


def build(rows, event_date="2023-06-01"):
    units = tiny_units()
    events = tiny_events(event_date)
    table = pd.DataFrame(rows, columns=accessions.COLUMNS)
    return coverage.build(units, accessions.expand_events(table, events, units))


def statuses(cov, day, evidence="all"):
    return cov.gemeinde_status(day, evidence).set_index("key")["status"].to_dict()


def test_own_date_earlier_than_kreis_date():
    cov = build(
        [
            accession("Adorf", "gemeinde", "05001001", "2023-01-10"),
            accession("Kreis Eins", "kreis", "05001", "2023-03-01"),
        ],
        event_date="2024-01-01",
    )
    assert statuses(cov, D(2023, 1, 9)) == {"05001001": "not_yet", "05001002": "not_yet", "05002000": "not_yet"}
    assert statuses(cov, D(2023, 2, 1))["05001001"] == "member"
    assert statuses(cov, D(2023, 3, 1)) == {"05001001": "member", "05001002": "via_kreis", "05002000": "not_yet"}
    adorf = cov.gemeinden.set_index("key").loc["05001001"]
    assert (adorf["covered_since_all"].date(), adorf["via_all"]) == (D(2023, 1, 10), "gemeinde")
    bedorf = cov.gemeinden.set_index("key").loc["05001002"]
    assert (bedorf["covered_since_all"].date(), bedorf["via_all"]) == (D(2023, 3, 1), "kreis")


def test_exit_date_ends_coverage():
    cov = build(
        [accession("Adorf", "gemeinde", "05001001", "2023-01-10", left_on="2023-04-15")], event_date="2030-01-01"
    )
    assert statuses(cov, D(2023, 4, 14))["05001001"] == "member"
    assert statuses(cov, D(2023, 4, 15))["05001001"] == "not_yet"


def test_month_precision_counts_from_the_end_of_the_month():
    cov = build([accession("Bedorf", "gemeinde", "05001002", "2023-03", precision="month")], event_date="2030-01-01")
    assert statuses(cov, D(2023, 3, 30))["05001002"] == "not_yet"
    assert statuses(cov, D(2023, 3, 31))["05001002"] == "member"
    row = cov.as_of(D(2023, 4, 1), "gemeinde").set_index("key").loc["05001002"]
    assert (row["member_since"], row["member_precision"]) == ("2023-03", "month")


def test_body_without_key_counts_as_member_but_covers_no_territory():
    cov = build([accession("Landtag", "parlament", "", "2023-01-01")], event_date="2030-01-01")
    assert cov.members_as_of(D(2023, 1, 2))["name"].tolist() == ["Landtag"]
    assert cov.summary(D(2023, 1, 2))["gemeinden_covered"] == 0


def test_event_covers_all_and_a_kreisfreie_stadt_is_its_own_kreis():
    cov = build([], event_date="2023-06-01")
    assert set(statuses(cov, D(2023, 6, 1)).values()) == {"member"}
    kreise = cov.as_of(D(2023, 6, 1), "kreis").set_index("key")
    assert kreise["member"].to_dict() == {"05001": True, "05002": True}
    assert kreise.loc["05002", "member_evidence"] == "inferred"
    assert statuses(cov, D(2023, 6, 1), "documented") == {k: "not_yet" for k in ("05001001", "05001002", "05002000")}


def test_documented_filter_ignores_inferred_rows_but_keeps_documented():
    cov = build([accession("Bedorf", "gemeinde", "05001002", "2023-02-01")], event_date="2023-06-01")
    assert statuses(cov, D(2023, 7, 1), "documented") == {
        "05001001": "not_yet",
        "05001002": "member",
        "05002000": "not_yet",
    }
    summary = cov.summary(D(2023, 7, 1), evidence="documented")
    assert (summary["gemeinden_covered"], summary["population_covered"]) == (1, 300)


def test_timeline_steps_at_each_change():
    cov = build([accession("Adorf", "gemeinde", "05001001", "2023-01-10")], event_date="2023-06-01")
    line = cov.timeline()
    assert line["day"].tolist() == [D(2023, 1, 10), D(2023, 6, 1)]
    assert line["gemeinden_covered"].tolist() == [1, 3]


def test_summary_of_a_kreis_region_counts_that_kreis(coverage):
    summary = coverage.summary(D(2024, 2, 1), region="05766")
    assert (summary["gemeinden_total"], summary["kreise_total"], summary["kreise_in"]) == (16, 1, 1)
    assert (summary["bezirksregierungen_total"], summary["bezirksregierungen_in"]) == (1, 1)
