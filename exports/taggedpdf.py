"""Press pictures as tagged PDF (PDF/UA-1), typeset by Typst from the layout matplotlib made.

matplotlib writes PDF without a structure tree: a screen reader got the legend
before the title and nothing for the map (EN 301 549 clause 10). Here the page
keeps the press layout — :func:`exports.mapfig.build_figure` (or the timeline)
decides every size, break and place, as for PNG and SVG — and Typst sets it
as a tagged document (``taggedpdf.typ`` beside this file):

- the title as heading (``H1``), Unterzeile and the view's lines as paragraphs;
- the map (or the charts) as one SVG picture in a ``Figure`` whose ``/Alt`` is
  the view's description (:func:`exports.dispatch.alt_text`);
- the legend as a list of real text, its swatches drawn as artifacts;
- source note, data version and credits as paragraphs;

in that reading order, with ``/Lang``, the title in the document information
(shown by the viewer: ``DisplayDocTitle``), the description as ``/Subject``
and the PDF/UA identification in XMP. The text stays text in DejaVu Sans,
subset and embedded by Typst, which reads only that font (no system fonts).
No creation date is written, so the same inputs give the same bytes.
"""

from __future__ import annotations

import functools
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from exports.textfit import FONT
from loaders.errors import InputError
from viewmodel import palette

if TYPE_CHECKING:
    from matplotlib.text import Text

    from exports.mapfig import Legend
    from viewmodel.text import LegendEntry

TEMPLATE = Path(__file__).with_name("taggedpdf.typ")
STANDARD: Final = "ua-1"


class PressFigure(Figure):
    """A matplotlib figure with the layout notes the tagged PDF reads (boxes in inches from the bottom left).

    ``sid_texts``: each text of the page outside the picture as (role, the
    matplotlib text, its lines as broken); ``sid_picture``: the picture's box;
    ``sid_frame``: the room the maps had (maps only); ``sid_legend``: the
    legend as laid out (maps only, else None).
    """

    sid_picture: tuple[float, float, float, float]
    sid_frame: tuple[float, float, float, float]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sid_texts: list[tuple[str, Text, list[str]]] = []
        self.sid_legend: Legend | None = None


@functools.cache
def _template() -> bytes:
    return TEMPLATE.read_bytes()


@functools.cache
def _font_dir() -> str:
    """The folder of DejaVu Sans as matplotlib ships it: the pictures' font (Typst takes folders, not files)."""
    from exports.vector import _font_file

    return str(Path(_font_file(False)).parent)


def render_pdf(fig: PressFigure, title: str, alt: str, lang: str) -> bytes:
    """The tagged PDF of a press figure built by :func:`exports.mapfig.build_figure` or the timeline.

    The figure must carry its layout notes (``sid_texts``, ``sid_picture`` and,
    for a map, ``sid_legend``); call inside ``matplotlib.rc_context(mapfig.RC)``.
    """
    import typst

    page = layout(fig, title, alt, lang)
    try:
        return typst.compile(  # type: ignore[call-overload]  # its stubs want the font paths of the input's type
            _template(),
            font_paths=[_font_dir()],
            ignore_system_fonts=True,
            pdf_standards=STANDARD,
            sys_inputs={"page": json.dumps(page, ensure_ascii=False), "picture": picture_svg(fig)},
        )
    except typst.TypstError as error:
        # PDF/UA-1 allows no glyph a font lacks: a character of the words given that no font here has.
        if "could not be displayed" not in str(error):
            raise
        raise InputError(
            "the PDF cannot show a character of the title, Unterzeile or note (no font here has it): "
            + str(error).split("error: ", 1)[-1][:200]
        ) from None


def layout(fig: PressFigure, title: str, alt: str, lang: str) -> dict:
    """What the Typst template sets, in inches from the page's bottom left (JSON-ready)."""
    width, height = fig.get_size_inches()
    legend = fig.sid_legend
    return {
        "title": title,
        "alt": alt,
        "lang": lang,
        "font": FONT,
        "width": float(width),
        "height": float(height),
        "texts": [_text_block(role, text, lines, width, height) for role, text, lines in fig.sid_texts],
        "picture": [float(v) for v in fig.sid_picture],
        "legend": None if legend is None else _legend(legend),
    }


def _text_block(role: str, text, lines: list[str], width: float, height: float) -> dict:
    x, y = text.get_position()
    weight = text.get_fontweight()
    return {
        "role": role,
        "lines": lines,
        "size": float(text.get_fontsize()),
        "bold": weight == "bold" or (isinstance(weight, int | float) and weight >= 600),
        "colour": to_hex(text.get_color()),
        "spacing": float(text._linespacing),  # matplotlib has no getter; the line pitch follows from it
        "x": float(x * width),
        "y": float(y * height),
        "anchor": "top" if text.get_va() == "top" else "bottom",
    }


def _legend(legend: Legend) -> dict:
    entries = [{"lines": label.split("\n"), "swatch": swatch(item)} for item, label in zip(legend.items, legend.labels)]
    per_column = -(-len(entries) // legend.ncols)
    return {
        "title": legend.title,
        "size": float(legend.size),
        "colour": palette.INK,
        "box": [float(v) for v in legend.box],
        "middle": legend.loc == "center left",
        # Filled column by column, as matplotlib's legend does.
        "columns": [entries[i * per_column : (i + 1) * per_column] for i in range(legend.ncols)],
    }


def swatch(item: LegendEntry) -> dict:
    """How a legend entry's swatch is drawn: the palette's fill, pattern and edge (the same as the map's).

    Examples
    --------
    >>> swatch({"status": "member", "inferred": True})["pattern"], swatch({"status": "undated", "inferred": False})["pattern"]
    ('stripes', 'dots')
    >>> swatch({"status": "new", "inferred": False})["kind"]
    'ring'
    """
    look = palette.STYLES[item["status"]]
    if item["status"] == "new":
        band, line = palette.RING_WIDTHS
        return {
            "kind": "ring",
            "band": look.fill,
            "line": look.stroke,
            "band_width": band * 0.3,
            "line_width": line * 0.5,
        }
    if item["inferred"]:
        # Stripes in the status's colour on white, as in the PNG's legend.
        return {"kind": "fill", "fill": "#ffffff", "pattern": "stripes", "ink": look.fill, "edge": palette.SWATCH_EDGE}
    pattern = "dots" if look.pattern == "dots" else None
    return {"kind": "fill", "fill": look.fill, "pattern": pattern, "ink": palette.DOT_INK, "edge": palette.SWATCH_EDGE}


def picture_svg(fig: PressFigure) -> str:
    """The figure's picture alone as SVG: the maps or charts without the texts and the legend the PDF sets itself."""
    from exports.vector import compact_path_data

    hidden = [text for _, text, _ in fig.sid_texts] + [ax for ax in fig.axes if ax.get_gid() == "legend"]
    for artist in hidden:
        artist.set_visible(False)
    try:
        buffer = io.BytesIO()
        inches = Bbox.from_bounds(*fig.sid_picture)
        fig.savefig(buffer, format="svg", bbox_inches=inches, pad_inches=0, metadata={"Date": None, "Creator": None})
    finally:
        for artist in hidden:
            artist.set_visible(True)
    return compact_path_data(buffer.getvalue().decode("utf-8"))
