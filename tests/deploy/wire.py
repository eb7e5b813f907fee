"""A client of the wire as an attacker would be one: Streamlit's protocol by hand, from a chosen source address.

Used by ``test_wire.py`` (``sid-atlas serve`` alone) and ``test_proxy.py``
(two replicas behind nginx). ``python -m tests.deploy.wire probe …`` runs the
foreign-origin probe where the test process cannot reach, inside a network
namespace of its own (:func:`probe`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import os
import re
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

# strace's line for one connect(): the family, and the port and address for the internet families.
CONNECT = re.compile(
    r"connect\(\d+, \{sa_family=(?P<family>AF_\w+)"
    r"(?:, sin6?_port=htons\((?P<port>\d+)\))?"
    r"(?:.*?inet_addr\(\"(?P<v4>[^\"]+)\"\)|.*?inet_pton\(AF_INET6, \"(?P<v6>[^\"]+)\")?"
)
STATIC = "/_sid/seite.js"  # a static file the Guard itself serves (no Streamlit session)


@dataclass
class PageRun:
    """What one script run sent back: session id, element texts, exceptions, widget ids and message kinds."""

    session: str = ""
    texts: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    widgets: dict[str, str] = field(default_factory=dict)
    kinds: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


def ws_url(base: str) -> str:
    return base.replace("http", "ws", 1) + "/_stcore/stream"


def source(address: str | None) -> dict:
    return {"local_addr": (address, 0)} if address else {}


async def connect(base: str, *, address: str | None = None, origin: str | None = None, cookie: str | None = None):
    """A websocket to the app as the page opens it (Origin the page's own unless given), from ``address``."""
    import websockets

    return await websockets.connect(
        ws_url(base),
        subprotocols=["streamlit"],
        origin=origin or base,
        additional_headers={"Cookie": cookie} if cookie else None,
        max_size=None,
        open_timeout=30,
        **source(address),
    )


async def run(ws, page: str = "", query: str = "", states: Iterable = (), timeout: float = 60) -> PageRun:
    """One script run of ``page`` with ``query`` and widget ``states``; collects until the run finishes."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    message = BackMsg()
    message.rerun_script.page_name = page
    message.rerun_script.query_string = query
    message.rerun_script.widget_states.widgets.extend(states)
    await ws.send(message.SerializeToString())
    result = PageRun()
    async with asyncio.timeout(timeout):
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await ws.recv())
            kind = forward.WhichOneof("type")
            result.kinds.append(kind)
            if kind == "new_session":
                result.session = forward.new_session.initialize.session_id
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                name = element.WhichOneof("type")
                part = getattr(element, name)
                result.texts.append(str(part))
                if name == "exception":
                    result.exceptions.append(str(part))
                if getattr(part, "id", ""):
                    result.widgets[part.id] = name
            elif kind == "script_finished":
                return result


async def send_kind(ws, kind: str, wait: float = 3.0) -> list[str]:
    """Send a bare BackMsg of ``kind`` (``clear_cache``, ``load_git_info`` …); the kinds of what came back within ``wait`` s."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    message = BackMsg()
    setattr(message, kind, True)
    await ws.send(message.SerializeToString())
    answers = []
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(wait):
            while True:
                forward = ForwardMsg()
                forward.ParseFromString(await ws.recv())
                answers.append(forward.WhichOneof("type"))
    return answers


def forged_states(widget: str) -> list:
    """Values of every kind for ``widget`` that no browser would send (wrong types, out of range, control characters)."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    states = []
    for kind in ("int_value", "double_value", "string_value", "bool_value", "json_value", "int_array_value"):
        state = WidgetState(id=widget)
        if kind == "int_value":
            state.int_value = 10**15
        elif kind == "double_value":
            state.double_value = float("nan")
        elif kind == "string_value":
            state.string_value = "\x00\u202e9999-99-99"
        elif kind == "bool_value":
            state.bool_value = True
        elif kind == "json_value":
            state.json_value = "{not json"
        else:
            state.int_array_value.data.extend([-5, 10**12])
        states.append(state)
    return states


def deflate_bomb(unpacked_mb: int) -> bytes:
    """One masked, compressed (RSV1) binary frame that inflates to ``unpacked_mb`` MB of zeros: the raw bytes."""
    from websockets.frames import apply_mask

    packer = zlib.compressobj(9, zlib.DEFLATED, -12)
    payload = (packer.compress(bytes(unpacked_mb * 1024 * 1024)) + packer.flush(zlib.Z_SYNC_FLUSH))[:-4]
    size = len(payload)
    if size < 126:
        head = bytes([0xC2, 0x80 | size])
    elif size < 65536:
        head = bytes([0xC2, 0x80 | 126]) + struct.pack("!H", size)
    else:
        head = bytes([0xC2, 0x80 | 127]) + struct.pack("!Q", size)
    key = os.urandom(4)
    return head + key + apply_mask(payload, key)


async def send_raw(base: str, frame: bytes, address: str | None = None, wait: float = 30) -> int | str | None:
    """Open a compressed websocket, write ``frame`` as is; how the server ended it.

    The close code it sent; None when it dropped the connection without one
    (it may close while the frame is still arriving: the unread rest resets the
    connection); ``"open"`` when it still held it after ``wait`` seconds.
    """
    import websockets

    ws = await websockets.connect(
        ws_url(base), subprotocols=["streamlit"], origin=base, compression="deflate", max_size=None, **source(address)
    )
    try:
        ws.transport.write(frame)
        async with asyncio.timeout(wait):
            while True:
                await ws.recv()
    except websockets.ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None
    except TimeoutError:
        return "open"
    finally:
        await ws.close()


async def handshake_status(base: str, origin: str, address: str | None = None) -> int:
    """The HTTP status of a websocket handshake with ``origin`` (101 when accepted)."""
    import websockets

    try:
        ws = await connect(base, address=address, origin=origin)
    except websockets.InvalidStatus as refused:
        return refused.response.status_code
    await ws.close()
    return 101


def get(
    base: str, path: str, *, address: str | None = None, headers: dict | None = None, method: str = "GET", body=None
) -> tuple[int, dict[str, str], bytes, float]:
    """Status, headers (lower-case names; Set-Cookie joined by newlines), body and seconds of one request."""
    parts = urlsplit(base)
    started = time.monotonic()
    conn = http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=60, source_address=(address, 0) if address else None
    )
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    fields: dict[str, str] = {}
    for name, value in response.getheaders():
        fields[name.lower()] = f"{fields[name.lower()]}\n{value}" if name.lower() in fields else value
    return response.status, fields, data, time.monotonic() - started


def outside_connects(trace: Path) -> list[str]:
    """The connect() calls in an strace log that leave the loopback or ask a resolver (port 53, anywhere).

    Examples
    --------
    >>> import tempfile
    >>> log = Path(tempfile.mkdtemp()) / "trace"
    >>> _ = log.write_text(
    ...     '9 connect(5, {sa_family=AF_INET, sin_port=htons(5432), sin_addr=inet_addr("127.0.0.1")}, 16) = 0\\n'
    ...     '9 connect(6, {sa_family=AF_UNIX, sun_path="/run/x"}, 110) = 0\\n'
    ...     '9 connect(7, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.53")}, 16) = 0\\n'
    ...     '9 connect(8, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("52.1.2.3")}, 16) = -1\\n'
    ...     '9 connect(9, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), '
    ...     'inet_pton(AF_INET6, "2600::1", &sin6_addr), sin6_scope_id=0}, 28) = -1\\n')
    >>> [line.split("(")[1].split(",")[0] for line in outside_connects(log)]
    ['7', '8', '9']
    """
    found = []
    for line in trace.read_text(errors="replace").splitlines():
        match = CONNECT.search(line)
        if not match or match["family"] not in ("AF_INET", "AF_INET6"):
            continue
        address = match["v4"] or match["v6"] or ""
        loopback = address.startswith("127.") or address in ("::1", "::ffff:127.0.0.1")
        if not loopback or match["port"] == "53":
            found.append(line)
    return found


def strace(log: Path, apart: bool = False) -> list[str]:
    """The command prefix that records every connect() of a process, its threads and children to ``log``.

    ``apart``: one file per process and thread (``log.<pid>``), for several traced at once.
    """
    return ["strace", "-ff" if apart else "-f", "-qq", "--seccomp-bpf", "-e", "trace=connect", "-o", str(log)]


def traced_pid(wrapper_pid: int) -> int:
    """The pid of the program strace (``wrapper_pid``) runs."""
    children = Path(f"/proc/{wrapper_pid}/task/{wrapper_pid}/children").read_text().split()
    return int(children[0]) if children else wrapper_pid


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


async def foreign_handshakes_and_a_static_file(base: str, count: int, address: str | None = None) -> dict:
    """``count`` handshakes with a foreign Origin at once, and a static file fetched meanwhile: statuses and its seconds."""
    origins = [f"http://evil-{n}.example" for n in range(count)]
    handshakes = asyncio.gather(*(handshake_status(base, origin, address) for origin in origins))
    await asyncio.sleep(0.05)  # the handshakes are on the wire
    status, _, _, seconds = await asyncio.to_thread(get, base, STATIC, address=address)
    return {"statuses": sorted(set(await handshakes)), "static_status": status, "static_seconds": seconds}


def probe(argv: Sequence[str]) -> int:
    """Inside a network namespace with only the loopback: ``sid-atlas serve`` under strace, then the foreign-origin probe.

    Prints one JSON line: the probe's result, the outside connect() attempts
    and whether the server came up.
    """
    parser = argparse.ArgumentParser(prog="python -m tests.deploy.wire probe")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--trace", type=Path, required=True)
    parser.add_argument("--log", type=Path, required=True)
    parser.add_argument("--count", type=int, default=30)
    args = parser.parse_args(argv)
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    cli = Path(sys.executable).with_name("sid-atlas")
    with open(args.log, "wb") as out:
        server = subprocess.Popen(
            [*strace(args.trace), str(cli), "serve", "--port", str(args.port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{args.port}"
    result: dict = {"up": False}
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            with contextlib.suppress(OSError):
                if get(base, "/_stcore/health")[0] == 200:
                    result["up"] = True
                    break
            time.sleep(0.3)
        if result["up"]:
            result.update(asyncio.run(foreign_handshakes_and_a_static_file(base, args.count)))
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, 15)
        server.wait(30)
    result["outside"] = outside_connects(args.trace)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["probe"]:
        sys.exit(probe(sys.argv[2:]))
    sys.exit("usage: python -m tests.deploy.wire probe --port N --trace FILE --log FILE")
