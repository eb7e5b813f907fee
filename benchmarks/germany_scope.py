"""The "Deutschland" scope of ``make bench``: prepare time, geometry bytes and rerun time at Germany scale.

- ``de_prepare``: :func:`loaders.germany.prepare` with ``rebuild=True``
  (read, repair, dissolve, derive levels, validate, simplify, write the
  cache) of all VG250-EW files in ``../shared`` (or ``$SID_ATLAS_GERMANY``);
- ``de_geometry_raw`` / ``de_geometry_gzip``: the TopoJSON file the map
  fetches for all Gemeinden (written by :mod:`benchmarks.germany_app` from
  the same function); the baseline side is the same Gemeinden at full
  source resolution (coordinates rounded to the same 1e-5°), which a folium ``GeoJson`` would embed (before its own
  per-feature style properties) and resend on every rerun;
- ``de_server_rerun``: ``AppTest`` reruns of :mod:`benchmarks.germany_app`
  after a Stichtag change (see :mod:`benchmarks.rerun`).

No folium rerun is timed at this scale: it would serialise about 20 MB per
rerun, and the geometry bytes alone already decide that comparison.
"""

from __future__ import annotations

import gzip
import time

from benchmarks import rerun
from benchmarks.apps import OURS_STATE_JS, App
from benchmarks.report import Series
from benchmarks.server import REPO

GERMANY = App("deutschland", REPO / "benchmarks" / "germany_app.py", "coverage_map", OURS_STATE_JS, 8750)


def measure(*, prepares: int, reruns: int, log=print) -> dict[str, dict[str, Series]]:
    """All Germany metrics as ``{metric key: {"ours": Series, "baseline": Series}}``."""
    import shapely

    from loaders import germany
    from loaders.webgeometry import GRID_DEGREES, to_geojson, to_topojson

    samples = []
    for _ in range(prepares):
        start = time.perf_counter()
        units, web, report = germany.prepare(rebuild=True)
        samples.append((time.perf_counter() - start) * 1000)
        log("  deutschland prepare: " + ", ".join(f"{k} {v:.2f}" for k, v in report.timings.items()) + " s")
    ours = to_topojson(web, "gemeinde").encode()
    # Rounded like ours (1e-5°), so the comparison is about vertices, not digits.
    full_res = units.to_crs("EPSG:4326")
    full_res = full_res.set_geometry(shapely.set_precision(full_res.geometry.values, GRID_DEGREES, mode="pointwise"))
    full = to_geojson(full_res, "gemeinde").encode()
    out = {
        "de_prepare": {"ours": Series(samples)},
        "de_geometry_raw": {"ours": Series([len(ours)]), "baseline": Series([len(full)])},
        "de_geometry_gzip": {"ours": Series([len(gzip.compress(ours, 6))]),
                             "baseline": Series([len(gzip.compress(full, 6))])},
    }
    log("  deutschland server reruns (AppTest) ...")
    out["de_server_rerun"] = {"ours": rerun.measure(GERMANY, changes=reruns, log=log)}
    return out
