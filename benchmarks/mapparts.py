"""The NRW map's per-day content for the benchmark's map-only and Deutschland apps, in one place.

Both draw the dashboard's own map component with the dashboard's own
per-unit features; only the page around the map differs. When the view
model changes, this is the one module of the benchmark to adapt.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from loaders.viewstate import ViewState
from register import atlasdata
from viewmodel import model
from viewmodel.component import component_args
from viewmodel.credits import credit_line

ATTRIBUTION = credit_line()


@st.cache_resource
def coverage():
    return atlasdata.load_coverage()


@st.cache_data(show_spinner=False, max_entries=512)
def nrw_model(day: dt.date) -> model.ViewModel:
    """The view model of NRW's Gemeinden at ``day``, as the dashboard builds it."""
    return model.build(coverage(), ViewState(day))


def nrw_args(day: dt.date, units_url: str | None = None) -> dict:
    """The map component's arguments for NRW at ``day``; ``units_url`` swaps in other geometry.

    As the dashboard sends them (compact state, fixed tooltip file) for NRW's
    own geometry; with other geometry (Deutschland) the per-unit features
    inline, so the other units can be added to them.
    """
    from dashboard.mapview import bezirk_labels, geometry_url, tips_url
    from viewmodel import tips

    if units_url:
        return component_args(nrw_model(day), units_url=units_url, context_url=None, labels=[], attribution=ATTRIBUTION)
    table = tips.fixed_table(coverage(), "gemeinde", None, "de")
    return component_args(
        nrw_model(day),
        units_url=geometry_url("gemeinde", None),
        context_url=None,
        labels=list(bezirk_labels()),
        attribution=ATTRIBUTION,
        tips=table,
        tips_url=tips_url(table, "gemeinde-nrw-de"),
    )
