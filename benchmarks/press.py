"""Sizes of the press files: reported against their targets, never asserted in unit tests.

SVG of NRW at Gemeinde level (16:9), SVG of one Regierungsbezirk with a
compare date, PDF of NRW, and the open-data package — the bytes a newsroom's
content system or mail gateway has to take.
"""

from __future__ import annotations

import datetime as dt

from benchmarks.report import Series

DAY = dt.date(2024, 2, 1)


def measure() -> dict[str, Series]:
    """Bytes of each press file for the views named in the module docstring (one sample: the files are deterministic)."""
    from exports.dispatch import export
    from loaders.viewstate import ViewState
    from register import atlasdata

    cov = atlasdata.load_coverage()
    nrw = ViewState(DAY)
    detmold = ViewState(DAY, region="057", compare=dt.date(2024, 1, 31))
    return {
        "svg_nrw": Series([float(len(export(cov, nrw, "svg")))]),
        "svg_region_compare": Series([float(len(export(cov, detmold, "svg")))]),
        "pdf_nrw": Series([float(len(export(cov, nrw, "pdf")))]),
        # A draft: no publisher is configured here (the same files, marked as a draft).
        "datapackage_nrw": Series([float(len(export(cov, nrw, "datapackage", draft=True)))]),
    }
