"""The coverage map (CONTRACT STUB — the map implementation replaces the body).

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

Geometry is sent once per (level, level of detail); a date change only sends
``features`` (status per key), restyled on the client.
"""

from __future__ import annotations

STATUS_STYLES = ("member", "via_kreis", "not_yet", "new")


def render_map(level, region, features, legend, basemap="none", attribution="", key="coverage-map"):
    import streamlit as st

    st.info(f"Karte: {sum(1 for f in features.values() if f['status'] != 'not_yet')} von {len(features)} abgedeckt")
