"""The prepared data: built once into the git-ignored cache, then read from there.

Three kinds of cached table, all written by :func:`prepare`:

- the unit table with full-resolution geometry (:func:`load_units`), for
  exports and checks that draw or measure;
- the same table without geometry (:func:`load_attributes`), a plain parquet
  file of a few KB: all the coverage model needs, so ``sid-atlas coverage`` and
  the dashboard's model never read (or import the libraries for) geometry;
- simplified web geometry per level of detail (:func:`load_web_units`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from loaders import sources
from loaders.paths import atomic_write, cache_dir

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

# Bump when the cached tables change shape, so old caches are rebuilt.
SCHEMA_VERSION = 1


@dataclass
class PrepareReport:
    """What ``sid-atlas prepare`` used and wrote."""

    sources: list[sources.ResolvedSource] = field(default_factory=list)
    units_path: Path | None = None
    web_sizes: dict[str, dict[str, int]] = field(default_factory=dict)  # TopoJSON bytes the map fetches
    rebuilt: bool = False


def _cache_stem() -> str:
    specs = sources.manifest()
    digest = "-".join(specs[k].sha256[:12] for k in ("dvg2", "vg250_ew_nrw"))
    return f"v{SCHEMA_VERSION}-{digest}"


def units_cache_path() -> Path:
    """The cached unit table with geometry, named by the sources it was built from."""
    return cache_dir() / f"units-{_cache_stem()}.parquet"


def attributes_cache_path() -> Path:
    """The cached unit attributes (names and keys, no geometry), named by their sources."""
    return cache_dir() / f"attributes-{_cache_stem()}.parquet"


def web_cache_path(lod: str) -> Path:
    """The cached web geometry of one level of detail, named by its sources."""
    return cache_dir() / f"web-{lod}-{_cache_stem()}.parquet"


def prepare(
    source: Path | str | None = None, *, download: bool = True, progress: bool = True, rebuild: bool = False
) -> PrepareReport:
    """Resolve the sources, build and validate the unit table and web geometry.

    With an explicit ``source`` the cache is rebuilt from it.
    """
    from loaders import boundaries, webgeometry

    report = PrepareReport()
    target = units_cache_path()
    if rebuild or source is not None or not target.is_file():
        specs = sources.manifest()
        resolved = {
            key: sources.resolve(specs[key], source, download=download, progress=progress)
            for key in ("dvg2", "vg250_ew_nrw")
        }
        for item in resolved.values():
            sources.copy_into_cache(item)
        units = boundaries.build_units(resolved["dvg2"].path, resolved["vg250_ew_nrw"].path)
        _write_parquet(units, target)
        _write_parquet(_attributes_of(units), attributes_cache_path())
        report.sources = list(resolved.values())
        report.rebuilt = True
        for lod in webgeometry.LODS:
            web_cache_path(lod).unlink(missing_ok=True)
        load_units.cache_clear()
        load_attributes.cache_clear()
        load_web_units.cache_clear()
    report.units_path = target
    load_attributes()  # written here, so a session or command never has to
    for lod in webgeometry.LODS:
        web = load_web_units(lod)
        report.web_sizes[lod] = {
            level: len(webgeometry.to_topojson(web, level).encode()) for level in boundaries.LEVELS
        }
    return report


def _attributes_of(units: gpd.GeoDataFrame) -> pd.DataFrame:
    """The unit table without its geometry, as a plain (non-geo) frame."""
    import pandas as pd

    return pd.DataFrame(units.drop(columns="geometry"))


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    with atomic_write(path) as handle:
        frame.to_parquet(handle)


@functools.cache
def load_units() -> gpd.GeoDataFrame:
    """The validated unit table (EPSG:25832), prepared on first use."""
    import geopandas as gpd

    path = units_cache_path()
    if not path.is_file():
        prepare(progress=False)
    return gpd.read_parquet(path)


@functools.cache
def load_web_units(lod: str) -> gpd.GeoDataFrame:
    """Simplified WGS84 geometry at one level of detail, cached on disk."""
    import geopandas as gpd

    from loaders import webgeometry

    path = web_cache_path(lod)
    if path.is_file():
        return gpd.read_parquet(path)
    web = webgeometry.simplify(load_units(), lod)
    _write_parquet(web, path)
    return web


@functools.cache
def load_attributes() -> pd.DataFrame:
    """The unit table without geometry (level, key, name, parents, population, area), prepared on first use.

    Reads a few KB instead of the full-resolution geometry, and needs neither
    geopandas nor shapely. A cache from before this table existed is completed
    from :func:`load_units` once.
    """
    import pandas as pd

    path = attributes_cache_path()
    if not path.is_file():
        _write_parquet(_attributes_of(load_units()), path)
    return pd.read_parquet(path)


def accession_rows(members: Path | str | None = None):
    """The accessions of a given table, else the shipped data: the rows, their origin and the day they last changed.

    The origin is ``"file"`` or ``"shipped"`` (the day: the file's modification
    date, or None for the shipped data). Whether a configured register takes the
    place of the shipped data is decided above ``loaders``, by
    :func:`register.atlasdata.load_coverage`; nothing here touches a database.
    """
    import datetime as dt

    from loaders import accessions

    table = accessions.read_accessions(
        members or accessions.ACCESSIONS_CSV, load_attributes(), accessions.read_events()
    )
    if members is None:
        return table, "shipped", None
    modified = dt.datetime.fromtimestamp(Path(members).stat().st_mtime, dt.UTC).date()
    return table, "file", modified


def coverage_of(table, origin: str = "shipped", changed_on=None):
    """The coverage model of an accession table, its origin noted for the data version (not cached).

    ``table``, ``origin`` and ``changed_on`` as :func:`accession_rows` returns them;
    :func:`register.atlasdata.load_coverage` is the cached model the atlas shows.
    """
    from loaders import accessions, coverage, provenance

    units = load_attributes()
    events = accessions.read_events()
    cov = coverage.build(units, accessions.expand_events(table, events, units))
    provenance.note_origin(cov, origin, changed_on)
    return cov


@functools.cache
def load_shipped_coverage():
    """The coverage model of the shipped accessions (cached per process), never of a register.

    For what ``loaders`` computes and checks itself (its doctests, the shipped
    data's version); the atlas shows :func:`register.atlasdata.load_coverage`.
    """
    return coverage_of(*accession_rows())
