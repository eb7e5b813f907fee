"""Two dashboard replicas behind nginx on one PostgreSQL register (deploy/scaleout.py).

The deployment is the documented one: ``sid-atlas serve`` twice with
``$SID_ATLAS_REGISTER_URL`` on a fresh PostgreSQL schema, nginx (Debian's
package, 127.0.0.1 only) in front with the rendered ``deploy/nginx.conf.template``.
Needs ``SID_ATLAS_TEST_PG_URL`` (``.ci/run`` starts a server and sets it;
locally ``scripts/test_postgres.sh start`` prints one), nginx and Debian's
Chromium. Under CI (``CI=true``) a missing one fails the test; elsewhere it is
skipped with the reason.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from deploy import scaleout
from register import URL_ENV, Register, atlasdata
from tests import helpers
from tests.deploy.conftest import unavailable

pytestmark = [pytest.mark.deploy, pytest.mark.server]

APP = str(helpers.APP)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
COOKIE = "sid_replica"
PROBE = "Verband Scale-out-Probe"
MEMBERS_COUNT = re.compile(r"(\d+) Organisationen \(Personen")


@pytest.fixture
def chromium():
    """Fail or skip up front when the browser is missing; :func:`in_chromium` starts it."""
    if importlib.util.find_spec("playwright") is None:
        unavailable("playwright is not installed")
    if not os.access(CHROMIUM, os.X_OK):
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")


def in_chromium(task):
    """``task(browser)`` in Debian's Chromium, run in a thread of its own; its result.

    Playwright's sync API refuses to start where an asyncio loop runs, and the
    browser tests' session-wide Playwright keeps one running in the main
    thread; a new thread has none.
    """

    def run():
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return task(browser)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result(timeout=120)


def get(url: str, cookie: str | None = None, prefix: Path | None = None) -> tuple[int, str, bytes]:
    """Status, answering replica (from nginx's access log in ``prefix``) and body of a GET, optionally as a known client.

    The replica is logged, never sent to clients (no header names it).
    """
    request = urllib.request.Request(url, headers={"Cookie": f"{COOKIE}={cookie}"} if cookie else {})
    log = prefix / "access.log" if prefix else None
    lines_before = len(log.read_bytes().splitlines()) if log and log.is_file() else 0
    with urllib.request.urlopen(request, timeout=10) as response:
        assert not [h for h in response.headers if h.lower().startswith("x-sid")]
        body = response.read()
    if log is None:
        return response.status, "", body
    # nginx writes the log line after the response has gone out: wait for it, not for the one before.
    deadline = time.monotonic() + 5
    while len(log.read_bytes().splitlines()) <= lines_before and time.monotonic() < deadline:
        time.sleep(0.02)
    return response.status, scaleout.last_upstream(prefix), body


def members_shown(proxy: str, cookie: str) -> int:
    """Load the dashboard through nginx as the client ``cookie``; the count of documented members it shows.

    The count is drawn by the script run that the page's websocket session
    triggers, so seeing it proves the upgrade through nginx works.
    """

    def visit(browser) -> int:
        context = browser.new_context(locale="de-DE")
        try:
            context.add_cookies([{"name": COOKIE, "value": cookie, "url": proxy}])
            page = context.new_page()
            page.goto(f"{proxy}/?date={dt.date.today().isoformat()}&evidence=documented")
            page.get_by_role("heading", name="#sicherimDienst").first.wait_for(timeout=30_000)
            caption = page.get_by_text(MEMBERS_COUNT).first
            caption.wait_for(timeout=30_000)
            assert page.title().startswith("#sicherimDienst")
            return int(MEMBERS_COUNT.search(caption.inner_text()).group(1))
        finally:
            context.close()

    return in_chromium(visit)


def cli(register_url: str, *args: str) -> str:
    """``sid-atlas …`` in a replica's environment (the register it is configured with); its stdout."""
    done = subprocess.run(
        [str(Path(sys.executable).with_name("sid-atlas")), *args],
        env=scaleout.replica_env(register_url),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def write_partner_list(path: Path) -> Path:
    """A partner list with one body the shipped register lacks."""
    path.write_text(f"Name;Art;AGS;Beitritt\n{PROBE};Verband;05111000;01.03.2024\n", encoding="utf-8")
    return path


def drop_caches() -> None:
    """Forget every process-wide cache of the app, so no other test sees this one's register."""
    st.cache_resource.clear()
    st.cache_data.clear()
    atlasdata.load_coverage.cache_clear()


@pytest.fixture
def sqlite_register(tmp_path, monkeypatch, units):
    """A seeded SQLite register configured for the app in this process, for one test."""
    url = f"sqlite:///{tmp_path / 'register.sqlite'}"
    Register(url, units=units).close()
    monkeypatch.setenv(URL_ENV, url)
    drop_caches()
    yield url
    drop_caches()


def test_app_follows_an_import_made_by_another_process(sqlite_register, tmp_path):
    """What makes a replica show another replica's import: the app rebuilds on a new register entry."""
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["date"], app.query_params["evidence"] = dt.date.today().isoformat(), "documented"

    def shown() -> int:
        app.run()
        assert not app.exception, [e.value for e in app.exception]
        return next(int(m.group(1)) for c in app.caption if (m := MEMBERS_COUNT.search(c.value)))

    before = shown()
    assert shown() == before
    with Register(sqlite_register) as other:
        other.commit_import(write_partner_list(tmp_path / "partner.csv"), "test")
    assert shown() == before + 1


def test_render_config_fills_every_placeholder(tmp_path):
    text = scaleout.render_config(8080, [8601, 8602], tmp_path)
    assert "listen 127.0.0.1:8080;" in text
    assert text.count("server 127.0.0.1:86") == 2
    assert not re.search(r"@[A-Z]+@", text)
    assert f"pid {tmp_path}/nginx.pid;" in text


def test_import_through_one_replica_survives_the_other_being_killed(register_url, chromium, tmp_path):
    if scaleout.find_nginx() is None:
        unavailable("nginx is not installed (apt-get install nginx)")
    logs = tmp_path / "nginx"
    with scaleout.deployment(register_url, tmp_path, supervise=False) as (proxy, (a, b)):
        assert get(proxy + "/_stcore/health")[2] == b"ok"
        status, _, body = get(proxy + "/")
        assert status == 200 and b"<html" in body.lower()

        # Sticky: one client always reaches one replica; many clients reach both.
        # (32 random clients all on one replica would be a 1-in-2^31 event.)
        served = {}
        for n in range(32):
            client = f"client-{n}"
            # The page, not /_stcore/health: probes are not logged, so the log could not name their replica.
            served[client] = {get(proxy + "/", client, logs)[1] for _ in range(3)}
        assert all(len(replicas) == 1 for replicas in served.values())
        on_a = [client for client, replicas in served.items() if replicas == {f"127.0.0.1:{a.port}"}]
        on_b = [client for client, replicas in served.items() if replicas == {f"127.0.0.1:{b.port}"}]
        assert on_a and on_b

        before = members_shown(proxy, on_b[0])

        # The import is committed by a process in replica A's environment: the
        # command line, which runs the same Register.commit_import as A's register
        # page against the same URL (the page needs an editor sign-in from the
        # shared .streamlit/secrets.toml, which a test must not write).
        partner_list = write_partner_list(tmp_path / "partner.csv")
        assert "1 neu" in cli(register_url, "import", str(partner_list))
        committed = cli(register_url, "register", "export")
        assert PROBE in committed

        # Visible through B: B's page (B built its coverage before the import) and B's register.
        assert members_shown(proxy, on_b[0]) == before + 1
        assert cli(register_url, "register", "export") == committed

        # A crashes: nginx takes it out, A's clients land on B, nothing committed is lost.
        os.kill(a.process.pid, signal.SIGKILL)
        a.process.wait(10)
        for client in on_a[:3] + on_b[:3]:
            status, tried, body = get(proxy + "/", client, logs)
            # $upstream_addr lists every replica tried: A (refused) may come first, B answers.
            assert (status, tried.split(", ")[-1]) == (200, f"127.0.0.1:{b.port}") and b"<html" in body.lower()
        assert members_shown(proxy, on_a[0]) == before + 1
        with Register(register_url) as survived:
            assert survived.export() == committed
