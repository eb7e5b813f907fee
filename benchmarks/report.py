"""The pure part of the benchmark: samples, medians, ratios, targets, table and JSON.

Nothing here starts a server or a browser, so it is unit-tested on fake
numbers (``tests/test_benchmarks.py``). The measuring modules only produce
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
    unit: str                      # "bytes" or "ms"
    target: Target | None = None   # None: reported for context, no budget


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
    if unit == "bytes":
        if value >= 1_000_000:
            return f"{value / 1_000_000:.2f} MB"
        if value >= 1_000:
            return f"{value / 1_000:.1f} KB"
        return f"{value:.0f} B"
    return f"{value:.1f} ms" if value < 10 else f"{value:.0f} ms"


def rows(results: dict[str, dict[str, Series]]) -> list[dict]:
    """One row per metric: medians, ratio and the verdict for ours (and the baseline).

    ``results`` maps metric key -> {"baseline": Series, "ours": Series}; a
    missing side counts as not measured.
    """
    out = []
    for metric in METRICS:
        sides = results.get(metric.key, {})
        base, ours = sides.get("baseline", Series()), sides.get("ours", Series())
        out.append({
            "metric": metric,
            "baseline": base,
            "ours": ours,
            "ratio": ratio(base.median, ours.median),
            "verdict": verdict(metric, ours.median),
            "baseline_verdict": verdict(metric, base.median),
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
        label = metric.label + (f" (median of {n})" if n > 1 else "")
        lines.append((
            label,
            metric.target.text if metric.target else "",
            format_value(metric.unit, base.median) + (f" [{row['baseline_verdict']}]" if metric.target else ""),
            format_value(metric.unit, ours.median),
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
            "baseline": row["baseline"].to_json(),
            "ours": row["ours"].to_json(),
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
