"""The NRW map's per-day content for the benchmark's map-only and Deutschland apps, in one place.

Both draw the dashboard's own map component with the dashboard's own
per-unit features; only the page around the map differs. When the view
model changes (issue 9), this is the one module of the benchmark to adapt.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import features
from loaders import store

ATTRIBUTION = ("© GeoBasis-DE / BKG (2025), Daten verändert; "
               "Einwohnerzahlen: Statistische Ämter des Bundes und der Länder")


@st.cache_resource
def coverage():
    return store.load_coverage()


@st.cache_data(show_spinner=False, max_entries=512)
def nrw_features(day: dt.date):
    """Features and legend of NRW's Gemeinden at ``day``, as the dashboard builds them."""
    return features.build(coverage(), day, "gemeinde")
