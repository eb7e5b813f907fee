"""The straightforward build, kept only as the benchmark's point of comparison.

Every rerun rebuilds a full-resolution ``folium.GeoJson`` of the 396 DVG2
Gemeinden (WGS84, no simplification), styles it by status at the Stichtag and
hands the whole map to ``st_folium``. That is what the issue calls "the
straightforward build"; it is deliberately *not* optimised beyond keeping the
data tables themselves warm, so the comparison measures the map strategy and
not file I/O.

Run with ``streamlit run benchmarks/baseline_app.py``; ``?date=YYYY-MM-DD``
sets the initial Stichtag.
"""

from __future__ import annotations

import datetime as dt

import folium
import streamlit as st
from streamlit_folium import st_folium

from loaders import store
from loaders.dates import parse_iso_day
from register import atlasdata

COLOURS = {"member": "#1b7837", "via_kreis": "#7fbf7b", "not_yet": "#d9d9d9"}


@st.cache_resource
def gemeinden_wgs84():
    """Full-resolution Gemeinden in WGS84 (cached: warm-cache comparison)."""
    units = store.load_units()
    frame = units[units["level"] == "gemeinde"][["key", "name", "geometry"]]
    return frame.to_crs("EPSG:4326").reset_index(drop=True)


@st.cache_resource
def coverage():
    return atlasdata.load_coverage()


def initial_day() -> dt.date:
    try:
        return parse_iso_day(st.query_params.get("date", "2024-02-01"))
    except Exception:  # a bad URL value must not stop the comparison app
        return dt.date(2024, 2, 1)


st.set_page_config(page_title="Baseline (straightforward build)", layout="wide")
# The same widget as the dashboard (a one-day-step slider labelled "Stichtag"),
# so the browser drives both builds with the same key press.
if "stichtag" not in st.session_state:
    st.session_state.stichtag = initial_day()
day = st.slider(
    "Stichtag", min_value=dt.date(2022, 1, 1), max_value=dt.date.today(), format="DD.MM.YYYY", key="stichtag"
)
model = coverage()
summary = model.summary(day)
status = model.gemeinde_status(day).set_index("key")["status"].to_dict()

cols = st.columns(3)
cols[0].metric("Gemeinden", f"{summary['gemeinden_covered']} von {summary['gemeinden_total']}")
cols[1].metric("Bevölkerung", f"{100 * summary['population_covered'] / summary['population_total']:.1f} %")
cols[2].metric("Kreise", f"{summary['kreise_in']} von {summary['kreise_total']}")

frame = gemeinden_wgs84().copy()
frame["status"] = frame["key"].map(status)
m = folium.Map(location=[51.45, 7.55], zoom_start=7, tiles=None)
folium.GeoJson(
    frame,
    style_function=lambda f: {
        "fillColor": COLOURS[f["properties"]["status"]],
        "color": "#555",
        "weight": 0.5,
        "fillOpacity": 0.8,
    },
    tooltip=folium.GeoJsonTooltip(["name", "key", "status"]),
).add_to(m)
st_folium(m, key="map", height=600, use_container_width=True, returned_objects=[])
