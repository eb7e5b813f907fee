"""Export time of the press picture: an A4 portrait PNG at 300 dpi (target <= 2 s).

Measured in this process with warm caches, as the dashboard's download button
and a second ``sid-atlas export`` in a session see it: the first export (imports,
geometry cache, font cache) is discarded.
"""

from __future__ import annotations

import datetime as dt
import time

from benchmarks.report import Series

VIEW_DAY = dt.date(2024, 2, 1)


def measure(repeats: int = 5) -> Series:
    """Wall-clock milliseconds of ``export(..., "png", preset="a4")`` for NRW at Gemeinde level."""
    from exports.dispatch import export
    from loaders.viewstate import ViewState
    from register import atlasdata

    cov = atlasdata.load_coverage()
    view = ViewState(VIEW_DAY)
    export(cov, view, "png", preset="a4")
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        export(cov, view, "png", preset="a4")
        samples.append((time.perf_counter() - started) * 1000)
    return Series(samples)
