"""What ``sid-atlas serve`` adds to Streamlit's own server: sign-in, upload gate, headers, German shell.

``sid-atlas serve`` runs :mod:`dashboard.serve`, an ``st.App`` around
``dashboard/app.py`` with the route and middleware defined here; nginx
(``deploy/nginx.conf.template``) proxies to exactly that, so there is one
mechanism for ``make run`` and the deployment. ``streamlit run
dashboard/app.py`` without it still shows the atlas, but the register page
disables editing and says why (:func:`active`).

Sign-in (``/_sid/anmelden``)
    A plain HTML form posts an account name and its password here;
    :mod:`register.signin` counts the attempt against the client's address
    (:func:`client_address`) and the account, waits, and
    :mod:`register.editors` compares (one Argon2id hash at a time per process);
    on success the browser receives the token in an HttpOnly, SameSite=Strict
    cookie and goes to the register page. The page reads the cookie from its
    own websocket's handshake (``st.context.cookies``), so a client that
    resumes an editor's session id without the cookie is a viewer.

Uploads
    Streamlit accepts a file for any live session id. Here a PUT or DELETE to
    ``/_stcore/upload_file/<session>/…`` passes only for a session in which
    the register page shows an uploader to a signed-in editor, and only with
    that editor's cookie; bytes held per session and per process are capped.

The wire (:class:`Wire`, :func:`run`)
    Only known host names (:class:`Settings`); one client address, the
    TCP peer's, or what the configured proxy says it is; websockets only
    from the page's own origin, at most :data:`SOCKETS_PER_ADDRESS` per
    address and :data:`SOCKETS_PER_PROCESS` per process, messages of at
    most :data:`MAX_MESSAGE_BYTES` (also unpacked) at a bounded rate, and
    the protocol's messages that act for all users or describe the
    deployment only from a signed-in editor (:data:`BACKMSG_POLICY`).
    Nothing leaves the machine (:func:`no_outside_calls`); an error in a
    page shows one sentence and an id, the traceback goes to the log
    (:func:`script_error`).

Everything else
    Security headers on every response (:func:`security_headers`; framing
    only for the embed view, :func:`frame_policy`), ``/_stcore/metrics``
    from the loopback only, ``/_stcore/health`` ``ok`` only once the
    coverage model is loaded and the first page's work done (:func:`warm_first_page`), the page shell and Streamlit's words in the page's
    language (:mod:`dashboard.chrome`), the page's data files (map geometry,
    tooltips, charts) content-addressed under ``/_sid/daten/``
    (:mod:`dashboard.datafiles`), and session ids removed from every log line.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import ipaddress
import logging
import os
import re
import secrets as tokens
import sys
import threading
import time
import typing
from collections.abc import Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from dashboard import assets, chrome, datafiles, urls
from dashboard.appconfig import secrets
from dashboard.peers import client_address
from dashboard.urls import SIGNIN_PATH  # noqa: F401 - the route's path, as tests and the proxy config know it
from loaders.viewstate import LANGUAGES


class _HeldUploads(typing.Protocol):
    """What the upload limit reads of Streamlit's in-memory upload store (private; docs/streamlit-upgrade.md)."""

    file_storage: dict[str, dict[str, typing.Any]]
    _total_bytes: int


LOG = logging.getLogger("sid_atlas.server")
COOKIE = "sid_editor"
#: The script ``sid-atlas serve`` runs (:mod:`dashboard.serve`); Streamlit reads the package's settings beside it
#: (``dashboard/.streamlit/config.toml``, its script-level configuration), wherever the package is installed.
LAUNCHER = Path(__file__).resolve().parent / "serve.py"
STREAMLIT_CONFIG = LAUNCHER.parent / ".streamlit" / "config.toml"
FRAME_ANCESTORS_ENV = "SID_ATLAS_FRAME_ANCESTORS"
# An editor's session holds one partner list at a time; a little more room for a replaced one.
SESSION_UPLOAD_MB = 12
PROCESS_UPLOAD_MB = 64
# A sign-in form is two short fields.
MAX_FORM_BYTES = 8 * 1024
# Password hashes compared at once per process (Argon2id: 64 MiB and a fraction of a second of CPU each), and how many
# sign-ins may wait for their turn before one is told to come back later.
HASHING_AT_ONCE = 1
HASHING_QUEUE = 16
# How long an uploader grant outlives the page run that made it (each run renews it).
UPLOADER_SECONDS = 3600
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)

# -- the wire's limits (docs/security.md, "The wire") --
# The largest message a browser sends is a rerun carrying every widget's value: 16.3 KB measured in
# Chromium with every toggle on and every text field of the atlas and the register filled with 3-byte
# characters, to its limit or 2,000 (tests/deploy/test_wire.py measures it again and wants it below
# half). 64 KiB is four times that; the same bound stops the unpacking of a compressed message
# (websockets inflates no further).
MAX_MESSAGE_BYTES = 64 * 1024
# Open websockets (one per browser tab): per client address (an office behind one NAT address shares
# it) and per process (each session holds a few MB; deploy/systemd/sid-atlas@.service's MemoryMax).
SOCKETS_PER_ADDRESS = 50
SOCKETS_PER_PROCESS = 400
# Websocket messages per second, sustained and in a burst: per tab, per address, per process. A
# person sends one per click or release (a page run costs a fraction of a second of CPU). Beyond the rate a
# socket is read later: its messages wait in the client's TCP buffer (uvicorn reads one message at
# a time), not in the server's memory; a flood from one address gets that address's rate, no more.
TAB_RATE = (5.0, 20)
ADDRESS_RATE = (10.0, 50)
PROCESS_RATE = (200.0, 400)
# uvicorn's own cap on connections and tasks (503 beyond it): a backstop behind the caps above.
PROCESS_CONNECTIONS = 1000
TRUSTED_PROXY_ENV = "SID_ATLAS_TRUSTED_PROXY"
SERVER_NAMES_ENV = "SID_ATLAS_SERVER_NAMES"
LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")
HSTS = "max-age=31536000"
HOSTNAME = re.compile(r"(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")

_state = {"active": False}
_uploaders: dict[str, tuple[str, str, float]] = {}  # session -> (cookie, value's hash, until)
_uploaders_lock = threading.Lock()


# -- for the register page ------------------------------------------------------------------------
def active() -> bool:
    """Whether this process serves through :mod:`dashboard.serve` (sign-in endpoint and upload gate)."""
    return _state["active"]


def request_cookies() -> Mapping[str, str]:
    """Cookies of the websocket handshake of the current session's client (not of the session's first one)."""
    import streamlit as st

    return st.context.cookies


def allow_uploads(session_id: str, cookie: str, value: str) -> None:
    """Let ``session_id`` store files, for requests whose cookie ``cookie`` is ``value`` (the editor's sign-in)."""
    from register.signin import token_hash

    with _uploaders_lock:
        _uploaders[session_id] = (cookie, token_hash(value), time.monotonic() + UPLOADER_SECONDS)


def forbid_uploads(session_id: str) -> None:
    """Take the upload grant back from ``session_id``."""
    with _uploaders_lock:
        _uploaders.pop(session_id, None)


def upload_allowed(session_id: str, cookies: Mapping[str, str]) -> bool:
    """Whether an upload request for ``session_id`` carrying ``cookies`` may pass."""
    from register.signin import token_hash

    with _uploaders_lock:
        now = time.monotonic()
        for stale in [s for s, grant in _uploaders.items() if grant[2] < now]:
            del _uploaders[stale]
        grant = _uploaders.get(session_id)
    return grant is not None and bool(cookies.get(grant[0])) and grant[1] == token_hash(cookies[grant[0]])


# -- configuration ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Settings:
    """What the server trusts, from the environment; a wrong value stops the start with one line.

    ``$SID_ATLAS_TRUSTED_PROXY``
        Addresses or networks of the proxy in front (the shipped nginx:
        ``127.0.0.1``), space-separated. Only a request from one of them may
        name the client (``X-Forwarded-For``) and the outside scheme
        (``X-Forwarded-Proto``); unset, nothing is trusted and the client is
        the TCP peer.
    ``$SID_ATLAS_SERVER_NAMES``
        Host names (or addresses) the site is reached under, space-separated;
        besides them only ``localhost``, ``127.0.0.1``, ``::1`` and the address
        the server listens on are answered.
    ``$SID_ATLAS_FRAME_ANCESTORS``
        Sites allowed to frame the embed view (:func:`frame_ancestors`).

    Examples
    --------
    >>> settings = Settings.from_env({"SID_ATLAS_TRUSTED_PROXY": "127.0.0.1 10.0.0.0/8",
    ...                               "SID_ATLAS_SERVER_NAMES": "Atlas.Example.org"}, address="0.0.0.0")
    >>> settings.trusted_proxies, sorted(settings.server_names)
    (('127.0.0.1', '10.0.0.0/8'), ['127.0.0.1', '::1', 'atlas.example.org', 'localhost'])
    >>> Settings.from_env({"SID_ATLAS_TRUSTED_PROXY": "nginx"})
    Traceback (most recent call last):
    ValueError: SID_ATLAS_TRUSTED_PROXY: not an IP address or network: 'nginx'
    >>> Settings.from_env({"SID_ATLAS_SERVER_NAMES": "atlas.example.org/x"})
    Traceback (most recent call last):
    ValueError: SID_ATLAS_SERVER_NAMES: not a host name: 'atlas.example.org/x'
    """

    trusted_proxies: tuple[str, ...] = ()
    server_names: frozenset[str] = frozenset(LOCAL_NAMES)
    ancestors: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ, address: str = "") -> Settings:
        """The settings from the environment (``address``: the one the server listens on)."""
        proxies = env.get(TRUSTED_PROXY_ENV, "").replace(",", " ").split()
        for proxy in proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise ValueError(f"{TRUSTED_PROXY_ENV}: not an IP address or network: {proxy!r}") from None
        names = set(LOCAL_NAMES)
        for name in env.get(SERVER_NAMES_ENV, "").replace(",", " ").split():
            if not (HOSTNAME.fullmatch(name.lower()) or _is_address(name)):
                raise ValueError(f"{SERVER_NAMES_ENV}: not a host name: {name!r}")
            names.add(name.lower())
        if address and _is_address(address) and not ipaddress.ip_address(address).is_unspecified:
            names.add(address)
        return cls(tuple(proxies), frozenset(names), tuple(frame_ancestors(env)))


def host_allowed(host: str | None, names: frozenset[str]) -> bool:
    """Whether a request's ``Host`` header names this site (any port).

    Examples
    --------
    >>> names = Settings().server_names
    >>> host_allowed("127.0.0.1:8501", names), host_allowed("[::1]:80", names), host_allowed("LOCALHOST", names)
    (True, True, True)
    >>> host_allowed("evil.example", names), host_allowed(None, names), host_allowed("a@localhost", names)
    (False, False, False)
    """
    if not host:
        return False
    try:
        parts = urlsplit(f"//{host}")
        parts.port  # noqa: B018 -- validates the port
    except ValueError:
        return False
    if parts.username is not None or parts.path or parts.query or parts.fragment or not parts.hostname:
        return False
    return parts.hostname.rstrip(".") in names


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


# -- headers ----------------------------------------------------------------------------------------
def frame_ancestors(env: Mapping[str, str] = os.environ) -> list[str]:
    """Origins allowed to frame the pages besides the app itself (``$SID_ATLAS_FRAME_ANCESTORS``, space-separated).

    Examples
    --------
    >>> frame_ancestors({"SID_ATLAS_FRAME_ANCESTORS": "https://www.example.org  https://a.example"})
    ['https://www.example.org', 'https://a.example']
    >>> frame_ancestors({"SID_ATLAS_FRAME_ANCESTORS": "http://127.0.0.1:8600"})
    ['http://127.0.0.1:8600']
    >>> frame_ancestors({"SID_ATLAS_FRAME_ANCESTORS": "https://ok.example *; script-src"})
    Traceback (most recent call last):
    ValueError: SID_ATLAS_FRAME_ANCESTORS: not an https origin: '*;'
    """
    origins = env.get(FRAME_ANCESTORS_ENV, "").split()
    for origin in origins:
        # https, or plain http on the loopback (a page under test or a local preview, never a public site).
        if not re.fullmatch(r"(https://[a-z0-9.-]+|http://(127\.0\.0\.1|localhost))(:\d{1,5})?", origin, re.IGNORECASE):
            raise ValueError(f"{FRAME_ANCESTORS_ENV}: not an https origin: {origin!r}")
    return origins


def security_headers(ancestors: Sequence[str] = (), framed: bool = True) -> dict[str, str]:
    """The headers every response carries: nothing from other origins, framing only where asked for.

    Streamlit's styles are injected at run time (``style-src 'unsafe-inline'``);
    scripts, fonts, images and connections stay on the app's own origin (map
    and charts are components in the page, their code files of the app). The
    embed section's preview frames the app itself, hence ``frame-src 'self'``. Basemap
    tiles (opt-in in the atlas) come from their providers, listed in ``img-src``.
    A response that may be ``framed`` (:func:`frame_policy`) allows the app
    itself and ``ancestors``; any other says ``frame-ancestors 'none'``.

    Examples
    --------
    >>> headers = security_headers(["https://www.example.org"])
    >>> "frame-ancestors 'self' https://www.example.org" in headers["Content-Security-Policy"]
    True
    >>> "X-Frame-Options" in headers, security_headers()["X-Frame-Options"]
    (False, 'SAMEORIGIN')
    >>> closed = security_headers(["https://www.example.org"], framed=False)
    >>> closed["Content-Security-Policy"].endswith("frame-ancestors 'none'"), closed["X-Frame-Options"]
    (True, 'DENY')
    """
    from dashboard.mapview import BASEMAPS

    tiles = sorted({"{0.scheme}://{0.netloc}".format(urlsplit(str(b["url"]))) for b in BASEMAPS.values() if b})
    policy = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob: " + " ".join(tiles),
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "frame-src 'self'",
            "media-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors " + (" ".join(["'self'", *ancestors]) if framed else "'none'"),
        ]
    )
    headers = {"Content-Security-Policy": policy, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
    if not framed:
        headers["X-Frame-Options"] = "DENY"
    elif not ancestors:
        # For browsers without CSP level 2; it cannot list origins, so only when there are none.
        headers["X-Frame-Options"] = "SAMEORIGIN"
    return headers


def frame_policy(rel: str, query: str) -> bool:
    """Whether the response to ``rel`` (path below the base) may be framed: the embed view only.

    The embed view is the atlas page with ``?iframe=1`` (:func:`dashboard.navigation.is_embed`).
    Map and charts are components in the page (no frame of their own). The
    register, the sign-in form and every other page are never framed, by the
    app itself neither.

    Examples
    --------
    >>> frame_policy("/", "iframe=1&region=057"), frame_policy("/component/coverage_map/index.html", "")
    (True, False)
    >>> frame_policy("/", "region=057"), frame_policy("/register", "iframe=1"), frame_policy("/_sid/anmelden", "")
    (False, False, False)
    """
    from dashboard.navigation import EMBED_PARAM

    return rel in ("", "/") and parse_qs(query).get(EMBED_PARAM) == ["1"]


# -- health ----------------------------------------------------------------------------------------------
def warm_first_page() -> None:
    """The first page run's own work, done before any visitor comes: the page's imports, the default view's data.

    A restarted replica's first visitor would otherwise pay them (over a second
    after health said ok, measured by ``make bench``'s restart part). What is computed here lands in the same per-generation
    caches (:func:`dashboard.caches.remember`) and data files the page reads, for
    the view an address without parameters opens.
    """
    import datetime as dt

    from dashboard import atlas, mapview, navigation  # noqa: F401 -- the page's imports, paid here
    from loaders.viewstate import ViewState
    from register import atlasdata
    from viewmodel import tips

    today = dt.date.today()
    view, _ = ViewState.from_params({}, today=today)
    level, region, lang = view.level, view.region, view.lang
    atlas.view_model(view)
    table = tips.fixed_table(atlasdata.load_coverage(), level, region, lang)
    mapview.geometry_url(level, region)
    mapview.tips_url(table, mapview.tips_stem(level, region, lang))
    mapview.bezirk_labels()
    atlas.stops(view.evidence)
    atlas.jump_items(lang)
    atlas.member_count(view.date, view.evidence, region)
    atlas.coverage_chart(view.evidence, region, today, lang)
    atlas.timeline_rows(view.evidence, region, today, lang)
    atlas.sizes_chart(today, lang)
    atlas.member_table(view)
    atlas.undated_table(region, lang)


async def visit_self(server: tuple[str, int], timeout: float = 120.0) -> None:
    """One page run over the server's own websocket, as a first visitor's browser asks for it.

    What :func:`warm_first_page` cannot reach is Streamlit's own first run of a
    script in a process (its lazy imports, the script's compilation, the first
    session): about 0.6 s for even a one-slider app, which the first visitor
    would otherwise pay. The run is a plain visit to ``/`` from the loopback,
    through the same checks as any other (own origin, counted per address).
    """
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.typing import Origin, Subprotocol

    host, port = server
    netloc = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    request = BackMsg()
    request.rerun_script.query_string = ""
    async with (
        asyncio.timeout(timeout),
        websockets.connect(
            f"ws://{netloc}{urls.path('/_stcore/stream')}",
            subprotocols=[Subprotocol("streamlit")],
            origin=Origin(f"http://{netloc}"),
            max_size=None,
        ) as socket,
    ):
        await socket.send(request.SerializeToString())
        while True:
            message = ForwardMsg()
            message.ParseFromString(await socket.recv())
            if message.WhichOneof("type") == "script_finished":
                return


class CoverageHealth:
    """``ok`` while the coverage model (the one the atlas shows) is loaded and the first page warm.

    It loads the model as the atlas does (:func:`dashboard.caches.follow`), so a
    replica warms the generation its first visitor is served from, and then
    does the first page run's own work once per generation
    (:func:`warm_first_page`) and one real page run over its own websocket
    (:func:`visit_self`), so no visitor pays the start.
    """

    TIMEOUT = 1.5

    def __init__(self):
        self._task: asyncio.Future | None = None
        self._warmed: int | None = None
        self._visited: int | None = None

    def _follow_and_warm(self) -> int:
        from dashboard import caches

        generation = caches.follow()
        if generation != self._warmed:
            started = time.perf_counter()
            try:
                warm_first_page()
                LOG.info("first page warm (generation %s, %.1f s)", generation, time.perf_counter() - started)
            except Exception:  # noqa: BLE001 -- a warm-up is an optimisation: the page itself shows what fails
                LOG.exception("first page warm-up failed")
            self._warmed = generation
        return generation

    async def _prepare(self, server) -> int:
        generation = await asyncio.to_thread(self._follow_and_warm)
        if generation != self._visited and isinstance(server, tuple | list) and len(server) == 2 and server[1]:
            started = time.perf_counter()
            try:
                await visit_self((str(server[0]), int(server[1])))
                LOG.info("first page run done (%.1f s)", time.perf_counter() - started)
            except Exception:  # noqa: BLE001 -- as the warm-up: the first visitor then pays it, nothing worse
                LOG.warning("first page run before health failed", exc_info=True)
            self._visited = generation
        return generation

    async def check(self, server=None) -> tuple[int, str]:
        """``server``: the ASGI scope's (host, port) the probe came in on; the first page run goes there."""
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._prepare(server))
        try:
            await asyncio.wait_for(asyncio.shield(self._task), self.TIMEOUT)
        except TimeoutError:
            return 503, "loading"
        except Exception:  # noqa: BLE001 -- any failure to load makes the replica unhealthy; the cause goes to the log
            LOG.exception("coverage model cannot load")
            return 503, "coverage model unavailable"
        return 200, "ok"


# -- sign-in endpoint --------------------------------------------------------------------------------------
_register = {"instance": None}
_register_lock = threading.Lock()


def register_engine():
    """The configured register's engine, opened once per process; None when no register is configured."""
    import register

    with _register_lock:
        if _register["instance"] is None:
            url = register.configured_url()
            if url is None:
                return None
            _register["instance"] = register.Register(url)
        return _register["instance"].engine


def outside_https(scope: Mapping) -> bool:
    """Whether the browser reached the site over https (the scheme of the trusted proxy's ``X-Forwarded-Proto``).

    Examples
    --------
    >>> outside_https({"scheme": "https"}), outside_https({"scheme": "wss"}), outside_https({"scheme": "http"})
    (True, True, False)
    """
    return scope.get("scheme") in ("https", "wss")


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def signin_form(base: str, message: str = "", name: str = "") -> str:
    """The sign-in page (German, no script: the CSP allows none inline); it links „Leichte Sprache“ as every page does."""
    from register.editors import MAX_NAME

    notice = f'<p class="error" role="alert">{html.escape(message)}</p>' if message else ""
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Anmelden – Mitgliederregister #sicherimDienst</title>
<style>body{{font-family:sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}}
label{{display:block;margin-top:1rem}}input{{width:100%;padding:.4rem;font-size:1rem}}
button{{margin-top:1.2rem;padding:.5rem 1rem;font-size:1rem}}.error{{color:#a00}}.hint{{font-size:.9rem}}</style></head>
<body><h1>Anmelden zum Bearbeiten</h1>{notice}
<form method="post" action="{html.escape(urls.signin(base=base))}">
<label>Kontoname<input name="name" maxlength="{MAX_NAME}" required value="{html.escape(name)}"
 autocomplete="username" autocapitalize="none" spellcheck="false"></label>
<label>Passwort<input name="password" type="password" required autocomplete="current-password"></label>
<button type="submit">Anmelden</button></form>
<p class="hint">Jede Bearbeiterin und jeder Bearbeiter hat ein eigenes Konto; das Änderungsprotokoll nennt es.
Nach 30 Minuten ohne Aktivität und spätestens nach 8 Stunden endet die Anmeldung.</p>
<p><a href="{html.escape(urls.page(urls.REGISTER_PAGE, base=base))}">Zurück zum Register</a> ·
<a href="{html.escape(urls.page(urls.EASY_PAGE, base=base))}">Leichte Sprache</a></p></body></html>"""


_hashing = {"waiting": 0}
_hashing_turn: asyncio.Semaphore | None = None


async def _verify(engine, name: str, password: str) -> str | None:
    """:func:`register.editors.verify` in a thread, one at a time per process; None also when too many wait."""
    global _hashing_turn
    from register import editors

    if _hashing_turn is None:
        _hashing_turn = asyncio.Semaphore(HASHING_AT_ONCE)
    if _hashing["waiting"] >= HASHING_QUEUE:
        raise OverflowError("too many sign-ins at once")
    _hashing["waiting"] += 1
    try:
        async with _hashing_turn:
            return await asyncio.to_thread(editors.verify, engine, name, password)
    finally:
        _hashing["waiting"] -= 1


async def signin_endpoint(request):
    """GET: the form. POST: count, wait, compare; on success the cookie and a redirect to the register page."""
    from starlette.responses import HTMLResponse, RedirectResponse

    from dashboard import register_view as view
    from register import editors, signin

    base = urls.base_path()

    def page(message: str = "", status: int = 200, name: str = ""):
        return HTMLResponse(signin_form(base, message, name), status_code=status, headers={"Cache-Control": "no-store"})

    config = await asyncio.to_thread(secrets)
    mode = view.sign_in_mode(config)
    if mode == "oidc":
        return page(
            "Die Anmeldung läuft über den Identitätsanbieter: bitte auf der Registerseite „Anmelden“ wählen.", 404
        )
    if mode == "retired":
        LOG.error("sign-in refused: %s", view.RETIRED_PASSWORD)
        return page(
            "Die Anmeldung mit einem gemeinsamen Passwort gibt es nicht mehr. Der Betrieb legt für jede "
            "Bearbeiterin und jeden Bearbeiter ein eigenes Konto an (sid-atlas editors add NAME) und entfernt "
            "editor_password aus der Konfiguration.",
            503,
        )
    if request.method == "GET":
        return page()
    origin = request.headers.get("origin")
    if origin and origin.split("://", 1)[-1] != request.headers.get("host"):
        return page("Anmeldung nur von dieser Seite aus.", 403)  # a form on another site (login CSRF)
    if int(request.headers.get("content-length") or MAX_FORM_BYTES + 1) > MAX_FORM_BYTES:
        return page("Die Anfrage ist zu groß.", 413)
    form = await request.form(max_files=0, max_fields=4, max_part_size=MAX_FORM_BYTES)
    # One character over the longest name: a longer one is no account (never cut to match one).
    typed = " ".join(str(form.get("name") or "").split())[: editors.MAX_NAME + 1]
    password = str(form.get("password") or "")
    address = client_address(request.client.host if request.client else None, request.headers)
    # Shown back in the form and written to the log: only what an account name may contain.
    name = typed.lower() if editors.NAME_PATTERN.fullmatch(typed.lower()) else ""
    if not typed:
        return page("Bitte den Kontonamen angeben.", 400)
    try:
        engine = await asyncio.to_thread(register_engine)
        if engine is None:
            return page("Es ist kein Register eingerichtet.", 404, name)
        gate = await asyncio.to_thread(signin.begin, engine, typed, address)
        # Only an existing account's name reaches the log: what a stranger types never does (its length does).
        logged = name if gate.account else f"(no such account, {len(typed)} characters)"
        if gate.locked:
            signin.LOG.warning(
                "sign-in refused, locked: account=%s address=%s failures=%d", logged, address, gate.failures
            )
            return page(
                "Zu viele Fehlversuche: die Anmeldung ist gesperrt. Eine angemeldete Bearbeiter:in "
                "kann die Sperre auf der Registerseite aufheben; sonst endet sie eine Stunde nach dem letzten Versuch.",
                429,
                name,
            )
        await asyncio.sleep(gate.delay)
        editor = await _verify(engine, typed, password)
        if editor is None:
            signin.LOG.warning(
                "sign-in failed: account=%s address=%s failures=%d",
                logged,
                address,
                gate.failures + 1,
            )
            return page("Kontoname oder Passwort falsch.", 401, name)
        token = await asyncio.to_thread(signin.succeeded, engine, editor, address)
    except OverflowError:
        LOG.warning("sign-in refused: %d sign-ins wait for a password check already", HASHING_QUEUE)
        return page("Gerade melden sich sehr viele an. Bitte in einer Minute noch einmal versuchen.", 503, name)
    except Exception:  # noqa: BLE001 -- database down or misconfigured: details to the log, not to the client
        LOG.exception("sign-in: register failure")
        return page("Register nicht erreichbar. Bitte später noch einmal versuchen.", 503, name)
    signin.LOG.info("sign-in succeeded: editor=%s address=%s", editor, address)
    response = RedirectResponse(urls.page(urls.REGISTER_PAGE, base=base), status_code=303)
    secure = outside_https(request.scope)
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(signin.SESSION_HOURS * 3600),
        path=base or "/",
        httponly=True,
        samesite="strict",
        secure=secure,
    )
    return response


# -- the wire: websocket messages -----------------------------------------------------------------------
# Who may send each of Streamlit's client messages (BackMsg): "everyone" acts on the sender's own session;
# "editor" acts for all users or describes the deployment; "nobody" is Streamlit's own development tooling.
BACKMSG_POLICY = {
    "rerun_script": "everyone",
    "stop_script": "everyone",
    "app_heartbeat": "everyone",
    "file_urls_request": "everyone",  # upload URLs of the own session; the upload itself is gated (Guard._upload)
    "backend_operation_request": "everyone",  # by its payload, below
    "clear_cache": "editor",  # empties every cache of the process, for every user
    "load_git_info": "editor",  # answers with repository, branch and uncommitted files
    "set_run_on_save": "editor",  # reruns on source changes: a developer's switch
    "debug_disconnect_websocket": "nobody",
    "debug_shutdown_runtime": "nobody",
}
BACKEND_OPERATIONS = {
    "deferred_file": "everyone",  # a download button's file, built on the click
    "dataframe_chunk": "everyone",  # rows of a table being scrolled
    "install_skills": "nobody",  # writes Streamlit's AI-assistant files into the app's folder
    "dismiss_skills_nudge": "nobody",
}


def protocol_problems() -> list[str]:
    """Client message kinds of the installed Streamlit that :data:`BACKMSG_POLICY` does not decide (or no longer has).

    A newer Streamlit may add one: the server then refuses to start (:func:`preflight`)
    rather than pass an undecided message from anonymous clients.

    Examples
    --------
    >>> protocol_problems()
    []
    """
    from streamlit.proto.BackMsg_pb2 import BackendOperationRequest, BackMsg

    problems = []
    for message, table in ((BackMsg, BACKMSG_POLICY), (BackendOperationRequest, BACKEND_OPERATIONS)):
        oneof = message.DESCRIPTOR.oneofs_by_name["type" if message is BackMsg else "payload"]
        kinds = {field.name for field in oneof.fields}
        problems += [f"{message.__name__}.{kind}: undecided" for kind in sorted(kinds - set(table))]
        problems += [f"{message.__name__}.{kind}: gone" for kind in sorted(set(table) - kinds)]
    return problems


def message_kind(data: bytes) -> str | None:
    """The kind of a client message (``backend_operation_request`` with its payload after a colon); None if unreadable.

    Examples
    --------
    >>> from streamlit.proto.BackMsg_pb2 import BackMsg
    >>> message_kind(BackMsg(clear_cache=True).SerializeToString()), message_kind(b"\\xff\\xff")
    ('clear_cache', None)
    >>> message = BackMsg()
    >>> message.backend_operation_request.install_skills.SetInParent()
    >>> message_kind(message.SerializeToString())
    'backend_operation_request:install_skills'
    """
    from google.protobuf.message import DecodeError
    from streamlit.proto.BackMsg_pb2 import BackMsg

    message = BackMsg()
    try:
        message.ParseFromString(data)
    except (DecodeError, ValueError, RuntimeError):
        return None
    kind = message.WhichOneof("type")
    if kind == "backend_operation_request":
        return f"{kind}:{message.backend_operation_request.WhichOneof('payload')}"
    return kind


def who_may_send(kind: str | None) -> str:
    """Who may send a message of ``kind`` (:func:`message_kind`): "everyone", "editor" or "nobody".

    Examples
    --------
    >>> who_may_send("rerun_script"), who_may_send("clear_cache"), who_may_send("backend_operation_request:install_skills")
    ('everyone', 'editor', 'nobody')
    >>> who_may_send(None), who_may_send("backend_operation_request:None")
    ('everyone', 'nobody')
    """
    if kind is None:
        return "everyone"  # unreadable: Streamlit closes the connection itself (protocol error)
    if kind.startswith("backend_operation_request:"):
        return BACKEND_OPERATIONS.get(kind.split(":", 1)[1], "nobody")
    return BACKMSG_POLICY.get(kind, "nobody")


def editor_cookies(cookies: Mapping[str, str]) -> bool:
    """Whether ``cookies`` carry a sign-in the register page has confirmed as an editor's (an upload grant).

    The register page checks the sign-in (password cookie or OIDC) on every
    run and grants its session uploads (:func:`allow_uploads`) while it holds;
    the same cookie on a websocket is an editor's.
    """
    from register.signin import token_hash

    now = time.monotonic()
    with _uploaders_lock:
        grants = [(cookie, hashed) for cookie, hashed, until in _uploaders.values() if until >= now]
    return any(isinstance(cookies.get(c), str) and token_hash(cookies[c]) == h for c, h in grants)


class Rate:
    """A rate with a burst (generic cell rate algorithm): how long the next event must wait.

    Examples
    --------
    >>> rate, waits = Rate(2.0, 3), []  # two a second, three at once
    >>> for _ in range(4):
    ...     waits.append(rate.wait(0.0))
    ...     rate.take(0.0, waits[-1])
    >>> waits, rate.wait(0.0), rate.wait(10.0)
    ([0.0, 0.0, 0.0, 0.5], 1.0, 0.0)
    """

    __slots__ = ("interval", "tolerance", "due")

    def __init__(self, per_second: float, burst: int):
        self.interval = 1.0 / per_second
        self.tolerance = (burst - 1) * self.interval
        self.due = 0.0  # the theoretical arrival time of the next event

    def wait(self, now: float) -> float:
        """Seconds a message arriving at ``now`` waits for its turn."""
        return max(0.0, round(max(self.due, now) - self.tolerance - now, 6))  # to the µs: no float dust

    def take(self, now: float, wait: float) -> None:
        """Count a message that arrived at ``now`` and waited ``wait`` seconds."""
        self.due = max(self.due, now + wait) + self.interval

    def idle(self, now: float) -> bool:
        """Whether the rate has nothing owed at ``now`` (it may be forgotten)."""
        return self.due <= now


class Wire:
    """Open websockets and message rates per address and per process; only the event loop's thread touches it."""

    def __init__(self) -> None:
        self.sockets: dict[str, int] = {}
        self.rates: dict[str, Rate] = {}
        self.process = Rate(*PROCESS_RATE)

    def open(self, address: str) -> str | None:
        """Count a new websocket; why it may not open (None: it may)."""
        if sum(self.sockets.values()) >= SOCKETS_PER_PROCESS:
            return f"{SOCKETS_PER_PROCESS} websockets open in this process"
        if self.sockets.get(address, 0) >= SOCKETS_PER_ADDRESS:
            return f"{SOCKETS_PER_ADDRESS} websockets open from this address"
        self.sockets[address] = self.sockets.get(address, 0) + 1
        return None

    def close(self, address: str) -> None:
        """Count a closed websocket of ``address``."""
        self.sockets[address] -= 1
        if not self.sockets[address]:
            del self.sockets[address]

    def wait(self, address: str, tab: Rate, now: float) -> float:
        """Seconds the next message of ``tab`` (a socket) from ``address`` must wait; reserved.

        Examples
        --------
        >>> wire, tab = Wire(), Rate(*TAB_RATE)
        >>> [wire.wait("192.0.2.1", tab, 0.0) for _ in range(TAB_RATE[1])] == [0.0] * TAB_RATE[1]
        True
        >>> wire.wait("192.0.2.1", tab, 0.0), wire.wait("192.0.2.2", Rate(*TAB_RATE), 0.0)
        (0.2, 0.0)
        """
        if address not in self.rates:
            if len(self.rates) > 4 * SOCKETS_PER_PROCESS:
                self.rates = {a: r for a, r in self.rates.items() if not r.idle(now) or a in self.sockets}
            self.rates[address] = Rate(*ADDRESS_RATE)
        buckets = (tab, self.rates[address], self.process)
        wait = max(bucket.wait(now) for bucket in buckets)
        for bucket in buckets:
            bucket.take(now, wait)
        return wait


async def refuse_websocket(send) -> None:
    """Refuse a websocket handshake (HTTP 403; the reason goes to the log, a browser shows none anyway).

    Not with ASGI's ``websocket.http.response``: uvicorn answers it but then logs
    an error and tries a 500 on the closed connection, for every refusal.
    """
    await send({"type": "websocket.close", "code": 1008})


# -- middleware -----------------------------------------------------------------------------------------------
class Guard:
    """Pure ASGI middleware in front of Streamlit: see the module docstring."""

    def __init__(self, app):
        from streamlit import config, file_util

        self.app = app
        self.base = urls.base_path()
        static = Path(file_util.get_static_dir())
        self.original_index = (static / "index.html").read_bytes()
        # The page shell in each language (dashboard/chrome.py), its own script and style, Streamlit's words.
        self.shells = {
            lang: chrome.shell(self.original_index.decode("utf-8"), self.base, lang).encode("utf-8")
            for lang in LANGUAGES
        }
        self.shell_files = {path: (file.read_bytes(), kind) for path, (file, kind) in chrome.SHELL_FILES.items()}
        self.bundles = chrome.translated_bundles(static)
        self.settings = Settings.from_env(address=str(config.get_option("server.address") or ""))
        self.headers = {
            framed: [
                (k.lower().encode(), v.encode()) for k, v in security_headers(self.settings.ancestors, framed).items()
            ]
            for framed in (False, True)
        }
        self.health = CoverageHealth()
        self.max_upload = int(config.get_option("server.maxUploadSize")) * 1024 * 1024
        self.pending: dict[str, int] = {}  # bytes of uploads under way, per session
        self.wire = Wire()

    async def __call__(self, scope, receive, send):
        """Answer or pass on one ASGI request: limits, headers, health, sign-in and the page's files."""
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        rel = path[len(self.base) :] if self.base and path.startswith(self.base) else path
        headers = dict(scope["headers"])
        host = headers.get(b"host", b"").decode("latin-1")
        if not host_allowed(host, self.settings.server_names):
            LOG.warning("refused: unknown host %r from %s", host[:100], client_address(_peer(scope)))
            answer = "Unbekannter Hostname: diese Adresse gehört nicht zu dieser Seite."
            if scope["type"] == "websocket":
                await refuse_websocket(send)
            else:
                await _plain(self._decorated(send, rel, scope), 421, answer)
            return
        if "\x00" in path or "\x00" in unquote(scope.get("raw_path", b"").decode("latin-1")):
            # No file has such a name; Python's file functions would raise (a 500) on it.
            if scope["type"] == "websocket":
                await refuse_websocket(send)
            else:
                await _plain(self._decorated(send, rel, scope), 404, "Nicht gefunden.")
            return
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send, headers)
            return
        send = self._decorated(send, rel, scope)
        method = scope["method"]
        if rel == "/_stcore/metrics" and not _loopback((scope.get("client") or ("",))[0]):
            await _plain(send, 403, "forbidden")
        elif rel == "/_stcore/health" and method in ("GET", "HEAD"):
            # Streamlit's own endpoint still answers: it sets the XSRF cookie that uploads need.
            await self.app(
                scope, receive, _answering(send, *await self.health.check(scope.get("server")), head=method == "HEAD")
            )
        elif rel.startswith("/_stcore/upload_file/") and method in ("PUT", "DELETE"):
            await self._upload(scope, rel, receive, send)
        elif method in ("GET", "HEAD") and rel in self.shell_files:
            body, kind = self.shell_files[rel]
            await _plain(send, 200, body, kind, head=method == "HEAD")
        elif method in ("GET", "HEAD") and rel in self.bundles:
            await _plain(
                send,
                200,
                self.bundles[rel],
                "text/javascript; charset=utf-8",
                {"cache-control": "public, max-age=31536000, immutable"},
                head=method == "HEAD",
            )
        elif method in ("GET", "HEAD") and (answer := await self._file(rel, scope)):
            status, body, headers = answer
            headers = dict(headers)
            await _plain(
                send,
                status,
                body,
                headers.pop("content-type", "application/octet-stream"),
                headers,
                head=method == "HEAD" or status == 304,
            )
        else:
            await self.app(
                scope,
                receive,
                _german_shell(
                    send,
                    self.shells[chrome.shell_lang(scope.get("query_string", b"").decode("latin-1"))],
                    self.original_index,
                )
                if method in ("GET", "HEAD")
                else send,
            )

    async def _file(self, rel: str, scope) -> tuple[int, bytes, dict[str, str]] | None:
        """Status, body and headers of one of our files, or None when ``rel`` names none.

        The page's data files (geometry, tooltips, charts) from the cache or
        rebuilt (:mod:`dashboard.datafiles`); the components' files with
        lifetimes and ETags (:mod:`dashboard.assets`).
        """
        etag = dict(scope["headers"]).get(b"if-none-match", b"").decode("latin-1")
        if rel.startswith(datafiles.ROUTE):
            return await datafiles.answer(rel, etag)
        return assets.response(rel, scope.get("query_string", b"").decode("latin-1"), etag)

    async def _upload(self, scope, rel: str, receive, send) -> None:
        from streamlit import runtime

        session_id = rel.split("/")[3] if rel.count("/") >= 4 else ""
        if not upload_allowed(session_id, _cookies(scope)):
            LOG.warning("upload refused: no editor's uploader in this session")
            await _plain(send, 403, "uploads need a signed-in editor")
            return
        if scope["method"] == "DELETE":
            await self.app(scope, receive, send)
            return
        try:
            size = int(dict(scope["headers"]).get(b"content-length", b""))
        except ValueError:
            await _plain(send, 411, "Content-Length required")
            return
        # Streamlit's server keeps uploads in memory; its own count is private (read-only here).
        manager = typing.cast(_HeldUploads, runtime.get_instance().uploaded_file_mgr)
        held = sum(len(f.data) for f in manager.file_storage.get(session_id, {}).values())
        process = manager._total_bytes + sum(self.pending.values())
        if (
            size > self.max_upload + 1024 * 1024
            or held + size > SESSION_UPLOAD_MB * 1024 * 1024
            or process + size > PROCESS_UPLOAD_MB * 1024 * 1024
        ):
            LOG.warning("upload refused: %d bytes over the cap (session holds %d, process %d)", size, held, process)
            await _plain(send, 413, "upload cap reached")
            return
        # Reserved before the body is read, so parallel uploads cannot pass the caps together.
        self.pending[session_id] = self.pending.get(session_id, 0) + size
        try:
            await self.app(scope, receive, send)
        finally:
            self.pending[session_id] -= size
            if not self.pending[session_id]:
                del self.pending[session_id]

    async def _websocket(self, scope, receive, send, headers: Mapping[bytes, bytes]) -> None:
        """A page's websocket: own origin only, counted per address and process, messages paced and vetted."""
        address = client_address(_peer(scope))
        origin = headers.get(b"origin", b"").decode("latin-1")
        if origin and urlsplit(origin).netloc.lower() != headers.get(b"host", b"").decode("latin-1").lower():
            # Another site's page opening our socket (cross-site websocket hijacking); and Streamlit's
            # own check would look up this machine's external address on the internet for it.
            LOG.warning("websocket refused: foreign origin %r from %s", origin[:100], address)
            await refuse_websocket(send)
            return
        refusal = self.wire.open(address)
        if refusal:
            LOG.warning("websocket refused: %s (address %s)", refusal, address)
            await refuse_websocket(send)
            return
        cookies = _cookies(scope)
        tab = Rate(*TAB_RATE)
        paced = False

        async def vetted():
            nonlocal paced
            while True:
                message = await receive()
                if message["type"] != "websocket.receive":
                    return message
                wait = self.wire.wait(address, tab, time.monotonic())
                if wait:
                    if not paced:
                        paced = True
                        LOG.warning("websocket paced: messages over the rate (address %s)", address)
                    await asyncio.sleep(wait)
                kind = message_kind(message["bytes"]) if message.get("bytes") is not None else None
                allowed = who_may_send(kind)
                if allowed == "everyone" or (allowed == "editor" and editor_cookies(cookies)):
                    return message
                LOG.warning("websocket message refused: %s (address %s, not allowed to %s)", kind, address, allowed)

        try:
            await self.app(scope, vetted, send)
        finally:
            self.wire.close(address)

    def _decorated(self, send, rel: str, scope):
        extra = list(self.headers[frame_policy(rel, scope.get("query_string", b"").decode("latin-1"))])
        https = outside_https(scope)
        if https:
            extra.append((b"strict-transport-security", HSTS.encode()))

        async def decorated(message):
            if message["type"] == "http.response.start":
                names = {k for k, _ in extra}
                message = {
                    **message,
                    "headers": [
                        (k, _secure_cookie(v) if https and k.lower() == b"set-cookie" else v)
                        for k, v in message.get("headers", [])
                        if k.lower() not in names and k.lower() != b"server"
                    ]
                    + extra,
                }
            await send(message)

        return decorated


def _secure_cookie(value: bytes) -> bytes:
    """A ``Set-Cookie`` value with ``Secure`` (the site is reached over https).

    Examples
    --------
    >>> _secure_cookie(b"a=1; Path=/"), _secure_cookie(b"a=1; Secure")
    (b'a=1; Path=/; Secure', b'a=1; Secure')
    """
    return value if b"secure" in [p.strip().lower() for p in value.split(b";")] else value + b"; Secure"


def _peer(scope) -> str | None:
    client = scope.get("client")
    return client[0] if client else None


def _cookies(scope) -> dict[str, str]:
    from http.cookies import SimpleCookie

    jar = SimpleCookie()
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 -- a malformed cookie header is no cookie
                return {}
    return {k: m.value for k, m in jar.items()}


async def _plain(
    send,
    status: int,
    body: str | bytes,
    content_type: str = "text/plain; charset=utf-8",
    headers: Mapping[str, str] | None = None,
    head: bool = False,
) -> None:
    data = body.encode("utf-8") if isinstance(body, str) else body
    fields = {
        "content-type": content_type,
        "content-length": str(len(data)),
        "cache-control": "no-cache",
        **(headers or {}),
    }
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(k.encode(), v.encode()) for k, v in fields.items()],
        }
    )
    await send({"type": "http.response.body", "body": b"" if head else data})


def _answering(send, status: int, text: str, head: bool = False):
    """Streamlit's response with ``status`` and ``text`` instead of its own, its other headers (cookies) kept."""
    data = text.encode("utf-8")

    async def answering(message):
        if message["type"] == "http.response.start":
            headers = [
                (k, v)
                for k, v in message.get("headers", [])
                if k.lower() not in (b"content-length", b"content-type", b"content-encoding")
            ]
            headers += [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(data)).encode())]
            await send({**message, "status": status, "headers": headers})
        elif message["type"] == "http.response.body":
            if not message.get("more_body"):
                await send({"type": "http.response.body", "body": b"" if head else data})
        else:
            await send(message)

    return answering


def _german_shell(send, index: bytes, original: bytes):
    """Replace Streamlit's index.html (the shell of every page) by ours (:func:`dashboard.chrome.shell`), whatever path served it.

    Only Streamlit's own ``original`` is replaced: other HTML (a component's
    ``index.html`` in the map's iframe, the sign-in page) passes unchanged. A
    response is held until its body shows which it is (or, for HEAD, its length);
    a gzipped one (Streamlit compresses for browsers) is compared unpacked and
    replaced by the German shell uncompressed.
    """
    held: dict = {}

    async def release() -> None:
        await send(held.pop("start"))
        await send({"type": "http.response.body", "body": b"".join(held.pop("body")), "more_body": True})

    async def shell(message):
        if message["type"] == "http.response.start":
            headers = dict(message.get("headers", []))
            if message["status"] == 200 and headers.get(b"content-type", b"").startswith(b"text/html"):
                held["start"], held["body"], held["length"] = message, [], headers.get(b"content-length")
                held["gzip"] = headers.get(b"content-encoding", b"").strip().lower() == b"gzip"
                return
        elif "start" in held:
            held["body"].append(message.get("body", b""))
            body = b"".join(held["body"])
            if message.get("more_body"):
                if len(body) > len(original):
                    await release()  # longer than the shell: not the shell, pass the rest through
                return
            head = body == b"" and held["length"] == str(len(original)).encode()
            if body != original and not head and not (held["gzip"] and body and _gunzip(body) == original):
                start = held.pop("start")
                held.pop("body")
                await send(start)
                await send({**message, "body": body})
                return
            start = held.pop("start")
            held.pop("body")
            headers = [
                (k, v)
                for k, v in start["headers"]
                if k.lower() not in (b"content-length", b"content-encoding", b"etag", b"last-modified")
            ]
            headers.append((b"content-length", str(len(index)).encode()))
            headers.append((b"etag", f'"{hashlib.sha256(index).hexdigest()[:16]}"'.encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": b"" if head else index})
            return
        await send(message)

    return shell


def _gunzip(data: bytes) -> bytes | None:
    import gzip
    import zlib

    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error):
        return None


# -- the process ----------------------------------------------------------------------------------------------
def uvicorn_settings(settings: Settings) -> dict:
    """What the server changes in Streamlit's uvicorn configuration.

    Examples
    --------
    >>> alone = uvicorn_settings(Settings())
    >>> alone["proxy_headers"], alone["server_header"], alone["ws_max_size"]
    (False, False, 65536)
    >>> behind = uvicorn_settings(Settings(trusted_proxies=("127.0.0.1",)))
    >>> behind["proxy_headers"], behind["forwarded_allow_ips"]
    (True, '127.0.0.1')
    """
    return {
        # Compression stays on (the map's data shrinks 16-fold): websockets stops inflating at ws_max_size.
        "ws_max_size": MAX_MESSAGE_BYTES,
        "server_header": False,
        "proxy_headers": bool(settings.trusted_proxies),
        "forwarded_allow_ips": ",".join(settings.trusted_proxies) or "127.0.0.1",
        "limit_concurrency": PROCESS_CONNECTIONS,
    }


def no_outside_calls() -> None:
    """Streamlit's lookups of this machine's addresses answer "unknown" instead of asking the network.

    Streamlit asks a public service for the external address (and opens a
    socket towards a public resolver for the internal one) to print URLs at
    start and to allow websockets from those addresses; the first blocks the
    event loop for seconds. The Guard accepts only same-origin websockets, so
    neither is needed; nothing else in the server calls out (docs/security.md).
    """
    from streamlit import net_util

    net_util.get_external_ip = lambda: None
    net_util.get_internal_ip = lambda: None


def preflight(env: Mapping[str, str] = os.environ, address: str = "") -> Settings:
    """Everything the server needs checked before it listens; the settings, or a ValueError/RuntimeError naming the fault."""
    settings = Settings.from_env(env, address)
    writable_cache()
    from dashboard import freshness

    freshness.period(env)  # a wrong $SID_ATLAS_FOLLOW_SECONDS stops the start, not the first page
    problems = protocol_problems()
    if problems:
        raise RuntimeError(f"Streamlit's client messages changed, decide in dashboard/webserver.py: {problems}")
    no_outside_calls()
    return settings


def writable_cache() -> Path:
    """The cache directory (``$SID_ATLAS_CACHE``), created and written to once; a ValueError naming it if it cannot be.

    Everything the server derives at run time goes there (:mod:`loaders.paths`);
    a replica that cannot write it would fail every viewer's first page instead.
    """
    import tempfile

    from loaders import paths

    where = paths.cache_root()
    try:
        where.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=where):
            pass
    except OSError as error:
        raise ValueError(
            f"{paths.CACHE_ENV}: cannot write the cache directory {where} ({error.strerror or error}); "
            'give a writable folder (docs/operations.md, "The cache directory")'
        ) from None
    os.environ.setdefault("MPLCONFIGDIR", str(where / "matplotlib"))  # matplotlib's font list, for press exports
    return where


def run(script: Path, port: int, address: str, settings: Settings) -> None:
    """Serve ``script`` (``dashboard/serve.py``) as ``streamlit run`` does, with :func:`uvicorn_settings`; never returns."""
    from streamlit.web import cli
    from streamlit.web.server.starlette import starlette_server

    streamlit_kwargs = getattr(starlette_server, "_get_uvicorn_config_kwargs", None)
    if streamlit_kwargs is None:
        raise RuntimeError("this Streamlit does not let the server set its limits (dashboard/webserver.py: run)")
    ours = uvicorn_settings(settings)
    starlette_server._get_uvicorn_config_kwargs = lambda: {**streamlit_kwargs(), **ours}
    no_outside_calls()
    cli.main.main(
        args=["run", str(script), "--server.port", str(port), "--server.address", address]
        + ["--browser.gatherUsageStats", "false"],
        prog_name="streamlit",
        standalone_mode=True,
    )
    sys.exit(0)  # click exits itself; for the type checker


def script_error(error: Exception) -> bool:
    """An error in a page: one sentence with an id for the viewer (in the page's language), the traceback to the log."""
    import streamlit as st

    from viewmodel.i18n import t

    ident = tokens.token_hex(4)
    LOG.error("page error %s: %s", ident, type(error).__name__, exc_info=error)
    try:
        from dashboard.navigation import page_lang

        lang = page_lang()
    except Exception:  # noqa: BLE001 -- the session itself may be what failed
        lang = "de"
    st.error(t("page_error", lang, id=ident))
    return True  # Streamlit shows nothing of its own


# -- logging ----------------------------------------------------------------------------------------------------
def redact_session_ids() -> None:
    """Every log record of the process with session ids (UUIDs) replaced, whoever logs it (Streamlit does)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "sid_redacting", False):
        return

    def redacting(*args, **kwargs):
        record = factory(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 -- a broken format stays as logging would show it
            return record
        if UUID.search(message):
            record.msg, record.args = UUID.sub("<session>", message), ()
        return record

    redacting.sid_redacting = True  # type: ignore[attr-defined]  # a mark on the function, read by getattr above
    logging.setLogRecordFactory(redacting)


def setup_logging() -> None:
    """The project's own loggers (sign-ins, refusals) to stderr, one line each, with time."""
    logger = logging.getLogger("sid_atlas")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    redact_session_ids()


@asynccontextmanager
async def lifespan(_app):
    """The server's lifetime: logging set up, the sign-in checked, the server marked active until it ends."""
    setup_logging()
    from dashboard import register_view

    if register_view.sign_in_mode(secrets()) == "retired":
        LOG.error("editing is off: %s", register_view.RETIRED_PASSWORD)
    import dashboard.navigation  # noqa: F401 -- frame_policy reads it on every response: imported before the first

    # The modules that declare the data files' recipes (dashboard.datafiles.recipe), so that a replica can
    # rebuild a file a page asks for before its own first page run.
    from dashboard import chartview, mapview  # noqa: F401

    _state["active"] = True
    try:
        yield None
    finally:
        _state["active"] = False


def routes() -> list:
    """The routes the server adds to Streamlit's: the sign-in endpoint."""
    from starlette.routing import Route

    return [Route(urls.signin(), signin_endpoint, methods=["GET", "POST"])]


def middleware() -> list:
    """The middleware the server puts before Streamlit's app: :class:`Guard`."""
    from starlette.middleware import Middleware

    return [Middleware(Guard)]
