"""Many viewers at once: N real Streamlit sessions against one running app.

Each simulated viewer speaks Streamlit's own protocol, as the browser does: it
opens the websocket ``/_stcore/stream``, sends a ``BackMsg`` asking for a
script run with the page's query string, and reads ``ForwardMsg`` protobufs
(``streamlit.proto``, shipped with Streamlit) until ``script_finished``. To
move the Stichtag it sends the slider's new value as a widget state, exactly
the message the browser sends when the slider is released. The websocket
client is ``websockets``, a dependency of Streamlit itself, so nothing is
added to the environment.

Like the browser, a viewer keeps Streamlit's message cache: every
``ForwardMsg`` the server marks ``cacheable`` is kept under its hash, the
hashes go with every ``rerun_script`` request (``cached_message_hashes``),
the server then sends a ``ref_hash`` instead of an element the viewer
already holds, and entries unused for ``max_cached_message_age`` runs (from
the session's ``new_session`` config) are dropped after each finished run —
the same rules as the frontend's ``ForwardMsgCache``. Without it the bytes of
a change to a day already seen would be overstated.

Not a browser: no HTML, JavaScript or map geometry is fetched (those are
static files, the same for every viewer, and hold no server memory), and
nothing is drawn. What is measured is the server's side of a session: the
time from sending the change to the first figure with the new value and to
the end of the script run (everything the page needs, map states included,
has been sent by then), and the server's resident memory per open session.

Every viewer alternates between two days on either side of Detmold's
accession (2024-02-01), so the first figure must change with every move;
the days differ per viewer (``i % SPREAD`` days further out, a stretch with no
other coverage change), so the app's per-date caches see misses as well as
the hits a press day would bring. Between moves a viewer waits a think time
drawn from a seeded RNG, like a person looking at the map.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime as dt
import random
import re
import time
from dataclasses import dataclass, field
from typing import Any

from benchmarks.apps import DAY_AFTER, DAY_BEFORE

# No coverage changes between 2023-10-31 and DAY_AFTER, nor after it, so any
# day up to SPREAD days before DAY_BEFORE and after DAY_AFTER shows the same
# figures as DAY_BEFORE and DAY_AFTER respectively.
SPREAD = 60
EPOCH = dt.date(1970, 1, 1)
MICROS_PER_DAY = 86_400 * 1_000_000
RAMP_S = 0.1  # between two viewers' arrivals: 50 viewers arrive within 5 s
RUN_TIMEOUT_S = 30.0  # one script run (open or change); longer is an error, not a wait
SETTLE_S = 1.0  # let the server finish sending before its memory is read
DATA_URL = re.compile(rb"/_sid/daten/[a-z0-9.-]+-[0-9a-f]{16}\.json")


def days_for(viewer: int) -> tuple[dt.date, dt.date]:
    """The two days viewer ``viewer`` alternates between: same figures as the Detmold pair.

    Examples
    --------
    >>> days_for(0)
    (datetime.date(2024, 1, 31), datetime.date(2024, 2, 1))
    >>> days_for(61)
    (datetime.date(2024, 1, 30), datetime.date(2024, 2, 2))
    """
    offset = dt.timedelta(days=viewer % SPREAD)
    return DAY_BEFORE - offset, DAY_AFTER + offset


def slider_micros(day: dt.date) -> float:
    """A date as Streamlit's date slider sends it: microseconds since the epoch, UTC midnight.

    Examples
    --------
    >>> slider_micros(dt.date(1970, 1, 2))
    86400000000.0
    """
    return float((day - EPOCH).days * MICROS_PER_DAY)


def run_sync(coroutine):
    """Run ``coroutine`` to completion on its own event loop and return its result.

    In a thread of its own, because the caller's thread may already run a
    loop (Playwright's sync API keeps one), where ``asyncio.run`` refuses.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(asyncio.run, coroutine).result()


def rss_bytes(pid: int) -> int:
    """Resident memory of a process (``VmRSS`` in ``/proc/<pid>/status``), in bytes."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024  # the kernel reports kB (KiB)
    raise RuntimeError(f"no VmRSS for pid {pid}")


def per_session_bytes(baseline: int, loaded: int, sessions: int) -> float:
    """Memory each additional session costs: growth over the warm baseline, shared out.

    Growth is not clipped at zero: a negative value (memory returned to the OS
    meanwhile) is a real, if odd, outcome and stays visible.

    Examples
    --------
    >>> per_session_bytes(400_000_000, 650_000_000, 50)
    5000000.0
    """
    if sessions <= 0:
        raise ValueError("per-session memory needs at least one session")
    return (loaded - baseline) / sessions


@dataclass
class Run:
    """One script run as the viewer saw it: times in ms from sending the request."""

    finished_ms: float
    figure_ms: float | None  # first st.metric of the run arrived
    figure: str | None  # its value, e.g. "326 von 396 (82,3 %)"
    title: str | None  # the first heading, i.e. the page title
    payload: int = 0  # websocket payload bytes received for this run (after decompression): "raw"
    cache_refs: int = 0  # elements the server sent as a reference to the viewer's cache
    wire: int = 0  # bytes read from the socket for this run (compressed frames and their headers): "on the wire"
    elements: int = 0  # delta messages (elements and blocks) the run sent: what the browser redraws


class MessageCache:
    """The browser's ``ForwardMsgCache``: cacheable messages by hash, aged per finished run.

    Examples
    --------
    >>> cache = MessageCache(max_age=2)
    >>> cache.keep("a", b"A"); cache.finish_run(); cache.keep("b", b"B"); cache.finish_run()
    >>> cache.hashes()
    ['a', 'b']
    >>> cache.finish_run(); cache.hashes()      # "a" last used 3 runs ago: dropped
    ['b']
    >>> cache.use("b"); cache.finish_run(); cache.finish_run(); cache.hashes()
    b'B'
    ['b']
    """

    def __init__(self, max_age: int = 2):
        self.max_age = max_age
        self.runs = 0
        self._entries: dict[str, tuple[int, bytes]] = {}

    def keep(self, digest: str, message: bytes) -> None:
        """A cacheable message arrived: keep it (or mark it fresh)."""
        self._entries[digest] = (self.runs, message)

    def use(self, digest: str) -> bytes:
        """The message a ``ref_hash`` points to, marked fresh.

        Raises
        ------
        RuntimeError
            The server referred to a message this viewer does not hold (the
            browser reports the same as a bug).
        """
        if digest not in self._entries:
            raise RuntimeError(f"cached ForwardMsg miss [hash={digest}]")
        message = self._entries[digest][1]
        self._entries[digest] = (self.runs, message)
        return message

    def finish_run(self) -> None:
        """A script run finished: one run older; what has not been used for ``max_age`` runs goes."""
        self.runs += 1
        self._entries = {h: entry for h, entry in self._entries.items() if self.runs - entry[0] <= self.max_age}

    def hashes(self) -> list[str]:
        return list(self._entries)


@dataclass
class LoadResult:
    """What one load test produced (see :func:`benchmarks.sweep.step_of` for how it is judged)."""

    sessions: int
    held: int = 0
    open_ms: list[float] = field(default_factory=list)
    change_ms: list[float] = field(default_factory=list)  # change -> script finished
    figure_ms: list[float] = field(default_factory=list)  # change -> first new figure
    errors: list[str] = field(default_factory=list)
    rss_baseline: int | None = None
    rss_opened: int | None = None
    rss_loaded: int | None = None


def source_address(url: str, viewer: int) -> tuple[str, int] | None:
    """Viewers of a loopback server each from an address of their own, as people are (127.0.0.2 …).

    The server and nginx limit websockets and messages per client address
    (docs/security.md); hundreds of viewers from 127.0.0.1 would be one
    client over its limits.

    Examples
    --------
    >>> source_address("ws://127.0.0.1:8501/_stcore/stream", 0), source_address("ws://127.0.0.1:1/", 300)
    (('127.0.0.2', 0), ('127.0.0.52', 0))
    >>> source_address("ws://atlas.example/_stcore/stream", 0) is None
    True
    """
    if "//127.0.0.1:" not in url:
        return None
    return (f"127.0.0.{2 + viewer % 250}", 0)


class Viewer:
    """One browser tab's worth of Streamlit session, driven over the websocket.

    ``cookie``: the ``sid_replica`` value a browser got from nginx (its replica
    by affinity; without one, nginx spreads the sockets). :meth:`reconnect`
    does what the browser does when its socket drops: connect again, asking to
    resume the session it had (by id), and run the page from its address.
    """

    def __init__(self, base: str, viewer: int, cookie: str | None = None, source: str | None = None):
        self.ws_url = base.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.origin = base
        self.viewer = viewer
        self.cookie = cookie
        self.source = source  # the client address to connect from (else :func:`source_address`)
        self.ws: Any = None  # websockets' ClientConnection once connected
        self.session_id: str | None = None
        self.slider_id: str | None = None
        self.slider_fragment = ""  # the fragment the slider is drawn in: its change reruns only that, as in a browser
        self.query = ""
        self.alerts: list[str] = []  # the info/warning/error boxes of the last run
        self.texts: list[str] = []  # its markdown and captions
        self.data_urls: set[str] = set()  # the data files its components were given (dashboard/datafiles.py)
        self.cache = MessageCache()
        self.wire_bytes = 0  # read from the socket so far, as the kernel handed them over

    async def _connect(self, resume: str | None = None) -> None:
        import websockets
        from websockets.typing import Origin, Subprotocol

        # The browser offers compression and so does the app's config: measure with it. Resuming, it names its
        # session third in the subprotocol list (the second is the XSRF token, which these viewers lack).
        self.ws = await websockets.connect(
            self.ws_url,
            subprotocols=[Subprotocol(p) for p in (["streamlit", "x", resume] if resume else ["streamlit"])],
            origin=Origin(self.origin),
            max_size=None,
            open_timeout=RUN_TIMEOUT_S,
            local_addr=(self.source, 0) if self.source else source_address(self.ws_url, self.viewer),
            additional_headers={"Cookie": f"sid_replica={self.cookie}"} if self.cookie else None,
        )
        # Bytes on the wire: count what the transport hands the protocol, before websockets decompresses it.
        received = self.ws.data_received

        def counting(data: bytes) -> None:
            self.wire_bytes += len(data)
            received(data)

        self.ws.data_received = counting

    async def open(self, day: dt.date | None = None, query: str | None = None) -> Run:
        """Connect and run the page as a visit to ``/?date=<day>`` (or ``/?<query>``) would."""
        await self._connect()
        if query is None:
            if day is None:
                raise ValueError("a visit needs a day or a query")
            query = f"date={day.isoformat()}"
        self.query = query
        run = await self._rerun(None)
        if self.slider_id is None:
            raise RuntimeError("the page has no slider")
        return run

    async def change(self, day: dt.date) -> Run:
        """Move the Stichtag slider to ``day``, as releasing the slider in the browser does."""
        return await self._rerun(day)

    async def rerun(self) -> Run:
        """Run the page again from its address, as a click elsewhere on the page would."""
        return await self._rerun(None)

    async def reconnect(self) -> Run:
        """Connect again after the socket dropped, asking to resume this session; run the page from its address."""
        previous = self.session_id
        with contextlib.suppress(Exception):
            await self.ws.close()
        self.slider_id, self.slider_fragment = None, ""
        await self._connect(resume=previous)
        return await self._rerun(None)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def _rerun(self, day: dt.date | None) -> Run:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        request = BackMsg()
        request.rerun_script.query_string = self.query
        request.rerun_script.cached_message_hashes.extend(self.cache.hashes())
        if day is not None:
            widget = request.rerun_script.widget_states.widgets.add()
            widget.id = self.slider_id
            widget.double_array_value.data.append(slider_micros(day))
            request.rerun_script.fragment_id = self.slider_fragment
        started = time.perf_counter()
        wire_before = self.wire_bytes
        await self.ws.send(request.SerializeToString())
        figure_ms = figure = title = None
        self.alerts, self.texts = [], []
        payload = refs = elements = 0
        async with asyncio.timeout(RUN_TIMEOUT_S):
            while True:
                raw = await self.ws.recv()
                payload += len(raw)
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                kind = msg.WhichOneof("type")
                if kind == "ref_hash":
                    # An element this viewer already holds: read it from the cache, as the browser does.
                    refs += 1
                    held = self.cache.use(msg.ref_hash)
                    msg = ForwardMsg()
                    msg.ParseFromString(held)
                    kind = msg.WhichOneof("type")
                elif msg.metadata.cacheable and msg.hash:
                    self.cache.keep(msg.hash, raw)
                if kind == "new_session":
                    self.cache.max_age = msg.new_session.config.max_cached_message_age
                    self.session_id = msg.new_session.initialize.session_id or self.session_id
                elif kind == "script_finished":
                    if msg.script_finished not in (
                        ForwardMsg.FINISHED_SUCCESSFULLY,
                        ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
                    ):
                        raise RuntimeError(f"script finished with status {msg.script_finished}")
                    self.cache.finish_run()
                    took = (time.perf_counter() - started) * 1000
                    wire = self.wire_bytes - wire_before
                    return Run(took, figure_ms, figure, title, payload, refs, wire, elements)
                if kind == "delta":
                    elements += 1
                if kind == "page_info_changed":
                    # The app rewrites the URL; the browser sends the new one with the next rerun.
                    self.query = msg.page_info_changed.query_string
                elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    element = msg.delta.new_element
                    element_kind = element.WhichOneof("type")
                    if element_kind == "exception":
                        raise RuntimeError(f"the app raised: {element.exception.message}")
                    if element_kind == "slider" and self.slider_id is None:
                        self.slider_id, self.slider_fragment = element.slider.id, msg.delta.fragment_id
                    elif element_kind == "metric" and figure is None:
                        figure_ms, figure = (time.perf_counter() - started) * 1000, element.metric.body
                    elif element_kind == "heading" and title is None:
                        title = element.heading.body
                    elif element_kind == "alert":
                        self.alerts.append(element.alert.body)
                    elif element_kind == "markdown":
                        self.texts.append(element.markdown.body)
                    elif element_kind in ("component_instance", "bidi_component"):
                        found = DATA_URL.findall(element.SerializeToString())
                        self.data_urls.update(url.decode("ascii") for url in found)


class _Crowd:
    """Shared bookkeeping of the viewers: who is in, who is done."""

    def __init__(self, sessions: int):
        self.result = LoadResult(sessions)
        self.arrived = 0  # opened or failed to open
        self.finished = 0
        self.all_in = asyncio.Event()
        self.all_done = asyncio.Event()

    def arrive(self) -> None:
        self.arrived += 1
        if self.arrived == self.result.sessions:
            self.all_in.set()

    def finish(self) -> None:
        self.finished += 1
        if self.finished == self.result.sessions:
            self.all_done.set()


async def _session(client: Viewer, crowd: _Crowd, changes: int, think_s: float, start_delay: float) -> None:
    """One viewer's life: open, ``changes`` Stichtag moves with think times, then stay connected."""
    result = crowd.result
    rng = random.Random(client.viewer)
    before, after = days_for(client.viewer)
    is_open = False
    await asyncio.sleep(start_delay)
    try:
        run = await client.open(before)
        result.open_ms.append(run.finished_ms)
        result.held += 1
        is_open = True
        crowd.arrive()
        # Moves start once everyone is in, so every change meets the full crowd.
        await crowd.all_in.wait()
        shown = run.figure
        for i in range(changes):
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think_s)
            run = await client.change(after if i % 2 == 0 else before)
            if run.figure is None or run.figure_ms is None or run.figure == shown:
                result.errors.append(f"viewer {client.viewer}: figures did not change ({shown} -> {run.figure})")
            else:
                result.change_ms.append(run.finished_ms)
                result.figure_ms.append(run.figure_ms)
            shown = run.figure
    except Exception as exc:  # one viewer's failure is a counted error, not the end of the test
        result.errors.append(f"viewer {client.viewer}: {type(exc).__name__}: {exc}")
        if is_open:
            result.held -= 1  # a session that broke is no longer held
        else:
            crowd.arrive()
    crowd.finish()


async def warm_up(base: str, log=print) -> None:
    """One session that opens and moves twice: coverage model, imports and shared caches, as after a first visitor."""
    warm = Viewer(base, 0)
    try:
        run = await warm.open(DAY_BEFORE)
        await warm.change(DAY_AFTER)
        await warm.change(DAY_BEFORE)
        log(f"  warm-up session: open {run.finished_ms:.0f} ms")
    finally:
        await warm.close()


async def _run(
    base: str, pid: int | None, sessions: int, changes: int, think_s: float, ramp_s: float, deadline_s: float, log
) -> LoadResult:
    await warm_up(base, log)
    await asyncio.sleep(SETTLE_S)
    crowd = _Crowd(sessions)
    result = crowd.result
    memory = (lambda: rss_bytes(pid)) if pid is not None else (lambda: None)
    result.rss_baseline = memory()

    clients = [Viewer(base, i) for i in range(sessions)]
    tasks = [
        asyncio.create_task(_session(client, crowd, changes, think_s, client.viewer * ramp_s)) for client in clients
    ]
    try:
        async with asyncio.timeout(deadline_s):
            await crowd.all_in.wait()
            await asyncio.sleep(SETTLE_S)
            result.rss_opened = memory()
            log(f"  {result.held} of {sessions} sessions open; moving the Stichtag {changes} times each ...")
            await crowd.all_done.wait()
            await asyncio.sleep(SETTLE_S)
            result.rss_loaded = memory()  # every held session is still connected here
    except TimeoutError:
        result.errors.append(f"load test stopped at its {deadline_s:.0f} s limit")
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await asyncio.gather(*(client.close() for client in clients), return_exceptions=True)
    return result


def measure(
    base: str,
    pid: int | None,
    *,
    sessions: int,
    changes: int,
    think_s: float,
    ramp_s: float,
    deadline_s: float,
    log=print,
) -> LoadResult:
    """Drive ``sessions`` concurrent viewers against the app at ``base`` (server process ``pid``).

    All viewers open (one every ``ramp_s`` seconds) and stay connected; once
    all are in, each moves the Stichtag ``changes`` times, waiting a think
    time of 0.5-1.5 x ``think_s`` before each move. The whole test stops
    after ``deadline_s`` seconds at the latest, counting what is left as an
    error.
    """
    return run_sync(_run(base, pid, sessions, changes, think_s, ramp_s, deadline_s, log))
