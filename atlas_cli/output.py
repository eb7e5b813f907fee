"""What the command line prints: coverage rows as a table, CSV or JSON; an error as one line.

The rows are the view model's, as every data export writes them
(:func:`exports.data.data_rows`): the same fields, names and evidence; the
table view says them in the vocabulary's words (:mod:`viewmodel.text`) and the
language's number format.

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


def one_line(error: BaseException) -> str:
    """A message as one line, cut to a length a terminal shows: file content can end up in it."""
    text = " ".join(str(error).split())
    return text if len(text) <= 500 else text[:499] + "…"


def plain(value: Any) -> Any:
    """Convert numpy and pandas scalars to JSON-friendly Python values."""
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
    """Coverage rows for a program: ``csv`` (formula-safe cells) or ``json``."""
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: csv_safe(v) for k, v in r.items()} for r in records)
    return buffer.getvalue()


def table_text(units, words) -> str:
    """Coverage rows for a person: status and evidence in words, documented and inferred dates told apart.

    ``units`` is the view model's unit table (:func:`viewmodel.model.unit_rows`), ``words`` its
    :class:`viewmodel.text.Words`.
    """
    from viewmodel.i18n import format_int, format_pct, t
    from viewmodel.text import body_label, body_text, count_label, count_text, date_text, evidence_word

    lang, level = words.lang, words.level
    columns = [t("col_key", lang), t("col_name", lang), t("col_status", lang)]
    if level == "gemeinde":
        columns += [t("col_since", lang), t("col_population", lang)]
    else:
        columns += [t("col_body", lang), count_label(words), t("col_population", lang), t("axis_share", lang)]
    rows = []
    for unit in units.itertuples(index=False):
        row = [unit.key, str(unit.name), unit.status_text]
        if level == "gemeinde" and unit.body_member_undated and unit.status != "undated":
            # A documented membership without a date beside the status it does not count for.
            row[2] += f"; {body_label(level, unit.key, frozenset(), lang)}: {t('body_undated', lang)}"
        if level == "gemeinde":
            # The date with the evidence it rests on: a documented and an inferred date never look alike.
            dated = unit.since is not None or unit.precision is not None
            since = date_text(unit.since, unit.precision, unit.certain_by, lang) if dated else "–"
            if dated and unit.evidence:
                since += f" ({evidence_word(unit.evidence, lang, via=unit.via)})"
            row += [since, format_int(unit.population_covered, lang)]
        else:
            share = unit.population_covered / unit.population_total if unit.population_total else 0.0
            row += [
                body_text(unit, words) if level != "land" else "–",
                count_text(unit, words),
                f"{format_int(unit.population_covered, lang)} / {format_int(unit.population_total, lang)}",
                format_pct(share, lang),
            ]
        rows.append(row)
    widths = [max(len(str(x)) for x in [c] + [row[i] for row in rows]) for i, c in enumerate(columns)]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip() for line in [columns] + rows]
    return "\n".join(lines) + "\n"
