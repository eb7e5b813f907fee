"""Two dashboard replicas behind nginx, sharing one PostgreSQL register.

Run from the repository (``python -m deploy.scaleout --db URL``), it starts the
replicas (``sid-atlas serve``, 127.0.0.1 only, ``$SID_ATLAS_REGISTER_URL`` set
to the shared register) and nginx in front of them with the rendered
``deploy/nginx.conf.template``, prints the proxy's address and keeps all of
them running until Ctrl-C or SIGTERM. ``python -m deploy.scaleout render``
prints the configuration for an nginx run by other means. The same functions
start the deployment in ``tests/deploy/test_scaleout.py``.

Nothing here needs a system service: nginx runs in the foreground with its
prefix, pid file, logs and temp files in a directory of its own, and every
process is stopped by its id.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
REGISTER_ENV = "SID_ATLAS_REGISTER_URL"
# The replicas trust X-Forwarded-For/-Proto from this proxy only (dashboard.webserver.Settings).
PROXY_ADDRESS = "127.0.0.1"
# nginx's own error pages: (status, German title, German sentence, English sentence).
ERROR_PAGES = (
    (400, "Ungültige Anfrage", "Die Anfrage konnte nicht gelesen werden.", "The request could not be read."),
    (403, "Nicht erlaubt", "Diese Adresse ist nicht öffentlich.", "This address is not public."),
    (404, "Nicht gefunden", "Diese Seite gibt es nicht.", "There is no such page."),
    (405, "Nicht erlaubt", "Diese Anfrageart ist hier nicht erlaubt.", "This request method is not allowed here."),
    (408, "Zeit abgelaufen", "Die Anfrage kam nicht rechtzeitig an.", "The request did not arrive in time."),
    (413, "Zu groß", "Die Anfrage ist zu groß.", "The request is too large."),
    (414, "Adresse zu lang", "Die Adresse ist zu lang.", "The address is too long."),
    (
        429,
        "Zu viele Anfragen",
        "Zu viele Anfragen oder Verbindungen von dieser Adresse. Bitte in einer Minute noch einmal versuchen.",
        "Too many requests or connections from this address. Please try again in a minute.",
    ),
    (494, "Ungültige Anfrage", "Die Kopfzeilen der Anfrage sind zu groß.", "The request headers are too large."),
    (500, "Fehler", "Ein Fehler ist aufgetreten.", "An error occurred."),
    (
        502,
        "Nicht erreichbar",
        "Der Atlas ist gerade nicht erreichbar. Bitte in einer Minute noch einmal versuchen.",
        "The atlas cannot be reached right now. Please try again in a minute.",
    ),
    (
        503,
        "Nicht erreichbar",
        "Der Atlas ist gerade nicht erreichbar. Bitte in einer Minute noch einmal versuchen.",
        "The atlas cannot be reached right now. Please try again in a minute.",
    ),
    (
        504,
        "Zeit abgelaufen",
        "Der Atlas hat nicht rechtzeitig geantwortet. Bitte noch einmal versuchen.",
        "The atlas did not answer in time. Please try again.",
    ),
)
# On nginx's own pages: nothing to load, nothing to frame (the app's pages get theirs from the replicas).
ERROR_PAGE_HEADERS = (
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    ),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("Cache-Control", "no-store"),
)


@dataclass
class Replica:
    """One running dashboard replica."""

    port: int
    process: subprocess.Popen
    log: Path
    server_names: tuple[str, ...] = ()
    wrapper: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        """Where the replica answers, on the loopback."""
        return f"http://127.0.0.1:{self.port}"


def free_port() -> int:
    """A port the OS just handed out on 127.0.0.1 (the race until it is bound is acceptable here)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_nginx() -> str | None:
    """The nginx binary: on $PATH, else where Debian installs it (/usr/sbin is not on every $PATH)."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def max_body() -> str:
    """The ``client_max_body_size`` of nginx: Streamlit's ``server.maxUploadSize`` (MB) plus its 1 MB for the framing.

    Examples
    --------
    >>> max_body()
    '6m'
    """
    from dashboard.webserver import STREAMLIT_CONFIG

    with open(STREAMLIT_CONFIG, "rb") as handle:
        megabytes = tomllib.load(handle).get("server", {}).get("maxUploadSize", 200)
    return f"{int(megabytes) + 1}m"


def last_upstream(prefix: Path) -> str:
    """The replica(s) nginx tried for the newest request in its access log (``upstream=``), as ``host:port, …``."""
    lines = (prefix / "access.log").read_text(encoding="utf-8").splitlines()
    return lines[-1].rsplit("upstream=", 1)[1] if lines else ""


def error_pages() -> str:
    """The error pages of nginx itself: an ``error_page`` per status and an internal location answering it.

    ``return 200`` in the page's location keeps the original status (nginx
    sends the error's code for an ``error_page`` redirect); ``always`` puts the
    headers on error responses too.

    Examples
    --------
    >>> text = error_pages()
    >>> "error_page 429 /_sid_fehler/429;" in text and 'add_header X-Frame-Options "DENY" always;' in text
    True
    """
    import html

    lines = [f"        error_page {status} /_sid_fehler/{status};" for status, *_ in ERROR_PAGES]
    for status, title, german, english in ERROR_PAGES:
        body = (
            '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)} – #sicherimDienst</title>"
            "<style>body{font-family:sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#111}</style>"
            f"</head><body><h1>{html.escape(title)}</h1><p>{html.escape(german)}</p>"
            f'<p lang="en">{html.escape(english)}</p><p>Fehlercode / error code {status}</p></body></html>'
        )
        if "'" in body or "$" in body or "\\" in body:
            raise ValueError(f"error page {status}: no quote, dollar or backslash in nginx's return text")
        lines += [
            f"        location = /_sid_fehler/{status} {{",
            "            internal;",
            "            default_type text/html;",
            "            charset utf-8;",
            *(f'            add_header {name} "{value}" always;' for name, value in ERROR_PAGE_HEADERS),
            "            add_header Strict-Transport-Security $hsts always;",
            f"            return 200 '{body}';",
            "        }",
        ]
    return "\n".join(lines)


def outer_proxy(address: str | None) -> str:
    """What an outer TLS proxy at ``address`` may tell nginx (the client's address and scheme); None: nothing.

    Examples
    --------
    >>> print(outer_proxy(None))
        geo $realip_remote_addr $from_outer_proxy {
            default 0;
        }
    >>> "set_real_ip_from 10.0.0.7;" in outer_proxy("10.0.0.7")
    True
    >>> outer_proxy("proxy.example")
    Traceback (most recent call last):
    ValueError: --outer-proxy: not an IP address or network: 'proxy.example'
    """
    import ipaddress

    lines = []
    if address is not None:
        try:
            ipaddress.ip_network(address, strict=False)
        except ValueError:
            raise ValueError(f"--outer-proxy: not an IP address or network: {address!r}") from None
        # The last address in its X-Forwarded-For is the one the outer proxy saw (real_ip_recursive off).
        lines += [f"    set_real_ip_from {address};", "    real_ip_header X-Forwarded-For;"]
    lines += ["    geo $realip_remote_addr $from_outer_proxy {", "        default 0;"]
    if address is not None:
        lines.append(f"        {address} 1;")
    lines.append("    }")
    return "\n".join(lines)


def endpoint(value: int | str) -> str:
    """A replica's or the proxy's ``address:port``: a bare port is one on 127.0.0.1.

    Examples
    --------
    >>> endpoint(8601), endpoint("8601"), endpoint("10.0.0.11:8501"), endpoint("[2001:db8::b]:8501")
    ('127.0.0.1:8601', '127.0.0.1:8601', '10.0.0.11:8501', '[2001:db8::b]:8501')
    >>> endpoint("atlas-b:8501")
    Traceback (most recent call last):
    ValueError: not an address:port: 'atlas-b:8501'
    """
    import ipaddress

    text = str(value)
    if text.isdigit():
        text = f"127.0.0.1:{text}"
    host, _, port = text.rpartition(":")
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        raise ValueError(f"not an address:port: {text!r}") from None
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"not an address:port: {text!r}")
    return text


def render_config(
    listen: int | str, replica_ports: Sequence[int | str], prefix: Path, *, outer: str | None = None
) -> str:
    """The nginx configuration for a proxy on ``listen`` in front of the replicas.

    Parameters
    ----------
    listen : int or str
        The proxy's ``address:port``, or a port on 127.0.0.1.
    replica_ports : sequence of int or str
        The replicas' ``address:port`` (on their hosts), or ports on 127.0.0.1; at least one.
    prefix : path-like
        Directory for nginx's pid file, logs and temp files.
    outer : str, optional
        Address (or network) of a TLS proxy in front of this one, trusted to
        name the client (``X-Forwarded-For``) and the scheme (``X-Forwarded-Proto``).
    """
    if not replica_ports:
        raise ValueError("at least one replica port is needed")
    servers = "\n".join(
        f"        server {endpoint(replica)} max_fails=1 fail_timeout=10s;" for replica in replica_ports
    )
    return (
        TEMPLATE.read_text(encoding="utf-8")
        .replace("@PREFIX@", str(prefix))
        .replace("@LISTEN@", endpoint(listen))
        .replace("@SERVERS@", servers)
        .replace("@MAX_BODY@", max_body())
        .replace("@OUTER_PROXY@", outer_proxy(outer))
        .replace("@ERROR_PAGES@", error_pages())
    )


def wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    """Poll ``url/_stcore/health`` until it answers 200.

    Raises
    ------
    RuntimeError
        The process exited, or ``timeout`` seconds passed; the log is named.
    """
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            args = process.args
            program = args if isinstance(args, str | bytes | os.PathLike) else args[0]
            raise RuntimeError(f"{os.fsdecode(program)} exited with {process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass  # not listening yet, or a replica behind the proxy is not yet up
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} not healthy within {timeout:.0f} s; see {log}")
        time.sleep(0.25)


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM, grace: float = 15) -> None:
    """Stop a process started in its own session, with everything in its group; SIGKILL after ``grace`` s."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


def replica_env(db_url: str, server_names: Sequence[str] = ()) -> dict[str, str]:
    """The environment of a replica: the shared register, bound to 127.0.0.1, trusting the proxy there.

    ``server_names`` are the public host names the site is reached under
    (``$SID_ATLAS_SERVER_NAMES``; localhost and 127.0.0.1 always answer).
    """
    env = {
        **os.environ,
        REGISTER_ENV: db_url,
        "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
        "SID_ATLAS_TRUSTED_PROXY": PROXY_ADDRESS,
    }
    if server_names:
        env["SID_ATLAS_SERVER_NAMES"] = " ".join(server_names)
    return env


def start_replica(
    port: int, db_url: str, log: Path, *, server_names: Sequence[str] = (), wrapper: Sequence[str] = ()
) -> subprocess.Popen:
    """``sid-atlas serve --port port`` against the register at ``db_url``, in its own session, output to ``log``.

    ``wrapper`` runs in front of the command (a test's ``strace …``).
    """
    cli = Path(sys.executable).with_name("sid-atlas")
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        return subprocess.Popen(
            [*wrapper, str(cli), "serve", "--port", str(port)],
            env=replica_env(db_url, server_names),
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@contextlib.contextmanager
def replica(
    port: int,
    db_url: str,
    log: Path,
    *,
    startup_timeout: float = 90,
    server_names: Sequence[str] = (),
    wrapper: Sequence[str] = (),
) -> Iterator[Replica]:
    """Run ``sid-atlas serve --port port`` against the register at ``db_url``; always stop it afterwards.

    ``sid-atlas serve`` runs Streamlit in its own process, so the process is
    the server: a SIGKILL to it kills the replica, as a crash would.
    """
    process = start_replica(port, db_url, log, server_names=server_names, wrapper=wrapper)
    running = Replica(port, process, log, tuple(server_names), tuple(wrapper))
    try:
        wait_healthy(running.url, running.process, log, startup_timeout)
        yield running
    finally:
        stop(running.process)


@contextlib.contextmanager
def supervised(replicas: Sequence[Replica], db_url: str, *, interval: float = 0.5) -> Iterator[list[str]]:
    """Restart any replica whose process exits, as systemd's ``Restart=always`` does (deploy/sid-atlas@.service).

    Yields the list of restarts (``"port: exit code"``), appended as they happen.
    """
    restarts: list[str] = []
    done = threading.Event()

    def watch() -> None:
        while not done.wait(interval):
            for running in replicas:
                code = running.process.poll()
                if code is not None and not done.is_set():
                    print(
                        f"scaleout: replica {running.port} exited with {code}; restarting", file=sys.stderr, flush=True
                    )
                    restarts.append(f"{running.port}: {code}")
                    running.process = start_replica(
                        running.port, db_url, running.log, server_names=running.server_names, wrapper=running.wrapper
                    )

    watcher = threading.Thread(target=watch, name="scaleout-supervisor", daemon=True)
    watcher.start()
    try:
        yield restarts
    finally:
        done.set()
        watcher.join()


@contextlib.contextmanager
def nginx(
    listen: int, replica_ports: Sequence[int], prefix: Path, *, startup_timeout: float = 30, outer: str | None = None
) -> Iterator[subprocess.Popen]:
    """Run nginx in the foreground with the rendered configuration in ``prefix``; always stop it afterwards.

    Raises
    ------
    FileNotFoundError
        nginx is not installed.
    RuntimeError
        nginx rejected the configuration, or the proxy was not healthy in time.
    """
    binary = find_nginx()
    if binary is None:
        raise FileNotFoundError("nginx is not installed (apt-get install nginx)")
    prefix.mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(render_config(listen, replica_ports, prefix, outer=outer), encoding="utf-8")
    # -e: the error log before the configuration is read (else the compiled-in
    # /var/log/nginx/error.log); -p: relative paths resolve inside the prefix.
    command = [binary, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(conf)]
    checked = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True, timeout=30)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx rejected {conf}: {checked.stderr.strip()}")
    log = prefix / "nginx.out"
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        # nginx answers once it has bound the port; the health probe passes
        # through it to a replica, so this also proves the upstream works.
        wait_healthy(f"http://127.0.0.1:{listen}", process, prefix / "error.log", startup_timeout)
        yield process
    finally:
        # SIGQUIT would wait for open websockets to close; SIGTERM is nginx's fast shutdown.
        stop(process)


@contextlib.contextmanager
def deployment(
    db_url: str,
    workdir: Path,
    *,
    listen: int | None = None,
    replica_ports: Sequence[int] | None = None,
    supervise: bool = True,
    server_names: Sequence[str] = (),
    outer: str | None = None,
    wrapper: Sequence[str] = (),
) -> Iterator[tuple[str, list[Replica]]]:
    """Two replicas on the shared register and nginx in front; yield the proxy's URL and the replicas.

    Parameters
    ----------
    db_url : str
        SQLAlchemy URL of the shared register (PostgreSQL in production).
    workdir : path-like
        Directory for the replicas' logs and nginx's prefix (``workdir/nginx``).
    listen : int, optional
        The proxy's port; a free one by default.
    replica_ports : sequence of int, optional
        The replicas' ports; two free ones by default.
    supervise : bool
        Restart a replica whose process exits (see :func:`supervised`).
    server_names : sequence of str
        Public host names of the site (the replicas answer only these, localhost and 127.0.0.1).
    outer : str, optional
        Address of a TLS proxy in front of nginx (:func:`render_config`).
    wrapper : sequence of str
        A command each replica runs under (a test's ``strace``).
    """
    ports = list(replica_ports or (free_port(), free_port()))
    listen = listen or free_port()
    with contextlib.ExitStack() as stack:
        replicas = [
            stack.enter_context(
                replica(port, db_url, workdir / f"replica-{port}.log", server_names=server_names, wrapper=wrapper)
            )
            for port in ports
        ]
        stack.enter_context(nginx(listen, ports, workdir / "nginx", outer=outer))
        if supervise:
            stack.enter_context(supervised(replicas, db_url))
        yield f"http://127.0.0.1:{listen}", replicas


def _register_url(explicit: str | None) -> str:
    import register

    url = register.configured_url(explicit)
    if not url or url.startswith("sqlite"):
        # One SQLite file is not a shared register for replicas on other machines,
        # and its writers would contend for one lock file across processes.
        raise SystemExit("scaleout: the replicas need a shared PostgreSQL register: --db postgresql://…")
    return url


def main(argv: list[str] | None = None) -> int:
    """``python -m deploy.scaleout``: replicas behind nginx until Ctrl-C, or the nginx configuration; the exit code."""
    parser = argparse.ArgumentParser(prog="python -m deploy.scaleout", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "command",
        nargs="?",
        choices=("run", "render"),
        default="run",
        help="run: replicas and nginx until Ctrl-C (default); render: print the nginx configuration",
    )
    parser.add_argument("--db", metavar="URL", help=f"the shared register (default: ${REGISTER_ENV})")
    parser.add_argument(
        "--port",
        default="8080",
        metavar="[ADDRESS:]PORT",
        help="the proxy's port on 127.0.0.1, or ADDRESS:PORT (render only; default 8080)",
    )
    parser.add_argument(
        "--replica-ports",
        nargs="+",
        default=["8601", "8602"],
        metavar="[ADDRESS:]PORT",
        help="the replicas' ports on 127.0.0.1, or ADDRESS:PORT on their hosts (render only; default 8601 8602)",
    )
    parser.add_argument("--prefix", type=Path, help="render: nginx's directory for pid, logs and temp files")
    parser.add_argument(
        "--server-name",
        action="append",
        default=[],
        metavar="NAME",
        help="run: a public host name of the site (repeatable; localhost and 127.0.0.1 always answer)",
    )
    parser.add_argument(
        "--outer-proxy",
        metavar="ADDRESS",
        help="the TLS proxy in front of nginx, trusted to name the client and the scheme (X-Forwarded-For/-Proto)",
    )
    args = parser.parse_args(argv)
    if args.command == "render":
        prefix = (args.prefix or Path("/var/lib/sid-atlas-nginx")).resolve()
        try:
            sys.stdout.write(render_config(args.port, args.replica_ports, prefix, outer=args.outer_proxy))
        except ValueError as error:
            raise SystemExit(f"scaleout: {error}") from None
        return 0
    if not (args.port.isdigit() and all(port.isdigit() for port in args.replica_ports)):
        raise SystemExit("scaleout: run starts everything on 127.0.0.1: give ports only (ADDRESS:PORT is for render)")
    args.port, args.replica_ports = int(args.port), [int(port) for port in args.replica_ports]
    url = _register_url(args.db)
    # SIGTERM (e.g. from a service manager) stops everything like Ctrl-C does.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with tempfile.TemporaryDirectory(prefix="sid-atlas-scaleout-") as workdir:
        try:
            with deployment(
                url,
                Path(workdir),
                listen=args.port,
                replica_ports=args.replica_ports,
                server_names=args.server_name,
                outer=args.outer_proxy,
            ) as (proxy, _):
                print(
                    f"{proxy} → replicas {', '.join(map(str, args.replica_ports))}; logs in {workdir}; "
                    "Ctrl-C stops all",
                    flush=True,
                )
                while True:
                    time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
