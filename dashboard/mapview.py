"""The coverage map: a small Streamlit component with our own Leaflet code.

Contract used by ``dashboard/app.py``::

    render_map(
        level: str,                 # "gemeinde" | "kreis" | "regierungsbezirk"
        region: str | None,         # RB key to zoom to and outline, None = NRW
        features: dict[str, dict],  # unit key -> {"status": one of STATUS_STYLES,
                                    #   "inferred": bool, "tooltip": str (already HTML-escaped)}
        legend: list[dict],         # [{"status": ..., "label": German text, "inferred": bool}]
        basemap: str = "none",      # "none" | "osm" | "basemapde"
        attribution: str = "",      # required attribution text (plain text; escaped here)
        key: str = "coverage-map",
    ) -> None

Why not folium + streamlit-folium: ``st_folium`` puts the geometry into the
map script, so every rerun resends it (measured with 270 KB of GeoJSON: about
333 KB over the websocket and 44–111 ms of server time per Stichtag change),
and any style change alters the script hash, which re-mounts the iframe
(flicker, Leaflet reloaded, zoom lost). This component instead writes the
geometry once to a file beside its page, the browser fetches it once, and a
rerun sends only ``{key: status}`` (about 23 KB, 3 ms), restyled in place.

Geometry travels as TopoJSON (each shared border once, about half the bytes
of GeoJSON), decoded in the page by topojson-client. It is derived from
licensed data, so it is written at run time into the git-ignored
``map_component/geo/``; Leaflet and topojson-client are installed from the
npm registry by ``scripts/install_leaflet.sh`` into ``map_component/vendor/``
(``make install``). Both are served by Streamlit's component route next to
``index.html`` and fetched with relative URLs, so no CDN, no static-serving
switch and no dependence on where the main script lives.
"""

from __future__ import annotations

import functools
import hashlib
import html
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from loaders import store, webgeometry
from loaders.paths import atomic_write

STATUS_STYLES = ("member", "via_kreis", "not_yet", "new")

COMPONENT_DIR = Path(__file__).resolve().parent / "map_component"
GEOMETRY_DIR = COMPONENT_DIR / "geo"
LEAFLET_JS = COMPONENT_DIR / "vendor" / "leaflet" / "leaflet.js"
TOPOJSON_JS = COMPONENT_DIR / "vendor" / "topojson-client" / "topojson-client.min.js"
MAP_HEIGHT = 580

# Colour-blind safe (blue/orange, no red-green pair) and ordered in lightness,
# so the classes survive grey-scale printing: CIE L* 21 / 77 / 95 / 57.
# "new" also gets a heavy dark outline, which marks it without any colour.
PALETTE = {
    "member": {"fill": "#08306b", "stroke": "#8a8a8a", "weight": 0.5},
    "via_kreis": {"fill": "#92c5de", "stroke": "#8a8a8a", "weight": 0.5},
    "not_yet": {"fill": "#f0f0f0", "stroke": "#8a8a8a", "weight": 0.5},
    "new": {"fill": "#e66101", "stroke": "#3d1500", "weight": 1.5},
}

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
        "url": ("https://sgx.geodatenzentrum.de/wmts_basemapde/tile/1.0.0/"
                "de_basemapde_web_raster_grau/default/GLOBAL_WEBMERCATOR/{z}/{y}/{x}.png"),
        "attribution": "© basemap.de / BKG",
        "max_zoom": 18,
    },
}

INFERRED_LEGEND = {"status": "member", "label": "Mitgliedschaft erschlossen (schraffiert)", "inferred": True}

_component = components.declare_component("coverage_map", path=str(COMPONENT_DIR))


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
    """Write the TopoJSON of one NRW view once and return its URL relative to the component page."""
    lod = lod_for(region)
    web = store.load_web_units(lod)
    keys = None
    if region is not None:
        in_level = web[web["level"] == level]
        keys = in_level.loc[in_level["key"].str.startswith(region), "key"]
    return write_geometry(f"{level}-{region or 'nrw'}-{lod}", webgeometry.to_topojson(web, level, keys).encode())


def write_geometry(stem: str, payload: bytes) -> str:
    """Write a TopoJSON payload beside the component page once; return its relative URL.

    The file name carries a content hash, so a browser never keeps stale
    geometry and a changed file is fetched again exactly once; older files of
    the same ``stem`` are removed.
    """
    name = f"{stem}-{hashlib.sha256(payload).hexdigest()[:12]}.json"
    target = GEOMETRY_DIR / name
    if not target.is_file():
        for stale in GEOMETRY_DIR.glob(f"{stem}-*.json"):
            stale.unlink()
        with atomic_write(target) as handle:
            handle.write(payload)
    return f"geo/{name}"


@functools.cache
def bezirk_labels() -> tuple[dict, ...]:
    """Name (HTML-escaped) and label position of the five Regierungsbezirke."""
    units = store.load_units()
    names = units[units["level"] == "regierungsbezirk"].set_index("key")["name"]
    web = store.load_web_units("overview")
    bezirke = web[web["level"] == "regierungsbezirk"]
    return label_points(bezirke["key"], bezirke.geometry.representative_point(), names)


def label_points(keys, points, names) -> tuple[dict, ...]:
    """Label records ``{key, name, lat, lon}``; names are escaped because they become HTML.

    Examples
    --------
    >>> from shapely import Point
    >>> label_points(["057"], [Point(8.8, 52.0)], {"057": "Det<b>mold"})
    ({'key': '057', 'name': 'Det&lt;b&gt;mold', 'lat': 52.0, 'lon': 8.8},)
    """
    return tuple({"key": key, "name": html.escape(str(names[key])), "lat": round(point.y, 5),
                  "lon": round(point.x, 5)} for key, point in zip(keys, points))


def map_args(level: str, region: str | None, features: dict[str, dict], legend: list[dict],
             basemap: str, attribution: str, units_url: str | None = None) -> dict:
    """The per-rerun arguments of the component, without the geometry itself.

    Everything that the page inserts as HTML is escaped here: legend labels,
    attribution, basemap attribution and Bezirk names. Tooltips arrive escaped
    by contract and are passed through unchanged.

    Parameters
    ----------
    level, region, features, legend, basemap, attribution, units_url
        As in :func:`render_map`.

    Returns
    -------
    dict
        JSON-serialisable keyword arguments for the component.

    Raises
    ------
    ValueError
        For a status outside ``STATUS_STYLES`` or an unknown basemap.
    """
    unknown = {f["status"] for f in features.values()} - set(STATUS_STYLES)
    if unknown:
        raise ValueError(f"unknown map status {sorted(unknown)}; expected one of {STATUS_STYLES}")
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap {basemap!r}; expected one of {tuple(BASEMAPS)}")
    items = list(legend)
    if any(f["inferred"] for f in features.values()) and not any(item["inferred"] for item in items):
        items.append(INFERRED_LEGEND)   # the legend must explain the hatching whenever it is drawn
    tiles = BASEMAPS[basemap]
    return {
        "level": level,
        "region": region,
        "units_url": units_url or geometry_url(level, region),
        # In a Bezirk view the other Bezirke are drawn muted around it.
        "context_url": None if region is None else geometry_url("regierungsbezirk", None),
        # Compact rows keep the per-rerun message small: [status, inferred, tooltip].
        "features": {k: [f["status"], bool(f["inferred"]), f["tooltip"]] for k, f in features.items()},
        "styles": PALETTE,
        "legend": [{"status": item["status"], "label": html.escape(item["label"]),
                    "inferred": bool(item["inferred"])} for item in items],
        # The Bezirk labels belong to the NRW views, not to geometry given by the caller.
        "labels": [] if units_url else list(bezirk_labels()),
        "basemap": tiles and {**tiles, "attribution": html.escape(tiles["attribution"])},
        "attribution": html.escape(attribution),
        "height": MAP_HEIGHT,
    }


def render_map(level, region, features, legend, basemap="none", attribution="", key="coverage-map",
               units_url=None):
    """Draw (first run) or restyle (later runs) the coverage map.

    Parameters
    ----------
    level : str
        ``"gemeinde"``, ``"kreis"`` or ``"regierungsbezirk"``.
    region : str or None
        Regierungsbezirk key to zoom to and outline; ``None`` shows all NRW.
    features : dict
        Unit key -> ``{"status", "inferred", "tooltip"}``; tooltips already HTML-escaped.
    legend : list of dict
        ``{"status", "label", "inferred"}`` rows in display order (plain text).
    basemap : str
        ``"none"`` (default), ``"osm"`` or ``"basemapde"``.
    attribution : str
        Attribution line shown on the map (plain text).
    key : str
        Streamlit key; keep it stable so reruns update the same map.
    units_url : str, optional
        Geometry from :func:`write_geometry` to draw instead of the NRW view of
        ``level`` and ``region`` (the Germany scope of the benchmark).
    """
    if not (LEAFLET_JS.is_file() and TOPOJSON_JS.is_file()):
        st.error("Die Karte braucht Leaflet und topojson-client: bitte einmal `make install` ausführen.")
        return
    _component(key=key, default=None,
               **map_args(level, region, features, legend, basemap, attribution, units_url))
