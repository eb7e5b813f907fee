"""The timeline charts: a Streamlit component v2 of ours that draws each chart as plain SVG, in the page (no iframe).

Vega-Lite showed the values on mouse hover only and has no keyboard
operation. ``chart_component/chart.js`` is one tab stop per chart: ← / →
walk the points, Home / End jump, each point gets markers and a tooltip and
is announced in a polite live region, Escape leaves.

What a chart shows comes from :mod:`viewmodel.charts` (words, colours,
points). It depends on the evidence filter, region, language and today, not
on the Stichtag, so it is written once into a content-addressed data file
(:mod:`dashboard.datafiles`, like the map's geometry), fetched once by the
browser, and a Stichtag change sends only the file's URL, the Stichtag /
compare rules and the chart's height (about 150 bytes per chart).
"""

from __future__ import annotations

import datetime as dt
import functools
import json

from dashboard import datafiles, urls
from dashboard.mapview import declared
from loaders import accessions, provenance
from loaders.viewstate import EVIDENCE_FILTERS, FIRST_DAY, LANGUAGES, REGION_KEYS
from register import atlasdata
from viewmodel import charts
from viewmodel.model import remember
from webparts.components import CHART_NAME as NAME

# Chart heights in pixels, fixed by the server (title, plot and a legend that wraps on a phone).
HEIGHTS = {"coverage": 380, "sizes": 440}  # sizes: and the list of values published without a date


def data_url(chart: dict, stem: str) -> str:
    """Write a chart's data (:mod:`viewmodel.charts`) as a data file once (:mod:`dashboard.datafiles`); its URL."""
    return datafiles.data_url(f"chart-{stem}", payload(chart))


def payload(chart: dict) -> bytes:
    """A chart's data as the browser fetches it (JSON)."""
    return json.dumps(chart, ensure_ascii=False, separators=(",", ":")).encode()


def render_chart(url: str, rules: list[list[str]], height: int, key: str) -> None:
    """Draw (first run) or move the rules of (later runs) the chart whose data is at ``url``."""
    declared(NAME)(key=key, data={"name": key, "data": url, "rules": rules, "height": height})


@functools.cache
def events():
    """The regional events in date order (the charts mark them; the atlas's playback stops at them)."""
    return accessions.read_events().sort_values("date").reset_index(drop=True)


def coverage_chart(cov, evidence: str, region: str | None, today: dt.date, lang: str) -> dict:
    """The coverage chart's data (it does not depend on the Stichtag): points up to the Datenstand."""
    frame = cov.timeline(evidence, region, start=FIRST_DAY, end=provenance.figures_day(cov, today))
    return charts.coverage_chart(frame, events(), FIRST_DAY, today, lang, provenance.data_as_of(cov))


def sizes_chart(cov, today: dt.date, lang: str) -> dict:
    """The network sizes chart's data."""
    return charts.sizes_chart(accessions.read_network_sizes(), FIRST_DAY, today, lang, provenance.data_as_of(cov))


def coverage_url(cov, evidence: str, region: str | None, today: dt.date, lang: str) -> str:
    """The URL of :func:`coverage_chart`'s file, written once per coverage model and argument tuple."""
    return remember(
        cov,
        ("chart-url", "coverage", evidence, region, today, lang, urls.base_path()),
        lambda: data_url(coverage_chart(cov, evidence, region, today, lang), coverage_stem(evidence, region, lang)),
    )


def coverage_stem(evidence: str, region: str | None, lang: str) -> str:
    """The name of a coverage chart's data file for an evidence filter, region and language."""
    return f"coverage-{evidence}-{region or 'nrw'}-{lang}"


def sizes_url(cov, today: dt.date, lang: str) -> str:
    """The URL of :func:`sizes_chart`'s file, written once per coverage model and argument tuple."""
    return remember(
        cov,
        ("chart-url", "sizes", today, lang, urls.base_path()),
        lambda: data_url(sizes_chart(cov, today, lang), f"sizes-{lang}"),
    )


@datafiles.recipe("chart-coverage")
def _coverage_again(evidence: str, region: str, lang: str) -> bytes:
    """A coverage chart's bytes from its stem's words (``chart-coverage-<evidence>-<region|nrw>-<lang>``)."""
    key = None if region == "nrw" else region
    if evidence not in EVIDENCE_FILTERS or (key is not None and key not in REGION_KEYS) or lang not in LANGUAGES:
        raise ValueError("no such chart")
    return payload(coverage_chart(atlasdata.load_coverage(), evidence, key, dt.date.today(), lang))


@datafiles.recipe("chart-sizes")
def _sizes_again(lang: str) -> bytes:
    """The sizes chart's bytes from its stem's words (``chart-sizes-<lang>``)."""
    if lang not in LANGUAGES:
        raise ValueError("no such chart")
    return payload(sizes_chart(atlasdata.load_coverage(), dt.date.today(), lang))
