"""Command-line process cost: whole processes, from start to exit, timed from outside.

A person runs ``sid-atlas coverage`` once and waits for the process, imports
and data loading included; a warm in-process figure would hide exactly that.
Each figure is paired with its yardstick and the two run in turn (A B A B …),
so a ratio is taken pair by pair and a drift of the machine's speed during
the measurement affects both sides alike.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.report import Series
from benchmarks.server import REPO

DAY = "2024-02-01"


def _cli() -> str:
    return str(Path(sys.executable).with_name("sid-atlas"))


def timed(command: list[str]) -> float:
    """Milliseconds from start to exit of ``command``; a failing command is an error, not a fast run."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, timeout=600)
    elapsed = (time.perf_counter() - started) * 1000
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command[:3])} … exited {done.returncode}: {done.stderr.decode(errors='replace').strip()[-300:]}"
        )
    return elapsed


def paired(a: list[str], b: list[str], repeats: int) -> tuple[list[float], list[float], list[float]]:
    """``repeats`` A/B pairs after one unmeasured pair (disk cache): A times, B times, A/B per pair."""
    timed(a), timed(b)
    times_a, times_b, ratios = [], [], []
    for _ in range(repeats):
        ta, tb = timed(a), timed(b)
        times_a.append(ta)
        times_b.append(tb)
        ratios.append(ta / tb)
    return times_a, times_b, ratios


def measure(repeats: int, *, export: bool = True, log=print) -> dict[str, Series]:
    """``coverage`` against ``import geopandas``, and (``export``) the A4 PNG export against ``coverage``."""
    coverage = [_cli(), "coverage", "--date", DAY]
    geopandas = [sys.executable, "-c", "import geopandas"]
    cov_ms, geo_ms, cov_ratio = paired(coverage, geopandas, repeats)
    out = {"cli_coverage": Series(cov_ms), "cli_geopandas": Series(geo_ms), "cli_coverage_ratio": Series(cov_ratio)}
    log(f"  coverage {min(cov_ms):.0f}-{max(cov_ms):.0f} ms, import geopandas {min(geo_ms):.0f}-{max(geo_ms):.0f} ms")
    if not export:
        return out
    with tempfile.TemporaryDirectory(prefix="sid-bench-") as folder:
        png = [
            _cli(),
            "export",
            "--date",
            DAY,
            "--format",
            "png",
            "--preset",
            "a4",
            "--out",
            str(Path(folder) / "a4.png"),
        ]
        exp_ms, cov2_ms, exp_ratio = paired(png, coverage, repeats)
    log(f"  export {min(exp_ms):.0f}-{max(exp_ms):.0f} ms")
    out["cli_coverage"] = Series(cov_ms + cov2_ms)
    out.update(cli_export=Series(exp_ms), export_ratio=Series(exp_ratio))
    return out
