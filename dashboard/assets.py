"""Our components' files (the map's, the charts') as ``sid-atlas serve`` hands them out: cached, with validators.

Streamlit serves a component's files with ``Cache-Control: public`` (no
lifetime, no ETag), so every visit downloaded Leaflet, topojson-client and
``map.js`` again. Here (:class:`dashboard.webserver.SecurityMiddleware` calls
:func:`response`):

- the entry files Streamlit asks for by name, ``index.js`` and ``index.css``
  (:mod:`webparts.components`), refer to their scripts and styles with a
  content hash (``map.js?v=…``); each is reused for a minute and then
  revalidated with its ETag (a 304 of a few bytes when nothing changed);
- the files they refer to are ``immutable`` for a year: a changed file has
  another URL (the page's data files — geometry, tooltips, charts — are not
  component files: :mod:`dashboard.datafiles` serves them from the cache);
- anything else below the component (a file asked for without its hash)
  gets an ETag and a day's lifetime.

The files are read from the folders of :data:`webparts.components.FOLDERS`
directly, so they are served even before a session has registered the
component; which files a page loads, :mod:`webparts.components` says.
"""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from webparts import components
from webparts.components import COMPONENT_DIR, ENTRY_CSS, ENTRY_JS, FOLDERS

PREFIX = components.URL_PREFIX  # the map's files (the examples below)
ENTRIES = (ENTRY_JS, ENTRY_CSS)
YEAR = "public, max-age=31536000, immutable"
INDEX = "max-age=60"  # then revalidated with its ETag (304 when unchanged)
OTHER = "public, max-age=86400"
_MEMO: dict[Path, tuple] = {}


def _split(rel: str) -> tuple[Path, str] | None:
    """The component folder a request path is below and the file's name in it, or None."""
    for prefix, folder in FOLDERS.items():
        if rel.startswith(prefix):
            return folder, rel[len(prefix) :]
    return None


def file_for(rel: str) -> Path | None:
    """The component file a request path names, or None (not ours, missing, or outside the folder).

    Examples
    --------
    >>> file_for(PREFIX + "map.js").name, file_for(PREFIX + "../app.py"), file_for("/other/map.js")
    ('map.js', None, None)
    >>> file_for("/_stcore/bidi-components/sid-atlas.timeline_chart/chart.js").parent.name
    'chart_component'
    """
    found = _split(rel)
    if found is None:
        return None
    folder, name = found
    if "\\" in name or any(part in ("", ".", "..") for part in name.split("/")):
        return None
    path = (folder / name).resolve()
    if folder not in path.parents or not path.is_file():
        return None
    return path


def _content(path: Path) -> tuple[bytes, str]:
    """The bytes to send for ``path`` (an entry file with hashed references) and their ETag."""
    stat = path.stat()
    known = _MEMO.get(path)
    if known is not None and known[0] == (stat.st_mtime_ns, stat.st_size):
        return known[1], known[2]
    data = path.read_bytes()
    if path.name in ENTRIES and path.parent in FOLDERS.values():
        data = versioned(data.decode("utf-8"), path.parent).encode("utf-8")
    tag = f'"{hashlib.sha256(data).hexdigest()[:20]}"'
    _MEMO[path] = ((stat.st_mtime_ns, stat.st_size), data, tag, components.digest(path))
    return data, tag


def versioned(entry: str, folder: Path = COMPONENT_DIR) -> str:
    """``entry`` (an entry file in ``folder``) with every reference given the content hash of its file (``?v=…``).

    Examples
    --------
    >>> "./map.js?v=" in versioned('export { default } from "./map.js";')
    True
    >>> versioned('import "https://example.org/x.js";')
    'import "https://example.org/x.js";'
    """

    def add(asset: components.Asset, reference: str) -> str:
        if not asset.path.is_file():
            return reference
        quoted = f'"{asset.specifier}"'
        return reference.replace(quoted, f'"{asset.specifier}?v={asset.digest()}"', 1)

    return components.rewrite(entry, add, folder)


def cache_control(rel: str, query: str, digest: str = "") -> str:
    """The lifetime of a component file: see the module docstring.

    ``digest`` is the start of the file's sha256: a ``?v=`` naming it makes
    the URL a content address (an outdated ``v`` gets the short lifetime).

    Examples
    --------
    >>> cache_control(PREFIX + "index.js", ""), cache_control(PREFIX + "map.js", "v=0123456789ab", "0123456789ab")
    ('max-age=60', 'public, max-age=31536000, immutable')
    >>> cache_control(PREFIX + "map.js", "v=1")
    'public, max-age=86400'
    """
    found = _split(rel)
    name = found[1] if found else ""
    if name in ENTRIES:
        return INDEX
    if digest and query == f"v={digest}":
        return YEAR
    return OTHER


def response(rel: str, query: str, if_none_match: str | None) -> tuple[int, bytes, dict[str, str]] | None:
    """Status, body and headers for a component file, or None when ``rel`` names none.

    304 (no body) when the browser's ``If-None-Match`` holds the current ETag.
    """
    path = file_for(rel)
    if path is None:
        return None
    data, tag = _content(path)
    headers = {"etag": tag, "cache-control": cache_control(rel, query, _MEMO[path][3])}
    if if_none_match and tag in [t.strip().removeprefix("W/") for t in if_none_match.split(",")]:
        return 304, b"", headers
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
        kind += "; charset=utf-8"
    return 200, data, {"content-type": kind, **headers}
