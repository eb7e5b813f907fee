"""A local Leaflet for the baseline, which asks public CDNs for it.

The straightforward build (folium + streamlit-folium) loads Leaflet and a
handful of unused helper libraries from CDNs. There is no internet here, so
without help the baseline map stays blank and could not be timed at all. The
browser therefore answers CDN requests itself: Leaflet's JS and CSS from a
local copy, every other CDN script and stylesheet with an empty body (folium's
jQuery, Bootstrap and awesome-markers are not used by a GeoJson with
tooltips; they only have to "load" so streamlit-folium's one-by-one script
chain goes on). This *favours* the baseline (no network latency at all), and
the report says so.
"""

from __future__ import annotations

import contextlib
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

from benchmarks.server import REPO

VERSION = "1.9.4"
# Installed for the dashboard by scripts/install_leaflet.sh (hash-checked).
INSTALLED = REPO / "dashboard" / "map_component" / "vendor" / "leaflet"


@contextlib.contextmanager
def leaflet_dist() -> Iterator[tuple[Path, str]]:
    """Yield ``(directory with leaflet.js and leaflet.css, where it came from)``.

    Uses the copy ``make install`` put beside the map component; otherwise
    ``npm pack``\\ s Leaflet into a temporary directory removed afterwards.
    """
    if (INSTALLED / "leaflet.js").is_file() and (INSTALLED / "leaflet.css").is_file():
        yield INSTALLED, f"{INSTALLED.relative_to(REPO)} (installed from npm by make install)"
        return
    with tempfile.TemporaryDirectory(prefix="bench-leaflet-") as tmp:
        subprocess.run(["npm", "pack", "--silent", f"leaflet@{VERSION}"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL, timeout=120)
        with tarfile.open(Path(tmp) / f"leaflet-{VERSION}.tgz") as archive:
            archive.extractall(tmp, filter="data")
        yield Path(tmp) / "package" / "dist", f"npm pack leaflet@{VERSION} (temporary)"


class CdnStandIn:
    """A Playwright route handler that serves CDN requests locally and logs them."""

    def __init__(self, dist: Path):
        self.dist = dist
        self.served: list[str] = []   # URLs answered with the local Leaflet
        self.stubbed: list[str] = []  # URLs answered with an empty body
        self.aborted: list[str] = []  # anything else outside the app (tiles, fonts ...)

    def __call__(self, route) -> None:
        url = route.request.url
        name = url.split("?", 1)[0].rsplit("/", 1)[-1]
        if name in ("leaflet.js", "leaflet.css"):
            self.served.append(url)
            route.fulfill(path=str(self.dist / name),
                          content_type="application/javascript" if name.endswith(".js") else "text/css")
        elif name.endswith((".js", ".css")):
            self.stubbed.append(url)
            route.fulfill(status=200, body="",
                          content_type="application/javascript" if name.endswith(".js") else "text/css")
        else:
            self.aborted.append(url)
            route.abort()
