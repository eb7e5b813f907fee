"""The headline figures as cards: value at the Stichtag, change since the compare date.

Pure: takes the dictionaries of :meth:`loaders.coverage.Coverage.summary`
and returns text; :mod:`dashboard.atlas` hands each card to ``st.metric``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from viewmodel.i18n import format_date, format_decimal, format_int, format_pct, format_signed, t
from viewmodel.text import Figures, how_counted


@dataclass(frozen=True)
class Card:
    """One ``st.metric``: label, value, optional delta and how to colour it."""

    label: str
    value: str
    delta: str | None = None
    delta_color: Literal["normal", "off"] = "normal"  # "off" for a zero change, so "±0" is not shown as a rise
    help: str | None = None


def _share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def cards(
    now: Mapping[str, Any],
    then: Mapping[str, Any] | None = None,
    compare: dt.date | None = None,
    lang: str = "de",
    evidence: str = "all",
) -> list[Card]:
    """Five cards: Gemeinden, population, area, Kreise, Bezirksregierungen.

    Under "documented accessions only" (``evidence="documented"``) they count
    documented coverage and say so in their labels: what is not documented is
    not thereby uncovered.

    Parameters
    ----------
    now, then : dict
        ``Coverage.summary`` at the Stichtag and at the compare date (or None).
    compare : datetime.date, optional
        The compare date, named in the delta's help text.
    lang : str
        "de" or "en".
    evidence : str
        The evidence filter.

    Examples
    --------
    >>> now = {"gemeinden_total": 70, "gemeinden_covered": 70, "population_total": 2087744,
    ...        "population_covered": 2087744, "area_km2_total": 6520.1, "area_km2_covered": 6520.1,
    ...        "kreise_total": 7, "kreise_in": 7, "bezirksregierungen_total": 1,
    ...        "bezirksregierungen_in": 1}
    >>> then = dict(now, gemeinden_covered=0, population_covered=0, area_km2_covered=0.0,
    ...             kreise_in=0, bezirksregierungen_in=0)
    >>> [(c.value, c.delta) for c in cards(now, then)][:2]
    [('70 von 70 (100,0 %)', '+70'), ('100,0 %', '+100,0 Pp.')]
    """
    since = t("delta_since", lang, date=format_date(compare, lang)) if compare else None
    suffix = "_documented" if evidence == "documented" else ""

    def card(
        label: str, value: str, change: float | None, digits: int = 0, unit: str | None = None, note: str | None = None
    ) -> Card:
        if change is None:
            return Card(label, value, help=note)
        delta = format_signed(change, digits, lang)
        if unit:
            delta = t(unit, lang, value=delta)
        note = " – ".join(filter(None, [note, since]))
        return Card(label, value, delta, "off" if delta.startswith("±") else "normal", note)

    def count_change(field: str) -> float | None:
        if then is None or now[field] is None or then[field] is None:
            return None
        return now[field] - then[field]

    def share_change(part: str, whole: str) -> float | None:
        if then is None:
            return None
        return 100 * (_share(now[part], now[whole]) - _share(then[part], then[whole]))

    out = [
        card(
            t(f"fig_gemeinden{suffix}", lang),
            t(
                "of_share",
                lang,
                n=format_int(now["gemeinden_covered"], lang),
                total=format_int(now["gemeinden_total"], lang),
                share=format_pct(_share(now["gemeinden_covered"], now["gemeinden_total"]), lang),
            ),
            count_change("gemeinden_covered"),
            note=t(f"fig_gemeinden{suffix}_help", lang),
        ),
        card(
            t(f"fig_population{suffix}", lang),
            format_pct(_share(now["population_covered"], now["population_total"]), lang),
            share_change("population_covered", "population_total"),
            1,
            "pp",
        ),
        card(
            t(f"fig_area{suffix}", lang),
            format_pct(_share(now["area_km2_covered"], now["area_km2_total"]), lang),
            share_change("area_km2_covered", "area_km2_total"),
            1,
            "pp",
        ),
    ]
    if now["kreise_in"] is not None:
        out.append(
            card(
                t(f"fig_kreise{suffix}", lang),
                t("of", lang, n=now["kreise_in"], total=now["kreise_total"]),
                count_change("kreise_in"),
                note=t("fig_kreise_help", lang),
            )
        )
    out.append(
        card(
            t(f"fig_rbs{suffix}", lang),
            t("of", lang, n=now["bezirksregierungen_in"], total=now["bezirksregierungen_total"]),
            count_change("bezirksregierungen_in"),
        )
    )
    return out


def documented_line(now: Figures, lang: str = "de") -> str:
    """How much of each card's count is documented (the rest is inferred), the Gemeinden split by how.

    Examples
    --------
    >>> documented_line({"gemeinden_covered_documented": 23, "gemeinden_documented_one_by_one": 13,
    ...                  "gemeinden_documented_via_kreis": 10, "population_covered_documented": 2074874,
    ...                  "kreise_in_documented": 3, "bezirksregierungen_in_documented": 4})
    'Davon belegt – Gemeinden: 23 (13 einzeln, 10 über den Kreis) · Einwohner: 2.074.874 · Kreise: 3 · Bezirksregierungen: 4'
    """
    documented = now["gemeinden_covered_documented"]
    how = how_counted(now["gemeinden_documented_one_by_one"], now["gemeinden_documented_via_kreis"], lang)
    return t(
        "fig_documented",
        lang,
        gemeinden=format_int(documented, lang) + (f" ({how})" if documented else ""),
        population=format_int(now["population_covered_documented"], lang),
        kreise=format_int(now["kreise_in_documented"], lang),
        rbs=format_int(now["bezirksregierungen_in_documented"], lang),
    )


def detail_line(now: Figures, lang: str = "de") -> str:
    """The absolute numbers behind the percentage cards, as one caption line.

    Examples
    --------
    >>> detail_line({"population_covered": 16058000, "population_total": 18190422,
    ...              "area_km2_covered": 30000.4, "area_km2_total": 34096.6})
    '16.058.000 von 18.190.422 Einwohnern · 30.000 von 34.097 km²'
    """
    return t(
        "fig_detail",
        lang,
        population=format_int(now["population_covered"], lang),
        population_total=format_int(now["population_total"], lang),
        area=format_decimal(now["area_km2_covered"], 0, lang),
        area_total=format_decimal(now["area_km2_total"], 0, lang),
    )
