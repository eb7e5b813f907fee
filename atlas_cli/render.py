"""What the command line prints: coverage rows as a table, CSV or JSON; an error as one line.

>>> one_line(ValueError("row 3:\\n  bad   date"))
'row 3: bad date'
>>> plain(float("nan")) is None, plain(2.345)
(True, 2.35)
"""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

from loaders.tables import csv_safe

OUTPUT_FIELDS = [
    "key",
    "name",
    "level",
    "status",
    "evidence",
    "member",
    "member_since",
    "member_precision",
    "member_evidence",
    "member_source",
    "gemeinden_total",
    "gemeinden_covered",
    "gemeinden_covered_documented",
    "population_total",
    "population_covered",
    "population_covered_documented",
    "area_km2_total",
    "area_km2_covered",
    "area_km2_covered_documented",
    "body_member",
    "body_member_since",
    "body_member_precision",
    "body_member_evidence",
    "body_member_source",
]
GEMEINDE_FIELDS = ["kreis_key", "via"]


def one_line(error: BaseException) -> str:
    """A message as one line, cut to a length a terminal shows: file content can end up in it."""
    text = " ".join(str(error).split())
    return text if len(text) <= 500 else text[:499] + "…"


def plain(value: Any) -> Any:
    """numpy / pandas scalars to JSON-friendly Python values."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 2)
    return value


def coverage_records(rows: list[dict[str, Any]], fields: list[str]) -> list[dict[str, Any]]:
    """Rows of a coverage frame cut to ``fields``, their values plain."""
    return [{f: plain(row[f]) for f in fields} for row in rows]


def render(records: list[dict[str, Any]], fmt: str, fields: list[str]) -> str:
    """Coverage rows for the terminal: ``table`` (readable), ``csv`` (formula-safe cells) or ``json``."""
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: csv_safe(v) for k, v in r.items()} for r in records)
        return buffer.getvalue()
    columns = ["key", "name", "member_since", "gemeinden", "davon belegt", "population", "share"]
    rows = [
        [
            r["key"],
            r["name"],
            r["member_since"] or ("unbekannt" if r["member"] is None and r["level"] != "land" else "–"),
            f"{r['gemeinden_covered']}/{r['gemeinden_total']}",
            str(r["gemeinden_covered_documented"]),
            f"{r['population_covered']:,}/{r['population_total']:,}",
            f"{100 * r['population_covered'] / r['population_total']:.1f} %",
        ]
        for r in records
    ]
    widths = [max(len(str(x)) for x in [c] + [row[i] for row in rows]) for i, c in enumerate(columns)]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip() for line in [columns] + rows]
    return "\n".join(lines) + "\n"
