"""The "Deutschland" scope of the benchmark: all 8,750 VG250-EW Gemeinden in the real map component.

The same map as the dashboard (:func:`dashboard.mapview.render_map`) with the
Germany-wide geometry of :mod:`loaders.germany`: NRW's Gemeinden carry their
coverage status at the Stichtag, every other Gemeinde is ``not_yet`` (the
network is NRW's). The product itself stays NRW-only; this script exists to
measure a rerun after a Stichtag change at Germany scale.

Run with ``streamlit run benchmarks/germany_app.py``; ``?date=YYYY-MM-DD``
sets the initial Stichtag.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

# `streamlit run` puts benchmarks/ on sys.path, not the project root.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from benchmarks.apps import stichtag_slider  # noqa: E402
from benchmarks.mapparts import coverage, nrw_args  # noqa: E402
from dashboard.mapview import draw, write_geometry  # noqa: E402
from loaders import germany  # noqa: E402


@st.cache_resource(show_spinner="Lade Deutschland …")
def germany_view() -> tuple[str, dict[str, list], int]:
    """Geometry URL, the ``not_yet`` feature of every Gemeinde, and the population of Germany (once).

    Everything is read from what ``loaders.germany.prepare`` wrote: no
    geometry is loaded or converted in a session.
    """
    gemeinden, topology = germany.load_scope()
    url = write_geometry("gemeinde-de", topology.encode())
    rest = {
        key: ["not_yet", False, html.escape(f"{name} ({key})")]
        for key, name in zip(gemeinden["key"], gemeinden["name"])
    }
    return url, rest, int(gemeinden["population"].sum())


st.set_page_config(page_title="Deutschland (benchmark scope)", layout="wide")
day = stichtag_slider()
url, rest, population_de = germany_view()
args = nrw_args(day, url)
summary = coverage().summary(day)
cols = st.columns(3)
cols[0].metric("Gemeinden (NRW)", f"{summary['gemeinden_covered']} von {summary['gemeinden_total']}")
cols[1].metric("Bevölkerung Deutschland (ohne Bayern)", f"{100 * summary['population_covered'] / population_de:.2f} %")
cols[2].metric("Gemeinden auf der Karte", f"{len(rest):,}".replace(",", "."))
draw({**args, "features": {**rest, **args["features"]}})
