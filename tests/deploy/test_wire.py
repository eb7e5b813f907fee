"""The wire of ``sid-atlas serve`` alone, as an anonymous client meets it (docs/security.md).

A real server on a free port with a throw-away SQLite register and an editor
password (as ``test_security.py``); clients speak Streamlit's protocol by hand
(``tests/deploy/wire.py``), from source addresses of their own on the loopback
(127.0.0.x) so that the per-address limits of one test do not meet another's.
Through nginx with two replicas: ``test_proxy.py``.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.sessions import run_sync
from dashboard import webserver
from deploy import scaleout
from tests.deploy import wire
from tests.deploy.conftest import EDITOR, program, served_alone, unavailable

pytestmark = pytest.mark.server

PASSWORD = "Leitung-2024"
# The page's language may be English by then: a forged value can switch the language toggle.
ERROR_ID = re.compile(r"(?:Fehlernummer|error number) ([0-9a-f]{8})")


@pytest.fixture(scope="module")
def served(tmp_path_factory, units):
    """``sid-atlas serve`` on a seeded SQLite register with an editor password; its URL and log."""
    with served_alone(tmp_path_factory.mktemp("wire"), units, PASSWORD) as (base, _, log):
        yield base, log


def log_text(log: Path, wait_for: str = "", timeout: float = 5) -> str:
    """The server's log, once it holds ``wait_for`` (a line is written a moment after the answer)."""
    deadline = time.monotonic() + timeout
    while wait_for not in (text := log.read_text(encoding="utf-8")) and time.monotonic() < deadline:
        time.sleep(0.05)
    return text


def cache_lines(base: str) -> list[str]:
    """The caches holding something, from Streamlit's metrics (the loopback may read them)."""
    return [
        line for line in wire.get(base, "/_stcore/metrics")[2].decode().splitlines() if line.startswith("cache_memory")
    ]


def test_a_wrong_setting_stops_the_start_with_one_line(tmp_path):
    cli = Path(sys.executable).with_name("sid-atlas")
    for name, value in [
        ("SID_ATLAS_FRAME_ANCESTORS", "https://ok.example *; script-src"),
        ("SID_ATLAS_TRUSTED_PROXY", "nginx.local"),
        ("SID_ATLAS_SERVER_NAMES", "atlas.example/evil"),
    ]:
        done = subprocess.run(
            [str(cli), "serve", "--port", str(scaleout.free_port())],
            env={**os.environ, name: value},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2, done.stderr
        assert done.stderr.count("\n") == 1 and done.stderr.startswith(f"sid-atlas: error: {name}: "), done.stderr


def test_unknown_hosts_nul_bytes_and_the_server_header(served):
    base, log = served
    status, headers, body, _ = wire.get(base, "/", headers={"Host": "evil.example"})
    assert status == 421 and "Unbekannter Hostname" in body.decode()
    assert headers["x-frame-options"] == "DENY" and "content-security-policy" in headers
    assert "refused: unknown host 'evil.example'" in log_text(log, "evil.example")
    for path in ("/component/coverage_map%00x/index.html", "/component/x/%00.js", "/app/static/%00"):
        assert wire.get(base, path)[0] == 404, path
    status, headers, _, _ = wire.get(base, wire.STATIC, headers={"Host": "localhost:1234"})
    assert status == 200 and "server" not in headers
    assert "Traceback" not in log.read_text(encoding="utf-8")


def test_framing_only_for_the_embed_view(served):
    base, _ = served

    def ancestors(path: str) -> str:
        return wire.get(base, path)[1]["content-security-policy"].rsplit("frame-ancestors ", 1)[1]

    assert ancestors("/?iframe=1&region=057") == "'self'"
    # Map and charts are components in the page: their files are no documents anyone frames.
    for path in (
        "/",
        "/register",
        "/?iframe=0",
        webserver.SIGNIN_PATH,
        "/barrierefreiheit?iframe=1",
        "/_stcore/bidi-components/sid-atlas.coverage_map/index.js",
        "/component/dashboard.mapview.coverage_map/index.html",
    ):
        assert ancestors(path) == "'none'", path


def test_a_foreign_origin_cannot_open_the_websocket(served):
    base, log = served
    assert run_sync(wire.handshake_status(base, "http://evil.example", "127.0.0.21")) == 403
    assert run_sync(wire.handshake_status(base, base, "127.0.0.21")) == 101
    assert "websocket refused: foreign origin 'http://evil.example' from 127.0.0.21" in log_text(log, "evil.example'")


def test_clear_cache_and_git_info_only_for_a_signed_in_editor(served):
    base, log = served

    async def viewer() -> tuple[list[str], list[str], list[str]]:
        ws = await wire.connect(base, address="127.0.0.22")
        try:
            await wire.run(ws, query="date=2024-02-01")
            before = await asyncio.to_thread(cache_lines, base)
            return before, await wire.send_kind(ws, "clear_cache", 1), await wire.send_kind(ws, "load_git_info", 3)
        finally:
            await ws.close()

    before, cleared, git = run_sync(viewer())
    assert any("coverage" in line for line in before)
    # No repository, branch or file list comes back (a run's late status message may).
    assert "git_info_changed" not in git and set(git + cleared) <= {"session_status_changed"}
    assert cache_lines(base) == before  # every cache as it was
    text = log_text(log, "load_git_info (address 127.0.0.22")
    assert "websocket message refused: clear_cache (address 127.0.0.22" in text

    status, headers, _, _ = wire.get(
        base,
        webserver.SIGNIN_PATH,
        method="POST",
        body=f"name={EDITOR}&password={PASSWORD}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 303
    cookie = headers["set-cookie"].split(";")[0]

    async def editor() -> None:
        ws = await wire.connect(base, address="127.0.0.23", cookie=cookie)
        try:
            page = await wire.run(ws, page="register")
            assert f"Angemeldet als {EDITOR}" in page.text
            await wire.send_kind(ws, "clear_cache", 2)
        finally:
            await ws.close()

    run_sync(editor())
    assert not [line for line in cache_lines(base) if "coverage" in line]  # an editor may empty the caches


def test_forged_widget_values_show_one_sentence_with_an_id_never_a_traceback(served):
    base, log = served

    async def forge() -> tuple[int, list[str], list[str]]:
        ws = await wire.connect(base, address="127.0.0.24")
        try:
            first = await wire.run(ws, query="date=2024-02-01")
            kinds: dict[str, str] = {}
            for widget, kind in first.widgets.items():
                kinds.setdefault(kind, widget)  # one widget of each kind: radio, selectbox, date_input, text_input …
            exceptions, texts, runs = [], [], 0
            for widget in kinds.values():
                for state in wire.forged_states(widget):
                    page = await wire.run(ws, query="date=2024-02-01", states=[state])
                    exceptions += page.exceptions
                    texts += page.texts
                    runs += 1
                    await asyncio.sleep(0.2)  # a person's pace, below the message rate
            return runs, exceptions, texts
        finally:
            await ws.close()

    runs, exceptions, texts = run_sync(forge())
    assert runs >= 30
    assert exceptions == []  # no exception element at all: no type, message, path or source line
    ids = {match.group(1) for text in texts if (match := ERROR_ID.search(text))}
    assert ids, "no forged value made a page fail; the test forges nothing"
    text = log_text(log, f"page error {sorted(ids)[0]}")
    assert all(f"page error {ident}:" in text for ident in ids)


def test_a_flood_of_messages_is_paced_to_the_rate_and_others_are_served_meanwhile(served):
    base, log = served
    rate, burst = webserver.TAB_RATE
    sent = burst + 6 * int(rate)  # the burst, then six seconds' worth

    async def flood() -> tuple[int, float, float]:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        ws = await wire.connect(base, address="127.0.0.25")
        try:
            heartbeat = BackMsg(app_heartbeat=True).SerializeToString()
            started = time.monotonic()
            for _ in range(sent):
                await ws.send(heartbeat)
            # Meanwhile another client from another address: answered at once.
            other = await wire.connect(base, address="127.0.0.26")
            asked = time.monotonic()
            try:
                assert await wire.send_kind(other, "app_heartbeat", 1.0) == ["heartbeat_ack"]
            finally:
                await other.close()
            answered = time.monotonic() - asked
            acks = 0
            async with asyncio.timeout(60):
                while acks < sent:
                    forward = ForwardMsg()
                    forward.ParseFromString(await ws.recv())
                    acks += forward.WhichOneof("type") == "heartbeat_ack"
            return acks, time.monotonic() - started, answered
        finally:
            await ws.close()

    acks, seconds, answered = run_sync(flood())
    assert acks == sent  # paced, not dropped: nothing is lost
    assert seconds >= (sent - burst) / rate * 0.9  # never faster than the rate
    assert answered < 2.0  # the other client waited for nothing but its own answer
    assert "websocket paced: messages over the rate (address 127.0.0.25)" in log_text(log, "(address 127.0.0.25)")


def test_websockets_per_address_are_capped(served):
    base, log = served

    async def hold() -> tuple[list[int], int]:
        sockets = [await wire.connect(base, address="127.0.0.27") for _ in range(webserver.SOCKETS_PER_ADDRESS)]
        try:
            over = await wire.handshake_status(base, base, "127.0.0.27")
            other = await wire.handshake_status(base, base, "127.0.0.28")
            return [over, other], len(sockets)
        finally:
            await asyncio.gather(*(ws.close() for ws in sockets))

    (over, other), held = run_sync(hold())
    assert held == webserver.SOCKETS_PER_ADDRESS and over == 403 and other == 101
    assert f"{webserver.SOCKETS_PER_ADDRESS} websockets open from this address (address 127.0.0.27)" in log_text(
        log, "this address (address 127.0.0.27)"
    )
    assert run_sync(wire.handshake_status(base, base, "127.0.0.27")) == 101  # closed sockets count no more


def test_served_alone_in_a_network_namespace_calls_out_nowhere(tmp_path):
    """30 foreign-origin handshakes where only the loopback exists: none calls out, a static file stays fast."""
    unshare, _ = program("unshare", "util-linux"), program("strace", "strace")
    program("ip", "iproute2")
    done = subprocess.run(
        [
            unshare,
            "--net",
            "--map-root-user",
            sys.executable,
            "-m",
            "tests.deploy.wire",
            "probe",
            "--port",
            "8501",
            "--trace",
            str(tmp_path / "trace"),
            "--log",
            str(tmp_path / "serve.log"),
        ],
        cwd=scaleout.REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0 and "unshare" in done.stderr and not (tmp_path / "serve.log").exists():
        unavailable(f"no network namespace here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr + (tmp_path / "serve.log").read_text(errors="replace")[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["up"], (tmp_path / "serve.log").read_text(errors="replace")[-2000:]
    assert result["statuses"] == [403] and result["static_status"] == 200
    assert result["static_seconds"] < 0.5, result
    assert result["outside"] == []  # no connect() beyond the loopback, and no DNS query at all
    assert "Traceback" not in (tmp_path / "serve.log").read_text(errors="replace")


@pytest.mark.browser
def test_the_largest_message_a_person_sends_fits_well_within_the_limit(served):
    """Every text field of the atlas and the register filled to its limit (3-byte characters), every toggle on.

    :data:`dashboard.webserver.MAX_MESSAGE_BYTES` rests on this measurement
    (16.3 KB when it was set): the largest message must stay below half of it.
    """
    base, _ = served
    program("chromium", "chromium")
    from tests.deploy.test_scaleout import CHROMIUM, in_chromium

    if not os.access(CHROMIUM, os.X_OK):
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")

    def use_every_field(browser) -> list[int]:
        sizes: list[int] = []
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="de-DE")
        page = context.new_page()
        page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sizes.append(len(payload))))

        def settled(before: int) -> None:
            """Wait until the change went out (a message was sent) and the page has run again."""
            for _ in range(100):
                if len(sizes) > before:
                    break
                page.wait_for_timeout(100)
            page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=60_000)

        def switch_on(label: str) -> None:
            before = len(sizes)
            page.locator("label", has_text=label).first.click()
            settled(before)

        def fill(label: str, commit: str = "Enter") -> None:
            box = page.get_by_label(label, exact=True).first
            box.wait_for(timeout=60_000)
            before = len(sizes)
            box.fill("€" * 2000)  # Streamlit cuts it to the field's max_chars, where it has one
            box.press(commit)
            if commit == "Enter":
                settled(before)

        try:
            page.goto(f"{base}/?date=2024-02-01")
            page.get_by_role("button", name="Absenden").first.wait_for(timeout=60_000)  # the whole page is drawn
            for toggle in ("Liste zeigen", "Dateien für diese Ansicht anbieten", "Einbettcode zeigen"):
                switch_on(toggle)
            for label in (
                "Suche (Name, Schlüssel, Quelle)",
                "Titel",
                "Unterzeile (optional)",
                "Quellenhinweis (optional)",
            ):
                fill(label)
            fill("Ort auf der Karte suchen")
            fill("Ihre Nachricht", commit="Tab")  # in the feedback form: sent with the form
            fill("Kontakt für Rückfragen (freiwillig)", commit="Tab")
            page.get_by_role("button", name="Absenden").first.click()
            page.get_by_text("Ihre Meldung Nr.").wait_for(timeout=60_000)
            page.goto(f"{base}{webserver.SIGNIN_PATH}")
            page.get_by_label("Kontoname").fill(EDITOR)
            page.get_by_label("Passwort", exact=True).fill(PASSWORD)
            page.get_by_role("button", name="Anmelden").click()
            page.get_by_text(f"Angemeldet als {EDITOR}").wait_for(timeout=60_000)
            fill("Suche (Name, Schlüssel, Quelle)")
            return sizes
        finally:
            context.close()

    sizes = in_chromium(use_every_field)
    assert max(sizes) > 6000  # the fields were filled: one full field alone is 6 KB
    assert max(sizes) < webserver.MAX_MESSAGE_BYTES / 2, sorted(sizes)[-5:]
