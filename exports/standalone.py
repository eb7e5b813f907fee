"""Standalone interactive map: one HTML file that opens offline, without a server or a CDN.

The map *is* the dashboard's map component — ``webparts/map_component/map.js``
— so hatching, outlines, labels, legend, tooltip and details panel are drawn by
the same code as in the app. Every file the component loads (as
:mod:`webparts.components` lists them: Leaflet's JS and CSS, topojson-client,
``map.css``, ``map.js``) is inlined, the TopoJSON geometry travels as a
``data:`` URL that ``map.js`` fetches like its usual file, and the page calls
the module's mount function as Streamlit would. Its arguments come from
:func:`viewmodel.component.component_args`, the builder the dashboard uses, so
the HTML and the screen of a view agree. One document with one ``h1`` (the
title) and one ``main`` (the map), in the view's language.

Everything from data that reaches markup is escaped here: names, sources,
labels and the attribution with :func:`html.escape`, and the embedded JSON
has ``</`` written as ``<\\/`` so no string can close the script element.
"""

from __future__ import annotations

import base64
import html
import json

from exports import style
from loaders.coverage import Coverage
from loaders.errors import AtlasError
from loaders.viewstate import ViewState
from viewmodel.component import component_args, label_points
from viewmodel.model import ViewModel, build
from webparts import components

# Full window map below a short header; overrides the fixed height map.js sets for the map.
PAGE_CSS = """
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; color: #1a1a1a; font-family: "Source Sans Pro", system-ui, sans-serif; }
header { flex: none; padding: 10px 16px 8px; }
header h1 { margin: 0 0 2px; font-size: 22px; }
header p { margin: 2px 0; font-size: 14px; }
header .subtle { color: #555555; }
main, #sid-map, #sid-map .sid-map, #sid-map .layout, #sid-map .map-box { display: flex; flex-direction: column; flex: 1 1 auto; }
#sid-map .layout { display: grid; }
#sid-map .map { flex: 1 1 auto; height: auto !important; min-height: 420px; }
#sid-map .details { max-height: none; align-self: start; }
"""
PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{styles}
<style>{page_css}</style>
</head>
<body>
{header}<main><div id="sid-map"></div></main>
{scripts}
</body>
</html>
"""


#: The id of the element that holds the map's arguments (JSON) in the page.
DATA_ID = "sid-map-data"


class MissingLeaflet(AtlasError):
    """Leaflet or topojson-client is not installed in the map component, so no page can be built."""


def render_html(cov: Coverage, view: ViewState, title: str | None = None) -> bytes:
    """The interactive map of ``view`` as one self-contained UTF-8 HTML file.

    Parameters
    ----------
    cov : Coverage
        The coverage model.
    view : ViewState
        Stichtag, compare date, level, region and evidence filter.
    title : str, optional
        Page heading; empty means :func:`exports.style.default_title` in the view's language.

    Returns
    -------
    bytes
        Identical for identical inputs.

    Raises
    ------
    MissingLeaflet
        When ``scripts/install_leaflet.sh`` (``make install``) has not been run.
    """
    title = (title or "").strip() or style.default_title(view.lang)
    styles, scripts, module = _inline_assets()
    model = build(cov, view)
    # The Datenstand and the data version stand in every file, as on every picture.
    lines = [model.subtitle, model.figures_line, model.currency, model.data_version]
    classes = ["subtle", "", "subtle", "subtle"]  # subtitle, figures line, Datenstand, data version
    header = (
        f"<header><h1>{html.escape(title)}</h1>"
        + "".join(f'<p class="{cls}">{html.escape(line)}</p>' for cls, line in zip(classes, lines))
        + "</header>\n"
    )
    # The map's arguments as data, then its module and the call Streamlit would make: the same mount, the
    # page's element.
    mount = (
        f'<script type="application/json" id="{DATA_ID}">{_script_json(map_args(cov, model))}</script>\n'
        f'<script type="module">\n{module}\n'
        f'mountMap({{parentElement: document.getElementById("sid-map"), '
        f'data: JSON.parse(document.getElementById("{DATA_ID}").textContent)}});\n</script>'
    )
    page = PAGE.format(
        lang=html.escape(view.lang),
        title=html.escape(title),
        styles=styles,
        page_css=PAGE_CSS,
        header=header,
        scripts=f"{scripts}\n{mount}",
    )
    return page.encode("utf-8")


def _inline_assets() -> tuple[str, str, str]:
    """The component's files as the page inlines them: stylesheets, plain scripts, and the map module's text."""
    if components.missing():
        raise MissingLeaflet(
            "the HTML map needs Leaflet and topojson-client: run `make install` once "
            f"(scripts/install_leaflet.sh installs them into {components.LEAFLET_DIR.parent})"
        )
    styles, scripts, module = [], [], ""
    for asset in components.assets():
        # An inlined file must not end its own element early; "</" only occurs in strings there.
        text = asset.text().replace("</", "<\\/")
        if asset.kind == "css":
            styles.append(f"<style>\n{text}\n</style>")
        elif asset.kind == "js":
            scripts.append(f"<script>\n{text}\n</script>")
        else:
            module = text
    return "\n".join(styles), "\n".join(scripts), module


def _script_json(value) -> str:
    """JSON that is safe inside a ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\u0021--")


def map_args(cov: Coverage, model: ViewModel) -> dict:
    """The render arguments ``map.js`` expects, geometry embedded as ``data:`` URLs."""
    from loaders import webgeometry
    from loaders.store import load_web_units

    view = model.state
    # The dashboard's levels of detail: light for all NRW, finer for one Bezirk.
    web = load_web_units("overview" if view.region is None else "region")
    overview = load_web_units("overview")
    bezirke = overview[overview["level"] == "regierungsbezirk"]
    names = {key: cov.name_of(key) for key in bezirke["key"]}
    return component_args(
        model,
        units_url=_data_url(webgeometry.to_topojson(web, view.level, model.units["key"])),
        context_url=None if view.region is None else _data_url(webgeometry.to_topojson(overview, "regierungsbezirk")),
        labels=label_points(bezirke["key"], bezirke.geometry.representative_point(), names),
        basemap=None,  # tiles would need the network; the file must work offline
        attribution=" · ".join(style.attribution_pieces()),
        height=600,
    )


def _data_url(topojson: str) -> str:
    return "data:application/json;base64," + base64.b64encode(topojson.encode("utf-8")).decode("ascii")
