"""Fixtures of the real-browser tests: one Playwright and one Chromium for the whole session, servers per module.

One ``sync_playwright`` per session: a second one in the same process fails
("Sync API inside the asyncio loop"), so every browser — the usual one and the
one that blocks third-party cookies — is launched from ``playwright`` here.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest

from tests.browser.support import CHROMIUM, EDITOR, EDITOR_PASSWORD, LOCAL_HOSTS, launch, serve, unavailable


@pytest.fixture(scope="session")
def playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed")
    if not os.access(CHROMIUM, os.X_OK):
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as session:
        yield session


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """The app for the session, as configured in the project."""
    with serve(tmp_path_factory.mktemp("served")) as url:
        yield url


@pytest.fixture(scope="session")
def browser(playwright):
    chromium = launch(playwright)
    yield chromium
    chromium.close()


@pytest.fixture
def page(browser):
    """A page whose every request to a host other than the app is blocked and recorded.

    ``page.console`` collects the console messages of the page and its frames
    (Chromium reports each Content-Security-Policy violation there).
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="de-DE")
    requests: list[str] = []
    console: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    context.on("console", lambda message: console.append(f"{message.type}: {message.text}"))

    def only_local(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    page.requests = requests
    page.console = console
    yield page
    context.close()


@pytest.fixture(scope="module")
def register_app(tmp_path_factory):
    """``sid-atlas serve`` on a fresh register of its own with one editor account, and a secrets file of its own."""
    import register
    from register import editors

    folder = tmp_path_factory.mktemp("register")
    secrets = folder / "secrets.toml"
    secrets.write_text("[connections]\n", encoding="utf-8")
    database = f"sqlite:///{folder / 'register.sqlite'}"
    with register.Register(database) as made:
        editors.add(made.engine, EDITOR, EDITOR_PASSWORD, by="cli:test")
    with serve(folder, env={"SID_ATLAS_REGISTER_URL": database, "STREAMLIT_SECRETS_FILES": str(secrets)}) as url:
        yield url
