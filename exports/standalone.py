"""Standalone interactive map: one HTML file that opens offline, without a server or a CDN.

The page *is* the dashboard's map component — ``dashboard/map_component/index.html``
with ``map.js`` — so hatching, outlines, labels, legend and tooltips are drawn by
the same code as in the app. Every file the component page loads (as
:mod:`dashboard.mapassets` lists them: Leaflet's JS and CSS, topojson-client,
``map.css``, ``map.js``) is inlined, the TopoJSON geometry travels as a
``data:`` URL that ``map.js`` fetches like its usual file, and the page posts itself the ``streamlit:render`` message Streamlit
would send. Its arguments come from :func:`viewmodel.component.component_args`,
the builder the dashboard uses, so the HTML and the screen of a view agree.

Everything from data that reaches markup is escaped here: names, sources,
labels and the attribution with :func:`html.escape`, and the embedded JSON
has ``</`` written as ``<\\/`` so no string can close the script element.
"""

from __future__ import annotations

import base64
import html
import json

from dashboard import mapassets
from exports import style
from loaders.coverage import Coverage
from loaders.errors import AtlasError
from loaders.viewstate import ViewState
from viewmodel.component import component_args, label_points
from viewmodel.model import ViewModel, build

# Full window map below a short header; overrides the fixed height map.js sets for the iframe.
PAGE_CSS = """
html, body { height: 100%; }
body { display: flex; flex-direction: column; color: #1a1a1a; }
header { flex: none; padding: 10px 16px 8px; }
header h1 { margin: 0 0 2px; font-size: 22px; }
header p { margin: 2px 0; font-size: 14px; }
header .subtle { color: #555555; }
#map { flex: 1 1 auto; height: auto !important; min-height: 420px; }
.leaflet-tooltip { white-space: normal; width: max-content; max-width: 320px; }
"""


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
    page = _inline_assets(mapassets.page())
    model = build(cov, view)
    # The Datenstand and the data version stand in every file, as on every picture.
    lines = [model.subtitle, model.figures_line, model.currency, model.data_version]
    classes = ["subtle", "", "subtle", "subtle"]  # subtitle, figures line, Datenstand, data version
    header = (
        f"<header><h1>{html.escape(title)}</h1>"
        + "".join(f'<p class="{cls}">{html.escape(line)}</p>' for cls, line in zip(classes, lines))
        + "</header>\n"
    )
    render = f'<script>window.postMessage({{type: "streamlit:render", args: {_script_json(map_args(cov, model))}}}, "*");</script>\n'
    if view.lang != "de":
        page = page.replace('<html lang="de">', f'<html lang="{view.lang}">', 1)
    page = page.replace("<title>Abdeckungskarte</title>", f"<title>{html.escape(title)}</title>", 1)
    page = page.replace("</head>", f"<style>{PAGE_CSS}</style>\n</head>", 1)
    page = page.replace("<body>\n", f"<body>\n{header}", 1)
    page = page.replace("</body>", f"{render}</body>", 1)
    return page.encode("utf-8")


def _inline_assets(page: str) -> str:
    """Replace the component page's stylesheet and script links by the files' contents."""
    if mapassets.missing():
        raise MissingLeaflet(
            "the HTML map needs Leaflet and topojson-client: run `make install` once "
            f"(scripts/install_leaflet.sh installs them into {mapassets.LEAFLET_DIR.parent})"
        )

    def inline(asset: mapassets.Asset, reference: str) -> str:
        # An inlined file must not end its own element early; "</" only occurs in strings there.
        text = asset.text().replace("</", "<\\/")
        return f"<style>\n{text}\n</style>" if asset.kind == "css" else f"<script>\n{text}\n</script>"

    return mapassets.rewrite(page, inline)


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
