"""The timeline charts: a Streamlit component v2 of ours that draws each chart as plain SVG, in the page (no iframe).

Vega-Lite showed the values on mouse hover only and has no keyboard
operation. ``chart_component/chart.js`` is one tab stop per chart: ← / →
walk the points, Home / End jump, each point gets markers and a tooltip and
is announced in a polite live region, Escape leaves.

What a chart shows comes from :mod:`viewmodel.charts` (words, colours,
points). It depends on the evidence filter, region, language and today, not
on the Stichtag, so it is written once into a content-hashed file in the
component's folder (like the map's geometry), fetched once by the browser,
and a Stichtag change sends only the file's URL, the Stichtag / compare rules
and the chart's height (about 150 bytes per chart).
"""

from __future__ import annotations

import json

from dashboard.mapassets import CHART_DIR
from dashboard.mapassets import CHART_NAME as NAME
from dashboard.mapview import declared, write_geometry

DATA_DIR = CHART_DIR / "data"
# Chart heights in pixels, fixed by the server (title, plot and a legend that wraps on a phone).
HEIGHTS = {"coverage": 380, "sizes": 440}  # sizes: and the list of values published without a date


def data_url(chart: dict, stem: str) -> str:
    """Write a chart's data (:mod:`viewmodel.charts`) into the component's folder once; its URL relative to it."""
    payload = json.dumps(chart, ensure_ascii=False, separators=(",", ":")).encode()
    return write_geometry(f"chart-{stem}", payload, folder=DATA_DIR)


def render_chart(url: str, rules: list[list[str]], height: int, key: str) -> None:
    """Draw (first run) or move the rules of (later runs) the chart whose data is at ``url``."""
    declared(NAME)(key=key, data={"name": key, "data": url, "rules": rules, "height": height})
