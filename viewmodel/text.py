"""The words of a view: legend, tooltips, figures line, subtitle and currency notice.

Pure functions of the view model's rows and figures, in German or English.
Tooltips are HTML (they are shown as such by the map): every value from data
passes through :func:`html.escape` here and nowhere else; every other text is
plain and is escaped by whoever inserts it into markup.
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

from loaders.numbers import format_decimal
from viewmodel.i18n import evidence_label, format_date, format_int, format_partial, t

STATUS_ORDER = ("member", "full", "via_kreis", "partial", "new", "undated", "not_yet")


def status_label(status: str, level: str, compare: dt.date | None = None, lang: str = "de") -> str:
    """The legend and tooltip words for a status at a level.

    Examples
    --------
    >>> status_label("not_yet", "gemeinde"), status_label("not_yet", "kreis")
    ('noch nicht abgedeckt', 'keine Gemeinde abgedeckt')
    >>> status_label("new", "kreis", dt.date(2024, 1, 31), "en")
    'new since 31 January 2024'
    """
    if status == "new":
        return t("status_new", lang, date=format_date(compare, lang) if compare else "–")
    if status == "not_yet" and level != "gemeinde":
        return t("status_not_yet_aggregate", lang)
    return t(f"status_{status}", lang)


def legend(
    level: str, statuses, *, compare: dt.date | None, hatched: bool, region: str | None, lang: str = "de"
) -> list[dict]:
    """Legend entries ``{"status", "label", "inferred"}`` for the statuses a view shows.

    Examples
    --------
    >>> [e["status"] for e in legend("gemeinde", {"member", "not_yet"}, compare=None, hatched=True, region="057")]
    ['member', 'not_yet', 'hatch', 'muted']
    """
    shown = set(statuses)
    out = [
        {"status": status, "label": status_label(status, level, compare, lang), "inferred": False}
        for status in STATUS_ORDER
        if status in shown
    ]
    if hatched:
        out.append({"status": "hatch", "label": t("legend_hatch", lang), "inferred": True})
    if region:
        out.append({"status": "muted", "label": t("legend_muted", lang), "inferred": False})
    return out


def people(value: int, lang: str = "de") -> str:
    """A population as a newsroom writes it: millions with two decimals, else in full.

    Examples
    --------
    >>> people(2087744), people(18190422, "en"), people(345678)
    ('2,09 Mio.', '18.19 m', '345.678')
    """
    if value >= 1_000_000:
        return t("millions", lang, value=format_decimal(value / 1_000_000, 2, lang))
    return format_int(value, lang)


def figures_line(now: dict, then: dict | None = None, lang: str = "de") -> str:
    """The headline figures with their documented part (app, every export, CLI).

    Examples
    --------
    >>> figures_line({"gemeinden_covered": 396, "gemeinden_total": 396, "gemeinden_covered_documented": 23,
    ...               "population_covered": 18190422})
    'Abgedeckt: 396 von 396 Gemeinden · davon 23 einzeln belegt · 18,19 Mio. Einwohner'
    """
    fields = {
        "covered": format_int(now["gemeinden_covered"], lang),
        "total": format_int(now["gemeinden_total"], lang),
        "documented": format_int(now["gemeinden_covered_documented"], lang),
        "population": people(now["population_covered"], lang),
    }
    if then is None:
        return t("figures_line", lang, **fields)
    return t(
        "figures_line_compare",
        lang,
        before=format_int(then["gemeinden_covered"], lang),
        population_before=people(then["population_covered"], lang),
        **fields,
    )


def subtitle(date: dt.date, compare: dt.date | None, region_name: str, evidence: str, lang: str = "de") -> str:
    """ "Stand: …" with the compare date, the region and the evidence filter."""
    parts = [t("stand", lang, date=format_date(date, lang))]
    if compare is not None:
        parts.append(t("subtitle_compare", lang, date=format_date(compare, lang)))
    parts.append(region_name)
    if evidence == "documented":
        parts.append(t("subtitle_documented", lang))
    return " · ".join(parts)


def currency(date: dt.date, newest: dt.date | None, lang: str = "de") -> str | None:
    """A notice when the Stichtag lies after everything the sources document, else None.

    Examples
    --------
    >>> currency(dt.date(2026, 12, 1), dt.date(2024, 2, 1)).startswith("Keine belegten Beitritte")
    True
    >>> currency(dt.date(2024, 2, 1), dt.date(2024, 2, 1)) is None
    True
    """
    if newest is None or date <= newest:
        return None
    return t("currency", lang, date=format_date(newest, lang))


def date_text(since, precision, certain_by, lang: str) -> str:
    """A coverage date at its precision, with the day a source proves it by.

    Examples
    --------
    >>> date_text("2023-10", "month", "2023-10-21", "de")
    'Oktober 2023, belegt spätestens am 21. Oktober 2023'
    """
    text = format_partial(since or "", precision or "unknown", lang)
    if certain_by:
        return t("tip_certain_by", lang, date=text, proven=format_date(dt.date.fromisoformat(certain_by), lang))
    return text


def status_text(unit, level: str, compare: dt.date | None, lang: str) -> str:
    """A unit's status in words, with "new since" and its evidence (tooltip and table view alike)."""
    status = status_label(unit.status, level, compare, lang)
    if unit.new:
        status += " – " + status_label("new", level, compare, lang)
    if unit.evidence:
        status += f" – {evidence_label(unit.evidence, lang)}"
    return status


def tooltip_lines(
    units: pd.DataFrame,
    level: str,
    compare: dt.date | None,
    lang: str,
    kreis_names: dict[str, str],
    kreisfrei: frozenset,
) -> list[tuple[list[str], list[str]]]:
    """Per row: the tooltip's *fixed* lines and its *per-state* lines, each an escaped HTML line.

    The fixed part (name, key, Kreis) never changes with the Stichtag, so the
    map gets it once with its geometry; the per-state part (status, dates,
    sources, other paths, the body's own accession, counts) is the same text
    for the same coverage state, so the map receives only line numbers into a
    table of such lines (:mod:`viewmodel.tips`). ``tooltips`` joins both.

    Examples
    --------
    >>> row = pd.DataFrame([{"key": "057", "name": "Detmold", "status": "full", "new": False, "evidence": None,
    ...     "gemeinden_covered": 70, "gemeinden_total": 70, "gemeinden_covered_documented": 1,
    ...     "body_member": False, "body_member_undated": False, "body_member_source": None}])
    >>> fixed, per_state = tooltip_lines(row, "regierungsbezirk", None, "de", {}, frozenset())[0]
    >>> fixed, per_state[0]
    (['<b>Detmold</b> (057)'], 'Status: alle Gemeinden abgedeckt')
    """
    esc = html.escape
    word = {
        key: esc(t(key, lang))
        for key in (
            "tip_kreis",
            "tip_kreisfrei",
            "tip_status",
            "tip_since",
            "tip_evidence",
            "tip_source",
            "tip_gemeinden",
            "tip_also",
        )
    }
    out = []
    for unit in units.itertuples(index=False):
        head = [f"<b>{esc(str(unit.name))}</b> ({esc(unit.key)})"]
        if level == "gemeinde":
            kreis = (
                word["tip_kreisfrei"]
                if unit.kreis_key in kreisfrei
                else esc(str(kreis_names.get(unit.kreis_key, unit.kreis_key)))
            )
            head.append(f"{word['tip_kreis']}: {kreis}")
        lines = [f"{word['tip_status']}: {esc(status_text(unit, level, compare, lang))}"]
        if level == "gemeinde":
            if unit.since is not None or unit.precision is not None:
                lines.append(
                    f"{word['tip_since']}: {esc(date_text(unit.since, unit.precision, unit.certain_by, lang))}"
                )
            if unit.source:
                lines.append(f"{word['tip_source']}: {esc(str(unit.source))}")
            for path, row in unit.also:
                lines.append(
                    f"{word['tip_also']}: "
                    + esc(
                        t(
                            "path_value",
                            lang,
                            path=t(f"path_{path}", lang),
                            date=date_text(row["since"], row["precision"], row["certain_by"], lang),
                            evidence=evidence_label(row["evidence"], lang),
                            source=row["source"],
                        )
                    )
                )
            if unit.kreis_undated:
                lines.append(f"<i>{esc(t('kreis_undated', lang, name=kreis_names.get(unit.kreis_key, '')))}</i>")
        else:
            count = t(
                "tip_gemeinden_value",
                lang,
                n=format_int(unit.gemeinden_covered, lang),
                total=format_int(unit.gemeinden_total, lang),
                documented=format_int(unit.gemeinden_covered_documented, lang),
            )
            lines.append(f"{word['tip_gemeinden']}: {esc(count)}")
        body = _body_line(unit, level, lang, kreisfrei)
        if body:
            lines.append(body)
        out.append((head, lines))
    return out


def _body_line(unit, level: str, lang: str, kreisfrei: frozenset) -> str | None:
    """The body's own accession in words: "Kreisverwaltung: Mitglied seit … (einzeln belegt) – Quelle: …"."""
    esc = html.escape
    if level == "gemeinde" and unit.body_member is not None and not unit.body_member_undated:
        return None  # its status, date and "also" lines already name every dated accession of its own
    body = "body_kreisfrei" if level == "kreis" and unit.key in kreisfrei else f"body_{level}"
    if unit.body_member is True:
        text = t(
            "body_member",
            lang,
            date=format_partial(unit.body_member_since or "", unit.body_member_precision or "unknown", lang),
            evidence=evidence_label(unit.body_member_evidence, lang),
        )
        if unit.body_member_undated and unit.body_member_evidence == "inferred":
            text += "; " + t("body_undated", lang)
    elif unit.body_member is None:
        text = t("body_undated", lang)
    else:
        text = t("body_not_member", lang)
    line = f"{esc(t(body, lang))}: {esc(text)}"
    if unit.body_member_source and level != "gemeinde":
        line += f"<br>{esc(t('tip_source', lang))}: {esc(str(unit.body_member_source))}"
    return line
