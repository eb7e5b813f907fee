"""The wire through the shipped deployment, as an anonymous client meets it: nginx, two replicas, PostgreSQL.

One deployment for the module (``deploy.scaleout.deployment`` on a fresh
schema), each replica under ``strace`` recording every ``connect()``; an editor
password and an embedding site configured as an operator would. Clients come
from source addresses of their own (127.0.0.x), because every limit here is per
address. What nginx alone decides (its error pages, the outside scheme) is
tested against an nginx whose replicas are down.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import re
import resource
import subprocess
import threading
import time
from pathlib import Path

import pytest

from benchmarks.sessions import run_sync
from dashboard import webserver
from deploy import scaleout
from tests.deploy import wire
from tests.deploy.conftest import EDITOR, add_editor, editor_secrets, environment, fresh_schema, program

pytestmark = [pytest.mark.deploy, pytest.mark.server]

PASSWORD = "Proxy-Leitung-2024"
EMBEDDER = "https://www.example.org"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ERROR_ID = re.compile(r"(?:Fehlernummer|error number) ([0-9a-f]{8})")


class Deployment:
    def __init__(self, proxy: str, replicas: list[scaleout.Replica], folder: Path):
        self.proxy, self.replicas, self.folder = proxy, replicas, folder

    @property
    def nginx(self) -> Path:
        return self.folder / "nginx"

    def logs(self) -> str:
        return "\n".join(r.log.read_text(encoding="utf-8", errors="replace") for r in self.replicas)

    def pids(self) -> list[int]:
        return [wire.traced_pid(r.process.pid) for r in self.replicas]


@pytest.fixture(scope="module")
def deployed(tmp_path_factory, units):
    program("strace", "strace")
    if scaleout.find_nginx() is None:
        program("nginx", "nginx")
    folder = tmp_path_factory.mktemp("proxy")
    settings = {**editor_secrets(folder), "SID_ATLAS_FRAME_ANCESTORS": EMBEDDER}
    # Hundreds of sockets from this process (600 idle websockets): as many descriptors as allowed.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 8192)), hard))
    trace = wire.strace(folder / "connect", apart=True)
    try:
        with (
            environment(settings),
            fresh_schema(units) as url,
            contextlib.nullcontext(add_editor(url, units, PASSWORD)),
            scaleout.deployment(url, folder, supervise=False, wrapper=trace) as (proxy, replicas),
        ):
            yield Deployment(proxy, replicas, folder)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def wait_for(read, text: str, timeout: float = 5) -> str:
    deadline = time.monotonic() + timeout
    while text not in (found := read()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


def test_600_idle_websockets_from_one_address_leave_the_page_to_everyone_else(deployed):
    proxy = deployed.proxy

    async def flood_then_visit():
        import websockets

        async def one():
            try:
                return await wire.connect(proxy, address="127.0.0.31")
            except websockets.InvalidStatus as refused:
                return refused.response

        answers = await asyncio.gather(*(one() for _ in range(600)), return_exceptions=True)
        held = [a for a in answers if isinstance(a, websockets.ClientConnection)]
        refused = [a for a in answers if isinstance(a, websockets.http11.Response)]
        try:
            started = time.monotonic()
            status, _, body, _ = await asyncio.to_thread(wire.get, proxy, "/", address="127.0.0.32")
            other = await wire.connect(proxy, address="127.0.0.32")
            try:
                page = await wire.run(other, query="date=2024-02-01")
            finally:
                await other.close()
            return len(held), refused, status, body, page, time.monotonic() - started, answers
        finally:
            await asyncio.gather(*(ws.close() for ws in held), return_exceptions=True)

    held, refused, status, body, page, seconds, answers = run_sync(flood_then_visit())
    assert 0 < held <= 50 and held + len(refused) == 600, [a for a in answers if isinstance(a, Exception)][:3]
    assert {r.status_code for r in refused} == {429}
    headers = refused[0].headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"] and headers["X-Frame-Options"] == "DENY"
    assert "Zu viele Anfragen" in refused[0].body.decode()
    # The other client opens the page and its session runs the atlas, while the 600 try and hold.
    assert status == 200 and b'<html lang="de">' in body
    assert "#sicherimDienst" in page.text and not page.exceptions
    assert seconds < 60
    errors = (deployed.nginx / "error.log").read_text()
    # The burst of new sockets is what stops them here (40 at once, then 2 a second); 50 open is the cap.
    assert re.search(
        r'limiting (requests|connections).* by zone "sid_(handshakes|sockets)", client: 127\.0\.0\.31,', errors
    )


def test_compressed_frames_never_unpack_inside_a_replica(deployed):
    proxy, pids = deployed.proxy, deployed.pids()
    baseline = {pid: wire.rss_mb(pid) for pid in pids}
    peak = dict(baseline)
    done = threading.Event()

    def sample():
        while not done.is_set():
            for pid in pids:
                peak[pid] = max(peak[pid], wire.rss_mb(pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        big = wire.deflate_bomb(200)  # 190-200 KB on the wire, 200 MB unpacked: over the size before unpacking
        small = wire.deflate_bomb(60)  # ~60 KB on the wire: read, then unpacking stops at the limit

        async def both() -> list:
            return await asyncio.gather(
                *(wire.send_raw(proxy, frame, "127.0.0.33") for frame in [big] * 12 + [small] * 12)
            )

        codes = run_sync(both())
    finally:
        done.set()
        sampler.join()
    assert 180_000 < len(big) < 220_000 and len(small) < webserver.MAX_MESSAGE_BYTES
    # Each connection closed: "message too big", or reset while the rest of a large frame was arriving.
    assert set(codes) <= {1009, None} and codes[12:] == [1009] * 12, codes
    for pid in pids:
        assert peak[pid] - baseline[pid] < 100, (peak, baseline)
    time.sleep(2)
    for pid in pids:
        assert wire.rss_mb(pid) - baseline[pid] < 100  # and nothing is held afterwards


def test_a_forged_forwarded_for_never_becomes_the_client_address(deployed):
    forged = "203.0.113.9"
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Forwarded-For": forged,
        "X-Real-IP": forged,
        "Forwarded": f"for={forged};proto=https",
        "X-Forwarded-Proto": "https",
    }
    body = "name=Mallory+Forger&password=falsch"
    status, answer, _, _ = wire.get(
        deployed.proxy, webserver.SIGNIN_PATH, address="127.0.0.35", method="POST", body=body, headers=headers
    )
    assert status == 401
    assert "strict-transport-security" not in answer and "secure" not in answer.get("set-cookie", "").lower()
    # Straight to a replica, not from the proxy: the headers count for nothing either.
    status, _, _, _ = wire.get(
        deployed.replicas[0].url, webserver.SIGNIN_PATH, address="127.0.0.36", method="POST", body=body, headers=headers
    )
    assert status == 401
    logs = wait_for(deployed.logs, "127.0.0.36")
    assert "127.0.0.35" in logs and "127.0.0.36" in logs and forged not in logs
    access = wait_for(lambda: (deployed.nginx / "access.log").read_text(), "127.0.0.35")
    assert "127.0.0.35 [" in access and forged not in access


def test_a_viewer_cannot_clear_caches_or_read_the_repository_and_forged_values_show_no_traceback(deployed):
    def caches() -> list[list[str]]:
        return [
            [
                line
                for line in wire.get(r.url, "/_stcore/metrics")[2].decode().splitlines()
                if line.startswith("cache_memory")
            ]
            for r in deployed.replicas
        ]

    async def viewer():
        ws = await wire.connect(deployed.proxy, address="127.0.0.37")
        try:
            first = await wire.run(ws, query="date=2024-02-01")
            before = await asyncio.to_thread(caches)
            cleared = await wire.send_kind(ws, "clear_cache", 1)
            git = await wire.send_kind(ws, "load_git_info", 3)
            after = await asyncio.to_thread(caches)
            radio = next(w for w, kind in first.widgets.items() if kind == "radio")
            forged = await wire.run(ws, query="date=2024-02-01", states=wire.forged_states(radio)[:1])
            return before, after, cleared + git, forged
        finally:
            await ws.close()

    before, after, answers, forged = run_sync(viewer())
    assert any(any("coverage" in line for line in replica) for replica in before)
    assert after == before and "git_info_changed" not in answers
    assert not forged.exceptions and "Traceback" not in forged.text and ".py" not in forged.text
    ident = ERROR_ID.search(forged.text).group(1)
    logs = wait_for(deployed.logs, f"page error {ident}")
    assert f"page error {ident}" in logs and "websocket message refused: load_git_info (address 127.0.0.37" in logs


def test_30_foreign_origin_handshakes_neither_slow_a_replica_nor_call_out(deployed):
    result = run_sync(wire.foreign_handshakes_and_a_static_file(deployed.proxy, 30, "127.0.0.34"))
    assert result["statuses"] == [403] and result["static_status"] == 200
    assert result["static_seconds"] < 0.5, result
    logs = wait_for(deployed.logs, "evil-29.example")
    assert logs.count("websocket refused: foreign origin") >= 30
    traces = [Path(p) for p in glob.glob(str(deployed.folder / "connect.*"))]
    assert traces  # strace recorded the replicas (their connections to PostgreSQL among them)
    assert [line for trace in traces for line in wire.outside_connects(trace)] == []


def test_hosts_framing_and_the_server_header_through_the_proxy(deployed):
    proxy = deployed.proxy
    status, headers, body, _ = wire.get(proxy, "/", headers={"Host": "evil.example"})
    assert status == 421 and "Unbekannter Hostname" in body.decode()
    _, headers, _, _ = wire.get(proxy, "/?iframe=1&region=057")
    assert headers["content-security-policy"].endswith(f"frame-ancestors 'self' {EMBEDDER}")
    assert "x-frame-options" not in headers
    for path in ("/", "/register", webserver.SIGNIN_PATH):
        _, headers, _, _ = wire.get(proxy, path)
        assert (
            headers["content-security-policy"].endswith("frame-ancestors 'none'")
            and headers["x-frame-options"] == "DENY"
        )
        assert headers["server"] == "nginx"  # nginx's, without a version; no replica says "uvicorn"
    for replica in deployed.replicas:
        assert "server" not in wire.get(replica.url, "/_stcore/health")[1]


def test_a_413_leaves_no_session_id_in_any_log(deployed):
    session = "0b7c9e5a-1111-4222-8333-944455556666"
    status, headers, body, _ = wire.get(
        deployed.proxy,
        f"/_stcore/upload_file/{session}/f1",
        method="PUT",
        body=b"x" * (7 * 1024 * 1024),
        headers={"Cookie": "sid_editor=guess", "Content-Type": "application/octet-stream"},
    )
    assert status == 413 and "Zu groß" in body.decode()
    assert headers["x-frame-options"] == "DENY" and "default-src 'none'" in headers["content-security-policy"]
    access = wait_for(lambda: (deployed.nginx / "access.log").read_text(), 'PUT /_stcore/upload_file/-" 413')
    for log in deployed.nginx.glob("*.log"):
        assert session not in log.read_text(), log
    assert session not in deployed.logs() and '"PUT /_stcore/upload_file/-" 413' in access


def test_over_https_the_sign_in_cookie_is_secure_and_hsts_is_sent(deployed):
    """A replica trusts the scheme only from the proxy (127.0.0.1): as nginx forwards it behind a TLS proxy."""
    replica = deployed.replicas[0].url
    form = {"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-Proto": "https"}
    body = f"name={EDITOR}&password={PASSWORD}"
    status, headers, _, _ = wire.get(replica, webserver.SIGNIN_PATH, method="POST", body=body, headers=form)
    assert (
        status == 303 and "Secure" in headers["set-cookie"] and headers["strict-transport-security"] == webserver.HSTS
    )
    status, headers, _, _ = wire.get(
        replica, webserver.SIGNIN_PATH, address="127.0.0.38", method="POST", body=body, headers=form
    )
    assert (
        status == 303 and "secure" not in headers["set-cookie"].lower() and "strict-transport-security" not in headers
    )


@contextlib.contextmanager
def nginx_alone(folder: Path, outer: str | None = None):
    """nginx with the shipped configuration in front of a replica that is down; its URL."""
    binary = scaleout.find_nginx() or program("nginx", "nginx")
    folder.mkdir(parents=True, exist_ok=True)
    listen = scaleout.free_port()
    conf = folder / "nginx.conf"
    conf.write_text(scaleout.render_config(listen, [scaleout.free_port()], folder, outer=outer), encoding="utf-8")
    process = subprocess.Popen(
        [binary, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(conf)], start_new_session=True
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError):
                wire.get(f"http://127.0.0.1:{listen}", "/_stcore/health")
                break
            assert time.monotonic() < deadline and process.poll() is None, (folder / "error.log").read_text()
            time.sleep(0.1)
        yield f"http://127.0.0.1:{listen}"
    finally:
        scaleout.stop(process)


def test_nginx_s_own_pages_carry_the_headers_and_the_scheme_comes_from_the_outer_proxy_only(tmp_path):
    with nginx_alone(tmp_path / "plain") as proxy:
        status, headers, body, _ = wire.get(proxy, "/", headers={"X-Forwarded-Proto": "https"})
        assert status == 502 and "nicht erreichbar" in body.decode() and '<html lang="de">' in body.decode()
        assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "strict-transport-security" not in headers  # a client's X-Forwarded-Proto counts for nothing
        assert wire.get(proxy, "/_stcore/metrics")[0] == 403
    with nginx_alone(tmp_path / "outer", outer="127.0.0.1") as proxy:
        status, headers, _, _ = wire.get(proxy, "/", headers={"X-Forwarded-Proto": "https"})
        assert status == 502 and headers["strict-transport-security"] == webserver.HSTS
        assert "strict-transport-security" not in wire.get(proxy, "/")[1]
