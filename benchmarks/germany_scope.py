"""The "Deutschland" scope of ``make bench``: all 8,750 VG250-EW Gemeinden in the real map component.

- ``de_prepare``: a whole process running :func:`loaders.germany.prepare`
  with ``rebuild=True`` (read, repair, dissolve, derive levels, validate,
  simplify, write the cache *and* the session's TopoJSON), imports included:
  what ``prepare`` costs a person, not a warm in-process figure;
- ``de_first_session``: then a fresh server of :mod:`benchmarks.germany_app`,
  and its first session over the websocket, open -> ``script_finished``:
  the NRW model, the prepared TopoJSON and attributes read, the page sent;
- ``de_scope_read``: what of that first session is the Deutschland data: a
  fresh process, modules already imported, reading the prepared TopoJSON and
  Gemeinde table (:func:`loaders.germany.load_scope`) — the part the
  TopoJSON conversion used to take seconds of;
- ``de_geometry_raw`` / ``de_geometry_gzip``: the TopoJSON the map fetches;
- ``de_cpu``: server CPU per Stichtag change (:mod:`benchmarks.floor`).
"""

from __future__ import annotations

import gzip
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.report import Series
from benchmarks.server import REPO

SCRIPT = REPO / "benchmarks" / "germany_app.py"
PREPARE = "from loaders import germany; germany.prepare(rebuild=True)"
SCOPE_READ = (
    "import time; from loaders import germany; start = time.perf_counter(); germany.load_scope(); "
    "print((time.perf_counter() - start) * 1000)"
)


def _python(code: str) -> tuple[float, str]:
    """Run ``code`` in a fresh interpreter: its wall time in ms from outside, and what it printed."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"Germany scope step failed: {done.stderr.strip()[-300:]}")
    return (time.perf_counter() - started) * 1000, done.stdout


def cold_prepare_ms() -> float:
    return _python(PREPARE)[0]


def measure(*, prepares: int, batches: int, batch: int, log_dir: Path, log=print) -> dict[str, Series]:
    """All Germany figures; see the module note."""
    from benchmarks import floor
    from benchmarks.server import streamlit_process
    from benchmarks.sessions import Viewer, run_sync
    from loaders import germany

    samples = [cold_prepare_ms() for _ in range(prepares)]
    log("  deutschland cold prepare: " + ", ".join(f"{s / 1000:.1f} s" for s in samples))

    async def first_open(base: str) -> float:
        viewer = Viewer(base, 0)
        try:
            return (await viewer.open(floor.new_days(1)[0])).finished_ms
        finally:
            await viewer.close()

    with streamlit_process(SCRIPT, log_dir / "germany-first.log") as (base, _):
        first = run_sync(first_open(base))
    read = [float(_python(SCOPE_READ)[1]) for _ in range(3)]
    log(f"  deutschland first session after prepare: {first:.0f} ms; reading the scope {min(read):.0f} ms")
    _, topology = germany.load_scope()
    raw = topology.encode()
    out = {
        "de_prepare": Series(samples),
        "de_first_session": Series([first]),
        "de_scope_read": Series(read),
        "de_geometry_raw": Series([float(len(raw))]),
        "de_geometry_gzip": Series([float(len(gzip.compress(raw, 6)))]),
    }
    out["de_cpu"] = floor.measure({"de": SCRIPT}, log_dir, batches=batches, batch=batch, log=log)["cpu_de"]
    return out
