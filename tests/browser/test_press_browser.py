"""The embed code in a stranger's page: Chromium with third-party cookies blocked draws the map.

A page on another 127.0.0.1 port holds the iframe code the "Einbetten"
section writes. The frame points at ``localhost`` — a different *site* from
127.0.0.1 (ports do not make sites), so the atlas really is a third party
there and Chromium's blocking applies to it. The atlas lists the host page in
``$SID_ATLAS_FRAME_ANCESTORS``; without that, its CSP refuses the framing.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import threading
from urllib.parse import urlencode

import pytest

from dashboard.press import embed_params, iframe_code
from loaders.viewstate import ViewState
from tests.browser.support import ARTIFACTS, free_port, launch, serve

pytestmark = pytest.mark.browser
DAY = dt.date(2024, 2, 1)


@pytest.fixture(scope="module")
def host(tmp_path_factory):
    """A plain static server for the embedding page on its own port; yields (url, folder)."""
    folder = tmp_path_factory.mktemp("host")
    port = free_port()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", folder
    server.shutdown()


@pytest.fixture(scope="module")
def atlas(host, tmp_path_factory):
    with serve(tmp_path_factory.mktemp("embed-served"), env={"SID_ATLAS_FRAME_ANCESTORS": host[0]}) as url:
        yield url


@pytest.fixture(scope="module")
def blocking_browser(playwright):
    """Chromium that blocks third-party cookies (the setting browsers are moving to)."""
    chromium = launch(playwright, "--test-third-party-cookie-phaseout")
    yield chromium
    chromium.close()


def _host_page(host, atlas: str, params: dict, name: str) -> str:
    base, folder = host
    src = atlas.replace("127.0.0.1", "localhost") + "/?" + urlencode(params)
    code = iframe_code(src, "#sicherimDienst – Karte", int(params["height"]))
    (folder / name).write_text(
        f"<!doctype html><html lang='de'><head><meta charset='utf-8'><title>Zeitung</title>"
        f"</head><body><h1>Eine Redaktionsseite</h1>{code}</body></html>",
        encoding="utf-8",
    )
    return f"{base}/{name}"


def _embed_frame(page):
    page.wait_for_selector("iframe[title='#sicherimDienst – Karte']", timeout=30_000)
    for _ in range(120):
        frame = next((f for f in page.frames if "iframe=1" in f.url), None)
        if frame is not None:
            return frame
        page.wait_for_timeout(250)
    raise AssertionError([f.url for f in page.frames])


def test_interactive_embed_draws_the_map_with_third_party_cookies_blocked(host, atlas, blocking_browser):
    params = embed_params(ViewState(DAY, region="057"), interactive=True, newest=False, height=640)
    context = blocking_browser.new_context(viewport={"width": 1100, "height": 900}, locale="de-DE")
    page = context.new_page()
    page.goto(_host_page(host, atlas, params, "interaktiv.html"))
    frame = _embed_frame(page)
    # Cookies: the host page keeps its own, the atlas frame gets none (blocked as a third party).
    page.evaluate("() => { document.cookie = 'host=1; SameSite=Lax'; }")
    assert "host=1" in page.evaluate("() => document.cookie")
    frame.wait_for_selector("text=Abgedeckt", timeout=60_000)
    assert frame.evaluate("() => { document.cookie = 'probe=1; SameSite=None; Secure'; return document.cookie; }") == ""
    # The map is in the embed's own page (a component in it, no frame of its own) and draws there.
    frame.wait_for_function("() => window.sidMap && window.sidMap.drawn === 70", timeout=60_000)
    assert [f.url for f in page.frames if "coverage_map" in f.url] == []
    assert frame.locator("[data-testid=coverage-map] #map").is_visible()
    frame.get_by_text("Zum vollständigen Atlas").wait_for()
    assert (
        frame.locator("[data-testid=stSidebar]").count() == 0
        or not frame.locator("[data-testid=stSidebar]").is_visible()
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "embed-interactive.png"), full_page=True)
    context.close()


def test_static_embed_shows_the_picture_with_its_description_as_alt_text(host, atlas, blocking_browser):
    """The picture's accessible name is the view's description (not a caption read twice); the footer links out."""
    from exports.dispatch import alt_text
    from register import atlasdata

    params = embed_params(ViewState(DAY), interactive=False, newest=False, height=700)
    context = blocking_browser.new_context(viewport={"width": 1100, "height": 900}, locale="de-DE")
    page = context.new_page()
    page.goto(_host_page(host, atlas, params, "statisch.html"))
    frame = _embed_frame(page)
    frame.wait_for_selector("img", timeout=90_000)
    description = alt_text(atlasdata.load_coverage(), ViewState(DAY))
    assert "396 von 396 Gemeinden" in description
    image = frame.get_by_role("img", name=description, exact=True)
    assert image.count() == 1 and image.get_attribute("alt") == description
    assert frame.get_by_text("396 von 396 Gemeinden", exact=False).count() == 0  # not repeated as visible text
    frame.get_by_role("link", name="Zum vollständigen Atlas").wait_for()
    assert frame.get_by_role("link", name="Leichte Sprache").get_attribute("href") == "/leichte-sprache"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "embed-static.png"), full_page=True)
    context.close()


def test_a_site_not_listed_cannot_frame_the_atlas(atlas):
    """The CSP names the listed host only: any other origin is refused by the browser."""
    import urllib.request

    with urllib.request.urlopen(f"{atlas}/?iframe=1") as response:
        policy = response.headers["Content-Security-Policy"]
    ancestors = next(part for part in policy.split(";") if "frame-ancestors" in part).split()[1:]
    assert ancestors[0] == "'self'" and len(ancestors) == 2 and ancestors[1].startswith("http://127.0.0.1:")
