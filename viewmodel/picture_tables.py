"""Tables that stand beside the pictures: the map as a table, the timeline charts as tables.

A person who cannot see the map or the charts (or cannot use a mouse on them)
reads the same facts here: every unit of the view with status, evidence, date
and source, every change day of the coverage, every published network size.
Pure (no Streamlit); the words come from :mod:`viewmodel.text` and
:mod:`viewmodel.i18n`, the rows from the view model, so a table cannot say
anything the map does not.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from viewmodel.i18n import format_date, format_int, format_partial, format_pct, t
from viewmodel.model import ViewModel
from viewmodel.text import body_text, count_label, count_text, date_text, people, unit_evidence


def map_table(model: ViewModel) -> pd.DataFrame:
    """Every unit of the view (level, region) with status, evidence, date and source, by name.

    Gemeinden carry the date and source their coverage rests on; Kreise and
    Regierungsbezirke carry how many of their Gemeinden are covered (and how
    the covered ones are known) and the body's own membership.

    Examples
    --------
    >>> import datetime as dt
    >>> from register import atlasdata
    >>> from loaders.viewstate import ViewState
    >>> from viewmodel.model import build
    >>> model = build(atlasdata.load_coverage(), ViewState(dt.date(2024, 2, 1), region="057"), tooltips=False)
    >>> table = map_table(model)
    >>> len(table), list(table.columns)
    (70, ['Name', 'Schlüssel', 'Status', 'Evidenz', 'Abgedeckt seit', 'Quelle'])
    >>> table.set_index("Schlüssel").loc["05766040", ["Status", "Evidenz"]].tolist()
    ['Mitglied – einzeln belegt', 'einzeln belegt']
    >>> table.set_index("Schlüssel").loc["05711000", "Status"]
    'abgedeckt – abgeleitet aus dem Beitritt des RB Detmold (1. Februar 2024)'
    """
    state, lang, w = model.state, model.state.lang, model.words
    rows = []
    for unit in model.units.itertuples(index=False):
        row = {
            t("col_name", lang): str(unit.name),
            t("col_key", lang): unit.key,
            t("col_status", lang): unit.status_text,
            t("col_evidence", lang): unit_evidence(unit, w),
        }
        if state.level == "gemeinde":
            dated = unit.since is not None or unit.precision is not None
            row[t("col_since", lang)] = date_text(unit.since, unit.precision, unit.certain_by, lang) if dated else ""
            row[t("col_source", lang)] = unit.source or ""
        else:
            row[count_label(w)] = count_text(unit, w)
            row[t("col_body", lang)] = body_text(unit, w)
            row[t("col_source", lang)] = "; ".join(
                dict.fromkeys(source for source in (unit.body_member_source, unit.body_undated_source) if source)
            )
        rows.append(row)
    table = pd.DataFrame(rows)
    return table.sort_values(t("col_name", lang), key=lambda names: names.str.casefold()).reset_index(drop=True)


def timeline_table(frame: pd.DataFrame, lang: str = "de") -> pd.DataFrame:
    """The coverage chart as a table: one row per change day (``Coverage.timeline``).

    Examples
    --------
    >>> import datetime as dt
    >>> frame = pd.DataFrame({"day": [dt.date(2024, 2, 1)], "gemeinden_covered": [70],
    ...                       "gemeinden_covered_documented": [1], "gemeinden_total": [70],
    ...                       "population_covered": [2087744], "population_total": [2087744],
    ...                       "gemeinden_share": [1.0], "population_share": [1.0]})
    >>> timeline_table(frame).iloc[0].tolist()
    ['1. Februar 2024', '70 von 70, davon 1 belegt', '100,0 %', '2,09 Mio.', '100,0 %']
    """
    return pd.DataFrame(
        {
            t("col_date", lang): [format_date(day, lang) for day in frame["day"]],
            t("series_gemeinden", lang): [
                t(
                    "count_timeline",
                    lang,
                    n=format_int(n, lang),
                    total=format_int(total, lang),
                    documented=format_int(d, lang),
                )
                for n, total, d in zip(
                    frame["gemeinden_covered"], frame["gemeinden_total"], frame["gemeinden_covered_documented"]
                )
            ],
            t("axis_share", lang) + " (" + t("level_plural_gemeinde", lang) + ")": [
                format_pct(share, lang) for share in frame["gemeinden_share"]
            ],
            t("series_population", lang): [people(int(n), lang) for n in frame["population_covered"]],
            t("axis_share", lang) + " (" + t("series_population", lang) + ")": [
                format_pct(share, lang) for share in frame["population_share"]
            ],
        }
    )


def sizes_table(sizes: pd.DataFrame, lang: str = "de") -> pd.DataFrame:
    """The published network sizes as a table (``read_network_sizes``), lower bounds as published."""

    def count(value: Any) -> str:
        return "" if pd.isna(value) else format_int(int(value), lang)

    return pd.DataFrame(
        {
            t("col_date", lang): [
                format_partial(day, precision, lang) for day, precision in zip(sizes["date"], sizes["date_precision"])
            ],
            t("series_people", lang): [count(v) for v in sizes["people"]],
            t("series_organisations", lang): [count(v) for v in sizes["organisations"]],
            # The source's own words where known (quote), else the figure as published.
            t("sizes_published", lang): [
                q or p
                for q, p in zip(
                    sizes.get("quote", sizes["published"]).fillna(""), sizes["published"].fillna("").astype(str)
                )
            ],
            t("col_source", lang): sizes["source"].fillna("").astype(str).tolist(),
        }
    )
