"""The map's Python side: what reaches the page is escaped, small, and readable in grey-scale."""

from __future__ import annotations

import gzip
import itertools
import json

import pytest
from shapely import Point

from dashboard import mapview
from tests.helpers import decode

LEGEND = [{"status": "member", "label": "Mitglied", "inferred": False}]


def feature(status="member", inferred=False, tooltip="Bielefeld"):
    return {"status": status, "inferred": inferred, "tooltip": tooltip}


def lightness(hex_colour: str) -> float:
    """CIE L* of an sRGB colour: what is left of it on a grey-scale print."""
    def linear(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(int(hex_colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 116 * y ** (1 / 3) - 16 if y > 0.008856 else 903.3 * y


def test_statuses_match_the_contract():
    assert set(mapview.PALETTE) == set(mapview.STATUS_STYLES)


def test_palette_survives_grey_scale():
    for a, b in itertools.combinations(mapview.STATUS_STYLES, 2):
        gap = abs(lightness(mapview.PALETTE[a]["fill"]) - lightness(mapview.PALETTE[b]["fill"]))
        assert gap >= 15, f"{a} and {b} are only {gap:.0f} L* apart"


def test_feature_named_script_stays_text():
    """A hostile name in a label, legend or attribution reaches the page as text, not markup."""
    hostile = '<script>alert("x")</script>'
    labels = mapview.label_points(["057"], [Point(8.8, 52.0)], {"057": hostile})
    args = mapview.map_args("gemeinde", None, {"05711000": feature()},
                            [{"status": "member", "label": hostile, "inferred": False}], "osm", hostile)
    payload = json.dumps([labels, args["legend"], args["attribution"]])
    assert "<script>" not in payload
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in payload


def test_tooltips_pass_through_unchanged():
    """Tooltips are escaped by the caller; escaping them again would show entities."""
    tip = "<b>M&amp;uuml;nster</b>"
    args = mapview.map_args("gemeinde", None, {"05515000": feature(tooltip=tip)}, LEGEND, "none", "")
    assert args["features"]["05515000"] == ["member", False, tip]


def test_inferred_hatching_is_always_explained():
    args = mapview.map_args("gemeinde", None, {"05711000": feature(inferred=True)}, LEGEND, "none", "")
    assert any(item["inferred"] and "schraffiert" in item["label"] for item in args["legend"])


@pytest.mark.parametrize("bad", [{"features": {"05711000": feature(status="covered")}},
                                 {"basemap": "google"}])
def test_contract_violations_are_named(bad):
    call = {"features": {}, "basemap": "none"} | bad
    with pytest.raises(ValueError, match="unknown"):
        mapview.map_args("gemeinde", None, call["features"], LEGEND, call["basemap"], "")


def test_no_tiles_unless_chosen():
    args = mapview.map_args("gemeinde", None, {}, LEGEND, "none", "")
    assert args["basemap"] is None
    assert mapview.map_args("gemeinde", None, {}, LEGEND, "basemapde", "")["basemap"]["url"].startswith("https://")


@pytest.mark.parametrize("level, region, limit_kb", [("gemeinde", None, 300), ("gemeinde", "057", 160),
                                                     ("kreis", None, 300), ("regierungsbezirk", None, 300)])
def test_geometry_file_is_written_once_and_fits_the_budget(level, region, limit_kb):
    url = mapview.geometry_url(level, region)
    path = mapview.COMPONENT_DIR / url
    data = path.read_bytes()
    assert url.startswith("geo/") and path.parent == mapview.GEOMETRY_DIR
    assert len(data) <= limit_kb * 1024 and len(gzip.compress(data)) <= 100 * 1024
    assert json.loads(data)["type"] == "Topology"
    assert all(key.startswith(region or "05") for key in decode(data))
    assert mapview.geometry_url(level, region) == url   # cached: no second write
