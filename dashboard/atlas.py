"""The atlas page (``/``): map, figures, timeline, members and exports of one view.

Run as a page by :mod:`dashboard.navigation` (``streamlit run dashboard/app.py``).

One :class:`~loaders.viewstate.ViewState` in ``st.session_state["view"]`` is
the truth. It is read from the URL once per session, every widget is set from
it before it is drawn and writes back to it in its callback, and the URL is
rewritten from it on every run — so a link always reproduces the view.

The sidebar holds what changes the whole page (level, region, compare date,
evidence, basemap, language); the Stichtag's controls stand above the map in
:func:`day_view`, one ``st.fragment`` with everything that depends on the day,
so moving the day reruns only that fragment and never redraws the sidebar.

Everything expensive is cached: the coverage model once per process
(``st.cache_resource``), figures, map features and chart specs per argument
tuple (``st.cache_data``), so a Stichtag change costs a few dictionary look-ups
and the fragment's elements themselves.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path

import streamlit as st

import register
from dashboard import (
    accessibility,
    chartview,
    figures,
    freshness,
    members,
    press,
    timeline,
)
from dashboard.mapview import render_map
from dashboard.navigation import page_lang
from dashboard.notices import for_viewers, plain
from exports import animation
from exports.style import title_for
from loaders import accessions, provenance, store
from loaders.boundaries import LAND_KEY
from loaders.errors import AtlasError
from loaders.tables import to_csv_bytes
from loaders.viewstate import EVIDENCE_CHOICES, FIRST_DAY, REGION_KEYS, VIEW_LEVELS, ViewState
from viewmodel import charts, credits, tables
from viewmodel import model as viewmodel
from viewmodel.i18n import format_date, t

PLAY_SECONDS = 1.5
# The Stichtag row's widths in pixels: one line on a desktop, wrapped into three on a phone (390 px).
DAY_SLIDER_WIDTH, DAY_FIELD_WIDTH, JUMP_WIDTH = 340, 140, 230
# The page's few layout rules (phone header and title), scoped to keyed containers.
STYLE = Path(__file__).with_name("atlas.css")
BASEMAPS = ("none", "osm", "basemapde")
# The figure cards' widths in pixels (Gemeinden, population, area, Kreise, Bezirksregierungen): they wrap on a phone.
CARD_WIDTHS = (440, 200, 200, 220, 280)


# -- cached data ------------------------------------------------------------
@st.cache_resource(show_spinner="Lade Grenzen und Beitritte …")
def coverage():
    """The coverage model, built once per process."""
    return store.load_coverage()


@st.cache_resource(show_spinner=False)
def configured_register():
    """The configured register, opened once per process; None when the app shows the shipped data."""
    return register.open_configured()


@st.cache_resource(show_spinner=False)
def _register_seen() -> dict:
    """The newest register entry this process's caches were built after (one per process)."""
    return {"entry": None}


def follow_register() -> None:
    """Drop every cached result once the register has a new entry (an import, edit or undo).

    Replicas behind a proxy share one register but each caches its own
    coverage: an import through one replica (or the command line) must reach
    the viewers of all. One indexed one-row query per run tells; the caches are
    rebuilt at most once per new entry in each process.
    """
    reg = configured_register()
    if reg is None:
        return
    try:
        newest = reg.history(1)
    except AtlasError:
        # The database is unreachable for a moment: the data already loaded
        # stays correct as of its entry, and a page beats an error for viewers.
        return
    entry = newest[0]["id"] if newest else None
    seen = _register_seen()
    if entry != seen["entry"]:
        seen["entry"] = entry
        store.load_coverage.cache_clear()
        coverage.clear()
        coverage_chart.clear()  # written from the coverage model (cache_resource, not cleared below)
        st.cache_data.clear()


@st.cache_data(show_spinner=False)
def events():
    return chartview.events()


def attribution() -> str:
    """The credits, each with its licence (:mod:`viewmodel.credits`, as every picture and export)."""
    return credits.credit_line()


@st.cache_data(show_spinner=False)
def stops(evidence: str) -> list[dt.date]:
    """Days playback visits "event by event": coverage changes and the regional events."""
    event_days = {dt.date.fromisoformat(day) for day in events()["date"]}
    return sorted(set(coverage().change_dates(evidence)) | event_days)


def view_model(view: ViewState) -> viewmodel.ViewModel:
    """What the view shows: figures, map statuses, legend, tooltips and words (one pure function).

    Not ``st.cache_data``: it would key by the calendar day and copy the model
    on every hit. ``viewmodel.build`` keeps the coverage part per coverage
    state itself (the last change date before the Stichtag, not the day).
    """
    return viewmodel.build(coverage(), view)


# cache_resource: a chart's data file is written once per data and language; a hit is a look-up.
@st.cache_resource(show_spinner=False, max_entries=64)
def coverage_chart(evidence: str, region: str | None, today: dt.date, lang: str) -> str:
    """The URL of the coverage chart's data (it does not depend on the Stichtag): points up to the Datenstand."""
    return chartview.coverage_url(coverage(), evidence, region, today, lang)


@st.cache_data(show_spinner=False, max_entries=64)
def timeline_rows(evidence: str, region: str | None, today: dt.date, lang: str):
    """The coverage chart's data as a table (its text alternative), up to the Datenstand as the chart."""
    cov = coverage()
    frame = cov.timeline(evidence, region, start=FIRST_DAY, end=provenance.figures_day(cov, today))
    return tables.timeline_table(frame, lang)


@st.cache_resource(show_spinner=False, max_entries=8)
def sizes_chart(today: dt.date, lang: str) -> str:
    """The URL of the network sizes chart's data."""
    return chartview.sizes_url(coverage(), today, lang)


def member_table(day: dt.date, evidence: str, region: str | None, lang: str):
    """The members as of ``day``: one table per set of members (their own dates), shared, read-only."""
    cov = coverage()
    return viewmodel.remember(
        cov,
        ("members", viewmodel.member_period(cov, day), evidence, region, lang),
        lambda: members.members_table(cov.members_as_of(day, evidence, region), lang),
    )


@st.cache_data(show_spinner=False, max_entries=64)
def undated_table(region: str | None, lang: str):
    """Documented members without a date: they depend on the region, never on the Stichtag."""
    return members.members_table(members.undated_members(coverage().accessions, region), lang)


def member_count(day: dt.date, evidence: str, region: str | None) -> int:
    cov = coverage()
    return viewmodel.remember(
        cov,
        ("member_count", viewmodel.member_period(cov, day), evidence, region),
        lambda: len(cov.members_as_of(day, evidence, region)),
    )


# -- view state and widgets -------------------------------------------------
def _region_of(widget_value: str) -> str | None:
    return None if widget_value == LAND_KEY else widget_value


def _show(view: ViewState) -> None:
    """Set the sidebar's widgets from the view (allowed: it runs before the widgets are drawn)."""
    state = st.session_state
    state.w_compare = view.compare
    state.w_level = view.level
    state.w_region = view.region or LAND_KEY
    state.w_evidence = view.evidence
    state.w_lang = view.lang == "en"


def _sidebar_state(view: ViewState) -> tuple:
    """What the sidebar shows of the view: all but the Stichtag (and whether it plays).

    A Stichtag change reruns only :func:`day_view`; when it changes more (a
    Stichtag moved past the compare date swaps the two; play starts the ticker
    in the sidebar), the whole page must run again.
    """
    return view.with_(date=FIRST_DAY), bool(st.session_state.get("playing"))


def _set_view(view: ViewState) -> None:
    st.session_state.view = view
    st.session_state.notices = []


def _from_widgets(date_widget: str = "w_slider") -> None:
    """Callback of every view widget: the widgets' values become the view."""
    state = st.session_state
    day = state[date_widget] or state.view.date
    compare = state.w_compare
    if compare is not None and compare > day:  # a reversed pair: the earlier day is the comparison
        day, compare = compare, day
    _set_view(
        ViewState(
            date=day,
            compare=compare if compare != day else None,
            level=state.w_level,
            region=_region_of(state.w_region),
            evidence=state.w_evidence,
            lang="en" if state.w_lang else "de",
        )
    )


def _jump() -> None:
    day = st.session_state.w_jump
    if day:
        _set_view(st.session_state.view.with_(date=dt.date.fromisoformat(day)))
    st.session_state.w_jump = None


def _step() -> bool:
    """Move the Stichtag one playback step; False (and stop playing) at the end."""
    state = st.session_state
    view = state.view
    day = timeline.next_stop(view.date, state.w_step_mode, stops(view.evidence), dt.date.today())
    if day is None:
        state.playing = False
        return False
    _set_view(view.with_(date=day))
    return True


def _toggle_play() -> None:
    state = st.session_state
    state.playing = not state.get("playing", False)
    if (
        state.playing
        and timeline.next_stop(state.view.date, state.w_step_mode, stops(state.view.evidence), dt.date.today()) is None
    ):
        _set_view(state.view.with_(date=FIRST_DAY))  # at the end: play from the start


@st.fragment(run_every=PLAY_SECONDS)
def _ticker() -> None:
    """While playing: every few seconds one step, then a full rerun draws it.

    The fragment also runs inline during each full run; only its timed reruns
    (marked by the ``tick_armed`` flag the inline run sets) may step.
    """
    state = st.session_state
    if not state.get("tick_armed"):
        state.tick_armed = True
        return
    state.tick_armed = False
    if state.get("playing"):
        _step()
        st.rerun()


def sidebar(lang: str, today: dt.date, cov) -> str:
    """Draw the view's controls but the Stichtag's; return the chosen basemap."""
    bar = st.sidebar
    bar.toggle(t("language", lang), key="w_lang", on_change=_from_widgets)
    bar.radio(
        t("level", lang),
        VIEW_LEVELS,
        key="w_level",
        on_change=_from_widgets,
        format_func=lambda level: t(f"level_{level}", lang),
    )
    bar.selectbox(
        t("region", lang),
        (LAND_KEY, *REGION_KEYS),
        key="w_region",
        on_change=_from_widgets,
        format_func=lambda key: (
            t("region_nrw", lang) if key == LAND_KEY else t("region_item", lang, name=cov.name_of(key))
        ),
    )
    bar.date_input(
        t("compare", lang),
        **_days(today),
        key="w_compare",
        on_change=_from_widgets,
        help=t("compare_help", lang),
    )
    bar.radio(
        t("evidence", lang),
        EVIDENCE_CHOICES,
        key="w_evidence",
        on_change=_from_widgets,
        format_func=lambda evidence: t(f"evidence_{evidence}", lang),
    )
    return bar.selectbox(
        t("basemap", lang), BASEMAPS, key="w_basemap", format_func=lambda basemap: t(f"basemap_{basemap}", lang)
    )


def _days(today: dt.date) -> dict:
    """The range and format of every day widget (Stichtag slider, Stichtag field, compare date)."""
    return {"min_value": FIRST_DAY, "max_value": today, "format": "DD.MM.YYYY"}


def _day_widget(draw, label: str, key: str, lang: str, today: dt.date, **options) -> None:
    """One of the Stichtag's two day widgets (slider, date field): its value becomes the view's day."""
    draw(t(label, lang), **_days(today), key=key, on_change=_from_widgets, args=(key,), **options)


@st.cache_resource(show_spinner=False)
def jump_items(lang: str) -> dict[str, str]:
    """The regional events to jump to, by day (read-only; drawn on every Stichtag change)."""
    return {
        event.date: t("jump_item", lang, region=event.region, date=format_date(dt.date.fromisoformat(event.date), lang))
        for event in events().itertuples()
    }


def stichtag_controls(lang: str, today: dt.date) -> None:
    """The Stichtag's controls in one row above the map: no sidebar needed to move the day.

    Three groups that wrap as wholes: the slider; the date field with the day
    buttons; playback with a popover for the rarer moves (jump to an event, one
    step, the step's size). One line in 940 px of content (1400 × 900 with the sidebar
    open, about 10 px to spare), three on a phone.
    """
    row = st.container(horizontal=True, vertical_alignment="bottom", gap="xsmall", key="stichtag_row")
    _day_widget(row.slider, "stichtag", "w_slider", lang, today, width=DAY_SLIDER_WIDTH)
    group = {"horizontal": True, "vertical_alignment": "bottom", "gap": "xsmall", "width": "content"}
    day = row.container(**group, key="stichtag_day")
    # Named for assistive technology; on screen the slider's label beside it says what the date is.
    _day_widget(
        day.date_input, "stichtag_input", "w_date", lang, today, width=DAY_FIELD_WIDTH, label_visibility="collapsed"
    )
    accessibility.day_buttons(day, lang, today)
    play = row.container(**group, key="stichtag_play")
    playing = st.session_state.get("playing", False)
    play.button(
        t("pause" if playing else "play", lang),
        key="w_play",
        on_click=_toggle_play,
        icon=":material/pause:" if playing else ":material/play_arrow:",
    )
    with play.popover(t("day_more", lang), icon=":material/tune:"):
        items = jump_items(lang)
        st.selectbox(
            t("jump", lang),
            list(items),
            format_func=items.get,
            index=None,
            placeholder=t("jump_placeholder", lang),
            key="w_jump",
            on_change=_jump,
            width=JUMP_WIDTH,
        )
        st.button(t("step", lang), key="w_step", on_click=_step, icon=":material/skip_next:")
        st.radio(
            t("step_mode", lang),
            timeline.STEP_MODES,
            key="w_step_mode",
            format_func=lambda mode: t(f"step_{mode}", lang),
            help=t("step_help", lang),
        )


# -- press export (dashboard/press.py) -------------------------------------
@st.cache_data(show_spinner=False, max_entries=256)
def frame_count(start: dt.date, end: dt.date, step: str, evidence: str) -> int:
    return len(animation.frame_days(start, end, step, coverage().change_dates(evidence)))


# -- page -------------------------------------------------------------------
def _map_first(drawn) -> bool:
    """True on a browser's first run of a session: stop after the map; its drawing reruns the page.

    Cards, charts, tables and the export section are drawn by the browser too
    (two more component frames, and code Streamlit loads per kind of
    element); sent with the map, they delayed its first frame (the map's frame
    shares the page's main thread). So the fragment's first run in a browser
    ends after the map and its captions, and ``map.js`` reports the map drawn
    (the component's value), which reruns the fragment with everything; what
    stands below it (:func:`lower_sections`, the feedback form) came with the
    first run. Runs without a browser (AppTest, the benchmark's websocket
    client: no "Mozilla" in the User-Agent) would never report, so they get the
    whole page at once.
    """
    state = st.session_state
    first = not state.get("page_complete")
    if drawn or not first:
        state.page_complete = True
        return False
    if "Mozilla" not in (st.context.headers.get("User-Agent") or ""):
        state.page_complete = True
        return False
    return True


@functools.cache
def page_style() -> str:
    """``atlas.css`` without its comments and line breaks: the comments are for the file's readers, not for every page."""
    css = re.sub(r"/\*.*?\*/", "", STYLE.read_text(encoding="utf-8"), flags=re.S)
    return f"<style>{' '.join(css.split())}</style>"


def main() -> None:
    st.set_page_config(page_title="#sicherimDienst – Abdeckungsatlas", layout="wide")
    state = st.session_state
    today = dt.date.today()
    try:
        follow_register()
        cov = coverage()
    except AtlasError as error:
        st.error(for_viewers(error, page_lang()))
        st.stop()
    if press.is_embed(st.query_params):
        # The map-only view for an iframe: no sidebar, no URL rewriting, nothing else built.
        press.embed_page(st.query_params.to_dict(), cov, view_model, attribution(), render_map)
        freshness.watch()  # an embed left open on a page follows a register change too
        return
    if "view" not in state:
        state.view, state.notices = ViewState.from_params(st.query_params.to_dict(), today=today)
    state.setdefault("w_step_mode", "month")
    state.tick_armed = False  # only a timed fragment rerun may step, never a full run
    view: ViewState = state.view
    _show(view)
    basemap = sidebar(view.lang, today, cov)
    state.sidebar_shows = _sidebar_state(view)
    state.register_followed = True  # this run did; day_view's own reruns ask again
    if state.get("playing"):
        with st.sidebar:
            _ticker()
    st.html(page_style())
    st.container(key="atlas_title").title(t("title", view.lang))
    state.full_run = True  # day_view tells its own reruns from this one
    day_view(basemap)
    lower_sections(view, cov)
    # Outside the fragment: a Stichtag change need not redraw it; a report names the view it was sent from.
    accessibility.feedback_form(lambda: accessibility.view_url(state.view), view.lang)
    freshness.watch()  # a page left open follows a register change made anywhere (dashboard/freshness.py)


# The switches of the sections below the day's fragment: while one is on, a Stichtag change reruns the whole page.
LOWER_SWITCHES = ("w_members_open", "w_export_open", "w_embed_open")


def lower_sections(view: ViewState, cov) -> None:
    """The members list, the press export and the embed code: below the day's fragment, outside it.

    Closed (as nearly always), they do not depend on the Stichtag, so a
    Stichtag change neither reruns nor resends them. Opened, they follow the
    view: :func:`day_view` then reruns the whole page on a Stichtag change.
    """
    lang = view.lang
    # A fixed label: the switch keeps its state. The lists (about 160 KB for NRW, and the tables below) are sent
    # only once asked for.
    if st.toggle(t("members_open", lang), key="w_members_open"):
        table = members.search(
            member_table(view.date, view.evidence, view.region, lang),
            st.text_input(t("search", lang), key="w_search"),
            lang,
        )
        st.caption(t("members_count", lang, n=len(table)))
        st.dataframe(table, hide_index=True, width="stretch")

        # The file says which view it is: a members list without its Stichtag and filter would mislead.
        def stamped() -> bytes:
            return to_csv_bytes(
                table.assign(**{t("stichtag", lang): view.date.isoformat(), t("evidence", lang): view.evidence})
            )

        st.download_button(
            t("download", lang),
            data=stamped,
            file_name=f"sicherimdienst-mitglieder-{view.date.isoformat()}.csv",
            mime="text/csv",
        )
        statewide = view_model(view).statewide
        if len(statewide):
            with st.expander(f"{t('statewide', lang)} ({len(statewide)})"):
                st.caption(t("statewide_note", lang))
                st.dataframe(members.members_table(statewide, lang), hide_index=True, width="stretch")
        undated = undated_table(view.region, lang)
        if len(undated):
            with st.expander(t("undated", lang, n=len(undated))):
                st.caption(t("undated_note", lang))
                st.dataframe(undated, hide_index=True, width="stretch")

    press.export_section(view, lang, coverage, frame_count)
    press.embed_section(view, lang, title_for(cov, view, None))


@st.fragment
def day_view(basemap: str) -> None:
    """Everything that depends on the Stichtag, with its controls: a Stichtag change reruns only this.

    Drawn inline during each full run (a sidebar widget's change); a Stichtag
    widget's change reruns only the fragment, so the sidebar is not redrawn.
    The URL follows the view here, on both kinds of run.
    """
    state = st.session_state
    today = dt.date.today()
    if not state.pop("register_followed", False):
        try:
            follow_register()
        except AtlasError as error:
            st.error(for_viewers(error, page_lang()))
            return
    view: ViewState = state.view
    full_run = state.pop("full_run", False)
    if _sidebar_state(view) != state.get("sidebar_shows"):
        st.rerun()  # more than the day changed: the sidebar must show it too
    if not full_run and any(state.get(switch) for switch in LOWER_SWITCHES):
        st.rerun()  # an open section below the fragment shows this day too
    lang = view.lang
    cov = coverage()
    state.w_slider = state.w_date = view.date
    if st.query_params.to_dict() != view.to_params():
        st.query_params.from_dict(view.to_params())

    region_name = t("region_nrw", lang) if not view.region else t("region_item", lang, name=cov.name_of(view.region))
    # What stands above the map, packed closer than Streamlit's default: on a phone the map starts on the first screen.
    head = st.container(gap="xsmall", key="day_head")
    head.caption(f"{t('stand', lang, date=format_date(view.date, lang))} · {region_name}")
    for notice in state.notices:
        head.warning(plain(notice))
    model = view_model(view)
    if model.currency:
        head.info(model.currency, icon=":material/info:")

    now, then = model.now, model.then
    head.markdown(f"**{plain(model.figures_line)}**")
    with head:
        stichtag_controls(lang, today)
    # The search finds a place on the map; the skip link, last before the map, passes it.
    tools = head.container(horizontal=True, vertical_alignment="center", gap="small", key="map_tools")
    focus = accessibility.place_search(model, tools)
    accessibility.skip_link(lang, tools)
    drawn = render_map(model, basemap=basemap, attribution=attribution(), focus=focus)
    accessibility.map_description(model)
    # The credits with the licence text's address as a link (styled dark in atlas.css: a caption is faded).
    st.container(key="credits").caption(f"{t('attribution', lang)}: {credits.credit_markdown()}")
    if view.evidence == "all":
        st.caption(t("inferred_note", lang))
    if _map_first(drawn):  # a browser's first run ends with the map (see there)
        return

    # One wrapping row, not two rows of columns: the same cards in 6 elements instead of 13, which a Stichtag
    # change sends and Streamlit builds each time. "396 von 396 (100,0 %)" needs its wider card to stay readable.
    cards = st.container(horizontal=True, key="figure_cards")
    for card, width in zip(figures.cards(now, then, view.compare, lang), CARD_WIDTHS):
        cards.metric(
            card.label, card.value, card.delta, delta_color=card.delta_color, help=card.help, border=True, width=width
        )
    st.caption(figures.detail_line(now, lang) + "  \n" + figures.documented_line(now, lang))
    accessibility.map_table_section(model)

    st.header(t("timeline", lang))
    chartview.render_chart(
        coverage_chart(view.evidence, view.region, today, lang),
        charts.rules(view.date, view.compare, lang),
        chartview.HEIGHTS["coverage"],
        key="chart-coverage",
    )
    accessibility.chart_table(
        t("timeline_table", lang), "w_timeline_table", lambda: timeline_rows(view.evidence, view.region, today, lang)
    )
    chartview.render_chart(
        sizes_chart(today, lang), charts.rules(view.date, None, lang), chartview.HEIGHTS["sizes"], key="chart-sizes"
    )
    accessibility.chart_table(
        t("sizes_table", lang), "w_sizes_table", lambda: tables.sizes_table(accessions.read_network_sizes(), lang)
    )

    st.header(t("members", lang))
    # The count stays in the fragment (it follows the Stichtag); the list's switch and what it opens stand below it,
    # outside (see lower_sections).
    st.caption(t("members_count", lang, n=member_count(view.date, view.evidence, view.region)))


if __name__ == "__main__":  # run as a page (dashboard/navigation.py); importing it draws nothing
    main()
