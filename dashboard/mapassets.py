"""The map component's files, declared once: the dashboard serves them, the standalone HTML export inlines them.

``map_component/index.html`` is the page of the component's iframe. It loads
its stylesheets and scripts in order, each written exactly as
:data:`REFERENCE` matches (``<link rel="stylesheet" href="…">`` or
``<script src="…"></script>``, paths relative to the folder). This module is
the one place that reads them:

- :func:`assets` lists them in the page's order (path, kind, content, hash);
- :func:`rewrite` hands each reference of the page to a function: the server
  adds the file's content hash (:func:`dashboard.assets.versioned`), the
  standalone export puts the file's content in its place
  (:mod:`exports.standalone`);
- :data:`VENDOR` and :func:`missing`: Leaflet and topojson-client, installed
  from the npm registry by ``scripts/install_leaflet.sh`` (``make install``).

No Streamlit and no view model here: ``exports`` imports this module too.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

COMPONENT_DIR = Path(__file__).resolve().parent / "map_component"
PAGE = COMPONENT_DIR / "index.html"
#: The component's name; :mod:`dashboard.mapview` declares it, so Streamlit serves the folder under URL_PREFIX.
NAME = "coverage_map"
URL_PREFIX = f"/component/dashboard.mapview.{NAME}/"
#: The timeline charts' component (:mod:`dashboard.chartview`), declared by the same module.
CHART_NAME = "timeline_chart"
CHART_DIR = COMPONENT_DIR.parent / "chart_component"
#: Every component folder the server hands out itself (:mod:`dashboard.assets`), by URL prefix.
FOLDERS = {URL_PREFIX: COMPONENT_DIR, f"/component/dashboard.mapview.{CHART_NAME}/": CHART_DIR}
LEAFLET_DIR = COMPONENT_DIR / "vendor" / "leaflet"
VENDOR = (
    LEAFLET_DIR / "leaflet.js",
    LEAFLET_DIR / "leaflet.css",
    COMPONENT_DIR / "vendor" / "topojson-client" / "topojson-client.min.js",
)
#: How the page refers to a stylesheet or a script (see index.html).
REFERENCE = re.compile(r'<link rel="stylesheet" href="(?P<css>[^"?#]+)">|<script src="(?P<js>[^"?#]+)"></script>')


def digest(path: Path) -> str:
    """The first 12 hex digits of a file's sha256 (the ``?v=`` of its URL)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


@dataclass(frozen=True)
class Asset:
    """One file the page loads: its reference in the page (relative to the folder) and its kind."""

    ref: str
    kind: str  # "css" or "js"
    folder: Path = COMPONENT_DIR

    @property
    def path(self) -> Path:
        return self.folder / self.ref

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def digest(self) -> str:
        return digest(self.path)


def _asset(match: re.Match, folder: Path = COMPONENT_DIR) -> Asset:
    return Asset(match["css"], "css", folder) if match["css"] else Asset(match["js"], "js", folder)


def page() -> str:
    """The component page as written."""
    return PAGE.read_text(encoding="utf-8")


def assets(text: str | None = None) -> tuple[Asset, ...]:
    """The files the page (``text``, else :data:`PAGE`) loads, in its order.

    Examples
    --------
    >>> [(a.ref, a.kind) for a in assets()]  # doctest: +NORMALIZE_WHITESPACE
    [('vendor/leaflet/leaflet.css', 'css'), ('map.css', 'css'), ('vendor/leaflet/leaflet.js', 'js'),
     ('vendor/topojson-client/topojson-client.min.js', 'js'), ('map.js', 'js')]
    """
    return tuple(_asset(match) for match in REFERENCE.finditer(page() if text is None else text))


def rewrite(text: str, replace: Callable[[Asset, str], str], folder: Path = COMPONENT_DIR) -> str:
    """``text`` (a page in ``folder``) with each reference to an asset replaced by ``replace(asset, reference)``.

    Examples
    --------
    >>> rewrite('<script src="map.js"></script>', lambda asset, ref: f"[{asset.kind} {asset.ref}]")
    '[js map.js]'
    """
    return REFERENCE.sub(lambda match: replace(_asset(match, folder), match[0]), text)


def missing() -> list[Path]:
    """The vendor files not installed (``make install`` installs them)."""
    return [path for path in VENDOR if not path.is_file()]
