"""What the real-browser tests share: the server they start, the Chromium they drive, and small page helpers.

Fixtures are in ``conftest.py`` beside this file; test modules import the plain helpers from here.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from loaders.paths import PROJECT_ROOT

ROOT = PROJECT_ROOT
SERVE = ROOT / "dashboard" / "serve.py"
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
COVERED = ("member", "via_kreis", "new")


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


def map_frame(page):
    """The map component's frame, once its first render has drawn the units."""
    page.wait_for_selector("iframe[src*='coverage_map']", timeout=30_000)
    frame = next(f for f in page.frames if "coverage_map" in f.url)
    frame.wait_for_function("() => window.sidMap && window.sidMap.drawn > 0", timeout=30_000)
    return frame


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
