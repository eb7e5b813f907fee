"""The coverage map: a Streamlit component v2 with our own Leaflet code, mounted in the page (no iframe).

Contract used by ``dashboard/atlas.py`` (and the embed view, ``dashboard/press.py``)::

    render_map(
        model: ViewModel,           # what the view shows (viewmodel.model.build)
        basemap: str = "none",      # "none" | "osm" | "basemapde"
        attribution: str = "",      # required attribution text (plain text; escaped)
        key: str = "coverage-map",
        focus: str | None = None,   # a unit the place search chose
        height: int | None = None,  # fixed pixels (the embed); None: the map fills the window
        announcement: str | None = None,  # what the map's live region says when it changes
    ) -> bool | None                # True once the page has drawn the map

Statuses, colours, legend and tooltips come from the view model through
:func:`viewmodel.component.component_args`, the same builder the standalone
HTML export uses.

Why not folium + streamlit-folium: ``st_folium`` puts the geometry into the
map script, so every rerun resends it (measured with 270 KB of GeoJSON: about
333 KB over the websocket and 44–111 ms of server time per Stichtag change),
and any style change alters the script hash, which re-mounts the iframe
(flicker, Leaflet reloaded, zoom lost). This component instead writes the
geometry once to a data file, the browser fetches it once, and a rerun sends
only ``{key: status}`` (a few bytes per unit), restyled in place.

Why components v2: a v1 component is an iframe, a document of its own (its
own ``h1``, ``main`` and ``lang``, tooltips cut at its edge, a frame to
create before anything is drawn). A v2 component mounts in the page, in a
shadow root of its own (its styles and Leaflet's stay inside). Its code must
come as files (:mod:`webparts.components`): inline code would be loaded
through a ``blob:`` URL, which the Content-Security-Policy refuses.

Geometry travels as TopoJSON (each shared border once, about half the bytes
of GeoJSON), decoded in the page by topojson-client. It is derived from
licensed data, so it is written at run time into the cache, content-addressed,
and served by the server's data route (:mod:`dashboard.datafiles`:
``/_sid/daten/<stem>-<hash>.json``, the URLs :func:`geometry_url` and
:func:`tips_url` return); Leaflet and topojson-client are installed from the
npm registry by ``scripts/install_leaflet.sh`` into ``webparts/map_component/vendor/``
(``make install``) and built into the wheel. They are served from the
component's folder (``/_stcore/bidi-components/sid-atlas.coverage_map/``) and
fetched with URLs relative to ``map.js``; the data files' URLs are absolute
paths (below the app's base path, if any), which ``map.js`` resolves the same
way. So no CDN, no static-serving switch and nothing written into the package.
"""

from __future__ import annotations

import functools
import json
import threading

import streamlit as st
from streamlit.components import v2 as components_v2

import webparts.components
from dashboard import datafiles, urls
from loaders import store, webgeometry
from loaders.boundaries import LEVELS
from loaders.viewstate import LANGUAGES, REGION_KEYS, VIEW_LEVELS
from register import atlasdata
from viewmodel import tips
from viewmodel.component import component_args, fixed_payload, label_points
from viewmodel.model import ViewModel
from viewmodel.tips import TipTable
from webparts.components import CHART_DIR, COMPONENT_DIR

# Tiles are optional decoration: the map is complete without them, and they are
# only requested once a person picks a basemap.
BASEMAPS = {
    "none": None,
    "osm": {
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attribution": "© OpenStreetMap-Mitwirkende",
        "max_zoom": 19,
    },
    "basemapde": {
        "url": (
            "https://sgx.geodatenzentrum.de/wmts_basemapde/tile/1.0.0/"
            "de_basemapde_web_raster_grau/default/GLOBAL_WEBMERCATOR/{z}/{y}/{x}.png"
        ),
        "attribution": "© basemap.de / BKG",
        "max_zoom": 18,
    },
}


_DECLARED: dict[tuple[int, str], tuple] = {}
_DECLARING = threading.Lock()


def declared(name: str):
    """A component of ours (:data:`webparts.components.NAME` or ``CHART_NAME``), registered once; its mount function.

    Streamlit finds a v2 component's folder (its ``asset_dir``) in the
    manifest of an installed package's ``pyproject.toml``; an editable or
    packaged install of the atlas does not ship one where Streamlit looks.
    So the manifest is handed to the runtime's component manager directly,
    on the first draw (inside a script run, so the runtime exists) and once
    per runtime (a new runtime, as in tests, registers again). Both of our
    components are registered together. Streamlit internals (listed for an
    upgrade): ``Runtime.bidi_component_registry.register_from_manifest``,
    ``ComponentManifest`` and ``ComponentConfig``.
    """
    from streamlit import runtime

    manager = runtime.get_instance().bidi_component_registry if runtime.exists() else None
    known = _DECLARED.get((id(manager), name))
    if known is None or known[0] is not manager or manager is None:
        with _DECLARING:  # sessions run in threads: the first draws of two must not register twice
            known = _DECLARED.get((id(manager), name))
            if known is None or known[0] is not manager or manager is None:
                if (
                    manager is not None
                    and manager.get_component_asset_root(f"{webparts.components.PROJECT}.{name}") is None
                ):
                    _register(manager)
                mount = components_v2.component(
                    f"{webparts.components.PROJECT}.{name}",
                    js=webparts.components.ENTRY_JS,
                    css=webparts.components.ENTRY_CSS,
                    isolate_styles=True,
                )
                known = _DECLARED[(id(manager), name)] = (manager, mount)
    return known[1]


def _register(manager) -> None:
    from streamlit.components.v2.manifest_scanner import ComponentConfig, ComponentManifest

    folders = {webparts.components.NAME: COMPONENT_DIR, webparts.components.CHART_NAME: CHART_DIR}
    manifest = ComponentManifest(
        name=webparts.components.PROJECT,
        version="0",
        components=[ComponentConfig(name=name, asset_dir=folder.name) for name, folder in folders.items()],
    )
    manager.register_from_manifest(manifest, COMPONENT_DIR.parent)


def _noop() -> None:
    """The map's ``drawn`` state needs a callback to be kept; the rerun it asks for is all it does."""


def _component(**kwargs):
    """Draw the map component (registered on first use: see :func:`declared`); its ``drawn`` state."""
    result = declared(webparts.components.NAME)(default={"drawn": None}, on_drawn_change=_noop, **kwargs)
    return result.get("drawn")


def lod_for(region: str | None) -> str:
    """Level of detail: light ``overview`` for all NRW, finer ``region`` for one Bezirk.

    A single Bezirk's Gemeinden at ``region`` detail are about 150 KB, the same
    budget as all 396 NRW Gemeinden at ``overview`` detail (about 280 KB).

    Examples
    --------
    >>> lod_for(None), lod_for("057")
    ('overview', 'region')
    """
    return "overview" if region is None else "region"


def geometry_url(level: str, region: str | None) -> str:
    """Write the TopoJSON of one NRW view once (:mod:`dashboard.datafiles`); its URL."""
    return _geometry_url(level, region, urls.base_path())


@functools.cache
def _geometry_url(level: str, region: str | None, base: str) -> str:
    # The base path is part of the key: a URL remembered under one base is wrong under another.
    return write_geometry(geometry_stem(level, region), geometry_payload(level, region))


def geometry_stem(level: str, region: str | None) -> str:
    """The data file stem of a view's geometry: ``geo-<level>-<region|nrw>-<lod>``."""
    return f"geo-{level}-{region or 'nrw'}-{lod_for(region)}"


def geometry_payload(level: str, region: str | None) -> bytes:
    """The TopoJSON of the units of ``level`` (in ``region``) at the level of detail for it."""
    web = store.load_web_units(lod_for(region))
    keys = None
    if region is not None:
        in_level = web[web["level"] == level]
        keys = in_level.loc[in_level["key"].str.startswith(region), "key"]
    return webgeometry.to_topojson(web, level, keys).encode()


def write_geometry(stem: str, payload: bytes) -> str:
    """Write a JSON payload (TopoJSON, by default) as the data file of ``stem`` once; its URL.

    The file name carries a content hash (:func:`dashboard.datafiles.data_url`),
    so a browser never keeps stale geometry and a changed file is fetched again
    exactly once.
    """
    return datafiles.data_url(stem, payload)


@datafiles.recipe("geo")
def _geometry_again(level: str, region: str, lod: str) -> bytes:
    """A geometry file's bytes from its stem's words (``geo-<level>-<region|nrw>-<lod>``): rebuilt on request."""
    key = None if region == "nrw" else region
    if level not in LEVELS or (key is not None and key not in REGION_KEYS) or lod != lod_for(key):
        raise ValueError("no such view")
    return geometry_payload(level, key)


@functools.cache
def bezirk_labels() -> tuple[dict, ...]:
    """Name (HTML-escaped) and label position of the five Regierungsbezirke."""
    units = store.load_units()
    names = units[units["level"] == "regierungsbezirk"].set_index("key")["name"]
    web = store.load_web_units("overview")
    bezirke = web[web["level"] == "regierungsbezirk"]
    return tuple(label_points(bezirke["key"], bezirke.geometry.representative_point(), names))


_TIPS_URLS: dict[int, tuple] = {}


def tips_payload(table: TipTable) -> bytes:
    """The map's fixed content (tooltip table, styles, labels) as the browser fetches it (JSON)."""
    fixed = fixed_payload(table, list(bezirk_labels()))
    return json.dumps(fixed, ensure_ascii=False, separators=(",", ":")).encode()


def tips_url(table: TipTable, stem: str) -> str:
    """Write the map's fixed content (:func:`tips_payload`) as a data file once; its URL.

    Content-hashed like the geometry, so browsers keep it for good.
    """
    known = _TIPS_URLS.get(id(table))
    base = urls.base_path()
    # The id of a table that is gone may be reused; a URL remembered under another base path is wrong.
    if known is None or known[0] is not table or known[1] != base:
        known = _TIPS_URLS[id(table)] = (table, base, write_geometry(f"tips-{stem}", tips_payload(table)))
    return known[2]


def tips_stem(level: str, region: str | None, lang: str) -> str:
    """The stem :func:`tips_url` is given for a view (the rebuild reads it back)."""
    return f"{level}-{region or 'nrw'}-{lang}"


@datafiles.recipe("tips")
def _tips_again(level: str, region: str, lang: str) -> bytes:
    """A tooltip table's bytes from its stem's words (``tips-<level>-<region|nrw>-<lang>``): rebuilt on request."""
    key = None if region == "nrw" else region
    if level not in VIEW_LEVELS or (key is not None and key not in REGION_KEYS) or lang not in LANGUAGES:
        raise ValueError("no such view")
    return tips_payload(tips.fixed_table(atlasdata.load_coverage(), level, key, lang))


def render_map(
    model: ViewModel,
    basemap: str = "none",
    attribution: str = "",
    key: str = "coverage-map",
    focus: str | None = None,
    height: int | None = None,
    announcement: str | None = None,
):
    """Draw (first run) or restyle (later runs) the coverage map of ``model``; True once the page drew it.

    Parameters
    ----------
    model : ViewModel
        What the view shows; its level and region choose the geometry.
    basemap : str
        ``"none"`` (default), ``"osm"`` or ``"basemapde"``.
    attribution : str
        Attribution line shown on the map (plain text).
    key : str
        Streamlit key; keep it stable so reruns update the same map.
    focus : str, optional
        Key of a unit the place search chose: the map zooms to it and opens its tooltip.
    height : int, optional
        Fixed pixels (the embed chooses its own); without it the map fills the window below its top.
    announcement : str, optional
        What the map's polite live region, the page's one for view changes, says whenever this text
        changes (never on the first draw). None: the view's subtitle and figures line
        (:func:`announcement_of`).

    Raises
    ------
    ValueError
        For an unknown basemap.
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap {basemap!r}; expected one of {tuple(BASEMAPS)}")
    level, region, lang = model.state.level, model.state.region, model.state.lang
    # Names, keys, Kreise and sources travel once, in a file the browser caches;
    # a rerun sends statuses and line positions only (viewmodel.tips).
    table = tips.fixed_table(atlasdata.load_coverage(), level, region, lang)
    args = component_args(
        model,
        units_url=geometry_url(level, region),
        tips=table,
        tips_url=tips_url(table, tips_stem(level, region, lang)),
        # In a Bezirk view the other Bezirke are drawn muted around it.
        context_url=None if region is None else geometry_url("regierungsbezirk", None),
        labels=list(bezirk_labels()),
        basemap=BASEMAPS[basemap],
        attribution=attribution,
        **({"height": height} if height else {}),
    )
    said = announcement_of(model) if announcement is None else announcement
    return draw({**args, "focus": focus, "fit": not height, "announcement": said}, key)


def announcement_of(model: ViewModel) -> str:
    """What a view change says by default: the view's subtitle and its figures line, as two sentences.

    Examples
    --------
    >>> import datetime as dt
    >>> from loaders.viewstate import ViewState
    >>> from viewmodel.model import build
    >>> announcement_of(build(atlasdata.load_coverage(), ViewState(dt.date(2024, 2, 1), region="057")))
    'Stand: 1. Februar 2024 · Regierungsbezirk Detmold. Abgedeckt: 70 von 70 Gemeinden · davon 1 einzeln belegt · 2,09 Mio. Einwohner.'
    """
    return f"{model.subtitle}. {model.figures_line}."


def draw(args: dict, key: str = "coverage-map"):
    """Hand finished component arguments to the page (``render_map`` builds them from a view model).

    Returns the map's ``drawn`` state: None until the page has drawn the map
    once, then True (``map.js`` reports it, or that it could not draw).
    """
    if webparts.components.missing():
        st.error("Die Karte braucht Leaflet und topojson-client: bitte einmal `make install` ausführen.")
        return True  # nothing will report: the rest of the page must not wait
    # Unless told otherwise (``fit``: the embed's fixed height) the map fills the window below its top.
    return _component(key=key, data={"fit": True, **args})
