"""NRW's Gemeinden, Kreise, Regierungsbezirke and the Land in one normalised table.

Geometry and official names come from Geobasis NRW DVG2 (read straight from
its zip), population from BKG VG250-EW, joined on the AGS. All four levels
share one schema:

========== =====================================================================
column     meaning
========== =====================================================================
level      ``land``, ``regierungsbezirk``, ``kreis`` or ``gemeinde``
key        AGS: 8 digits (Gemeinde), 5 (Kreis), 3 (Regierungsbezirk), ``05`` (Land)
name       official name (DVG2 ``GN``)
kreis_key  the Kreis a Gemeinde belongs to (a Kreis: itself)
rb_key     the Regierungsbezirk (a Regierungsbezirk: itself)
population inhabitants (sum of the Gemeinden above Gemeinde level)
area_km2   area computed in EPSG:25832
geometry   EPSG:25832; converted to WGS84 only on output
========== =====================================================================
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from loaders.errors import DataError, preview
from loaders.viewstate import VIEW_LEVELS

if TYPE_CHECKING:
    import geopandas as gpd

# geopandas, pyogrio and shapely are imported inside the functions that read or
# check geometry: the constants below are needed by every command (``sid-atlas
# coverage`` among them), and the geo stack is most of a command's start-up.

CRS = "EPSG:25832"
# The Land and the levels a view shows, coarsest first.
LEVELS = ("land", *reversed(VIEW_LEVELS))
EXPECTED_COUNTS = {"land": 1, "regierungsbezirk": 5, "kreis": 53, "gemeinde": 396}
LAND_KEY = "05"
COLUMNS = ["level", "key", "name", "kreis_key", "rb_key", "population", "area_km2", "geometry"]

_DVG2_LAYERS = {
    "gemeinde": ("dvg2gem_nw", "G", 8),
    "kreis": ("dvg2krs_nw", "K", 5),
    "regierungsbezirk": ("dvg2rbz_nw", "R", 3),
    "land": ("dvg2bld_nw", "L", 2),
}


def read_dvg2(zip_path: Path | str) -> gpd.GeoDataFrame:
    """Read the four DVG2 layers from the official zip into the common schema.

    Population is left empty here; see :func:`join_population`.
    """
    import geopandas as gpd
    import pyogrio

    frames = []
    for level, (layer, art, digits) in _DVG2_LAYERS.items():
        try:
            raw = pyogrio.read_dataframe(zip_path, layer=layer, columns=["ART", "GN", "KN"])
        except Exception as error:  # pyogrio raises several types for a bad archive
            raise DataError(f"cannot read layer {layer} from {zip_path}: {error}") from None
        wrong = raw.loc[raw["ART"] != art, "KN"]
        if len(wrong):
            raise DataError(f"layer {layer} holds features of another level: {preview(wrong)}")
        keys = raw["KN"].astype(str).str.zfill(8)
        frames.append(
            gpd.GeoDataFrame(
                {
                    "level": level,
                    "key": keys.str[:digits],
                    "name": raw["GN"].astype(str),
                    "geometry": raw.geometry.values,
                },
                crs=raw.crs,
            )
        )
    units = pd.concat(frames, ignore_index=True)
    units = gpd.GeoDataFrame(units, geometry="geometry", crs=frames[0].crs).to_crs(CRS)
    units["kreis_key"] = np.where(units["level"].isin(["gemeinde", "kreis"]), units["key"].str[:5], None)
    units["rb_key"] = np.where(units["level"] == "land", None, units["key"].str[:3])
    units["area_km2"] = units.geometry.area / 1e6
    return units


def read_population(geojson_path: Path | str) -> pd.DataFrame:
    """Population per Gemeinde (``key``, ``population``) from BKG VG250-EW."""
    try:
        with open(geojson_path, encoding="utf-8") as handle:
            features = json.load(handle)["features"]
        rows = [(str(f["properties"]["ags"]).zfill(8), f["properties"].get("pop")) for f in features]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DataError(f"cannot read population from {geojson_path}: {error}") from None
    frame = pd.DataFrame(rows, columns=["key", "population"])
    # Coastal Länder list an AGS twice (water parts); only one row carries a figure.
    return frame.groupby("key", as_index=False)["population"].max()


def join_population(units: gpd.GeoDataFrame, population: pd.DataFrame) -> gpd.GeoDataFrame:
    """Attach population to the Gemeinden and sum it up the hierarchy."""
    units = units.drop(columns="population", errors="ignore")
    gemeinde_pop = population.set_index("key")["population"]
    pop = units["key"].map(gemeinde_pop).where(units["level"] == "gemeinde")
    gemeinden = units["level"] == "gemeinde"
    missing = units.loc[gemeinden & pop.isna(), "key"]
    if len(missing):
        raise DataError(f"no population for {len(missing)} Gemeinden: {preview(missing)}")
    by_kreis = pop[gemeinden].groupby(units.loc[gemeinden, "kreis_key"]).sum()
    by_rb = pop[gemeinden].groupby(units.loc[gemeinden, "rb_key"]).sum()
    pop = pop.where(gemeinden, units["key"].map(by_kreis).where(units["level"] == "kreis"))
    pop = pop.where(pop.notna() | (units["level"] != "regierungsbezirk"), units["key"].map(by_rb))
    pop = pop.where(units["level"] != "land", pop[gemeinden].sum())
    units["population"] = pop.astype("int64")
    return units[COLUMNS]


def validate(units: gpd.GeoDataFrame) -> None:
    """Check the invariants of the NRW unit table; raise DataError naming offenders.

    Counts 396 / 53 / 5 / 1, unique keys, valid geometry, every Gemeinde in
    exactly one Kreis and one Regierungsbezirk (by key *and* by geometry), and
    population for every Gemeinde.
    """
    import geopandas as gpd

    counts = units["level"].value_counts().to_dict()
    for level, expected in EXPECTED_COUNTS.items():
        if counts.get(level, 0) != expected:
            raise DataError(f"expected {expected} features at level {level}, found {counts.get(level, 0)}")
    dupes = units.loc[units.duplicated(["level", "key"]), "key"]
    if len(dupes):
        raise DataError(f"duplicate keys: {preview(sorted(set(dupes)))}")
    invalid = units.loc[~units.geometry.is_valid | units.geometry.is_empty, "key"]
    if len(invalid):
        raise DataError(f"invalid or empty geometry for keys: {preview(invalid)}")
    gemeinden = units[units["level"] == "gemeinde"]
    for parent_level, column in (("kreis", "kreis_key"), ("regierungsbezirk", "rb_key")):
        parents = units[units["level"] == parent_level]
        orphans = gemeinden.loc[~gemeinden[column].isin(parents["key"]), "key"]
        if len(orphans):
            raise DataError(f"Gemeinden whose {parent_level} key does not exist: {preview(orphans)}")
        # Geometric check: a point inside each Gemeinde lies in exactly its parent.
        points = gpd.GeoDataFrame(
            {"key": gemeinden["key"].values, "expected": gemeinden[column].values},
            geometry=gemeinden.geometry.representative_point().values,
            crs=units.crs,
        )
        hits = gpd.sjoin(
            points, parents[["key", "geometry"]].rename(columns={"key": "parent"}), predicate="within", how="left"
        )
        per_point = hits.groupby("key").agg(
            found=("parent", "count"), parent=("parent", "first"), expected=("expected", "first")
        )
        wrong = per_point.index[(per_point["found"] != 1) | (per_point["parent"] != per_point["expected"])]
        if len(wrong):
            raise DataError(f"Gemeinden not inside exactly their own {parent_level}: {preview(wrong)}")
    no_pop = gemeinden.loc[gemeinden["population"].isna() | (gemeinden["population"] <= 0), "key"]
    if len(no_pop):
        raise DataError(f"Gemeinden without population: {preview(no_pop)}")


def build_units(dvg2_zip: Path | str, population_geojson: Path | str) -> gpd.GeoDataFrame:
    """Read, join and validate; the result is what the cache stores."""
    units = join_population(read_dvg2(dvg2_zip), read_population(population_geojson))
    validate(units)
    return units.reset_index(drop=True)


def to_wgs84(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Output geometry for the web and GeoJSON exports."""
    return units.to_crs("EPSG:4326")


def assert_coverage(geometries) -> None:
    """Raise DataError when polygons overlap or leave gaps along shared edges."""
    import shapely

    invalid = shapely.coverage_invalid_edges(np.asarray(geometries))
    bad = [i for i, edge in enumerate(invalid) if edge is not None and not edge.is_empty]
    if bad:
        raise DataError(f"coverage broken at {len(bad)} polygons (positions {preview(bad)})")
