"""The vocabulary of the atlas: every word a view says about a unit, its coverage and its evidence.

One place for the words the tooltip, the legend, the description, the tables,
the members list, every export's text columns, the pictures and ``sid-atlas
coverage`` say; the translations are :data:`viewmodel.i18n.TEXTS`. The rules:

- **A status carries its evidence, always.** Evidence of a Gemeinde's coverage
  is *einzeln belegt* (its own accession is documented), *über den Kreis
  belegt* (its Kreis's accession is documented) or *abgeleitet aus dem Beitritt
  des RB … (date)* (inferred from a regional event). An inferred unit is never
  "Mitglied" or "eigener Beitritt" without that word: it is *abgedeckt –
  abgeleitet aus …*; "Mitglied – einzeln belegt" is for documented ones only.
- **Documented coverage is split** wherever it is counted: "davon 23 belegt:
  13 einzeln, 10 über den Kreis" — "einzeln" is never said of a Gemeinde
  documented through its Kreis.
- **Under "nur belegte Beitritte"** a unit without a documented membership is
  *nicht einzeln belegt* — never "nicht abgedeckt" or "nicht Mitglied": the
  sources say nothing about it one by one — and where an inference exists the
  words say so ("– abgeleitet abgedeckt seit …").
- **"Neu seit …"** marks a unit whose coverage rose since the compare date; it
  is said after the status, never instead of it (the map keeps the status's
  fill and adds an outline).
- **The Datenstand** (:func:`loaders.provenance.data_as_of`) is named in every
  view, and a Stichtag after it is said to show the Datenstand's figures.
- Dates in sentences are written in the language's own form
  (:func:`viewmodel.i18n.format_date`, :func:`~viewmodel.i18n.format_partial`).

Tooltips are HTML (the map shows them as such): every value from data passes
through :func:`html.escape` here and nowhere else; every other text is plain
and is escaped by whoever inserts it into markup.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

import pandas as pd

from loaders.coverage import Summary
from loaders.numbers import format_decimal
from loaders.provenance import DataAsOf, DataVersion
from viewmodel.i18n import format_date, format_int, format_partial, t

# The order of the legend (and of the statuses a map shows).
STATUS_ORDER = ("member", "full", "via_kreis", "partial", "undated", "not_yet")


class DocumentedSplit(TypedDict):
    """How the documented Gemeinden of a view are documented, and how many rest on inference alone."""

    gemeinden_documented_one_by_one: int
    gemeinden_documented_via_kreis: int
    gemeinden_inferred_only: int  # covered by inference alone, under any evidence filter


class Figures(Summary, DocumentedSplit):
    """:meth:`Coverage.summary <loaders.coverage.Coverage.summary>` with its :class:`DocumentedSplit`."""


class LegendEntry(TypedDict):
    """One legend entry in display order: a status (or "new", "muted"), its plain-text label, hatched or not."""

    status: str
    label: str
    inferred: bool


@dataclass(frozen=True)
class Event:
    """A regional event (``geodata/events.csv``): the Regierungsbezirk, its day and its source."""

    region: str
    day: dt.date
    source: str


@dataclass(frozen=True)
class Words:
    """What a view's words depend on besides the unit: level, evidence filter, language, compare date, events."""

    level: str
    evidence: str = "all"
    lang: str = "de"
    compare: dt.date | None = None
    events: Mapping[str, Event] = field(default_factory=dict, compare=False, hash=False)

    @property
    def documented_only(self) -> bool:
        """Whether the view counts documented accessions only."""
        return self.evidence == "documented"


def events_from(frame: pd.DataFrame) -> dict[str, Event]:
    """``loaders.accessions.read_events()`` as :class:`Event` by id.

    Examples
    --------
    >>> from loaders.accessions import read_events
    >>> events_from(read_events())["rb057"].region
    'Detmold'
    """
    return {
        str(row.event): Event(str(row.region), dt.date.fromisoformat(str(row.date)), str(row.source))
        for row in frame.itertuples(index=False)
    }


# -- the evidence filter and evidence words ---------------------------------------------------------
def filter_label(evidence: str, lang: str = "de") -> str:
    """The evidence filter's name — the one place it is spelled (sidebar, subtitle, description, exports).

    Examples
    --------
    >>> filter_label("documented"), filter_label("all", "en")
    ('nur belegte Beitritte', 'all accessions, including inferred')
    """
    return t(f"evidence_{evidence}", lang)


def _event(event: str | None, w: Words) -> Event | None:
    return w.events.get(event) if event else None


def _about(event: str | None, w: Words, keys: tuple[str, str, str], *, with_date: bool) -> str:
    """Words about a regional event: ``keys`` = (unknown event, event without day, event with day)."""
    found = _event(event, w)
    if found is None:
        return t(keys[0], w.lang)
    if not with_date:
        return t(keys[1], w.lang, region=found.region)
    return t(keys[2], w.lang, region=found.region, date=format_date(found.day, w.lang))


def derived(event: str | None, w: Words, *, with_date: bool = True) -> str:
    """ "abgeleitet aus dem Beitritt des RB Detmold (1. Februar 2024)" — or plain "abgeleitet" when the event is unknown.

    Examples
    --------
    >>> w = Words("gemeinde", events={"rb057": Event("Detmold", dt.date(2024, 2, 1), "ots")})
    >>> derived("rb057", w), derived("rb057", w, with_date=False), derived(None, w)
    ('abgeleitet aus dem Beitritt des RB Detmold (1. Februar 2024)', 'abgeleitet aus dem Beitritt des RB Detmold', 'abgeleitet')
    """
    return _about(event, w, ("ev_inferred", "ev_derived_short", "ev_derived"), with_date=with_date)


def _derived_of_many(event: str | None, w: Words) -> str:
    """The inference behind several Gemeinden: one event named, else "aus regionalen Beitritten"."""
    return derived(event, w) if _event(event, w) else t("ev_derived_many", w.lang)


def _event_phrase(event: str | None, w: Words, *, with_date: bool = True) -> str:
    """ "Beitritt des RB Detmold, 1. Februar 2024" (or without the day), or "regionale Beitritte"."""
    return _about(event, w, ("events_many", "event_short", "event_of"), with_date=with_date)


def evidence_word(evidence: str | None, lang: str = "de", *, via: str | None = None) -> str:
    """The evidence of one coverage or membership: "einzeln belegt", "über den Kreis belegt", "abgeleitet".

    Examples
    --------
    >>> evidence_word("documented"), evidence_word("documented", via="kreis"), evidence_word("inferred", "en")
    ('einzeln belegt', 'über den Kreis belegt', 'inferred')
    """
    if evidence == "inferred":
        return t("ev_inferred", lang)
    if evidence != "documented":
        return ""
    return t("ev_via_kreis" if via == "kreis" else "ev_one_by_one", lang)


# The words for how documented Gemeinden are documented: one by one, through the Kreis, or both.
_WAYS = {"evidence": ("ev_one_by_one", "ev_via_kreis", "ev_both"), "how": ("how_own", "how_via_kreis", "how_both")}


def _split_word(one_by_one: int, via_kreis: int, lang: str, words: str = "evidence") -> str:
    """How a set of documented Gemeinden is documented, as an evidence word ("über den Kreis belegt")."""
    own, via, both = _WAYS[words]
    return t(own if via_kreis == 0 else via if one_by_one == 0 else both, lang)


def how_documented(one_by_one: int, via_kreis: int, lang: str) -> str:
    """How, where the words already say "belegt": "einzeln", "über den Kreis", "einzeln und über den Kreis"."""
    return _split_word(one_by_one, via_kreis, lang, "how")


def how_counted(one_by_one: int, via_kreis: int, lang: str) -> str:
    """How, with counts where both ways occur: "13 einzeln, 10 über den Kreis" — else as :func:`how_documented`."""
    if one_by_one and via_kreis:
        return t("how_counts", lang, own=format_int(one_by_one, lang), via=format_int(via_kreis, lang))
    return how_documented(one_by_one, via_kreis, lang)


def documented_count(documented: int, one_by_one: int, via_kreis: int, lang: str = "de", *, split: bool = True) -> str:
    """A count of documented Gemeinden: "einzeln" only where all are, else split (or, short, just "belegt").

    Examples
    --------
    >>> documented_count(23, 13, 10), documented_count(1, 1, 0), documented_count(10, 0, 10, "en")
    ('23 belegt: 13 einzeln, 10 über den Kreis', '1 einzeln belegt', '10 documented through their district')
    >>> documented_count(0, 0, 0), documented_count(23, 13, 10, split=False)
    ('0 belegt', '23 belegt')
    """
    n = format_int(documented, lang)
    if documented == 0 or (one_by_one and via_kreis and not split):
        return t("count_documented_none" if documented == 0 else "count_documented_short", lang, n=n)
    if via_kreis == 0:
        return t("count_one_by_one", lang, n=n)
    if one_by_one == 0:
        return t("count_via_kreis", lang, n=n)
    how = t("how_counts", lang, own=format_int(one_by_one, lang), via=format_int(via_kreis, lang))
    return t("count_both", lang, n=n, how=how)


def rest_count(rest: int, inferred: int, lang: str) -> str:
    """The Gemeinden without documented coverage, and how many of them an inference covers."""
    if inferred == rest:
        return t("count_rest_all_inferred", lang, n=format_int(rest, lang))
    if inferred:
        return t("count_rest_inferred", lang, n=format_int(rest, lang), inferred=format_int(inferred, lang))
    return t("count_rest", lang, n=format_int(rest, lang))


# -- a unit's status ------------------------------------------------------------------------------
def status_text(unit: Any, w: Words) -> str:
    """A unit's status in words with its evidence (tooltip, map table, CSV/XLSX/GeoJSON ``status_text``, CLI).

    ``unit`` is a row of the view model's unit table (:func:`viewmodel.model.unit_table`).

    Examples
    --------
    >>> from types import SimpleNamespace as Unit
    >>> w = Words("gemeinde", events={"rb057": Event("Detmold", dt.date(2024, 2, 1), "ots")})
    >>> lage = Unit(status="member", evidence="documented", via="gemeinde", event="rb057", new=False,
    ...             body_member_undated=False, inferred_event=None, inferred_since=None)
    >>> status_text(lage, w)
    'Mitglied – einzeln belegt'
    >>> bielefeld = Unit(status="member", evidence="inferred", via="gemeinde", event="rb057", new=False,
    ...                  body_member_undated=False, inferred_event="rb057", inferred_since="2024-02-01")
    >>> status_text(bielefeld, w)
    'abgedeckt – abgeleitet aus dem Beitritt des RB Detmold (1. Februar 2024)'
    >>> only = Words("gemeinde", "documented", events=w.events)
    >>> status_text(Unit(**{**vars(bielefeld), "status": "not_yet", "evidence": None, "via": None}), only)
    'nicht einzeln belegt – abgeleitet abgedeckt seit 1. Februar 2024 (Beitritt des RB Detmold)'
    """
    text = _gemeinde_status(unit, w) if w.level == "gemeinde" else _aggregate_status(unit, w)
    if unit.new:
        text += " – " + t("st_new", w.lang, date=format_date(w.compare, w.lang) if w.compare else "–")
    return text


def _gemeinde_status(unit: Any, w: Words) -> str:
    lang = w.lang
    if unit.status in ("member", "via_kreis"):
        if unit.evidence == "documented":
            if unit.via == "kreis":
                return t("st_covered", lang, evidence=t("ev_via_kreis", lang))
            return t("st_member", lang, evidence=t("ev_one_by_one", lang))
        key = "st_covered" if unit.status == "member" else "st_covered_via_kreis"
        return t(key, lang, evidence=derived(unit.event, w))
    if unit.status == "undated":
        text = t("st_undated_own" if unit.body_member_undated else "st_undated_kreis", lang)
    else:
        text = t("st_not_documented" if w.documented_only else "st_not_yet", lang)
    if w.documented_only and unit.inferred_since:
        since = format_partial(unit.inferred_since, "day", lang)
        text += " – " + t(
            "st_inferred_besides", lang, date=since, event=_event_phrase(unit.inferred_event, w, with_date=False)
        )
    return text


_AGGREGATE_LABELS = {
    "all": {"full": "st_full", "partial": "st_partial", "not_yet": "st_none", "undated": "st_undated"},
    "documented": {
        "full": "st_full_documented",
        "partial": "st_partial_documented",
        "not_yet": "st_none_documented",
        "undated": "st_undated",
    },
}


def _aggregate_status(unit: Any, w: Words) -> str:
    lang = w.lang
    text = t(_AGGREGATE_LABELS[w.evidence][unit.status], lang)
    covered, documented = int(unit.gemeinden_covered), int(unit.gemeinden_covered_documented)
    one_by_one, via_kreis = int(unit.gemeinden_documented_one_by_one), int(unit.gemeinden_documented_via_kreis)
    if covered and not w.documented_only:
        if documented == covered:
            text += " – " + _split_word(one_by_one, via_kreis, lang)
        elif documented == 0:
            text += " – " + _derived_of_many(unit.inferred_event, w)
        else:
            text += " – " + t("ev_partly", lang, derived=_derived_of_many(unit.inferred_event, w))
    elif covered:
        text += f" ({how_documented(one_by_one, via_kreis, lang)})"
    inferred = int(unit.inferred_rest)
    if w.documented_only and inferred:
        # What an inference covers besides; the counts are the count line's (count_text).
        every = inferred == int(unit.gemeinden_total) - documented
        key = (
            ("st_others_inferred" if every else "st_some_others_inferred")
            if documented
            else ("st_all_inferred" if every else "st_some_inferred")
        )
        text += " – " + t(key, lang, event=_event_phrase(unit.inferred_event, w))
    return text


def unit_evidence(unit: Any, w: Words) -> str:
    """The evidence column of the map table: how the unit's coverage is known ("" when not covered).

    Examples
    --------
    >>> from types import SimpleNamespace as Unit
    >>> unit_evidence(Unit(evidence="documented", via="kreis"), Words("gemeinde"))
    'über den Kreis belegt'
    """
    if not unit.evidence:
        return ""
    if w.level == "gemeinde":
        return evidence_word(unit.evidence, w.lang, via=unit.via)
    if unit.evidence == "documented":
        return _split_word(int(unit.gemeinden_documented_one_by_one), int(unit.gemeinden_documented_via_kreis), w.lang)
    if int(unit.gemeinden_covered_documented):
        return t("ev_partly", w.lang, derived=t("ev_inferred", w.lang))
    return t("ev_inferred", w.lang)


def count_label(w: Words) -> str:
    """The name of a unit's Gemeinden count: "Gemeinden abgedeckt", or "… belegt abgedeckt" under documented."""
    return t("tip_gemeinden_documented" if w.documented_only else "tip_gemeinden", w.lang)


def count_text(unit: Any, w: Words) -> str:
    """A Kreis's or Bezirk's Gemeinden: how many are covered and how the covered ones are known.

    Examples
    --------
    >>> from types import SimpleNamespace as Unit
    >>> rb = Unit(gemeinden_covered=78, gemeinden_total=78, gemeinden_covered_documented=12,
    ...           gemeinden_documented_one_by_one=2, gemeinden_documented_via_kreis=10, inferred_rest=66)
    >>> count_text(rb, Words("regierungsbezirk"))
    '78 von 78, davon 12 belegt: 2 einzeln, 10 über den Kreis'
    >>> count_text(rb, Words("regierungsbezirk", "documented"))
    '12 von 78 (2 einzeln, 10 über den Kreis); 66 nicht einzeln belegt, abgeleitet abgedeckt'
    """
    lang = w.lang
    total = int(unit.gemeinden_total)
    documented = int(unit.gemeinden_covered_documented)
    one_by_one, via_kreis = int(unit.gemeinden_documented_one_by_one), int(unit.gemeinden_documented_via_kreis)
    if not w.documented_only:
        return t(
            "count_covered",
            lang,
            n=format_int(unit.gemeinden_covered, lang),
            total=format_int(total, lang),
            documented=documented_count(documented, one_by_one, via_kreis, lang),
        )
    how = f" ({how_counted(one_by_one, via_kreis, lang)})" if documented else ""
    text = t("count_documented", lang, n=format_int(documented, lang), total=format_int(total, lang), how=how)
    if total > documented:
        text += "; " + rest_count(total - documented, int(unit.inferred_rest), lang)
    return text


# -- the body's own membership (Kreisverwaltung, Bezirksregierung, a Gemeinde itself) -------------
def body_label(level: str, key: str, kreisfrei: frozenset, lang: str) -> str:
    """ "Kreisverwaltung", "Stadtverwaltung" (a kreisfreie Stadt), "Bezirksregierung" or "Gemeinde selbst"."""
    return t("body_kreisfrei" if level == "kreis" and key in kreisfrei else f"body_{level}", lang)


def body_text(unit: Any, w: Words) -> str:
    """The body's own membership in words, with its evidence.

    Examples
    --------
    >>> from types import SimpleNamespace as Unit
    >>> w = Words("regierungsbezirk", events={"rb057": Event("Detmold", dt.date(2024, 2, 1), "ots")})
    >>> br = Unit(body_member=True, body_member_since="2024-02-01", body_member_precision="day",
    ...           body_member_evidence="documented", body_member_undated=False, body_event="rb057",
    ...           body_inferred_since=None, body_inferred_event=None)
    >>> body_text(br, w)
    'Mitglied seit 1. Februar 2024 – einzeln belegt'
    >>> kreis = Unit(**{**vars(br), "body_member": False, "body_member_since": None, "body_member_evidence": None,
    ...                 "body_inferred_since": "2024-02-01", "body_inferred_event": "rb057"})
    >>> body_text(kreis, Words("kreis", "documented", events=w.events))
    'nicht einzeln belegt – abgeleitet Mitglied seit 1. Februar 2024 (Beitritt des RB Detmold)'
    >>> body_text(kreis, Words("kreis", events=w.events))
    'kein Beitritt bekannt'
    """
    lang = w.lang
    if unit.body_member is True:
        evidence = (
            t("ev_one_by_one", lang)
            if unit.body_member_evidence == "documented"
            else derived(unit.body_event, w, with_date=False)
        )
        since = format_partial(unit.body_member_since or "", unit.body_member_precision or "unknown", lang)
        text = t("body_member", lang, date=since, evidence=evidence)
        if unit.body_member_undated and unit.body_member_evidence == "inferred":
            text += "; " + t("body_undated", lang)
        return text
    none = "st_not_documented" if w.documented_only else "body_none"
    text = t("body_undated" if unit.body_member is None else none, lang)
    if w.documented_only and unit.body_inferred_since:
        text += " – " + t(
            "body_inferred_besides",
            lang,
            date=format_partial(unit.body_inferred_since, "day", lang),
            event=_event_phrase(unit.body_inferred_event, w, with_date=False),
        )
    return text


def shown_source(evidence: str | None, event: str | None, source: str | None, w: Words) -> str | None:
    """The source a row is shown with: its own for documented rows, the regional event's for inferred ones.

    (An inferred row's own source text is a sentence about the event; its citation is the event's source.)
    """
    if evidence == "inferred":
        found = _event(event, w)
        return found.source if found else None
    return source or None


# -- the legend -----------------------------------------------------------------------------------
def _legend_label(status: str, hatched: bool, w: Words) -> str:
    lang = w.lang
    evidence = "inferred" if hatched else "documented"
    if status in ("member", "via_kreis"):
        return t(f"lg_{status}_{evidence}", lang)
    if status == "undated":
        return t("st_undated", lang)
    if w.level == "gemeinde":  # not_yet
        return t("st_not_documented" if w.documented_only else "st_not_yet", lang)
    if w.documented_only or status == "not_yet":
        return t(_AGGREGATE_LABELS[w.evidence][status], lang)
    return t(f"lg_{status}_{evidence}", lang)


def legend(shown: Iterable[tuple[str, bool]], *, new: bool, region: str | None, w: Words) -> list[LegendEntry]:
    """Legend entries ``{"status", "label", "inferred"}``: one per fill and hatching shown, then "new" and "muted".

    ``shown`` is the set of ``(status, hatched)`` pairs the view draws.

    Examples
    --------
    >>> [(e["status"], e["inferred"], e["label"]) for e in legend({("member", True), ("not_yet", False)},
    ...                                                            new=False, region="057", w=Words("gemeinde"))]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('member', True, 'schraffiert: abgedeckt – abgeleitet aus einem regionalen Beitritt'),
     ('not_yet', False, 'noch nicht abgedeckt'), ('muted', False, 'außerhalb der Auswahl')]
    """
    pairs = set(shown)
    out: list[LegendEntry] = [
        {"status": status, "label": _legend_label(status, hatched, w), "inferred": hatched}
        for status in STATUS_ORDER
        for hatched in (False, True)
        if (status, hatched) in pairs
    ]
    if new:
        date = format_date(w.compare, w.lang) if w.compare else "–"
        out.append({"status": "new", "label": t("st_new", w.lang, date=date), "inferred": False})
    if region:
        out.append({"status": "muted", "label": t("legend_muted", w.lang), "inferred": False})
    return out


# -- figures, subtitle, Datenstand ----------------------------------------------------------------
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


def _people_change(before: int, after: int, lang: str) -> str:
    """ "16,10 → 18,19 Mio." (one unit for both when both are millions), else each in full.

    >>> _people_change(16_100_000, 18_190_422, "de"), _people_change(0, 2_087_744, "de")
    ('16,10 → 18,19 Mio.', '0 → 2,09 Mio.')
    """
    if before >= 1_000_000 and after >= 1_000_000:
        return t(
            "millions", lang, value=f"{format_decimal(before / 1e6, 2, lang)} → {format_decimal(after / 1e6, 2, lang)}"
        )
    return f"{people(before, lang)} → {people(after, lang)}"


def figures_line(now: Figures, then: Summary | None = None, lang: str = "de", evidence: str = "all") -> str:
    """The headline figures with their documented part (app, every export, CLI).

    ``now`` is :meth:`Coverage.summary` with the view model's split
    (``gemeinden_documented_one_by_one``, ``gemeinden_documented_via_kreis``,
    ``gemeinden_inferred_only``: covered by inference alone, under any filter).
    "Einzeln" is said only where every documented Gemeinde is documented one by
    one; where both ways occur the headline says "belegt" and stays short (two
    lines on a phone above the map) — the split stands in the description, the
    cards' caption, the tooltips and the data.

    Examples
    --------
    >>> now = {"gemeinden_covered": 396, "gemeinden_total": 396, "gemeinden_covered_documented": 23,
    ...        "gemeinden_documented_one_by_one": 13, "gemeinden_documented_via_kreis": 10,
    ...        "gemeinden_inferred_only": 373, "population_covered": 18190422}
    >>> figures_line(now)
    'Abgedeckt: 396 von 396 Gemeinden · davon 23 belegt · 18,19 Mio. Einwohner'
    >>> figures_line(dict(now, gemeinden_documented_one_by_one=23, gemeinden_documented_via_kreis=0))
    'Abgedeckt: 396 von 396 Gemeinden · davon 23 einzeln belegt · 18,19 Mio. Einwohner'
    >>> figures_line(dict(now, gemeinden_covered=23, population_covered=2074874), evidence="documented")
    'Belegt abgedeckt: 23 von 396 Gemeinden · 373 nicht einzeln belegt, abgeleitet abgedeckt · 2,07 Mio. Einwohner'
    """
    covered = format_int(now["gemeinden_covered"], lang)
    population = people(now["population_covered"], lang)
    if then is not None:
        covered = f"{format_int(then['gemeinden_covered'], lang)} → {covered}"
        population = _people_change(then["population_covered"], now["population_covered"], lang)
    one_by_one, via_kreis = now["gemeinden_documented_one_by_one"], now["gemeinden_documented_via_kreis"]
    total, documented = now["gemeinden_total"], now["gemeinden_covered_documented"]
    fields = {"covered": covered, "total": format_int(total, lang), "population": population}
    if evidence != "documented":
        count = documented_count(documented, one_by_one, via_kreis, lang, split=False)
        return t("figures_line", lang, documented=count, **fields)
    how = f" ({how_documented(one_by_one, via_kreis, lang)})" if documented and not (one_by_one and via_kreis) else ""
    rest = f" · {rest_count(total - documented, now['gemeinden_inferred_only'], lang)}" if total > documented else ""
    return t("figures_line_documented", lang, how=how, rest=rest, **fields)


def subtitle(date: dt.date, compare: dt.date | None, region_name: str, evidence: str, lang: str = "de") -> str:
    """ "Stand: …" with the compare date, the region and the evidence filter."""
    parts = [t("stand", lang, date=format_date(date, lang))]
    if compare is not None:
        parts.append(t("subtitle_compare", lang, date=format_date(compare, lang)))
    parts.append(region_name)
    if evidence == "documented":
        parts.append(filter_label(evidence, lang))
    return " · ".join(parts)


def datenstand(as_of: DataAsOf | None, lang: str = "de") -> str:
    """ "Datenstand: 1. Februar 2024 (source)" from :func:`loaders.provenance.data_as_of`."""
    if as_of is None:
        return t("datenstand_none", lang)
    return t("datenstand", lang, date=format_date(as_of.day, lang), source=as_of.source)


def beyond(date: dt.date, as_of: DataAsOf | None) -> bool:
    """Whether the Stichtag lies after the Datenstand (so the view shows the Datenstand's figures)."""
    return as_of is not None and date > as_of.day


def currency(date: dt.date, as_of: DataAsOf | None, lang: str = "de") -> str:
    """The Datenstand of a view, and — when the Stichtag lies after it — that its figures are the Datenstand's.

    Examples
    --------
    >>> from loaders.provenance import DataAsOf
    >>> as_of = DataAsOf(dt.date(2024, 2, 1), "ots")
    >>> currency(dt.date(2024, 2, 1), as_of)
    'Datenstand: 1. Februar 2024 (ots)'
    >>> currency(dt.date(2026, 12, 7), as_of, "en").split(". ")
    ['Data as of: 1 February 2024 (ots)', 'The figures for 7 December 2026 are those of the data as of 1 February \
2024: later accessions or exits are not recorded.']
    """
    text = datenstand(as_of, lang)
    if as_of is not None and beyond(date, as_of):
        text += ". " + t("beyond_datenstand", lang, date=format_date(date, lang), as_of=format_date(as_of.day, lang))
    return text


def version_text(version: DataVersion, lang: str = "de") -> str:
    """ "Datenversion … (Prüfsumme …)" from :func:`loaders.provenance.data_version`."""
    return t("data_version", lang, version=version.version, digest=version.digest)


def date_text(since: Any, precision: Any, certain_by: Any, lang: str) -> str:
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


# -- the members list -----------------------------------------------------------------------------
def member_evidence(evidence: str, event: str | None, w: Words) -> str:
    """A member organisation's own evidence: "einzeln belegt", or what its membership is inferred from.

    Examples
    --------
    >>> w = Words("gemeinde", events={"rb057": Event("Detmold", dt.date(2024, 2, 1), "ots")})
    >>> member_evidence("documented", "rb057", w), member_evidence("inferred", "rb057", w)
    ('einzeln belegt', 'abgeleitet aus dem Beitritt des RB Detmold (1. Februar 2024)')
    """
    return derived(event, w) if evidence == "inferred" else t("ev_one_by_one", w.lang)


# -- tooltips -------------------------------------------------------------------------------------
def _also_line(path: str, row: dict, status_event: str | None, w: Words) -> str | None:
    """A further path of a Gemeinde's coverage, or None when it would repeat the status's inference."""
    lang = w.lang
    if row["evidence"] == "inferred":
        if status_event is not None and row.get("event") == status_event:
            return None
        return derived(row.get("event"), w)
    date = date_text(row["since"], row["precision"], row["certain_by"], lang)
    return t(f"also_{path}", lang, date=date, source=row["source"])


def tooltip_lines(
    units: pd.DataFrame, w: Words, kreis_names: dict[str, str], kreisfrei: frozenset
) -> list[tuple[list[str], list[str]]]:
    """Per row: the tooltip's *fixed* lines and its *per-state* lines, each an escaped HTML line.

    The fixed part (name, key, Kreis) never changes with the Stichtag, so the
    map gets it once with its geometry; the per-state part (status, dates,
    sources, other paths, the body's own membership, counts) is the same text
    for the same coverage state, so the map receives only line numbers into a
    table of such lines (:mod:`viewmodel.tips`).

    Examples
    --------
    >>> row = pd.DataFrame([{"key": "057", "name": "Detmold", "status": "full", "new": False,
    ...     "evidence": "inferred", "gemeinden_covered": 70, "gemeinden_total": 70,
    ...     "gemeinden_covered_documented": 1, "gemeinden_documented_one_by_one": 1,
    ...     "gemeinden_documented_via_kreis": 0, "inferred_rest": 69, "inferred_event": None,
    ...     "body_member": False, "body_member_undated": False, "body_member_source": None,
    ...     "body_member_evidence": None, "body_event": None, "body_inferred_since": None,
    ...     "body_undated_source": None}])
    >>> fixed, per_state = tooltip_lines(row, Words("regierungsbezirk"), {}, frozenset())[0]
    >>> fixed
    ['<b>Detmold</b> (057)']
    >>> per_state[:2]  # doctest: +NORMALIZE_WHITESPACE
    ['Status: alle Gemeinden abgedeckt – teils belegt, teils abgeleitet aus regionalen Beitritten',
     'Gemeinden abgedeckt: 70 von 70, davon 1 einzeln belegt']
    """
    esc = html.escape
    lang = w.lang
    word = {key: esc(t(key, lang)) for key in ("tip_kreis", "tip_kreisfrei", "tip_status", "tip_since", "tip_also")}
    out = []
    for unit in units.itertuples(index=False):
        head = [f"<b>{esc(str(unit.name))}</b> ({esc(unit.key)})"]
        if w.level == "gemeinde":
            kreis = (
                word["tip_kreisfrei"]
                if unit.kreis_key in kreisfrei
                else esc(str(kreis_names.get(unit.kreis_key, unit.kreis_key)))
            )
            head.append(f"{word['tip_kreis']}: {kreis}")
        lines = [f"{word['tip_status']}: {esc(status_text(unit, w))}"]
        if w.level == "gemeinde":
            lines += _gemeinde_lines(unit, w, kreis_names, word)
        else:
            lines.append(f"{esc(count_label(w))}: {esc(count_text(unit, w))}")
        if w.level != "gemeinde" or (unit.body_member_undated and unit.status != "undated"):
            lines += _body_lines(unit, w, kreisfrei)
        out.append((head, lines))
    return out


def _source_line(evidence: str | None, event: str | None, source: str | None, w: Words) -> str | None:
    shown = shown_source(evidence, event, source, w)
    if not shown:
        return None
    label = "tip_source_event" if evidence == "inferred" else "tip_source"
    return f"{html.escape(t(label, w.lang))}: {html.escape(str(shown))}"


def _gemeinde_lines(unit: Any, w: Words, kreis_names: dict[str, str], word: dict) -> list[str]:
    esc = html.escape
    lines = []
    # An inferred status names its event and day already; a documented one gets its date here.
    if unit.evidence == "documented" and (unit.since is not None or unit.precision is not None):
        lines.append(f"{word['tip_since']}: {esc(date_text(unit.since, unit.precision, unit.certain_by, w.lang))}")
    if unit.status == "undated" and unit.body_member_undated:
        source = _source_line("documented", None, unit.body_member_source, w)
    else:
        source = _source_line(unit.evidence, unit.event, unit.source, w)
    if source:
        lines.append(source)
    status_event = unit.event if unit.evidence == "inferred" else None
    for path, row in unit.also:
        also = _also_line(path, row, status_event, w)
        if also is not None and f"{word['tip_also']}: {esc(also)}" not in lines:
            lines.append(f"{word['tip_also']}: {esc(also)}")
    if unit.kreis_undated:
        lines.append(f"<i>{esc(t('kreis_undated', w.lang, name=kreis_names.get(unit.kreis_key, '')))}</i>")
    return lines


def _body_lines(unit: Any, w: Words, kreisfrei: frozenset) -> list[str]:
    """The body's own membership: "Kreisverwaltung: Mitglied seit … – einzeln belegt", then its sources."""
    esc = html.escape
    lines = [f"{esc(body_label(w.level, unit.key, kreisfrei, w.lang))}: {esc(body_text(unit, w))}"]
    if unit.body_member is True and unit.body_member_source:
        label = "tip_source_event" if unit.body_member_evidence == "inferred" else "tip_source"
        lines.append(f"{esc(t(label, w.lang))}: {esc(str(unit.body_member_source))}")
    if unit.body_member_undated and unit.body_undated_source:
        line = f"{esc(t('tip_source', w.lang))}: {esc(str(unit.body_undated_source))}"
        if line not in lines:
            lines.append(line)
    return lines
