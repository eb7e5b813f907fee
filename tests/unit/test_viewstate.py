"""The view state read from and written to URL parameters."""

from __future__ import annotations

import datetime as dt

import pytest

from loaders.viewstate import FIRST_DAY, ViewState

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
def test_a_bad_value_falls_back_with_a_german_notice(params, field):
    view, notices = read(**params)
    assert len(notices) == 1
    assert f"„{field}“" in notices[0] and "Standard" in notices[0]
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
