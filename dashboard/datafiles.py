"""The page's data files — map geometry, tooltip tables, chart data — content-addressed in the cache, served by one route.

A view's geometry (TopoJSON), its fixed tooltip lines and a chart's points do
not change with the Stichtag, so the page sends their URL and the browser
fetches each file once. Here they are written and served:

- **where**: ``<cache>/daten/<stem>-<hash>.json`` (:func:`loaders.paths.cache_dir`),
  never inside the package; the stem names what the file holds
  (``geo-gemeinde-057-region``, ``tips-kreis-nrw-de``,
  ``chart-coverage-all-nrw-en``), the hash is the first 16 hex digits of the
  content's sha256. Same data, same bytes, same name — on every replica and
  every host.
- **the URL**: ``/_sid/daten/<stem>-<hash>.json`` (:func:`data_url`; below
  Streamlit's ``server.baseUrlPath`` if one is set), a plain absolute path the
  components fetch. Served by :func:`response` (``dashboard.webserver.Guard``)
  as ``immutable`` for a year: a changed file has another name. Any other name
  below the route is a 404.
- **a file this process has not written** (the page that asked ran on another
  replica, or this replica's cache was emptied): rebuilt on request from this
  replica's data by the same function the page uses (:func:`recipe`), after
  following the register (:mod:`dashboard.freshness`); served if it comes out
  byte-identical (the same data version), else 404. What one replica serves,
  any other with the same data serves or rebuilds.
- **clean-up** (:func:`prune`): never while a page may still ask. A file is
  deleted only when it is older than :data:`KEEP_DAYS` days *and* a newer file
  of the same stem exists — a page fetches its files within seconds of the run
  that named them (a reconnected page runs again and gets current names), and
  the newest of each stem stays, so what a page can ask for is there or is
  rebuilt. At most once a day per process.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

from loaders.paths import atomic_write, cache_dir

ROUTE = "/_sid/daten/"
DIGITS = 16
#: A file's name: a stem of up to 8 short lowercase words joined by ``-`` or ``.``, the content hash, ``.json``.
NAME = re.compile(rf"(?P<stem>[a-z0-9]{{1,24}}(?:[.-][a-z0-9]{{1,24}}){{0,7}})-(?P<digest>[0-9a-f]{{{DIGITS}}})\.json")
IMMUTABLE = "public, max-age=31536000, immutable"
#: Files older than this with a newer one of the same stem are deleted (see the module docstring).
KEEP_DAYS = 7
PRUNE_EVERY = 24 * 3600.0

#: kind (the stem's first words) -> the function of the stem's remaining words that makes the file's bytes, the
#: same one the page's URL function writes from.
_RECIPES: dict[str, Callable[..., bytes]] = {}
#: stem -> (the data generation it was made at, its digest): a name that cannot come out is refused without work.
_MADE: dict[str, tuple[tuple, str]] = {}
_lock = threading.Lock()
_pruned = {"at": 0.0}
_rebuilding = None  # an asyncio.Semaphore, made in the server's event loop
NOT_FOUND = (404, b"Nicht gefunden.", {"content-type": "text/plain; charset=utf-8", "cache-control": "no-store"})


def folder() -> Path:
    """``<cache>/daten``, created if missing."""
    path = cache_dir() / "daten"
    path.mkdir(parents=True, exist_ok=True)
    return path


def name_for(stem: str, payload: bytes) -> str:
    """The file name of ``payload``: its stem and the start of its sha256.

    Examples
    --------
    >>> name_for("chart-sizes-de", b"{}")
    'chart-sizes-de-44136fa355b3678a.json'
    >>> name_for("Geo/../x", b"{}")
    Traceback (most recent call last):
    ValueError: not a data file stem: 'Geo/../x'
    """
    name = f"{stem}-{hashlib.sha256(payload).hexdigest()[:DIGITS]}.json"
    if not NAME.fullmatch(name):
        raise ValueError(f"not a data file stem: {stem!r}")
    return name


def url_of(name: str) -> str:
    """The URL a page fetches ``name`` from (below Streamlit's base path, if any)."""
    from dashboard import urls

    return urls.path(ROUTE + name)


def path_of(url: str) -> Path:
    """The file in this process's cache that a URL of :func:`data_url` names (for tests and tools).

    Raises
    ------
    ValueError
        ``url`` names no data file.
    """
    name = url.rsplit("/", 1)[-1]
    if ROUTE not in url or not NAME.fullmatch(name):
        raise ValueError(f"not a data file URL: {url!r}")
    return folder() / name


def data_url(stem: str, payload: bytes) -> str:
    """Write ``payload`` (JSON) as the data file of ``stem`` once; the URL the components receive.

    The file is written atomically (a reader never sees half of it) and only
    when absent; a file of the same name holds the same bytes by construction.
    """
    name = name_for(stem, payload)
    target = folder() / name
    if not target.is_file():
        with atomic_write(target) as handle:
            handle.write(payload)
        target.chmod(0o644)
        prune_now()
    return url_of(name)


def recipe(kind: str):
    """Declare how a data file of ``kind`` is made: the decorated function takes the stem's other words, gives bytes.

    The page's URL function must write what this function returns (so the
    bytes are the page's); it raises ValueError for words that name no view.
    """

    def register(function: Callable[..., bytes]) -> Callable[..., bytes]:
        _RECIPES[kind] = function
        return function

    return register


def _recipes() -> dict[str, Callable[..., bytes]]:
    # The modules that declare them (chartview, mapview) are imported by the server at its start
    # (dashboard.webserver.lifespan) and by every page that names a data file; not from here, which they import.
    return _RECIPES


def rebuild(name: str) -> Path | None:
    """Make the file ``name`` from this replica's data, if it comes out exactly so; its path, else None.

    Blocking (reads the data, may build a model): call it in a thread. A stem
    already made at the current data generation (:func:`dashboard.caches.follow`)
    with another digest is refused without making it again.
    """
    import datetime as dt

    from dashboard import caches

    found = NAME.fullmatch(name)
    if found is None:
        return None
    stem, digest = found["stem"], found["digest"]
    words = stem.split("-")
    recipes = _recipes()
    for size in (2, 1):
        kind, params = "-".join(words[:size]), words[size:]
        if kind in recipes:
            break
    else:
        return None
    # The newest register entry first (the page that asked may have run after a change), as a page run follows it.
    generation = (caches.follow(), dt.date.today())
    with _lock:
        known = _MADE.get(stem)
    if known is not None and known[0] == generation and known[1] != digest:
        return None
    try:
        payload = recipes[kind](*params)
    except (TypeError, ValueError, KeyError):
        return None  # words that name no view
    made = name_for(stem, payload)
    with _lock:
        _MADE[stem] = (generation, made.removesuffix(".json").rsplit("-", 1)[1])
    if made != name:
        return None
    path = folder() / name
    if not path.is_file():
        with atomic_write(path) as handle:
            handle.write(payload)
        path.chmod(0o644)
    return path


async def answer(rel: str, if_none_match: str | None) -> tuple[int, bytes, dict[str, str]] | None:
    """Status, body and headers for a request below the route; None when ``rel`` is not below it.

    A name not of the form ``<stem>-<hash>.json`` is a 404 at once; a
    well-formed one this replica lacks is rebuilt (:func:`rebuild`, in a
    thread, one at a time per process), else a 404. 304 for a matching
    ``If-None-Match``.
    """
    import asyncio

    if not rel.startswith(ROUTE):
        return None
    name = rel[len(ROUTE) :]
    found = NAME.fullmatch(name)
    if found is None:
        return NOT_FOUND
    path = folder() / name
    if not path.is_file():
        global _rebuilding
        if _rebuilding is None:
            _rebuilding = asyncio.Semaphore(1)
        async with _rebuilding:
            if not path.is_file():
                made = await asyncio.to_thread(rebuild, name)
                if made is None:
                    return NOT_FOUND
    try:
        data = path.read_bytes()
    except FileNotFoundError:  # pruned just now: only a file older than a week with a newer one, see prune
        return NOT_FOUND
    tag = f'"{found["digest"]}"'
    headers = {"etag": tag, "cache-control": IMMUTABLE}
    if if_none_match and tag in [t.strip().removeprefix("W/") for t in if_none_match.split(",")]:
        return 304, b"", headers
    return 200, data, {"content-type": "application/json; charset=utf-8", **headers}


def prune_now(now: float | None = None) -> None:
    """:func:`prune` if this process has not pruned for a day."""
    now = time.time() if now is None else now
    with _lock:
        if now - _pruned["at"] < PRUNE_EVERY:
            return
        _pruned["at"] = now
    prune(folder(), now)


def prune(path: Path, now: float, keep_days: float = KEEP_DAYS) -> list[str]:
    """Delete the files in ``path`` older than ``keep_days`` of which a newer one of the same stem exists; their names.

    Examples
    --------
    >>> import os, tempfile
    >>> where = Path(tempfile.mkdtemp())
    >>> for name, age in (("a-0000000000000001.json", 9), ("a-0000000000000002.json", 8), ("b-0000000000000003.json", 30)):
    ...     _ = (where / name).write_text("{}")
    ...     os.utime(where / name, (1e9 - age * 86400,) * 2)
    >>> prune(where, 1e9)  # the older a goes; the newest a and the only b stay, however old
    ['a-0000000000000001.json']
    """
    newest: dict[str, float] = {}
    files = []
    for entry in path.iterdir():
        found = NAME.fullmatch(entry.name)
        if found is None:
            continue
        try:
            mtime = entry.stat().st_mtime
        except FileNotFoundError:
            continue  # pruned by another replica sharing this cache
        files.append((entry, found["stem"], mtime))
        newest[found["stem"]] = max(newest.get(found["stem"], mtime), mtime)
    gone = []
    for entry, stem, mtime in files:
        if mtime < newest[stem] and now - mtime > keep_days * 86400:
            entry.unlink(missing_ok=True)
            gone.append(entry.name)
    return sorted(gone)
