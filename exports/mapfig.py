"""Static map of a view with matplotlib (Agg, no browser): header, map panels, legend, credits.

The figure is built on a bare :class:`matplotlib.figure.Figure`, never through
pyplot, so the dashboard can render in any thread without global state.
Geometry is the dashboard's "detail" level of detail (50 m tolerance) in
EPSG:25832: at A4 and 300 dpi one pixel is about 110 m of NRW, so full
resolution would look the same and draw slower.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import matplotlib
import numpy as np
import pandas as pd
import shapely
from matplotlib import patheffects
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.path import Path
from shapely.ops import polylabel

from exports import style, textfit
from exports.taggedpdf import PressFigure
from loaders.boundaries import CRS
from loaders.coverage import Coverage
from loaders.viewstate import ViewState
from viewmodel import palette
from viewmodel.i18n import format_date, t
from viewmodel.model import ViewModel, build
from viewmodel.text import LegendEntry

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

# Settings for building *and* saving; applied with rc_context so the host
# process (e.g. the dashboard) keeps its own rcParams.
RC: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",  # ships with matplotlib: same glyphs on every machine
    "svg.fonttype": "none",  # SVG text stays text
    "svg.hashsalt": "sid-atlas",  # stable element ids
    "pdf.fonttype": 42,  # embed TrueType, so PDF text is text and extractable
    "hatch.linewidth": 0.6,
}
LABEL_HALO = "#ffffff"
PAD = 0.03  # share of the map extent left free around NRW or the region


# Levels of detail the web geometry comes in (metres of simplification, see loaders.lod.LODS);
# a picture takes the coarsest whose error stays below PRINT_TOLERANCE_PT on the page.
PRINT_TOLERANCE_PT = 0.35


@functools.cache
def geometry(level: str, lod: str = "detail") -> pd.DataFrame:
    """Outlines of one level (key, geometry: shapely objects) in EPSG:25832, simplified like the web map."""
    web = _projected(lod)
    return web.loc[web["level"] == level, ["key", "geometry"]].reset_index(drop=True)


@functools.cache
def _projected(lod: str) -> pd.DataFrame:
    """Every level of one level of detail in EPSG:25832, from a derived file beside the web geometry.

    Reading the web geometry and projecting it cost every export process a
    noticeable share of its time and needed geopandas and pyproj; the projected
    outlines as WKB in an ``.npz`` (no pickle) read almost at once. The file notes size and
    modification time of the web geometry it came from and is rebuilt when they
    differ (e.g. after ``sid-atlas prepare --rebuild``).
    """
    from loaders import store

    web_path = store.web_cache_path(lod)
    path = web_path.with_name(f"print-{web_path.stem}.npz")
    stamp = _stamp(web_path)
    if stamp is not None and path.is_file():
        with np.load(path, allow_pickle=False) as cached:
            if cached["stamp"].tolist() == stamp:
                wkb = cached["wkb"].tobytes()
                ends = cached["ends"].tolist()
                pieces = [wkb[start:end] for start, end in zip([0] + ends[:-1], ends)]
                return pd.DataFrame(
                    {"level": cached["level"], "key": cached["key"], "geometry": shapely.from_wkb(pieces)}
                )
    frame = _project(lod)
    _write_projected(path, frame, _stamp(web_path))
    return frame


def _stamp(path) -> list[int] | None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return [info.st_size, info.st_mtime_ns]


def _project(lod: str) -> pd.DataFrame:
    """One projection per file, not one per level (setting up the transformation was most of a ``to_crs``)."""
    from loaders.store import load_web_units

    web = load_web_units(lod)[["level", "key", "geometry"]].to_crs(CRS)
    return pd.DataFrame({"level": web["level"], "key": web["key"], "geometry": web.geometry.to_numpy()})


def _write_projected(path, frame: pd.DataFrame, stamp: list[int] | None) -> None:
    from loaders.paths import atomic_write

    pieces = shapely.to_wkb(frame["geometry"].to_numpy())
    with atomic_write(path) as handle:
        np.savez(
            handle,
            stamp=np.array(stamp or [-1, -1], dtype=np.int64),
            level=frame["level"].to_numpy(dtype=str),
            key=frame["key"].to_numpy(dtype=str),
            wkb=np.frombuffer(b"".join(pieces), dtype=np.uint8),
            ends=np.cumsum([len(piece) for piece in pieces], dtype=np.int64),
        )


def print_lod(metres_per_point: float) -> str:
    """The coarsest level of detail whose simplification is invisible at this map scale.

    Examples
    --------
    >>> print_lod(600), print_lod(300), print_lod(100)
    ('region', 'detail', 'detail')
    """
    from loaders.lod import LODS

    fitting = [lod for lod, metres in LODS.items() if metres <= PRINT_TOLERANCE_PT * metres_per_point]
    return max(fitting, key=lambda lod: LODS[lod]) if fitting else "detail"


@dataclass(frozen=True)
class Panel:
    """One map: the view model of one day (its units carry the "new" marks)."""

    model: ViewModel
    heading: str | None  # shown above the panel in a before/after picture


def panels(cov: Coverage, view: ViewState) -> list[Panel]:
    """The view's maps: one, or before and after when it compares."""
    now = build(cov, view, tooltips=False)
    if view.compare is None:
        return [Panel(now, None)]
    before = build(cov, view.with_(date=view.compare, compare=None), tooltips=False)
    lang = view.lang
    return [
        Panel(before, t("panel_before", lang, date=format_date(view.compare, lang))),
        Panel(now, t("panel_after", lang, date=format_date(view.date, lang))),
    ]


def _clipped(frame: pd.DataFrame, ax) -> pd.DataFrame:
    """Only what the panel shows: shapes cut to its extent, so nothing invisible is written to SVG/PDF."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    margin = 0.01 * (x1 - x0)
    frame = frame.copy()
    frame["geometry"] = shapely.clip_by_rect(
        frame["geometry"].to_numpy(), x0 - margin, y0 - margin, x1 + margin, y1 + margin
    )
    return frame[~shapely.is_empty(frame["geometry"].to_numpy())]


# geopandas.plot drew the same collections, but each call defined a new matplotlib class (whose
# docstring matplotlib builds on the spot) and imported pyplot; geopandas and pyproj are not needed.
def _polygon_paths(geoms) -> list[Path]:
    """One closed compound path per (Multi)Polygon, normalized first: exactly the paths geopandas draws.

    Normalizing orients exteriors and holes oppositely (matplotlib fills by
    winding, so a hole must turn the other way) and fixes each ring's start.
    """
    paths = []
    for geom in shapely.normalize(np.asarray(geoms)):
        for piece in geom.geoms if geom.geom_type == "GeometryCollection" else [geom]:
            if piece.is_empty or piece.geom_type not in ("Polygon", "MultiPolygon"):
                continue
            rings = [ring for part in getattr(piece, "geoms", [piece]) for ring in (part.exterior, *part.interiors)]
            paths.append(
                Path.make_compound_path(*[Path(np.asarray(ring.coords)[:, :2], closed=True) for ring in rings])
            )
    return paths


def _plot_lines(ax, geoms, color: str, linewidth: float) -> None:
    """Lines (e.g. boundaries) as one collection, one segment list per line part."""
    parts = shapely.get_parts(shapely.normalize(np.asarray(geoms)))
    lines = [np.asarray(line.coords)[:, :2] for line in parts if not line.is_empty]
    ax.add_collection(LineCollection(lines, color=color, linewidth=linewidth), autolim=False)


def _draw_panel(
    ax, panel: Panel, view: ViewState, scale: float, box_aspect: float, lod: str, raster: bool = False
) -> None:
    _frame(ax, view, box_aspect)
    units = panel.model.units[["key", "shown", "hatched", "evidence", "new"]]
    # The model holds the view's region; the units outside it are drawn muted around it.
    shapes = _clipped(geometry(view.level, lod), ax).merge(units, on="key", how="left")
    shapes["shown"] = shapes["shown"].fillna("muted")
    shapes["hatched"] = shapes["hatched"].fillna(False).astype(bool)
    shapes["new"] = shapes["new"].fillna(False).astype(bool)
    unit_lw = {"gemeinde": 0.25, "kreis": 0.5, "regierungsbezirk": 0.8}[view.level]
    for (shown, hatched), group in shapes.groupby(["shown", "hatched"], sort=True):
        look = palette.STYLES[shown]
        pattern = "inferred" if hatched else look.pattern
        # Fill and unit edge in one path per unit: drawing the boundaries again doubled the file.
        # Light fills keep their grey edge (3:1), so "not yet" stays apart from its neighbours in print too.
        edge = look.stroke if shown in ("not_yet", "undated", "muted") else palette.EDGE
        hatch = palette.MPL_HATCH[pattern] if pattern else None
        ink = palette.HATCH_INK if hatched else palette.DOT_INK
        paths = _polygon_paths(group["geometry"])
        if raster and hatch:
            _plot_hatched_once(ax, paths, look.fill, edge, unit_lw * scale, hatch, ink)
        else:
            ax.add_collection(
                PathCollection(
                    paths, facecolor=look.fill, edgecolor=edge, linewidth=unit_lw * scale, hatch=hatch, hatchcolor=ink
                ),
                autolim=False,
            )
    if view.level == "gemeinde":
        _plot_lines(ax, shapely.boundary(_clipped(geometry("kreis", lod), ax)["geometry"]), palette.EDGE, 0.7 * scale)
    rbs = geometry("regierungsbezirk", lod)
    _plot_lines(ax, shapely.boundary(_clipped(rbs, ax)["geometry"]), palette.OUTLINE, 1.1 * scale)
    _plot_lines(ax, shapely.boundary(_clipped(geometry("land", lod), ax)["geometry"]), palette.OUTLINE, 1.4 * scale)
    new = shapes[shapes["new"]]
    if len(new):
        # What is new keeps its status's fill; a ring over every outline (a dark line on an orange band)
        # marks it, in grey scale too.
        ring = [shapely.boundary(shapely.union_all(new["geometry"]))]
        band, line = palette.RING_WIDTHS
        _plot_lines(ax, ring, palette.STYLES["new"].fill, band * 0.6 * scale)
        _plot_lines(ax, ring, palette.STYLES["new"].stroke, line * 0.5 * scale)
    documented = shapes[(shapes["evidence"] == "documented") & (shapes["shown"] != "muted")]
    _label_regions(ax, rbs, view, scale, shapely.union_all(documented["geometry"]) if len(documented) else None)
    ax.set_xlim(*ax.get_xlim())  # plotting must not move the frame
    if panel.heading:
        ax.set_title(panel.heading, fontsize=11 * scale, color=palette.INK, loc="left")


def _plot_hatched_once(ax, paths: list[Path], fill: str, edge: str, linewidth: float, hatch: str, ink: str):
    """Hatched units for a raster picture: fills, then one hatch over all of them, then their edges.

    Agg renders a hatch tile (one inch square: 300 x 300 px at 300 dpi) for
    every hatched path it draws; one path per unit made the hatch the larger
    part of an A4 PNG's time. One compound path needs one tile, and its pattern is anchored to
    the canvas like every unit's, so the pixels are those of fill, hatch, edge
    per unit. Vector files keep one path per unit (a second copy of every unit
    would double them).
    """
    from matplotlib.patches import PathPatch

    ax.add_collection(PathCollection(paths, facecolor=fill, edgecolor="none", linewidth=0), autolim=False)
    # add_artist, not add_patch: the frame is fixed, and add_patch walks every segment in Python for the limits.
    ax.add_artist(
        PathPatch(
            Path.make_compound_path(*paths), facecolor="none", edgecolor="none", lw=0, hatch=hatch, hatchcolor=ink
        )
    )
    ax.add_collection(PathCollection(paths, facecolors="none", edgecolors=edge, linewidths=linewidth), autolim=False)


def _label_regions(ax, rbs: pd.DataFrame, view: ViewState, scale: float, documented) -> None:
    """One label per Regierungsbezirk, placed where it covers no documented unit and no other label.

    Candidates are the centroid, the pole of inaccessibility and a grid of
    points inside the Bezirk; each is scored by the share of its box over
    documented units, over labels already placed and outside the panel, and
    (lightly) by its distance from the centre. The chosen region's label comes first.
    """
    from shapely.geometry import box

    # Labels shrink with a small panel (before/after on a square), so neighbours do not collide.
    panel_width = ax.get_position().width * ax.figure.get_figwidth()
    size = scale * min(1.0, max(0.7, panel_width / 6.0))
    names = _bezirk_names()
    halo = [patheffects.withStroke(linewidth=2.6 * size, foreground=LABEL_HALO)]
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    view_box = box(x0, y0, x1, y1)
    metres_per_pt = (x1 - x0) / (ax.get_position().width * ax.figure.get_figwidth() * 72)
    placed: list[shapely.Geometry] = []
    order = sorted(zip(rbs["key"], rbs.geometry), key=lambda item: item[0] != view.region)
    for key, shape in order:
        chosen = view.region in (None, key)
        label = f"RB {names[key]}"
        fontsize = (9.5 if chosen else 8) * size
        half_w = (textfit.text_width(label, fontsize, bold=chosen) / 2 + 2) * metres_per_pt
        half_h = (fontsize * 0.62 + 1) * metres_per_pt
        polygon = max(getattr(shape, "geoms", [shape]), key=lambda part: part.area)
        centre = polygon.centroid if polygon.contains(polygon.centroid) else polylabel(polygon, tolerance=500)
        spread = max(polygon.bounds[2] - polygon.bounds[0], polygon.bounds[3] - polygon.bounds[1])
        # Every candidate at once: GEOS over arrays, the same sums in the same order as one by one.
        points = np.array(_candidates(polygon, centre), dtype=object)
        xs, ys = shapely.get_x(points), shapely.get_y(points)
        boxes = shapely.box(xs - half_w, ys - half_h, xs + half_w, ys + half_h)
        area = shapely.area(boxes)
        overlap = sum((shapely.area(shapely.intersection(boxes, other)) for other in placed), np.zeros(len(boxes)))
        score = (
            10 * (shapely.area(shapely.intersection(boxes, documented)) / area if documented is not None else 0)
            + 100 * overlap / area
            + 100 * (1 - shapely.area(shapely.intersection(boxes, view_box)) / area)
            + 3 * (1 - shapely.area(shapely.intersection(boxes, shape)) / area)
            + shapely.distance(points, centre) / spread
        )
        first_best = int(np.argmin(score))
        best = (score[first_best], points[first_best], boxes[first_best])
        placed.append(best[2])
        ax.text(
            best[1].x,
            best[1].y,
            label,
            ha="center",
            va="center",
            clip_on=True,
            fontsize=fontsize,
            fontweight="bold" if chosen else "normal",
            color=palette.INK if chosen else palette.SUBTLE_INK,
            path_effects=halo,
            zorder=5,
        )


def _candidates(polygon, centre, steps: int = 9):
    """The centre first, then a grid of points inside ``polygon`` (deterministic order)."""
    from shapely.geometry import Point

    minx, miny, maxx, maxy = polygon.bounds
    points = [centre]
    for i in range(steps):
        for j in range(steps):
            point = Point(minx + (i + 0.5) * (maxx - minx) / steps, miny + (j + 0.5) * (maxy - miny) / steps)
            if polygon.contains(point):
                points.append(point)
    return points


@functools.cache
def _bezirk_names() -> dict[str, str]:
    from loaders.store import load_attributes

    units = load_attributes()  # the names only: the full-resolution geometry is slow to read
    bezirke = units[units["level"] == "regierungsbezirk"]
    return dict(zip(bezirke["key"], bezirke["name"].astype(str)))


def focus_bounds(view: ViewState) -> tuple[float, float, float, float]:
    """NRW's or the chosen region's bounds, padded: what a panel must show."""
    focus = geometry("regierungsbezirk", "overview")
    if view.region:
        focus = focus[focus["key"] == view.region]
    minx, miny, maxx, maxy = shapely.total_bounds(focus["geometry"].to_numpy())
    pad = PAD * max(maxx - minx, maxy - miny)
    return minx - pad, miny - pad, maxx + pad, maxy + pad


def _frame(ax, view: ViewState, box_aspect: float) -> None:
    """Show the focus, widened to the panel's shape (the extra shows muted surroundings)."""
    minx, miny, maxx, maxy = focus_bounds(view)
    cx, cy, w, h = (minx + maxx) / 2, (miny + maxy) / 2, maxx - minx, maxy - miny
    if w / h < box_aspect:
        w = h * box_aspect
    else:
        h = w / box_aspect
    ax.set_xlim(cx - w / 2, cx + w / 2)
    ax.set_ylim(cy - h / 2, cy + h / 2)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_gid("map")


def legend_items(panel_list: list[Panel]) -> list[LegendEntry]:
    """The view model's legend entries of every panel, once each: statuses, then "new", then "outside"."""
    seen: dict[tuple[str, bool], LegendEntry] = {}
    for panel in panel_list:
        for item in panel.model.legend:
            seen.setdefault((item["status"], item["inferred"]), item)
    last = {"new": 1, "muted": 2}
    return sorted(seen.values(), key=lambda item: last.get(item["status"], 0))  # stable: first seen first


def _legend_handles(panel_list: list[Panel]) -> list[Patch]:
    """:func:`legend_items` as matplotlib patches."""
    return [_legend_handle(item) for item in legend_items(panel_list)]


def _legend_handle(item: LegendEntry) -> Patch:
    look = palette.STYLES[item["status"]]
    if item["status"] == "new":
        # A ring, not a fill: the dark line on the orange band, around white.
        band, line = palette.RING_WIDTHS
        return Patch(
            facecolor="#ffffff",
            edgecolor=look.stroke,
            linewidth=line * 0.5,
            label=item["label"],
            path_effects=[patheffects.Stroke(linewidth=band * 0.6, foreground=look.fill), patheffects.Normal()],
        )
    pattern = "inferred" if item["inferred"] else look.pattern
    return Patch(
        facecolor="#ffffff" if item["inferred"] else look.fill,
        edgecolor=palette.SWATCH_EDGE,  # 3:1 against the page (WCAG 1.4.11), as the screen's legend
        linewidth=0.4,
        label=item["label"],
        hatch=palette.MPL_HATCH[pattern] if pattern else None,
        hatchcolor=look.fill if item["inferred"] else palette.DOT_INK,
    )


@dataclass(frozen=True)
class Texts:
    """The words around a picture besides the view model's: title, Unterzeile, source note."""

    title: str
    subtitle: str | None = None
    note: str | None = None
    version: str | None = None  # the data version, a footer line above the credits


def page_text(fig: PressFigure, text, role: str, lines: list[str]) -> None:
    """Note a text of the page outside the picture proper: the tagged PDF sets it as text of its own.

    ``role``: "title" (the heading), "header" (Unterzeile, the view's lines),
    "after" (words below the charts) or "footer" (source note, data version,
    credits); ``lines`` as broken for the page. :mod:`exports.taggedpdf` reads
    size, weight, colour and place from the matplotlib ``text`` itself.
    """
    fig.sid_texts.append((role, text, list(lines)))


# Title sizes tried in turn: a long headline steps down before it is refused.
TITLE_SIZES = (20, 18, 16, 14)


def check_title(title: str, preset: style.Preset) -> tuple[list[str], float]:
    """The title's lines on ``preset`` and their size in points (before the preset's scale).

    The largest of :data:`TITLE_SIZES` at which the title takes at most three
    lines; :class:`exports.textfit.TitleTooLong` when even the smallest needs more.
    """
    s = preset.scale
    room = (preset.size_inches[0] - 2 * 0.32 * s) * 72
    for size in TITLE_SIZES[:-1]:
        try:
            return textfit.title_lines(title, room, size * s), size
        except textfit.TitleTooLong:
            continue
    return textfit.title_lines(title, room, TITLE_SIZES[-1] * s), TITLE_SIZES[-1]


def header_footer(fig: PressFigure, preset: style.Preset, texts: Texts, lines: list[str]) -> tuple[float, float]:
    """Title, Unterzeile and the view's lines on top, source note and credits below; (header bottom, footer top) in inches.

    Every text is broken at its measured width; the title at most into three lines
    (:class:`exports.textfit.TitleTooLong` beyond).
    """
    width, height = preset.size_inches
    s = preset.scale
    margin = 0.32 * s
    room = (width - 2 * margin) * 72
    line = 1.45 / 72 * s  # inches per point of type, with leading
    y = height - margin
    blocks = [(*check_title(texts.title, preset), "bold", palette.INK)]
    if texts.subtitle:
        blocks.append((textfit.wrap(_bounded(texts.subtitle), room, 14 * s), 14, "normal", palette.INK))
    sizes = (12, 11.5, 9)
    colours = (palette.SUBTLE_INK, palette.INK, palette.SUBTLE_INK)
    for words, size, colour in zip(lines, sizes, colours):
        blocks.append((textfit.wrap(words, room, size * s, separator=" · "), size, "normal", colour))
    for index, (wrapped, size, weight, colour) in enumerate(blocks):
        text = fig.text(
            margin / width,
            y / height,
            "\n".join(wrapped),
            fontsize=size * s,
            fontweight=weight,
            color=colour,
            ha="left",
            va="top",
            linespacing=1.25,
        )
        page_text(fig, text, "title" if index == 0 else "header", wrapped)
        y -= len(wrapped) * size * line
    header_bottom = y - 0.12 * s

    credit_size = 7.5
    credits = ([texts.version] if texts.version else []) + style.attribution_pieces()
    footer = textfit.wrap(" · ".join(credits), room, credit_size * s, separator=" · ")
    if texts.note:
        footer = textfit.wrap(_bounded(texts.note), room, credit_size * s) + footer
    text = fig.text(
        margin / width,
        margin / height,
        "\n".join(footer),
        fontsize=credit_size * s,
        color=palette.SUBTLE_INK,
        ha="left",
        va="bottom",
        linespacing=1.35,
    )
    page_text(fig, text, "footer", footer)
    footer_top = margin + len(footer) * credit_size * line + 0.12 * s
    return header_bottom, footer_top


def _bounded(text: str, limit: int = 300) -> str:
    text = textfit.shown(text)
    return text if len(text) <= limit else text[:limit] + " …"


def build_figure(
    cov: Coverage,
    view: ViewState,
    preset: style.Preset,
    title: str | None = None,
    subtitle: str | None = None,
    note: str | None = None,
    raster: bool = False,
) -> PressFigure:
    """The press picture of ``view``: one map, or before/after when the view compares.

    Call inside ``matplotlib.rc_context(RC)`` so text and hatching use the export settings.
    ``raster``: the figure becomes pixels (PNG, GIF, MP4), so hatching is drawn in one piece.
    The figure's ``sid_frame`` is the room the maps had — the page between header and
    footer less the legend (x, y, width, height in inches) — which the layout tests
    compare the drawn map with.
    """
    width, height = preset.size_inches
    s = preset.scale
    margin = 0.32 * s
    fig = PressFigure(figsize=(width, height), dpi=preset.dpi, facecolor="white")
    panel_list = panels(cov, view)
    model = panel_list[-1].model
    texts = Texts(style.title_for(cov, view, title), subtitle, note, model.data_version)
    # The Datenstand stands on every picture (and so on every animation frame).
    lines = [model.subtitle, model.figures_line, model.currency]
    header_bottom, footer_top = header_footer(fig, preset, texts, lines)

    items = legend_items(panel_list)
    handles = [_legend_handle(item) for item in items]
    legend_size = 10 * s
    minx, miny, maxx, maxy = focus_bounds(view)
    data_aspect = (maxx - minx) / (maxy - miny)
    content_w, map_h = width - 2 * margin, header_bottom - footer_top
    heading = 11 * s * 1.45 / 72 * s + 0.08 * s if len(panel_list) > 1 else 0.0

    # Beside the map or below it: whichever leaves the map larger.
    side = _side_legend(handles, legend_size, content_w)
    below = _below_legend(handles, legend_size, content_w)
    gap = 0.3 * s
    side_box = (margin, footer_top, content_w - side[0] - gap, map_h)
    below_box = (margin, footer_top + below[1] + 0.15 * s, content_w, map_h - below[1] - 0.15 * s)
    side_boxes = _split(side_box, len(panel_list), preset, s, data_aspect, heading)
    below_boxes = _split(below_box, len(panel_list), preset, s, data_aspect, heading)
    use_side = _map_scale(side_boxes, data_aspect) >= _map_scale(below_boxes, data_aspect)

    if use_side:
        legend_w, labels = side
        boxes = side_boxes
        used = max(x + w for x, _, w, _ in boxes) - margin + gap + legend_w
        shift = max(0.0, (content_w - used) / 2)  # map and legend centred together
        boxes = [(x + shift, y0, w, h) for x, y0, w, h in boxes]
        legend_box = (max(x + w for x, _, w, _ in boxes) + gap, footer_top, legend_w, map_h)
        legend_loc: Literal["center left", "upper left"] = "center left"
        ncols = 1
        fig.sid_frame = (margin, footer_top, content_w - legend_w - gap, map_h)
    else:
        legend_h, labels, ncols = below[1], below[2], below[3]
        boxes = below_boxes
        legend_box = (margin, footer_top, content_w, legend_h)
        legend_loc = "upper left"
        fig.sid_frame = below_box

    scale_m_per_pt = (maxx - minx) / (_map_scale(boxes, data_aspect) * 72)
    lod = print_lod(scale_m_per_pt)
    for panel, (x, y0, w, h) in zip(panel_list, boxes):
        ax = fig.add_axes((x / width, y0 / height, w / width, h / height))
        _draw_panel(ax, panel, view, s, w / h, lod, raster)

    for handle, label in zip(handles, labels):
        handle.set_label(label)
    # What the tagged PDF draws itself: the maps (with their headings) as one picture, the legend as text.
    top = max(y0 + h for _, y0, _, h in boxes) + heading
    left, bottom = min(x for x, _, _, _ in boxes), min(y0 for _, y0, _, _ in boxes)
    fig.sid_picture = (left, bottom, max(x + w for x, _, w, _ in boxes) - left, top - bottom)
    lx, ly, lw, lh = legend_box
    legend_ax = fig.add_axes((lx / width, ly / height, lw / width, lh / height))
    legend_ax.set_axis_off()
    legend_ax.legend(
        handles=handles,
        loc=legend_loc,
        frameon=False,
        fontsize=legend_size,
        ncols=ncols,
        title=t(f"level_plural_{view.level}", view.lang),
        title_fontsize=legend_size,
        alignment="left",
        handlelength=1.6,
        handleheight=1.2,
        borderaxespad=0,
        labelcolor=palette.INK,
    )
    legend_ax.set_gid("legend")
    fig.sid_legend = Legend(
        t(f"level_plural_{view.level}", view.lang),
        tuple(items),
        tuple(labels),
        legend_box,
        legend_loc,
        ncols,
        legend_size,
    )
    return fig


@dataclass(frozen=True)
class Legend:
    """The legend as laid out on the page, for the tagged PDF to set as text (boxes in inches from the bottom left)."""

    title: str
    items: tuple[LegendEntry, ...]  # the view model's entries
    labels: tuple[str, ...]  # each entry's label as broken for the page ("\n" between lines)
    box: tuple[float, float, float, float]
    loc: str  # "center left" (beside the map) or "upper left" (below it)
    ncols: int
    size: float  # points


# Legend handle, its padding and the gap to the label, in units of the legend's font size.
_HANDLE_EM = 1.6 + 0.8 + 0.5


def _side_legend(handles, size: float, content_w: float) -> tuple[float, list[str]]:
    """Width (inches) and wrapped labels of a legend beside the map: as wide as its words need, at most a third."""
    limit = 0.34 * content_w * 72 - _HANDLE_EM * size
    labels = ["\n".join(textfit.wrap(h.get_label(), limit, size)) for h in handles]
    widest = max(textfit.text_width(line, size) for label in labels for line in label.split("\n"))
    return (widest + _HANDLE_EM * size + 4) / 72, labels


def _below_legend(handles, size: float, content_w: float) -> tuple[float, float, list[str], int]:
    """Width, height (inches), wrapped labels and columns of a legend below the map (two columns when wide)."""
    ncols = 2 if len(handles) > 2 else 1
    limit = content_w * 72 / ncols - _HANDLE_EM * size - 8
    labels = ["\n".join(textfit.wrap(h.get_label(), limit, size)) for h in handles]
    rows_per_col = -(-len(labels) // ncols)
    columns = [labels[i * rows_per_col : (i + 1) * rows_per_col] for i in range(ncols)]
    lines = max(sum(label.count("\n") + 1 for label in column) + 0.4 * len(column) for column in columns)
    height = (lines + 1.6) * size * 1.3 / 72  # + the title
    return content_w, height, labels, ncols


def _map_scale(boxes, data_aspect: float) -> float:
    """Inches of page per unit of focus width: how large the map is drawn in these boxes."""
    return min(min(w, h * data_aspect) for _, _, w, h in boxes)


def _split(box, count: int, preset: style.Preset, s: float, data_aspect: float, heading: float):
    """Panel boxes: one (as large as the focus allows), or two side by side (stacked on a portrait page)."""
    x, y, w, h = box
    if count == 1:
        return [(x, y, min(w, h * data_aspect), h)] if w > h * data_aspect else [box]
    gap = 0.3 * s
    if preset.height_px > 1.2 * preset.width_px:
        half = min((h - gap) / 2 - heading, w / data_aspect)
        top = y + h - heading - half
        return [(x, top, w, half), (x, top - gap - heading - half, w, half)]
    half = min((w - gap) / 2, (h - heading) * data_aspect)
    tall = min(h - heading, half / data_aspect)
    top = y + h - heading - tall
    return [(x, top, half, tall), (x + half + gap, top, half, tall)]


def render_picture(
    draw: Callable[..., PressFigure],
    cov: Coverage,
    view: ViewState,
    fmt: str,
    preset: style.Preset,
    title: str | None = None,
    subtitle: str | None = None,
    note: str | None = None,
    alt: str = "",
    **options,
) -> bytes:
    """PNG, SVG or PDF of the figure ``draw`` makes of the view (:func:`build_figure`, the timeline's), ``alt`` embedded.

    Every picture is finished alike (title, embedded font, alt text); the same
    inputs give the same bytes. ``options`` go to ``draw``.
    """
    title = style.title_for(cov, view, title)
    with matplotlib.rc_context(RC):
        return save(draw(cov, view, preset, title, subtitle, note, **options), fmt, preset, title, alt, view.lang)


def save(fig: PressFigure, fmt: str, preset: style.Preset, title: str, alt: str = "", lang: str = "de") -> bytes:
    """A press figure as PNG, SVG or tagged PDF, title and alt text embedded, no time stamps (call inside ``rc_context(RC)``).

    The PDF is typeset anew from the figure's layout (:mod:`exports.taggedpdf`):
    matplotlib's own PDF has no structure tree, so screen readers got its text
    in drawing order and no alt text for the map.
    """
    import io

    if fmt == "png":
        return _png(fig, preset.dpi, title, alt)
    if fmt == "pdf":
        from exports.taggedpdf import render_pdf

        return render_pdf(fig, title, alt, lang)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", dpi=preset.dpi, metadata={"Date": None, "Creator": None, "Title": title})
    from exports.vector import finish_svg

    return finish_svg(buffer.getvalue().decode("utf-8"), title, alt, lang).encode("utf-8")


def _png(fig: Figure, dpi: int, title: str, alt: str = "") -> bytes:
    """The figure as an RGB PNG, title and alt text (``Description``) as text chunks.

    The page is opaque white, so matplotlib's RGBA would store an alpha channel
    of nothing but 255. Rows go unfiltered into zlib at level 1: Pillow's
    adaptive row filters took about half of its time for an A4 page, and on flat
    map colours they made the file larger, not smaller.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # a 0 before each row: filter type None
    # RGB straight into place after each row's filter byte (reshaping the strided RGB first copied it twice).
    rgb = np.lib.stride_tricks.as_strided(rows[:, 1:], shape=(height, width, 3), strides=(1 + 3 * width, 3, 1))
    np.copyto(rgb, np.asarray(canvas.buffer_rgba())[:, :, :3])
    return png_bytes(width, height, rows, dpi, {"Title": title, "Description": alt})


def png_bytes(width: int, height: int, filtered: bytes | np.ndarray, dpi: int, texts: dict[str, str]) -> bytes:
    """An 8-bit RGB PNG of ``filtered`` scanlines, its resolution and non-empty ``texts`` as UTF-8 iTXt chunks.

    ``filtered`` may be a C-contiguous array: zlib reads its buffer, no copy is made.
    "Description" is the PNG keyword for alt text (PNG spec 11.3.4.2).

    Examples
    --------
    >>> import io
    >>> from PIL import Image
    >>> data = png_bytes(2, 1, bytes([0, 255, 0, 0, 0, 0, 255]), 300, {"Title": "Straße", "Description": ""})
    >>> image = Image.open(io.BytesIO(data))
    >>> image.mode, image.size, image.getpixel((0, 0)), image.getpixel((1, 0)), image.info["Title"]
    ('RGB', (2, 1), (255, 0, 0), (0, 0, 255), 'Straße')
    >>> [round(d) for d in image.info["dpi"]], "Description" in image.info
    ([300, 300], False)
    """
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    per_metre = int(dpi / 0.0254 + 0.5)  # as Pillow writes it, so readers get the same dpi back
    parts = [
        b"\x89PNG\r\n\x1a\n",
        chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
        chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
    ]
    for key, text in texts.items():
        if text:
            parts.append(chunk(b"iTXt", key.encode("latin-1") + b"\0\0\0\0\0" + text.encode("utf-8")))
    parts += [chunk(b"IDAT", zlib.compress(filtered, 1)), chunk(b"IEND", b"")]  # type: ignore[arg-type]  # an array is a buffer; numpy's stubs do not say so
    return b"".join(parts)
