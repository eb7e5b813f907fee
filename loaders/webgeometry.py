"""Light geometry for the browser: coverage-aware simplification at a few levels of detail.

The Gemeinden are simplified *as a coverage* (``GeoSeries.simplify_coverage``),
so a border shared by two neighbours is simplified once and stays shared: no
slivers, no gaps. Kreise, Regierungsbezirke and the Land are then dissolved
from the simplified Gemeinden, so every level draws the same lines.
Coordinates are snapped to a 1e-5° grid (about 1 m), which keeps the
coverage valid and the files short.

The map receives TopoJSON (:func:`to_topojson`): a border shared by two
units is sent once, as one arc, which roughly halves the bytes of GeoJSON.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import topojson

from loaders.boundaries import LEVELS, assert_coverage
from loaders.errors import InputError
from loaders.lod import LODS as LODS  # the tolerances, re-exported (they live apart, see loaders.lod)

GRID_DEGREES = 1e-5
# The one object of every TopoJSON file; map.js reads ``topology.objects.units``.
TOPOJSON_OBJECT = "units"


def simplify(units: gpd.GeoDataFrame, lod: str) -> gpd.GeoDataFrame:
    """All four levels simplified consistently, in WGS84.

    Examples
    --------
    Two squares sharing an edge stay exactly adjacent after simplification:

    >>> from shapely import box
    >>> tiny = gpd.GeoDataFrame({
    ...     "level": ["gemeinde", "gemeinde"], "key": ["05000001", "05000002"],
    ...     "kreis_key": ["05000", "05000"], "rb_key": ["050", "050"],
    ...     "geometry": [box(400000, 5700000, 401000, 5701000), box(401000, 5700000, 402000, 5701000)],
    ... }, crs="EPSG:25832")
    >>> out = simplify(tiny, "overview")
    >>> list(out["level"])
    ['gemeinde', 'gemeinde', 'kreis', 'regierungsbezirk', 'land']
    >>> bool(out.geometry.iloc[0].touches(out.geometry.iloc[1]))
    True
    """
    if lod not in LODS:
        raise InputError(f"unknown level of detail {lod!r}; choose one of {', '.join(LODS)}")
    gemeinden = units[units["level"] == "gemeinde"].reset_index(drop=True)
    simplified = gemeinden.set_geometry(gemeinden.geometry.simplify_coverage(LODS[lod]))
    simplified = simplified.to_crs("EPSG:4326")
    simplified = simplified.set_geometry(shapely.set_precision(np.asarray(simplified.geometry), GRID_DEGREES))
    parts = [simplified[["level", "key", "geometry"]]]
    for level, column in (("kreis", "kreis_key"), ("regierungsbezirk", "rb_key")):
        dissolved = simplified.dissolve(by=column, method="coverage").reset_index()
        parts.append(
            gpd.GeoDataFrame(
                {"level": level, "key": dissolved[column]}, geometry=dissolved.geometry.values, crs=simplified.crs
            )
        )
    land = shapely.coverage_union_all(np.asarray(simplified.geometry))
    parts.append(gpd.GeoDataFrame({"level": ["land"], "key": ["05"]}, geometry=[land], crs=simplified.crs))
    out = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=simplified.crs)
    assert_coverage(out.loc[out["level"] == "gemeinde", "geometry"])
    return out


def _subset(frame: gpd.GeoDataFrame, level: str, keys) -> gpd.GeoDataFrame:
    if level not in LEVELS:
        raise InputError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    subset = frame[frame["level"] == level]
    if keys is not None:
        subset = subset[subset["key"].isin(list(keys))]
    return subset


def to_geojson(frame: gpd.GeoDataFrame, level: str, keys=None) -> str:
    """Compact GeoJSON of one level: feature ``id`` is the key, no other properties.

    Names, status and figures travel separately, so a date change never resends
    geometry.
    """
    subset = _subset(frame, level, keys)
    features = [
        f'{{"type":"Feature","id":{json.dumps(key)},"properties":{{}},"geometry":{shapely.to_geojson(geom)}}}'
        for key, geom in zip(subset["key"], subset.geometry)
    ]
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def to_topojson(frame: gpd.GeoDataFrame, level: str, keys=None) -> str:
    """Compact TopoJSON of one level: object ``units``, geometry ``id`` is the key, no properties.

    Quantisation is lossless: the transform is the 1e-5° grid the web
    geometry is already snapped to, so decoding gives back exactly the
    simplified coverage (the ``topojson`` package's own ``prequantize`` fits
    its grid to the bounding box, which moved vertices and made one of the
    8,750 German Gemeinden self-intersect). Arcs are delta-encoded as the
    specification requires.

    Parameters
    ----------
    frame : GeoDataFrame
        Output of :func:`simplify` (WGS84, on the 1e-5° grid).
    level : str
        One of :data:`loaders.boundaries.LEVELS`.
    keys : iterable of str, optional
        Only these units of the level.

    Returns
    -------
    str
        Decoded by ``topojson.feature(topology, topology.objects.units)``.

    Examples
    --------
    >>> from shapely import box
    >>> tiny = gpd.GeoDataFrame({"level": ["land", "land"], "key": ["a", "b"]},
    ...                         geometry=[box(7, 51, 7.001, 51.001), box(7.001, 51, 7.002, 51.001)])
    >>> topology = json.loads(to_topojson(tiny, "land"))
    >>> [g["id"] for g in topology["objects"]["units"]["geometries"]], topology["transform"]
    (['a', 'b'], {'scale': [1e-05, 1e-05], 'translate': [7.0, 51.0]})
    >>> len(topology["arcs"])   # the shared edge is one arc
    3
    """
    subset = _subset(frame, level, keys)
    geometries = np.asarray(subset.geometry.values)
    origin = np.round(shapely.total_bounds(geometries)[:2], 5)
    # Integer grid positions: shared borders are then bit-identical for the arc detection.
    grid = shapely.transform(geometries, lambda xy: np.rint((xy - origin) / GRID_DEGREES))
    topology = topojson.Topology(
        gpd.GeoDataFrame(geometry=grid, index=subset["key"].to_numpy()),
        prequantize=False,
        topology=True,
        object_name=TOPOJSON_OBJECT,
    ).to_dict()
    for geometry in topology["objects"][TOPOJSON_OBJECT]["geometries"]:
        del geometry["properties"]  # always empty: the key is the id
    arcs = [np.asarray(arc, dtype=np.int64) for arc in topology["arcs"]]
    topology["arcs"] = [np.vstack([arc[:1], np.diff(arc, axis=0)]).tolist() for arc in arcs]
    topology["transform"] = {"scale": [GRID_DEGREES, GRID_DEGREES], "translate": origin.tolist()}
    topology.pop("bbox", None)  # in grid units here, and optional
    return json.dumps(topology, separators=(",", ":"))
