"""Static map of a view with matplotlib (Agg, no browser): header, map panels, legend, credits.

The figure is built on a bare :class:`matplotlib.figure.Figure`, never through
pyplot, so the dashboard can render in any thread without global state.
Geometry is the dashboard's "detail" level of detail (50 m tolerance) in
EPSG:25832: at A4 and 300 dpi one pixel is about 110 m of NRW, so full
resolution would look the same and draw slower.
"""

from __future__ import annotations

import functools
import textwrap
from dataclasses import dataclass

import geopandas as gpd
import matplotlib
import pandas as pd
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from shapely.ops import polylabel

from exports import style
from loaders.boundaries import CRS
from loaders.coverage import Coverage
from loaders.viewstate import ViewState
from viewmodel import palette
from viewmodel.i18n import format_date, t
from viewmodel.model import ViewModel, build

# Settings for building *and* saving; applied with rc_context so the host
# process (e.g. the dashboard) keeps its own rcParams.
RC = {
    "font.family": "DejaVu Sans",     # ships with matplotlib: same glyphs on every machine
    "svg.fonttype": "none",           # SVG text stays text
    "svg.hashsalt": "sid-atlas",      # stable element ids
    "pdf.fonttype": 42,               # embed TrueType, so PDF text is text and extractable
    "hatch.linewidth": 0.6,
}
LABEL_HALO = "#ffffff"
PAD = 0.03  # share of the map extent left free around NRW or the region


@functools.cache
def geometry(level: str) -> gpd.GeoDataFrame:
    """Outlines of one level (key, geometry) in EPSG:25832, simplified like the web map."""
    from loaders.store import load_web_units

    web = load_web_units("detail")
    return web.loc[web["level"] == level, ["key", "geometry"]].to_crs(CRS).reset_index(drop=True)


@dataclass(frozen=True)
class Panel:
    """One map: the view model of one day (its units carry the "new" marks)."""

    model: ViewModel
    heading: str | None   # shown above the panel in a before/after picture


def _panels(cov: Coverage, view: ViewState) -> list[Panel]:
    now = build(cov, view, tooltips=False)
    if view.compare is None:
        return [Panel(now, None)]
    before = build(cov, view.with_(date=view.compare, compare=None), tooltips=False)
    lang = view.lang
    return [Panel(before, t("panel_before", lang, date=format_date(view.compare, lang))),
            Panel(now, t("panel_after", lang, date=format_date(view.date, lang)))]


def _draw_panel(ax, panel: Panel, view: ViewState, scale: float, box_aspect: float) -> None:
    units = panel.model.units[["key", "shown", "hatched"]]
    # The model holds the view's region; the units outside it are drawn muted around it.
    shapes = geometry(view.level).merge(units, on="key", how="left")
    shapes["shown"] = shapes["shown"].fillna("muted")
    shapes["hatched"] = shapes["hatched"].fillna(False).astype(bool)
    for (shown, hatched), group in shapes.groupby(["shown", "hatched"], sort=True):
        look = palette.STYLES[shown]
        pattern = "inferred" if hatched else look.pattern
        group.plot(ax=ax, color=look.fill, edgecolor="none", linewidth=0,
                   hatch=palette.MPL_HATCH[pattern] if pattern else None,
                   hatchcolor=palette.HATCH_INK if hatched else palette.DOT_INK)
    unit_lw = {"gemeinde": 0.25, "kreis": 0.5, "regierungsbezirk": 0.8}[view.level]
    shapes.boundary.plot(ax=ax, color=palette.EDGE, linewidth=unit_lw * scale)
    if view.level == "gemeinde":
        geometry("kreis").boundary.plot(ax=ax, color=palette.EDGE, linewidth=0.7 * scale)
    new = shapes[shapes["shown"] == "new"]
    if len(new):
        # A dark edge around what is new keeps it findable in grey scale too.
        gpd.GeoSeries([new.union_all()], crs=CRS).boundary.plot(ax=ax, color=palette.INK, linewidth=1.0 * scale)
    rbs = geometry("regierungsbezirk")
    rbs.boundary.plot(ax=ax, color=palette.OUTLINE, linewidth=1.1 * scale)
    geometry("land").boundary.plot(ax=ax, color=palette.OUTLINE, linewidth=1.4 * scale)
    _label_regions(ax, rbs, view, scale, panel.model)
    _frame(ax, view, box_aspect)
    if panel.heading:
        ax.set_title(panel.heading, fontsize=11 * scale, color=palette.INK, loc="left")


def _label_regions(ax, rbs: gpd.GeoDataFrame, view: ViewState, scale: float, model: ViewModel) -> None:
    # Labels shrink with a small panel (before/after on a square), so neighbours do not collide.
    panel_width = ax.get_position().width * ax.figure.get_figwidth()
    size = scale * min(1.0, max(0.7, panel_width / 6.0))
    names = _bezirk_names()
    halo = [patheffects.withStroke(linewidth=2.6 * size, foreground=LABEL_HALO)]
    for key, shape in zip(rbs["key"], rbs.geometry):
        polygon = max(getattr(shape, "geoms", [shape]), key=lambda part: part.area)
        # The centroid reads as the middle; polylabel only where the centroid falls outside.
        point = polygon.centroid if polygon.contains(polygon.centroid) else polylabel(polygon, tolerance=500)
        chosen = view.region in (None, key)
        ax.text(point.x, point.y, f"RB {names[key]}", ha="center", va="center", clip_on=True,
                fontsize=(9.5 if chosen else 8) * size, fontweight="bold" if chosen else "normal",
                color=palette.INK if chosen else palette.SUBTLE_INK, path_effects=halo, zorder=5)


@functools.cache
def _bezirk_names() -> dict[str, str]:
    from loaders.store import load_units

    units = load_units()
    bezirke = units[units["level"] == "regierungsbezirk"]
    return dict(zip(bezirke["key"], bezirke["name"].astype(str)))


def _focus_bounds(view: ViewState) -> tuple[float, float, float, float]:
    """NRW's or the chosen region's bounds, padded: what a panel must show."""
    focus = geometry("regierungsbezirk")
    if view.region:
        focus = focus[focus["key"] == view.region]
    minx, miny, maxx, maxy = focus.total_bounds
    pad = PAD * max(maxx - minx, maxy - miny)
    return minx - pad, miny - pad, maxx + pad, maxy + pad


def _frame(ax, view: ViewState, box_aspect: float) -> None:
    """Show the focus, widened to the panel's shape (the extra shows muted surroundings)."""
    minx, miny, maxx, maxy = _focus_bounds(view)
    cx, cy, w, h = (minx + maxx) / 2, (miny + maxy) / 2, maxx - minx, maxy - miny
    if w / h < box_aspect:
        w = h * box_aspect
    else:
        h = w / box_aspect
    ax.set_xlim(cx - w / 2, cx + w / 2)
    ax.set_ylim(cy - h / 2, cy + h / 2)
    ax.set_aspect("equal")
    ax.set_axis_off()


def _legend_handles(panels: list[Panel]) -> list[Patch]:
    """The view model's legend entries (of every panel, in order) as matplotlib patches."""
    seen, handles = set(), []
    for panel in panels:
        for item in panel.model.legend:
            if item["status"] in seen:
                continue
            seen.add(item["status"])
            look = palette.STYLES[item["status"]]
            pattern = "inferred" if item["inferred"] else look.pattern
            facecolor = "#ffffff" if item["inferred"] else look.fill
            handles.append(Patch(facecolor=facecolor, edgecolor=look.stroke if item["status"] == "new" else "#bbbbbb",
                                 linewidth=0.8 if item["status"] == "new" else 0.4, label=item["label"],
                                 hatch=palette.MPL_HATCH[pattern] if pattern else None,
                                 hatchcolor=look.fill if item["inferred"] else palette.DOT_INK))
    return handles


def _wrap(pieces: list[str], width_in: float, fontsize: float) -> str:
    """Join credit pieces with " · ", breaking lines between pieces to fit ``width_in``."""
    # DejaVu Sans averages about 0.55 em per character; 0.6 leaves a margin.
    limit = max(20, int(width_in * 72 / (0.6 * fontsize)))
    lines: list[str] = []
    for piece in pieces:
        if lines and len(lines[-1]) + 3 + len(piece) <= limit:
            lines[-1] += " · " + piece
        else:
            lines.append(piece)
    return "\n".join(lines)


def build_figure(cov: Coverage, view: ViewState, preset: style.Preset, title: str | None = None) -> Figure:
    """The press picture of ``view``: one map, or before/after when the view compares.

    Call inside ``matplotlib.rc_context(RC)`` so text and hatching use the export settings.
    """
    title = (title or "").strip() or style.default_title(view.lang)
    width, height = preset.size_inches
    s = preset.scale
    fig = Figure(figsize=(width, height), dpi=preset.dpi, facecolor="white")
    margin = 0.32 * s
    line = 1.45 / 72 * s  # inches per point of type, with leading

    # Header: title, subtitle, figures; long lines break between their " · " parts.
    y = height - margin
    panels = _panels(cov, view)
    model = panels[-1].model
    header = ((title, 20, "bold", palette.INK), (model.subtitle, 12, "normal", palette.SUBTLE_INK),
              (model.figures_line, 11.5, "normal", palette.INK))
    if model.currency:
        header += ((model.currency, 9, "normal", palette.SUBTLE_INK),)
    for text, size, weight, colour in header:
        text = _wrap(text.split(" · "), width - 2 * margin, size * s)
        fig.text(margin / width, y / height, text, fontsize=size * s, fontweight=weight, color=colour,
                 ha="left", va="top", linespacing=1.25)
        y -= (text.count("\n") + 1) * size * line
    header_bottom = y - 0.12 * s

    # Footer: the credits, always.
    credit_size = 7.5
    credits = _wrap(style.attribution_pieces(), width - 2 * margin, credit_size * s)
    fig.text(margin / width, margin / height, credits, fontsize=credit_size * s, color=palette.SUBTLE_INK,
             ha="left", va="bottom", linespacing=1.35)
    footer_top = margin + (credits.count("\n") + 1) * credit_size * line + 0.12 * s

    handles = _legend_handles(panels)
    legend_size = 10 * s
    # Beside the map when the page is wide enough for it, else below.
    side_legend = preset.width_px >= (0.9 if len(panels) == 1 else 1.2) * preset.height_px
    minx, miny, maxx, maxy = _focus_bounds(view)
    data_aspect = (maxx - minx) / (maxy - miny)
    map_h = header_bottom - footer_top
    if side_legend:
        legend_w = min(0.3 * width, 3.4 * s)
        wrap = int(legend_w * 72 / (0.6 * legend_size)) - 4
        gap = 0.3 * s
        map_w = width - 2 * margin - legend_w - gap
        if len(panels) == 1:
            map_w = min(map_w, map_h * data_aspect)
        map_box = (margin, footer_top, map_w, map_h)
        legend_loc = "center left"
    else:
        wrap = int((width - 2 * margin) * 72 / (0.6 * legend_size)) - 4
        rows = sum(len(textwrap.wrap(h.get_label(), wrap)) for h in handles) + 1  # + the title
        legend_h = rows * legend_size * line * 1.1
        map_h -= legend_h + 0.15 * s
        map_box = (margin, footer_top + legend_h + 0.15 * s, width - 2 * margin, map_h)
        legend_box = (margin, footer_top, width - 2 * margin, legend_h)
        legend_loc = "upper left"

    heading = 11 * s * line + 0.08 * s if len(panels) > 1 else 0.0
    boxes = _split(map_box, len(panels), preset, s, data_aspect, heading)
    for panel, (x, y0, w, h) in zip(panels, boxes):
        ax = fig.add_axes((x / width, y0 / height, w / width, h / height))
        _draw_panel(ax, panel, view, s, w / h)
    if side_legend:
        # Right next to the last panel, which may be narrower than the room it had.
        legend_box = (max(x + w for x, _, w, _ in boxes) + gap, footer_top, legend_w, map_h)

    for handle in handles:
        handle.set_label("\n".join(textwrap.wrap(handle.get_label(), wrap)))
    lx, ly, lw, lh = legend_box
    legend_ax = fig.add_axes((lx / width, ly / height, lw / width, lh / height))
    legend_ax.set_axis_off()
    legend_ax.legend(handles=handles, loc=legend_loc, frameon=False, fontsize=legend_size,
                     title=t(f"level_plural_{view.level}", view.lang), title_fontsize=legend_size,
                     alignment="left", handlelength=1.6, handleheight=1.2, borderaxespad=0, labelcolor=palette.INK)
    return fig


def _split(box, count: int, preset: style.Preset, s: float, data_aspect: float, heading: float):
    """Panel boxes: one, or two side by side (stacked on a portrait page), each below its heading.

    Two panels take no more room than the map needs, so they sit close together.
    """
    x, y, w, h = box
    if count == 1:
        return [box]
    gap = 0.3 * s
    if preset.height_px > 1.2 * preset.width_px:
        half = min((h - gap) / 2 - heading, w / data_aspect)
        top = y + h - heading - half
        return [(x, top, w, half), (x, top - gap - heading - half, w, half)]
    half = min((w - gap) / 2, (h - heading) * data_aspect)
    tall = min(h - heading, half / data_aspect)
    top = y + h - heading - tall
    return [(x, top, half, tall), (x + half + gap, top, half, tall)]


def render_map(cov: Coverage, view: ViewState, fmt: str, preset: style.Preset, title: str | None = None) -> bytes:
    """PNG, SVG or PDF bytes of the view; the same inputs give the same bytes."""
    import io

    title = (title or "").strip() or style.default_title(view.lang)
    with matplotlib.rc_context(RC):
        fig = build_figure(cov, view, preset, title)
        if fmt == "png":
            return _png(fig, preset.dpi, title)
        metadata = {
            "svg": {"Date": None, "Creator": None, "Title": title},
            "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None, "Title": title},
        }[fmt]
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=preset.dpi, metadata=metadata, facecolor="white")
    return buffer.getvalue()


def _png(fig: Figure, dpi: int, title: str) -> bytes:
    """The figure as an RGB PNG at zlib level 1.

    The page is opaque white, so matplotlib's RGBA would store an alpha channel
    of nothing but 255; at its default level 6 encoding took 0.57 s of a 2.6 s
    A4 export; RGB at level 1 takes about a fifth of that, and the A4 file
    grows by about 4 % (1.41 vs 1.36 MB).
    """
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image, PngImagePlugin

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(physical=True), canvas.buffer_rgba()).convert("RGB")
    info = PngImagePlugin.PngInfo()
    info.add_text("Title", title)
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=1, dpi=(dpi, dpi), pnginfo=info)
    return buffer.getvalue()
