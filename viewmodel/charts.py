"""What the two timeline charts show: series, points with their words, axes, event marks (issue 11).

Pure (no Streamlit). :mod:`dashboard.chartview` writes a chart's data once
into a content-hashed file beside the chart component (it depends on the
evidence filter, region, language and today, never on the Stichtag), and a
Stichtag change sends only :func:`rules`. The words of every point are the
rows of the chart tables (:mod:`viewmodel.tables`), so the tooltip, the live
region and the table under the chart say the same.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from loaders.dates import ENGLISH_MONTHS, GERMAN_MONTHS
from viewmodel import palette
from viewmodel.i18n import format_date, format_int, t
from viewmodel.tables import sizes_table, timeline_table

# Markers say which series a point belongs to without colour (with the legend's words and the dash).
MARKERS = ("circle", "square", "diamond")


def _series(name: str, colour: str, dash: str, marker: str, values: list, width: float = 2.5) -> dict:
    return {"name": name, "colour": colour, "dash": dash, "marker": marker, "width": width, "values": values}


def _rounded(values) -> list:
    """Floats to 5 digits (finer than a chart shows), missing values as None (JSON null)."""
    return [None if pd.isna(v) else round(float(v), 5) for v in values]


def date_ticks(start: dt.date, end: dt.date, lang: str = "de") -> list[list[str]]:
    """January and July of every year between ``start`` and ``end``, labelled "Jan 2024".

    Examples
    --------
    >>> date_ticks(dt.date(2023, 3, 1), dt.date(2024, 2, 1))
    [['2023-07-01', 'Jul 2023'], ['2024-01-01', 'Jan 2024']]
    >>> date_ticks(dt.date(2023, 1, 1), dt.date(2023, 4, 1), "en")[0]
    ['2023-01-01', 'Jan 2023']
    """
    months = ENGLISH_MONTHS if lang == "en" else GERMAN_MONTHS
    ticks = []
    for year in range(start.year, end.year + 1):
        for month in (1, 7):
            day = dt.date(year, month, 1)
            if start <= day <= end:
                ticks.append([day.isoformat(), f"{months[month - 1][:3]} {year}"])
    return ticks


def count_ticks(top: float, lang: str = "de", most: int = 6) -> tuple[float, list[list]]:
    """A round top for a count axis and at most ``most`` ticks from 0 (steps of 1, 2 or 5 × 10ⁿ).

    Examples
    --------
    >>> count_ticks(1234)
    (1400, [[0, '0'], [200, '200'], [400, '400'], [600, '600'], [800, '800'], [1000, '1.000'], [1200, '1.200'], [1400, '1.400']])
    >>> count_ticks(0)
    (1, [[0, '0'], [1, '1']])
    """
    top = max(float(top), 1.0)
    magnitude = 10 ** math.floor(math.log10(top / most))
    step = next(f * magnitude for f in (1, 2, 5, 10) if top / (f * magnitude) <= most + 2)
    step = max(int(step), 1)
    end = int(math.ceil(top / step) * step)
    return end, [[v, format_int(v, lang)] for v in range(0, end + 1, step)]


def share_ticks(lang: str = "de") -> list[list]:
    """0 to 100 % in quarters.

    Examples
    --------
    >>> share_ticks()[1], share_ticks("en")[4]
    ([0.25, '25 %'], [1.0, '100%'])
    """
    return [[q / 4, f"{25 * q}%" if lang == "en" else f"{25 * q} %"] for q in range(5)]


def _events(events: pd.DataFrame, lang: str) -> list[list[str]]:
    return [
        [d, f"RB {r}", t("jump_item", lang, region=r, date=format_date(dt.date.fromisoformat(d), lang))]
        for r, d in zip(events["region"], events["date"])
    ]


def _common(lang: str, start: dt.date, end: dt.date, title: str, frame_title: str) -> dict:
    return {
        "lang": lang,
        "title": title,
        "frameTitle": frame_title,
        "keys": t("chart_keys", lang),
        "left": t("chart_left", lang),
        "position": t("map_position", lang),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "xTicks": date_ticks(start, end, lang),
        # The rules' looks, by position in rules(): Stichtag, then the compare date.
        "ruleStyles": [[palette.STICHTAG, ""], [palette.INK, "6 4"]],
        "eventInk": palette.SUBTLE_INK,
        "ink": palette.INK,
        "grid": palette.GRID,
    }


def coverage_chart(frame: pd.DataFrame, events: pd.DataFrame, start: dt.date, end: dt.date, lang: str = "de") -> dict:
    """The coverage chart: shares of Gemeinden (all, documented) and population, one point per change day.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``Coverage.timeline`` (day, gemeinden_covered, gemeinden_covered_documented,
        gemeinden_total, population_covered, population_total, gemeinden_share, population_share).
    events : pandas.DataFrame
        ``read_events`` (region, date).
    start, end : datetime.date
        The time axis (the first day of the atlas, today).
    lang : str
        "de" or "en".

    Examples
    --------
    >>> frame = pd.DataFrame({"day": [dt.date(2023, 9, 8), dt.date(2024, 2, 1)],
    ...     "gemeinden_covered": [10, 70], "gemeinden_covered_documented": [1, 2], "gemeinden_total": [70, 70],
    ...     "population_covered": [345678, 2087744], "population_total": [2087744, 2087744],
    ...     "gemeinden_share": [10 / 70, 1.0], "population_share": [0.16557, 1.0]})
    >>> events = pd.DataFrame({"region": ["057"], "date": ["2024-02-01"]})
    >>> chart = coverage_chart(frame, events, dt.date(2022, 9, 1), dt.date(2024, 6, 30))
    >>> chart["days"], [s["name"] for s in chart["series"]]
    (['2023-09-08', '2024-02-01'], ['Gemeinden abgedeckt', 'davon belegt', 'Bevölkerung abgedeckt'])
    >>> chart["series"][1]["values"]
    [0.01429, 0.02857]
    >>> chart["tips"][1]  # doctest: +NORMALIZE_WHITESPACE
    ['1. Februar 2024', 'Gemeinden abgedeckt: 70 von 70, davon 2 belegt (100,0 %)',
     'Bevölkerung abgedeckt: 2,09 Mio. (100,0 %)', 'Ereignis: Beitritt RB 057 – 1. Februar 2024']
    >>> "Am 1. Februar 2024: Gemeinden abgedeckt: 70 von 70, davon 2 belegt (100,0 %);" in chart["summary"]
    True
    """
    table = timeline_table(frame, lang)
    marks = _events(events, lang)
    by_day = {day: long for day, _, long in marks}
    days = [day.isoformat() for day in frame["day"]]
    # Columns of timeline_table: date, Gemeinden, their share, population, its share.
    tips = [
        [
            row[0],
            f"{table.columns[1]}: {row[1]} ({row[2]})",
            f"{table.columns[3]}: {row[3]} ({row[4]})",
            *([f"{t('event', lang)}: {by_day[day]}"] if day in by_day else []),
        ]
        for day, row in zip(days, table.itertuples(index=False))
    ]
    documented = frame["gemeinden_covered_documented"] / frame["gemeinden_total"].where(frame["gemeinden_total"] > 0)
    series = [
        _series(t("series_gemeinden", lang), palette.DARK, "", MARKERS[0], _rounded(frame["gemeinden_share"])),
        _series(t("series_gemeinden_documented", lang), palette.DARK, "7 4", MARKERS[2], _rounded(documented), 1.5),
        _series(t("series_population", lang), palette.LIGHT, "2 3", MARKERS[1], _rounded(frame["population_share"])),
    ]
    names = ", ".join(s["name"] for s in series)
    summary = t(
        "chart_summary_coverage",
        lang,
        start=format_date(start, lang),
        end=format_date(end, lang),
        series=names,
        last=tips[-1][0] if tips else format_date(end, lang),
        values="; ".join(tips[-1][1:3]) if tips else "–",
    )
    return {
        **_common(lang, start, end, t("chart_coverage_title", lang), t("chart_frame_coverage", lang)),
        "kind": "step",
        "yLabel": t("axis_share", lang),
        "yMax": 1.0,
        "yTicks": share_ticks(lang),
        "days": days,
        "tips": tips,
        "series": series,
        "events": marks,
        "eventsLabel": t("chart_events", lang),
        "summary": summary,
    }


def sizes_chart(sizes: pd.DataFrame, start: dt.date, end: dt.date, lang: str = "de") -> dict:
    """The published network sizes (people, organisations): one point per publication, lower bounds.

    Examples
    --------
    >>> sizes = pd.DataFrame({"day": [dt.date(2023, 5, 31), dt.date(2024, 6, 30)], "date": ["2023-05", "2024-06-30"],
    ...     "date_precision": ["month", "day"], "people": [600, 1200], "organisations": [None, 250.0],
    ...     "published": ["mehr als 600", "mehr als 1.200"], "source": ["a", "b"]})
    >>> chart = sizes_chart(sizes, dt.date(2022, 9, 1), dt.date(2024, 12, 1))
    >>> chart["tips"]
    [['Mai 2023', 'Personen (Multiplikatoren): 600'], ['30. Juni 2024', 'Personen (Multiplikatoren): 1.200', 'Organisationen: 250']]
    >>> chart["series"][1]["values"], chart["yMax"]
    ([None, 250.0], 1200)
    """
    table = sizes_table(sizes, lang)
    names = [t("series_people", lang), t("series_organisations", lang)]
    tips = [[row[0], *(f"{name}: {value}" for name, value in zip(names, row[1:3]) if value)] for row in table.values]
    series = [
        _series(names[0], palette.DARK, "4 3", MARKERS[0], _rounded(sizes["people"]), 1.5),
        _series(names[1], palette.LIGHT, "1 3", MARKERS[1], _rounded(sizes["organisations"]), 1.5),
    ]
    top = max([v for s in series for v in s["values"] if v is not None], default=1)
    y_max, ticks = count_ticks(top, lang)
    summary = t(
        "chart_summary_sizes",
        lang,
        n=len(tips),
        start=format_date(start, lang),
        end=format_date(end, lang),
        series=", ".join(names),
        last=tips[-1][0] if tips else "–",
        values="; ".join(tips[-1][1:]) if tips else "–",
    )
    return {
        **_common(lang, start, end, t("sizes_title", lang), t("chart_frame_sizes", lang)),
        "kind": "points",
        "yLabel": t("axis_count", lang),
        "yMax": y_max,
        "yTicks": ticks,
        "days": [pd.Timestamp(day).date().isoformat() for day in sizes["day"]],
        "tips": tips,
        "series": series,
        "events": [],
        "summary": summary,
    }


def rules(stichtag: dt.date, compare: dt.date | None = None, lang: str = "de") -> list[list[str]]:
    """The Stichtag (and compare) rule: day and legend label; all a Stichtag change sends to a chart.

    Examples
    --------
    >>> rules(dt.date(2024, 2, 1), dt.date(2023, 9, 1))
    [['2024-02-01', 'Stichtag: 1. Februar 2024'], ['2023-09-01', 'Vergleich mit: 1. September 2023']]
    """
    shown = [(stichtag, "stichtag"), *([(compare, "compare")] if compare else [])]
    return [[day.isoformat(), f"{t(word, lang)}: {format_date(day, lang)}"] for day, word in shown]
