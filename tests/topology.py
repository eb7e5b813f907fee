"""Read the map's TopoJSON back in Python, with the ``topojson`` package's own decoder."""

from __future__ import annotations

import json

import numpy as np
import shapely
from topojson.utils import serialize_as_geojson

from loaders.webgeometry import TOPOJSON_OBJECT


def decode(text: str | bytes) -> dict[str, shapely.Geometry]:
    """Unit key -> polygon, as ``topojson.feature(topology, topology.objects.units)`` gives the browser."""
    collection = serialize_as_geojson(json.loads(text), objectname=TOPOJSON_OBJECT)
    return {feature["id"]: shapely.geometry.shape(feature["geometry"]) for feature in collection["features"]}


def assert_valid_coverage(units: dict[str, shapely.Geometry]) -> None:
    """Every polygon valid, and together a coverage: no overlaps, no mismatched shared edges."""
    geometries = np.asarray(list(units.values()))
    assert shapely.is_valid(geometries).all(), [shapely.is_valid_reason(g) for g in geometries if not g.is_valid]
    invalid = shapely.coverage_invalid_edges(geometries)
    assert all(edge is None or edge.is_empty for edge in invalid)
