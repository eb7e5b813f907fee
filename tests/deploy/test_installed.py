"""The atlas as an operator installs it: a wheel built from the checkout, a fresh virtual environment, nothing writable.

The wheel is built from a copy of the checkout's tracked files plus the
npm-installed Leaflet and topojson-client (what a clean clone holds after
``make install``), installed with pip into a virtual environment outside the
checkout (:func:`benchmarks.hosts.install`), and both are made read-only.
``sid-atlas serve`` then runs from the read-only checkout copy as its working
directory — as an unprivileged user when the test runs as root, since root
ignores file modes — with only ``$SID_ATLAS_CACHE`` and ``$SID_ATLAS_DATA``
writable. Chromium draws the map and downloads an export; afterwards not one
file of the installation or the checkout has changed, and everything derived
is in the cache.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from benchmarks import hosts
from loaders import paths
from tests.browser import support
from tests.deploy.conftest import official_geodata, unavailable

pytestmark = [pytest.mark.deploy, pytest.mark.server, pytest.mark.browser]


@pytest.fixture(scope="module")
def chromium():
    if not os.access(support.CHROMIUM, os.X_OK):
        unavailable(f"{support.CHROMIUM} is missing (apt-get install chromium)")


def test_the_wheel_holds_every_asset_and_nothing_derived(installed):
    import zipfile

    atlas = installed
    names = set(zipfile.ZipFile(atlas.wheel).namelist())
    for asset in (
        "dashboard/page.css",
        "dashboard/page.js",
        "dashboard/.streamlit/config.toml",
        "dashboard/texts/barrierefreiheit.de.md",
        "dashboard/texts/barrierefreiheit.en.md",
        "dashboard/texts/barrierefreiheit.maengel.toml",
        "dashboard/texts/leichte-sprache.de.md",
        "webparts/map_component/index.js",
        "webparts/map_component/index.css",
        "webparts/map_component/map.js",
        "webparts/map_component/map.css",
        "webparts/map_component/vendor/leaflet/leaflet.js",
        "webparts/map_component/vendor/leaflet/leaflet.css",
        "webparts/map_component/vendor/topojson-client/topojson-client.min.js",
        "webparts/chart_component/index.js",
        "webparts/chart_component/index.css",
        "webparts/chart_component/chart.js",
        "webparts/chart_component/chart.css",
        "loaders/shipped/accessions.csv",
        "loaders/shipped/sources.toml",
        "loaders/shipped/data-version.toml",
        "exports/vocabularies.ttl",
        "exports/taggedpdf.typ",
        "deploy/nginx.conf.template",
        "deploy/systemd/sid-atlas@.service",
    ):
        assert asset in names, asset
    # Derived from licensed geodata, or state: never in the wheel.
    assert not [n for n in names if n.endswith((".json", ".parquet", ".sqlite", ".npz")) or "/cache/" in n]
    # The installed code is the wheel's, not the checkout's.
    python = atlas.venv / "bin" / "python"
    where = subprocess.run(
        [python, "-c", "import dashboard, loaders.paths as p; print(dashboard.__file__); print(p.CHECKOUT)"],
        capture_output=True,
        text=True,
        check=True,
        cwd="/",
    ).stdout.split("\n")
    assert where[0].startswith(str(atlas.venv)) and where[1] == "None"


@contextlib.contextmanager
def served(atlas: hosts.Installed, geodata: Path, folder: Path):
    """``sid-atlas serve`` of the installation on a free loopback port, as an unprivileged user if we are root."""
    from deploy import scaleout

    cache, data = folder / "cache", folder / "data"
    for made in (cache, data):
        made.mkdir(parents=True)
        if os.geteuid() == 0:
            os.chown(made, hosts.NOBODY, hosts.NOBODY)
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "HOME": str(cache),
        "XDG_CACHE_HOME": str(cache),
        paths.CACHE_ENV: str(cache),
        paths.DATA_ENV: str(data),
        paths.GEODATA_ENV: str(geodata),
    }
    port = scaleout.free_port()
    command = [*hosts.unprivileged(), str(atlas.cli), "serve", "--port", str(port)]
    log = folder / "serve.log"
    with open(log, "wb") as out:
        # The working directory is the read-only checkout: nothing may be written relative to it either.
        process = subprocess.Popen(
            command, cwd=atlas.checkout, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            scaleout.wait_healthy(url, process, log, timeout=240)  # the first start prepares the cache from the geodata
        except RuntimeError as error:
            pytest.fail(f"{error}:\n{log.read_text(errors='replace')[-3000:]}")
        yield url, cache, data, log
    finally:
        hosts.stop(process)


def test_the_installed_atlas_serves_from_a_read_only_tree(installed, chromium):
    from PIL import Image

    atlas, geodata = installed, official_geodata()
    before = atlas.states()
    folder = Path(tempfile.mkdtemp(prefix="sidh-served-", dir="/tmp"))
    folder.chmod(0o755)
    try:
        with served(atlas, geodata, folder) as (url, cache, data, log):

            def visit(browser):
                context = browser.new_context(
                    viewport={"width": 1400, "height": 1000}, locale="de-DE", accept_downloads=True
                )
                answers: dict[str, int] = {}
                context.on("response", lambda response: answers.__setitem__(response.url, response.status))
                try:
                    page = context.new_page()
                    page.goto(f"{url}/?date=2024-02-01&region=057")
                    support.map_root(page)
                    support.wait_in_map(page, "(root) => root.querySelectorAll('path[data-status]').length === 70")
                    drawn = support.in_map(
                        page,
                        "(root) => root.querySelectorAll('path[data-status=member], path[data-status=new]').length",
                    )
                    page.get_by_text("70 von 70").first.wait_for()
                    support.shoot(page, "installed-read-only-map.png")
                    page.get_by_role("heading", name="Export für die Presse").scroll_into_view_if_needed()
                    page.get_by_text("Dateien für diese Ansicht anbieten").click()
                    with page.expect_download(timeout=120_000) as event:
                        page.get_by_role("button", name="PNG", exact=True).click()
                    png = Path(event.value.path()).read_bytes()
                    # The tagged PDF: typeset by Typst from the template shipped in the package (exports/taggedpdf.typ).
                    with page.expect_download(timeout=120_000) as event:
                        page.get_by_role("button", name="PDF", exact=True).click()
                    pdf = Path(event.value.path()).read_bytes()
                    # The Erklärung and „Leichte Sprache“: their texts and the list of failures from the package.
                    pages = {}
                    for path, heading in (
                        ("/barrierefreiheit", "Erklärung zur Barrierefreiheit"),
                        ("/leichte-sprache", "Leichte Sprache"),
                    ):
                        page.goto(url + path)
                        page.get_by_role("heading", name=heading, exact=True).wait_for()
                        page.wait_for_timeout(1000)
                        pages[path] = page.locator("main").inner_text()
                    return drawn, png, pdf, pages, answers
                finally:
                    context.close()

            drawn, png, pdf, pages, answers = hosts.inside(None, "", lambda: support.with_chromium(visit))
            text = log.read_text(errors="replace")
            cached = {p.relative_to(cache).as_posix() for p in cache.rglob("*")}
            stored = list(data.iterdir())
        after = atlas.states()
    finally:
        hosts.writable(folder)
        shutil.rmtree(folder, ignore_errors=True)

    assert drawn == 70  # every Gemeinde of RB Detmold drawn as covered
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width >= 1000
    assert pdf.startswith(b"%PDF-") and b"pdfuaid" in pdf  # PDF/UA-1, from the shipped Typst template
    from dashboard import bitv

    # Every area of the open failures (barrierefreiheit.maengel.toml, package data) heads a list in the Erklärung.
    areas = {bitv.AREA_WORDS[failure.area][0] for failure in bitv.open_failures()}
    assert "Ombudsstelle" in pages["/barrierefreiheit"] and areas
    assert all(area in pages["/barrierefreiheit"] for area in areas), areas
    assert len(pages["/leichte-sprache"]) > 1000
    data_files = {u: s for u, s in answers.items() if "/_sid/daten/" in u}
    # The map's geometry, the Bezirke around it, its tooltips and both charts' data: from the cache, all there.
    assert len(data_files) >= 5 and set(data_files.values()) == {200}, data_files
    assert "Traceback" not in text and "OSError" not in text and "Read-only" not in text
    # Nothing of the installation or of the checkout was written; everything derived went to the cache.
    assert after == before
    assert cached >= {"daten/" + u.rsplit("/", 1)[1] for u in data_files}
    assert {p.split("-")[0] for p in cached if p.endswith(".parquet")} >= {"units", "attributes", "web"}
    assert not stored  # no register configured and no report sent: the data folder stays empty


def test_an_unwritable_cache_stops_the_start_with_one_line(installed):
    atlas = installed
    folder = Path(tempfile.mkdtemp(prefix="sidh-nocache-", dir="/tmp"))
    try:
        folder.chmod(0o555)  # the cache's parent: nothing can be made in it (root too runs unprivileged below)
        done = subprocess.run(
            [*hosts.unprivileged(), str(atlas.cli), "serve", "--port", "1"],
            env={"PATH": "/usr/bin:/bin", paths.CACHE_ENV: str(folder / "cache"), "HOME": str(folder)},
            cwd=atlas.checkout,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "SID_ATLAS_CACHE: cannot write the cache directory" in done.stderr and "Traceback" not in done.stderr
