"""Restart -> first page computed: what a restarted replica's first visitor waits, beside the floor's.

A fresh server process is started and its health endpoint polled (every
0.25 s, as ``deploy.scaleout`` and a load balancer do); the moment it says
``ok`` a first viewer opens the page, then a second one. The figure is the
time from starting the process to the first viewer's page run finished: the
start a visitor can be made to wait for. The atlas runs as ``sid-atlas
serve`` runs it (:mod:`dashboard.serve`: its health warms the model and the
first page's work before it says ``ok``); the floor as a bare ``streamlit
run`` (Streamlit's own health). The two take turns with fresh servers (floor,
atlas, floor, atlas …), so each ratio is taken pair by pair.

Besides the total, the first and second viewer's own page runs are kept: a
warm start shows as a first run no slower than the second. Both open the
bare address (the default view, today's Stichtag), so the second differs from
the first only by coming second.
"""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks.report import Series
from benchmarks.sessions import Viewer, run_sync


async def _two_visits(base: str) -> tuple[float, float]:
    times = []
    for number in range(2):
        viewer = Viewer(base, number)
        try:
            run = await viewer.open(query="")  # the address a visitor types or bookmarks: the default view
        finally:
            await viewer.close()
        times.append(run.finished_ms)
    return times[0], times[1]


def once(script: Path, log_path: Path) -> tuple[float, float, float]:
    """One fresh server: ms from start to the first page run finished; the first and the second visitor's run."""
    from benchmarks.server import streamlit_process

    started = time.perf_counter()
    with streamlit_process(script, log_path) as (base, _):
        healthy = time.perf_counter()
        first, second = run_sync(_two_visits(base))
        total = (healthy - started) * 1000 + first
    return total, first, second


def measure(apps: dict[str, Path], log_dir: Path, *, rounds: int, log=print) -> dict[str, Series]:
    """``rounds`` turns of every app in ``apps`` (name -> script), each with a fresh server."""
    got: dict[str, tuple[list[float], list[float], list[float]]] = {name: ([], [], []) for name in apps}
    for turn in range(rounds + 1):
        for name, script in apps.items():
            total, first, second = once(script, log_dir / f"{name}-restart.log")
            if turn == 0:
                continue  # the disk cache's turn: the first start of all reads the files from disk
            for into, value in zip(got[name], (total, first, second)):
                into.append(value)
            log(f"  {name}: start -> first page {total:.0f} ms (first run {first:.0f} ms, second {second:.0f} ms)")
    out: dict[str, Series] = {}
    for name, (totals, firsts, seconds) in got.items():
        out[f"restart_{name}"] = Series(totals)
        out[f"first_visit_{name}"] = Series(firsts)
        out[f"second_visit_{name}"] = Series(seconds)
    return out
