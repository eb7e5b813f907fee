"""Our two components' files, declared once: the dashboard serves them, the standalone HTML export inlines them.

The map (``map_component/``) and the timeline charts (``chart_component/``)
are Streamlit components v2: they mount in the page itself, no iframe.
Streamlit loads each one's two entry files, ``index.js`` (an ES module) and
``index.css``, from ``/_stcore/bidi-components/<project>.<name>/`` — files,
never inline code: inline JavaScript would reach the browser as a ``blob:``
URL, which the Content-Security-Policy (``script-src 'self'``) refuses.

An entry file lists what it loads, one line each, written exactly as
:data:`REFERENCE` matches (paths relative to the folder):

- ``index.css``: ``@import url("vendor/leaflet/leaflet.css");``
- ``index.js``: ``import "./vendor/leaflet/leaflet.js";`` for a plain script
  that sets a global (Leaflet's ``L``), and ``export { default } from
  "./map.js";`` for the component's own module.

This module is the one place that reads them:

- :func:`assets` lists them in order (path, kind, content, hash);
- :func:`rewrite` hands each reference of an entry file to a function: the
  server adds the file's content hash (:func:`dashboard.assets.versioned`),
  the standalone export puts the file's content in its place
  (:mod:`exports.standalone`);
- :data:`VENDOR` and :func:`missing`: Leaflet and topojson-client, installed
  from the npm registry by ``scripts/install_leaflet.sh`` (``make install``).

No Streamlit and no view model here: ``dashboard`` and ``exports`` both import this module.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

COMPONENT_DIR = Path(__file__).resolve().parent / "map_component"
CHART_DIR = COMPONENT_DIR.parent / "chart_component"
#: The manifest's name: Streamlit calls a component ``<project>.<name>`` (:func:`dashboard.mapview.declared`).
PROJECT = "sid-atlas"
#: The map component's name (:mod:`dashboard.mapview`) and the timeline charts' (:mod:`dashboard.chartview`).
NAME = "coverage_map"
CHART_NAME = "timeline_chart"
#: The entry files Streamlit loads of each component (the JavaScript module and the stylesheet).
ENTRY_JS = "index.js"
ENTRY_CSS = "index.css"


def url_prefix(name: str) -> str:
    """Where Streamlit serves a component's folder, below the app's base path.

    Examples
    --------
    >>> url_prefix(NAME)
    '/_stcore/bidi-components/sid-atlas.coverage_map/'
    """
    return f"/_stcore/bidi-components/{PROJECT}.{name}/"


URL_PREFIX = url_prefix(NAME)
#: Every component folder the server hands out itself (:mod:`dashboard.assets`), by URL prefix.
FOLDERS = {URL_PREFIX: COMPONENT_DIR, url_prefix(CHART_NAME): CHART_DIR}
LEAFLET_DIR = COMPONENT_DIR / "vendor" / "leaflet"
VENDOR = (
    LEAFLET_DIR / "leaflet.js",
    LEAFLET_DIR / "leaflet.css",
    COMPONENT_DIR / "vendor" / "topojson-client" / "topojson-client.min.js",
)
#: How an entry file refers to a stylesheet, a plain script or the component's module (see above).
REFERENCE = re.compile(
    r'^@import url\("(?P<css>[^"?#]+)"\);$'
    r'|^import "\./(?P<js>[^"?#]+)";$'
    r'|^export \{ default \} from "\./(?P<module>[^"?#]+)";$',
    re.MULTILINE,
)


def digest(path: Path) -> str:
    """The first 12 hex digits of a file's sha256 (the ``?v=`` of its URL)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


@dataclass(frozen=True)
class Asset:
    """One file an entry file loads: its path (relative to the folder) and its kind.

    ``kind`` is ``"css"``, ``"js"`` (a plain script: it runs for its globals)
    or ``"module"`` (the component's ES module, whose default export mounts it).
    """

    ref: str
    kind: str
    folder: Path = COMPONENT_DIR

    @property
    def path(self) -> Path:
        """Where the file is."""
        return self.folder / self.ref

    @property
    def specifier(self) -> str:
        """How the entry file writes the reference (a module's is relative to it: ``./``)."""
        return self.ref if self.kind == "css" else f"./{self.ref}"

    def text(self) -> str:
        """The file's text."""
        return self.path.read_text(encoding="utf-8")

    def digest(self) -> str:
        """The file's content digest (its version in the URL)."""
        return digest(self.path)


def _asset(match: re.Match, folder: Path = COMPONENT_DIR) -> Asset:
    kind = next(kind for kind in ("css", "js", "module") if match[kind])
    return Asset(match[kind], kind, folder)


def entry(name: str, folder: Path = COMPONENT_DIR) -> str:
    """An entry file of a component (``index.js`` or ``index.css``) as written."""
    return (folder / name).read_text(encoding="utf-8")


def assets(folder: Path = COMPONENT_DIR) -> tuple[Asset, ...]:
    """The files a component loads: its stylesheets, then its scripts, each in its entry file's order.

    Examples
    --------
    >>> [(a.ref, a.kind) for a in assets()]  # doctest: +NORMALIZE_WHITESPACE
    [('vendor/leaflet/leaflet.css', 'css'), ('map.css', 'css'), ('vendor/leaflet/leaflet.js', 'js'),
     ('vendor/topojson-client/topojson-client.min.js', 'js'), ('map.js', 'module')]
    >>> [(a.ref, a.kind) for a in assets(CHART_DIR)]
    [('chart.css', 'css'), ('chart.js', 'module')]
    """
    return tuple(
        _asset(match, folder) for name in (ENTRY_CSS, ENTRY_JS) for match in REFERENCE.finditer(entry(name, folder))
    )


def rewrite(text: str, replace: Callable[[Asset, str], str], folder: Path = COMPONENT_DIR) -> str:
    """``text`` (an entry file in ``folder``) with each reference replaced by ``replace(asset, reference)``.

    Examples
    --------
    >>> rewrite('export { default } from "./map.js";', lambda asset, ref: f"[{asset.kind} {asset.ref}]")
    '[module map.js]'
    """
    return REFERENCE.sub(lambda match: replace(_asset(match, folder), match[0]), text)


def missing() -> list[Path]:
    """The vendor files not installed (``make install`` installs them)."""
    return [path for path in VENDOR if not path.is_file()]
