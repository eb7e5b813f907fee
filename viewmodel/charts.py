"""What the two timeline charts show: series, points with their words, axes, event marks.

Pure (no Streamlit). :mod:`dashboard.chartview` writes a chart's data once
into a content-hashed file beside the chart component (it depends on the
evidence filter, region, language and today, never on the Stichtag), and a
Stichtag change sends only :func:`rules`. The words of every point are the
rows of the chart tables (:mod:`viewmodel.picture_tables`), so the tooltip, the live
region and the table under the chart say the same.

The Datenstand (:mod:`loaders.provenance`) is a labelled rule on both charts;
nothing is drawn after it as if it were known: the lines stop there, the time
after it is a grey band saying "Keine Angaben nach dem Datenstand", and the
coverage chart's last point (and the last row of its table) is the
Datenstand's own day. A published size without a date is listed, never placed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from loaders import accessions, provenance
from loaders.dates import ENGLISH_MONTHS, GERMAN_MONTHS
from loaders.errors import DataError
from loaders.provenance import DataAsOf

if TYPE_CHECKING:
    from loaders.coverage import Coverage
from viewmodel import palette
from viewmodel.i18n import format_date, format_int, t
from viewmodel.picture_tables import sizes_table, timeline_table

# Markers say which series a point belongs to without colour (with the legend's words and the dash).
MARKERS = ("circle", "square", "diamond")
# The Datenstand's rule: ink (17:1) in a dash-dot no other rule or series uses; the band after it,
# a light grey under the grid (decoration: the rule and the words carry its meaning).
AS_OF_DASH = "8 3 2 3"
AFTER_FILL = "#f2f2f2"


def _series(name: str, colour: str, dash: str, marker: str, values: list, width: float = 2.5) -> dict:
    return {"name": name, "colour": colour, "dash": dash, "marker": marker, "width": width, "values": values}


def _rounded(values: Iterable[float]) -> list:
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


def as_of_marks(as_of: DataAsOf | None, start: dt.date, end: dt.date, lang: str = "de") -> dict:
    """The Datenstand's rule and the band after it, for a chart from ``start`` to ``end``.

    ``asOf`` is ``[day, label]`` (None when the Datenstand lies outside the
    axis); ``after`` labels the band from the Datenstand to the end of the axis
    (None when nothing of the axis lies after it).

    Examples
    --------
    >>> as_of = DataAsOf(dt.date(2025, 11, 14), "presseportal.de")
    >>> marks = as_of_marks(as_of, dt.date(2022, 1, 1), dt.date(2026, 12, 7))
    >>> marks["asOf"], marks["after"]
    (['2025-11-14', 'Datenstand: 14. November 2025'], 'Keine Angaben nach dem Datenstand')
    >>> as_of_marks(as_of, dt.date(2022, 1, 1), dt.date(2024, 2, 1))["asOf"] is None
    True
    """
    inside = as_of is not None and start <= as_of.day <= end
    return {
        "asOf": [as_of.day.isoformat(), t("chart_as_of", lang, date=format_date(as_of.day, lang))]
        if inside and as_of
        else None,
        "after": t("chart_after_as_of", lang) if inside and as_of and as_of.day < end else None,
        "afterShort": t("chart_after_as_of_short", lang),
        "asOfStyle": [palette.INK, AS_OF_DASH],
        "afterFill": AFTER_FILL,
    }


def _as_of_sentence(as_of: DataAsOf | None, start: dt.date, end: dt.date, lang: str) -> str:
    if as_of is None or not start <= as_of.day <= end:
        return ""
    sentence = t("chart_summary_as_of", lang, date=format_date(as_of.day, lang), source=as_of.source)
    return " " + sentence + (" " + t("chart_after_as_of", lang) + "." if as_of.day < end else "")


def _common(lang: str, start: dt.date, end: dt.date, title: str, label: str) -> dict:
    return {
        "lang": lang,
        "title": title,
        "label": label,  # the chart's accessible name ("Diagramm: …"): what it is and what it shows
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


def coverage_chart(
    frame: pd.DataFrame,
    events: pd.DataFrame,
    start: dt.date,
    end: dt.date,
    lang: str = "de",
    as_of: DataAsOf | None = None,
) -> dict:
    """The coverage chart: shares of Gemeinden (all, documented) and population, one point per change day.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``Coverage.timeline`` (day, gemeinden_covered, gemeinden_covered_documented,
        gemeinden_total, population_covered, population_total, gemeinden_share, population_share),
        up to the Datenstand (``end=`` :func:`loaders.provenance.figures_day` of the axis' end): a
        point after the Datenstand is an error.
    events : pandas.DataFrame
        ``read_events`` (region, date).
    start, end : datetime.date
        The time axis (the first day of the atlas, today).
    lang : str
        "de" or "en".
    as_of : loaders.provenance.DataAsOf, optional
        The Datenstand: its rule, the band after it, and the words of its point.

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
    days = time_axis_days(frame["day"])
    if as_of is not None and days and days[-1] > as_of.day.isoformat():
        raise DataError(f"the coverage chart has a point after the Datenstand {as_of.day}: end its frame there")
    stand = as_of.day.isoformat() if as_of else None
    # Columns of timeline_table: date, Gemeinden, their share, population, its share.
    tips = [
        [
            row[0],
            f"{table.columns[1]}: {row[1]} ({row[2]})",
            f"{table.columns[3]}: {row[3]} ({row[4]})",
            *([f"{t('event', lang)}: {by_day[day]}"] if day in by_day else []),
            *([t("chart_as_of_point", lang)] if day == stand else []),
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
    ) + _as_of_sentence(as_of, start, end, lang)
    return {
        **_common(lang, start, end, t("chart_coverage_title", lang), t("chart_frame_coverage", lang)),
        **as_of_marks(as_of, start, end, lang),
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


def time_axis_days(days: Iterable[dt.date]) -> list[str]:
    """Days of points on a time axis as ISO text; a point without a day is an error, never a made-up day.

    Examples
    --------
    >>> time_axis_days([dt.date(2024, 2, 1)])
    ['2024-02-01']
    >>> time_axis_days([dt.date(2024, 2, 1), None])
    Traceback (most recent call last):
    ...
    loaders.errors.DataError: an undated value cannot be placed on the time axis (point 2): list it as undated
    """
    out = []
    for i, day in enumerate(days, 1):
        if day is None or pd.isna(day):
            raise DataError(f"an undated value cannot be placed on the time axis (point {i}): list it as undated")
        out.append(pd.Timestamp(day).date().isoformat())
    return out


def timeline_marks_text(cov: Coverage, day: dt.date, lang: str = "de") -> str:
    """What the press timeline up to ``day`` marks beyond its lines, in words for its alt text.

    After the Datenstand: where the lines end and that nothing is known after it; and the sizes
    published without a date, listed under the chart. Empty before the Datenstand.

    Examples
    --------
    >>> from register import atlasdata
    >>> timeline_marks_text(atlasdata.load_coverage(), dt.date(2026, 12, 7))[:80]
    ' Die Linien enden am Datenstand, 14. November 2025; danach keine Angaben. Ohne D'
    >>> timeline_marks_text(atlasdata.load_coverage(), dt.date(2024, 2, 1))
    ''
    """
    as_of = provenance.data_as_of(cov)
    if as_of is None or day < as_of.day:
        return ""
    text = " " + t("alt_timeline_as_of", lang, date=format_date(as_of.day, lang))
    undated = undated_short(accessions.undated_sizes(accessions.read_network_sizes()), lang)
    if undated:
        text += " " + t("chart_undated", lang) + " " + "; ".join(undated) + "."
    return text


def undated_short(sizes: pd.DataFrame, lang: str = "de") -> list[str]:
    """Undated sizes in few words for a picture: the figures and where they were published.

    Examples
    --------
    >>> sizes = pd.DataFrame({"people": [2450], "organisations": [850], "source": ["nachrichten.ag: „Titel“"]})
    >>> undated_short(sizes)
    ['2.450 Personen, 850 Organisationen (nachrichten.ag)']
    """
    out = []
    for people, organisations, source in zip(sizes["people"], sizes["organisations"], sizes["source"]):
        parts = {
            "people": format_int(int(people), lang) if not pd.isna(people) else "",
            "organisations": format_int(int(organisations), lang) if not pd.isna(organisations) else "",
        }
        key = "undated_both" if all(parts.values()) else ("undated_people" if parts["people"] else "undated_orgs")
        out.append(f"{t(key, lang, **parts)} ({str(source).split(':')[0].strip()})")
    return out


def sizes_chart(
    sizes: pd.DataFrame, start: dt.date, end: dt.date, lang: str = "de", as_of: DataAsOf | None = None
) -> dict:
    """The published network sizes (people, organisations): one point per dated publication, lower bounds.

    A size whose source gives no date is not a point: it is listed under the
    chart (``undated``) and in its summary, as the table lists it ("Datum unbekannt").

    Examples
    --------
    >>> sizes = pd.DataFrame({"day": [dt.date(2023, 5, 31), dt.date(2024, 6, 30), None],
    ...     "date": ["2023-05", "2024-06-30", ""], "date_precision": ["month", "day", "unknown"],
    ...     "people": [600, 1200, 2000], "organisations": [None, 250.0, None], "dated": [True, True, False],
    ...     "published": ["mehr als 600", "mehr als 1.200", "über 2.000"], "source": ["a", "b", "c"]})
    >>> chart = sizes_chart(sizes, dt.date(2022, 9, 1), dt.date(2024, 12, 1))
    >>> chart["tips"]
    [['Mai 2023', 'Personen (Multiplikatoren): 600'], ['30. Juni 2024', 'Personen (Multiplikatoren): 1.200', 'Organisationen: 250']]
    >>> chart["series"][1]["values"], chart["yMax"], chart["undated"]
    ([None, 250.0], 1200, ['2.000 Personen (c)'])
    """
    dated = accessions.dated_sizes(sizes)
    undated = accessions.undated_sizes(sizes)
    table = sizes_table(dated, lang)
    names = [t("series_people", lang), t("series_organisations", lang)]
    tips = [[row[0], *(f"{name}: {value}" for name, value in zip(names, row[1:3]) if value)] for row in table.values]
    series = [
        _series(names[0], palette.DARK, "4 3", MARKERS[0], _rounded(dated["people"]), 1.5),
        _series(names[1], palette.LIGHT, "1 3", MARKERS[1], _rounded(dated["organisations"]), 1.5),
    ]
    top = max([v for s in series for v in s["values"] if v is not None], default=1)
    y_max, ticks = count_ticks(top, lang)
    lines = undated_short(undated, lang)  # the table under the chart gives their words and sources in full
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
    if lines:
        summary += " " + t("chart_summary_undated", lang, n=len(lines), values="; ".join(lines))
    summary += _as_of_sentence(as_of, start, end, lang)
    return {
        **_common(lang, start, end, t("sizes_title", lang), t("chart_frame_sizes", lang)),
        **as_of_marks(as_of, start, end, lang),
        "kind": "points",
        "yLabel": t("axis_count", lang),
        "yMax": y_max,
        "yTicks": ticks,
        "days": time_axis_days(dated["day"]),
        "tips": tips,
        "series": series,
        "events": [],
        "summary": summary,
        "undated": lines,
        "undatedLabel": t("chart_undated", lang),
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
