"""The pure part of the benchmark: samples, medians, ratios, targets, table and JSON.

Nothing here starts a server or a browser, so it is unit-tested on fake
numbers (``tests/unit/test_benchmarks.py``). The measuring modules only produce
:class:`Series` values; this module decides what they mean.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import sys
from dataclasses import dataclass, field

# Bump when the JSON layout changes, so readers of old artifacts can tell.
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Target:
    """One budget from issue 3; ``limit`` is in the metric's unit, inclusive."""

    limit: float
    text: str


@dataclass(frozen=True)
class Metric:
    """What one table row measures."""

    key: str
    label: str
    unit: str                      # "bytes", "ms" or "count"
    target: Target | None = None   # None: reported for context, no budget
    stat: int = 50                 # percentile of the samples the row shows; 50 = median


# The budgets, NRW at Gemeinde level, warm cache. "KB" is read as
# 1000 bytes: the stricter of the two readings, so a pass is a pass either way.
METRICS = (
    Metric("geometry_raw", "Geometry to browser (raw)", "bytes", Target(300_000, "<= 300 KB")),
    Metric("geometry_gzip", "Geometry to browser (gzip)", "bytes", Target(100_000, "<= 100 KB")),
    Metric("server_rerun", "Server rerun after Stichtag change", "ms", Target(100, "<= 100 ms")),
    Metric("page_open", "Page open -> map fully drawn", "ms", Target(3000, "<= 3 s")),
    Metric("change", "Stichtag change -> map + figures updated", "ms", Target(500, "<= 500 ms")),
    Metric("ws_change", "Websocket bytes per Stichtag change", "bytes"),
    Metric("ws_open", "Websocket bytes on page open", "bytes"),
    Metric("export_a4_png", "Export A4 300-dpi PNG (NRW)", "ms", Target(2000, "<= 2 s")),
    # Issue 6, "Deutschland" scope: all 8,750 VG250-EW Gemeinden (Bayern missing).
    Metric("de_prepare", "DE: prepare (read, repair, dissolve, simplify)", "ms", Target(10_000, "<= 10 s")),
    Metric("de_geometry_raw", "DE: geometry of all Gemeinden (raw)", "bytes", Target(2_000_000, "<= 2 MB")),
    Metric("de_geometry_gzip", "DE: geometry of all Gemeinden (gzip)", "bytes"),
    Metric("de_server_rerun", "DE: server rerun after Stichtag change", "ms", Target(300, "<= 300 ms")),
    # Issue 6, concurrent viewers over real websocket sessions (benchmarks/sessions.py).
    Metric("load_held", "Concurrent sessions held", "count"),
    Metric("load_change_p50", "Under load: Stichtag change -> page sent", "ms"),
    Metric("load_change_p95", "Under load: Stichtag change -> page sent", "ms", Target(1000, "<= 1 s"), stat=95),
    Metric("load_figure_p95", "Under load: Stichtag change -> new figure", "ms", stat=95),
    Metric("load_open_p95", "Under load: session open -> page sent", "ms", stat=95),
    Metric("load_errors", "Under load: errors", "count", Target(0, "0")),
    Metric("load_memory", "Server memory per added session", "bytes", Target(30_000_000, "<= 30 MB")),
)
METRICS_BY_KEY = {m.key: m for m in METRICS}


@dataclass
class Series:
    """Repeated samples of one quantity, or the reason there are none.

    Examples
    --------
    >>> Series([3.0, 1.0, 2.0]).median
    2.0
    >>> Series([], error="app not committed yet").median is None
    True
    """

    samples: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    def to_json(self) -> dict:
        out = {"median": self.median, "samples": [round(s, 3) for s in self.samples]}
        if self.samples:
            out["min"], out["max"] = min(self.samples), max(self.samples)
        if self.error:
            out["error"] = self.error
        return out


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


def stat_name(q: int) -> str:
    """How a row's statistic is named in the table and the JSON.

    Examples
    --------
    >>> stat_name(50), stat_name(95)
    ('median', 'p95')
    """
    return "median" if q == 50 else f"p{q}"


def ratio(baseline: float | None, ours: float | None) -> float | None:
    """How many times bigger (or slower) the baseline is: baseline / ours.

    Examples
    --------
    >>> ratio(4_300_000, 215_000)
    20.0
    >>> ratio(None, 1.0) is None, ratio(1.0, 0.0) is None
    (True, True)
    """
    if baseline is None or ours is None or ours <= 0:
        return None
    return baseline / ours


def verdict(metric: Metric, value: float | None) -> str:
    """"pass", "FAIL", "n/a" (not measured) or "" (no target).

    Examples
    --------
    >>> verdict(METRICS_BY_KEY["server_rerun"], 100.0), verdict(METRICS_BY_KEY["server_rerun"], 100.5)
    ('pass', 'FAIL')
    >>> verdict(METRICS_BY_KEY["ws_open"], 5.0), verdict(METRICS_BY_KEY["page_open"], None)
    ('', 'n/a')
    """
    if metric.target is None:
        return ""
    if value is None:
        return "n/a"
    return "pass" if value <= metric.target.limit else "FAIL"


def format_value(unit: str, value: float | None) -> str:
    """Human units: bytes as B/KB/MB (1000-based, like the targets), times in ms.

    Examples
    --------
    >>> format_value("bytes", 4_312_000), format_value("bytes", 87_400), format_value("bytes", 512)
    ('4.31 MB', '87.4 KB', '512 B')
    >>> format_value("ms", 1234.6), format_value("ms", 3.21), format_value("ms", None)
    ('1235 ms', '3.2 ms', '–')
    """
    if value is None:
        return "–"
    if unit == "count":
        return f"{value:.0f}"
    if unit == "bytes":
        if value >= 1_000_000:
            return f"{value / 1_000_000:.2f} MB"
        if value >= 1_000:
            return f"{value / 1_000:.1f} KB"
        return f"{value:.0f} B"
    return f"{value:.1f} ms" if value < 10 else f"{value:.0f} ms"


def rows(results: dict[str, dict[str, Series]]) -> list[dict]:
    """One row per metric: the metric's statistic (median or a percentile), ratio and verdicts.

    ``results`` maps metric key -> {"baseline": Series, "ours": Series}; a
    missing side counts as not measured.
    """
    out = []
    for metric in METRICS:
        sides = results.get(metric.key, {})
        base, ours = sides.get("baseline", Series()), sides.get("ours", Series())
        base_value, ours_value = percentile(base.samples, metric.stat), percentile(ours.samples, metric.stat)
        out.append({
            "metric": metric,
            "baseline": base,
            "ours": ours,
            "baseline_value": base_value,
            "ours_value": ours_value,
            "ratio": ratio(base_value, ours_value),
            "verdict": verdict(metric, ours_value),
            "baseline_verdict": verdict(metric, base_value),
        })
    return out


def format_table(table_rows: list[dict]) -> str:
    """A fixed-width text table for the terminal.

    Examples
    --------
    >>> fake = {"server_rerun": {"baseline": Series([1200.0, 1300.0, 1250.0]), "ours": Series([20.0])}}
    >>> line = [l for l in format_table(rows(fake)).splitlines() if l.startswith("Server")][0]
    >>> "1250 ms" in line and "62.5x" in line and line.rstrip().endswith("pass")
    True
    """
    header = ("metric", "target", "baseline", "ours", "baseline/ours", "ours vs target")
    lines = []
    for row in table_rows:
        metric = row["metric"]
        base, ours = row["baseline"], row["ours"]
        n = max(len(base.samples), len(ours.samples))
        label = metric.label + (f" ({stat_name(metric.stat)} of {n})" if n > 1 else "")
        lines.append((
            label,
            metric.target.text if metric.target else "",
            format_value(metric.unit, row["baseline_value"]) + (f" [{row['baseline_verdict']}]" if metric.target else ""),
            format_value(metric.unit, row["ours_value"]),
            f"{row['ratio']:.1f}x" if row["ratio"] is not None else "–",
            row["verdict"],
        ))
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines)]

    def fmt(cells):
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()

    return "\n".join([fmt(header), fmt("-" * w for w in widths), *map(fmt, lines)])


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
        load = os.getloadavg()
    except OSError:
        load = None
    return {
        "cores": os.cpu_count(),
        "cpu_model": model,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "loadavg_at_start": load,
    }


def to_json(table_rows: list[dict], *, machine: dict, notes: list[str], settings: dict) -> dict:
    """The artifact: every sample, not only the medians, so noise stays visible.

    Examples
    --------
    >>> fake = {"change": {"baseline": Series([2000.0]), "ours": Series([700.0, 600.0])}}
    >>> doc = to_json(rows(fake), machine={"cores": 2}, notes=[], settings={})
    >>> m = {x["key"]: x for x in doc["metrics"]}["change"]
    >>> m["ours"]["median"], m["pass"], m["target"]
    (650.0, False, 500)
    """
    metrics = []
    for row in table_rows:
        metric = row["metric"]
        metrics.append({
            "key": metric.key,
            "label": metric.label,
            "unit": metric.unit,
            "target": metric.target.limit if metric.target else None,
            "stat": stat_name(metric.stat),
            "baseline": row["baseline"].to_json() | {"value": row["baseline_value"]},
            "ours": row["ours"].to_json() | {"value": row["ours_value"]},
            "ratio_baseline_over_ours": row["ratio"],
            "pass": {"pass": True, "FAIL": False}.get(row["verdict"]),
            "baseline_pass": {"pass": True, "FAIL": False}.get(row["baseline_verdict"]),
        })
    return {
        "schema": SCHEMA_VERSION,
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine,
        "settings": settings,
        "notes": notes,
        "metrics": metrics,
    }
