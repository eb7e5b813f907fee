"""What a Stichtag change recomputes and sends.

Never timed: the tests count what is built and look at what would be sent.
The figures themselves come from ``make bench`` (benchmarks/).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from loaders.viewstate import REGION_KEYS, ViewState
from viewmodel import model as viewmodel
from viewmodel import tips
from viewmodel.component import component_args

D = dt.date


@pytest.fixture
def counted(monkeypatch, coverage):
    """Count the unit tables built (the costly part of a view model), from an empty memo."""
    monkeypatch.delitem(coverage.__dict__, "_viewmodel_memo", raising=False)
    calls = []
    real = viewmodel.unit_table

    def unit_table(cov, state):
        calls.append(state)
        return real(cov, state)

    monkeypatch.setattr(viewmodel, "unit_table", unit_table)
    return calls


def test_a_stichtag_change_within_one_coverage_period_builds_nothing(coverage, counted):
    # Detmold's accession on 1 February 2024 is the last change: every later day looks the same.
    assert coverage.last_change(D(2024, 3, 5)) == coverage.last_change(D(2024, 7, 9)) == D(2024, 2, 1)
    first = viewmodel.build(coverage, ViewState(D(2024, 3, 5), region="055"))
    built = len(counted)
    second = viewmodel.build(coverage, ViewState(D(2024, 7, 9), region="055"))
    assert len(counted) == built  # no unit table, no tooltips, no figures again
    assert second.units is first.units and second.now == first.now
    # What names the day itself is the day's own.
    assert "9. Juli 2024" in second.subtitle and "5. März 2024" in first.subtitle


def test_another_coverage_period_or_filter_builds_again(coverage, counted):
    viewmodel.build(coverage, ViewState(D(2024, 3, 6), level="kreis"))
    built = len(counted)
    viewmodel.build(coverage, ViewState(D(2024, 1, 31), level="kreis"))  # before Detmold
    viewmodel.build(coverage, ViewState(D(2024, 3, 6), level="kreis", evidence="documented"))
    viewmodel.build(coverage, ViewState(D(2024, 3, 6), level="kreis", compare=D(2023, 1, 1)))  # + compare date
    assert len(counted) >= built + 3


def test_cached_model_equals_a_fresh_build(coverage):
    """The memo must not change what a view shows: compare with a model built outside it."""
    for state in (
        ViewState(D(2023, 9, 20)),
        ViewState(D(2023, 9, 20), level="kreis", compare=D(2023, 8, 1)),
        ViewState(D(2024, 5, 1), region="057", evidence="documented", lang="en"),
    ):
        cached = viewmodel.build(coverage, state)
        fresh = viewmodel.ViewModel(
            state=state,
            **viewmodel._coverage_part(coverage, state, True),
            subtitle=cached.subtitle,
            currency=cached.currency,
            statewide=viewmodel.statewide_members(coverage, state.date, state.evidence),
        )
        assert cached.features() == fresh.features()
        assert (cached.now, cached.then, cached.legend, cached.figures_line) == (
            fresh.now,
            fresh.then,
            fresh.legend,
            fresh.figures_line,
        )
        assert cached.statewide.equals(fresh.statewide)


def test_statewide_members_follow_their_own_dates(coverage):
    """Members without territory change on days that are no coverage change: keyed by their own dates."""
    acc = coverage.accessions
    days = sorted(set(acc["valid_from"].dropna().dt.date) - set(coverage.change_dates()))
    for day in days:
        before = viewmodel.build(coverage, ViewState(day - dt.timedelta(days=1)))
        on = viewmodel.build(coverage, ViewState(day))
        expected = viewmodel.statewide_members(coverage, day, "all")
        assert on.statewide.equals(expected), day
        assert before.statewide.equals(viewmodel.statewide_members(coverage, day - dt.timedelta(days=1), "all"))


@pytest.mark.slow  # every change day of five views, decoded
@pytest.mark.parametrize(
    "level, region",
    [("gemeinde", None), ("gemeinde", "057"), ("kreis", None), ("regierungsbezirk", None), ("kreis", "051")],
)
def test_the_map_state_per_change_holds_no_tooltip_html_and_decodes_to_the_tooltips(coverage, level, region):
    for lang in ("de", "en"):
        table = tips.fixed_table(coverage, level, region, lang)
        for day in (D(2022, 1, 1), D(2022, 10, 19), D(2023, 9, 8), D(2024, 2, 1)):
            for evidence, compare in (("all", None), ("documented", None), ("all", D(2021, 12, 1))):
                model = viewmodel.build(
                    coverage, ViewState(day, level=level, region=region, evidence=evidence, compare=compare, lang=lang)
                )
                args = component_args(
                    model, units_url="u", context_url=None, labels=[], tips=table, tips_url="geo/tips.json"
                )
                assert "features" not in args
                sent = json.dumps(args["state"], ensure_ascii=False)
                # No names, keys or sources: only codes, positions and a few status lines.
                assert "<b>" not in sent and not any(key in sent for key in table.keys)
                assert len(args["state"]["lines"]) <= 30
                # What map.js puts together is exactly the model's tooltip, status and hatching.
                assert tips.decode(table, args["state"]) == model.features()


def test_a_change_sends_a_few_bytes_per_unit(coverage):
    table = tips.fixed_table(coverage, "gemeinde", None, "de")
    model = viewmodel.build(coverage, ViewState(D(2024, 2, 1), compare=D(2023, 9, 8)))
    with_table = component_args(model, units_url="u", context_url=None, labels=[], tips=table, tips_url="t")
    inline = component_args(model, units_url="u", context_url=None, labels=[])
    assert len(json.dumps(with_table["state"])) < 3_000 < 100_000 < len(json.dumps(inline["features"]))


def test_a_tooltip_table_of_another_view_is_refused(coverage):
    table = tips.fixed_table(coverage, "gemeinde", REGION_KEYS[0], "de")
    with pytest.raises(ValueError, match="another view"):
        tips.state_payload(table, viewmodel.build(coverage, ViewState(D(2024, 2, 1))))
