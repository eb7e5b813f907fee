"""Germany-scale municipalities (loaders.germany): real VG250-EW files from ../shared, and tiny fixtures."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely import Polygon, box

from loaders import accessions, coverage, germany
from loaders.errors import DataError, SourceError
from loaders.viewstate import ViewState
from loaders.webgeometry import to_topojson
from tests.helpers import assert_valid_coverage, decode

WEB_BYTES_GUARD = 2_000_000  # the budget for the file the map fetches (TopoJSON)


@pytest.fixture(scope="session")
def germany_cache(tmp_path_factory):
    """A private cache folder, so the tests build Germany for real instead of reading a warm cache."""
    return tmp_path_factory.mktemp("germany-cache")


@pytest.fixture(scope="session")
def prepared(germany_cache):
    """The whole Germany prepare, once per session, into the private cache (a real build)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SID_ATLAS_CACHE", str(germany_cache))
        return germany.prepare(rebuild=True)


@pytest.fixture(scope="session")
def de_units(prepared):
    return prepared[0]


@pytest.fixture(scope="session")
def de_gemeinden(de_units):
    return de_units[de_units["level"] == "gemeinde"].set_index("key")


@pytest.mark.slow
def test_all_ags_once_after_dissolving(prepared, de_units):
    _, _, report = prepared
    counts = de_units["level"].value_counts().to_dict()
    assert report.rows == 8904 and report.dissolved == 154
    assert counts == {"gemeinde": 8750, "kreis": 304, "land": 15}
    assert not de_units.duplicated(["level", "key"]).any()


@pytest.mark.slow
def test_repair_leaves_no_invalid_geometry(prepared, de_units, de_gemeinden):
    _, _, report = prepared
    assert report.repaired == ["01051011", "16064077"]
    assert de_units.geometry.is_valid.all() and not de_units.geometry.is_empty.any()
    for ags in ("01051011", "16064077"):  # Brunsbüttel, Nottertal-Heilinger Höhen
        assert de_gemeinden.geometry[ags].is_valid
    assert shapely.coverage_is_valid(de_gemeinden.geometry.values)


@pytest.mark.slow
def test_coverage_cleaned_only_around_the_broken_triple_point(prepared):
    assert prepared[2].coverage_repaired == ["16064043", "16064077", "16065014"]


@pytest.mark.slow
def test_coastal_duplicate_population_counted_once(de_gemeinden):
    # Kiel is listed twice (land, and a water part with pop 0).
    assert de_gemeinden.loc["01002000", "population"] == 248873


@pytest.mark.slow
def test_nrw_part_matches_the_nrw_loader(de_gemeinden, units):
    nrw = de_gemeinden[de_gemeinden.index.str.startswith("05")]
    ours = units[units["level"] == "gemeinde"]
    assert len(nrw) == 396 == len(ours)
    assert nrw["population"].sum() == 18_190_422 == ours["population"].sum()
    assert (nrw["population"] == ours.set_index("key")["population"].reindex(nrw.index)).all()


@pytest.mark.slow
def test_levels_sum_up(de_units):
    by_level = de_units.groupby("level")["population"].sum()
    assert by_level["gemeinde"] == by_level["kreis"] == by_level["land"]
    land = de_units[de_units["level"] == "land"].set_index("key")
    assert "09" not in land.index and land.loc["05", "name"] == "Nordrhein-Westfalen"
    gemeinden = de_units[de_units["level"] == "gemeinde"].set_index("key")
    assert gemeinden.loc["05711000", "rb_key"] == "057" and pd.isna(gemeinden.loc["01002000", "rb_key"])


@pytest.mark.slow
def test_web_geometry_small_and_a_valid_coverage(prepared):
    web = prepared[1]
    gemeinden = web[web["level"] == "gemeinde"]
    assert len(gemeinden) == 8750
    assert shapely.coverage_is_valid(gemeinden.geometry.values)
    transported = to_topojson(web, "gemeinde").encode()
    assert len(transported) <= WEB_BYTES_GUARD
    decoded = decode(transported)
    assert sorted(decoded) == sorted(gemeinden["key"])
    assert_valid_coverage(decoded)


@pytest.mark.slow
def test_prepare_reads_the_cache_second_time(prepared, germany_cache, monkeypatch):
    monkeypatch.setenv("SID_ATLAS_CACHE", str(germany_cache))
    units, _, report = germany.prepare()
    assert report.cached and len(units) == len(prepared[0])


@pytest.mark.slow
def test_a_session_reads_the_prepared_topojson_and_builds_nothing(prepared, germany_cache, monkeypatch):
    monkeypatch.setenv("SID_ATLAS_CACHE", str(germany_cache))

    def refuse(*_args, **_kwargs):
        raise AssertionError("a session must not build TopoJSON")

    monkeypatch.setattr(germany, "to_topojson", refuse)
    monkeypatch.setattr(germany, "build_units", refuse)
    gemeinden, topology = germany.load_scope()
    assert list(gemeinden.columns) == ["key", "name", "population"] and len(gemeinden) == 8750
    assert gemeinden["key"].is_unique and not gemeinden["population"].isna().any()
    assert sorted(decode(topology.encode())) == sorted(gemeinden["key"])


@pytest.mark.slow
def test_a_cache_without_the_session_files_is_completed_by_prepare(prepared, germany_cache, monkeypatch):
    monkeypatch.setenv("SID_ATLAS_CACHE", str(germany_cache))
    paths = germany.resolve_paths()
    attributes_path, topo_path = germany.scope_cache_paths(paths)
    before = topo_path.read_bytes()
    topo_path.unlink()
    units, _, report = germany.prepare()
    assert report.cached and topo_path.read_bytes() == before and attributes_path.is_file()


# -- tiny fixtures ------------------------------------------------------------
def rows(*items) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(items, columns=["ags", "name", "county", "pop", "geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


def test_bow_tie_becomes_two_triangles():
    geoms, broken = germany.repair([Polygon([(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)]), box(5, 5, 6, 6)])
    assert broken.tolist() == [True, False]
    assert geoms[0].is_valid and geoms[0].area == 2.0 and len(geoms[0].geoms) == 2
    assert geoms[1].equals(box(5, 5, 6, 6))


def test_duplicate_ags_with_water_part_dissolves_once():
    land, water = box(8.0, 54.0, 8.1, 54.1), box(8.1, 54.0, 8.2, 54.1)
    out = germany.dissolve_duplicates(
        rows(
            ("01000001", "Küstendorf", "Kreis", 500, land),
            ("01000001", "Küstendorf", "Kreis", 0, water),
            ("01000002", "Binnendorf", "Kreis", 200, box(8.0, 53.9, 8.2, 54.0)),
        )
    ).set_index("ags")
    assert out.loc["01000001", "pop"] == 500
    assert out.geometry["01000001"].equals(land.union(water))
    assert out["pop"].sum() == 700


def test_population_on_two_rows_of_one_ags_is_refused():
    with pytest.raises(DataError, match="01000001"):
        germany.dissolve_duplicates(
            rows(
                ("01000001", "Küstendorf", "Kreis", 500, box(0, 0, 1, 1)),
                ("01000001", "Küstendorf", "Kreis", 30, box(1, 0, 2, 1)),
            )
        )


def test_missing_population_is_named():
    gemeinden = germany.dissolve_duplicates(
        rows(
            ("01000001", "Adorf", "Kreis", 10, box(8.0, 54.0, 8.1, 54.1)),
            ("01000002", "Bedorf", "Kreis", np.nan, box(8.1, 54.0, 8.2, 54.1)),
        )
    )
    with pytest.raises(DataError, match="without population.*01000002"):
        germany.validate(germany.derive_levels(gemeinden))


def test_overlap_is_cleaned_locally():
    geoms, broken = germany.clean_coverage([box(0, 0, 1, 1), box(0.9, 0, 2, 1), box(5, 5, 6, 6)])
    assert broken.tolist() == [0, 1]
    assert shapely.coverage_is_valid(geoms)
    assert geoms[2].equals(box(5, 5, 6, 6))


def test_missing_source_is_named(tmp_path):
    with pytest.raises(SourceError, match="no de-"):
        germany.resolve_paths(tmp_path)
    with pytest.raises(SourceError, match="nowhere.geojson"):
        germany.resolve_paths([tmp_path / "nowhere.geojson"])


def test_map_draws_given_geometry_without_the_nrw_bezirk_labels():
    from viewmodel.component import component_args
    from viewmodel.model import build

    model = build(tiny_coverage(), ViewState(dt.date(2023, 7, 1)))
    args = component_args(model, units_url="geo/gemeinde-de-0.json", context_url=None, labels=[])
    assert args["units_url"] == "geo/gemeinde-de-0.json" and args["labels"] == []


def tiny_coverage():
    from tests.helpers import tiny_events, tiny_units

    units = tiny_units()
    return coverage.build(
        units, accessions.expand_events(pd.DataFrame(columns=accessions.COLUMNS), tiny_events(), units)
    )
