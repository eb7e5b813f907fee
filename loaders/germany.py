"""German municipalities at any scale: BKG VG250-EW files (``de-XX.geojson``) in the boundaries schema.

The NRW product reads DVG2 geometry (:mod:`loaders.boundaries`); this module
reads *any* set of VG250-EW Länder files, for the Germany-wide scope of the
benchmark and for other Länder networks. The steps, each a function here:

1. :func:`resolve_paths` — an explicit list of files or a folder, else
   ``$SID_ATLAS_GERMANY``, else ``../shared/geodata/bkg-vg250-ew/``.
2. :func:`read_rows` — every feature, as delivered (EPSG:4326, 4 decimals).
3. :func:`repair` — ``make_valid`` and only the polygonal parts kept
   (Brunsbüttel 01051011 and Nottertal-Heilinger Höhen 16064077 self-intersect).
4. :func:`clean_coverage` — the rounding to 4 decimals leaves a triangle of
   about 2 m² claimed by three Gemeinden (Nottertal, Marolterode, Ebeleben);
   only the polygons around broken shared edges are cleaned, so every other
   border keeps its source vertices.
5. :func:`dissolve_duplicates` — an AGS listed twice (coast and Bodensee
   water parts) becomes one unit; its population comes from the one row that
   carries it, never summed over the parts.
6. :func:`derive_levels` — Kreise (``ags[:5]``) and Länder (``ags[:2]``) by
   dissolving the Gemeinden, in the schema of :mod:`loaders.boundaries`.
7. :func:`validate` — unique keys, valid geometry, one gap- and overlap-free
   coverage, population wherever the source has one.
8. :func:`simplify_web` — coverage-aware simplification for the browser.

Results are cached in :func:`loaders.paths.cache_dir`, keyed by the content of
the input files, so a second :func:`prepare` only reads two parquet files.
:func:`prepare` also writes what a map session needs, so a session reads
it and computes nothing (:func:`load_scope`): the Gemeinden's attributes
without geometry and the map's TopoJSON (building that takes seconds at
this scale; reading it, milliseconds).
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from loaders.boundaries import COLUMNS, CRS, assert_coverage
from loaders.errors import DataError, SourceError, preview
from loaders.paths import SHARED_GEODATA_DIR, atomic_write, cache_dir
from loaders.webgeometry import GRID_DEGREES, to_topojson

ENV_SOURCE = "SID_ATLAS_GERMANY"
DEFAULT_DIR = None if SHARED_GEODATA_DIR is None else SHARED_GEODATA_DIR / "bkg-vg250-ew"
PATTERN = "de-*.geojson"
LEVELS = ("land", "kreis", "gemeinde")
# Bump when the cached tables change shape or the web tolerance changes.
SCHEMA_VERSION = 1

# Only these Länder still have Regierungsbezirke, and there the third AGS
# digit is the Bezirk; elsewhere it is a historical remnant, so rb_key is None.
RB_LAENDER = frozenset({"05", "06", "08", "09"})
LAND_NAMES = {
    "01": "Schleswig-Holstein",
    "02": "Hamburg",
    "03": "Niedersachsen",
    "04": "Bremen",
    "05": "Nordrhein-Westfalen",
    "06": "Hessen",
    "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg",
    "09": "Bayern",
    "10": "Saarland",
    "11": "Berlin",
    "12": "Brandenburg",
    "13": "Mecklenburg-Vorpommern",
    "14": "Sachsen",
    "15": "Sachsen-Anhalt",
    "16": "Thüringen",
}

# Web tolerance in degrees (simplification runs in WGS84, see simplify_web).
# 0.02° is about 2.2 km north-south and 1.4 km east-west: roughly one screen
# pixel at zoom 6, where all of Germany fits the map. GeoJSON of all 8,750
# Gemeinden is then 2.28 MB. GeoJSON cannot get under 2 MB at any sensible
# tolerance: the feature and geometry wrappers alone are ~0.9 MB and every
# ring keeps at least 4 points, so 0.05° (5.5 km, shapes gone) still gives
# 2.10 MB. The map therefore gets TopoJSON (webgeometry.to_topojson, shared
# edges sent once): 1.72 MB raw, 0.46 MB gzip.
WEB_TOLERANCE_DEGREES = 0.02


def resolve_paths(source: Path | str | list | tuple | None = None) -> list[Path]:
    """The VG250-EW files to read.

    Parameters
    ----------
    source : path, list of paths or None
        A folder (all ``de-*.geojson`` in it), one file, or a list of files.
        ``None`` falls back to ``$SID_ATLAS_GERMANY`` (a folder or file), then
        to ``../shared/geodata/bkg-vg250-ew/`` beside a checkout.

    Raises
    ------
    SourceError
        When a named file is missing or a folder holds no ``de-*.geojson``.
    """
    if source is None:
        source = os.environ.get(ENV_SOURCE) or DEFAULT_DIR
    if source is None:
        raise SourceError(f"no VG250-EW source: set ${ENV_SOURCE} or pass the files")
    items = [source] if isinstance(source, (str, Path)) else list(source)
    paths: list[Path] = []
    for item in map(Path, items):
        if item.is_dir():
            found = sorted(item.glob(PATTERN))
            if not found:
                raise SourceError(f"no {PATTERN} files in {item} (set ${ENV_SOURCE} or pass the files)")
            paths.extend(found)
        elif item.is_file():
            paths.append(item)
        else:
            raise SourceError(f"VG250-EW source {item} does not exist")
    return paths


def read_rows(paths: list[Path]) -> gpd.GeoDataFrame:
    """All features of the files, one row per feature (``ags``, ``name``, ``county``, ``pop``)."""
    frames = []
    for path in paths:
        try:
            frame = pyogrio.read_dataframe(path, columns=["ags", "name", "county", "pop"])
        except Exception as error:  # pyogrio raises several types for a bad file
            raise DataError(f"cannot read {path}: {error}") from None
        missing = {"ags", "name", "county", "pop"} - set(frame.columns)
        if missing:
            raise DataError(f"{path} lacks the VG250-EW columns {sorted(missing)}")
        frames.append(frame.to_crs("EPSG:4326"))
    rows = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs="EPSG:4326")
    rows["ags"] = rows["ags"].astype(str).str.zfill(8)
    rows["pop"] = pd.to_numeric(rows["pop"], errors="coerce")
    return rows


def repair(geometries) -> tuple[np.ndarray, np.ndarray]:
    """Valid polygonal geometry: ``make_valid`` where needed, polygonal parts only.

    The ``structure`` method rebuilds areas from the rings (a bow-tie becomes
    two triangles) and drops collapsed parts instead of returning lines.

    Examples
    --------
    >>> from shapely import Polygon
    >>> geoms, broken = repair([Polygon([(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)])])
    >>> geoms[0].geom_type, geoms[0].area, geoms[0].is_valid, broken.tolist()
    ('MultiPolygon', 2.0, True, [True])

    Returns
    -------
    geometries : numpy.ndarray
        The repaired geometry, same order.
    broken : numpy.ndarray of bool
        Which inputs were invalid.
    """
    geoms = np.asarray(geometries, dtype=object)
    out = geoms.copy()
    broken = ~shapely.is_valid(geoms)
    if broken.any():
        fixed = shapely.make_valid(geoms[broken], method="structure", keep_collapsed=False)
        out[broken] = [_polygonal(g) for g in fixed]
    return out, broken


def _polygonal(geometry) -> shapely.MultiPolygon:
    parts = shapely.get_parts(geometry)
    return shapely.multipolygons(parts[shapely.get_type_id(parts) == 3])


def clean_coverage(geometries) -> tuple[np.ndarray, np.ndarray]:
    """Repair overlaps and unmatched shared edges locally; return geometry and repaired positions.

    Only polygons with invalid coverage edges and their direct neighbours are
    passed to ``shapely.coverage_clean`` (without snapping, so no vertex
    moves): the whole of Germany would take seconds and rewrite every polygon.
    """
    geoms = np.asarray(geometries, dtype=object).copy()
    bad = _invalid_edge_positions(geoms)
    if not len(bad):
        return geoms, bad
    _, around = shapely.STRtree(geoms).query(geoms[bad], predicate="intersects")
    area = np.unique(np.concatenate([bad, around]))
    geoms[area] = shapely.coverage_clean(geoms[area], snapping_distance=0)
    return geoms, bad


def _invalid_edge_positions(geometries) -> np.ndarray:
    edges = shapely.coverage_invalid_edges(geometries)
    return np.flatnonzero(~(shapely.is_missing(edges) | shapely.is_empty(edges)))


def dissolve_duplicates(rows: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per AGS: geometry unioned, population taken from the one row that carries it.

    A row "carries" a population when it is above zero; the water parts carry
    0. An AGS with no carrying row keeps 0 if the source says 0 (uninhabited
    gemeindefreie Gebiete) and NaN if the source has no figure.

    Raises
    ------
    DataError
        When two rows of one AGS both carry a population (adding them could
        double-count), naming the AGS.
    """
    carrying = rows["pop"] > 0
    twice = rows.loc[carrying, "ags"]
    twice = sorted(set(twice[twice.duplicated()]))
    if twice:
        raise DataError(f"AGS with a population on more than one row (would be double-counted): {preview(twice)}")
    first = rows.sort_values("pop", ascending=False, kind="stable").drop_duplicates("ags")
    first = first.sort_values("ags").set_index("ags")
    counts = rows["ags"].value_counts()
    repeated = counts.index[counts > 1]
    geometry = first.geometry.copy()
    if len(repeated):
        parts = rows[rows["ags"].isin(repeated)]
        geometry.loc[repeated] = (
            parts.groupby("ags").geometry.agg(lambda s: shapely.union_all(np.asarray(s))).loc[repeated].values
        )
    return gpd.GeoDataFrame(
        {
            "ags": first.index,
            "name": first["name"].values,
            "county": first["county"].values,
            "pop": first["pop"].values,
        },
        geometry=geometry.values,
        crs=rows.crs,
    )


def derive_levels(gemeinden: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Gemeinden, Kreise and Länder in the schema of :mod:`loaders.boundaries` (EPSG:25832)."""
    g = gemeinden.to_crs(CRS)
    keys = g["ags"]
    land_keys = keys.str[:2]
    base = gpd.GeoDataFrame(
        {
            "level": "gemeinde",
            "key": keys.values,
            "name": g["name"].values,
            "kreis_key": keys.str[:5].values,
            "rb_key": np.where(land_keys.isin(RB_LAENDER), keys.str[:3], None),
            "population": g["pop"].values,
        },
        geometry=g.geometry.values,
        crs=CRS,
    )
    kreise = base.dissolve(by="kreis_key", method="coverage", aggfunc={"population": "sum", "rb_key": "first"})
    kreise = kreise.reset_index()
    county = g.groupby(keys.str[:5])["county"].first()
    kreise = kreise.assign(level="kreis", key=kreise["kreis_key"], name=kreise["kreis_key"].map(county))
    laender = (
        base.assign(land=land_keys.values)
        .dissolve(by="land", method="coverage", aggfunc={"population": "sum"})
        .reset_index()
    )
    laender = laender.assign(
        level="land", key=laender["land"], name=laender["land"].map(LAND_NAMES), kreis_key=None, rb_key=None
    )
    units = pd.concat([laender, kreise, base], ignore_index=True)
    units = gpd.GeoDataFrame(units, geometry="geometry", crs=CRS)
    # Integer only when every figure is known; a missing one stays visible for validate().
    if units["population"].notna().all():
        units["population"] = units["population"].astype("int64")
    units["area_km2"] = units.geometry.area / 1e6
    return units[COLUMNS]


def validate(units: gpd.GeoDataFrame, *, coverage: bool = True) -> None:
    """Check the invariants; raise DataError naming the offending keys.

    Unique keys per level, valid non-empty polygonal geometry, a population
    for every Gemeinde, every Gemeinde's Kreis and Land present, and (with
    ``coverage``) the Gemeinden forming one coverage without overlaps.
    """
    dupes = units.loc[units.duplicated(["level", "key"]), "key"]
    if len(dupes):
        raise DataError(f"duplicate keys: {preview(sorted(set(dupes)))}")
    geoms = units.geometry.values
    bad = units.loc[
        ~shapely.is_valid(geoms) | shapely.is_empty(geoms) | ~np.isin(shapely.get_type_id(geoms), (3, 6)), "key"
    ]
    if len(bad):
        raise DataError(f"invalid, empty or non-polygonal geometry for keys: {preview(bad)}")
    gemeinden = units[units["level"] == "gemeinde"]
    no_pop = gemeinden.loc[gemeinden["population"].isna() | (gemeinden["population"] < 0), "key"]
    if len(no_pop):
        raise DataError(f"Gemeinden without population in the source: {preview(no_pop)}")
    for level, parent in (("kreis", gemeinden["kreis_key"]), ("land", gemeinden["key"].str[:2])):
        known = set(units.loc[units["level"] == level, "key"])
        orphans = gemeinden.loc[~parent.isin(known), "key"]
        if len(orphans):
            raise DataError(f"Gemeinden whose {level} is missing: {preview(orphans)}")
    if coverage:
        broken = _invalid_edge_positions(gemeinden.geometry.values)
        if len(broken):
            raise DataError(f"Gemeinden overlap or do not share edges: {preview(gemeinden['key'].iloc[broken])}")


@dataclass
class Prepared:
    """What one :func:`prepare` did: inputs, repairs, timings (seconds) and output sizes."""

    paths: list[Path]
    rows: int = 0
    repaired: list[str] = field(default_factory=list)  # AGS whose geometry make_valid fixed
    coverage_repaired: list[str] = field(default_factory=list)  # AGS with broken shared edges, cleaned
    dissolved: int = 0  # AGS that had more than one row
    timings: dict[str, float] = field(default_factory=dict)
    cached: bool = False


def build_units(paths: list[Path], report: Prepared | None = None) -> gpd.GeoDataFrame:
    """Read, repair, dissolve, derive and validate: the table the cache stores."""
    report = report if report is not None else Prepared(paths)
    clock = _Clock(report.timings)
    rows = read_rows(paths)
    clock("read")
    report.rows = len(rows)
    geoms, invalid = repair(rows.geometry.values)
    report.repaired = sorted(set(rows.loc[invalid, "ags"]))
    clock("repair")
    geoms, broken = clean_coverage(geoms)
    report.coverage_repaired = sorted(set(rows["ags"].iloc[broken]))
    clock("coverage_clean")
    rows = rows.set_geometry(geoms)
    report.dissolved = int(rows["ags"].duplicated().sum())
    gemeinden = dissolve_duplicates(rows)
    clock("dissolve")
    units = derive_levels(gemeinden)
    clock("levels")
    validate(units)
    clock("validate")
    return units


def simplify_web(units: gpd.GeoDataFrame, tolerance: float = WEB_TOLERANCE_DEGREES) -> gpd.GeoDataFrame:
    """Gemeinden, Kreise and Länder simplified as one coverage, in WGS84 on the 1e-5° grid.

    Unlike :func:`loaders.webgeometry.simplify` (which simplifies in metres),
    this simplifies in WGS84: reprojecting a simplified Germany back to WGS84
    bends straight edges enough to make a few polygons self-intersect where
    parts meet at a point, and the grid snap then fails. In WGS84 the kept
    vertices are source vertices, already on the grid.
    """
    gemeinden = units[units["level"] == "gemeinde"].to_crs("EPSG:4326").reset_index(drop=True)
    simplified = shapely.coverage_simplify(gemeinden.geometry.values, tolerance)
    simplified = shapely.set_precision(simplified, GRID_DEGREES)
    gemeinden = gemeinden.set_geometry(simplified)
    assert_coverage(gemeinden.geometry.values)
    parts = [gemeinden[["level", "key", "geometry"]]]
    for level, by in (("kreis", gemeinden["kreis_key"]), ("land", gemeinden["key"].str[:2])):
        dissolved = gemeinden.assign(group=by.values).dissolve(by="group", method="coverage").reset_index()
        parts.append(
            gpd.GeoDataFrame(
                {"level": level, "key": dissolved["group"]}, geometry=dissolved.geometry.values, crs=gemeinden.crs
            )
        )
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=gemeinden.crs)


class _Clock:
    """Adds the seconds since the previous call to ``timings[step]``."""

    def __init__(self, timings: dict[str, float]):
        self.timings = timings
        self.last = time.perf_counter()

    def __call__(self, step: str) -> None:
        now = time.perf_counter()
        self.timings[step] = self.timings.get(step, 0.0) + now - self.last
        self.last = now


def _cache_stem(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return f"v{SCHEMA_VERSION}-{digest.hexdigest()[:16]}"


def cache_paths(paths: list[Path]) -> tuple[Path, Path]:
    """Where the unit table and the web geometry of this set of files are cached."""
    stem = _cache_stem(paths)
    return cache_dir() / f"germany-units-{stem}.parquet", cache_dir() / f"germany-web-{stem}.parquet"


def scope_cache_paths(paths: list[Path]) -> tuple[Path, Path]:
    """Where a map session's reads are cached: Gemeinde attributes (parquet) and the TopoJSON."""
    stem = _cache_stem(paths)
    return cache_dir() / f"germany-gemeinden-{stem}.parquet", cache_dir() / f"germany-topo-{stem}.json"


def _write_scope(units: gpd.GeoDataFrame, web: gpd.GeoDataFrame, paths: list[Path]) -> None:
    """Write the session's two files from the prepared tables (the TopoJSON is the slow part)."""
    attributes_path, topo_path = scope_cache_paths(paths)
    gemeinden = pd.DataFrame(units.loc[units["level"] == "gemeinde", ["key", "name", "population"]])
    with atomic_write(attributes_path) as handle:
        gemeinden.reset_index(drop=True).to_parquet(handle)
    with atomic_write(topo_path) as handle:
        handle.write(to_topojson(web, "gemeinde").encode())


def prepare(source=None, *, rebuild: bool = False) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, Prepared]:
    """Unit table (EPSG:25832) and web geometry (WGS84) for a set of files, via the cache.

    Parameters
    ----------
    source : path, list of paths or None
        As in :func:`resolve_paths`.
    rebuild : bool
        Ignore the cache and build from the files (the benchmark's cold prepare).

    Returns
    -------
    units, web, report
    """
    paths = resolve_paths(source)
    report = Prepared(paths)
    units_path, web_path = cache_paths(paths)
    if not rebuild and units_path.is_file() and web_path.is_file():
        report.cached = True
        units, web = gpd.read_parquet(units_path), gpd.read_parquet(web_path)
        if not all(path.is_file() for path in scope_cache_paths(paths)):
            _write_scope(units, web, paths)  # a cache from before the session files existed
        return units, web, report
    units = build_units(paths, report)
    clock = _Clock(report.timings)
    web = simplify_web(units)
    clock("simplify")
    for frame, path in ((units, units_path), (web, web_path)):
        with atomic_write(path) as handle:
            frame.to_parquet(handle)
    clock("write_cache")
    _write_scope(units, web, paths)
    clock("topojson")
    return units, web, report


def load_scope(source: str | None = None) -> tuple[pd.DataFrame, str]:
    """What a map session needs, read from the cache (prepared first if missing).

    Returns
    -------
    gemeinden : pandas.DataFrame
        ``key``, ``name``, ``population`` of every Gemeinde, no geometry.
    topojson : str
        The map's geometry of all Gemeinden (:func:`loaders.webgeometry.to_topojson`).
    """
    paths = resolve_paths(source)
    attributes_path, topo_path = scope_cache_paths(paths)
    if not (attributes_path.is_file() and topo_path.is_file()):
        prepare(source)
    return pd.read_parquet(attributes_path), topo_path.read_text(encoding="utf-8")
