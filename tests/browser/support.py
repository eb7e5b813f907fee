"""What the real-browser tests share: the server they start, the Chromium they drive, and small page helpers.

Fixtures are in ``conftest.py`` beside this file; test modules import the plain helpers from here.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from loaders.paths import PROJECT_ROOT

ROOT = PROJECT_ROOT
SERVE = ROOT / "dashboard" / "serve.py"
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
COVERED = ("member", "via_kreis")


def unavailable(reason: str):
    if os.environ.get("SID_ATLAS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required (SID_ATLAS_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serve(folder: Path, env: dict[str, str] | None = None):
    """Run ``sid-atlas serve`` (``dashboard/serve.py``: sign-in, CSP, German shell) on a free port; yield its URL.

    The server's output goes to ``folder / "server.log"``; it is stopped afterwards.
    """
    if not SERVE.is_file():
        unavailable(f"{SERVE.relative_to(ROOT)} does not exist")
    port = free_port()
    log = folder / "server.log"
    cli = Path(sys.executable).with_name("sid-atlas")
    with open(log, "wb") as out:
        # `sid-atlas serve` replaces itself by Streamlit: the process is the server.
        server = subprocess.Popen(
            [str(cli), "serve", "--port", str(port), "--address", "127.0.0.1"],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=os.environ | (env or {}),
        )
    url = f"http://127.0.0.1:{port}"
    try:
        # Healthy once the coverage model is loaded (dashboard.webserver.CoverageHealth).
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"sid-atlas serve did not start:\n{log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)


EDITOR = "anna.beispiel"
EDITOR_PASSWORD = "Browser-Test-2024"


def csp_violations(page) -> list[str]:
    """Console messages in which the browser refused something under the Content-Security-Policy."""
    return [text for text in page.console if "Content Security Policy" in text or "Refused to" in text]


MAP = "[data-testid=coverage-map]"


def map_root(page):
    """The map component (in the page, in its shadow root), once its first render has drawn the units.

    A locator: Playwright's CSS selectors pierce open shadow roots, so
    ``map_root(page).locator("path[data-status]")`` finds the units.
    """
    page.wait_for_function("() => window.sidMap && window.sidMap.drawn > 0", timeout=30_000)
    return page.locator(MAP)


def in_map(page, expression: str, arg=None):
    """``expression`` (a function of the map's root element and ``arg``) evaluated in the page.

    ``document.querySelector`` stops at the component's shadow root; the root
    element (``window.sidMap.root``) does not.
    """
    return page.evaluate(f"(arg) => ({expression})(window.sidMap.root, arg)", arg)


def wait_in_map(page, expression: str, arg=None, timeout: int = 30_000) -> None:
    """Wait until ``expression`` (as for :func:`in_map`) is true."""
    page.wait_for_function(
        f"(arg) => window.sidMap && window.sidMap.root && ({expression})(window.sidMap.root, arg)",
        arg=arg,
        timeout=timeout,
    )


def deep_focus(page) -> dict:
    """What has the keyboard focus, looking into the components' shadow roots.

    ``component`` is the ``data-testid`` of the map or chart it is in (or ""),
    ``part`` that of the nearest element inside it that has one (the legend, the details panel).
    """
    return page.evaluate("""() => {
        let a = document.activeElement;
        while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
        const inside = a && a.getRootNode() !== document;
        const root = inside ? a.getRootNode().querySelector('.sid-map, .sid-chart') : null;
        const part = inside ? a.closest('[data-testid]') : null;
        return {tag: a ? a.tagName : '', id: a ? a.id : '', component: root ? root.dataset.testid : '',
                part: part ? part.dataset.testid : '',
                label: a ? (a.getAttribute('aria-label') || a.textContent || '').trim().slice(0, 40) : ''};
    }""")


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def sign_in(page, url: str, name: str, password: str) -> None:
    """Sign in as editors do: the plain form at /_sid/anmelden, which sets the cookie and opens the register."""
    page.goto(f"{url}/_sid/anmelden")
    page.get_by_role("heading", name="Anmelden zum Bearbeiten").wait_for()
    assert page.evaluate("() => document.documentElement.lang") == "de"
    shoot(page, "register-signin.png")
    page.get_by_label("Kontoname").fill(name)
    page.get_by_label("Passwort", exact=True).fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{url}/register")


def with_chromium(task):
    """``task(browser)`` in a Debian Chromium of its own, started and closed here; its result.

    Call it in a thread without an asyncio loop (Playwright's sync API refuses one): the browser tests'
    session-wide Playwright keeps one in the main thread.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            return task(browser)
        finally:
            browser.close()


def launch(playwright, *extra: str):
    """Debian's Chromium (never a downloaded browser) with the project's flags."""
    from playwright.sync_api import Error

    try:
        return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + list(extra))
    except Error as error:
        unavailable(f"chromium does not start: {error}")


# -- accessibility: pages that may load only the app, axe-core injected -------------------------------------
AXE = PROJECT_ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def new_page(browser, viewport: dict, **options):
    """A page that may load only the app; CSP bypassed so axe can be injected."""
    context = browser.new_context(viewport=viewport, locale="de-DE", bypass_csp=True, **options)
    context.route(
        "**/*",
        lambda route: route.continue_() if urlsplit(route.request.url).hostname in LOCAL_HOSTS else route.abort(),
    )
    return context.new_page()


def axe(target, name: str, tags: list[str] = WCAG_TAGS) -> list[dict]:
    """Run axe-core in a page or frame; the violations of ``tags``. Best-practice findings are printed."""
    if not AXE.is_file():
        unavailable(f"{AXE} is missing (make install)")
    if not target.evaluate("() => typeof window.axe === 'object'"):
        target.evaluate(AXE.read_text(encoding="utf-8"))  # CDP evaluation: runs whatever the page's CSP
    result = target.evaluate(
        """async (tags) => {
        const found = await axe.run(document, {runOnly: {type: 'tag', values: tags.concat(['best-practice'])},
                                               resultTypes: ['violations']});
        return found.violations.map(v => ({id: v.id, tags: v.tags, impact: v.impact, help: v.help,
                                           nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
    }""",
        tags,
    )
    wcag = [v for v in result if set(v["tags"]) & set(tags)]
    for finding in result:
        if finding not in wcag:
            print(
                f"axe best practice [{name}]: {finding['id']} ({finding['impact']}): {finding['help']} "
                f"{finding['nodes']}"
            )
    return wcag


def report(violations: list[dict]) -> str:
    return json.dumps(violations, ensure_ascii=False, indent=1)
