"""The one palette of the atlas: screen map, standalone HTML, static maps and animations.

Colour-blind safe (blue / vermillion / grey, no red–green pair) and ordered in
lightness, so the classes survive grey-scale printing (CIELAB L* in brackets;
neighbours differ by at least 15). Colour is never the only mark: inferred
coverage is hatched, an undated documented membership is dotted, and what is
new since the compare date has a dark edge.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

DARK = "#1f4e89"      # (L 33) covered: own accession / every Gemeinde
LIGHT = "#78b1d4"     # (L 70) covered through the Kreis / some Gemeinden
NEW = "#d55e00"       # (L 54) Okabe–Ito vermillion: new since the compare date
NONE = "#d4d4d4"      # (L 85) not (yet) covered
MUTED = "#f3f3f3"     # (L 96) outside the chosen region
EDGE = "#ffffff"      # unit edges
INK = "#1a1a1a"       # text and the edge of what is new
SUBTLE_INK = "#555555"
OUTLINE = "#303030"   # Regierungsbezirk and Land outlines
HATCH_INK = "#ffffff"  # the stripes of inferred coverage over the status colour
DOT_INK = "#555555"   # the dots of an undated documented membership


@dataclass(frozen=True)
class Style:
    """How one status is drawn."""

    fill: str
    stroke: str = EDGE
    weight: float = 0.6
    pattern: str | None = None   # "dots" for undated memberships; hatching is per unit (inferred)

    def as_dict(self) -> dict:
        return asdict(self)


STYLES = {
    "member": Style(DARK),
    "full": Style(DARK),
    "via_kreis": Style(LIGHT),
    "partial": Style(LIGHT),
    "undated": Style(NONE, pattern="dots"),
    "not_yet": Style(NONE),
    "new": Style(NEW, stroke=INK, weight=1.5),
    "muted": Style(MUTED, stroke="#b0b0ab", weight=1.0),
    # The legend's swatch for hatching: grey stripes say "hatched" whatever the colour below.
    "hatch": Style("#767676"),
}
# matplotlib's names for the two patterns.
MPL_HATCH = {"inferred": "////", "dots": ".."}


def styles() -> dict[str, dict]:
    """Every style as JSON-ready dicts (the map component's ``styles`` argument).

    Examples
    --------
    >>> styles()["new"]
    {'fill': '#d55e00', 'stroke': '#1a1a1a', 'weight': 1.5, 'pattern': None}
    """
    return {status: style.as_dict() for status, style in STYLES.items()}
