"""The kind column as administrations write it, tried on every official NRW name.

Each form is one parametrised case that resolves all official names of its
level; a failure lists every name that went wrong.
"""

from __future__ import annotations

import pytest

from loaders.accessions import kreisfreie_kreis_keys
from register.resolve import Resolver

GEMEINDE_KINDS = [
    "Kommune",
    "Stadt",
    "Gemeinde",
    "Gem.",
    "Gde.",
    "St.",
    "kreisangehörige Stadt",
    "kreisang. Stadt",
    "Kreisangehörige Gemeinde",
    "kreisfreie Stadt",
    "krfr. Stadt",
    "kreisfr. Stadt",
    "Große kreisangehörige Stadt",
    "Gr. kreisang. Stadt",
    "GkSt",
    "GKSt.",
    "Mittlere kreisangehörige Stadt",
    "MkSt",
    "KOMMUNE",
    " kommune ",
]
KREIS_KINDS = ["Kreis", "Kr.", "KR", "Landkreis", "LK", "Lkr.", "Kreisverwaltung"]
BEZIRK_KINDS = ["Bezirksregierung", "BezReg", "Bez.-Reg.", "Bez. Reg.", "Regierungsbezirk", "Reg.-Bez.", "RB"]
# Words written around the name itself rather than in the kind column.
GEMEINDE_NAME_FORMS = [
    "Stadt {}",
    "{}, Stadt",
    "Gemeinde {}",
    "{}, Kommune",
    "krfr. Stadt {}",
    "Große kreisangehörige Stadt {}",
    "{}, GkSt",
    "{}, kreisang. Stadt",
]
KREIS_NAME_FORMS = ["Kreis {}", "{}, Kreis", "Kr. {}", "{}, Kr.", "Landkreis {}", "LK {}"]


@pytest.fixture(scope="module")
def nrw(units):
    return Resolver(units)


@pytest.fixture(scope="module")
def names(units):
    """Official Gemeinden, Kreise (kreisfreie Städte are Gemeinden), Bezirke; and names a Kreis and a Gemeinde share."""
    kreisfrei = kreisfreie_kreis_keys(units)
    gemeinden = dict(
        zip(units.loc[units["level"] == "gemeinde", "name"], units.loc[units["level"] == "gemeinde", "key"])
    )
    kreise = units[(units["level"] == "kreis") & ~units["key"].isin(kreisfrei)]
    kreise = {name.removeprefix("Städteregion "): key for name, key in zip(kreise["name"], kreise["key"])}
    bezirke = dict(
        zip(
            units.loc[units["level"] == "regierungsbezirk", "name"],
            units.loc[units["level"] == "regierungsbezirk", "key"],
        )
    )
    shared = sorted(set(gemeinden) & set(kreise))
    assert (len(gemeinden), len(kreise), len(bezirke)) == (396, 31, 5)
    assert {"Kleve", "Wesel", "Soest", "Aachen"} <= set(shared)
    return {"gemeinde": gemeinden, "kreis": kreise, "regierungsbezirk": bezirke, "shared": shared}


def wrong(nrw, expected: dict[str, str], name_form: str = "{}", kind: str | None = None) -> dict:
    """Each name that did not resolve to its expected key, with what happened instead."""
    out = {}
    for name, key in expected.items():
        result = nrw.resolve(name_form.format(name), kind)
        if (result.status, result.key) != ("ok", key):
            out[name] = (result.status, result.key, result.messages)
    return out


@pytest.mark.parametrize("kind", GEMEINDE_KINDS)
def test_every_gemeinde_with_each_gemeinde_kind(nrw, names, kind):
    assert wrong(nrw, names["gemeinde"], kind=kind) == {}


@pytest.mark.parametrize("kind", KREIS_KINDS + ["Städteregion"])
def test_every_kreis_with_each_kreis_kind(nrw, names, kind):
    kreise = names["kreis"] if kind != "Städteregion" else {"Aachen": "05334"}
    assert wrong(nrw, kreise, kind=kind) == {}


@pytest.mark.parametrize("kind", BEZIRK_KINDS)
def test_every_bezirksregierung_with_each_kind(nrw, names, kind):
    assert wrong(nrw, names["regierungsbezirk"], kind=kind) == {}
    assert wrong(nrw, names["regierungsbezirk"], name_form=f"{kind} {{}}") == {}


@pytest.mark.parametrize("form", GEMEINDE_NAME_FORMS)
def test_every_gemeinde_with_the_kind_word_in_its_name(nrw, names, form):
    assert wrong(nrw, names["gemeinde"], name_form=form) == {}


@pytest.mark.parametrize("form", KREIS_NAME_FORMS)
def test_every_kreis_with_the_kind_word_in_its_name(nrw, names, form):
    assert wrong(nrw, names["kreis"], name_form=form) == {}


def test_a_shared_name_is_resolved_by_any_kind_word_and_ambiguous_only_without(nrw, names):
    gemeinden, kreise = names["gemeinde"], names["kreis"]
    for name in names["shared"]:
        if name != "Aachen":  # Aachen's Kreis is only found with a Kreis word: "Städteregion Aachen"
            assert nrw.resolve(name).status == "ambiguous", name
        for kind in GEMEINDE_KINDS:
            assert nrw.resolve(name, kind).key == gemeinden[name], (name, kind)
        for kind in KREIS_KINDS:
            assert nrw.resolve(name, kind).key == kreise[name], (name, kind)
        assert nrw.resolve(f"Kr. {name}").key == kreise[name]
        assert nrw.resolve(f"{name}, GkSt").key == gemeinden[name]


def test_kommune_never_means_a_kreis(nrw, names):
    assert nrw.resolve("Kleve", "Kommune").key == names["gemeinde"]["Kleve"]
    result = nrw.resolve("Märkischer Kreis", "Kommune")
    assert result.status == "invalid" and result.key is None


def test_st_in_the_kind_column_is_stadt_but_before_a_name_is_sankt(nrw, names):
    assert nrw.resolve("St. Augustin").key == names["gemeinde"]["Sankt Augustin"]
    assert nrw.resolve("Sankt Augustin", "St.").key == names["gemeinde"]["Sankt Augustin"]


def test_an_unknown_kind_word_is_reported_with_examples(nrw):
    result = nrw.resolve("Kleve", "Amt")
    assert result.status == "invalid" and "unbekannte Art 'Amt'" in result.messages[0]
