"""The coverage map: a small Streamlit component with our own Leaflet code.

Contract used by ``dashboard/app.py``::

    render_map(
        model: ViewModel,           # what the view shows (viewmodel.model.build)
        basemap: str = "none",      # "none" | "osm" | "basemapde"
        attribution: str = "",      # required attribution text (plain text; escaped)
        key: str = "coverage-map",
    ) -> None

Statuses, colours, legend and tooltips come from the view model through
:func:`viewmodel.component.component_args`, the same builder the standalone
HTML export uses.

Why not folium + streamlit-folium: ``st_folium`` puts the geometry into the
map script, so every rerun resends it (measured with 270 KB of GeoJSON: about
333 KB over the websocket and 44–111 ms of server time per Stichtag change),
and any style change alters the script hash, which re-mounts the iframe
(flicker, Leaflet reloaded, zoom lost). This component instead writes the
geometry once to a data file, the browser fetches it once, and a rerun sends
only ``{key: status}`` (about 23 KB, 3 ms), restyled in place.

Geometry travels as TopoJSON (each shared border once, about half the bytes
of GeoJSON), decoded in the page by topojson-client. It is derived from
licensed data, so it is written at run time into the cache, content-addressed,
and served by the server's data route (:mod:`dashboard.datafiles`:
``/_sid/daten/<stem>-<hash>.json``, the URLs :func:`geometry_url` and
:func:`tips_url` return); Leaflet and topojson-client are installed from the
npm registry by ``scripts/install_leaflet.sh`` into ``map_component/vendor/``
(``make install``) and built into the wheel. They are served next to
``index.html``, so no CDN and no dependence on where the main script lives.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from dashboard import datafiles, mapassets
from dashboard.mapassets import COMPONENT_DIR
from loaders import store, webgeometry
from loaders.boundaries import LEVELS
from loaders.viewstate import LANGUAGES, REGION_KEYS, VIEW_LEVELS
from viewmodel import tips
from viewmodel.component import component_args, fixed_payload, label_points
from viewmodel.model import ViewModel
from viewmodel.tips import TipTable

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


def declared(name: str, path: Path):
    """A component of ours (its folder ``path``), declared inside a script run once per runtime.

    ``declare_component`` registers a component with the runtime only when it
    runs inside a script run. ``sid-atlas serve`` imports this module before
    any (:func:`dashboard.webserver.security_headers` reads :data:`BASEMAPS`),
    so a declaration at import time left the component unregistered and its
    route (``/component/dashboard.mapview.<name>/…``) answering 404: no
    map. So it is declared on the first draw, and kept per component registry
    (a new runtime, as in tests, registers it again): declaring costs about
    3 ms, a sixth of a Stichtag change.
    """
    from streamlit import runtime

    registry = runtime.get_instance().component_registry if runtime.exists() else None
    known = _DECLARED.get((id(registry), name))
    if known is None or known[0] is not registry or registry is None:
        known = _DECLARED[(id(registry), name)] = (registry, components.declare_component(name, path=str(path)))
    return known[1]


def _component(**kwargs):
    """Draw the map component (declared on first use: see :func:`declared`)."""
    return declared(mapassets.NAME, COMPONENT_DIR)(**kwargs)


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


@functools.cache
def geometry_url(level: str, region: str | None) -> str:
    """Write the TopoJSON of one NRW view once (:mod:`dashboard.datafiles`); its URL."""
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
    if known is None or known[0] is not table:  # the id of a table that is gone may be reused
        known = _TIPS_URLS[id(table)] = (table, write_geometry(f"tips-{stem}", tips_payload(table)))
    return known[1]


def tips_stem(level: str, region: str | None, lang: str) -> str:
    """The stem :func:`tips_url` is given for a view (the rebuild reads it back)."""
    return f"{level}-{region or 'nrw'}-{lang}"


@datafiles.recipe("tips")
def _tips_again(level: str, region: str, lang: str) -> bytes:
    """A tooltip table's bytes from its stem's words (``tips-<level>-<region|nrw>-<lang>``): rebuilt on request."""
    key = None if region == "nrw" else region
    if level not in VIEW_LEVELS or (key is not None and key not in REGION_KEYS) or lang not in LANGUAGES:
        raise ValueError("no such view")
    return tips_payload(tips.fixed_table(store.load_coverage(), level, key, lang))


def render_map(
    model: ViewModel,
    basemap: str = "none",
    attribution: str = "",
    key: str = "coverage-map",
    focus: str | None = None,
    height: int | None = None,
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
        Pixels; the component's default when not given (the embed chooses its own).

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
    table = tips.fixed_table(store.load_coverage(), level, region, lang)
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
    return draw({**args, "focus": focus}, key)


def draw(args: dict, key: str = "coverage-map"):
    """Hand finished component arguments to the page (``render_map`` builds them from a view model).

    Returns the component's value: None until the page has drawn the map
    once, then True (``map.js`` reports it, or that it could not draw).
    """
    if mapassets.missing():
        st.error("Die Karte braucht Leaflet und topojson-client: bitte einmal `make install` ausführen.")
        return True  # nothing will report: the rest of the page must not wait
    return _component(key=key, default=None, **args)
