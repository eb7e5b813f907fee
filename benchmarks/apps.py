"""The apps under comparison (floor, trivial app, map alone, atlas) and how the harness sees each one's map.

Each app is opened at the same view (NRW, Gemeinde level) on the day before
Detmold's accession and moved to the day itself: 70 Gemeinden change state,
so both the map and the figures must visibly update.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from benchmarks.server import REPO

DAY_BEFORE = dt.date(2024, 1, 31)
DAY_AFTER = dt.date(2024, 2, 1)
GEMEINDEN_NRW = 396

# In the straightforward build every Gemeinde is one interactive Leaflet path;
# the signature counts fills so a restyle (or a re-mounted, redrawn map) shows.
FOLIUM_STATE_JS = """() => {
  if (typeof L === "undefined") return null;
  const paths = document.querySelectorAll("path.leaflet-interactive");
  const fills = {};
  paths.forEach((p) => { const f = p.getAttribute("fill"); fills[f] = (fills[f] || 0) + 1; });
  return {drawn: paths.length, signature: JSON.stringify(fills)};
}"""

# Our map publishes what it has drawn (webparts/map_component/map.js:
# window.sidMap.drawn = restyled unit paths, .counts = per status), so there
# is no need to guess from the DOM.
OURS_STATE_JS = """() => {
  const s = window.sidMap;
  if (!s || !s.drawn) return null;
  return {drawn: s.drawn, signature: JSON.stringify(s.counts)};
}"""


@dataclass(frozen=True)
class App:
    """One build: its script and how to read its map's state in the browser."""

    name: str
    script: Path
    frame_marker: str  # substring of the URL of the frame that holds the map ("" = any frame)
    state_js: str  # JS run in that frame: null or {drawn, signature}
    expected_drawn: int = GEMEINDEN_NRW
    figures: bool = True  # shows st.metric figures that change with the Stichtag

    def url(self, base: str, day: dt.date) -> str:
        return f"{base}/?date={day.isoformat()}"

    @property
    def available(self) -> bool:
        return self.script.is_file()


# The floor and trivial apps have no map: one is "drawn" once its figure shows, and its
# signature is that figure (the day), so a change is seen the same way.
TRIVIAL_STATE_JS = """() => {
  const m = document.querySelector('[data-testid="stMetricValue"]');
  return m ? {drawn: 1, signature: m.innerText} : null;
}"""

BASELINE = App("baseline", REPO / "benchmarks" / "baseline_app.py", "streamlit_folium", FOLIUM_STATE_JS)
# Our map is a component v2 in the page itself (no frame of its own): any frame, i.e. the page.
OURS = App("ours", REPO / "dashboard" / "app.py", "", OURS_STATE_JS)
# What `sid-atlas serve` runs: the same pages with dashboard.webserver's routes (cache headers, CSP).
SERVED = REPO / "dashboard" / "serve.py"
# The floor (one slider, one text) and, as context, the ten-widget app; neither has a map: each is
# "drawn" once its figure shows, and its signature is that figure (the day).
FLOOR = App("floor", REPO / "benchmarks" / "floor_app.py", "", TRIVIAL_STATE_JS, expected_drawn=1)
TRIVIAL = App("trivial", REPO / "benchmarks" / "trivial_app.py", "", TRIVIAL_STATE_JS, expected_drawn=1)
MAP_ONLY = App("map", REPO / "benchmarks" / "map_app.py", "", OURS_STATE_JS, figures=False)


def stichtag_slider() -> dt.date:
    """Draw the benchmark apps' one "Stichtag" slider, first set from ``?date=``; return its day.

    The same widget as the dashboard (one-day steps, that label), so the
    harness drives every build with the same key press or ``AppTest`` call.
    """
    import streamlit as st  # only the apps need it, not the harness

    from loaders.dates import parse_iso_day

    if "stichtag" not in st.session_state:
        try:
            st.session_state.stichtag = parse_iso_day(st.query_params.get("date", DAY_AFTER.isoformat()))
        except Exception:  # a bad URL value must not stop a comparison app
            st.session_state.stichtag = DAY_AFTER
    return st.slider(
        "Stichtag", min_value=dt.date(2022, 1, 1), max_value=dt.date.today(), format="DD.MM.YYYY", key="stichtag"
    )
