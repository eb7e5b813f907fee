"""Every cache of the atlas page, and its one invalidation: a newer register entry starts a new generation.

A *generation* is one coverage model (:func:`register.atlasdata.load_coverage`)
and one memo of everything the page derives from it — play stops, jump list,
chart data, tables, counts, search entries, the static embed's picture —
keyed by what each depends on. When the register has a newer entry (an import,
an edit or an undo, through this replica, another one or the command line),
:func:`follow` drops the model, and the next generation starts with a new one
and an empty memo. Nothing else is ever cleared by hand, and nothing outlives
its data. The view model keeps its own memo on the coverage model
(:func:`viewmodel.model.remember`), so it goes with the generation too.

Replicas behind a proxy share one register but each keeps its own
generation: one indexed one-row query per run tells each of them. Without a
configured register (the shipped data) one generation serves the process.

The logic is :class:`Caches` (unit-tested without Streamlit). The process's
one instance is kept by ``st.cache_resource`` (:func:`process`), so
Streamlit's metrics (``/_stcore/metrics``, for the operator) show what it
holds, and an editor's "Clear cache" empties it too. Not here, because they
are not data: database connections (``register_page.open_register``, the
feedback engine) and the page's data files (:mod:`dashboard.datafiles`: files in
the cache directory, content-addressed, so another data version has another
name; the charts' URLs are kept on the coverage model, so they go with the
generation, and the geometry's per process, since the boundaries never change
while it runs).
"""

from __future__ import annotations

import functools
import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from loaders.errors import AtlasError
from register import atlasdata

#: Entries kept per name in one generation's memo (least recently used dropped beyond it).
MEMO_SIZE = 64


@dataclass
class Generation:
    """One coverage model and what the page derived from it."""

    number: int
    coverage: Any
    memo: dict[str, OrderedDict] = field(default_factory=dict)


_NUMBERS = itertools.count(1)  # generation numbers, unique in the process (also across a cleared instance)
_UNSEEN = object()
_REGISTERS: dict[str, Any] = {}  # the configured register by its URL (one connection pool per process)
_REGISTERS_LOCK = threading.Lock()


def configured_register():
    """The configured register (one per URL and process), or None when the page shows the shipped data."""
    import register

    url = register.configured_url()
    if url is None:
        return None
    with _REGISTERS_LOCK:
        if url not in _REGISTERS:
            _REGISTERS[url] = register.Register(url)
        return _REGISTERS[url]


def newest_entry(reg=None) -> tuple[bool, object]:
    """``(known, entry)``: the register's newest entry id (None for none, or without a register).

    ``known`` is False when the register cannot be asked just now: the data
    already loaded stays correct as of its entry, and a page beats an error.
    """
    reg = configured_register() if reg is None else reg
    if reg is None:
        return True, None
    try:
        newest = reg.history(1)
    except AtlasError:
        return False, None
    return True, (newest[0]["id"] if newest else None)


class Caches:
    """The page's caches in one process: the current generation and the register entry it follows."""

    def __init__(self):
        self._lock = threading.Lock()
        self._seen: object = _UNSEEN  # the newest entry the model was loaded after (None: none, or no register)
        self._current: Generation | None = None

    def follow(self, entry: Callable[[], tuple[bool, object]] = newest_entry) -> int:
        """Ask for the register's newest entry; a new one drops the model (the next generation loads it anew).

        Returns the number of the generation to serve: it differs from the
        last one exactly when the data did. Raises what loading the coverage
        raises (:class:`~loaders.errors.AtlasError`); the page shows it in one
        sentence. The first call takes the model the server warmed (see
        :class:`dashboard.webserver.CoverageHealth`), asked after the entry,
        so an entry that lands in between only loads the model once more.
        """
        known, newest = entry()
        with self._lock:
            if known and self._seen is not _UNSEEN and newest != self._seen:
                atlasdata.load_coverage.cache_clear()
            if known:
                self._seen = newest
        return self.generation().number

    def generation(self) -> Generation:
        """The generation of the model :func:`register.atlasdata.load_coverage` holds now (new: an empty memo)."""
        cov = atlasdata.load_coverage()
        with self._lock:
            if self._current is None or self._current.coverage is not cov:
                self._current = Generation(next(_NUMBERS), cov)
            return self._current

    def remember(self, name: str, key: Hashable, make: Callable[[], Any], size: int = MEMO_SIZE) -> Any:
        """``make()`` once per ``(name, key)`` in the current generation, the ``size`` latest per name."""
        memo = self.generation().memo
        with self._lock:
            kept = memo.setdefault(name, OrderedDict())
            if key in kept:
                kept.move_to_end(key)
                return kept[key]
        value = make()  # outside the lock: sessions build in parallel; a race only builds twice
        with self._lock:
            kept[key] = value
            while len(kept) > size:
                kept.popitem(last=False)
        return value


@functools.cache
def _holder() -> Callable[[], Caches]:
    """``st.cache_resource`` around a new :class:`Caches` (declared on first use: importing this draws nothing)."""
    import streamlit as st

    def coverage_caches() -> Caches:
        return Caches()

    coverage_caches.__qualname__ = "coverage_caches"  # its name in the metrics: dashboard.caches.coverage_caches
    return st.cache_resource(show_spinner=False)(coverage_caches)


def process() -> Caches:
    """The process's caches (kept by Streamlit: its metrics show them; "Clear cache" empties them)."""
    return _holder()()


def follow(entry: Callable[[], tuple[bool, object]] = newest_entry) -> int:
    """:meth:`Caches.follow` of the process: the generation number to serve."""
    return process().follow(entry)


def generation() -> Generation:
    """The generation of the process's caches."""
    return process().generation()


def coverage():
    """The coverage model of the current generation."""
    return process().generation().coverage


def ready() -> bool:
    """Whether the model is loaded (the first page of a process waits for it otherwise)."""
    return atlasdata.load_coverage.cache_info().currsize > 0


def remember(name: str, key: Hashable, make: Callable[[], Any], size: int = MEMO_SIZE) -> Any:
    """:meth:`Caches.remember` of the process: ``make()`` once per ``(name, key)`` and generation; read-only.

    Examples
    --------
    >>> remember("example", 1, lambda: [1]) is remember("example", 1, lambda: [2])
    True
    """
    return process().remember(name, key, make, size)
