"""The pure part of the benchmark: samples, statistics, ratios, targets, tables and JSON.

Nothing here starts a server or a browser, so it is unit-tested on fake
numbers (``tests/unit/test_benchmarks.py``). The measuring modules only produce
:class:`Series` values; this module decides what they mean.

Every figure carries the load average (``os.getloadavg()``, 1 minute) read
just before and just after it was measured: on a shared 2-core machine a
figure means little without it. A *ratio* row divides two figures of the
same run (e.g. the dashboard's CPU per change by the trivial app's), so it
holds up better on a noisy machine than either figure alone; the table marks
those rows.

``python -m benchmarks.report [artifacts/bench.json] [--readme docs/performance.md]``
prints the Markdown table of a run, or writes it into the performance page between
``<!-- bench:start -->`` and ``<!-- bench:end -->``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

# Bump when the JSON layout changes, so readers of old artifacts can tell.
SCHEMA_VERSION = 3  # 3: floor app, pair ratios, wire bytes, memory slope
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


@dataclass(frozen=True)
class Target:
    """One budget (docs/performance.md), inclusive; ``at_least`` for figures that must be large enough."""

    limit: float
    text: str
    at_least: bool = False


@dataclass(frozen=True)
class Metric:
    """What one table row shows.

    ``ratio_of`` names two other metrics: the row is the first's statistic
    divided by the second's, from the same run.
    """

    key: str
    label: str
    unit: str  # "bytes", "ms", "count" or "ratio"
    target: Target | None = None  # None: reported for context, no budget
    stat: int = 50  # percentile of the samples the row shows; 50 = median
    ratio_of: tuple[str, str] | None = None


# The floor targets first (ratios against the one-slider floor, medians of pairs), then the earlier budgets and the hosts'
# that still stand, then the figures behind them. "KB" is 1000 bytes.
METRICS = (
    Metric(
        "cpu_ratio",
        "Server CPU per Stichtag change ÷ one-slider floor",
        "ratio",
        Target(2.0, "≤ 2×"),
        ratio_of=("cpu_ours", "cpu_floor"),
    ),
    Metric(
        "change_ratio",
        "Click → map restyled (Chromium) ÷ floor's click → figure changed",
        "ratio",
        Target(2.0, "≤ 2×"),
        ratio_of=("change_ours", "change_floor"),
    ),
    Metric(
        "open_ratio",
        "Page open → map drawn (Chromium) ÷ floor's page open → figure shown",
        "ratio",
        Target(1.3, "≤ 1.3×"),
        ratio_of=("open_ours", "open_floor"),
    ),
    Metric(
        "payload_new_ours",
        "Payload per change, raw (after decompression), NRW Gemeinde, a day not seen before",
        "bytes",
        Target(5_000, "≤ 5 KB"),
    ),
    Metric("cold_open_bytes", "Cold first visit through nginx, on the wire", "bytes", Target(1_200_000, "≤ 1.2 MB")),
    Metric(
        "restart_ratio",
        "Restart → first page computed ÷ the floor's",
        "ratio",
        Target(1.5, "≤ 1.5×"),
        ratio_of=("restart_ours", "restart_floor"),
    ),
    Metric(
        "first_second_ratio",
        "Restarted atlas: first visitor's page run ÷ the second's",
        "ratio",
        Target(1.0, "≤ 1× (no visitor pays the start)"),
        ratio_of=("first_visit_ours", "second_visit_ours"),
    ),
    Metric("knee_one", "Knee (sessions with p95 ≤ 1 s), one process", "count", Target(300, "≥ 300", True)),
    Metric("knee_two", "Knee, two replicas behind nginx", "count", Target(500, "≥ 500", True)),
    Metric("export_ratio", "A4 PNG export whole process ÷ `coverage`", "ratio", Target(2.2, "≤ 2.2×")),
    Metric(
        "elements_ours", "Elements sent per Stichtag change (delta messages): dashboard", "count", Target(10, "≤ 10")
    ),
    Metric(
        "cli_coverage_ratio",
        '`sid-atlas coverage` whole process ÷ `python -c "import geopandas"`',
        "ratio",
        Target(1.3, "≤ 1.3×"),
    ),
    Metric("warm_open_bytes", "Warm open through nginx, on the wire", "bytes", Target(30_000, "≤ 30 KB")),
    Metric(
        "de_scope_read",
        "Deutschland, first session after prepare: its Deutschland part (reading the prepared scope)",
        "ms",
        Target(500, "≤ 0.5 s"),
    ),
    Metric("svg_nrw", "Press SVG, NRW at Gemeinde level (16:9)", "bytes", Target(1_000_000, "≤ 1 MB")),
    Metric(
        "svg_region_compare",
        "Press SVG, one Regierungsbezirk with a compare date",
        "bytes",
        Target(600_000, "≤ 600 KB"),
    ),
    Metric("pdf_nrw", "Press PDF, NRW at Gemeinde level", "bytes", Target(1_000_000, "≤ 1 MB")),
    # Separate hosts (benchmarks/hosts.py); the bounds are docs/operations.md's.
    Metric(
        "hosts_failover",
        "Host a's cable pulled under load: its sessions' first page on host b",
        "ms",
        Target(52_000, "≤ 30 s + 2 s + a run (test_hosts)"),
        stat=95,
    ),
    Metric("hosts_follow_click", "Import on host a → host b's page at the next click", "ms", Target(5_000, "≤ 5 s")),
    Metric(
        "hosts_follow_idle",
        "Import on host a → an idle page on host b (check every 60 s)",
        "ms",
        Target(65_000, "≤ 60 s + a run"),
    ),
    Metric("hosts_sessions_per_replica", "Sessions per replica host with p95 ≤ 1 s (two hosts)", "count"),
    # -- the figures behind the ratios, and context ---------------------------
    Metric("cpu_floor", "Server CPU per change: one-slider floor", "ms"),
    Metric("cpu_trivial", "Server CPU per change: trivial app (10 widgets, context)", "ms"),
    Metric("cpu_map", "Server CPU per change: map only", "ms"),
    Metric("cpu_ours", "Server CPU per change: dashboard", "ms"),
    Metric(
        "cpu_trivial_ratio", "Server CPU per change: trivial ÷ floor", "ratio", ratio_of=("cpu_trivial", "cpu_floor")
    ),
    Metric("cpu_map_ratio", "Server CPU per change: map only ÷ floor", "ratio", ratio_of=("cpu_map", "cpu_floor")),
    Metric("latency_floor", "Change → page sent (websocket): floor", "ms"),
    Metric("latency_ours", "Change → page sent (websocket): dashboard", "ms"),
    Metric("elements_floor", "Elements sent per change: floor", "count"),
    Metric("elements_trivial", "Elements sent per change: trivial app", "count"),
    Metric("apptest_ours", "Rerun after a change in AppTest (in-process): dashboard", "ms"),
    Metric("payload_new_floor", "Payload per change, new day, raw: floor", "bytes"),
    Metric("payload_new_trivial", "Payload per change, new day, raw: trivial app", "bytes"),
    Metric("payload_new_map", "Payload per change, new day, raw: map only", "bytes"),
    Metric("wire_new_floor", "Payload per change, new day, on the wire: floor", "bytes"),
    Metric("wire_new_ours", "Payload per change, new day, on the wire: dashboard", "bytes"),
    Metric("payload_seen_ours", "Payload per change, day seen two changes ago, raw: dashboard", "bytes"),
    Metric("open_floor", "Page open → figure shown (Chromium): floor", "ms"),
    Metric("open_trivial", "Page open → figure shown (Chromium): trivial app", "ms"),
    Metric("open_ours", "Page open → map drawn (Chromium): dashboard", "ms"),
    Metric("script_ratio", "Browser script time per change ÷ floor", "ratio", ratio_of=("script_ours", "script_floor")),
    Metric("change_floor", "Click → figure changed (Chromium): floor", "ms"),
    Metric("change_ours", "Click → map and figures updated (Chromium): dashboard", "ms"),
    Metric("frames_floor", "Websocket messages per change (Chromium): floor", "count"),
    Metric("frames_ours", "Websocket messages per change (Chromium): dashboard", "count"),
    Metric("script_floor", "Browser script time per change (Chromium): floor", "ms"),
    Metric("script_ours", "Browser script time per change (Chromium): dashboard", "ms"),
    Metric("restart_floor", "Restart → first page computed: floor (bare streamlit run)", "ms"),
    Metric("restart_ours", "Restart → first page computed: dashboard (as sid-atlas serve)", "ms"),
    Metric(
        "first_second_floor",
        "Restarted floor (no warm-up): first visitor's page run ÷ the second's",
        "ratio",
        ratio_of=("first_visit_floor", "second_visit_floor"),
    ),
    Metric("first_visit_floor", "Restarted floor: first visitor's page run", "ms"),
    Metric("first_visit_ours", "Restarted dashboard: first visitor's page run", "ms"),
    Metric("second_visit_ours", "Restarted dashboard: second visitor's page run", "ms"),
    Metric("geometry_raw", "Geometry to the browser, raw (NRW Gemeinden)", "bytes"),
    Metric("geometry_gzip", "Geometry to the browser, gzip -6", "bytes"),
    Metric("cold_open_raw", "Cold first visit through nginx, raw (decoded bodies, websocket decompressed)", "bytes"),
    Metric("warm_open_ws", "Warm open through nginx: of it the websocket, on the wire", "bytes"),
    Metric("load_memory", "Server memory per held session (slope over every count of the sweep)", "bytes"),
    Metric("cli_coverage", "`sid-atlas coverage` whole process", "ms"),
    Metric("cli_geopandas", '`python -c "import geopandas"` whole process', "ms"),
    Metric("cli_export", "`sid-atlas export --format png --preset a4` whole process", "ms"),
    Metric("datapackage_nrw", "Open-data package (zip), NRW", "bytes"),
    Metric("de_prepare", "Deutschland: cold prepare, whole process (read … TopoJSON)", "ms"),
    Metric("first_open_map", "First page run of a fresh server (imports, NRW model): map only", "ms"),
    Metric("de_first_session", "Deutschland: first page run of a fresh server (imports, NRW model, scope)", "ms"),
    Metric("de_geometry_raw", "Deutschland: TopoJSON of 8,750 Gemeinden, raw", "bytes"),
    Metric("de_geometry_gzip", "Deutschland: TopoJSON, gzip -6", "bytes"),
    Metric("de_cpu", "Deutschland: server CPU per change", "ms"),
)
METRICS_BY_KEY = {m.key: m for m in METRICS}


@dataclass
class Series:
    """Repeated samples of one quantity (or the reason there are none) and the load around them.

    Examples
    --------
    >>> Series([3.0, 1.0, 2.0]).median
    2.0
    >>> Series([], error="app not committed yet").median is None
    True
    """

    samples: list[float] = field(default_factory=list)
    error: str | None = None
    load_before: float | None = None
    load_after: float | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    def to_json(self) -> dict:
        out: dict[str, object] = {
            "median": self.median,
            "samples": [round(s, 3) for s in self.samples],
            "load_before": self.load_before,
            "load_after": self.load_after,
        }
        if self.samples:
            out["min"], out["max"] = min(self.samples), max(self.samples)
        if self.error:
            out["error"] = self.error
        return out


def load_average() -> float | None:
    """The 1-minute load average, or None where the system has none."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def stamp(series: dict[str, Series], before: float | None, after: float | None) -> dict[str, Series]:
    """Give every series of one measurement the load average read around it."""
    for item in series.values():
        item.load_before, item.load_after = before, after
    return series


def percentile(samples: list[float], q: float) -> float | None:
    """The ``q``-th percentile, linear between closest ranks (numpy's default); None if empty.

    Examples
    --------
    >>> percentile([1.0, 2.0, 3.0, 4.0], 50), percentile([10.0, 20.0], 95), percentile([7.0], 95)
    (2.5, 19.5, 7.0)
    >>> percentile([], 50) is None
    True
    """
    if not samples:
        return None
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def pair_ratios(top: list[float], bottom: list[float]) -> list[float]:
    """``top[i] / bottom[i]`` for samples measured as pairs (interleaved); pairs with a zero yardstick are dropped.

    Examples
    --------
    >>> pair_ratios([30.0, 33.0, 28.0], [10.0, 11.0, 0.0])
    [3.0, 3.0]
    >>> pair_ratios([1.0], [1.0, 2.0])
    Traceback (most recent call last):
    ...
    ValueError: 1 and 2 samples are not pairs
    """
    if len(top) != len(bottom):
        raise ValueError(f"{len(top)} and {len(bottom)} samples are not pairs")
    return [a / b for a, b in zip(top, bottom) if b]


def permessage_deflate_size(messages: list[bytes]) -> int:
    """Bytes a websocket server sends for ``messages`` with permessage-deflate (RFC 7692), frame headers included.

    The model of what Streamlit's server does by default: one deflate stream
    for the whole connection (context takeover), each message flushed and its
    trailing ``00 00 ff ff`` dropped, then a frame header of 2, 4 or 10 bytes.
    The browser reports only the decompressed messages, so a visit's
    websocket bytes on the wire are computed from them this way.

    Examples
    --------
    >>> same = [b"Stichtag 01.02.2024 " * 50] * 3
    >>> sum(map(len, same)), permessage_deflate_size(same) < 100
    (3000, True)
    >>> permessage_deflate_size([])
    0
    """
    import zlib

    stream = zlib.compressobj(6, zlib.DEFLATED, -15)
    total = 0
    for message in messages:
        body = stream.compress(message) + stream.flush(zlib.Z_SYNC_FLUSH)
        size = len(body) - 4 if body.endswith(b"\x00\x00\xff\xff") else len(body)
        total += size + (2 if size < 126 else 4 if size < 65_536 else 10)
    return total


def slope(points: list[tuple[float, float]]) -> float | None:
    """The least-squares slope of y over x; None with fewer than two distinct x.

    Examples
    --------
    >>> slope([(0, 100.0), (10, 120.0), (20, 140.0)])
    2.0
    >>> slope([(5, 1.0), (5, 2.0)]) is None
    True
    """
    if len({x for x, _ in points}) < 2:
        return None
    mean_x = statistics.fmean(x for x, _ in points)
    mean_y = statistics.fmean(y for _, y in points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


def stat_name(q: int) -> str:
    """How a row's statistic is named.

    Examples
    --------
    >>> stat_name(50), stat_name(95)
    ('median', 'p95')
    """
    return "median" if q == 50 else f"p{q}"


def verdict(metric: Metric, value: float | None) -> str:
    """ "pass", "FAIL", "n/a" (not measured) or "" (no target).

    Examples
    --------
    >>> verdict(METRICS_BY_KEY["cpu_ratio"], 2.0), verdict(METRICS_BY_KEY["cpu_ratio"], 2.01)
    ('pass', 'FAIL')
    >>> verdict(METRICS_BY_KEY["knee_one"], 300), verdict(METRICS_BY_KEY["knee_one"], 299)
    ('pass', 'FAIL')
    >>> verdict(METRICS_BY_KEY["cpu_ours"], 5.0), verdict(METRICS_BY_KEY["open_ratio"], None)
    ('', 'n/a')
    """
    if metric.target is None:
        return ""
    if value is None:
        return "n/a"
    ok = value >= metric.target.limit if metric.target.at_least else value <= metric.target.limit
    return "pass" if ok else "FAIL"


def format_value(unit: str, value: float | None) -> str:
    """Human units: bytes as B/KB/MB (1000-based, like the targets), times in ms or s, ratios as ×.

    Examples
    --------
    >>> format_value("bytes", 4_312_000), format_value("bytes", 87_400), format_value("bytes", 512)
    ('4.31 MB', '87.4 KB', '512 B')
    >>> format_value("ms", 1234.6), format_value("ms", 3.21), format_value("ratio", 2.345), format_value("ms", None)
    ('1.23 s', '3.2 ms', '2.35×', '–')
    """
    if value is None:
        return "–"
    if unit == "count":
        return f"{value:.0f}"
    if unit == "ratio":
        return f"{value:.2f}×"
    if unit == "bytes":
        if value >= 1_000_000:
            return f"{value / 1_000_000:.2f} MB"
        if value >= 1_000:
            return f"{value / 1_000:.1f} KB"
        return f"{value:.0f} B"
    if value >= 1000:
        return f"{value / 1000:.2f} s"
    return f"{value:.1f} ms" if value < 10 else f"{value:.0f} ms"


def _load_span(*series: Series) -> tuple[float | None, float | None]:
    befores = [s.load_before for s in series if s.load_before is not None]
    afters = [s.load_after for s in series if s.load_after is not None]
    return (min(befores) if befores else None), (max(afters) if afters else None)


def rows(results: dict[str, Series]) -> list[dict]:
    """One row per metric: its statistic (or ratio), verdict, sample count and load average.

    Examples
    --------
    >>> fake = {"cpu_ours": Series([30.0, 36.0, 30.0], load_before=1.1, load_after=1.3),
    ...         "cpu_floor": Series([12.0, 12.0, 20.0], load_before=1.0, load_after=1.2)}
    >>> row = {r["metric"].key: r for r in rows(fake)}["cpu_ratio"]
    >>> row["value"], row["verdict"], row["load"], row["n"]
    (2.5, 'FAIL', (1.0, 1.3), 3)
    >>> {r["metric"].key: r for r in rows({**fake, "cpu_floor": Series([12.0])})}["cpu_ratio"]["error"]
    '3 and 1 samples are not pairs'
    """
    out = []
    for metric in METRICS:
        if metric.ratio_of:
            # Both sides were measured as pairs (interleaved, or in turn with fresh servers): the ratio is the
            # statistic of the pairs' ratios, so a drift of the machine between pairs cancels.
            top, bottom = (results.get(k, Series(error="not measured")) for k in metric.ratio_of)
            try:
                ratios = pair_ratios(top.samples, bottom.samples)
                error = None
            except ValueError as exc:
                ratios, error = [], str(exc)
            value = percentile(ratios, metric.stat)
            error = (top.error or bottom.error or error or "not measured") if value is None else None
            n = len(ratios)
            load = _load_span(top, bottom) if value is not None else (None, None)
        else:
            series = results.get(metric.key, Series(error="not measured"))
            value = percentile(series.samples, metric.stat)
            error, n, load = series.error, len(series.samples), _load_span(series)
        out.append(
            {"metric": metric, "value": value, "verdict": verdict(metric, value), "n": n, "error": error, "load": load}
        )
    return out


def _load_text(load: tuple[float | None, float | None]) -> str:
    before, after = load
    if before is None and after is None:
        return "–"
    return f"{before if before is not None else '?'} → {after if after is not None else '?'}"


def _row_cells(row: dict) -> tuple[str, ...]:
    metric = row["metric"]
    kind = "ratio" if metric.ratio_of or metric.unit == "ratio" else stat_name(metric.stat)
    value = format_value(metric.unit, row["value"]) if row["value"] is not None else f"– ({row['error']})"
    return (
        metric.label,
        metric.target.text if metric.target else "",
        value,
        row["verdict"],
        f"{kind} of {row['n']}" if row["n"] else kind,
        _load_text(row["load"]),
    )


HEADER = ("figure", "target", "value", "verdict", "statistic", "load before → after")


def format_table(table_rows: list[dict]) -> str:
    """A fixed-width text table for the terminal."""
    lines = [_row_cells(row) for row in table_rows]
    widths = [max(len(str(cell)) for cell in column) for column in zip(HEADER, *lines)]

    def fmt(cells):
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()

    return "\n".join([fmt(HEADER), fmt("-" * w for w in widths), *map(fmt, lines)])


def machine_info() -> dict:
    """Where the numbers were taken: they mean little without it."""
    model = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:  # not Linux: platform.processor() is the best we have
        pass
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = None
    return {
        "cores": os.cpu_count(),
        "cpu_model": model,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "loadavg_at_start": load,
        "commit": commit(),
    }


def commit() -> str:
    """The checkout's commit (short), ``+dirty`` when files differ from it; ``?`` outside a git checkout."""
    import subprocess

    here = Path(__file__).resolve().parent.parent

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=here, capture_output=True, text=True, timeout=30).stdout.strip()

    try:
        head = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return "?"
    return (head or "?") + ("+dirty" if dirty else "")


def to_json(
    table_rows: list[dict],
    *,
    machine: dict,
    notes: list[str],
    settings: dict,
    results: dict[str, Series],
    sweeps: dict[str, list[dict]] | None = None,
) -> dict:
    """The artifact: every sample with its load average, the rows as shown, the sweeps.

    Examples
    --------
    >>> fake = {"cpu_ours": Series([30.0, 20.0]), "cpu_floor": Series([20.0, 10.0])}
    >>> doc = to_json(rows(fake), machine={"cores": 2}, notes=[], settings={}, results=fake)
    >>> row = {x["key"]: x for x in doc["rows"]}["cpu_ratio"]
    >>> row["value"], row["pass"], row["target"], row["ratio_of"]
    (1.75, True, 2.0, ['cpu_ours', 'cpu_floor'])
    """
    out_rows = []
    for row in table_rows:
        metric = row["metric"]
        out_rows.append(
            {
                "key": metric.key,
                "label": metric.label,
                "unit": metric.unit,
                "target": metric.target.limit if metric.target else None,
                "target_text": metric.target.text if metric.target else None,
                "stat": stat_name(metric.stat),
                "ratio_of": list(metric.ratio_of) if metric.ratio_of else None,
                "value": row["value"],
                "n": row["n"],
                "error": row["error"],
                "load_before": row["load"][0],
                "load_after": row["load"][1],
                "pass": {"pass": True, "FAIL": False}.get(row["verdict"]),
            }
        )
    return {
        "schema": SCHEMA_VERSION,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine,
        "settings": settings,
        "notes": notes,
        "rows": out_rows,
        "series": {key: s.to_json() for key, s in results.items()},
        "sweeps": sweeps or {},
    }


def markdown(doc: dict) -> str:
    """The performance page's table of one run, from its JSON: machine, load, targets, ratios marked, sweeps.

    Examples
    --------
    >>> fake = {"cpu_ours": Series([30.0], load_before=1.0, load_after=1.4), "cpu_floor": Series([12.0])}
    >>> doc = to_json(rows(fake), machine={"cores": 2, "cpu_model": "X", "python": "3.11.7", "commit": "abc1234",
    ...               "loadavg_at_start": [1.0, 0.9, 0.8]}, notes=[], settings={}, results=fake)
    >>> text = markdown(doc)
    >>> "2 cores (X)" in text and "commit abc1234" in text
    True
    >>> "| Server CPU per Stichtag change ÷ one-slider floor (ratio) | ≤ 2× | 2.50× | **FAIL** | 1.0 → 1.4 |" in text
    True
    """
    machine = doc.get("machine", {})
    start_load = machine.get("loadavg_at_start")
    lines = [
        f"One `make bench` run, {doc.get('created', '?')}, commit {machine.get('commit', '?')}: "
        f"{machine.get('cores', '?')} cores "
        f"({machine.get('cpu_model', '?')}), Python {machine.get('python', '?')}, load average at start "
        f"{' / '.join(str(x) for x in start_load) if start_load else '?'} (1 / 5 / 15 min; other jobs share "
        f'the machine). Medians unless named; "(ratio)" rows are the median of pair ratios: the two '
        f"apps measured in turn, pair by pair, in the same run, which holds up better on a busy machine than "
        f"either figure alone. Load = 1-minute load average just "
        f"before → after each figure. KB = 1000 bytes. Full samples: `artifacts/bench.json`.",
        "",
        "| figure | target | value | verdict | load |",
        "|---|---|---|---|---|",
    ]
    for row in doc.get("rows", []):
        unit = row["unit"]
        ratio = " (ratio)" if row.get("ratio_of") or unit == "ratio" else ""
        value = format_value(unit, row["value"]) if row["value"] is not None else "not measured"
        verdict_text = {True: "pass", False: "**FAIL**", None: "" if row["target"] is None else "n/a"}[row["pass"]]
        load = _load_text((row.get("load_before"), row.get("load_after")))
        lines.append(f"| {row['label']}{ratio} | {row.get('target_text') or ''} | {value} | {verdict_text} | {load} |")
    for name, steps in (doc.get("sweeps") or {}).items():
        if not steps:
            continue
        lines += [
            "",
            f"Load sweep, {name}: change -> page sent, p95 (p50), errors.",
            "",
            "| sessions | " + " | ".join(str(s["sessions"]) for s in steps) + " |",
            "|---|" + "---|" * len(steps),
            "| p95 (p50) | "
            + " | ".join(f"{format_value('ms', s['p95_ms'])} ({format_value('ms', s['p50_ms'])})" for s in steps)
            + " |",
            "| errors | " + " | ".join(str(s["errors"]) for s in steps) + " |",
            "| load | " + " | ".join(_load_text((s.get("load_before"), s.get("load_after"))) for s in steps) + " |",
        ]
    if doc.get("notes"):
        lines += ["", "How each figure was taken:", ""] + [f"- {note}" for note in doc["notes"]]
    return "\n".join(lines) + "\n"


def results_of(doc: dict) -> dict[str, Series]:
    """A run's series back from its JSON, so its rows can be made again (with today's metric list)."""
    return {
        key: Series(
            list(item.get("samples") or []),
            error=item.get("error"),
            load_before=item.get("load_before"),
            load_after=item.get("load_after"),
        )
        for key, item in (doc.get("series") or {}).items()
    }


def side_by_side(docs: list[dict], *, targets_only: bool = False) -> str:
    """Several runs in one table: per figure each run's value, verdict and load; the runs named by time and commit.

    A figure is only as good as its reproduction: two runs side by side show its spread.

    Examples
    --------
    >>> one = {"created": "t1", "machine": {"commit": "abc"}, "series": {
    ...     "cpu_ours": {"samples": [30.0], "load_before": 1.0, "load_after": 1.5},
    ...     "cpu_floor": {"samples": [10.0], "load_before": 1.0, "load_after": 1.5}}}
    >>> two = {"created": "t2", "machine": {"commit": "abc"}, "series": {
    ...     "cpu_ours": {"samples": [36.0], "load_before": 4.0, "load_after": 4.2},
    ...     "cpu_floor": {"samples": [20.0], "load_before": 4.0, "load_after": 4.2}}}
    >>> text = side_by_side([one, two], targets_only=True)
    >>> "run 1: t1, commit abc" in text
    True
    >>> "| Server CPU per Stichtag change ÷ one-slider floor (ratio) | ≤ 2× | 3.00× **FAIL** (1.0 → 1.5) | 1.80× pass (4.0 → 4.2) |" in text
    True
    """
    runs = [rows(results_of(doc)) for doc in docs]
    lines = [
        "; ".join(
            f"run {i + 1}: {doc.get('created', '?')}, commit {doc.get('machine', {}).get('commit', '?')}, "
            f"load at start {' / '.join(str(x) for x in doc.get('machine', {}).get('loadavg_at_start') or []) or '?'}"
            for i, doc in enumerate(docs)
        )
        + ".",
        "",
        "| figure | target | " + " | ".join(f"run {i + 1} (load)" for i in range(len(docs))) + " |",
        "|---|---|" + "---|" * len(docs),
    ]
    for index, metric in enumerate(METRICS):
        if targets_only and metric.target is None:
            continue
        cells = []
        for table in runs:
            row = table[index]
            if row["value"] is None:
                cells.append("not measured")
                continue
            verdict_text = {"pass": " pass", "FAIL": " **FAIL**"}.get(row["verdict"], "")
            cells.append(f"{format_value(metric.unit, row['value'])}{verdict_text} ({_load_text(row['load'])})")
        if all(cell == "not measured" for cell in cells):
            continue
        ratio = " (ratio)" if metric.ratio_of or metric.unit == "ratio" else ""
        target = metric.target.text if metric.target else ""
        lines.append(f"| {metric.label}{ratio} | {target} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def replace_section(text: str, table: str) -> str:
    """``text`` with what lies between the bench markers replaced by ``table``.

    Examples
    --------
    >>> replace_section("a\\n<!-- bench:start -->\\nold\\n<!-- bench:end -->\\nb", "new\\n")
    'a\\n<!-- bench:start -->\\nnew\\n<!-- bench:end -->\\nb'
    """
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"the page has no {README_START} … {README_END} section")
    return text[: start + len(README_START)] + "\n" + table + text[end:]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.report", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "json", nargs="*", type=Path, help="one run's JSON (default artifacts/bench.json), or several side by side"
    )
    parser.add_argument(
        "--readme", type=Path, help="write the table between the bench markers of this page (docs/performance.md)"
    )
    args = parser.parse_args(argv)
    docs = []
    for path in args.json or [Path("artifacts/bench.json")]:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            print(f"benchmarks.report: cannot read {path}: {error}", file=sys.stderr)
            return 2
        if doc.get("schema") != SCHEMA_VERSION:
            print(
                f"benchmarks.report: {path} has schema {doc.get('schema')}, expected {SCHEMA_VERSION}: "
                "rerun make bench",
                file=sys.stderr,
            )
            return 2
        docs.append(doc)
    if len(docs) == 1:
        table = markdown(docs[0])
    else:
        table = "\n".join(
            [side_by_side(docs)] + [f"Run {i + 1} in full:\n\n{markdown(doc)}" for i, doc in enumerate(docs)]
        )
    if args.readme is None:
        sys.stdout.write(table)
        return 0
    try:
        updated = replace_section(args.readme.read_text(encoding="utf-8"), table)
    except ValueError as error:
        print(f"benchmarks.report: {error}", file=sys.stderr)
        return 2
    from loaders.paths import atomic_write

    with atomic_write(args.readme, "w") as handle:
        handle.write(updated)
    print(f"wrote the bench table into {args.readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
