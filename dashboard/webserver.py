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

Everything else
    Security headers on every response (:func:`security_headers`),
    ``/_stcore/metrics`` from the loopback only, ``/_stcore/health`` ``ok``
    only while the coverage model loads, the page shell in German
    (``<html lang="de">``, the connection-lost dialog; :data:`viewmodel.i18n.FRONTEND`),
    long caching for the map's content-hashed geometry, and session ids
    removed from every log line.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import ipaddress
import logging
import os
import re
import threading
import time
from collections.abc import Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from dashboard import assets

LOG = logging.getLogger("sid_atlas.server")
COOKIE = "sid_editor"
SIGNIN_PATH = "/_sid/anmelden"
# The shell's own script (page language, Enter in date fields): dashboard/page.js.
PAGE_SCRIPT_PATH = "/_sid/seite.js"
PAGE_SCRIPT = Path(__file__).resolve().parent / "page.js"
REGISTER_PAGE = "/register"
FRAME_ANCESTORS_ENV = "SID_ATLAS_FRAME_ANCESTORS"
# An editor's session holds one partner list at a time; a little more room for a replaced one.
SESSION_UPLOAD_MB = 12
PROCESS_UPLOAD_MB = 64
# A sign-in form is two short fields.
MAX_FORM_BYTES = 8 * 1024
# Password hashes compared at once per process (Argon2id: 64 MiB and ~0.2 s each), and how many
# sign-ins may wait for their turn before one is told to come back later.
HASHING_AT_ONCE = 1
HASHING_QUEUE = 16
# How long an uploader grant outlives the page run that made it (each run renews it).
UPLOADER_SECONDS = 3600
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
HASHED_GEOMETRY = re.compile(r"^/component/[^/]+/geo/[^/]+-[0-9a-f]{12}\.json$")

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


def secrets() -> Mapping:
    """The app's secrets; none at all is a valid configuration (read-only, shipped data)."""
    import streamlit as st
    from streamlit.errors import StreamlitSecretNotFoundError

    try:
        return st.secrets.to_dict()
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        return {}


def signin_url() -> str:
    return _base() + SIGNIN_PATH


def allow_uploads(session_id: str, cookie: str, value: str) -> None:
    """Let ``session_id`` store files, for requests whose cookie ``cookie`` is ``value`` (the editor's sign-in)."""
    from register.signin import token_hash

    with _uploaders_lock:
        _uploaders[session_id] = (cookie, token_hash(value), time.monotonic() + UPLOADER_SECONDS)


def forbid_uploads(session_id: str) -> None:
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


def security_headers(ancestors: Sequence[str] = ()) -> dict[str, str]:
    """The headers every response carries: nothing from other origins, no framing by strangers.

    Streamlit's styles are injected at run time (``style-src 'unsafe-inline'``);
    scripts, fonts, images and connections stay on the app's own origin. The
    map is a same-origin component iframe, hence ``frame-src 'self'`` and
    ``frame-ancestors 'self'``. Basemap tiles (opt-in in the atlas) come from
    their providers, listed in ``img-src``.

    Examples
    --------
    >>> headers = security_headers(["https://www.example.org"])
    >>> "frame-ancestors 'self' https://www.example.org" in headers["Content-Security-Policy"]
    True
    >>> "X-Frame-Options" in headers, security_headers()["X-Frame-Options"]
    (False, 'SAMEORIGIN')
    """
    from urllib.parse import urlsplit

    from dashboard.mapview import BASEMAPS

    tiles = sorted({"{0.scheme}://{0.netloc}".format(urlsplit(b["url"])) for b in BASEMAPS.values() if b})
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
            "frame-ancestors " + " ".join(["'self'", *ancestors]),
        ]
    )
    headers = {"Content-Security-Policy": policy, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
    if not ancestors:
        # For browsers without CSP level 2; it cannot list origins, so only when there are none.
        headers["X-Frame-Options"] = "SAMEORIGIN"
    return headers


# -- the German page shell ----------------------------------------------------------------------------
def german_index(text: str) -> str:
    """Streamlit's index.html in German, without its one inline script (which the CSP would block).

    Examples
    --------
    >>> print(german_index('<html lang="en"><title>Streamlit</title><script>\\n window.prerenderReady = false\\n</script>'
    ...                    '<noscript>You need to enable JavaScript to run this app.</noscript>'))
    <html lang="de"><title>#sicherimDienst</title><noscript>Bitte JavaScript einschalten, um diese Seite zu sehen.</noscript>
    """
    text = text.replace('<html lang="en">', '<html lang="de">', 1)
    text = text.replace("<title>Streamlit</title>", "<title>#sicherimDienst</title>", 1)
    text = re.sub(
        r"(<!--[^>]*prerenderReady[^>]*-->\s*)?<script>\s*window\.prerenderReady = false\s*</script>\s*",
        "",
        text,
        count=1,
    )
    return re.sub(
        r"<noscript>.*?</noscript>",
        "<noscript>Bitte JavaScript einschalten, um diese Seite zu sehen.</noscript>",
        text,
        count=1,
        flags=re.DOTALL,
    )


def with_page_script(text: str, base: str = "") -> str:
    """The shell with the project's page script (:data:`PAGE_SCRIPT`) loaded from the app itself.

    Examples
    --------
    >>> with_page_script("<head><title>x</title></head>", "/atlas")
    '<head><title>x</title><script src="/atlas/_sid/seite.js" defer></script></head>'
    """
    return text.replace("</head>", f'<script src="{base}{PAGE_SCRIPT_PATH}" defer></script></head>', 1)


def german_bundles(static_dir: Path) -> dict[str, bytes]:
    """Streamlit's script bundles that hold the connection dialog's words, translated; by URL path.

    Raises
    ------
    RuntimeError
        A text of :data:`viewmodel.i18n.FRONTEND` is in no bundle (another
        Streamlit version): better a failed start than an English dialog.
    """
    from viewmodel.i18n import FRONTEND

    patched: dict[str, bytes] = {}
    missing = set(FRONTEND)
    for path in sorted((static_dir / "static" / "js").glob("*.js")):
        text = path.read_text(encoding="utf-8")
        found = [english for english in FRONTEND if f"`{english}`" in text]
        if not found:
            continue
        for english in found:
            text = text.replace(f"`{english}`", f"`{FRONTEND[english]}`")
        missing.difference_update(found)
        patched[f"/static/js/{path.name}"] = text.encode("utf-8")
    if missing:
        raise RuntimeError(f"Streamlit's frontend lacks texts to translate: {sorted(missing)}")
    return patched


# -- health ----------------------------------------------------------------------------------------------
class CoverageHealth:
    """``ok`` while the coverage model (the one the atlas shows) is loaded; loads it in a thread, never twice."""

    TIMEOUT = 1.5

    def __init__(self):
        self._task: asyncio.Future | None = None

    async def check(self) -> tuple[int, str]:
        from loaders import store

        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(asyncio.to_thread(store.load_coverage))
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


def client_address(peer: str | None, headers: Mapping[str, str]) -> str:
    """The client's address: nginx's ``X-Real-IP`` when the request comes from the loopback proxy.

    Examples
    --------
    >>> client_address("127.0.0.1", {"x-real-ip": "203.0.113.9"}), client_address("203.0.113.7", {"x-real-ip": "1.2.3.4"})
    ('203.0.113.9', '203.0.113.7')
    """
    if peer and _loopback(peer) and headers.get("x-real-ip"):
        return headers["x-real-ip"].strip()[:64]
    return (peer or "unknown")[:64]


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def signin_form(base: str, message: str = "", name: str = "") -> str:
    """The sign-in page (German, no script: the CSP allows none inline)."""
    from register.editors import MAX_NAME

    notice = f'<p class="error" role="alert">{html.escape(message)}</p>' if message else ""
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Anmelden – Mitgliederregister #sicherimDienst</title>
<style>body{{font-family:sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}}
label{{display:block;margin-top:1rem}}input{{width:100%;padding:.4rem;font-size:1rem}}
button{{margin-top:1.2rem;padding:.5rem 1rem;font-size:1rem}}.error{{color:#a00}}.hint{{font-size:.9rem}}</style></head>
<body><h1>Anmelden zum Bearbeiten</h1>{notice}
<form method="post" action="{html.escape(base)}{SIGNIN_PATH}">
<label>Kontoname<input name="name" maxlength="{MAX_NAME}" required value="{html.escape(name)}"
 autocomplete="username" autocapitalize="none" spellcheck="false"></label>
<label>Passwort<input name="password" type="password" required autocomplete="current-password"></label>
<button type="submit">Anmelden</button></form>
<p class="hint">Jede Bearbeiterin und jeder Bearbeiter hat ein eigenes Konto; das Änderungsprotokoll nennt es.
Nach 30 Minuten ohne Aktivität und spätestens nach 8 Stunden endet die Anmeldung.</p>
<p><a href="{html.escape(base)}{REGISTER_PAGE}">Zurück zum Register</a></p></body></html>"""


def _base() -> str:
    from streamlit import config

    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


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

    base = _base()

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
    logged = name or f"(no account name, {len(typed)} characters)"
    try:
        engine = await asyncio.to_thread(register_engine)
        if engine is None:
            return page("Es ist kein Register eingerichtet.", 404, name)
        gate = await asyncio.to_thread(signin.begin, engine, typed, address)
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
                "sign-in failed: account=%s%s address=%s failures=%d",
                logged,
                "" if gate.account else " (no such account)",
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
    response = RedirectResponse(base + REGISTER_PAGE, status_code=303)
    secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"
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


# -- middleware -----------------------------------------------------------------------------------------------
class Guard:
    """Pure ASGI middleware in front of Streamlit: see the module docstring."""

    def __init__(self, app):
        from streamlit import config, file_util

        self.app = app
        self.base = _base()
        static = Path(file_util.get_static_dir())
        self.original_index = (static / "index.html").read_bytes()
        self.index = with_page_script(german_index(self.original_index.decode("utf-8")), self.base).encode("utf-8")
        self.page_script = PAGE_SCRIPT.read_bytes()
        self.bundles = german_bundles(static)
        self.headers = [(k.lower().encode(), v.encode()) for k, v in security_headers(frame_ancestors()).items()]
        self.health = CoverageHealth()
        self.max_upload = int(config.get_option("server.maxUploadSize")) * 1024 * 1024
        self.pending: dict[str, int] = {}  # bytes of uploads under way, per session

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        rel = path[len(self.base) :] if self.base and path.startswith(self.base) else path
        send = self._decorated(send, rel)
        method = scope["method"]
        if rel == "/_stcore/metrics" and not _loopback((scope.get("client") or ("",))[0]):
            await _plain(send, 403, "forbidden")
        elif rel == "/_stcore/health" and method in ("GET", "HEAD"):
            # Streamlit's own endpoint still answers: it sets the XSRF cookie that uploads need.
            await self.app(scope, receive, _answering(send, *await self.health.check(), head=method == "HEAD"))
        elif rel.startswith("/_stcore/upload_file/") and method in ("PUT", "DELETE"):
            await self._upload(scope, rel, receive, send)
        elif method in ("GET", "HEAD") and rel == PAGE_SCRIPT_PATH:
            await _plain(send, 200, self.page_script, "text/javascript; charset=utf-8", head=method == "HEAD")
        elif method in ("GET", "HEAD") and rel in self.bundles:
            await _plain(
                send,
                200,
                self.bundles[rel],
                "text/javascript; charset=utf-8",
                {"cache-control": "public, max-age=31536000, immutable"},
                head=method == "HEAD",
            )
        elif method in ("GET", "HEAD") and (
            answer := assets.response(
                rel,
                scope.get("query_string", b"").decode("latin-1"),
                dict(scope["headers"]).get(b"if-none-match", b"").decode("latin-1"),
            )
        ):
            # The map component's files with lifetimes and ETags (dashboard/assets.py).
            status, body, headers = answer
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
                _german_shell(send, self.index, self.original_index) if method in ("GET", "HEAD") else send,
            )

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
        manager = runtime.get_instance().uploaded_file_mgr
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

    def _decorated(self, send, rel: str):
        extra = list(self.headers)
        if HASHED_GEOMETRY.match(rel):
            extra.append((b"cache-control", b"public, max-age=31536000, immutable"))

        async def decorated(message):
            if message["type"] == "http.response.start":
                names = {k for k, _ in extra}
                message = {
                    **message,
                    "headers": [
                        (k, v)
                        for k, v in message.get("headers", [])
                        if k.lower() not in names and k.lower() != b"server"
                    ]
                    + extra,
                }
            await send(message)

        return decorated


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
    """Replace Streamlit's index.html (the shell of every page) by the German one, whatever path served it.

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

    redacting.sid_redacting = True
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
    setup_logging()
    from dashboard import register_view

    if register_view.sign_in_mode(secrets()) == "retired":
        LOG.error("editing is off: %s", register_view.RETIRED_PASSWORD)
    _state["active"] = True
    try:
        yield None
    finally:
        _state["active"] = False


def routes() -> list:
    from starlette.routing import Route

    return [Route(_base() + SIGNIN_PATH, signin_endpoint, methods=["GET", "POST"])]


def middleware() -> list:
    from starlette.middleware import Middleware

    return [Middleware(Guard)]
