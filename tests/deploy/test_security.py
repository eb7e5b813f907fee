"""Attacks on the served app (``sid-atlas serve``, real server, real websocket) and on the nginx deployment.

Session replay, brute force across many clients, anonymous uploads, headers,
the German shell; nginx's rendered configuration, headers through the proxy,
and a killed replica that comes back. The register is a throw-away SQLite
file with one editor account; the secrets come from a file of the test
(``STREAMLIT_SECRETS_FILES``), never the checkout's ``.streamlit/secrets.toml``.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import register
from benchmarks.sessions import run_sync
from dashboard import chrome, webserver
from deploy import scaleout
from register import signin
from tests.deploy.conftest import EDITOR, served_alone
from tests.helpers import open_page

pytestmark = pytest.mark.server

PASSWORD = "Rathaus-Lage-2024"
ACCOUNT = EDITOR


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def request(
    url: str,
    data: dict | None = None,
    cookie: str | None = None,
    method: str | None = None,
    body: bytes | None = None,
    headers: dict | None = None,
):
    """Status, headers and body of one request; errors are answers too."""
    payload = urllib.parse.urlencode(data).encode() if data is not None else body
    fields = {**({"Cookie": cookie} if cookie else {}), **(headers or {})}
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, data=payload, headers=fields, method=method), timeout=60) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def served(tmp_path_factory, units):
    """``sid-atlas serve`` on a seeded SQLite register with an editor password; its URL, register URL and log."""
    with served_alone(tmp_path_factory.mktemp("served"), units, PASSWORD) as running:
        yield running


def sign_in(base: str, name: str, password: str):
    return request(base + webserver.SIGNIN_PATH, {"name": name, "password": password})


def editor_cookie(base: str) -> str:
    status, headers, _ = sign_in(base, ACCOUNT, PASSWORD)
    assert status == 303, status
    return headers["Set-Cookie"].split(";")[0]


def upload(base: str, session: str, cookie: str | None = None):
    boundary = "sidtestboundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\nName\nBielefeld\n\r\n--{boundary}--\r\n"
    ).encode()
    return request(
        f"{base}/_stcore/upload_file/{session}/f1",
        body=body,
        cookie=cookie,
        method="PUT",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )


def test_a_replayed_session_id_without_the_cookie_is_a_viewer(served):
    base, url, log = served
    cookie = editor_cookie(base)
    session, page = run_sync(open_page(base, "register", cookie))
    assert f"Angemeldet als {ACCOUNT}" in page and "Partnerliste" in page
    before = register.Register(url).history()
    # The attacker has the session id (from a log line) but not the HttpOnly cookie.
    resumed, page = run_sync(open_page(base, "register", resume=session))
    assert "Angemeldet als" not in page and "Partnerliste importieren" not in page
    assert "Anmelden zum Bearbeiten" in page
    assert upload(base, session)[0] == 403  # nor can it store a file in the editor's session
    assert register.Register(url).history() == before
    assert session not in log.read_text(encoding="utf-8")  # Streamlit logs resumed ids: redacted


def test_anonymous_uploads_are_refused(served):
    base, _, _ = served
    session, page = run_sync(open_page(base, "register"))
    assert session and "Anmelden zum Bearbeiten" in page
    assert upload(base, session)[0] == 403
    assert upload(base, "00000000-0000-0000-0000-000000000000", editor_cookie(base))[0] == 403


def test_brute_force_from_many_clients_locks_and_the_right_password_then_waits(served):
    base, url, log = served
    engine = register.Register(url).engine
    signin.lift(engine, by="test")
    with ThreadPoolExecutor(max_workers=signin.LOCKOUT_AFTER) as pool:
        answers = list(pool.map(lambda n: sign_in(base, ACCOUNT, f"guess-{n}")[0], range(signin.LOCKOUT_AFTER)))
    assert answers == [401] * signin.LOCKOUT_AFTER
    started = time.monotonic()
    status, _, body = sign_in(base, ACCOUNT, PASSWORD)
    assert status == 429 and "gesperrt" in body.decode()
    locked = {(r["scope"], r["subject"]) for r in signin.lockouts(engine)}
    assert locked == {("account", ACCOUNT), ("address", "127.0.0.1")}  # the account and the address
    signin.lift(engine, by="test")
    assert sign_in(base, ACCOUNT, PASSWORD)[0] == 303 and time.monotonic() - started < 60
    text = log.read_text(encoding="utf-8")
    assert f"sign-in failed: account={ACCOUNT} address=127.0.0.1" in text and "sign-in refused, locked" in text
    assert f"sign-in succeeded: editor={ACCOUNT}" in text and "guess-" not in text and PASSWORD not in text


def test_invented_names_lock_the_address_and_are_not_logged_as_typed(served):
    base, url, log = served
    engine = register.Register(url).engine
    signin.lift(engine, by="test")
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda n: sign_in(base, f"Erfunden \u202e{n}", "x")[0], range(40)))
    assert answers.count(401) == signin.LOCKOUT_AFTER and answers.count(429) == 40 - signin.LOCKOUT_AFTER
    assert sign_in(base, ACCOUNT, PASSWORD)[0] == 429  # the address is locked: the right password too
    assert {(r["scope"], r["subject"]) for r in signin.lockouts(engine)} == {("address", "127.0.0.1")}
    assert signin.counter_rows(engine) == 2  # the address and the one real account: no row per invented name
    text = log.read_text(encoding="utf-8")
    assert "\u202e" not in text and "Erfunden" not in text and "(no such account, " in text
    signin.lift(engine, by="test")
    assert sign_in(base, ACCOUNT, PASSWORD)[0] == 303


def test_headers_german_shell_and_loopback_metrics(served):
    base, _, _ = served
    status, headers, body = request(base + "/register")
    assert status == 200 and b'<html lang="de">' in body and b"window.prerenderReady" not in body
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and headers["X-Frame-Options"] == "DENY"  # the register is never framed
    assert "server" not in {name.lower() for name in headers}
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "same-origin"
    bundles = chrome.translated_bundles(Path(__import__("streamlit").__file__).parent / "static")
    bundle = next(path for path in bundles if "/index." in path)
    assert "Verbindung unterbrochen" in request(base + bundle)[2].decode()
    assert request(base + "/_stcore/health")[2] == b"ok"


def test_health_is_unhealthy_and_the_page_says_register_unreachable_without_details(tmp_path):
    bad = "postgresql://secretuser:pw@127.0.0.1:1/hiddendb"
    port = scaleout.free_port()
    process = scaleout.start_replica(port, bad, tmp_path / "serve.log")
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        status = None
        while time.monotonic() < deadline and status != 503:
            try:
                status = request(base + "/_stcore/health")[0]
            except OSError:
                time.sleep(0.5)
        assert status == 503
        for name in ("register", ""):  # the register page and the atlas, which reads the register too
            _, page = run_sync(open_page(base, name))
            assert "Register nicht erreichbar" in page and "secretuser" not in page and "hiddendb" not in page
            assert "127.0.0.1:1" not in page and "postgresql" not in page
        assert "hiddendb" in (tmp_path / "serve.log").read_text()  # the details are in the log
    finally:
        scaleout.stop(process)


@pytest.fixture
def nginx_binary():
    binary = scaleout.find_nginx()
    if binary is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("nginx is not installed")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    return binary


@pytest.mark.deploy
def test_rendered_nginx_config_passes_nginx_t(nginx_binary, tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(scaleout.render_config(8080, [8601, 8602], tmp_path), encoding="utf-8")
    done = subprocess.run(
        [nginx_binary, "-t", "-q", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(conf)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    text = conf.read_text()
    assert "server_tokens off;" in text and "client_max_body_size 6m;" in text


@pytest.mark.deploy
def test_through_nginx_headers_no_version_no_replica_and_a_killed_replica_comes_back(nginx_binary, tmp_path, units):
    url = f"sqlite:///{tmp_path / 'register.sqlite'}"
    register.Register(url, units=units).close()
    with scaleout.deployment(url, tmp_path, replica_ports=[scaleout.free_port()]) as (proxy, (only,)):
        status, headers, body = request(proxy + "/?date=" + dt.date.today().isoformat())
        assert status == 200 and b'<html lang="de">' in body
        assert headers["Server"] == "nginx" and "Content-Security-Policy" in headers
        assert not [h for h in headers if "replica" in h.lower() and h.lower() != "set-cookie"]
        assert str(only.port) not in str(dict(headers))
        assert request(proxy + "/_stcore/metrics")[0] == 403
        assert request(proxy + "/_stcore/upload_file/x/y", method="PUT", body=b"x")[0] == 403
        # nginx writes a log line after its response has gone out: give it a moment, not a race.
        log = tmp_path / "nginx" / "access.log"
        deadline = time.monotonic() + 5
        while "upload_file/" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert "upload_file/-" in log.read_text() and "upload_file/x" not in log.read_text()

        killed = only.process
        os.kill(killed.pid, signal.SIGKILL)
        killed.wait(10)
        scaleout.wait_healthy(
            only.url, only.process if only.process is not killed else _wait_new(only, killed), only.log, 120
        )
        assert only.process is not killed and request(proxy + "/_stcore/health")[2] == b"ok"


def _wait_new(replica, killed, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while replica.process is killed and time.monotonic() < deadline:
        time.sleep(0.2)
    return replica.process
