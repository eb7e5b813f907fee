"""Real-browser measurements: Debian's Chromium driven by Playwright.

For one app this opens the page several times in fresh browser contexts
(empty HTTP cache, like a first visit; the *server* is warm, as the issue
asks), times page open -> map fully drawn, then moves the Stichtag and times
the change -> map and figures updated. Websocket frames and geometry
responses are recorded on the way, so bytes come from the same runs.

Timing is from Python (``time.perf_counter``) around Playwright calls; the
state is polled every ``POLL_S`` seconds, so each time carries up to that
much resolution error plus one CDP round trip (a few ms).
"""

from __future__ import annotations

import datetime as dt
import gzip
import re
import time
from dataclasses import dataclass, field

from benchmarks.apps import DAY_AFTER, DAY_BEFORE, App
from benchmarks.report import Series

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
POLL_S = 0.01
OPEN_TIMEOUT_S = 60.0
CHANGE_TIMEOUT_S = 30.0
SETTLE_S = 0.75  # no websocket frame for this long = the rerun's messages are all in

WORD = re.compile(rb"[A-Za-z_]{5,}")
FIGURES_JS = """() => Array.from(document.querySelectorAll('[data-testid="stMetricValue"]'))
  .map((e) => e.innerText).join(" | ")"""


@dataclass
class BrowserResult:
    """Everything one app's browser run produced."""

    page_open: Series = field(default_factory=Series)
    change: Series = field(default_factory=Series)
    ws_open: Series = field(default_factory=Series)
    ws_change: Series = field(default_factory=Series)
    ws_change_gzip: Series = field(default_factory=Series)
    script: Series = field(default_factory=Series)  # ms of JavaScript per change to a new day (CDP ScriptDuration)
    frames: Series = field(default_factory=Series)  # websocket messages per change to a new day
    geometry_raw: Series = field(default_factory=Series)
    geometry_gzip: Series = field(default_factory=Series)
    geometry_urls: list[str] = field(default_factory=list)
    largest_change_frames: list[str] = field(default_factory=list)
    external: dict = field(default_factory=dict)


class WsRecorder:
    """Websocket frames the page receives, with arrival times."""

    def __init__(self):
        self.frames: list[tuple[float, bytes]] = []

    def attach(self, page) -> None:
        page.on("websocket", lambda ws: ws.on("framereceived", self._received))

    def _received(self, payload) -> None:
        data = payload.encode() if isinstance(payload, str) else bytes(payload)
        self.frames.append((time.perf_counter(), data))

    def since(self, start: float) -> bytes:
        return b"".join(data for t, data in self.frames if t >= start)

    def count_since(self, start: float) -> int:
        return sum(1 for t, _ in self.frames if t >= start)

    def messages_since(self, start: float) -> list[bytes]:
        return [data for t, data in self.frames if t >= start]

    def largest_since(self, start: float, count: int = 4, minimum: int = 10_000) -> list[str]:
        """The biggest frames since ``start``, each with a few words from its start.

        Streamlit messages are protobuf; the first identifiers inside (argument
        names, column names) say well enough which element a big frame carries.
        """
        big = sorted((data for t, data in self.frames if t >= start and len(data) >= minimum), key=len, reverse=True)[
            :count
        ]
        return [f"{len(data):,} B ({' '.join(w.decode() for w in WORD.findall(data[:600])[:5])})" for data in big]

    def wait_quiet(self, page, quiet_s: float = SETTLE_S, limit_s: float = 10.0) -> None:
        """Return once no frame arrived for ``quiet_s`` (at most ``limit_s``)."""
        deadline = time.perf_counter() + limit_s
        while time.perf_counter() < deadline:
            last = self.frames[-1][0] if self.frames else 0.0
            if time.perf_counter() - last >= quiet_s:
                return
            page.wait_for_timeout(50)


def map_state(page, app: App) -> dict | None:
    """The most complete map state among the frames that hold ``app``'s map."""
    best = None
    for frame in page.frames:
        if app.frame_marker not in frame.url:
            continue
        try:
            state = frame.evaluate(app.state_js)
        except Exception:  # frame detached or still navigating: just poll again
            continue
        if state and (best is None or state["drawn"] > best["drawn"]):
            best = state
    return best


def figures(page) -> str:
    try:
        return page.evaluate(FIGURES_JS)
    except Exception:  # page between documents
        return ""


def wait_until(page, predicate, timeout_s: float) -> float | None:
    """Poll ``predicate`` until true; the perf_counter time it became true, or None.

    Waits with ``page.wait_for_timeout``, never ``time.sleep``: Playwright's
    sync API only dispatches events (websocket frames, routed requests) while
    one of its calls runs, so a plain sleep would stall the page.
    """
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        if predicate():
            return time.perf_counter()
        page.wait_for_timeout(POLL_S * 1000)
    return None


def set_date(page, old: dt.date, new: dt.date) -> float:
    """Move the "Stichtag" slider one day with the keyboard, as a person would; return the start time.

    Both builds use ``st.slider`` labelled "Stichtag" with a one-day step (the
    browser tests drive ours the same way). The clock starts right before
    the key press, so Streamlit's own slider handling counts against the app.
    """
    if abs((new - old).days) != 1:
        raise ValueError("the keyboard moves the slider by one day; pick adjacent days")
    slider = page.get_by_role("slider", name="Stichtag").first
    slider.focus()
    start = time.perf_counter()
    slider.press("ArrowRight" if new > old else "ArrowLeft")
    return start


def new_context(browser, *, refuse_external: bool = True):
    """A fresh context (empty cache); requests that leave the machine are refused and listed.

    Playwright turns the HTTP cache off in a context with routing, so a
    measurement of what a returning visitor's cache saves passes
    ``refuse_external=False`` (the app requests nothing outside anyway: the
    browser tests prove it with the network cut).
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    external: list[str] = []
    if not refuse_external:
        return context, external

    def refuse(route):
        external.append(route.request.url)
        route.abort()

    # A regex, not a Python callable: Playwright then intercepts only matching
    # requests in the browser instead of round-tripping every request through Python.
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), refuse)
    return context, external


def script_seconds(cdp) -> float:
    """Seconds of JavaScript the page has run so far (Chromium's ``ScriptDuration``, CDP ``Performance``)."""
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "ScriptDuration")


def measure(browser, base: str, app: App, *, opens: int, log=print) -> BrowserResult:
    """Open ``app`` ``opens`` + 1 times (the first is a discarded warm-up), change the date twice each."""
    return measure_interleaved(browser, {app.name: (base, app)}, opens=opens, log=log)[app.name]


def measure_interleaved(browser, servers: dict[str, tuple[str, App]], *, opens: int, log=print) -> dict:
    """Every app's opens in turn (A B A B …, who goes first rotating), so sample ``i`` of two apps form a pair.

    Parameters
    ----------
    browser
        A launched Playwright Chromium.
    servers : dict
        App name -> (its running server's base URL, the app).
    opens : int
        Measured page opens per app; every open also yields two Stichtag changes.
    """
    from benchmarks.floor import rotated

    results = {name: BrowserResult() for name in servers}
    for rep in range(opens + 1):
        for name in rotated(list(servers), rep):
            base, app = servers[name]
            _one_open(browser, base, app, results[name], rep, log)
    return results


def _one_open(browser, base: str, app: App, result: BrowserResult, rep: int, log) -> None:
    warmup = rep == 0
    context, refused = new_context(browser)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        ws = WsRecorder()
        ws.attach(page)
        responses = []
        page.on("response", lambda r: responses.append(r) if r.request.resource_type in ("fetch", "xhr") else None)
        start = time.perf_counter()
        page.goto(app.url(base, DAY_BEFORE), wait_until="commit")
        drawn_at = wait_until(
            page, lambda: (map_state(page, app) or {}).get("drawn", 0) >= app.expected_drawn, OPEN_TIMEOUT_S
        )
        if drawn_at is None:
            raise RuntimeError(
                f"{app.name}: map not drawn within {OPEN_TIMEOUT_S:.0f} s (state {map_state(page, app)})"
            )
        if not warmup:
            result.page_open.samples.append((drawn_at - start) * 1000)
        # Figures may still be arriving: wait for them and for a quiet socket.
        if app.figures:
            wait_until(page, lambda: figures(page) != "", 10)
        ws.wait_quiet(page)
        if rep == 1:
            result.ws_open.samples.append(len(ws.since(start)))
            geo = [(r.url, r.body()) for r in responses if r.ok and _is_geometry(r)]
            result.geometry_urls = [url for url, _ in geo]
            result.geometry_raw.samples.append(sum(len(body) for _, body in geo))
            result.geometry_gzip.samples.append(sum(len(gzip.compress(body, 6)) for _, body in geo))
        for old, new in ((DAY_BEFORE, DAY_AFTER), (DAY_AFTER, DAY_BEFORE)):
            before_map, before_figs = map_state(page, app), figures(page)

            def updated():
                state = map_state(page, app)
                return (
                    state is not None
                    and state["drawn"] >= app.expected_drawn
                    and state["signature"] != before_map["signature"]
                    and (not app.figures or figures(page) not in ("", before_figs))
                )

            script_before = script_seconds(cdp)
            begin = set_date(page, old, new)
            done = wait_until(page, updated, CHANGE_TIMEOUT_S)
            if done is None:
                raise RuntimeError(
                    f"{app.name}: map/figures not updated {old} -> {new} within {CHANGE_TIMEOUT_S:.0f} s"
                )
            ws.wait_quiet(page)
            if not warmup:
                result.change.samples.append((done - begin) * 1000)
            if not warmup and old == DAY_BEFORE:
                # Bytes and script time only for the change to a day this page has not shown yet:
                # going back is answered from Streamlit's message cache (the
                # browser already holds those bytes), which says nothing of a new date.
                result.script.samples.append((script_seconds(cdp) - script_before) * 1000)
                payload = ws.since(begin)
                result.frames.samples.append(float(ws.count_since(begin)))
                if not result.largest_change_frames:
                    result.largest_change_frames = ws.largest_since(begin)
                result.ws_change.samples.append(len(payload))
                result.ws_change_gzip.samples.append(len(gzip.compress(payload, 6)))
        log(f"  {app.name} open {rep}{' (warm-up)' if warmup else ''}: {(drawn_at - start) * 1000:.0f} ms")
    finally:
        context.close()
    if refused:
        result.external.setdefault("refused", []).extend(refused)


def _is_geometry(response) -> bool:
    """Geometry the map fetched: ours TopoJSON, the baseline's a GeoJSON FeatureCollection."""
    try:
        head = response.body()[:200]
    except Exception:  # body gone (redirect, aborted): not geometry we can count
        return False
    return b'"FeatureCollection"' in head or b'"Topology"' in head


@dataclass(frozen=True)
class VisitBytes:
    """What one visit received: HTTP and websocket, each raw and on the wire."""

    http_wire: int  # as transferred: encoded bodies and headers (encodedDataLength); 0 for the HTTP cache
    http_raw: int  # bodies as decoded (dataLength)
    ws_wire: int  # the websocket's messages as permessage-deflate sends them (report.permessage_deflate_size)
    ws_raw: int  # the websocket's messages, decompressed

    @property
    def wire(self) -> int:
        return self.http_wire + self.ws_wire

    @property
    def raw(self) -> int:
        return self.http_raw + self.ws_raw


def open_bytes(browser, base: str, app: App, log=print) -> tuple[VisitBytes, VisitBytes]:
    """Bytes a visitor receives to see ``app``'s map: a first visit, then a second one.

    Counted the same way for HTTP and the websocket, twice: raw (bodies decoded,
    messages decompressed) and on the wire (HTTP as Chromium's own
    ``encodedDataLength`` per finished request, headers included, a response
    from the HTTP cache counting 0; the websocket's messages as
    permessage-deflate sends them, :func:`benchmarks.report.permessage_deflate_size`,
    since the browser hands out only decompressed messages). The second visit
    is a new tab in the same context, so the HTTP cache of the first applies,
    as for a returning reader. HTTP and websocket are also kept apart because
    only HTTP can be cached: the websocket carries the page itself, which a new
    session always receives.
    """
    context, _ = new_context(browser, refuse_external=False)
    try:
        cold = _one_visit(context, base, app)
        return cold, _one_visit(context, base, app)
    finally:
        context.close()


def _one_visit(context, base: str, app: App) -> VisitBytes:
    from benchmarks.report import permessage_deflate_size

    page = context.new_page()
    try:
        ws = WsRecorder()
        ws.attach(page)
        received: dict[str, float] = {}
        decoded: dict[str, float] = {}
        cached: set[str] = set()
        cdp = context.new_cdp_session(page)
        cdp.on(
            "Network.loadingFinished",
            lambda event: received.__setitem__(event["requestId"], event["encodedDataLength"]),
        )
        cdp.on(
            "Network.dataReceived",
            lambda event: decoded.__setitem__(
                event["requestId"], decoded.get(event["requestId"], 0) + event["dataLength"]
            ),
        )
        # A response from the HTTP cache may still report its size: it was not transferred.
        cdp.on("Network.requestServedFromCache", lambda event: cached.add(event["requestId"]))
        cdp.on(
            "Network.responseReceived",
            lambda event: cached.add(event["requestId"]) if event["response"].get("fromDiskCache") else None,
        )
        cdp.send("Network.enable")
        start = time.perf_counter()
        page.goto(app.url(base, DAY_BEFORE), wait_until="commit")
        if (
            wait_until(page, lambda: (map_state(page, app) or {}).get("drawn", 0) >= app.expected_drawn, OPEN_TIMEOUT_S)
            is None
        ):
            raise RuntimeError(f"{app.name}: map not drawn within {OPEN_TIMEOUT_S:.0f} s through {base}")
        ws.wait_quiet(page)
        # The whole page, not only the map: the charts' frames load their files after the map is drawn (the page's
        # second run). Counted only on the first visit, they would show up as "new" bytes on the second.
        page.wait_for_load_state("networkidle")
        ws.wait_quiet(page)
        cdp.detach()
        messages = ws.messages_since(start)
        return VisitBytes(
            http_wire=int(sum(n for rid, n in received.items() if rid not in cached)),
            http_raw=int(sum(n for rid, n in decoded.items() if rid not in cached)),
            ws_wire=permessage_deflate_size(messages),
            ws_raw=sum(map(len, messages)),
        )
    finally:
        page.close()
