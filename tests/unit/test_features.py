"""Map features: status per unit and level, the inferred flag, escaped tooltips, legend."""

from __future__ import annotations

import collections
import datetime as dt

import pandas as pd

from dashboard import features
from dashboard.mapview import STATUS_STYLES
from loaders import accessions, coverage as coverage_model
from tests.helpers import accession, tiny_events, tiny_units

D = dt.date


def counts(feats):
    return collections.Counter(f["status"] for f in feats.values())


def test_contract_shape(coverage):
    feats, legend = features.build(coverage, D(2024, 2, 1), "gemeinde", compare=D(2023, 9, 1))
    assert len(feats) == 396
    for feature in feats.values():
        assert set(feature) == {"status", "inferred", "tooltip"}
        assert feature["status"] in STATUS_STYLES and isinstance(feature["inferred"], bool)
    assert {entry["status"] for entry in legend} == set(STATUS_STYLES)
    assert all(set(entry) == {"status", "label", "inferred"} for entry in legend)


def test_detmold_region_on_and_before_its_accession(coverage):
    on, _ = features.build(coverage, D(2024, 2, 1), "gemeinde", "057")
    before, _ = features.build(coverage, D(2024, 1, 31), "gemeinde", "057")
    assert len(on) == 70 and all(key.startswith("057") for key in on)
    assert counts(on)["not_yet"] == 0
    assert counts(before) == {"not_yet": 70}


def test_new_marks_what_was_not_covered_at_the_compare_date(coverage):
    feats, _ = features.build(coverage, D(2024, 2, 1), "gemeinde", compare=D(2024, 1, 31))
    assert counts(feats)["new"] == 70
    assert {key[:3] for key, f in feats.items() if f["status"] == "new"} == {"057"}


def test_inferred_flag_follows_the_row_behind_the_status(coverage):
    feats, _ = features.build(coverage, D(2024, 2, 1), "gemeinde")
    assert feats["05334032"]["inferred"] is False       # Stolberg: documented, September 2023
    assert feats["05762036"]["inferred"] is True        # a Detmold Gemeinde from the event
    documented, legend = features.build(coverage, D(2024, 2, 1), "gemeinde", evidence="documented")
    assert not any(f["inferred"] for f in documented.values())
    assert not any(entry["inferred"] for entry in legend)


def test_tooltip_has_date_at_its_precision_evidence_and_source(coverage):
    feats, _ = features.build(coverage, D(2024, 2, 1), "gemeinde")
    stolberg = feats["05334032"]["tooltip"]
    assert "Stolberg" in stolberg and "(05334032)" in stolberg and "Kreis: Städteregion Aachen" in stolberg
    assert "Beitritt: September 2023" in stolberg and "Evidenz: dokumentiert" in stolberg
    assert "Quelle: radio700.eu" in stolberg
    assert "Evidenz: abgeleitet" in feats["05762036"]["tooltip"]
    assert "kreisfreie Stadt" in feats["05111000"]["tooltip"]


def test_kreis_level_member_partial_and_undated(coverage):
    feats, legend = features.build(coverage, D(2024, 2, 1), "kreis")
    assert len(feats) == 53
    # Kreis Mettmann: documented without a date, its Gemeinden covered via the Düsseldorf event.
    mettmann = feats["05158"]
    assert mettmann["status"] == "via_kreis" and mettmann["inferred"] is True
    assert "10 von 10" in mettmann["tooltip"] and "Datum unbekannt" in mettmann["tooltip"]
    assert counts(feats) == {"member": 52, "via_kreis": 1}
    assert any("Gemeinden abgedeckt" in entry["label"] for entry in legend if entry["status"] == "via_kreis")


def test_regierungsbezirk_level_partial_before_the_bezirksregierung(coverage):
    feats, _ = features.build(coverage, D(2023, 1, 1), "regierungsbezirk", evidence="documented")
    assert feats["055"]["status"] == "member"
    assert feats["057"]["status"] == "not_yet"
    rose, _ = features.build(coverage, D(2024, 2, 1), "regierungsbezirk", compare=D(2023, 1, 1))
    assert rose["057"]["status"] == "new" and rose["055"]["status"] == "member"


def tiny_coverage(name: str):
    units = tiny_units()
    units.loc[units["key"] == "05001001", "name"] = name
    table = pd.DataFrame([accession(name, "gemeinde", "05001001", "2023-01-10", source='<img src=x onerror="1">')],
                         columns=accessions.COLUMNS)
    return coverage_model.build(units, accessions.expand_events(table, tiny_events("2030-01-01"), units))


def test_every_name_and_source_is_escaped():
    hostile = '<script>alert("x")</script> & Co'
    feats, _ = features.build(tiny_coverage(hostile), D(2023, 2, 1), "gemeinde")
    tip = feats["05001001"]["tooltip"]
    assert "<script>" not in tip and "<img" not in tip
    assert "&lt;script&gt;" in tip and "&amp; Co" in tip and "&lt;img src=x onerror=&quot;1&quot;&gt;" in tip


def test_english_tooltips(coverage):
    feats, legend = features.build(coverage, D(2024, 2, 1), "gemeinde", lang="en")
    assert "Joined: September 2023" in feats["05334032"]["tooltip"]
    assert legend[0]["label"] == "member"
