"""The atlas page's state without Streamlit (``dashboard/session.py``): transitions, notices, announcements, reruns.

The H1 scenario (jump to a Stichtag, then change the level) as a person tries it, step by step: after each step the
view, the URL it writes and what every widget shows agree, and the Stichtag is
the one the person set.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.session import DAY_WIDGETS, STATE_KEY, Session, current_view, of, reports_map_drawn
from loaders.boundaries import LAND_KEY
from loaders.viewstate import FIRST_DAY, ViewState
from viewmodel.describe import Change, announcement, notice_text
from viewmodel.model import build

TODAY = dt.date(2026, 12, 7)
D = dt.date
KOELN = D(2023, 9, 8)  # "Beitritt RB Köln"


def opened(**params) -> Session:
    return Session.from_params(params, TODAY)


def agrees(page: Session, **expected) -> None:
    """URL, widgets and view say the same: the view's parameters, and each widget shows its part of the view."""
    view = page.view
    assert view.to_params() == expected
    shown = page.widget_values()
    assert shown["w_slider"] == shown["w_date"] == view.date == D.fromisoformat(expected["date"])
    assert (
        shown["w_compare"] == view.compare == (D.fromisoformat(expected["compare"]) if "compare" in expected else None)
    )
    assert shown["w_level"] == view.level == expected.get("level", "gemeinde")
    assert shown["w_region"] == (view.region or LAND_KEY) and view.region == expected.get("region")
    assert shown["w_evidence"] == view.evidence and shown["w_lang"] == (view.lang == "en")
    assert shown["w_jump"] is None
    # What a link to this view opens is this view, without a notice.
    assert Session.from_params(view.to_params(), TODAY).view == view
    assert Session.from_params(view.to_params(), TODAY).notices == ()


def test_h1_the_jump_clears_a_later_compare_date_with_a_notice_and_the_level_click_keeps_the_stichtag():
    page = opened(date="2024-02-01", compare="2023-09-25")
    agrees(page, date="2024-02-01", compare="2023-09-25")
    page.page_run(data=1)

    page.on_widget("w_jump", KOELN.isoformat())  # "Beitritt RB Köln – 8. September 2023"
    agrees(page, date="2023-09-08")
    (notice,) = page.notices
    assert notice.severity == "info"  # told in a polite status region
    assert (
        notice_text(notice)
        == "Vergleich mit 25. September 2023 aufgehoben: er läge nach dem Stichtag 8. September 2023."
    )
    assert notice_text(notice, "en") == (
        "Comparison with 25 September 2023 removed: it would lie after the reference date 8 September 2023."
    )
    # The sidebar showed the compare date: the fragment's rerun must become a full run, so it shows none.
    assert page.needs_page(data=1)
    page.page_run(data=1)
    assert not page.needs_page(data=1)

    # Ebene "Kreis": the Stichtag stays what the person set, the comparison stays as shown (none), no word lost.
    page.on_widget("w_level", "kreis")
    agrees(page, date="2023-09-08", level="kreis")
    assert page.notices == () and page.change == Change("view")


def test_h1_two_vortag_from_a_compare_date_of_the_day_before():
    page = opened(date="2024-02-01", compare="2024-01-31", region="057")
    page.page_run(data=1)
    page.shift(-1, TODAY)
    agrees(page, date="2024-01-31", region="057")
    assert notice_text(page.notices[0]) == "Vergleich mit 31. Januar 2024 aufgehoben: er fiele auf den Stichtag."
    assert page.needs_page(data=1)
    page.page_run(data=1)
    page.shift(-1, TODAY)
    agrees(page, date="2024-01-30", region="057")
    assert page.notices == () and not page.needs_page(data=1)  # the day alone changed: the fragment reruns
    page.on_widget("w_level", "kreis")
    agrees(page, date="2024-01-30", level="kreis", region="057")


@pytest.mark.parametrize(
    "move, day",
    [
        (lambda page: page.on_widget("w_slider", D(2023, 1, 1)), D(2023, 1, 1)),
        (lambda page: page.on_widget("w_date", D(2023, 1, 2)), D(2023, 1, 2)),
        (lambda page: page.jump(D(2023, 1, 3)), D(2023, 1, 3)),
        (lambda page: page.shift(-400, TODAY), D(2022, 12, 28)),
    ],
    ids=["slider", "date field", "jump", "vortag"],
)
def test_every_stichtag_control_sets_exactly_its_day(move, day):
    page = opened(date="2024-02-01", compare="2023-06-01")
    move(page)
    assert page.view.date == day and page.view.compare is None
    assert page.change.kind == "stichtag" and [notice.key for notice in page.notices] == ["notice_compare_cleared"]


def test_the_stichtag_stays_within_its_range_and_an_emptied_field_changes_nothing():
    page = opened(date=FIRST_DAY.isoformat())
    page.shift(-1, TODAY)
    assert page.view.date == FIRST_DAY
    page.on_widget("w_date", D(2025, 1, 1))
    page.on_widget("w_date", None)
    assert page.view.date == D(2025, 1, 1)
    page.shift(1000, TODAY)
    assert page.view.date == TODAY


def test_a_compare_date_not_before_the_stichtag_is_not_applied_and_the_page_says_so():
    page = opened(date="2024-02-01", compare="2023-09-25")
    page.on_widget("w_compare", D(2024, 3, 1))
    agrees(page, date="2024-02-01", compare="2023-09-25")  # the Stichtag never moves; the old comparison stays
    assert notice_text(page.notices[0]) == (
        "Vergleichsdatum 1. März 2024 nicht übernommen: es muss vor dem Stichtag 1. Februar 2024 liegen."
    )
    page.on_widget("w_compare", D(2024, 2, 1))  # the same day: no comparison either
    assert page.view.compare == D(2023, 9, 25) and page.notices[0].key == "notice_compare_refused"
    page.on_widget("w_compare", D(2024, 1, 1))
    agrees(page, date="2024-02-01", compare="2024-01-01")
    assert page.notices == ()
    page.on_widget("w_compare", None)
    agrees(page, date="2024-02-01")


def test_each_widget_reads_only_its_own_value():
    """A widget the last run did not redraw can never write its old value back (the cause of H1)."""
    page = opened(date="2024-02-01", compare="2023-09-25")
    stale = page.widget_values()
    page.jump(KOELN)
    for key in ("w_level", "w_region", "w_evidence", "w_lang"):
        page.on_widget(key, stale[key])  # the sidebar's values as they were before the jump
    agrees(page, date="2023-09-08")
    with pytest.raises(KeyError):
        page.on_widget("w_basemap", "osm")


def test_sidebar_choices_and_language():
    page = opened(date="2024-02-01")
    page.on_widget("w_region", "057")
    page.on_widget("w_evidence", "documented")
    page.on_widget("w_lang", True)
    agrees(page, date="2024-02-01", region="057", evidence="documented", lang="en")
    page.on_widget("w_region", LAND_KEY)
    agrees(page, date="2024-02-01", evidence="documented", lang="en")


def test_url_notices_stay_until_the_first_change_and_speak_the_views_language():
    page = opened(date="2024-02-31", lang="en")
    (notice,) = page.notices
    assert notice.severity == "warning" and notice_text(notice, page.view.lang).startswith("Invalid value for “date”")
    assert page.change == Change()  # nothing to announce on opening
    page.shift(-1, TODAY)
    assert page.notices == ()


def test_playback_steps_announce_briefly_and_the_end_stops_it():
    stops = [D(2023, 9, 8), D(2024, 2, 1)]
    page = opened(date="2024-02-01", compare="2023-09-25")
    page.set_step_mode("event")
    page.page_run(data=1)
    page.toggle_play(stops, TODAY)  # at the end: it plays from the first day
    assert page.playing and page.view.date == FIRST_DAY and page.change.kind == "play_start"
    assert page.notices[0].key == "notice_compare_cleared"
    assert page.needs_page(data=1)  # the ticker joins the sidebar
    page.page_run(data=1)
    assert page.fragment_run("day") and page.fragment_run("ticker")  # drawn inline by the full run
    assert not page.fragment_run("ticker")  # its timed rerun steps
    assert page.play_step(stops, TODAY) and page.view.date == D(2023, 9, 8) and page.change.kind == "play"
    assert page.play_step(stops, TODAY) and page.view.date == D(2024, 2, 1)
    assert not page.play_step(stops, TODAY) and not page.playing and page.change.kind == "ended"
    assert page.view.date == D(2024, 2, 1)  # the end keeps the last day
    with pytest.raises(ValueError):
        page.set_step_mode("year")


def test_pause_and_step_by_hand():
    page = opened(date="2023-09-08")
    page.toggle_play([], TODAY)
    assert page.playing and page.view.date == D(2023, 9, 8)
    page.toggle_play([], TODAY)
    assert not page.playing and page.change.kind == "paused" and not page.play_step([], TODAY)
    page.step([], TODAY)  # month by month
    assert page.view.date == D(2023, 10, 1) and page.change.kind == "stichtag"
    page.on_widget("w_step_mode", "event")
    page.step([D(2024, 2, 1)], TODAY)
    assert page.view.date == D(2024, 2, 1)
    page.step([D(2024, 2, 1)], TODAY)  # no next event: nothing moves
    assert page.view.date == D(2024, 2, 1)


def test_what_runs_again():
    page = opened(date="2024-02-01", region="057")
    assert page.needs_page(data=1)  # nothing drawn yet
    page.page_run(data=1)
    page.shift(-1, TODAY)
    assert not page.needs_page(data=1)  # the day alone: the fragment
    assert page.needs_page(data=2)  # the register has a newer entry: everything shows the new data
    page.page_run(data=1)
    page.shows_day_below()  # the members list is open: it shows the day as well
    page.shift(-1, TODAY)
    assert page.needs_page(data=1)
    page.page_run(data=1)
    assert not page.day_below and not page.needs_page(data=1)
    for change in (lambda: page.on_widget("w_evidence", "documented"), lambda: page.on_widget("w_lang", True)):
        change()
        assert page.needs_page(data=1)
        page.page_run(data=1)


def test_a_browsers_first_run_stops_after_the_map_until_it_reports_it_drawn():
    page = opened()
    assert page.stop_after_map(map_drawn=False, client_reports=True)
    assert not page.stop_after_map(map_drawn=True, client_reports=True)
    assert not page.stop_after_map(map_drawn=False, client_reports=True)  # once complete, always
    assert not opened().stop_after_map(map_drawn=False, client_reports=False)  # AppTest, the benchmark's client
    assert reports_map_drawn({"User-Agent": "Mozilla/5.0 Chrome/131"}) and not reports_map_drawn({"User-Agent": "x"})


def test_one_session_per_browser_session_made_from_the_url():
    state: dict = {}
    assert current_view(state) is None
    page = of(state, {"date": "2024-02-01", "lang": "en"}, TODAY)
    assert state[STATE_KEY] is page and of(state, {"date": "2023-01-01"}, TODAY) is page
    assert current_view(state) == ViewState(D(2024, 2, 1), lang="en")
    assert set(DAY_WIDGETS) < set(page.widget_values())


# -- the announcements' words (viewmodel.describe.announcement) -----------------------------------
def test_announcements_of_a_stichtag_change_say_the_first_sentence_and_the_covered_figure(coverage):
    page = opened(date="2024-02-01", compare="2023-09-25")
    page.jump(KOELN)
    model = build(coverage, page.view)
    said = announcement(model, page.change)
    # What was dropped first, then the view's first sentence and its covered figure with the documented part.
    assert said.startswith("Vergleich mit 25. September 2023 aufgehoben")
    assert "Karte: Gemeinden, Nordrhein-Westfalen, Stand 8. September 2023" in said
    now = model.now
    assert f"Abgedeckt sind {now['gemeinden_covered']} von 396 Gemeinden" in said
    assert f"davon {now['gemeinden_covered_documented']} belegt" in said and "abgeleitet." in said
    # The same words as the map's description (its first two sentences), never a second wording.
    told = notice_text(page.notices[0]) + " "
    assert said.startswith(told) and model.description.startswith(said[len(told) :])
    page.set_language("en")
    page.shift(-1, TODAY)
    english = announcement(build(coverage, page.view), page.change)
    assert "as of 7 September 2023" in english and "municipalities" in english and "Karte" not in english


def test_announcements_during_playback_are_one_short_line_per_step(coverage):
    page = opened(date="2023-09-08")
    page.toggle_play([], TODAY)
    start = announcement(build(coverage, page.view), page.change)
    page.play_step([], TODAY)
    step = announcement(build(coverage, page.view), page.change)
    assert start.startswith("Wiedergabe läuft. 8. September 2023: ")
    assert step.startswith("1. Oktober 2023: ") and step.endswith("belegt.") and len(step) < 100
    page.toggle_play([], TODAY)
    paused = announcement(build(coverage, page.view), page.change)
    assert paused.startswith("Wiedergabe angehalten. Karte: ")


def test_announcements_of_a_place_search(coverage):
    from viewmodel import places

    model = build(coverage, ViewState(D(2024, 2, 1)))
    found = places.entries(model)
    said = {
        query: announcement(model, Change("search"), places.search(query, found))
        for query in ("Bielefeld", "berg", "Hamm", "Atlantis")
    }
    assert said["Bielefeld"] == (
        "Bielefeld gefunden: abgedeckt – abgeleitet aus dem Beitritt des RB Detmold (1. Februar 2024)."
    )
    n = len(places.matches("berg", found))
    assert n > places.MAX_HITS and said["berg"].startswith(f"{n} Treffer, die ersten 8: ")
    assert said["Hamm"].startswith("Hamm gefunden: ")  # the exact name wins over Hamminkeln
    assert said["Atlantis"] == "Kein Ort dieser Ansicht heißt „Atlantis“."
    picked = places.search("berg", found, places.search("berg", found).shown[0])
    assert announcement(model, Change("search"), picked).startswith(places.entry_name(picked.shown[0]) + " gefunden")
