"""The atlas page (``/``): it lays out the map, figures, timeline, members and exports of one view.

Run as a page by :mod:`dashboard.navigation` (``streamlit run dashboard/app.py``).

The page's state is one :class:`dashboard.session.Session` in
``st.session_state``: the view, its transitions, what it tells and announces,
and when a rerun must become a full run (its rules are there, unit-tested
without Streamlit). Every cache is :mod:`dashboard.caches`'s, with its one
invalidation, the register's newest entry. This module only lays out: every
widget shows the session's value and hands its change to one transition.

The sidebar holds what changes the whole page (level, region, compare date,
evidence, basemap, language); the Stichtag's controls stand above the map in
:func:`day_view`, one ``st.fragment`` with everything that depends on the day,
so moving the day reruns only that fragment and never redraws the sidebar.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from dashboard import (
    accessibility,
    caches,
    chartview,
    datatable,
    freshness,
    press,
    session,
)
from dashboard.mapview import render_map
from dashboard.navigation import easy_language_link, is_embed, page_lang
from dashboard.notices import for_viewers, plain
from dashboard.session import Session
from dashboard.urls import view_address
from exports import animation
from exports.style import title_for
from loaders import accessions, provenance
from loaders.boundaries import LAND_KEY
from loaders.errors import AtlasError
from loaders.viewstate import EVIDENCE_FILTERS, FIRST_DAY, REGION_KEYS, VIEW_LEVELS, ViewState
from viewmodel import cards, charts, credits, describe, memberlist, picture_tables, playback
from viewmodel import model as viewmodel
from viewmodel.i18n import format_date, format_int, t

PLAY_SECONDS = 1.5
# The Stichtag row's widths in pixels: one line on a desktop, wrapped into three on a phone (390 px).
DAY_SLIDER_WIDTH, DAY_FIELD_WIDTH, JUMP_WIDTH = 340, 140, 230
BASEMAPS = ("none", "osm", "basemapde")
# The figure cards' widths in pixels (Gemeinden, population, area, Kreise, Bezirksregierungen): they wrap on a phone.
CARD_WIDTHS = (440, 200, 200, 220, 280)


# -- what the page derives from its data (each once per generation: dashboard.caches) ---------
def coverage():
    """The coverage model of the data the page serves."""
    return caches.coverage()


def events():
    """The regional events in date order (:func:`dashboard.chartview.events`)."""
    return chartview.events()


def attribution() -> str:
    """The credits, each with its licence (:mod:`viewmodel.credits`, as every picture and export)."""
    return credits.credit_line()


def stops(evidence: str) -> list[dt.date]:
    """Days playback visits "event by event": coverage changes and the regional events."""

    def make() -> list[dt.date]:
        event_days = {dt.date.fromisoformat(day) for day in events()["date"]}
        return sorted(set(coverage().change_dates(evidence)) | event_days)

    return caches.remember("stops", evidence, make)


def view_model(view: ViewState) -> viewmodel.ViewModel:
    """What the view shows: figures, map statuses, legend, tooltips and words (one pure function).

    ``viewmodel.build`` keeps the coverage part per coverage state itself
    (the last change date before the Stichtag, not the day), on the model.
    """
    return viewmodel.build(coverage(), view)


def coverage_chart(evidence: str, region: str | None, today: dt.date, lang: str) -> str:
    """The URL of the coverage chart's data (it does not depend on the Stichtag): points up to the Datenstand."""
    return chartview.coverage_url(coverage(), evidence, region, today, lang)


def timeline_rows(evidence: str, region: str | None, today: dt.date, lang: str):
    """The coverage chart's data as a table (its text alternative), up to the Datenstand as the chart."""

    def make():
        cov = coverage()
        frame = cov.timeline(evidence, region, start=FIRST_DAY, end=provenance.figures_day(cov, today))
        return picture_tables.timeline_table(frame, lang)

    return caches.remember("timeline_rows", (evidence, region, today, lang), make)


def sizes_chart(today: dt.date, lang: str) -> str:
    """The URL of the network sizes chart's data."""
    return chartview.sizes_url(coverage(), today, lang)


def member_table(view: ViewState):
    """The members as of the view's day, each body once: one table per set of members (their own dates), read-only."""
    cov = coverage()
    return caches.remember(
        "members",
        (viewmodel.member_period(cov, view.date), view.evidence, view.region, view.lang),
        lambda: memberlist.members_table(
            viewmodel.organisations(cov, view.date, view.evidence, view.region), viewmodel.words_of(cov, view)
        ),
    )


def undated_table(region: str | None, lang: str):
    """Documented members without a date: they depend on the region, never on the Stichtag."""

    def make():
        cov = coverage()
        words = viewmodel.words_of(cov, ViewState(FIRST_DAY, lang=lang))
        return memberlist.members_table(memberlist.undated_members(cov.accessions, region), words)

    return caches.remember("undated", (region, lang), make)


def member_count(day: dt.date, evidence: str, region: str | None) -> dict[str, int]:
    """How many organisations, each body once, and how many of them documented and inferred."""
    cov = coverage()
    return caches.remember(
        "member_count",
        (viewmodel.member_period(cov, day), evidence, region),
        lambda: viewmodel.organisation_counts(viewmodel.organisations(cov, day, evidence, region)),
    )


def jump_items(lang: str) -> dict[str, str]:
    """The regional events to jump to, by day (read-only; drawn on every Stichtag change)."""
    return caches.remember(
        "jump_items",
        lang,
        lambda: {
            event.date: t(
                "jump_item", lang, region=event.region, date=format_date(dt.date.fromisoformat(event.date), lang)
            )
            for event in events().itertuples()
        },
    )


def frame_count(start: dt.date, end: dt.date, step: str, evidence: str) -> int:
    """How many frames an animation from ``start`` to ``end`` by ``step`` has (remembered per process)."""
    return caches.remember(
        "frame_count",
        (start, end, step, evidence),
        lambda: len(animation.frame_days(start, end, step, coverage().change_dates(evidence))),
        size=256,
    )


# -- the session's state and the widgets' changes -----------------------------------------------
def page() -> Session:
    """The page state of this session (made from the URL on its first run)."""
    known = st.session_state.get(session.STATE_KEY)
    return known if known is not None else session.of(st.session_state, st.query_params.to_dict(), dt.date.today())


def _show(keys) -> None:
    """Set widgets from the page state (allowed: it runs before they are drawn)."""
    values = page().widget_values()
    for key in keys:
        st.session_state[key] = values[key]


def _changed(key: str) -> None:
    """Callback of a view widget: its value alone becomes one transition."""
    page().on_widget(key, st.session_state[key])


def _shift(days: int) -> None:
    page().shift(days, dt.date.today())


def _step() -> None:
    now = page()
    now.step(stops(now.view.evidence), dt.date.today())


def _toggle_play() -> None:
    now = page()
    now.toggle_play(stops(now.view.evidence), dt.date.today())


def _searched() -> None:
    page().searched()


@st.fragment(run_every=PLAY_SECONDS)
def _ticker() -> None:
    """While playing: every few seconds one step, then a full run draws it (drawn inline, it does nothing)."""
    now = page()
    if now.fragment_run("ticker"):
        return
    now.play_step(stops(now.view.evidence), dt.date.today())
    st.rerun()


def _widget(draw, label: str, key: str, lang: str, **options):
    """A view widget: it shows the session's value and hands its change to :func:`_changed`."""
    return draw(label, key=key, on_change=_changed, args=(key,), **options)


def sidebar(lang: str, today: dt.date, cov) -> str:
    """Draw the view's controls but the Stichtag's; return the chosen basemap."""
    bar = st.sidebar
    _widget(bar.toggle, t("language", lang), "w_lang", lang)
    _widget(
        bar.radio,
        t("level", lang),
        "w_level",
        lang,
        options=VIEW_LEVELS,
        format_func=lambda level: t(f"level_{level}", lang),
    )
    _widget(
        bar.selectbox,
        t("region", lang),
        "w_region",
        lang,
        options=(LAND_KEY, *REGION_KEYS),
        format_func=lambda key: (
            t("region_nrw", lang) if key == LAND_KEY else t("region_item", lang, name=cov.name_of(key))
        ),
    )
    _widget(bar.date_input, t("compare", lang), "w_compare", lang, **_days(today), help=t("compare_help", lang))
    _widget(
        bar.radio,
        t("evidence", lang),
        "w_evidence",
        lang,
        options=EVIDENCE_FILTERS,
        format_func=lambda evidence: t(f"evidence_{evidence}", lang),
    )
    return bar.selectbox(
        t("basemap", lang), BASEMAPS, key="w_basemap", format_func=lambda basemap: t(f"basemap_{basemap}", lang)
    )


def _days(today: dt.date) -> dict:
    """The range and format of every day widget (Stichtag slider, Stichtag field, compare date)."""
    return {"min_value": FIRST_DAY, "max_value": today, "format": "DD.MM.YYYY"}


def stichtag_controls(lang: str, today: dt.date, playing: bool) -> None:
    """The Stichtag's controls in one row above the map: no sidebar needed to move the day.

    Three groups that wrap as wholes: the slider; the date field with the day
    buttons; playback with a popover for the rarer moves (jump to an event, one
    step, the step's size). One line in 940 px of content (1400 × 900 with the sidebar
    open, about 10 px to spare), three on a phone.
    """
    row = st.container(horizontal=True, vertical_alignment="bottom", gap="xsmall", key="stichtag_row")
    _widget(row.slider, t("stichtag", lang), "w_slider", lang, **_days(today), width=DAY_SLIDER_WIDTH)
    group: dict[str, Any] = {"horizontal": True, "vertical_alignment": "bottom", "gap": "xsmall", "width": "content"}
    day = row.container(**group, key="stichtag_day")
    # Named for assistive technology; on screen the slider's label beside it says what the date is.
    _widget(
        day.date_input,
        t("stichtag_input", lang),
        "w_date",
        lang,
        **_days(today),
        width=DAY_FIELD_WIDTH,
        label_visibility="collapsed",
    )
    accessibility.day_buttons(day, lang, _shift)
    play = row.container(**group, key="stichtag_play")
    play.button(
        t("pause" if playing else "play", lang),
        key="w_play",
        on_click=_toggle_play,
        icon=":material/pause:" if playing else ":material/play_arrow:",
    )
    with play.popover(t("day_more", lang), icon=":material/tune:"):
        items = jump_items(lang)
        _widget(
            st.selectbox,
            t("jump", lang),
            "w_jump",
            lang,
            options=list(items),
            format_func=items.get,
            index=None,
            placeholder=t("jump_placeholder", lang),
            width=JUMP_WIDTH,
        )
        st.button(t("step", lang), key="w_step", on_click=_step, icon=":material/skip_next:")
        _widget(
            st.radio,
            t("step_mode", lang),
            "w_step_mode",
            lang,
            options=playback.STEP_MODES,
            format_func=lambda mode: t(f"step_{mode}", lang),
            help=t("step_help", lang),
        )


# -- page -------------------------------------------------------------------
def main() -> None:
    """The atlas page: one Streamlit run of the view its URL and widgets name."""
    st.set_page_config(page_title=t("page_title_atlas", page_lang()), layout="wide")
    today = dt.date.today()
    try:
        if caches.ready():
            data = caches.follow()
        else:
            with st.spinner(t("loading", page_lang())):
                data = caches.follow()
        cov = coverage()
    except AtlasError as error:
        st.error(for_viewers(error, page_lang()))
        st.stop()
    if is_embed(st.query_params):
        # The map-only view for an iframe: no sidebar, no URL rewriting, nothing else built.
        press.embed_page(st.query_params.to_dict(), cov, view_model, attribution(), render_map)
        freshness.watch()  # an embed left open on a page follows a register change too
        return
    now = page()
    now.page_run(data)
    _show(key for key in now.widget_values() if key not in session.DAY_WIDGETS)
    view = now.view
    basemap = sidebar(view.lang, today, cov)
    if now.playing:
        with st.sidebar:
            _ticker()
    title = st.container(key="atlas_title", gap="xsmall")
    title.title(t("title", view.lang))
    easy_language_link(title, view.lang)  # BITV NRW § 17 (2): one step from the start page
    day_view(basemap)
    lower_sections(now, cov)
    # Outside the fragment: a Stichtag change need not redraw it; a report names the view it was sent from.
    accessibility.feedback_form(lambda: view_address(page().view), view.lang)
    freshness.watch()  # a page left open follows a register change made anywhere (dashboard/freshness.py)


def lower_sections(now: Session, cov) -> None:
    """The members list, the press export and the embed code: below the day's fragment, outside it.

    Closed (as nearly always), they do not depend on the Stichtag, so a
    Stichtag change neither reruns nor resends them. Opened, they show the
    day: the session then runs the whole page on a Stichtag change
    (:meth:`~dashboard.session.Session.shows_day_below`).
    """
    view = now.view
    lang = view.lang
    # A fixed label: the switch keeps its state. The lists (about 160 KB for NRW, and the tables below) are sent
    # only once asked for.
    if st.toggle(t("members_open", lang), key="w_members_open"):
        now.shows_day_below()
        table = memberlist.search(member_table(view), st.text_input(t("search", lang), key="w_search"), lang)
        stamped = accessibility.stamper(cov, view)
        # The file says which view it is: a members list without its Stichtag, filter and Datenstand would mislead.
        datatable.show(
            datatable.members_datatable(
                table,
                t("members_caption", lang, date=format_date(view.date, lang), n=format_int(len(table), lang)),
                lang,
                f"sicherimdienst-mitglieder-{view.date.isoformat()}.csv",
                stamped,
                t("members_list", lang),
            ),
            "members",
            lang,
        )
        statewide = view_model(view).statewide
        if len(statewide):
            with st.expander(f"{t('statewide', lang)} ({len(statewide)})"):
                st.caption(t("statewide_note", lang))
                datatable.show(
                    datatable.members_datatable(
                        memberlist.members_table(statewide, viewmodel.words_of(cov, view)),
                        t("statewide", lang),
                        lang,
                        f"sicherimdienst-landesweite-mitglieder-{view.date.isoformat()}.csv",
                        stamped,
                    ),
                    "statewide",
                    lang,
                )
        undated = undated_table(view.region, lang)
        if len(undated):
            with st.expander(t("undated", lang, n=len(undated))):
                st.caption(t("undated_note", lang))
                datatable.show(
                    datatable.members_datatable(
                        undated,
                        t("undated", lang, n=len(undated)),
                        lang,
                        "sicherimdienst-undatierte-mitglieder.csv",
                        accessibility.stamper(cov, view, day=False),
                    ),
                    "undated",
                    lang,
                )

    if press.export_section(view, lang, coverage, frame_count):
        now.shows_day_below()
    if press.embed_section(view, lang, title_for(cov, view, None)):
        now.shows_day_below()


def notices(container, now: Session) -> None:
    """What the page tells about the view, in its language: a refused value as a warning, a consequence politely."""
    lang = now.view.lang
    for notice in now.notices:
        text = plain(describe.notice_text(notice, lang))
        if notice.severity == "warning":
            container.warning(text)
        else:  # st.info is a polite status region (role="status")
            container.info(text, icon=":material/info:")


@st.fragment
def day_view(basemap: str) -> None:
    """Everything that depends on the Stichtag, with its controls: a Stichtag change reruns only this.

    Drawn inline during each full run (a sidebar widget's change); a Stichtag
    widget's change reruns only the fragment, so the sidebar is not redrawn —
    unless the session says the page outside shows something that changed with
    it. The URL follows the view here, on both kinds of run.
    """
    now = page()
    today = dt.date.today()
    if not now.fragment_run("day"):
        try:
            data = caches.follow()
        except AtlasError as error:
            st.error(for_viewers(error, page_lang()))
            return
        if now.needs_page(data):
            st.rerun()  # the sidebar or a section below shows what changed too
    _show(session.DAY_WIDGETS)
    view = now.view
    lang = view.lang
    cov = coverage()
    if st.query_params.to_dict() != view.to_params():
        st.query_params.from_dict(view.to_params())

    region_name = t("region_nrw", lang) if not view.region else t("region_item", lang, name=cov.name_of(view.region))
    # What stands above the map, packed closer than Streamlit's default: on a phone the map starts on the first screen.
    head = st.container(gap="xsmall", key="day_head")
    head.caption(f"{t('stand', lang, date=format_date(view.date, lang))} · {region_name}")
    notices(head, now)
    model = view_model(view)
    # A Stichtag after the Datenstand is told plainly, above the map, that its figures are the Datenstand's;
    # otherwise the Datenstand stands under the map (the map keeps its place on a phone's first screen).
    # (Plain: the Datenstand names a source, which comes from the data.)
    if model.beyond_data_as_of:
        head.info(plain(model.currency), icon=":material/info:")

    now_figures, then = model.now, model.then
    head.markdown(f"**{plain(model.figures_line)}**")
    with head:
        stichtag_controls(lang, today, now.playing)
    # The search finds a place on the map; the skip link, last before the map, passes it.
    tools = head.container(horizontal=True, vertical_alignment="center", gap="small", key="map_tools")
    found = accessibility.place_search(model, tools, on_change=_searched)
    accessibility.skip_link(lang, tools)
    said = describe.announcement(model, now.change, found)
    drawn = render_map(
        model,
        basemap=basemap,
        attribution=attribution(),
        focus=found.key if found else None,
        announcement=said,
    )
    accessibility.map_description(model)
    # The credits with the licence text's address as a link (styled dark in page.css: a caption is faded),
    # the data version, and the Datenstand (above the map instead when the Stichtag lies after it).
    under = "" if model.beyond_data_as_of else f"{plain(model.currency)}  \n"
    st.container(key="credits").caption(
        f"{under}{t('attribution', lang)}: {credits.credit_markdown(lang=lang)} · {model.data_version}",
        unsafe_allow_html=lang != "de",  # only for the credits' lang="de" (their text is escaped)
    )
    if view.evidence == "all":
        st.caption(t("inferred_note", lang))
    if now.stop_after_map(bool(drawn), session.reports_map_drawn(st.context.headers)):
        return  # a browser's first run ends with the map: its report runs the fragment again with the rest

    # One wrapping row, not two rows of columns: the same cards in 6 elements instead of 13, which a Stichtag
    # change sends and Streamlit builds each time. "396 von 396 (100,0 %)" needs its wider card to stay readable.
    row = st.container(horizontal=True, key="figure_cards")
    for card, width in zip(cards.cards(now_figures, then, view.compare, lang, view.evidence), CARD_WIDTHS):
        row.metric(
            card.label, card.value, card.delta, delta_color=card.delta_color, help=card.help, border=True, width=width
        )
    st.caption(cards.detail_line(now_figures, lang) + "  \n" + cards.documented_line(now_figures, lang))
    accessibility.map_table_section(model, accessibility.stamper(cov, view))

    st.header(t("timeline", lang))
    chartview.render_chart(
        coverage_chart(view.evidence, view.region, today, lang),
        charts.rules(view.date, view.compare, lang),
        chartview.HEIGHTS["coverage"],
        key="chart-coverage",
    )
    accessibility.chart_table(
        t("timeline_table", lang),
        "w_timeline_table",
        lambda: accessibility.timeline_datatable(
            timeline_rows(view.evidence, view.region, today, lang),
            lang,
            f"sicherimdienst-verlauf-{view.evidence}-{view.region or 'nrw'}.csv",
            accessibility.stamper(cov, view, day=False),
        ),
        lang,
    )
    chartview.render_chart(
        sizes_chart(today, lang), charts.rules(view.date, None, lang), chartview.HEIGHTS["sizes"], key="chart-sizes"
    )
    accessibility.chart_table(
        t("sizes_table", lang),
        "w_sizes_table",
        lambda: accessibility.sizes_datatable(
            accessions.read_network_sizes(), lang, accessibility.stamper(cov, view, day=False, evidence=False)
        ),
        lang,
    )

    st.header(t("members", lang))
    # The count stays in the fragment (it follows the Stichtag); the list's switch and what it opens stand below it,
    # outside (see lower_sections).
    counts = member_count(view.date, view.evidence, view.region)
    st.caption(
        t(
            "members_count",
            lang,
            n=format_int(counts["total"], lang),
            documented=format_int(counts["documented"], lang),
            inferred=format_int(counts["inferred"], lang),
        )
    )


if __name__ == "__main__":  # run as a page (dashboard/navigation.py); importing it draws nothing
    main()
