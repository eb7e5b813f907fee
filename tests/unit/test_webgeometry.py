"""Web geometry: small enough for the browser, and still a gap-free coverage."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pytest
import shapely

from loaders import store, webgeometry
from loaders.errors import InputError
from tests.helpers import assert_valid_coverage, decode


@pytest.fixture(scope="module")
def overview():
    return store.load_web_units("overview")


def test_overview_gemeinden_fit_the_browser_budget(overview):
    text = webgeometry.to_geojson(overview, "gemeinde").encode()
    assert len(text) <= 300 * 1024
    assert len(gzip.compress(text)) <= 100 * 1024


@pytest.mark.parametrize("lod", list(webgeometry.LODS))
def test_every_level_of_detail_is_a_valid_coverage(lod):
    web = store.load_web_units(lod)
    for level in ("gemeinde", "kreis", "regierungsbezirk"):
        geoms = np.asarray(web.loc[web["level"] == level, "geometry"])
        assert shapely.is_valid(geoms).all(), (lod, level)
        invalid_edges = shapely.coverage_invalid_edges(geoms)
        assert all(e is None or e.is_empty for e in invalid_edges), (lod, level)


def test_no_gaps_between_neighbours(overview, units):
    # The union of the simplified Gemeinden has no holes that the Land lacks.
    gemeinden = np.asarray(overview.loc[overview["level"] == "gemeinde", "geometry"])
    union = shapely.coverage_union_all(gemeinden)
    land = overview.loc[overview["level"] == "land", "geometry"].iloc[0]
    assert union.symmetric_difference(land).area < 1e-9
    assert shapely.get_num_interior_rings(land) == shapely.get_num_interior_rings(
        units.loc[units["level"] == "land", "geometry"].iloc[0]
    )


def test_geojson_carries_keys_only(overview):
    data = json.loads(webgeometry.to_geojson(overview, "regierungsbezirk"))
    assert sorted(f["id"] for f in data["features"]) == ["051", "053", "055", "057", "059"]
    assert all(f["properties"] == {} for f in data["features"])


@pytest.mark.parametrize("level", ["gemeinde", "kreis", "regierungsbezirk"])
def test_topojson_decodes_to_the_same_coverage(overview, level):
    subset = overview[overview["level"] == level]
    text = webgeometry.to_topojson(overview, level).encode()
    units = decode(text)
    assert sorted(units) == sorted(subset["key"])
    assert_valid_coverage(units)
    # Lossless on the 1e-5° grid: the browser draws exactly the simplified coverage.
    for key, geometry in zip(subset["key"], subset.geometry):
        assert shapely.hausdorff_distance(units[key], geometry) < 1e-9, key
    # Half the bytes of GeoJSON or less: each shared border is one arc.
    assert len(text) <= len(webgeometry.to_geojson(overview, level).encode()) / 2


def test_topojson_arcs_used_once_are_the_outer_border(overview):
    # map.js draws Bezirk outlines as topojson.mesh of such arcs; a border cut into two
    # arcs would show as an outline inside a Bezirk.
    topology = json.loads(webgeometry.to_topojson(overview, "gemeinde"))
    uses = np.zeros(len(topology["arcs"]), dtype=int)
    for geometry in topology["objects"][webgeometry.TOPOJSON_OBJECT]["geometries"]:
        rings = geometry["arcs"] if geometry["type"] == "Polygon" else sum(geometry["arcs"], [])
        for index in (i for ring in rings for i in ring):
            uses[index if index >= 0 else ~index] += 1
    assert set(uses) == {1, 2}
    scale, translate = (np.asarray(topology["transform"][k]) for k in ("scale", "translate"))
    outer = [
        shapely.linestrings(np.cumsum(arc, axis=0) * scale + translate)
        for arc, n in zip(topology["arcs"], uses)
        if n == 1
    ]
    land = overview.loc[overview["level"] == "land", "geometry"].iloc[0]
    assert sum(line.length for line in outer) == pytest.approx(land.boundary.length, rel=1e-9)


def test_unknown_lod_and_level_are_named():
    with pytest.raises(InputError, match="'ultra'"):
        webgeometry.simplify(None, "ultra")
    with pytest.raises(InputError, match="'bezirk'"):
        webgeometry.to_geojson(store.load_web_units("overview"), "bezirk")
    with pytest.raises(InputError, match="'bezirk'"):
        webgeometry.to_topojson(store.load_web_units("overview"), "bezirk")
