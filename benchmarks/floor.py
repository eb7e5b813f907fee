"""A Stichtag change on a real server, over the websocket: CPU, latency and bytes, per app.

For each app (the trivial floor, the map alone, the dashboard) one server is
started and one viewer (:class:`benchmarks.sessions.Viewer`, which keeps the
browser's message cache) moves the Stichtag across Detmold's accession to a
day it has not shown before, every time. Per change:

- server CPU: user + system time of the server process (``/proc/<pid>/stat``,
  all threads, including those that have ended), over a batch of changes
  divided by the batch size — the kernel counts in clock ticks (10 ms), so a
  batch keeps a 10 ms app measurable;
- latency: change sent -> ``script_finished`` received;
- payload: websocket bytes received (after decompression) for a day not seen
  before, and for the day shown two changes earlier (answered from the cache).

The first open and ``WARMUP`` changes are discarded, so caches are warm.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from pathlib import Path

from benchmarks.report import Series
from benchmarks.sessions import Viewer, run_sync

WARMUP = 3
PAUSE_S = 0.05  # between changes: a person never moves twice within a frame
CLOCK_TICK_S = 1 / os.sysconf("SC_CLK_TCK")
# The day after four regional events (Münster, Arnsberg, Köln, Detmold); the
# shortest period (Köln to Düsseldorf) leaves 16 days for rounds.
PERIOD_STARTS = (dt.date(2022, 10, 20), dt.date(2023, 8, 3), dt.date(2023, 9, 9), dt.date(2024, 2, 2))
MAX_CHANGES = 4 * 16


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far, all its threads (``/proc/<pid>/stat``)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        # The command name (field 2) may hold spaces: split after its closing parenthesis.
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * CLOCK_TICK_S  # utime, stime (fields 14, 15)


def new_days(count: int, start: int = 0) -> list[dt.date]:
    """``count`` Stichtage, each a day not shown before and in another coverage period than the last three.

    The days cycle through four periods between regional events, one day
    later on each round: a browser's cache (which forgets an element after
    two runs without it) then holds nothing of the new day's coverage, as on
    a day not seen before; and the figures change with every move.

    Examples
    --------
    >>> [d.isoformat() for d in new_days(5)]
    ['2022-10-20', '2023-08-03', '2023-09-09', '2024-02-02', '2022-10-21']
    """
    return [
        PERIOD_STARTS[i % len(PERIOD_STARTS)] + dt.timedelta(days=i // len(PERIOD_STARTS))
        for i in range(start, start + count)
    ]


async def _measure(base: str, pid: int, *, batches: int, batch: int, log) -> dict[str, Series]:
    viewer = Viewer(base, 0)
    cpu, latency, payload_new, refs_new = [], [], [], []
    try:
        if WARMUP + batches * batch > MAX_CHANGES:
            raise ValueError(f"at most {MAX_CHANGES - WARMUP} measured changes stay within the coverage periods")
        opened = await viewer.open(dt.date(2024, 1, 31))
        days = iter(new_days(WARMUP + batches * batch))
        for _ in range(WARMUP):
            await viewer.change(next(days))
        for _ in range(batches):
            start = cpu_seconds(pid)
            for _ in range(batch):
                run = await viewer.change(next(days))
                latency.append(run.finished_ms)
                payload_new.append(run.payload)
                refs_new.append(run.cache_refs)
                await asyncio.sleep(PAUSE_S)
            cpu.append((cpu_seconds(pid) - start) * 1000 / batch)
        # Back to the day shown two changes ago: what the browser's cache saves.
        last_two = new_days(2, WARMUP + batches * batch - 2)
        seen = await viewer.change(last_two[0])
    finally:
        await viewer.close()
    log(
        f"  open {opened.finished_ms:.0f} ms; CPU per change "
        + ", ".join(f"{c:.0f}" for c in cpu)
        + f" ms; payload per new day {sorted(payload_new)[len(payload_new) // 2] / 1000:.1f} KB, "
        f"day seen {seen.payload / 1000:.1f} KB ({seen.cache_refs} cached elements)"
    )
    return {
        "cpu": Series(cpu),
        "latency": Series(latency),
        "payload_new": Series([float(p) for p in payload_new]),
        "payload_seen": Series([float(seen.payload)]),
        "first_open": Series([opened.finished_ms]),  # a fresh server's first page run, imports included
    }


def measure(script: Path, log_path: Path, *, batches: int, batch: int, log=print) -> dict[str, Series]:
    """Start ``script`` in a fresh server, measure, always stop it; see the module note."""
    from benchmarks.server import streamlit_process

    with streamlit_process(script, log_path) as (base, proc):
        return run_sync(_measure(base, proc.pid, batches=batches, batch=batch, log=log))
