"""The coverage timeline as a press picture: the same header and footer as the maps, two charts on one time axis.

Top: the shares of Gemeinden and of the population covered (steps), with the
documented share beside them; bottom: the network sizes the network itself
published (lower bounds). Both share one time axis from the founding to the
Stichtag; the regional events are marked in both and labelled once above, in
as many rows as needed so that no two labels overlap.

A Stichtag after the Datenstand (:mod:`loaders.provenance`): the lines stop at
the Datenstand, a labelled dash-dot rule marks it in both charts and a grey band
"Keine Angaben nach dem Datenstand" covers the time after it, as on screen
(:func:`viewmodel.charts.as_of_marks`). Sizes published without a date are
listed under the lower chart once the picture reaches the Datenstand, never
placed on a day.
"""

from __future__ import annotations

import datetime as dt

import matplotlib
import matplotlib.dates as mdates
import pandas as pd
from matplotlib.patches import Patch

from exports import style, textfit
from exports.mapfig import Texts, header_footer, page_text
from exports.taggedpdf import PressFigure
from loaders import accessions, provenance
from loaders.coverage import Coverage
from loaders.viewstate import FIRST_DAY, ViewState
from viewmodel import charts, palette
from viewmodel.i18n import t
from viewmodel.model import build

EVENT_INK = "#7f8c8d"
STICHTAG_INK = palette.STICHTAG


def label_rows(spans: list[tuple[float, float]], gap: float = 4.0) -> list[int]:
    """The row of each label (0 = lowest) so that labels in one row do not overlap.

    ``spans`` are (left, right) in points, in drawing order.

    Examples
    --------
    >>> label_rows([(0, 50), (40, 90), (100, 150), (45, 60)])
    [0, 1, 0, 2]
    """
    rows: list[list[tuple[float, float]]] = []
    out = []
    for left, right in spans:
        for index, taken in enumerate(rows):
            if all(right + gap <= a or left >= b + gap for a, b in taken):
                taken.append((left, right))
                out.append(index)
                break
        else:
            rows.append([(left, right)])
            out.append(len(rows) - 1)
    return out


def build_timeline(
    cov: Coverage,
    view: ViewState,
    preset: style.Preset,
    title: str | None = None,
    subtitle: str | None = None,
    note: str | None = None,
) -> PressFigure:
    """The timeline picture of ``view`` (its region and evidence filter, up to its Stichtag)."""
    lang = view.lang
    width, height = preset.size_inches
    s = preset.scale
    margin = 0.32 * s
    fig = PressFigure(figsize=(width, height), dpi=preset.dpi, facecolor="white")
    model = build(cov, view, tooltips=False)
    lines = [model.subtitle, model.figures_line] + ([model.currency] if model.currency else [])
    top, bottom = header_footer(
        fig, preset, Texts(style.title_for(cov, view, title), subtitle, note, model.data_version), lines
    )

    events = accessions.read_events().sort_values("date")
    events = events[pd.to_datetime(events["date"]).dt.date <= view.date]
    as_of = provenance.data_as_of(cov)
    # The figures end at the Datenstand: nothing after it is drawn as if it were known.
    frame = cov.timeline(view.evidence, view.region, start=FIRST_DAY, end=provenance.figures_day(cov, view.date))
    published = accessions.read_network_sizes()
    sizes = accessions.dated_sizes(published)  # an undated figure has no place on the axis
    sizes = sizes[[day <= view.date for day in sizes["day"]]]
    marks = charts.as_of_marks(as_of, FIRST_DAY, view.date, lang)

    size = 9 * s
    # Event labels: measured, stacked in rows above the upper chart.
    left_pad, right_pad = 0.75 * s, 0.25 * s
    chart_w = width - 2 * margin - left_pad - right_pad
    span = (view.date - FIRST_DAY).days or 1
    xs = [(dt.date.fromisoformat(d) - FIRST_DAY).days / span * chart_w * 72 for d in events["date"]]
    texts = [f"RB {region}" for region in events["region"]]
    spans = [
        (x - textfit.text_width(text, size) / 2, x + textfit.text_width(text, size) / 2) for x, text in zip(xs, texts)
    ]
    rows = label_rows(spans)
    row_h = size * 1.35 / 72
    label_h = (max(rows) + 1) * row_h if rows else 0.0
    legend_h = 1.6 * size / 72  # room for the lower chart's tick labels and the sizes heading
    gap = 0.5 * s
    # Sizes without a date, in words under the lower chart, once the picture reaches the Datenstand.
    undated = accessions.undated_sizes(published) if as_of is None or view.date >= as_of.day else published[:0]
    undated_lines = (
        textfit.wrap(
            t("chart_undated", lang) + " " + "; ".join(charts.undated_short(undated, lang)), chart_w * 72, size
        )
        if len(undated)
        else []
    )
    undated_h = len(undated_lines) * row_h + (0.08 * s if undated_lines else 0.0)
    room = top - bottom - label_h - 2 * legend_h - gap - undated_h
    upper_h, lower_h = 0.58 * room, 0.42 * room
    x0 = margin + left_pad
    base = bottom + undated_h
    lower = fig.add_axes((x0 / width, (base + legend_h) / height, chart_w / width, lower_h / height))
    upper = fig.add_axes(
        (x0 / width, (base + 2 * legend_h + lower_h + gap) / height, chart_w / width, upper_h / height), sharex=lower
    )
    if undated_lines:
        undated_text = fig.text(
            x0 / width,
            bottom / height,
            "\n".join(undated_lines),
            fontsize=size,
            color=palette.INK,
            ha="left",
            va="bottom",
            linespacing=1.25,
        )
        page_text(fig, undated_text, "after", undated_lines)
    # The tagged PDF's picture: the charts with their event labels, between header and footer.
    fig.sid_picture = (margin, base, width - 2 * margin, top - base)

    days = pd.to_datetime(frame["day"])
    upper.step(
        days,
        frame["gemeinden_share"],
        where="post",
        color=palette.DARK,
        linewidth=2 * s,
        label=t("series_gemeinden", lang),
    )
    upper.step(
        days,
        frame["population_share"],
        where="post",
        color=palette.LIGHT,
        linewidth=2 * s,
        label=t("series_population", lang),
    )
    documented = frame["gemeinden_covered_documented"] / frame["gemeinden_total"].where(frame["gemeinden_total"] > 0)
    upper.step(
        days,
        documented,
        where="post",
        color=palette.DARK,
        linewidth=1.2 * s,
        linestyle=(0, (3, 2)),
        label=t("series_documented", lang),
    )
    upper.set_ylim(0, 1.02)
    upper.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    upper.set_ylabel(t("axis_share", lang), fontsize=size)

    for column, colour, marker in (("people", palette.DARK, "o"), ("organisations", palette.LIGHT, "s")):
        points = sizes.dropna(subset=[column])
        lower.plot(
            pd.to_datetime(points["day"]),
            points[column],
            color=colour,
            marker=marker,
            markersize=4 * s,
            linestyle=(0, (3, 3)),
            linewidth=0.9 * s,
            label=t(f"series_{column}", lang),
        )
    lower.set_ylim(bottom=0)
    lower.set_title(t("sizes_title", lang), fontsize=size, loc="left", color=palette.INK)
    lower.set_ylabel(t("axis_count", lang), fontsize=size)
    lower.set_xlim(pd.Timestamp(FIRST_DAY), pd.Timestamp(view.date))
    lower.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
    lower.xaxis.set_major_formatter(mdates.DateFormatter("%m/%Y"))

    as_of_dash = (0, tuple(float(n) for n in marks["asOfStyle"][1].split()))
    for ax in (upper, lower):
        for day in events["date"]:
            ax.axvline(pd.Timestamp(day), color=EVENT_INK, linewidth=0.8 * s, linestyle=(0, (2, 2)), zorder=0)
        if marks["after"] and as_of:
            ax.axvspan(pd.Timestamp(as_of.day), pd.Timestamp(view.date), color=marks["afterFill"], zorder=0, lw=0)
        if marks["asOf"] and as_of:
            ax.axvline(
                pd.Timestamp(as_of.day),
                color=marks["asOfStyle"][0],
                linewidth=1.4 * s,
                linestyle=as_of_dash,
                zorder=1,
                label=marks["asOf"][1] if ax is upper else None,
            )
        ax.axvline(pd.Timestamp(view.date), color=STICHTAG_INK, linewidth=1.4 * s, zorder=1)
        ax.tick_params(labelsize=size, colors=palette.INK)
        ax.spines[["top", "right"]].set_visible(False)
        handles, labels = ax.get_legend_handles_labels()
        if ax is upper and marks["after"]:
            handles.append(Patch(facecolor=marks["afterFill"], edgecolor=palette.INK, linewidth=0.4 * s))
            labels.append(marks["after"])
        # Top left is empty in both charts (nothing was covered or published before autumn 2022).
        ax.legend(
            handles,
            labels,
            loc="upper left",
            frameon=True,
            facecolor="white",
            edgecolor="none",
            framealpha=0.9,
            fontsize=size,
            borderaxespad=0.3,
            handlelength=2,
        )
    upper.tick_params(labelbottom=False)
    label_base = (base + 2 * legend_h + lower_h + gap + upper_h) / height + 0.04 * s / height
    for x, text, row in zip(xs, texts, rows):
        fig.text(
            (x0 + x / 72) / width,
            label_base + row * row_h / height,
            text,
            fontsize=size,
            color=palette.INK,
            ha="center",
            va="bottom",
        )
    return fig
