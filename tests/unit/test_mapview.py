"""The map's Python side: what reaches the page is escaped, small, and readable in grey-scale."""

from __future__ import annotations

import datetime as dt
import gzip
import itertools
import json
from dataclasses import replace

import pytest
from shapely import Point

from dashboard import datafiles, mapview
from loaders.paths import cache_dir
from loaders.viewstate import ViewState
from tests.helpers import decode
from viewmodel import palette
from viewmodel.component import component_args, label_points
from viewmodel.model import build


def lightness(hex_colour: str) -> float:
    """CIE L* of an sRGB colour: what is left of it on a grey-scale print."""

    def linear(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(hex_colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 116 * y ** (1 / 3) - 16 if y > 0.008856 else 903.3 * y


@pytest.fixture(scope="module")
def model(coverage):
    return build(coverage, ViewState(dt.date(2024, 2, 1), region="057"))


def test_every_status_has_a_style():
    from loaders.coverage import STATUSES

    every = {status for statuses in STATUSES.values() for status in statuses} | {"new"}
    assert every <= set(palette.STYLES)


def test_palette_survives_grey_scale():
    tones = ("member", "via_kreis", "new", "not_yet")
    for a, b in itertools.combinations(tones, 2):
        gap = abs(lightness(palette.STYLES[a].fill) - lightness(palette.STYLES[b].fill))
        assert gap >= 15, f"{a} and {b} are only {gap:.0f} L* apart"


def test_feature_named_script_stays_text(model):
    """A hostile name in a label, legend or attribution reaches the page as text, not markup."""
    hostile = '<script>alert("x")</script>'
    labels = label_points(["057"], [Point(8.8, 52.0)], {"057": hostile})
    hostile_model = replace(model, legend=[{"status": "member", "label": hostile, "inferred": False}])
    args = component_args(
        hostile_model,
        units_url="u",
        context_url=None,
        labels=labels,
        basemap={**mapview.BASEMAPS["osm"], "attribution": hostile},
        attribution=hostile,
    )
    payload = json.dumps([labels, args["legend"], args["attribution"], args["basemap"]])
    assert "<script>" not in payload
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in payload


def test_tooltips_are_escaped_once(coverage):
    """Tooltips are escaped by the view model; the component passes them through unchanged."""
    units = coverage.units.copy()
    units.loc[units["key"] == "05711000", "name"] = "Biele<b>feld"
    from loaders import coverage as coverage_module

    hostile = coverage_module.build(units, coverage.accessions.drop(columns=["valid_from", "valid_until"]))
    args = component_args(
        build(hostile, ViewState(dt.date(2024, 2, 1), region="057")), units_url="u", context_url=None, labels=[]
    )
    tip = args["features"]["05711000"][2]
    assert "Biele&lt;b&gt;feld" in tip and "&amp;lt;" not in tip


def test_inferred_hatching_is_always_explained(model):
    assert model.units["hatched"].any()
    assert any(item["inferred"] and "schraffiert" in item["label"] for item in model.legend)


def test_an_unknown_basemap_is_named(model):
    with pytest.raises(ValueError, match="google"):
        mapview.render_map(model, basemap="google")


def test_no_tiles_unless_chosen(model):
    assert component_args(model, units_url="u", context_url=None, labels=[])["basemap"] is None
    assert mapview.BASEMAPS["basemapde"]["url"].startswith("https://")


@pytest.mark.parametrize(
    "level, region, limit_kb",
    [("gemeinde", None, 300), ("gemeinde", "057", 160), ("kreis", None, 300), ("regierungsbezirk", None, 300)],
)
def test_geometry_file_is_written_once_and_fits_the_budget(level, region, limit_kb):
    url = mapview.geometry_url(level, region)
    path = datafiles.path_of(url)
    data = path.read_bytes()
    assert url.startswith(f"/_sid/daten/geo-{level}-{region or 'nrw'}-") and path.parent == cache_dir() / "daten"
    assert len(data) <= limit_kb * 1024 and len(gzip.compress(data)) <= 100 * 1024
    assert json.loads(data)["type"] == "Topology"
    assert all(key.startswith(region or "05") for key in decode(data))
    assert mapview.geometry_url(level, region) == url  # cached: no second write
