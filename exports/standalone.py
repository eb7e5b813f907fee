"""Standalone interactive map: one HTML file that opens offline, without a server or a CDN.

The page *is* the dashboard's map component — ``dashboard/map_component/index.html``
with ``map.js`` — so hatching, outlines, labels, legend and tooltips are drawn by
the same code as in the app. Every file the component page loads (Leaflet's
JS and CSS from ``vendor/leaflet``, topojson-client from ``vendor/topojson-client``,
``map.css``, ``map.js``) is inlined, the TopoJSON geometry travels as a
``data:`` URL that ``map.js`` fetches like its usual file, and the page posts itself the ``streamlit:render`` message Streamlit
would send. Colours and words are those of the static exports
(:mod:`exports.style`), so the HTML and the PNG of a view agree.

Everything from data that reaches markup is escaped here: names, sources,
labels and the attribution with :func:`html.escape`, and the embedded JSON
has ``</`` written as ``<\\/`` so no string can close the script element.
"""

from __future__ import annotations

import base64
import html
import json
import re

import pandas as pd

from exports import style
from exports.data import view_table
from exports.mapfig import figures_line, subtitle_line
from loaders.accessions import TERRITORIAL_KINDS
from loaders.coverage import Coverage
from loaders.dates import format_partial_german
from loaders.errors import AtlasError
from loaders.paths import PROJECT_ROOT
from loaders.viewstate import ViewState

COMPONENT_DIR = PROJECT_ROOT / "dashboard" / "map_component"
LEAFLET_DIR = COMPONENT_DIR / "vendor" / "leaflet"
TOPOJSON_JS = COMPONENT_DIR / "vendor" / "topojson-client" / "topojson-client.min.js"
# The component page references its files exactly like this (see index.html).
_ASSET = re.compile(r'<link rel="stylesheet" href="([^"]+)">|<script src="([^"]+)"></script>')
# A few names per unit are enough for a tooltip; the data exports list them all.
MAX_TOOLTIP_MEMBERS = 5
MUTED_STYLE = "muted"

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
        Page heading; empty means :data:`exports.style.DEFAULT_TITLE`.

    Returns
    -------
    bytes
        Identical for identical inputs.

    Raises
    ------
    MissingLeaflet
        When ``scripts/install_leaflet.sh`` (``make install``) has not been run.
    """
    title = (title or "").strip() or style.DEFAULT_TITLE
    page = _inline_assets((COMPONENT_DIR / "index.html").read_text(encoding="utf-8"))
    header = (f"<header><h1>{html.escape(title)}</h1>"
              f"<p class=\"subtle\">{html.escape(subtitle_line(cov, view))}</p>"
              f"<p>{html.escape(figures_line(cov, view))}</p></header>\n")
    render = f"<script>window.postMessage({{type: \"streamlit:render\", args: {_script_json(map_args(cov, view))}}}, \"*\");</script>\n"
    page = page.replace("<title>Abdeckungskarte</title>", f"<title>{html.escape(title)}</title>", 1)
    page = page.replace("</head>", f"<style>{PAGE_CSS}</style>\n</head>", 1)
    page = page.replace("<body>\n", f"<body>\n{header}", 1)
    page = page.replace("</body>", f"{render}</body>", 1)
    return page.encode("utf-8")


def _inline_assets(page: str) -> str:
    """Replace the component page's stylesheet and script links by the files' contents."""
    if not ((LEAFLET_DIR / "leaflet.js").is_file() and TOPOJSON_JS.is_file()):
        raise MissingLeaflet("the HTML map needs Leaflet and topojson-client: run `make install` once "
                             f"(scripts/install_leaflet.sh installs them into {LEAFLET_DIR.parent})")

    def inline(match: re.Match) -> str:
        css, js = match.groups()
        # An inlined file must not end its own element early; "</" only occurs in strings there.
        text = (COMPONENT_DIR / (css or js)).read_text(encoding="utf-8").replace("</", "<\\/")
        return f"<style>\n{text}\n</style>" if css else f"<script>\n{text}\n</script>"

    return _ASSET.sub(inline, page)


def _script_json(value) -> str:
    """JSON that is safe inside a ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\u0021--")


def map_args(cov: Coverage, view: ViewState) -> dict:
    """The render arguments ``map.js`` expects (see ``dashboard/mapview.py``), geometry embedded."""
    from loaders import webgeometry
    from loaders.store import load_web_units

    table = view_table(cov, view)
    # The dashboard's levels of detail: light for all NRW, finer for one Bezirk.
    web = load_web_units("overview" if view.region is None else "region")
    overview = load_web_units("overview")
    bezirke = overview[overview["level"] == "regierungsbezirk"]
    points = bezirke.geometry.representative_point()
    labels = [{"key": key, "name": html.escape(cov.name_of(key)), "lat": round(p.y, 5), "lon": round(p.x, 5)}
              for key, p in zip(bezirke["key"], points)]
    return {
        "level": view.level,
        "region": view.region,
        "units_url": _data_url(webgeometry.to_topojson(web, view.level, table["key"])),
        "context_url": None if view.region is None
        else _data_url(webgeometry.to_topojson(overview, "regierungsbezirk")),
        "features": _features(cov, view, table),
        "styles": _styles(),
        "legend": _legend(view, table),
        "labels": labels,
        "basemap": None,   # tiles would need the network; the file must work offline
        "attribution": html.escape(" · ".join(style.attribution_pieces())),
        "height": 600,
    }


def _data_url(topojson: str) -> str:
    return "data:application/json;base64," + base64.b64encode(topojson.encode("utf-8")).decode("ascii")


def _styles() -> dict:
    # White unit edges as in the static maps; the new units get a dark edge for grey-scale print.
    styles = {status: {"fill": colour, "stroke": "#ffffff", "weight": 0.6}
              for status, colour in style.COLOURS.items()}
    styles["new"] = {"fill": style.COLOURS["new"], "stroke": style.TEXT, "weight": 1.5}
    # map.js draws the Bezirke outside the chosen one in these colours; the legend must match.
    styles[MUTED_STYLE] = {"fill": "#e6e6e3", "stroke": "#b0b0ab", "weight": 1}
    return styles


def _legend(view: ViewState, table: pd.DataFrame) -> list[dict]:
    items = [{"status": status, "label": html.escape(label), "inferred": False}
             for status, label in style.STATUS_LABELS[view.level].items()]
    if view.compare is not None:
        items.insert(-1, {"status": "new", "label": html.escape(style.new_label(view.compare)), "inferred": False})
    if (table["evidence"] == "inferred").any():
        items.append({"status": "member", "label": html.escape(style.INFERRED_LABEL), "inferred": True})
    if view.region:
        items.append({"status": MUTED_STYLE, "label": html.escape(style.MUTED_LABEL), "inferred": False})
    return items


def _features(cov: Coverage, view: ViewState, table: pd.DataFrame) -> dict[str, list]:
    """unit key -> [status, inferred, tooltip HTML]; every value from data is escaped."""
    esc = html.escape
    labels = style.STATUS_LABELS[view.level]
    new = table["new"].to_numpy() if "new" in table else [False] * len(table)
    members = _member_names(cov, view)
    out = {}
    for row, is_new in zip(table.itertuples(index=False), new):
        status = f"{labels[row.status]} – {style.new_label(view.compare)}" if is_new else labels[row.status]
        lines = [f"<b>{esc(str(row.name))}</b> ({esc(row.key)})", f"Status: {esc(status)}"]
        if view.level != "gemeinde":
            lines.append(f"Gemeinden abgedeckt: {row.gemeinden_covered} von {row.gemeinden_total}")
        if row.since is not None and not pd.isna(row.since):
            lines.append(f"Seit: {esc(format_partial_german(str(row.since), str(row.since_precision)))}")
        if row.evidence is not None and not pd.isna(row.evidence):
            lines.append("Evidenz: " + ("abgeleitet" if row.evidence == "inferred" else "einzeln belegt"))
        if row.source is not None and not pd.isna(row.source):
            lines.append(f"Quelle: {esc(str(row.source))}")
        names = members.get(row.key, [])
        if names:
            shown = ", ".join(esc(name) for name in names[:MAX_TOOLTIP_MEMBERS])
            more = f" … ({len(names)} insgesamt)" if len(names) > MAX_TOOLTIP_MEMBERS else ""
            lines.append(f"Mitglieder: {shown}{more}")
        out[row.key] = ["new" if is_new else row.status, row.evidence == "inferred", "<br>".join(lines)]
    return out


def _member_names(cov: Coverage, view: ViewState) -> dict[str, list[str]]:
    """Names of the organisations active on the Stichtag whose accession row names a unit of the level."""
    active = cov.members_as_of(view.date, view.evidence, view.region)
    kinds = [kind for kind, level in TERRITORIAL_KINDS.items() if level == view.level]
    # Non-territorial members (unions, courts, ...) carry the key of their seat Gemeinde.
    rows = active[active["kind"].isin(kinds) | (view.level == "gemeinde")
                  & ~active["kind"].isin(list(TERRITORIAL_KINDS))]
    return {key: sorted(group["name"].astype(str)) for key, group in rows.groupby("key", sort=True)}
