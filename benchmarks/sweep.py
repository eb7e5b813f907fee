"""The load sweep: how many viewers one process, and two replicas behind nginx, serve within 1 s.

For each session count (10, 20, 50, 100, 150, 200, 300, 400, 500, 600) the load test of
:mod:`benchmarks.sessions` runs against the same warm server(s): all viewers
open and stay connected, then each moves the Stichtag ``changes`` times with
a think time. A count *passes* when the p95 from change to page sent is at
most 1 s and no viewer failed. The **knee** is the largest passing count
below the first failing one: the counts rise until one fails, and the knee is
the last that passed, not the largest tried. After the first failing count
the larger ones are not run (they would only measure a queue, and cost
minutes each); when even the largest passes, the report says the knee was
not found. The viewers follow the browser's protocol (first run with the
page's address, a Stichtag change as the slider fragment's rerun, the
message cache): :class:`benchmarks.sessions.Viewer`.

Memory per session is the slope of the server's resident memory over the
sessions held, fitted across every count of the sweep (one server lifetime):
a single before/after delta mostly measures what the allocator returned
meanwhile (one delta once came out at −106 KB).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import sessions
from benchmarks.report import load_average, percentile

COUNTS = (10, 20, 50, 100, 150, 200, 300, 400, 500, 600)
P95_LIMIT_MS = 1000.0


@dataclass
class Step:
    """One session count's outcome."""

    sessions: int
    p95_ms: float | None
    p50_ms: float | None
    errors: int
    held: int
    memory_per_session: float | None = None
    notes: list[str] = field(default_factory=list)
    load_before: float | None = None
    load_after: float | None = None
    rss_baseline: int | None = None  # server memory before the count's viewers came
    rss_loaded: int | None = None  # and with ``held`` of them connected

    @property
    def memory_points(self) -> list[tuple[float, float]]:
        """(sessions held, resident bytes) of this count: its baseline at 0 and its loaded state."""
        if self.rss_baseline is None or self.rss_loaded is None:
            return []
        return [(0.0, float(self.rss_baseline)), (float(self.held), float(self.rss_loaded))]

    @property
    def passed(self) -> bool:
        return self.p95_ms is not None and self.p95_ms <= P95_LIMIT_MS and self.errors == 0


def knee(steps: list[Step]) -> int:
    """The largest session count that passed, counting only up to the first failure; 0 if none.

    Examples
    --------
    >>> s = lambda n, p95, errors=0: Step(n, p95, p95, errors, n)
    >>> knee([s(10, 80.0), s(20, 300.0), s(50, 900.0), s(100, 2400.0)])
    50
    >>> knee([s(10, 80.0), s(20, 1200.0), s(50, 900.0)])      # a lucky larger count does not count
    10
    >>> knee([s(10, 80.0, errors=1)]), knee([])
    (0, 0)
    """
    best = 0
    for step in sorted(steps, key=lambda x: x.sessions):
        if not step.passed:
            break
        best = step.sessions
    return best


def knee_note(name: str, steps: list[Step]) -> str | None:
    """What the knee of a sweep means when it is not a knee: every count passed, or none was run.

    Examples
    --------
    >>> knee_note("one process", [Step(10, 80.0, 40.0, 0, 10), Step(20, 90.0, 50.0, 0, 20)])
    'one process: every count up to 20 passed, so the knee is at least 20 (not found).'
    >>> knee_note("one process", [Step(10, 80.0, 40.0, 0, 10), Step(20, 1900.0, 50.0, 0, 20)]) is None
    True
    """
    if not steps:
        return f"{name}: no session count was run."
    if all(step.passed for step in steps):
        return (
            f"{name}: every count up to {max(s.sessions for s in steps)} passed, so the knee is at least "
            f"{max(s.sessions for s in steps)} (not found)."
        )
    return None


def step_of(result: sessions.LoadResult) -> Step:
    """A load test's result as a sweep step."""
    memory = None
    if result.rss_baseline is not None and result.rss_loaded is not None and result.held:
        memory = sessions.per_session_bytes(result.rss_baseline, result.rss_loaded, result.held)
    return Step(
        result.sessions,
        percentile(result.change_ms, 95),
        percentile(result.change_ms, 50),
        len(result.errors),
        result.held,
        memory,
        result.errors[:3],
        rss_baseline=result.rss_baseline,
        rss_loaded=result.rss_loaded,
    )


def memory_per_session(steps: list[Step]) -> float | None:
    """Bytes per held session: the least-squares slope of memory over sessions held, across every count.

    Examples
    --------
    >>> s = lambda n, base, loaded: Step(n, 100.0, 50.0, 0, n, rss_baseline=base, rss_loaded=loaded)
    >>> round(memory_per_session([s(10, 400_000, 420_000), s(50, 400_000, 500_000), s(100, 400_000, 600_000)]))
    2000
    >>> memory_per_session([]) is None
    True
    """
    from benchmarks.report import slope

    return slope([point for step in steps for point in step.memory_points])


def run(
    base: str, pid: int | None, *, counts=COUNTS, changes: int, think_s: float, ramp_s: float, log=print
) -> list[Step]:
    """Sweep ``counts`` against a running app at ``base``; stop after the first failing count."""
    steps = []
    for count in counts:
        deadline_s = 60 + count * ramp_s + changes * (1.5 * think_s + sessions.RUN_TIMEOUT_S)
        log(f"  {count} sessions ...")
        before = load_average()
        result = sessions.measure(
            base, pid, sessions=count, changes=changes, think_s=think_s, ramp_s=ramp_s, deadline_s=deadline_s, log=log
        )
        step = step_of(result)
        step.load_before, step.load_after = before, load_average()
        steps.append(step)
        log(
            f"  {count} sessions: p95 {step.p95_ms or 0:.0f} ms, p50 {step.p50_ms or 0:.0f} ms, "
            f"{step.errors} errors, {step.held} held"
        )
        if not step.passed:
            break
    return steps


def one_process(script: Path, log_path: Path, **kwargs) -> list[Step]:
    """The sweep against one fresh server process (its memory is read too)."""
    from benchmarks.server import streamlit_process

    with streamlit_process(script, log_path) as (base, proc):
        return run(base, proc.pid, **kwargs)
