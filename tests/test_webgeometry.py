"""Web geometry: small enough for the browser, and still a gap-free coverage."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pytest
import shapely

from loaders import store, webgeometry
from loaders.errors import InputError


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
        units.loc[units["level"] == "land", "geometry"].iloc[0])


def test_geojson_carries_keys_only(overview):
    data = json.loads(webgeometry.to_geojson(overview, "regierungsbezirk"))
    assert sorted(f["id"] for f in data["features"]) == ["051", "053", "055", "057", "059"]
    assert all(f["properties"] == {} for f in data["features"])


def test_unknown_lod_and_level_are_named():
    with pytest.raises(InputError, match="'ultra'"):
        webgeometry.simplify(None, "ultra")
    with pytest.raises(InputError, match="'bezirk'"):
        webgeometry.to_geojson(store.load_web_units("overview"), "bezirk")
