"""How every replica follows a register change made through another one: the newest entry, asked for in bounded time.

Replicas share nothing but the register database. Each keeps its own coverage
model; an import, edit or undo committed anywhere (another replica, another
host, ``sid-atlas import``) adds an entry, and a replica follows it:

- **on every page run**: the atlas asks for the newest entry
  (:func:`dashboard.caches.follow`) and rebuilds its caches once it changed;
  so any viewer's next click shows the change;
- **for a viewer who does not click** (a projector in a meeting, an embed on a
  news site): :func:`watch` puts a small fragment on the page that every
  :func:`period` seconds (``$SID_ATLAS_FOLLOW_SECONDS``, default 60) compares the
  newest entry with the one the page was drawn at and reruns the page when it
  differs — so an idle page shows a change within one period plus a page run;
- **for a data file asked of a replica that has not drawn it**
  (:func:`dashboard.datafiles.rebuild`): :func:`dashboard.caches.follow` first.

One follower (:func:`dashboard.caches.follow`) and one register per process
(:func:`dashboard.caches.configured_register`); this module adds the idle
page's check and the rate-limited newest entry it asks for.

The newest entry is one indexed one-row query, asked at most once per
:data:`CHECK_SECONDS` per process however many sessions ask (:func:`newest_entry`).
Without a configured register (the shipped data) there is nothing to follow.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from typing import Any

from loaders.errors import AtlasError

PERIOD_ENV = "SID_ATLAS_FOLLOW_SECONDS"
DEFAULT_PERIOD = 60.0
#: However many sessions ask, one query per this many seconds per process.
CHECK_SECONDS = 1.0
_UNSET = object()
_lock = threading.Lock()
_newest: dict[str, Any] = {"entry": _UNSET, "at": float("-inf")}
_followed: dict[str, Any] = {"entry": _UNSET, "generation": 0}
KEY = "sid_register_entry_drawn"


def period(env=os.environ) -> float:
    """Seconds between an idle page's checks (``$SID_ATLAS_FOLLOW_SECONDS``; 0 turns them off).

    Examples
    --------
    >>> period({}), period({"SID_ATLAS_FOLLOW_SECONDS": "5"}), period({"SID_ATLAS_FOLLOW_SECONDS": "0"})
    (60.0, 5.0, 0.0)
    >>> period({"SID_ATLAS_FOLLOW_SECONDS": "often"})
    Traceback (most recent call last):
    ValueError: SID_ATLAS_FOLLOW_SECONDS: not a number of seconds: 'often'
    """
    text = env.get(PERIOD_ENV, "").strip()
    if not text:
        return DEFAULT_PERIOD
    try:
        seconds = float(text)
    except ValueError:
        raise ValueError(f"{PERIOD_ENV}: not a number of seconds: {text!r}") from None
    if not 0 <= seconds <= 86400:
        raise ValueError(f"{PERIOD_ENV}: between 0 (off) and 86400 seconds, not {text!r}")
    return seconds


def configured() -> bool:
    """Whether a register is configured (without one the shipped data never change while the process runs)."""
    from register.config import configured_url

    return configured_url() is not None


def newest_entry(max_age: float = CHECK_SECONDS):
    """The id of the register's newest entry (None: no entry yet, or no register), at most ``max_age`` seconds old.

    Raises
    ------
    AtlasError
        The register cannot be reached (the caller keeps what it has).
    """
    now = time.monotonic()
    with _lock:
        if now - _newest["at"] < max_age and _newest["entry"] is not _UNSET:
            return _newest["entry"]
    from dashboard.caches import configured_register

    reg = configured_register()
    rows = reg.history(1) if reg is not None else []
    entry = rows[0]["id"] if rows else None
    with _lock:
        _newest["entry"], _newest["at"] = entry, now
    return entry


def watch() -> None:
    """On a page run: remember the entry the page is drawn at, and check it every :func:`period` seconds.

    The check is a fragment that draws nothing; when the register has moved
    on, it reruns the whole page (which follows the register and redraws).
    """
    import streamlit as st

    seconds = period()
    if not seconds or not configured():
        return
    try:
        st.session_state[KEY] = newest_entry()
    except AtlasError:
        return
    _checker(seconds)()


@functools.cache
def _checker(seconds: float):
    import streamlit as st

    @st.fragment(run_every=seconds)
    def register_check() -> None:
        try:
            entry = newest_entry(max_age=min(seconds / 2, 30.0))
        except AtlasError:
            return
        if entry != st.session_state.get(KEY, entry):
            st.rerun(scope="app")

    return register_check
