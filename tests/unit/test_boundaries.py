"""The NRW unit table: real data invariants and clear errors on broken input."""

from __future__ import annotations

import pytest

from loaders import boundaries
from loaders.errors import DataError


def test_counts_per_level(units):
    assert units["level"].value_counts().to_dict() == {"gemeinde": 396, "kreis": 53, "regierungsbezirk": 5, "land": 1}


def test_keys_have_the_documented_lengths_and_are_unique(units):
    lengths = units.groupby("level")["key"].agg(lambda k: set(k.str.len()))
    assert lengths.to_dict() == {"gemeinde": {8}, "kreis": {5}, "regierungsbezirk": {3}, "land": {2}}
    assert not units.duplicated(["level", "key"]).any()


def test_gemeinden_and_kreise_per_regierungsbezirk(units):
    gemeinden = units[units["level"] == "gemeinde"].groupby("rb_key").size().to_dict()
    kreise = units[units["level"] == "kreis"].groupby("rb_key").size().to_dict()
    assert gemeinden == {"051": 66, "053": 99, "055": 78, "057": 70, "059": 83}
    assert kreise == {"051": 15, "053": 11, "055": 8, "057": 7, "059": 12}


def test_population_and_area_add_up(units):
    totals = units.groupby("level")["population"].sum()
    assert set(totals) == {18_190_422}
    detmold = units[(units["level"] == "regierungsbezirk") & (units["key"] == "057")]
    assert int(detmold["population"].iloc[0]) == 2_087_744
    assert units.loc[units["level"] == "land", "area_km2"].iloc[0] == pytest.approx(34_096.5, abs=0.1)


def test_official_names_from_dvg2(units):
    names = dict(zip(units["key"], units["name"]))
    assert names["05378016"] == "Leichlingen (Rhld.)"
    assert names["05334"] == "Städteregion Aachen"
    assert names["05334002"] == "Aachen"
    assert names["057"] == "Detmold"


def test_geometry_is_valid_and_projected(units):
    assert units.crs.to_epsg() == 25832
    assert units.geometry.is_valid.all()
    assert boundaries.to_wgs84(units).crs.to_epsg() == 4326


def test_fewer_gemeinden_is_an_error_naming_the_count(units):
    broken = units.drop(units.index[units["key"] == "05711000"])
    with pytest.raises(DataError, match="expected 396 features at level gemeinde, found 395"):
        boundaries.validate(broken)


def test_duplicate_key_is_named(units):
    broken = units.copy()
    broken.loc[broken["key"] == "05711000", "key"] = "05766040"
    with pytest.raises(DataError, match="duplicate keys: 05766040"):
        boundaries.validate(broken)


def test_gemeinde_in_a_missing_kreis_is_named(units):
    broken = units.copy()
    broken.loc[broken["key"] == "05766040", "kreis_key"] = "05799"
    with pytest.raises(DataError, match="05766040"):
        boundaries.validate(broken)


def test_gemeinde_outside_its_kreis_geometrically_is_named(units):
    broken = units.copy()
    lage = broken.index[broken["key"] == "05766040"][0]
    bielefeld = broken.index[broken["key"] == "05711000"][0]
    broken.loc[lage, "geometry"] = broken.loc[bielefeld, "geometry"]
    broken.loc[bielefeld, "geometry"] = units.loc[lage, "geometry"]
    with pytest.raises(DataError, match="not inside exactly their own kreis: .*05711000"):
        boundaries.validate(broken)


def test_missing_population_is_named(units):
    import pandas as pd

    population = units.loc[units["level"] == "gemeinde", ["key", "population"]]
    raw = units.drop(columns="population")
    with pytest.raises(DataError, match="no population for 1 Gemeinden: 05515000"):
        boundaries.join_population(raw, pd.DataFrame(population[population["key"] != "05515000"]))
