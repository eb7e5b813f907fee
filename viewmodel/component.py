"""The arguments of the map component (``webparts/map_component``), built from a view model.

One builder for the dashboard's map and the standalone HTML export, so both
draw the same statuses, colours, legend and tooltips. Everything ``map.js``
inserts as HTML is escaped here (legend labels, attribution, Bezirk names);
tooltips arrive escaped from :mod:`viewmodel.text`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

from viewmodel import palette
from viewmodel.i18n import t
from viewmodel.model import ViewModel
from viewmodel.tips import TipTable, state_payload

MAP_HEIGHT = 580


def label_points(keys: Iterable[str], points: Iterable[Any], names: Mapping[str, str]) -> list[dict]:
    """Label records ``{key, name, lat, lon}``; names are escaped because they become HTML.

    Examples
    --------
    >>> from shapely import Point
    >>> label_points(["057"], [Point(8.8, 52.0)], {"057": "Det<b>mold"})
    [{'key': '057', 'name': 'Det&lt;b&gt;mold', 'lat': 52.0, 'lon': 8.8}]
    """
    return [
        {"key": key, "name": html.escape(str(names[key])), "lat": round(point.y, 5), "lon": round(point.x, 5)}
        for key, point in zip(keys, points)
    ]


def component_args(
    model: ViewModel,
    *,
    units_url: str,
    context_url: str | None,
    labels: list[dict],
    basemap: dict | None = None,
    attribution: str = "",
    height: int = MAP_HEIGHT,
    tips: TipTable | None = None,
    tips_url: str | None = None,
) -> dict:
    """JSON-serialisable keyword arguments of the map component for ``model``.

    Parameters
    ----------
    model : ViewModel
        What the view shows.
    units_url, context_url : str
        Where the page fetches the units' TopoJSON, and the Bezirke drawn muted
        around a chosen region (None for NRW).
    labels : list of dict
        Bezirk labels from :func:`label_points`.
    basemap : dict, optional
        ``{"url", "attribution", "max_zoom"}`` of a tile layer (plain text), or None.
    attribution : str
        The required geodata attribution (plain text).
    height : int
        Map height in pixels.
    tips, tips_url : TipTable and str, optional
        The fixed part of the tooltips (:func:`viewmodel.tips.fixed_table`)
        and where the page fetches it, written by :func:`fixed_payload`.
        Given both, the arguments carry ``state`` (a code and line positions
        per unit, :func:`viewmodel.tips.state_payload`) instead of
        ``features`` (status, hatched, the whole tooltip and "new" per unit), and
        neither styles nor labels (they are in that file): what a rerun sends
        then is a few bytes per unit.
    """
    compact = tips if tips_url else None  # the fixed tooltip table, where the page fetches it
    return {
        "level": model.state.level,
        "region": model.state.region,
        "units_url": units_url,
        "context_url": context_url,
        # Per unit [status, hatched, tooltip, new] — or, with a fixed tooltip table, its compact state.
        **(
            {"tips_url": tips_url, "state": state_payload(compact, model)}
            if compact is not None
            else {"features": model.features(), "styles": palette.styles(), "labels": labels}
        ),
        "legend": [
            {"status": item["status"], "label": html.escape(item["label"]), "inferred": bool(item["inferred"])}
            for item in model.legend
        ],
        "ring": list(palette.RING_WIDTHS),
        "basemap": basemap and {**basemap, "attribution": html.escape(basemap["attribution"])},
        "attribution": html.escape(attribution),
        "height": height,
        "a11y": accessibility(model),
    }


# The map's own words (keyboard help, live-region phrases, control names), by i18n key.
MAP_WORDS = (
    "map_label",
    "map_position",
    "map_left",
    "map_legend",
    "map_zoom_in",
    "map_zoom_out",
    "map_details_close",
    "map_failed",
)


def accessibility(model: ViewModel) -> dict:
    """What the map needs to be usable without sight or mouse (plain text; ``map.js`` sets it as text).

    The view's description (:func:`viewmodel.describe.describe`) is the map's
    accessible description; the words name its controls and phrase its
    live-region announcements; the colours are the palette's focus ring and
    legend swatch edge.

    Examples
    --------
    >>> import datetime as dt
    >>> from register import atlasdata
    >>> from loaders.viewstate import ViewState
    >>> from viewmodel.model import build
    >>> a11y = accessibility(build(atlasdata.load_coverage(), ViewState(dt.date(2024, 2, 1), lang="en")))
    >>> a11y["lang"], a11y["words"]["map_legend"], a11y["description"][:40]
    ('en', 'Legend', 'Map: Municipalities, North Rhine-Westpha')
    """
    lang = model.state.lang
    return {
        "lang": lang,
        "description": model.description,
        "words": {key: t(key, lang) for key in MAP_WORDS},
        "focus": [palette.FOCUS_INK, palette.FOCUS_HALO],
        "swatch_edge": palette.SWATCH_EDGE,
    }


def fixed_payload(tips: TipTable, labels: list[dict]) -> dict:
    """The file a compact map fetches once (content-hashed, cached by the browser).

    The fixed tooltip table, the palette's styles and the Bezirk labels: what
    :func:`component_args` leaves out of every rerun when given ``tips``.
    """
    return {**tips.payload(), "styles": palette.styles(), "labels": labels}
