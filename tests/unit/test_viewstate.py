"""The view state read from and written to URL parameters."""

from __future__ import annotations

import datetime as dt

import pytest

from loaders.errors import InputError
from loaders.viewstate import FIRST_DAY, ViewState, problem
from viewmodel.describe import notice_text

TODAY = dt.date(2026, 11, 24)


def read(**params):
    return ViewState.from_params(params, today=TODAY)


def test_no_parameters_give_today_and_defaults():
    view, notices = read()
    assert view == ViewState(date=TODAY) == ViewState.default(TODAY)
    assert notices == []


def test_every_parameter_is_read():
    view, notices = read(date="2024-02-01", compare="2023-09-25", level="kreis", region="057", evidence="documented")
    assert view == ViewState(dt.date(2024, 2, 1), dt.date(2023, 9, 25), "kreis", "057", "documented")
    assert notices == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({"date": "2024-13-01"}, "date"),
        ({"date": "01.02.2024"}, "date"),
        ({"date": "2021-12-31"}, "date"),  # before the network existed
        ({"date": "2027-01-01"}, "date"),  # in the future
        ({"compare": "gestern"}, "compare"),
        ({"level": "bezirk"}, "level"),
        ({"region": "058"}, "region"),
        ({"region": "<script>"}, "region"),
        ({"evidence": "some"}, "evidence"),
    ],
)
def test_a_bad_value_falls_back_with_a_notice_in_the_pages_language(params, field):
    view, notices = read(**params)
    assert len(notices) == 1 and notices[0].severity == "warning"
    german, english = notice_text(notices[0], "de"), notice_text(notices[0], "en")
    assert f"„{field}“" in german and "Standard" in german
    assert f"“{field}”" in english and "default" in english and "Standard" not in english
    default = ViewState(date=TODAY)
    assert getattr(view, field) == getattr(default, field)


def test_bad_values_do_not_spoil_good_ones():
    view, notices = read(date="2024-02-01", level="x", region="057")
    assert (view.date, view.level, view.region, len(notices)) == (dt.date(2024, 2, 1), "gemeinde", "057", 1)


@pytest.mark.parametrize("alias", ["05", "nrw", "NRW", ""])
def test_nrw_is_no_region(alias):
    assert read(region=alias) == (ViewState(date=TODAY), [])


def test_first_day_and_today_are_inside_the_range():
    assert read(date=FIRST_DAY.isoformat())[0].date == FIRST_DAY
    assert read(date=TODAY.isoformat())[1] == []


def test_to_params_leaves_defaults_out_and_round_trips():
    assert ViewState(dt.date(2024, 2, 1)).to_params() == {"date": "2024-02-01"}
    view = ViewState(dt.date(2024, 2, 1), dt.date(2023, 1, 1), "regierungsbezirk", "051", "documented")
    assert read(**view.to_params()) == (view, [])


def test_an_impossible_view_cannot_be_built():
    with pytest.raises(ValueError):
        ViewState(TODAY, level="land")
    with pytest.raises(ValueError):
        ViewState(TODAY, region="05")
    assert ViewState(TODAY).with_(region="059").region == "059"


def test_a_reversed_pair_in_a_url_is_swapped_with_a_notice_and_the_same_day_twice_is_no_comparison():
    view, notices = read(date="2023-09-01", compare="2024-02-01")
    assert (view.date, view.compare) == (dt.date(2024, 2, 1), dt.date(2023, 9, 1))
    assert [notice.key for notice in notices] == ["notice_swapped"]
    assert notice_text(notices[0]) == (
        "Vergleichsdatum 1. Februar 2024 lag nach dem Stichtag 1. September 2023: die beiden Daten wurden getauscht."
    )
    view, notices = read(date="2024-02-01", compare="2024-02-01")
    assert view.compare is None and [notice.key for notice in notices] == ["notice_same_day"]


def test_one_rule_for_every_entry_point():
    """The constructor, the command line and the URL ask the same rule and only report it differently."""
    late = {"date": dt.date(2024, 2, 1), "compare": dt.date(2024, 3, 1)}
    assert problem("compare", late["compare"], date=late["date"]) == "order"
    with pytest.raises(ValueError, match="must lie before"):
        ViewState(**late)
    with pytest.raises(InputError, match="--compare 2024-03-01 must lie before --date 2024-02-01"):
        ViewState.checked(**late, today=TODAY)
    with pytest.raises(ValueError):
        ViewState(dt.date(2024, 2, 1)).with_(compare=dt.date(2024, 2, 1))  # never dropped silently
    for name, value in (("level", "land"), ("region", "058"), ("evidence", "x"), ("lang", "fr")):
        assert problem(name, value) == "unknown"
        with pytest.raises(ValueError):
            ViewState(TODAY, **{name: value})
        with pytest.raises(InputError, match=f"unknown {name}"):
            ViewState.checked(date=TODAY, today=TODAY, **{name: value})
        assert read(**{name: value})[1][0].values()["name"] == name
    with pytest.raises(InputError, match="--date 2021-12-31 is outside"):
        ViewState.checked(date=dt.date(2021, 12, 31), today=TODAY)
