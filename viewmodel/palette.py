"""The one palette of the atlas: screen map, standalone HTML, static maps and animations.

Colour-blind safe (blue / orange / grey, no red–green pair) and ordered in
lightness, so the classes survive grey-scale printing (CIELAB L* in brackets).
Colour is never the only mark: inferred coverage is hatched, an undated
documented membership is dotted, and what is new since the compare date keeps
its own status's fill (so "new" never hides whether a unit is partly or fully
covered) and gets a ring: a dark line on an orange band.

WCAG 2.1 1.4.11 (non-text contrast, tested in ``tests/unit/test_accessibility.py``):
not covered, partly covered and covered fills differ from each other by at
least 3:1; of the ring's two tones one stands 3:1 against any fill (the orange
against the dark fill, the dark line against the others); a not-covered
unit's grey edge is 3:1 against its own fill; legend swatches have an edge of
3:1 against the legend's white (on screen and in every picture); the map's focus
ring is dark on a white halo, 3:1 against any fill. Hatching is the status's
colour on white (screen) or white on it (pictures): 3:1 either way. The orange
is never a mark on its own: beside white or a light fill (2:1) the ring's dark
line carries it, so no series, line or swatch is drawn in orange alone (the
charts' second series is the light blue).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

DARK = "#163a66"  # (L 24) covered: own accession / every Gemeinde
LIGHT = "#4f8fc0"  # (L 57) covered through the Kreis / some Gemeinden
NEW = "#f0a830"  # (L 76) orange: the band of the ring around what is new since the compare date
NONE = "#f0f0f0"  # (L 95) not (yet) covered
MUTED = "#dddcd6"  # (L 88) outside the chosen region: a warm grey, never mistaken for "not yet" (L 95)
EDGE = "#ffffff"  # unit edges
NONE_EDGE = "#858585"  # the edge of a unit not (yet) covered: 3:1 against its light fill
INK = "#1a1a1a"  # text and the edge of what is new
SUBTLE_INK = "#555555"
OUTLINE = "#303030"  # Regierungsbezirk and Land outlines
HATCH_INK = "#ffffff"  # the stripes of inferred coverage over the status colour
DOT_INK = "#555555"  # the dots of an undated documented membership
SWATCH_EDGE = "#595959"  # legend swatches: 3:1 (7:1) against the legend's white
FOCUS_INK = "#000000"  # the map's focus ring, drawn over a white halo
FOCUS_HALO = "#ffffff"
# The timeline charts (webparts/chart_component): lines and markers 3:1 against white, text 4.5:1.
STICHTAG = "#c0392b"  # the Stichtag's rule (5.4:1)
GRID = "#e3e3e3"  # grid lines: decoration only, below the 3:1 of the data


@dataclass(frozen=True)
class Style:
    """How one status is drawn."""

    fill: str
    stroke: str = EDGE
    weight: float = 0.6
    pattern: str | None = None  # "dots" for undated memberships; hatching is per unit (inferred)

    def as_dict(self) -> dict:
        """The style as a plain dict (for JSON)."""
        return asdict(self)


STYLES = {
    "member": Style(DARK),
    "full": Style(DARK),
    "via_kreis": Style(LIGHT),
    "partial": Style(LIGHT),
    "undated": Style(NONE, stroke=NONE_EDGE, pattern="dots"),
    "not_yet": Style(NONE, stroke=NONE_EDGE),
    # Not a fill: the ring drawn over a new unit's own fill — the band in ``fill``, the line in ``stroke``.
    "new": Style(NEW, stroke=INK, weight=1.5),
    "muted": Style(MUTED, stroke="#b0b0ab", weight=1.0),
}
# The ring around what is new: widths of its band and of its line, in screen pixels (points in print).
RING_WIDTHS = (5.0, 2.0)
# matplotlib's names for the two patterns.
MPL_HATCH = {"inferred": "////", "dots": ".."}


def styles() -> dict[str, dict]:
    """Every style as JSON-ready dicts (the map component's ``styles`` argument).

    Examples
    --------
    >>> styles()["new"]
    {'fill': '#f0a830', 'stroke': '#1a1a1a', 'weight': 1.5, 'pattern': None}
    """
    return {status: style.as_dict() for status, style in STYLES.items()}
