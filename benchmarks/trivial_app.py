"""The floor: a trivial Streamlit app with ten widgets and one figure.

Whatever a Stichtag change costs here is Streamlit's own price for a rerun
(session, widget states, deltas, websocket); ``make bench`` states the
dashboard's costs as multiples of it. The "Stichtag" slider is the same
widget as the dashboard's (:func:`benchmarks.apps.stichtag_slider`), so
every app is driven by the same message or key press; the metric shows the
day, so a change is visible.

Run with ``streamlit run benchmarks/trivial_app.py``.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

# `streamlit run` puts benchmarks/ on sys.path, not the project root.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from benchmarks.apps import stichtag_slider  # noqa: E402

st.set_page_config(page_title="Trivial app (benchmark floor)", layout="wide")
st.title("Trivial app")
day = stichtag_slider()  # 1
level = st.selectbox("Ebene", ["Gemeinde", "Kreis", "Regierungsbezirk"])  # 2
region = st.radio("Region", ["NRW", "Düsseldorf", "Köln"], horizontal=True)  # 3
evidence = st.checkbox("Nur belegte Beitritte")  # 4
search = st.text_input("Suche")  # 5
count = st.number_input("Anzahl", min_value=0, max_value=100, value=10)  # 6
picked = st.multiselect("Kreise", ["Kleve", "Wesel", "Borken"])  # 7
compare = st.toggle("Vergleich")  # 8
since = st.date_input("Vergleichstag", value=dt.date(2023, 1, 1))  # 9
st.button("Aktualisieren")  # 10
st.metric("Stichtag", day.strftime("%d.%m.%Y"))
