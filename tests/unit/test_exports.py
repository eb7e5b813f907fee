"""Press exports opened with real readers: Pillow, pypdf, xml.etree, openpyxl, geopandas.

Visual regression without committed pictures
--------------------------------------------
A rendered map is derived from the shared geodata, which the project must not
commit, so there are no reference PNGs in the repository. Instead
``tests/reference/export_grid.json`` holds, per preset, the mean colour of
each cell of a 6 × 6 grid over the whole picture: 108 numbers that cannot
be turned back into boundaries, yet move when the layout, the palette, the
legend or the map change. A cell may drift by :data:`TOLERANCE` grey levels
(anti-aliasing, font hinting); more fails. After an intended change of the
picture, regenerate with ``SID_ATLAS_UPDATE_REFERENCE=1 pytest tests/unit/test_exports.py``
and look at the new PNGs in ``artifacts/`` before committing the JSON.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import xml.etree.ElementTree as ET

import geopandas as gpd
import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from atlas_cli.parser import build_parser
from exports import formats, mapfig, style
from exports.dispatch import export
from exports.formats import FORMATS
from loaders.paths import PROJECT_ROOT
from loaders.viewstate import ViewState
from register import atlasdata
from tests.helpers import REFERENCE_DIR, shipped_accessions_with, sid_atlas
from viewmodel import palette

pytestmark = pytest.mark.media

DETMOLD_DAY = dt.date(2024, 2, 1)
DAY_BEFORE = dt.date(2024, 1, 31)
REFERENCE = REFERENCE_DIR / "export_grid.json"
ARTIFACTS = PROJECT_ROOT / "artifacts"
GRID = 6
TOLERANCE = 6.0
# A day with every status and both kinds of evidence on the map.
REGRESSION_VIEW = ViewState(dt.date(2023, 6, 1))


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def png(cov, view, preset="16x9", **kwargs) -> Image.Image:
    return Image.open(io.BytesIO(export(cov, view, "png", preset=preset, **kwargs)))


def pixel_of(cov, view, preset: str, key: str) -> tuple[int, int]:
    """Where a Gemeinde's inner point lands in the PNG of ``view`` (column, row)."""
    with matplotlib.rc_context(mapfig.RC):
        fig = mapfig.build_figure(cov, view, style.PRESETS[preset])
        FigureCanvasAgg(fig).draw()
    shape = mapfig.geometry("gemeinde").set_index("key").geometry[key]
    point = shape.representative_point()
    x, y = fig.axes[-2].transData.transform((point.x, point.y))  # the last map panel
    return round(x), round(fig.bbox.height - y)


def dominant(image: Image.Image, at: tuple[int, int], radius: int = 6) -> tuple[int, int, int]:
    x, y = at
    window = np.asarray(image.convert("RGB"))[y - radius : y + radius, x - radius : x + radius].reshape(-1, 3)
    colours, counts = np.unique(window, axis=0, return_counts=True)
    return tuple(int(c) for c in colours[counts.argmax()])


# -- PNG -----------------------------------------------------------------------------------
@pytest.mark.parametrize("preset", list(style.PRESETS))
def test_png_has_the_preset_size_and_dpi(coverage, preset):
    spec = style.PRESETS[preset]
    image = png(coverage, ViewState(DETMOLD_DAY), preset)
    assert image.format == "PNG" and image.size == (spec.width_px, spec.height_px)
    assert [round(d) for d in image.info["dpi"]] == [spec.dpi, spec.dpi]


def test_bielefeld_shows_the_member_colour_on_detmolds_accession_day(coverage):
    view = ViewState(DETMOLD_DAY, region="057")
    image = png(coverage, view, "square")
    assert dominant(image, pixel_of(coverage, view, "square", "05711000")) == rgb(palette.STYLES["member"].fill)


def test_bielefeld_is_not_yet_covered_the_day_before(coverage):
    view = ViewState(DAY_BEFORE)
    image = png(coverage, view)
    assert dominant(image, pixel_of(coverage, view, "16x9", "05711000")) == rgb(palette.STYLES["not_yet"].fill)


def test_before_after_marks_bielefeld_as_new_with_a_ring_around_its_own_fill(coverage):
    """What is new keeps its status's fill (Bielefeld: covered, inferred, hatched); the ring marks it as new."""
    view = ViewState(DETMOLD_DAY, compare=DAY_BEFORE)
    image = png(coverage, view, "a4-landscape")
    x, y = pixel_of(coverage, view, "a4-landscape", "05711000")
    pixels = np.asarray(image.convert("RGB"))
    inside = {tuple(int(c) for c in colour) for colour in pixels[y - 8 : y + 8, x - 8 : x + 8].reshape(-1, 3)}
    assert rgb(palette.STYLES["member"].fill) in inside and rgb(palette.HATCH_INK) in inside
    assert rgb(palette.STYLES["new"].fill) not in inside
    # The ring's orange band is drawn in the map after, never in the map before.
    band = np.all(pixels == rgb(palette.STYLES["new"].fill), axis=2)
    with matplotlib.rc_context(mapfig.RC):
        fig = mapfig.build_figure(coverage, view, style.PRESETS["a4-landscape"])
    height = pixels.shape[0]

    def orange_in(ax) -> int:
        (x0, y0), (x1, y1) = ax.get_window_extent().get_points()
        return int(band[round(height - y1) : round(height - y0), round(x0) : round(x1)].sum())

    before, after = fig.axes[0], fig.axes[-2]
    assert orange_in(after) > 500 and orange_in(before) == 0


def test_inferred_coverage_is_hatched_documented_is_solid(coverage):
    """Bielefeld's membership is inferred from RB Detmold's accession; Düsseldorf's is documented."""
    view = ViewState(DETMOLD_DAY)
    image = png(coverage, view, "a4")

    def colours(key):
        x, y = pixel_of(coverage, view, "a4", key)
        window = np.asarray(image.convert("RGB"))[y - 8 : y + 8, x - 8 : x + 8].reshape(-1, 3)
        return {tuple(int(c) for c in colour) for colour in window}

    assert rgb(palette.HATCH_INK) in colours("05711000")
    assert colours("05111000") == {rgb(palette.STYLES["member"].fill)}


# -- SVG and PDF ---------------------------------------------------------------------------
def expected_texts(title):
    return [title, "Stand: 1. Februar 2024", *style.attribution_pieces()]


def test_svg_keeps_title_stichtag_and_attribution_as_text(coverage):
    title = "Detmold ist dabei & <Lippe> auch"
    data = export(coverage, ViewState(DETMOLD_DAY, region="057"), "svg", preset="a4", title=title)
    root = ET.fromstring(data)
    texts = "\n".join("".join(node.itertext()) for node in root.iter("{http://www.w3.org/2000/svg}text"))
    for text in expected_texts(title):
        assert text in texts


def test_pdf_keeps_title_stichtag_and_attribution_as_text(coverage):
    data = export(coverage, ViewState(DETMOLD_DAY), "pdf", preset="a4-landscape")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in expected_texts(style.default_title()):
        assert expected in text
    fonts = [font["/FontDescriptor"] for font in _fonts(reader.pages[0])]
    assert fonts and all("/FontFile2" in descriptor for descriptor in fonts)  # embedded TrueType


def _fonts(page):
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        for descendant in font.get("/DescendantFonts", [font]):
            yield descendant.get_object()


# -- data ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def formula_coverage(tmp_path_factory):
    """The shipped accessions, with Düsseldorf's source turned into spreadsheet formulas."""
    path = shipped_accessions_with(tmp_path_factory.mktemp("members"), "05111000", source="=1+1")
    return atlasdata.load_coverage(str(path))


def test_xlsx_keeps_a_formula_like_text_as_text(formula_coverage):
    data = export(formula_coverage, ViewState(DETMOLD_DAY, region="051"), "xlsx")
    book = load_workbook(io.BytesIO(data))
    sheet = book["Daten"]
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "05111000")
    source = row[header.index("source")]
    assert source.value == "=1+1" and source.data_type == "s"
    info = {r[0].value: r[1].value for r in book["Info"].iter_rows()}
    assert info["Stichtag"] == "1. Februar 2024" and info["Region"] == "Regierungsbezirk Düsseldorf"
    assert info["Zahlen"].startswith("Abgedeckt: 66 von 66 Gemeinden · davon 3 einzeln belegt")


def test_csv_neutralises_formulas(formula_coverage):
    text = export(formula_coverage, ViewState(DETMOLD_DAY, region="051"), "csv").decode("utf-8-sig")
    (line,) = [line for line in text.splitlines() if line.startswith("05111000,")]
    assert ",'=1+1," in line


def test_geojson_is_wgs84_with_the_views_units(coverage, tmp_path):
    view = ViewState(DETMOLD_DAY, compare=DAY_BEFORE, level="kreis")
    path = tmp_path / "view.geojson"
    path.write_bytes(export(coverage, view, "geojson"))
    frame = gpd.read_file(path)
    assert frame.crs.to_epsg() == 4326 and len(frame) == 53
    minx, miny, maxx, maxy = frame.total_bounds
    assert 5.8 < minx < maxx < 9.5 and 50.3 < miny < maxy < 52.6
    assert set(frame.loc[frame["new"], "key"]) == {"05711", "05754", "05758", "05762", "05766", "05770", "05774"}
    assert "GeoBasis-DE / BKG" in json.loads(path.read_text(encoding="utf-8"))["attribution"]


# -- determinism and regression ------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_same_view_gives_the_same_bytes(coverage, fmt):
    view = ViewState(DETMOLD_DAY, compare=DAY_BEFORE, region="057")
    options = {"draft": True} if fmt == "datapackage" else {}  # no publisher configured here
    assert export(coverage, view, fmt, preset="square", **options) == export(
        coverage, view, fmt, preset="square", **options
    )


def grid_means(image: Image.Image) -> list[list[float]]:
    pixels = np.asarray(image.convert("RGB"), dtype=float)
    rows = np.array_split(np.arange(pixels.shape[0]), GRID)
    cols = np.array_split(np.arange(pixels.shape[1]), GRID)
    return [
        [round(float(v), 2) for v in pixels[r[0] : r[-1] + 1, c[0] : c[-1] + 1].mean(axis=(0, 1))]
        for r in rows
        for c in cols
    ]


@pytest.mark.parametrize("preset", list(style.PRESETS))
def test_picture_matches_the_reference_statistics(coverage, preset):
    image = png(coverage, REGRESSION_VIEW, preset)
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(ARTIFACTS / f"export-{preset}.png")
    means = grid_means(image)
    if os.environ.get("SID_ATLAS_UPDATE_REFERENCE"):
        stored = json.loads(REFERENCE.read_text()) if REFERENCE.is_file() else {}
        stored[preset] = means
        REFERENCE.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n")
        pytest.skip("reference statistics rewritten")
    expected = json.loads(REFERENCE.read_text())[preset]
    drift = np.abs(np.array(means) - np.array(expected)).max(axis=1)
    worst = int(drift.argmax())
    assert drift.max() <= TOLERANCE, (
        f"grid cell {divmod(worst, GRID)} drifted by {drift.max():.1f} grey levels; see artifacts/export-{preset}.png"
    )


# -- command line --------------------------------------------------------------------------
def test_cli_offers_exactly_what_the_exports_make():
    """The CLI reads the one list (exports.formats) without loading the exports; every choice is one they make."""
    commands = next(a for a in build_parser()._actions if a.dest == "command").choices
    choices = {action.dest: action.choices for action in commands["export"]._actions}
    assert tuple(choices["format"]) == FORMATS and tuple(choices["preset"]) == tuple(style.PRESETS)
    assert set(choices["picture"]) == set(formats.PICTURES)
    # Every format has its media type and its label (test_same_view_gives_the_same_bytes makes each one).
    assert set(formats.MEDIA_TYPES) == set(formats.LABELS) == set(FORMATS)


def test_cli_writes_the_same_file_as_the_module(coverage, tmp_path):
    out = tmp_path / "detmold.pdf"
    result = sid_atlas(
        "export",
        "--date",
        "2024-02-01",
        "--compare",
        "2024-01-31",
        "--region",
        "057",
        "--preset",
        "a4",
        "--format",
        "pdf",
        "--title",
        "Detmold",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    view = ViewState(DETMOLD_DAY, compare=DAY_BEFORE, region="057")
    assert out.read_bytes() == export(coverage, view, "pdf", preset="a4", title="Detmold")
    # The picture and its alt text, no temporary file left.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["detmold.alt.txt", "detmold.pdf"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--region", "05766"], "unknown region '05766'"),
        (["--compare", "2024-03-01"], "must lie before --date"),
        (["--preset", "a3"], "invalid choice: 'a3'"),
        (["--members", "/no/such/file.csv"], "members file not found"),
    ],
)
def test_cli_bad_input_is_one_line_exit_2_and_no_file(tmp_path, args, message):
    out = tmp_path / "map.png"
    result = sid_atlas("export", "--date", "2024-02-01", "--format", "png", "--out", out, *args)
    assert result.returncode == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()
