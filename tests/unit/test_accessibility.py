"""Accessibility without a browser: contrast of the one palette, colour-vision deficiencies, the view in
words, the map's table, the feedback store. The browser half is ``test_browser_a11y.py``."""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import re

import numpy as np
import pytest
import sqlalchemy as sa

from loaders.errors import InputError
from loaders.paths import PROJECT_ROOT
from loaders.viewstate import ViewState
from register import feedback
from viewmodel import palette
from viewmodel.component import accessibility
from viewmodel.describe import describe
from viewmodel.i18n import format_int
from viewmodel.model import build
from viewmodel.picture_tables import map_table, timeline_table

MAP_CSS = PROJECT_ROOT / "webparts" / "map_component" / "map.css"
PAPER = "#fbfbf8"  # the map's background without a basemap (map.css #map)
LEGEND = "#ffffff"
# The categories a map distinguishes by colour, and the colour each is drawn with ("new": its ring's band).
CATEGORIES = {status: palette.STYLES[status].fill for status in ("member", "via_kreis", "new", "not_yet")}


def rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float) / 255


def linear(srgb: np.ndarray) -> np.ndarray:
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def luminance(colour: str) -> float:
    return float(linear(rgb(colour)) @ [0.2126, 0.7152, 0.0722])


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# -- WCAG 1.4.3 and 1.4.11 -----------------------------------------------------------------------
def test_covered_partly_and_not_covered_differ_by_three_to_one():
    dark, light, none = palette.DARK, palette.LIGHT, palette.NONE
    for a, b in ((dark, light), (light, none), (dark, none)):
        assert contrast(a, b) >= 3, (a, b, contrast(a, b))


def test_new_is_told_apart_by_its_outline_not_by_colour_alone():
    new = palette.STYLES["new"]
    assert new.weight > palette.STYLES["member"].weight  # an outline of its own
    assert contrast(new.fill, palette.DARK) >= 3
    # Beside light fills its dark outline carries the boundary.
    for neighbour in (palette.LIGHT, palette.NONE, new.fill, PAPER):
        assert contrast(new.stroke, neighbour) >= 3, neighbour


def test_the_ring_of_what_is_new_stands_out_against_every_fill():
    """What is new keeps its status's fill; its ring (dark line on an orange band) marks it on any of them."""
    band, line = palette.STYLES["new"].fill, palette.STYLES["new"].stroke
    assert contrast(band, line) >= 3
    for fill in [palette.DARK, palette.LIGHT, palette.NONE, palette.MUTED, PAPER, palette.HATCH_INK]:
        assert max(contrast(band, fill), contrast(line, fill)) >= 3, fill
    # Not the focus ring's pair (black on white): a selected unit and a new one stay apart.
    assert {band, line} != {palette.FOCUS_INK, palette.FOCUS_HALO}
    assert palette.RING_WIDTHS[0] > palette.RING_WIDTHS[1] > palette.STYLES["member"].weight


def test_edges_swatches_and_focus_ring_reach_three_to_one():
    assert contrast(palette.STYLES["not_yet"].stroke, palette.NONE) >= 3
    assert contrast(palette.SWATCH_EDGE, LEGEND) >= 3
    assert contrast(palette.OUTLINE, palette.NONE) >= 3 and contrast(palette.OUTLINE, PAPER) >= 3
    # The ring is two strokes: against any fill one of them stands out by 3:1.
    for fill in [*CATEGORIES.values(), palette.MUTED, PAPER]:
        assert max(contrast(palette.FOCUS_INK, fill), contrast(palette.FOCUS_HALO, fill)) >= 3, fill
    assert contrast(palette.FOCUS_INK, palette.FOCUS_HALO) >= 3


def test_map_label_text_reaches_four_and_a_half_to_one():
    css = MAP_CSS.read_text()
    muted = re.search(r"\.rb-label\.muted \{ color: (#[0-9a-f]{6})", css).group(1)
    for background in (PAPER, palette.MUTED):
        assert contrast(muted, background) >= 4.5
        assert contrast("#222222", background) >= 4.5  # the chosen Bezirk's label
    assert contrast(palette.INK, "#ffffff") >= 4.5 and contrast(palette.SUBTLE_INK, "#ffffff") >= 4.5


# -- colour-vision deficiencies ----------------------------------------------------------------------
# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    "achromatopsia": [[0.2126, 0.7152, 0.0722]] * 3,
}


def lab(linear_rgb: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of a linear RGB colour."""
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear_rgb
    xyz = xyz / [0.95047, 1.0, 1.08883]
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def simulated(colour: str, deficiency: str) -> np.ndarray:
    return lab(np.clip(np.array(CVD[deficiency]) @ linear(rgb(colour)), 0, 1))


@pytest.mark.parametrize("deficiency", list(CVD))
def test_categories_stay_distinguishable_under_colour_vision_deficiencies(deficiency):
    """Every pair of map categories stays at least ΔE 15 apart (CIE76; 2.3 is a just-noticeable difference)."""
    for (a, fill_a), (b, fill_b) in itertools.combinations(CATEGORIES.items(), 2):
        distance = float(np.linalg.norm(simulated(fill_a, deficiency) - simulated(fill_b, deficiency)))
        assert distance >= 15, f"{a} and {b} are ΔE {distance:.1f} apart under {deficiency}"


# -- the view in words and as a table -------------------------------------------------------------------
def test_detmold_description_states_the_change_with_the_view_models_figures(coverage):
    model = build(coverage, ViewState(dt.date(2024, 2, 1), compare=dt.date(2024, 1, 31), region="057"))
    text = describe(model)
    now, then = model.now, model.then
    new = int(model.units["new"].sum())
    assert (then["gemeinden_covered"], now["gemeinden_covered"], new) == (0, 70, 70)
    assert (
        f"Seit dem 31. Januar 2024: {then['gemeinden_covered']} → {now['gemeinden_covered']} abgedeckte Gemeinden"
        in text
    )
    assert f"{format_int(new)} Gemeinden neu" in text
    assert (
        f"Abgedeckt sind {now['gemeinden_covered']} von {now['gemeinden_total']} Gemeinden" in text
        and f"davon {now['gemeinden_covered_documented']} einzeln belegt" in text
    )
    assert "Regierungsbezirk Detmold" in text and "1. Februar 2024" in text
    english = describe(
        build(coverage, ViewState(dt.date(2024, 2, 1), compare=dt.date(2024, 1, 31), region="057", lang="en"))
    )
    assert "Since 31 January 2024: 0 → 70 municipalities covered; 70 municipalities new" in english
    # The map carries the same text as its accessible description.
    assert accessibility(model)["description"] == text


def test_the_map_table_lists_every_unit_as_the_map_shows_it(coverage):
    for view in (
        ViewState(dt.date(2023, 9, 30)),
        ViewState(dt.date(2023, 9, 30), level="kreis"),
        ViewState(dt.date(2024, 2, 1), compare=dt.date(2024, 1, 31), region="057", lang="en"),
    ):
        model = build(coverage, view, tooltips=False)
        table = map_table(model)
        key, status = ("Schlüssel", "Status") if view.lang == "de" else ("Key", "Status")
        assert sorted(table[key]) == sorted(model.units["key"])
        assert table.iloc[:, 0].str.casefold().is_monotonic_increasing
    assert table[status].str.contains("new since 31 January 2024").sum() == 70


def test_the_timeline_table_has_a_row_per_change_day(coverage):
    frame = coverage.timeline("all", "057", start=dt.date(2022, 1, 1), end=dt.date(2024, 3, 1))
    table = timeline_table(frame)
    assert len(table) == len(frame)
    assert "70 von 70, davon 1 belegt" in table["Gemeinden abgedeckt"].tolist()


# -- feedback -------------------------------------------------------------------------------------------------
def test_feedback_is_stored_capped_and_plain(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'register.sqlite'}")
    first = feedback.submit(engine, "<script>alert(1)</script>\x00 Kontrast\u202e", "/?date=2024-02-01&region=057")
    second = feedback.submit(engine, "x" * 10_000, "/" + "y" * 5000, contact="c" * 1000, lang="xx")
    rows = feedback.newest(engine)
    assert [r["id"] for r in rows] == [second.number, first.number] and not first.repeated
    assert rows[1]["message"] == "<script>alert(1)</script> Kontrast"  # stored as typed; shown as text
    assert rows[1]["url"] == "/?date=2024-02-01&region=057"
    assert (len(rows[0]["message"]), len(rows[0]["url"]), len(rows[0]["contact"]), rows[0]["lang"]) == (
        feedback.MAX_MESSAGE,
        feedback.MAX_URL,
        feedback.MAX_CONTACT,
        "de",
    )
    with pytest.raises(ValueError):
        feedback.submit(engine, " \x00 ", "/")


@pytest.mark.parametrize("contact", ["anna\u202e@example.org", "anna\x07@example.org", "a\u2066b", "anna\nbob"])
def test_a_contact_with_control_or_bidi_characters_is_refused(tmp_path, contact):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'register.sqlite'}")
    with pytest.raises(InputError, match="control characters"):
        feedback.submit(engine, "Kontrast", "/", contact=contact)
    assert feedback.count(engine) == 0


def test_the_same_report_again_is_counted_not_stored(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'register.sqlite'}")
    now = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    first = feedback.submit(engine, "Kontrast zu gering", "/a", address="203.0.113.1", now=now)
    for n in range(1, 8):
        again = feedback.submit(
            engine, "  KONTRAST zu   gering ", "/b", address=f"203.0.113.{n + 1}", now=now + dt.timedelta(minutes=n)
        )
        assert again == feedback.Stored(first.number, repeated=True)
    [row] = feedback.newest(engine)
    assert (row["repeats"], row["url"], row["message"]) == (8, "/a", "Kontrast zu gering")
    assert row["last_at"].replace(tzinfo=dt.UTC) == now + dt.timedelta(minutes=7)


def test_daily_caps_per_address_and_for_the_site(tmp_path, monkeypatch):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'register.sqlite'}")
    monkeypatch.setattr(feedback, "PER_DAY", 30)
    now = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    for n in range(feedback.PER_ADDRESS_DAY):
        feedback.submit(engine, f"Meldung {n}", "/", address="203.0.113.9", now=now)
    with pytest.raises(feedback.Refused) as refused:
        feedback.submit(engine, "noch eine", "/", address="203.0.113.9", now=now)
    assert refused.value.cap == "address"
    # Repeats cost the address too: folding alone would let one sender hammer the database.
    with pytest.raises(feedback.Refused):
        feedback.submit(engine, "Meldung 1", "/", address="203.0.113.9", now=now)
    for n in range(10):
        feedback.submit(engine, f"Andere {n}", "/", address=f"198.51.100.{n}", now=now)
    with pytest.raises(feedback.Refused) as refused:
        feedback.submit(engine, "die 31.", "/", address="192.0.2.1", now=now)
    assert refused.value.cap == "day" and feedback.count(engine) == 30
    tomorrow = now + dt.timedelta(days=1)
    assert not feedback.submit(engine, "neuer Tag", "/", address="203.0.113.9", now=tomorrow).repeated
    with engine.connect() as conn:  # yesterday's counters are gone, and no address is stored as such
        subjects = [row.subject for row in conn.execute(sa.select(feedback.quota))]
    assert len(subjects) == 2 and not [s for s in subjects if "203.0.113" in s]


def test_editors_page_through_every_report(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'register.sqlite'}")
    now = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    for n in range(130):
        feedback.submit(engine, f"Meldung {n}", "/", address=f"198.51.{n // 10}.{n % 10}", now=now)
    assert feedback.count(engine) == 130
    pages = [feedback.page(engine, number) for number in (1, 2, 3, 4)]
    assert [len(p) for p in pages] == [50, 50, 30, 0]
    seen = [row["message"] for page in pages for row in page]
    assert seen == [f"Meldung {n}" for n in reversed(range(130))]  # all of them, newest first


def test_a_feedback_table_of_an_earlier_version_gets_the_new_columns(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'register.sqlite'}")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE register_feedback (id INTEGER PRIMARY KEY, created_at DATETIME NOT NULL, "
            "url VARCHAR(500) NOT NULL, message TEXT NOT NULL, contact VARCHAR(200) NOT NULL, lang VARCHAR(2) NOT NULL)"
        )
        conn.exec_driver_sql("INSERT INTO register_feedback VALUES (1, '2025-01-01 10:00:00', '/', 'alt', '', 'de')")
    assert not feedback.submit(engine, "neu", "/").repeated
    old, new = reversed(feedback.newest(engine))
    assert (old["message"], old["repeats"], new["message"]) == ("alt", 1, "neu")


@pytest.mark.slow  # many databases created and collected
def test_a_new_database_gets_its_tables_even_when_an_old_engine_is_gone(tmp_path):
    # CI once saw "no such table": a collected engine's id was reused by the next one, which then looked ready.
    for n in range(30):
        engine = sa.create_engine(f"sqlite:///{tmp_path / f'register-{n}.sqlite'}")
        assert feedback.count(engine) == 0
        engine.dispose()
        del engine
        gc.collect()
