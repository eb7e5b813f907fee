"""Every cache of the atlas page, and its one invalidation: a newer register entry starts a new generation.

A *generation* is one coverage model (:func:`loaders.store.load_coverage`)
and one memo of everything the page derives from it — play stops, jump list,
chart data, tables, counts, search entries, the static embed's picture —
keyed by what each depends on. When the register has a newer entry (an import,
an edit or an undo, through this replica, another one or the command line),
:func:`follow` replaces the generation: a new model, an empty memo. Nothing
else is ever cleared by hand, and nothing outlives its data.

Replicas behind a proxy share one register but each keeps its own
generation: one indexed one-row query per run tells each of them. Without a
configured register (the shipped data) there is one generation per process.
The view model keeps its own memo on the coverage model
(:func:`viewmodel.model.remember`), so it goes with the generation too.

No Streamlit here. What is not data is not here either: database connections
(``register_page.open_register``, the feedback engine) and the map's geometry
files (:mod:`dashboard.mapview`, from the boundaries, which never change while
the process runs).
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from loaders import store
from loaders.errors import AtlasError

#: Entries kept per name in one generation's memo (least recently used dropped beyond it).
MEMO_SIZE = 64


@dataclass
class Generation:
    """One coverage model and what the page derived from it."""

    number: int
    coverage: Any
    memo: dict[str, OrderedDict] = field(default_factory=dict)


_LOCK = threading.Lock()
_NUMBERS = itertools.count(1)
_UNSEEN = object()
_SEEN = [_UNSEEN]  # the register's newest entry the model was loaded after (None: no entry, no register)
_CURRENT: list[Generation] = []  # at most one: the generation the process serves
_REGISTERS: dict[str, Any] = {}  # the configured register by its URL (one connection pool per process)


def _register():
    """The configured register (one per URL and process), or None when the page shows the shipped data."""
    import register

    url = register.configured_url()
    if url is None:
        return None
    with _LOCK:
        if url not in _REGISTERS:
            _REGISTERS[url] = register.Register(url)
        return _REGISTERS[url]


def newest_entry(reg=None) -> tuple[bool, object]:
    """``(known, entry)``: the register's newest entry id (None for none, or without a register).

    ``known`` is False when the register cannot be asked just now: the data
    already loaded stays correct as of its entry, and a page beats an error.
    """
    reg = _register() if reg is None else reg
    if reg is None:
        return True, None
    try:
        newest = reg.history(1)
    except AtlasError:
        return False, None
    return True, (newest[0]["id"] if newest else None)


def follow(entry: Callable[[], tuple[bool, object]] = newest_entry) -> int:
    """Ask for the register's newest entry; a new one drops the model (the next generation loads it anew).

    Returns the number of the generation to serve: it differs from the last
    one exactly when the data did. Raises what loading the coverage raises
    (:class:`~loaders.errors.AtlasError`); the page shows it in one sentence.
    The first call takes the model the server warmed (see
    :class:`dashboard.webserver.CoverageHealth`), asked after the entry, so
    an entry that lands in between only loads the model once more.
    """
    known, newest = entry()
    with _LOCK:
        if known and _SEEN[0] is not _UNSEEN and newest != _SEEN[0]:
            store.load_coverage.cache_clear()
        if known:
            _SEEN[0] = newest
    return generation().number


def generation() -> Generation:
    """The generation of the model :func:`loaders.store.load_coverage` holds now (its memo is empty when new)."""
    cov = store.load_coverage()
    with _LOCK:
        if not _CURRENT or _CURRENT[0].coverage is not cov:
            _CURRENT[:] = [Generation(next(_NUMBERS), cov)]
        return _CURRENT[0]


def coverage():
    """The coverage model of the current generation."""
    return generation().coverage


def ready() -> bool:
    """Whether the model is loaded (the first page of a process waits for it otherwise)."""
    return store.load_coverage.cache_info().currsize > 0


def remember(name: str, key: Hashable, make: Callable[[], Any], size: int = MEMO_SIZE) -> Any:
    """``make()`` once per ``(name, key)`` in the current generation, the ``size`` latest per name; read-only.

    Examples
    --------
    >>> remember("example", 1, lambda: [1]) is remember("example", 1, lambda: [2])
    True
    """
    memo = generation().memo
    with _LOCK:
        kept = memo.setdefault(name, OrderedDict())
        if key in kept:
            kept.move_to_end(key)
            return kept[key]
    value = make()  # outside the lock: sessions build in parallel; a race only builds twice
    with _LOCK:
        kept[key] = value
        while len(kept) > size:
            kept.popitem(last=False)
    return value
