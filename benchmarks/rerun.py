"""Server time of one rerun after a Stichtag change, with ``streamlit.testing.v1.AppTest``.

AppTest runs the script in this process, exactly as the server would, minus
the websocket: the time of ``at.run()`` after moving the "Stichtag" slider is
the script's own work (data lookups, figures, building the map arguments and
serialising every element) plus AppTest's small bookkeeping. That is the
server share of a rerun; network and browser time are measured separately in
the browser.

The first run and one change are discarded, so caches (``st.cache_data``,
``functools.cache``, geometry files) are warm, as the issue asks.
"""

from __future__ import annotations

import datetime as dt
import time

from benchmarks.apps import DAY_BEFORE, App
from benchmarks.report import Series

TIMEOUT_S = 120


def stichtag_slider(at, day: dt.date):
    """The slider showing ``day`` (both builds have exactly one Stichtag slider)."""
    for slider in at.slider:
        if slider.value == day:
            return slider
    raise RuntimeError(f"no slider shows {day.isoformat()}")


def measure(app: App, *, changes: int, log=print) -> Series:
    """Samples (ms) of ``at.run()`` after moving the Stichtag one day forward, ``changes`` times.

    Raises
    ------
    RuntimeError
        When the script raises: a broken app must not pass as fast.
    """
    from streamlit.testing.v1 import AppTest  # imported late: Streamlit is heavy and only needed here

    at = AppTest.from_file(str(app.script), default_timeout=TIMEOUT_S)
    at.query_params["date"] = DAY_BEFORE.isoformat()
    at.run()
    _check(at, app)
    samples = []
    day = DAY_BEFORE
    for i in range(changes + 1):  # +1: the first change is a warm-up
        # Always a day not shown before, so a per-date cache in the app cannot
        # turn the measurement into a cache lookup; the data itself stays warm.
        stichtag_slider(at, day).set_value(day + dt.timedelta(days=1))
        day += dt.timedelta(days=1)
        start = time.perf_counter()
        at.run()
        elapsed = (time.perf_counter() - start) * 1000
        _check(at, app)
        if i:
            samples.append(elapsed)
    log(f"  {app.name} reruns: " + ", ".join(f"{s:.0f}" for s in samples) + " ms")
    return Series(samples)


def _check(at, app: App) -> None:
    if at.exception:
        raise RuntimeError(f"{app.name} raised: {[e.value for e in at.exception]}")
