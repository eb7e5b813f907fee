"""The atlas page's state as one plain object: the view, its transitions, and when the page must run again.

No Streamlit here, so every rule is unit-tested without it (``tests/unit/test_session.py``);
``atlas.py`` keeps one :class:`Session` in ``st.session_state``, draws every
widget from :meth:`Session.widget_values` and hands each widget's change to one
transition.

The rules:

- **The Stichtag is what the person set.** Every Stichtag change (slider, date
  field, Vortag/Folgetag, jump to an event, a step, playback) sets exactly that
  day. A compare date that would then not lie before it is cleared, and the
  page says so (:data:`notice_compare_cleared`); it is never swapped into the
  Stichtag. A compare date chosen on or after the Stichtag is not applied
  (the previous one stays) and the page says so. Only a URL with a reversed
  pair is swapped, by :meth:`loaders.viewstate.ViewState.from_params` — the
  one place of that rule.
- **URL, widgets and view never disagree.** Widgets show
  :meth:`Session.widget_values` before they are drawn; a widget's change is
  its own transition (its value alone is read, never the others', so a widget
  the last run did not redraw cannot write an old value back); the URL is
  written from the view on every run.
- **What runs again.** A Stichtag control reruns only the day's fragment; the
  fragment asks :meth:`Session.needs_page` whether the rest of the page shows
  something that changed with it (the compare date in the sidebar, playback's
  ticker, a newer data version, an open section below that shows the day) and
  then runs the whole page instead.
- **What is announced.** Each transition records its :class:`Change`;
  :func:`viewmodel.describe.announcement` writes the words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field

from loaders.boundaries import LAND_KEY
from loaders.viewstate import FIRST_DAY, Notice, ViewState
from viewmodel.describe import Change
from viewmodel.playback import STEP_MODES, next_stop

#: Where the page keeps its one Session in ``st.session_state``.
STATE_KEY = "page"
#: The fragments drawn inline by every full run: the day's view, and playback's ticker while playing.
FRAGMENTS = ("day", "ticker")
#: The widgets inside the day's fragment (set from the view on each of its runs); the rest are set on full runs.
DAY_WIDGETS = ("w_slider", "w_date", "w_jump", "w_step_mode")


@dataclass
class Session:
    """The state of one person's atlas page.

    Examples
    --------
    >>> page = Session(ViewState(dt.date(2024, 2, 1), compare=dt.date(2023, 9, 25)))
    >>> page.jump(dt.date(2023, 9, 8))
    >>> page.view.date, page.view.compare, page.change.kind
    (datetime.date(2023, 9, 8), None, 'stichtag')
    >>> page.notices[0].key
    'notice_compare_cleared'
    """

    view: ViewState
    #: What the page tells about the view it shows, until the next change (URL fallbacks, a dropped date).
    notices: tuple[Notice, ...] = ()
    #: The last change, as the announcement tells it.
    change: Change = field(default_factory=Change)
    playing: bool = False
    step_mode: str = "month"
    # What the last full run drew outside the day's fragment (see needs_page).
    drawn_view: ViewState | None = None
    drawn_playing: bool = False
    drawn_data: object = None
    day_below: bool = False
    # Fragments not yet drawn in the current full run.
    inline: set[str] = field(default_factory=set)
    # A browser's first run stops after the map (see stop_after_map).
    complete: bool = False

    @classmethod
    def from_params(cls, params: Mapping[str, str], today: dt.date) -> Session:
        """The page a URL opens: its view, and a notice for every value it could not take."""
        view, notices = ViewState.from_params(params, today=today)
        return cls(view, tuple(notices))

    # -- transitions -------------------------------------------------------------------------
    def _changed(self, view: ViewState, kind: str, notices: tuple[Notice, ...] = ()) -> None:
        self.view, self.notices, self.change = view, notices, Change(kind, notices)

    def _move_to(self, day: dt.date, kind: str = "stichtag") -> None:
        """Set the Stichtag to ``day``; a compare date no longer before it is cleared, with a notice."""
        compare = self.view.compare
        if compare is not None and compare >= day:
            key = "notice_compare_cleared" if compare > day else "notice_compare_cleared_same"
            notice = Notice.of(key, compare=compare, date=day)
            self._changed(self.view.with_(date=day, compare=None), kind, (notice,))
        else:
            self._changed(self.view.with_(date=day), kind)

    def set_stichtag(self, day: dt.date | None) -> None:
        """The slider or the date field: the day chosen (an emptied date field changes nothing)."""
        if day is not None:
            self._move_to(day)

    def shift(self, days: int, today: dt.date) -> None:
        """Vortag (-1) or Folgetag (+1), kept between :data:`FIRST_DAY` and ``today``.

        Examples
        --------
        >>> page = Session(ViewState(dt.date(2024, 2, 1), compare=dt.date(2024, 1, 31), region="057"))
        >>> page.shift(-1, dt.date(2026, 1, 1)); page.view.to_params(), page.notices[0].key
        ({'date': '2024-01-31', 'region': '057'}, 'notice_compare_cleared_same')
        >>> page.shift(-1, dt.date(2026, 1, 1)); page.view.to_params(), page.notices
        ({'date': '2024-01-30', 'region': '057'}, ())
        """
        self._move_to(min(max(self.view.date + dt.timedelta(days=days), FIRST_DAY), today))

    def jump(self, day: dt.date) -> None:
        """Jump to a regional event's day."""
        self._move_to(day)

    def step(self, stops: list[dt.date], today: dt.date) -> None:
        """One playback step by hand ("Schritt"); at the end nothing moves."""
        day = next_stop(self.view.date, self.step_mode, stops, today)
        if day is not None:
            self._move_to(day)

    def toggle_play(self, stops: list[dt.date], today: dt.date) -> None:
        """Start or pause playback; started at the end, it plays from the first day."""
        if self.playing:
            self.playing = False
            self._changed(self.view, "paused")
            return
        self.playing = True
        if next_stop(self.view.date, self.step_mode, stops, today) is None:
            self._move_to(FIRST_DAY, "play_start")
        else:
            self._changed(self.view, "play_start")

    def play_step(self, stops: list[dt.date], today: dt.date) -> bool:
        """Playback's timed step; False (and playback ends) when there is no next day."""
        if not self.playing:
            return False
        day = next_stop(self.view.date, self.step_mode, stops, today)
        if day is None:
            self.playing = False
            self._changed(self.view, "ended")
            return False
        self._move_to(day, "play")
        return True

    def set_compare(self, day: dt.date | None) -> None:
        """The compare date chosen (None: cleared); one not before the Stichtag is not applied, with a notice.

        Examples
        --------
        >>> page = Session(ViewState(dt.date(2024, 2, 1), compare=dt.date(2023, 9, 25)))
        >>> page.set_compare(dt.date(2024, 3, 1)); page.view.compare, page.notices[0].key
        (datetime.date(2023, 9, 25), 'notice_compare_refused')
        """
        if day is not None and day >= self.view.date:
            notice = Notice.of("notice_compare_refused", compare=day, date=self.view.date)
            self._changed(self.view, "view", (notice,))
        else:
            self._changed(self.view.with_(compare=day), "view")

    def set_level(self, level: str) -> None:
        """Show another level."""
        self._changed(self.view.with_(level=level), "view")

    def set_region(self, region: str | None) -> None:
        """A Regierungsbezirk's key, or None (or :data:`~loaders.boundaries.LAND_KEY`) for all NRW."""
        self._changed(self.view.with_(region=None if region in (None, LAND_KEY) else region), "view")

    def set_evidence(self, evidence: str) -> None:
        """Show another evidence filter."""
        self._changed(self.view.with_(evidence=evidence), "view")

    def set_language(self, lang: str) -> None:
        """Show the view in another language."""
        self._changed(self.view.with_(lang=lang), "view")

    def set_step_mode(self, mode: str) -> None:
        """Step the Stichtag by another step (one of :data:`STEP_MODES`)."""
        if mode not in STEP_MODES:
            raise ValueError(f"unknown step mode {mode!r}")
        self.step_mode = mode

    def searched(self) -> None:
        """The place search's query or pick changed: the announcement says what it found."""
        self.notices, self.change = (), Change("search")

    # -- widgets ------------------------------------------------------------------------------
    def widget_values(self) -> dict[str, object]:
        """What each of the page's view widgets shows (by key): set before the widget is drawn.

        Examples
        --------
        >>> Session(ViewState(dt.date(2024, 2, 1), region="057", lang="en")).widget_values()["w_region"]
        '057'
        """
        view = self.view
        return {
            "w_slider": view.date,
            "w_date": view.date,
            "w_jump": None,
            "w_compare": view.compare,
            "w_level": view.level,
            "w_region": view.region or LAND_KEY,
            "w_evidence": view.evidence,
            "w_lang": view.lang == "en",
            "w_step_mode": self.step_mode,
        }

    def on_widget(self, key: str, value) -> None:
        """The transition a widget's change means, with that widget's value alone.

        Examples
        --------
        >>> page = Session(ViewState(dt.date(2024, 2, 1)))
        >>> page.on_widget("w_jump", "2023-09-08"); page.view.date
        datetime.date(2023, 9, 8)
        >>> page.on_widget("w_lang", True); page.view.lang
        'en'
        """
        if key in ("w_slider", "w_date"):
            self.set_stichtag(value)
        elif key == "w_jump":
            if value:
                self.jump(dt.date.fromisoformat(value))
        elif key == "w_compare":
            self.set_compare(value)
        elif key == "w_level":
            self.set_level(value)
        elif key == "w_region":
            self.set_region(value)
        elif key == "w_evidence":
            self.set_evidence(value)
        elif key == "w_lang":
            self.set_language("en" if value else "de")
        elif key == "w_step_mode":
            self.set_step_mode(value)
        else:
            raise KeyError(f"no view widget {key!r}")

    # -- runs ---------------------------------------------------------------------------------
    def page_run(self, data: object) -> None:
        """A full run starts: it draws the sidebar and the sections below from this view and data version."""
        self.drawn_view, self.drawn_playing, self.drawn_data = self.view, self.playing, data
        self.day_below = False
        self.inline = set(FRAGMENTS)

    def shows_day_below(self) -> None:
        """The full run drew a section below the day's fragment that shows the day (an opened list or export)."""
        self.day_below = True

    def fragment_run(self, name: str) -> bool:
        """True when fragment ``name`` is drawn inline by the full run; False when it reruns on its own."""
        if name in self.inline:
            self.inline.discard(name)
            return True
        return False

    def needs_page(self, data: object) -> bool:
        """Whether a fragment's own rerun must become a full run: the page outside it shows something else now.

        Examples
        --------
        >>> page = Session(ViewState(dt.date(2024, 2, 1), compare=dt.date(2023, 9, 25)))
        >>> page.page_run(data=1)
        >>> page.set_stichtag(dt.date(2024, 3, 1)); page.needs_page(1)   # the day alone: the fragment
        False
        >>> page.jump(dt.date(2023, 9, 8)); page.needs_page(1)            # the compare date went too
        True
        """
        drawn = self.drawn_view
        if drawn is None or data != self.drawn_data or self.playing != self.drawn_playing:
            return True
        if self.day_below and drawn.date != self.view.date:
            return True
        return (drawn.compare, drawn.level, drawn.region, drawn.evidence, drawn.lang) != (
            self.view.compare,
            self.view.level,
            self.view.region,
            self.view.evidence,
            self.view.lang,
        )

    def stop_after_map(self, map_drawn: bool, client_reports: bool) -> bool:
        """True on a browser's first run of a session: the run ends after the map; the map's report runs it again.

        Everything below the map (cards, charts, tables, exports) is drawn by the
        browser too and would delay the map's first picture. A client that
        never reports the map drawn (:func:`reports_map_drawn`) gets the whole
        page at once.

        Examples
        --------
        >>> page = Session(ViewState(dt.date(2024, 2, 1)))
        >>> page.stop_after_map(False, True), page.stop_after_map(True, True), page.stop_after_map(False, True)
        (True, False, False)
        """
        if self.complete:
            return False
        if map_drawn or not client_reports:
            self.complete = True
            return False
        return True


def reports_map_drawn(headers: Mapping[str, str]) -> bool:
    """Whether the client runs the map's script, which reports the map drawn: a browser.

    AppTest and the benchmark's websocket client send no browser's User-Agent;
    they would never report and must not wait for it.

    Examples
    --------
    >>> reports_map_drawn({"User-Agent": "Mozilla/5.0 (X11; Linux x86_64)"}), reports_map_drawn({})
    (True, False)
    """
    return "Mozilla" in (headers.get("User-Agent") or "")


def of(state: MutableMapping, params: Mapping[str, str], today: dt.date) -> Session:
    """The session's page state, made from the URL on its first run."""
    page = state.get(STATE_KEY)
    if page is None:
        page = state[STATE_KEY] = Session.from_params(params, today)
    return page


def current_view(state: Mapping) -> ViewState | None:
    """The view the atlas shows in this session, or None before its first run (other pages read its language)."""
    page = state.get(STATE_KEY)
    return page.view if page is not None else None
