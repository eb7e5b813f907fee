"""A description of every view, written from its data: the map's text alternative and every export's alt text.

Levels 1–2 of a map description (what is shown and how it is classified;
extremes, what is missing): the level, region, Stichtag and evidence filter;
covered counts split into documented (one by one, through the Kreis) and
inferred; the Kreise or Regierungsbezirke that are not (fully) covered; what
changed since the compare date; and the Datenstand. German or English,
following the view; every word from the vocabulary (:mod:`viewmodel.text`):
under "documented accessions only" what is not documented is "nicht einzeln
belegt", never "not covered".
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from loaders.viewstate import Notice
from viewmodel.i18n import format_date, format_int, t
from viewmodel.places import Search, entry_name
from viewmodel.text import documented_count, filter_label, how_counted, people

if TYPE_CHECKING:  # the model reads this module (ViewModel.description): the type only, no import at run time
    from viewmodel.model import ViewModel

# Name at most this many units in a list; the rest is counted.
MAX_NAMED = 8


def _names(names: list[str], lang: str) -> str:
    shown = ", ".join(names[:MAX_NAMED])
    if len(names) > MAX_NAMED:
        shown += " " + t("describe_more", lang, n=format_int(len(names) - MAX_NAMED, lang))
    return shown


def describe(model: ViewModel) -> str:
    """The view in a few sentences (plain text).

    Examples
    --------
    >>> import datetime as dt
    >>> from register import atlasdata
    >>> from loaders.viewstate import ViewState
    >>> from viewmodel.model import build
    >>> text = describe(build(atlasdata.load_coverage(), ViewState(dt.date(2024, 2, 1), region="057",
    ...                                                         compare=dt.date(2024, 1, 31))))
    >>> "70 von 70 Gemeinden" in text and "davon 1 einzeln belegt" in text and "70 Gemeinden neu" in text
    True
    """
    return " ".join(
        [_what(model), *_body(model), model.currency if model.currency.endswith(".") else model.currency + "."]
    )


def _what(model: ViewModel) -> str:
    """The description's first sentence: level, region, Stichtag and evidence filter."""
    state, lang = model.state, model.state.lang
    return t(
        "describe_what",
        lang,
        level=t(f"level_plural_{state.level}", lang),
        region=model.region_name,
        date=format_date(state.date, lang),
        evidence=filter_label(state.evidence, lang),
    )


# The sentences from the units' statuses, once per shared unit table (one per coverage state; the view model
# keeps it read-only): a Stichtag change within a coverage period only renames the day. Keyed by the table's id
# with the table itself kept, so a reused id never answers for another table.
_BODIES: OrderedDict[int, tuple] = OrderedDict()
_BODIES_LOCK = threading.Lock()
_BODIES_SIZE = 64


def _body(model: ViewModel) -> list[str]:
    units, state = model.units, model.state
    key = (state.level, state.lang, state.compare, model.then is not None)
    with _BODIES_LOCK:
        known = _BODIES.get(id(units))
        if known is not None and known[0] is units and known[1] == key:
            return known[2]
    sentences = _write_body(model)
    with _BODIES_LOCK:
        _BODIES[id(units)] = (units, key, sentences)
        while len(_BODIES) > _BODIES_SIZE:
            _BODIES.popitem(last=False)
    return sentences


def _write_body(model: ViewModel) -> list[str]:
    state, lang, now = model.state, model.state.lang, model.now
    documented_only = state.evidence == "documented"
    level_words = t(f"level_plural_{state.level}", lang)
    sentences: list[str] = []
    one_by_one, via_kreis = now["gemeinden_documented_one_by_one"], now["gemeinden_documented_via_kreis"]
    covered, total = now["gemeinden_covered"], now["gemeinden_total"]
    if documented_only:
        how = f" ({how_counted(one_by_one, via_kreis, lang)})" if covered else ""
        sentences.append(
            t(
                "describe_covered_documented",
                lang,
                covered=format_int(covered, lang),
                total=format_int(total, lang),
                population=people(now["population_covered"], lang),
                how=how,
            )
        )
    else:
        sentences.append(
            t(
                "describe_covered",
                lang,
                covered=format_int(covered, lang),
                total=format_int(total, lang),
                documented=documented_count(now["gemeinden_covered_documented"], one_by_one, via_kreis, lang),
                inferred=format_int(covered - now["gemeinden_covered_documented"], lang),
                population=people(now["population_covered"], lang),
            )
        )
    units = model.units
    # Plain lists: the description is written on every Stichtag change, and pandas' masks cost more than the words.
    pairs = list(zip(units["status"].tolist(), units["name"].astype(str).tolist()))

    def named(*statuses: str, negate: bool = False) -> list[str]:
        return [name for status, name in pairs if (status in statuses) != negate]

    suffix = "_documented" if documented_only else ""
    if state.level != "gemeinde":
        partial = named("partial")
        none = named("not_yet", "undated")
        if partial:
            sentences.append(t(f"describe_partial{suffix}", lang, names=_names(partial, lang)))
        if none:
            sentences.append(t(f"describe_none{suffix}", lang, names=_names(none, lang)))
        if not partial and not none:
            sentences.append(t(f"describe_all_full{suffix}", lang, level=level_words))
    else:
        missing = named("member", "via_kreis", negate=True)
        if missing and len(missing) < len(units):
            if documented_only:
                inferred = int(units["inferred_rest"].sum())
                beside = t("describe_inferred_beside", lang, n=format_int(inferred, lang)) if inferred else ""
                sentences.append(
                    t(
                        "describe_gemeinden_not_documented",
                        lang,
                        n=format_int(len(missing), lang),
                        inferred=beside,
                        names=_names(missing, lang),
                    )
                )
            else:
                sentences.append(
                    t("describe_gemeinden_missing", lang, n=format_int(len(missing), lang), names=_names(missing, lang))
                )
    undated = named("undated")
    if undated:
        sentences.append(t("describe_undated", lang, names=_names(undated, lang)))
    if model.then is not None and state.compare is not None:  # a compare date gives both
        new = int(units["new"].sum())
        key = "describe_new_gemeinde" if new == 1 else "describe_new_gemeinden"
        count = t(key, lang, n=format_int(new, lang)) if state.level == "gemeinde" else ""
        sentences.append(
            t(
                f"describe_change{suffix}",
                lang,
                date=format_date(state.compare, lang),
                before=format_int(model.then["gemeinden_covered"], lang),
                after=format_int(now["gemeinden_covered"], lang),
                new=count,
            )
        )
        if new and state.level != "gemeinde":
            # What is new is named with what it has now: "new" never stands for more than it is.
            fresh = [
                t(
                    f"describe_new_unit{suffix}",
                    lang,
                    name=unit.name,
                    n=format_int(unit.gemeinden_covered, lang),
                    total=format_int(unit.gemeinden_total, lang),
                )
                for unit in units[units["new"]].itertuples(index=False)
            ]
            sentences.append(t("describe_new_units", lang, names=_names(fresh, lang)))
    sentences.append(t("describe_hatched", lang) if units["hatched"].any() else t("describe_no_hatched", lang))
    return sentences


# -- announcements ---------------------------------------------------------------------------------
#: What a change of the page was, as an announcement tells it (``dashboard.session`` records it).
CHANGE_KINDS = ("none", "stichtag", "view", "play_start", "play", "paused", "ended", "search")


@dataclass(frozen=True)
class Change:
    """The page's last change: its kind (:data:`CHANGE_KINDS`) and what it had to tell (dropped dates).

    Examples
    --------
    >>> Change("stichtag").kind, Change().notices
    ('stichtag', ())
    """

    kind: str = "none"
    notices: tuple[Notice, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in CHANGE_KINDS:
            raise ValueError(f"unknown change {self.kind!r}")


def notice_text(notice: Notice, lang: str = "de") -> str:
    """A :class:`~loaders.viewstate.Notice` in the page's language, its days written out (plain text).

    Examples
    --------
    >>> from loaders.viewstate import Notice
    >>> notice_text(Notice.of("notice_compare_cleared", compare=dt.date(2023, 9, 25), date=dt.date(2023, 9, 8)))
    'Vergleich mit 25. September 2023 aufgehoben: er läge nach dem Stichtag 8. September 2023.'
    >>> notice_text(Notice.of("notice_bad_value", "warning", name="region", value="x", fallback=None), "en")
    'Invalid value for “region”: x – default “NRW” used.'
    """
    fields = {}
    for name, value in notice.fields:
        if isinstance(value, dt.date):
            value = format_date(value, lang)
        elif value is None:
            value = "NRW" if notice.values().get("name") == "region" else t("notice_no_value", lang)
        fields[name] = value
    return t(notice.key, lang, **fields)


def announcement(model: ViewModel, change: Change, search: Search | None = None) -> str:
    """What the page says politely after ``change`` (plain text; "" when there is nothing to say).

    After a Stichtag change (or any change of the view): what the page had to
    tell (a comparison it dropped), the description's first sentence and its
    covered figure with the documented part. During playback a short line per
    step, the day and the figure, so the announcements keep pace with the steps;
    when it stops, the whole again. After a place search: what it found.

    Examples
    --------
    >>> from register import atlasdata
    >>> from loaders.viewstate import ViewState
    >>> from viewmodel.model import build
    >>> model = build(atlasdata.load_coverage(), ViewState(dt.date(2024, 2, 1), region="057"))
    >>> said = announcement(model, Change("stichtag"))
    >>> said.startswith("Karte: Gemeinden, Regierungsbezirk Detmold, Stand 1. Februar 2024 (alle Beitritte")
    True
    >>> said.endswith("Abgedeckt sind 70 von 70 Gemeinden mit 2,09 Mio. Einwohnern, davon 1 einzeln belegt und 69 abgeleitet.")
    True
    >>> announcement(model, Change("play"))
    '1. Februar 2024: 70 von 70 Gemeinden abgedeckt, davon 1 einzeln belegt.'
    >>> announcement(model, Change()), announcement(model, Change("search"), None)
    ('', '')
    """
    lang = model.state.lang
    said = [notice_text(notice, lang) for notice in change.notices]
    if change.kind == "search":
        if search is None:
            return ""
        said.append(_search_words(model, search))
    elif change.kind in ("play_start", "play"):
        if change.kind == "play_start":
            said.append(t("announce_play", lang))
        said.append(_step_words(model))
    elif change.kind != "none":
        if change.kind in ("paused", "ended"):
            said.append(t(f"announce_{change.kind}", lang))
        said += [_what(model), _body(model)[0]]
    return " ".join(said)


def _step_words(model: ViewModel) -> str:
    """One playback step: the day and the covered figure with its documented part."""
    now, lang = model.now, model.state.lang
    fields = {
        "date": format_date(model.state.date, lang),
        "covered": format_int(now["gemeinden_covered"], lang),
        "total": format_int(now["gemeinden_total"], lang),
    }
    if model.state.evidence == "documented":
        return t("announce_step_documented", lang, **fields)
    documented = documented_count(
        now["gemeinden_covered_documented"],
        now["gemeinden_documented_one_by_one"],
        now["gemeinden_documented_via_kreis"],
        lang,
        split=False,
    )
    return t("announce_step", lang, documented=documented, **fields)


def _search_words(model: ViewModel, search: Search) -> str:
    """What a place search found: the place with its status, the hits to choose from, or nothing."""
    lang = model.state.lang
    if search.key is not None:
        unit = model.units[model.units["key"] == search.key]
        if len(unit):
            return t("announce_found", lang, name=str(unit["name"].iloc[0]), status=str(unit["status_text"].iloc[0]))
    if not search.hits:
        return t("place_none", lang, query=search.query)
    names = ", ".join(entry_name(entry) for entry in search.shown)
    n = format_int(len(search.hits), lang)
    if len(search.hits) > len(search.shown):
        return t("announce_hits_more", lang, n=n, shown=len(search.shown), names=names)
    return t("announce_hits", lang, n=n, names=names)
