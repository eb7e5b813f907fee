"""Press kit: layouts that hold any headline, light self-contained vector files, alt text.

Golden-figure checks, not pixel references: what is asserted is structural
(every word of the title is text inside the canvas, the map's extent against
its frame, an embedded font, the description in each file), so nothing
derived from the licensed geodata is committed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET

import matplotlib
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image
from pypdf import PdfReader

from exports import mapfig, style
from exports.dispatch import alt_text, export
from exports.textfit import TitleTooLong
from loaders.viewstate import ViewState
from tests.helpers import sid_atlas

pytestmark = pytest.mark.media  # renders press pictures and PDF (the open-data package: test_datapackage.py)

SVG = "{http://www.w3.org/2000/svg}"
DAY = dt.date(2024, 2, 1)
DETMOLD = ViewState(DAY, region="057")
DETMOLD_COMPARE = ViewState(DAY, region="057", compare=dt.date(2024, 1, 31))
# 120 characters, as a newsroom writes them.
LONG_TITLE = (
    "Seit Februar 2024 sind alle 396 Städte und Gemeinden in Nordrhein-Westfalen dabei: "
    "#sicherimDienst wächst weiter im Land"
)
assert len(LONG_TITLE) == 120


def svg_texts(data: bytes) -> list[str]:
    root = ET.fromstring(data)
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


# -- layout --------------------------------------------------------------------------------
@pytest.mark.parametrize("preset", list(style.PRESETS))
def test_a_120_character_title_is_whole_and_inside_the_canvas(coverage, preset):
    data = export(coverage, DETMOLD, "svg", preset=preset, title=LONG_TITLE)
    texts = " ".join(svg_texts(data))
    for word in LONG_TITLE.split():
        assert word in texts, word
    # No glyph outside the canvas: every text extent lies within the figure (measured by matplotlib).
    with matplotlib.rc_context(mapfig.RC):
        fig = mapfig.build_figure(coverage, DETMOLD, style.PRESETS[preset], LONG_TITLE)
        renderer = FigureCanvasAgg(fig).get_renderer()
        page = fig.bbox
        title = next(text for text in fig.texts if "Nordrhein-Westfalen" in text.get_text())
        box = title.get_window_extent(renderer)
        assert box.x0 >= page.x0 and box.x1 <= page.x1 and box.y0 >= page.y0 and box.y1 <= page.y1
        assert 1 <= title.get_text().count("\n") + 1 <= 3


def test_a_title_over_three_lines_is_one_clear_error(coverage):
    with pytest.raises(TitleTooLong, match="at most 3"):
        export(coverage, DETMOLD, "png", preset="square", title="Überschrift " * 24)


def test_cli_refuses_a_title_that_does_not_fit_with_one_line(tmp_path):
    out = tmp_path / "karte.png"
    run = sid_atlas(
        "export",
        "--date",
        "2024-02-01",
        "--format",
        "png",
        "--preset",
        "square",
        "--title",
        "Überschrift " * 24,
        "--out",
        out,
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and "at most 3" in run.stderr
    assert not out.exists()


@pytest.mark.parametrize("preset", list(style.PRESETS))
@pytest.mark.parametrize("view", [ViewState(DAY), DETMOLD, DETMOLD_COMPARE], ids=["nrw", "057", "057-compare"])
def test_the_map_fills_its_frame(coverage, preset, view):
    """The focus (NRW or the Bezirk, all panels together) covers ≥ 80 % of its frame's width or height."""
    with matplotlib.rc_context(mapfig.RC):
        fig = mapfig.build_figure(coverage, view, style.PRESETS[preset])
    minx, miny, maxx, maxy = mapfig.focus_bounds(view)
    boxes = []
    for ax in (ax for ax in fig.axes if ax.get_gid() == "map"):
        (x0, y0), (x1, y1) = ax.transData.transform([(minx, miny), (maxx, maxy)]) / fig.dpi
        boxes.append((x0, y0, x1, y1))
    assert boxes
    width = max(b[2] for b in boxes) - min(b[0] for b in boxes)
    height = max(b[3] for b in boxes) - min(b[1] for b in boxes)
    _, _, frame_w, frame_h = fig.sid_frame
    assert max(width / frame_w, height / frame_h) >= 0.8, (width / frame_w, height / frame_h)


def test_default_title_names_the_region(coverage):
    assert style.title_for(coverage, DETMOLD, None) == "#sicherimDienst – Beitritte im Regierungsbezirk Detmold"
    assert style.title_for(coverage, DETMOLD.with_(lang="en"), " ").endswith("Detmold administrative region")
    texts = " ".join(svg_texts(export(coverage, DETMOLD, "svg")))
    assert "Beitritte im Regierungsbezirk Detmold" in texts


def test_subtitle_and_source_note_are_on_the_picture(coverage):
    texts = " ".join(
        svg_texts(
            export(
                coverage, DETMOLD, "svg", subtitle="Lage ist seit 2023 dabei", note="Quelle: Bezirksregierung Detmold"
            )
        )
    )
    assert "Lage ist seit 2023 dabei" in texts and "Quelle: Bezirksregierung Detmold" in texts


def test_the_detmold_label_covers_no_documented_gemeinde(coverage):
    """Lage is the only documented Gemeinde of Detmold on its accession day; the Bezirk label keeps off it."""
    from shapely.geometry import box

    view = ViewState(DAY)
    with matplotlib.rc_context(mapfig.RC):
        fig = mapfig.build_figure(coverage, view, style.PRESETS["16x9"])
        renderer = FigureCanvasAgg(fig).get_renderer()
    ax = next(ax for ax in fig.axes if ax.get_gid() == "map")
    labels = [text for text in ax.texts if text.get_text().startswith("RB ")]
    boxes = []
    for text in labels:
        extent = text.get_window_extent(renderer).transformed(ax.transData.inverted())
        boxes.append(box(extent.x0, extent.y0, extent.x1, extent.y1))
    model_units = coverage.as_of(DAY, "gemeinde", None, "all")
    documented = set(model_units.loc[model_units["evidence"] == "documented", "key"])
    shapes = mapfig.geometry("gemeinde").set_index("key").geometry
    assert "05766040" in documented  # Lage
    for label in boxes:
        for key in documented:
            assert label.intersection(shapes[key]).area / label.area < 0.02, key
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.intersects(b)


def test_english_view_gives_an_english_picture(coverage):
    texts = " ".join(svg_texts(export(coverage, DETMOLD.with_(lang="en"), "svg")))
    assert "As of: 1 February 2024" in texts and "Stand" not in texts


# -- light, self-contained vector files -----------------------------------------------------
def test_svg_embeds_its_subset_font_and_names_no_other(coverage):
    data = export(coverage, DETMOLD_COMPARE, "svg")
    text = data.decode()
    faces = re.findall(r"@font-face\{font-family:'DejaVu Sans';font-weight:(\d+);src:url\(data:font/woff;base64,", text)
    assert sorted(faces) == ["400", "700"]
    families = set(re.findall(r"font-family: ?([^;\"]+)", text))
    assert families == {"'DejaVu Sans'"}, families
    assert "<pattern" in text  # hatching is a pattern, not line segments
    assert len(data) < 2_000_000  # the targets (600 KB) are measured in make bench, not asserted


def test_svg_and_pdf_are_identical_run_to_run(coverage):
    for fmt in ("svg", "pdf"):
        assert export(coverage, DETMOLD, fmt) == export(coverage, DETMOLD, fmt)


def test_pdf_embeds_its_fonts_and_keeps_text_selectable(coverage):
    reader = PdfReader(io.BytesIO(export(coverage, DETMOLD, "pdf", title=LONG_TITLE)))
    text = reader.pages[0].extract_text()
    assert "Regierungsbezirk Detmold" in text and "#sicherimDienst" in text
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        for descendant in font.get("/DescendantFonts", [font]):
            assert "/FontFile2" in descendant.get_object()["/FontDescriptor"]


# -- alt text ------------------------------------------------------------------------------
def _alt_facts(text: str) -> None:
    assert "1. Februar 2024" in text
    assert "70 von 70 Gemeinden" in text and "davon 1 einzeln belegt" in text


def test_alt_text_is_in_svg_png_and_pdf(coverage):
    root = ET.fromstring(export(coverage, DETMOLD, "svg"))
    _alt_facts(root.find(f"{SVG}desc").text)
    assert root.find(f"{SVG}title").text.startswith("#sicherimDienst")
    _alt_facts(Image.open(io.BytesIO(export(coverage, DETMOLD, "png"))).text["Description"])
    _alt_facts(PdfReader(io.BytesIO(export(coverage, DETMOLD, "pdf"))).metadata["/Subject"])


@pytest.mark.parametrize("picture", ["map", "timeline"])
def test_svg_is_one_named_image_in_its_language(coverage, picture):
    """role="img", xml:lang, the headline as <title>, the description as <desc>, both named by aria-labelledby."""
    for view in (DETMOLD, DETMOLD.with_(lang="en")):
        root = ET.fromstring(export(coverage, view, "svg", picture=picture, title="Detmold & <Lippe>"))
        assert root.get("role") == "img"
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == view.lang == root.get("lang")
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
        assert list(root).index(title) == 0 and list(root).index(desc) == 1
        assert title.text == "Detmold & <Lippe>"
        assert desc.text == alt_text(coverage, view, picture=picture)


def test_alt_text_is_in_the_gif(coverage):
    gif = Image.open(io.BytesIO(export(coverage, DETMOLD, "gif", start=dt.date(2023, 12, 1), preset="square")))
    assert "1. Februar 2024" in gif.info["comment"].decode()


def test_cli_writes_the_alt_text_beside_the_picture(tmp_path):
    out = tmp_path / "detmold.png"
    run = sid_atlas("export", "--date", "2024-02-01", "--region", "057", "--format", "png", "--out", out)
    assert run.returncode == 0, run.stderr
    alt = (tmp_path / "detmold.alt.txt").read_text(encoding="utf-8")
    _alt_facts(alt)
    assert alt == Image.open(out).text["Description"] + "\n"


def test_timeline_picture_has_header_footer_and_one_time_axis(coverage):
    from exports.timelinefig import build_timeline

    with matplotlib.rc_context(mapfig.RC):
        fig = build_timeline(coverage, ViewState(dt.date(2024, 6, 1)), style.PRESETS["16x9"])
        renderer = FigureCanvasAgg(fig).get_renderer()
    words = " ".join(text.get_text() for text in fig.texts)
    assert "Stand: 1. Juni 2024" in words and style.attribution_pieces()[0] in words
    upper, lower = fig.axes
    assert upper.get_shared_x_axes().joined(upper, lower)
    labels = [text for text in fig.texts if text.get_text().startswith("RB ")]
    assert len(labels) == 5
    extents = [text.get_window_extent(renderer) for text in labels]
    for i, a in enumerate(extents):
        for b in extents[i + 1 :]:
            assert not a.overlaps(b)
    assert min(text.get_fontsize() for text in labels) >= 8


def test_timeline_picture_after_the_datenstand_draws_nothing_after_it_as_known(coverage):
    from exports.timelinefig import build_timeline
    from loaders import provenance

    as_of = provenance.data_as_of(coverage).day
    with matplotlib.rc_context(mapfig.RC):
        fig = build_timeline(coverage, ViewState(dt.date(2026, 12, 7)), style.PRESETS["16x9"])
    lower, upper = fig.axes  # the lower chart is made first
    legend = [text.get_text() for text in upper.get_legend().get_texts()]
    assert "Datenstand: 14. November 2025" in legend and "Keine Angaben nach dem Datenstand" in legend
    # Every coverage line ends at the Datenstand; its rule is drawn in both charts, the band after it.
    stand = pd.Timestamp(as_of)
    steps = upper.get_lines()[:3]
    assert [pd.Timestamp(max(line.get_xdata())) for line in steps] == [stand] * 3
    for ax in (upper, lower):
        assert any(pd.Timestamp(line.get_xdata()[0]) == stand for line in ax.get_lines()[3:])
        [band] = ax.patches
        assert matplotlib.dates.num2date(band.get_x()).date() == as_of
    # The sizes without a date are listed in words, once the picture reaches the Datenstand ...
    words = " ".join(text.get_text() for text in fig.texts)
    assert "Ohne Datum veröffentlicht (nicht eingezeichnet): 2.450 Personen, 850 Organisationen" in words
    # ... and the points are those of the nine dated publications (6 give people, 7 organisations).
    assert [len(line.get_xdata()) for line in lower.get_lines()[:2]] == [6, 7]
    with matplotlib.rc_context(mapfig.RC):
        before = build_timeline(coverage, ViewState(dt.date(2024, 6, 1)), style.PRESETS["16x9"])
    assert "Ohne Datum" not in " ".join(text.get_text() for text in before.texts)
    assert "Datenstand" not in " ".join(t.get_text() for t in before.axes[1].get_legend().get_texts())
