"""The map alone: the dashboard's map component for NRW's Gemeinden at the Stichtag, nothing else.

Measured beside the trivial app and the dashboard in one run: what the map
costs beyond Streamlit's floor, and how much the rest of the page delays it.

Run with ``streamlit run benchmarks/map_app.py``; ``?date=YYYY-MM-DD`` sets
the initial Stichtag.
"""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run` puts benchmarks/ on sys.path, not the project root.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from benchmarks.apps import stichtag_slider  # noqa: E402
from benchmarks.mapparts import nrw_args  # noqa: E402
from dashboard.mapview import draw  # noqa: E402

st.set_page_config(page_title="Map only (benchmark)", layout="wide")
day = stichtag_slider()
draw(nrw_args(day))
