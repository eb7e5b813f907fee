"""Coverage over time: the step chart, the published network sizes, and playback steps.

Pure: builds Vega-Lite specs (with altair) from frames of
``Coverage.timeline``, ``read_events`` and ``read_network_sizes``; ``app.py``
only displays them. Turning an altair chart into a spec costs 30–50 ms, too
much for a Stichtag change, so the specs are built once per data and language,
and the Stichtag and compare rules come from a named data set that
:func:`with_rules` swaps in for each rerun.
"""

from __future__ import annotations

import datetime as dt
import json

import altair as alt
import pandas as pd

from viewmodel.i18n import format_date, t, vega_locale

STEP_MODES = ("month", "event")
# Heights for st.vega_lite_chart: given there, since a height inside a layered spec is not honoured.
COVERAGE_HEIGHT = 300
SIZES_HEIGHT = 260
STICHTAG_COLOUR = "#c0392b"


def next_stop(day: dt.date, mode: str, stops: list[dt.date], last: dt.date) -> dt.date | None:
    """The next day playback shows after ``day``, or None at the end.

    Parameters
    ----------
    day : datetime.date
        The current Stichtag.
    mode : str
        "month": the first day of the next month; "event": the next day in
        ``stops`` (the days on which coverage changes).
    stops : list of datetime.date
        Sorted change days, used by "event".
    last : datetime.date
        The end of the range (today); playback stops there.

    Examples
    --------
    >>> next_stop(dt.date(2023, 12, 15), "month", [], dt.date(2026, 1, 1))
    datetime.date(2024, 1, 1)
    >>> stops = [dt.date(2023, 9, 8), dt.date(2024, 2, 1)]
    >>> next_stop(dt.date(2023, 9, 8), "event", stops, dt.date(2026, 1, 1))
    datetime.date(2024, 2, 1)
    >>> next_stop(dt.date(2024, 2, 1), "event", stops, dt.date(2026, 1, 1)) is None
    True
    >>> next_stop(dt.date(2025, 12, 20), "month", [], dt.date(2025, 12, 31))
    datetime.date(2025, 12, 31)
    """
    if day >= last:
        return None
    if mode == "event":
        return next((stop for stop in stops if day < stop <= last), None)
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return min(following, last)


RULES = "rules"


def with_rules(spec: dict, stichtag: dt.date, compare: dt.date | None = None, lang: str = "de") -> dict:
    """A copy of a spec from this module with the Stichtag (and compare) rule set.

    Examples
    --------
    >>> spec = with_rules({"datasets": {"x": []}}, dt.date(2024, 2, 1), dt.date(2023, 9, 1))
    >>> spec["datasets"][RULES]
    [{'day': '2024-02-01T00:00:00', 'label': 'Stichtag'}, {'day': '2023-09-01T00:00:00', 'label': 'Vergleich mit'}]
    """
    # Local midnight, like the pandas timestamps of the other layers (a bare date would be UTC).
    rows = [{"day": f"{stichtag.isoformat()}T00:00:00", "label": t("stichtag", lang)}]
    if compare:
        rows.append({"day": f"{compare.isoformat()}T00:00:00", "label": t("compare", lang)})
    return {**spec, "datasets": {**spec.get("datasets", {}), RULES: rows}}


def inline_data(spec: dict) -> dict:
    """The spec with its named data sets written into the layers that use them (``{"values": …}``).

    Streamlit turns each named data set (and top-level data) into an Arrow
    table on every rerun: about 1.5 KB and a few milliseconds per set even
    for the two rows of the Stichtag rule. Values inside a layer stay plain
    JSON in the spec — a fraction of the bytes, no conversion — and Vega-Lite
    draws them alike. The rule layer keeps its name: :func:`place_rules`
    writes its rows on each rerun into a copy of the (cached) inlined spec.

    Examples
    --------
    >>> inline_data({"datasets": {"d": [{"x": 1}], RULES: []},
    ...              "layer": [{"data": {"name": "d"}, "mark": "line"}, {"data": {"name": RULES}}]})
    {'layer': [{'data': {'values': [{'x': 1}]}, 'mark': 'line'}, {'data': {'name': 'rules'}}]}
    """
    datasets = {name: rows for name, rows in spec.get("datasets", {}).items() if name != RULES}

    def walk(node):
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and set(data) == {"name"} and data["name"] in datasets:
                node = {**node, "data": {"values": datasets[data["name"]]}}
            return {key: walk(value) if key != "data" else value for key, value in node.items() if key != "datasets"}
        if isinstance(node, list):
            return [walk(value) for value in node]
        return node

    return walk(spec)


def place_rules(spec: dict, stichtag: dt.date, compare: dt.date | None = None, lang: str = "de") -> dict:
    """A copy of an :func:`inline_data` spec with the Stichtag (and compare) rule in its rule layer.

    Examples
    --------
    >>> placed = place_rules({"layer": [{"mark": "line"}, {"data": {"name": RULES}}]}, dt.date(2024, 2, 1))
    >>> placed["layer"][1]["data"]
    {'values': [{'day': '2024-02-01T00:00:00', 'label': 'Stichtag'}]}
    """
    rows = with_rules({}, stichtag, compare, lang)["datasets"][RULES]
    return {
        **spec,
        "layer": [
            {**layer, "data": {"values": rows}} if layer.get("data") == {"name": RULES} else layer
            for layer in spec["layer"]
        ],
    }


def _rules(lang: str) -> alt.Chart:
    # Fixed values, not a colour scale: the layers share scales, and the rules must not join the legend.
    is_stichtag = alt.datum.label == t("stichtag", lang)
    return (
        alt.Chart(alt.NamedData(RULES))
        .mark_rule(strokeWidth=2)
        .encode(
            x="day:T",
            color=alt.condition(is_stichtag, alt.value(STICHTAG_COLOUR), alt.value("#7f8c8d")),
            strokeDash=alt.condition(is_stichtag, alt.value([1, 0]), alt.value([4, 3])),
            tooltip=[
                alt.Tooltip("label:N", title=""),
                alt.Tooltip("day:T", title=t("axis_date", lang), format="%d.%m.%Y"),
            ],
        )
    )


def _folded(chart: alt.Chart, series: dict[str, str], value: str) -> alt.Chart:
    """One row per day and series, made in the browser from one row per day (fewer bytes per rerun).

    The ``series`` field holds the display names; days without a value in a series are left out.
    """
    label = " : ".join(f"datum.key === {json.dumps(key)} ? {json.dumps(name)}" for key, name in series.items())
    return (
        chart.transform_fold(list(series), as_=["key", value])
        .transform_filter(f"isValid(datum.{value})")
        .transform_calculate(series=f"{label} : datum.key")
    )


def _time_and_series() -> dict:
    return {
        "x": alt.X("day:T", title=None, axis=alt.Axis(format="%b %Y")),
        "color": alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom")),
    }


def coverage_spec(frame: pd.DataFrame, events: pd.DataFrame, lang: str = "de") -> dict:
    """Shares of Gemeinden and population covered, as steps, with event markers.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``Coverage.timeline`` (columns day, gemeinden_share, population_share,
        gemeinden_covered_documented, gemeinden_total).
    events : pandas.DataFrame
        ``read_events`` (columns region, date).
    lang : str
        "de" or "en".

    Returns
    -------
    dict
        Vega-Lite spec; pass it through :func:`with_rules` before drawing.
    """
    # The documented part rides along, so the chart never shows an inference as the whole story.
    frame = frame.assign(gemeinden_documented_share=frame["gemeinden_covered_documented"] / frame["gemeinden_total"])
    series = {
        "gemeinden_share": t("series_gemeinden", lang),
        "gemeinden_documented_share": t("series_gemeinden_documented", lang),
        "population_share": t("series_population", lang),
    }
    # A tenth of a per mille is finer than the chart shows; folded by Vega-Lite (one row per day).
    wide = frame[["day", *series]].round(5).assign(day=pd.to_datetime(frame["day"]))
    lines = (
        _folded(alt.Chart(wide), series, "share")
        .mark_line(interpolate="step-after", strokeWidth=2.5)
        .encode(
            **_time_and_series(),
            y=alt.Y(
                "share:Q", title=t("axis_share", lang), axis=alt.Axis(format=".0%"), scale=alt.Scale(domain=[0, 1])
            ),
            tooltip=[
                alt.Tooltip("series:N", title=t("series", lang)),
                alt.Tooltip("day:T", title=t("axis_date", lang), format="%d.%m.%Y"),
                alt.Tooltip("share:Q", title=t("axis_share", lang), format=".1%"),
            ],
        )
    )
    marks = pd.DataFrame(
        {
            "day": pd.to_datetime(events["date"]),
            "label": [
                t("jump_item", lang, region=r, date=format_date(dt.date.fromisoformat(d), lang))
                for r, d in zip(events["region"], events["date"])
            ],
            "short": "RB " + events["region"],
        }
    )
    event_rules = (
        alt.Chart(marks)
        .mark_rule(color="#95a5a6", strokeDash=[2, 2])
        .encode(x="day:T", tooltip=alt.Tooltip("label:N", title=t("event", lang)))
    )
    event_text = (
        alt.Chart(marks)
        .mark_text(angle=270, align="left", dx=-4, dy=-4, fontSize=10, color="#7f8c8d")
        .encode(x="day:T", y=alt.value(4), text="short:N")
    )
    return alt.layer(event_rules, event_text, lines, _rules(lang)).configure(locale=vega_locale(lang)).to_dict()


def sizes_spec(sizes: pd.DataFrame, lang: str = "de") -> dict:
    """The published network sizes (people, organisations) as lower bounds over time.

    Parameters
    ----------
    sizes : pandas.DataFrame
        ``read_network_sizes`` (columns day, people, organisations, published, source).
    lang : str
        "de" or "en".

    Returns
    -------
    dict
        Vega-Lite spec; pass it through :func:`with_rules` before drawing.
    """
    # One row per publication, folded into one per series by Vega-Lite: the
    # published text and source are written once, not once per series.
    series = {"people": t("series_people", lang), "organisations": t("series_organisations", lang)}
    wide = sizes[["day", "published", "source", *series]].assign(day=pd.to_datetime(sizes["day"]))
    base = _folded(alt.Chart(wide), series, "count").encode(
        **_time_and_series(),
        y=alt.Y("count:Q", title=t("axis_count", lang)),
        tooltip=[
            alt.Tooltip("series:N", title=t("series", lang)),
            alt.Tooltip("day:T", title=t("axis_date", lang), format="%d.%m.%Y"),
            alt.Tooltip("count:Q", title=t("axis_count", lang), format=",d"),
            alt.Tooltip("published:N", title=""),
            alt.Tooltip("source:N", title=t("tip_source", lang)),
        ],
    )
    # Points carry the data; the thin line only guides the eye between published values.
    # One layer (line with a point overlay), so its data is written into the spec once.
    line = base.mark_line(
        strokeDash=[3, 3], opacity=0.6, point=alt.OverlayMarkDef(filled=True, size=60, opacity=1, strokeDash=[1, 0])
    )
    return (
        alt.layer(line, _rules(lang))
        .properties(title=t("sizes_title", lang))
        .configure(locale=vega_locale(lang))
        .to_dict()
    )
