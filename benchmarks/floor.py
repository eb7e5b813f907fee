"""A Stichtag change on a real server, over the websocket: CPU, latency and bytes, per app.

For each app (the one-slider floor, the ten-widget trivial app, the map
alone, the dashboard) a server is started, all at once, and one viewer each
(:class:`benchmarks.sessions.Viewer`, which keeps the browser's message cache
and reruns the slider's fragment as the browser does) moves the Stichtag
across Detmold's accession to a day it has not shown before, every time. The
apps take turns batch by batch (who goes first rotates), so every ratio is
taken pair by pair within one server lifetime. Per change:

- server CPU: user + system time of the server process (``/proc/<pid>/stat``,
  all threads, including those that have ended), over a batch of changes
  divided by the batch size — the kernel counts in clock ticks (10 ms), so a
  batch keeps a 10 ms app measurable;
- latency: change sent -> ``script_finished`` received;
- payload: websocket bytes received for a day not seen before, raw (after
  decompression) and on the wire (as read from the socket, compressed, frame
  headers included); and raw for the day shown two changes earlier (answered
  from the cache);
- elements: delta messages sent per change (each an element or block the
  browser redraws).

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


def rotated(items: list, turn: int) -> list:
    """``items`` starting at position ``turn`` (cyclically): who goes first changes from batch to batch.

    Examples
    --------
    >>> rotated(["floor", "trivial", "ours"], 0), rotated(["floor", "trivial", "ours"], 4)
    (['floor', 'trivial', 'ours'], ['trivial', 'ours', 'floor'])
    """
    turn %= len(items)
    return items[turn:] + items[:turn]


async def _measure(servers: list[tuple[str, str, int]], *, batches: int, batch: int, log) -> dict[str, Series]:
    """Every app's server is up at once; batch by batch, each app in turn (rotating who goes first).

    Batch ``i`` of every app is measured within seconds of the others', so
    the ratio of two apps is taken batch pair by batch pair
    (:func:`benchmarks.report.pair_ratios`) and a drift of the shared
    machine's speed hits both sides of a pair alike.
    """
    if WARMUP + batches * batch > MAX_CHANGES:
        raise ValueError(f"at most {MAX_CHANGES - WARMUP} measured changes stay within the coverage periods")
    names = [name for name, _, _ in servers]
    pids = {name: pid for name, _, pid in servers}
    viewers = {name: Viewer(base, i) for i, (name, base, _) in enumerate(servers)}
    keys = ("cpu", "latency", "payload_new", "wire_new", "elements")
    got: dict[str, dict[str, list[float]]] = {name: {key: [] for key in keys} for name in names}
    opened, seen = {}, {}
    try:
        days = {}
        for name in names:
            opened[name] = await viewers[name].open(dt.date(2024, 1, 31))
            days[name] = iter(new_days(WARMUP + batches * batch))
            for _ in range(WARMUP):
                await viewers[name].change(next(days[name]))
        for turn in range(batches):
            for name in rotated(names, turn):
                viewer, samples = viewers[name], got[name]
                start = cpu_seconds(pids[name])
                for _ in range(batch):
                    run = await viewer.change(next(days[name]))
                    samples["latency"].append(run.finished_ms)
                    samples["payload_new"].append(float(run.payload))
                    samples["wire_new"].append(float(run.wire))
                    samples["elements"].append(float(run.elements))
                    await asyncio.sleep(PAUSE_S)
                samples["cpu"].append((cpu_seconds(pids[name]) - start) * 1000 / batch)
        # Back to the day shown two changes ago: what the browser's cache saves.
        last_two = new_days(2, WARMUP + batches * batch - 2)
        for name in names:
            seen[name] = await viewers[name].change(last_two[0])
    finally:
        for viewer in viewers.values():
            await viewer.close()
    out: dict[str, Series] = {}
    for name in names:
        samples = got[name]
        payload = sorted(samples["payload_new"])
        log(
            f"  {name}: open {opened[name].finished_ms:.0f} ms; CPU per change "
            + ", ".join(f"{c:.0f}" for c in samples["cpu"])
            + f" ms; payload per new day {payload[len(payload) // 2] / 1000:.1f} KB raw; "
            f"day seen {seen[name].payload / 1000:.1f} KB ({seen[name].cache_refs} cached elements)"
        )
        out.update({f"{key}_{name}": Series(samples[key]) for key in keys})
        out[f"payload_seen_{name}"] = Series([float(seen[name].payload)])
        out[f"first_open_{name}"] = Series([opened[name].finished_ms])  # a fresh server's first page run
    return out


def measure(scripts: dict[str, Path], log_dir: Path, *, batches: int, batch: int, log=print) -> dict[str, Series]:
    """Start one server per app (all at once), measure them interleaved, always stop them; see the module note."""
    import contextlib

    from benchmarks.server import streamlit_process

    with contextlib.ExitStack() as stack:
        servers = []
        for name, script in scripts.items():
            base, proc = stack.enter_context(streamlit_process(script, log_dir / f"{name}-floor.log"))
            servers.append((name, base, proc.pid))
        return run_sync(_measure(servers, batches=batches, batch=batch, log=log))
