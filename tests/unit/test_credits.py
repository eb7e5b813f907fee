"""The credits: one text (``viewmodel.credits``) naming each licence, shared by screen, pictures and exports."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from exports import style
from exports.dispatch import export
from loaders.sources import gebietsstand, manifest
from loaders.viewstate import ViewState
from viewmodel.credits import credit_line, credit_pieces

ROOT = Path(__file__).resolve().parents[2]
LICENCES = ("dl-de/by-2-0", "dl-de/zero-2-0")


def test_every_credit_names_its_licence_and_the_mandatory_one_comes_first():
    pieces = credit_pieces()
    assert all(any(piece.endswith(licence) or f"{licence} (" in piece for licence in LICENCES) for piece in pieces)
    # The required BKG attribution as PROVENANCE.md gives it, with the licence and its text's address.
    assert pieces[0] == "© GeoBasis-DE / BKG (2025), Daten verändert, dl-de/by-2-0 (www.govdata.de/dl-de/by-2-0)"
    assert pieces[1] == "Einwohnerzahlen: Statistische Ämter des Bundes und der Länder, dl-de/by-2-0"
    assert pieces[2] == "Verwaltungsgrenzen: Land NRW / Geobasis NRW (2022), dl-de/zero-2-0"
    assert {spec.licence for spec in manifest().values()} == set(LICENCES)
    assert style.attribution_pieces() == pieces and credit_line() == " · ".join(pieces)


def test_source_dates_are_as_sure_as_their_provenance():
    # PROVENANCE.md: the population sum matches 31.12.2023, "most likely" the Stand; the file names none.
    text = gebietsstand()
    assert "vermutlich Stand 31.12.2023" in text and "(Stand 31.12.2023)" not in text
    assert "Stand 2022-03-08" in text  # DVG2's STAND attribute: sure
    assert "31.12.2023" not in credit_line()


def test_the_credit_text_lives_in_one_place():
    allowed = {"loaders/shipped/sources.toml", "viewmodel/credits.py", "exports/style.py"}
    found = set()
    for pattern in ("*.py", "*.js", "*.html", "*.toml"):
        for path in ROOT.rglob(pattern):
            relative = path.relative_to(ROOT).as_posix()
            if relative.startswith((".venv/", "tests/", "cache/", "build/")) or "/vendor/" in relative:
                continue
            if "GeoBasis-DE" in path.read_text(encoding="utf-8", errors="ignore"):
                found.add(relative)
    assert found <= allowed, found - allowed


def test_screen_pictures_and_exports_carry_every_piece(coverage):
    from dashboard import atlas

    assert atlas.attribution() == credit_line()
    view = ViewState(dt.date(2024, 2, 1), region="057")
    svg = export(coverage, view, "svg").decode("utf-8")
    html = export(coverage, view, "html").decode("utf-8")
    geojson = json.loads(export(coverage, view, "geojson"))
    flat_svg = re.sub(r"\s+", " ", svg)
    for piece in credit_pieces():
        assert piece.replace("&", "&amp;") in html
        assert piece in flat_svg
    assert geojson["attribution"] == credit_line()
