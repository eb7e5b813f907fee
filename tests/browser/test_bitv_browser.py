"""BITV NRW in Chromium: „Leichte Sprache“ one step from the atlas, the DGS video as a person meets it.

Debian's Chromium through Playwright against ``sid-atlas serve`` with the
operator's settings and a (generated, two-second) DGS video with captions
given as an operator gives them: environment variables. axe-core is injected
as in ``test_browser_a11y.py``. Screenshots: ``artifacts/leichte-sprache-*.png``.
"""

from __future__ import annotations

import subprocess

import pytest

from tests.browser.support import unavailable
from tests.browser.test_browser_a11y import DESKTOP, PHONE, axe, new_page, report, shoot

pytestmark = pytest.mark.browser
NARROW = {"width": 320, "height": 720}


@pytest.fixture(scope="module")
def dgs_app(tmp_path_factory):
    """The app with its operator named and a DGS video with WebVTT captions (VP8, as Debian's Chromium plays it)."""
    import imageio_ffmpeg

    from tests.browser.support import serve

    folder = tmp_path_factory.mktemp("bitv")
    video, captions = folder / "dgs.webm", folder / "dgs.vtt"
    made = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i"]
        + ["color=c=navy:s=320x240:d=2", "-c:v", "libvpx", "-b:v", "100k", "-y", str(video)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if made.returncode != 0:
        unavailable(f"ffmpeg cannot write a WebM video here: {made.stderr[-300:]}")
    captions.write_text("WEBVTT\n\n00:00.000 --> 00:02.000\nHallo. Das ist der Atlas.\n", encoding="utf-8")
    env = {
        "SID_ATLAS_DGS_VIDEO": str(video),
        "SID_ATLAS_DGS_CAPTIONS": str(captions),
        "SID_ATLAS_OPERATOR_NAME": "Bezirksregierung Testland",
        "SID_ATLAS_OPERATOR_EMAIL": "barrierefreiheit@testbehoerde.nrw",
    }
    with serve(folder, env=env) as url:
        yield url


def _easy_page_ready(page) -> None:
    page.get_by_role("heading", name="Leichte Sprache", exact=True).wait_for(timeout=60_000)
    page.get_by_role("heading", name="Hinweis zu diesem Text").wait_for()
    page.wait_for_load_state("networkidle")


def test_leichte_sprache_is_one_step_from_the_atlas_and_has_no_wcag_violations(dgs_app, browser):
    page = new_page(browser, DESKTOP)
    page.goto(f"{dgs_app}/?date=2024-02-01")
    link = page.get_by_role("main").get_by_role("link", name="Leichte Sprache")
    link.wait_for(timeout=60_000)
    box = link.bounding_box()
    assert box is not None and box["y"] < 300, box  # at the top, under the title, without scrolling
    shoot(page, "leichte-sprache-atlas-link.png", full_page=False)
    link.click()
    page.wait_for_url(f"{dgs_app}/leichte-sprache")
    _easy_page_ready(page)
    assert page.evaluate("() => document.documentElement.lang") == "de"
    assert page.locator("h1").count() == 1
    found = axe(page, "Leichte Sprache")
    assert found == [], report(found)
    shoot(page, "leichte-sprache-desktop.png")
    # The way back to the Erklärung is a link too, and so is the sidebar's.
    assert page.get_by_role("main").get_by_role("link", name="Barrierefreiheit", exact=True).count() == 1
    page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, NARROW], ids=["phone", "320"])
def test_leichte_sprache_reflows_on_a_phone(dgs_app, browser, viewport):
    page = new_page(browser, viewport)
    page.goto(f"{dgs_app}/leichte-sprache")
    _easy_page_ready(page)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    found = axe(page, f"Leichte Sprache {viewport['width']}")
    assert found == [], report(found)
    shoot(page, f"leichte-sprache-{viewport['width']}.png")
    page.context.close()


def test_the_dgs_video_is_captioned_not_autoplaying_and_keyboard_operable(dgs_app, browser):
    page = new_page(browser, DESKTOP)
    page.goto(f"{dgs_app}/leichte-sprache")
    _easy_page_ready(page)
    video = page.locator("video")
    video.wait_for()
    state = video.evaluate(
        """v => ({controls: v.controls, autoplay: v.autoplay, paused: v.paused,
                  tracks: Array.from(v.textTracks).map(t => ({kind: t.kind, label: t.label, mode: t.mode}))})"""
    )
    assert state["controls"] and not state["autoplay"] and state["paused"], state
    assert state["tracks"] and state["tracks"][0]["kind"] in ("captions", "subtitles"), state
    assert state["tracks"][0]["label"] == "Deutsch"
    page.wait_for_timeout(1500)
    assert video.evaluate("v => v.paused")  # nothing starts by itself
    # Keyboard only: Tab reaches the player, Space plays.
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.tagName") == "VIDEO":
            break
    else:
        raise AssertionError("Tab never reached the video")
    page.keyboard.press("Space")
    page.wait_for_function("() => !document.querySelector('video').paused || document.querySelector('video').ended")
    found = axe(page, "Leichte Sprache mit Video")
    assert found == [], report(found)
    shoot(page, "leichte-sprache-video.png")
    page.context.close()


def test_the_english_view_explains_in_english_and_names_its_language(dgs_app, browser):
    page = new_page(browser, DESKTOP)
    page.goto(f"{dgs_app}/leichte-sprache?lang=en")
    page.get_by_role("heading", name="Leichte Sprache (easy-to-read German)").wait_for(timeout=60_000)
    page.get_by_role("button", name="Read the page in German (Leichte Sprache)").wait_for()
    page.wait_for_load_state("networkidle")
    found = axe(page, "Leichte Sprache (en)")
    assert found == [], report(found)
    page.get_by_role("button", name="Read the page in German (Leichte Sprache)").click()
    _easy_page_ready(page)
    assert page.evaluate("() => document.documentElement.lang") == "de"
    page.context.close()


def test_the_statement_names_the_configured_body_and_has_no_wcag_violations(dgs_app, browser):
    page = new_page(browser, DESKTOP)
    page.goto(f"{dgs_app}/barrierefreiheit")
    page.get_by_role("heading", name="Durchsetzungsverfahren").wait_for(timeout=60_000)
    page.get_by_text("Verantwortlich ist: Bezirksregierung Testland.").wait_for()
    assert page.get_by_role("link", name="barrierefreiheit@testbehoerde.nrw").get_attribute("href") == (
        "mailto:barrierefreiheit@testbehoerde.nrw"
    )
    page.get_by_text("Adresse nicht konfiguriert").wait_for()  # the site address was not given
    page.wait_for_load_state("networkidle")
    found = axe(page, "Erklärung (konfiguriert)")
    assert found == [], report(found)
    shoot(page, "erklaerung-konfiguriert.png")
    page.context.close()
