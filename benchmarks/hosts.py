"""Hosts for real: the atlas installed from its wheel on two replica hosts, nginx and PostgreSQL on hosts of their own.

Each host is a Linux network namespace with an address of its own on one
bridge (in a namespace of its own too), so every packet between them crosses a
network interface and nothing reaches any other network: there is no route
out. The names of everything made here begin with ``sidh-`` and a random tag;
:class:`Network` removes all of it again, whatever happened.

- ``db`` (10.21.0.10): a PostgreSQL cluster of its own, with an owner role
  that makes the register's tables (``sid-atlas register init``) and a
  least-privilege role the replicas use (rows only);
- ``a``, ``b`` (10.21.0.11, .12): ``sid-atlas serve`` from a fresh virtual
  environment with the wheel built from the checkout installed, made
  read-only, run as an unprivileged user, each with its own cache directory
  (:func:`install`);
- ``proxy`` (10.21.0.2): nginx with the shipped template
  (``deploy.scaleout.render_config``);
- ``client`` (10.21.0.100): every browser and viewer — one address for all,
  as a ministry behind one NAT.

The code of the test and the benchmark reaches the client host by running in
a thread that has joined its namespace (:func:`inside`): sockets opened there
(urllib, websockets, Chromium started from there) are the client host's.

Needs root (``ip netns``), iproute2, nginx, PostgreSQL's server programs and
util-linux's ``setpriv``; :func:`missing` says what is not there.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import datetime as dt
import os
import re
import secrets
import shutil
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from benchmarks.server import REPO
from deploy.scaleout import stop  # a process of ours and its group: SIGTERM, then SIGKILL

SUBNET = "10.21.0"
HOSTS = {"proxy": 2, "db": 10, "a": 11, "b": 12, "client": 100}
REPLICAS = ("a", "b")
REPLICA_PORT, PROXY_PORT, PG_PORT = 8501, 8080, 5432
NOBODY = 65534  # the replicas run as nobody/nogroup, as the unit runs them as sid-atlas
OWNER, APP = "atlas_owner", "atlas_app"
CLONE_NEWNET = 0x40000000
#: How often an idle page checks the register here (production: 60 s, dashboard/freshness.py).
FOLLOW_SECONDS = 5
#: The proxy host's ``net.ipv4.tcp_retries2`` (docs/operations.md): a replica host that vanished leaves what a
#: browser sends it unacknowledged, and the kernel gives up on the connection after about 25 s instead of 15 min.
PROXY_TCP_RETRIES2 = 6


SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def tool(name: str) -> str:
    """A system program's path (``/usr/sbin`` is not on every ``$PATH``), or its bare name."""
    return shutil.which(name, path=SYSTEM_PATH) or name


def missing() -> str | None:
    """Why the hosts cannot be built here (None: they can)."""
    if os.geteuid() != 0:
        return "network namespaces need root (ip netns); CI runs as root"
    for name, package in (("ip", "iproute2"), ("setpriv", "util-linux"), ("runuser", "util-linux")):
        if not shutil.which(name, path=SYSTEM_PATH):
            return f"{name} is not installed (apt-get install {package})"
    from deploy import scaleout

    if scaleout.find_nginx() is None:
        return "nginx is not installed (apt-get install nginx)"
    if postgres_bin() is None:
        return "PostgreSQL's server programs are not installed (apt-get install postgresql)"
    return None


def postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


def _bindir() -> Path:
    """:func:`postgres_bin`, which :func:`missing` checked before any host started."""
    found = postgres_bin()
    if found is None:
        raise RuntimeError("PostgreSQL's server programs are not installed (apt-get install postgresql)")
    return found


def unprivileged(user: int = NOBODY) -> list[str]:
    """The prefix that runs a command as ``user`` when we are root (root ignores file modes), else nothing."""
    if os.geteuid() != 0:
        return []
    return [tool("setpriv"), f"--reuid={user}", f"--regid={user}", "--clear-groups", "--"]


def address(host: str) -> str:
    return f"{SUBNET}.{HOSTS[host]}"


# -- the network -----------------------------------------------------------------------------------
def _run(argv: Sequence[str | os.PathLike[str]], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(list(argv), capture_output=True, text=True, timeout=kwargs.pop("timeout", 120), **kwargs)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, argv))} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return done


class Network:
    """The namespaces, the bridge and the processes started in them; all removed on :meth:`close`."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.tag = f"sidh-{secrets.token_hex(3)}"
        self.processes: list[subprocess.Popen] = []
        self.cleanups: list[Callable[[], object]] = []
        self.made: list[str] = []

    def ns(self, host: str) -> str:
        return f"{self.tag}-{host}"

    def up(self) -> Network:
        bridge = self.ns("net")
        _run([tool("ip"), "netns", "add", bridge])
        self.made.append(bridge)
        _run([tool("ip"), "-n", bridge, "link", "add", "br0", "type", "bridge"])
        _run([tool("ip"), "-n", bridge, "link", "set", "br0", "up"])
        for host in HOSTS:
            name = self.ns(host)
            _run([tool("ip"), "netns", "add", name])
            self.made.append(name)
            # One cable per host: eth0 in the host, port-<host> in the bridge's namespace.
            _run(
                [
                    tool("ip"),
                    "-n",
                    bridge,
                    "link",
                    "add",
                    f"port-{host}",
                    "type",
                    "veth",
                    "peer",
                    "name",
                    "eth0",
                    "netns",
                    name,
                ]
            )
            _run([tool("ip"), "-n", bridge, "link", "set", f"port-{host}", "master", "br0", "up"])
            _run([tool("ip"), "-n", name, "addr", "add", f"{address(host)}/24", "dev", "eth0"])
            _run([tool("ip"), "-n", name, "link", "set", "eth0", "up"])
            _run([tool("ip"), "-n", name, "link", "set", "lo", "up"])
        return self

    def more_addresses(self, host: str, count: int) -> list[str]:
        """``count`` further addresses on ``host`` (10.21.0.150 …): people behind addresses of their own."""
        extra = [f"{SUBNET}.{150 + i}" for i in range(count)]
        present = _run([tool("ip"), "-n", self.ns(host), "-brief", "addr", "show", "dev", "eth0"]).stdout
        for added in extra:
            if f" {added}/" not in f" {present} ":
                _run([tool("ip"), "-n", self.ns(host), "addr", "add", f"{added}/24", "dev", "eth0"])
        return extra

    def exec(self, host: str, argv: Sequence[object], user: int | None = None) -> list[str]:
        """``argv`` on ``host`` (as ``user``, else root)."""
        prefix = [tool("ip"), "netns", "exec", self.ns(host)]
        if user is not None:
            prefix += unprivileged(user)
        return prefix + [str(a) for a in argv]

    def run(
        self, host: str, argv: Sequence[object], *, user: int | None = None, **kwargs
    ) -> subprocess.CompletedProcess:
        return _run(self.exec(host, argv, user), **kwargs)

    def start(
        self, host: str, argv: Sequence[object], log: Path, *, user: int | None = None, **kwargs
    ) -> subprocess.Popen:
        """A long-running process on ``host``, in its own session (stopped by its id on :meth:`close`)."""
        with open(log, "ab") as out:
            process = subprocess.Popen(
                self.exec(host, argv, user), stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
            )
        self.processes.append(process)
        return process

    def unplug(self, host: str) -> None:
        """Pull ``host``'s cable: nothing reaches it, nothing it sends arrives (its processes keep running)."""
        _run([tool("ip"), "-n", self.ns("net"), "link", "set", f"port-{host}", "down"])

    def plug(self, host: str) -> None:
        _run([tool("ip"), "-n", self.ns("net"), "link", "set", f"port-{host}", "up"])

    def close(self) -> None:
        # The hosts' logs outlive them, for whoever reads a failure (artifacts/hosts/).
        kept = REPO / "artifacts" / "hosts"
        with contextlib.suppress(OSError):
            kept.mkdir(parents=True, exist_ok=True)
            for log in [*self.workdir.rglob("*.log"), *self.workdir.rglob("nginx.out")]:
                if log.is_file() and log.stat().st_size < 20_000_000:
                    shutil.copy(log, kept / log.relative_to(self.workdir).as_posix().replace("/", "-"))
        for cleanup in reversed(self.cleanups):
            with contextlib.suppress(Exception):
                cleanup()
        for process in self.processes:
            stop(process)
        for name in reversed(self.made):
            subprocess.run([tool("ip"), "netns", "del", name], capture_output=True, timeout=30)
        self.made.clear()


T = TypeVar("T")


def inside(net: Network | None, host: str, task: Callable[[], T], timeout: float = 600) -> T:
    """``task()`` in a thread that has joined ``host``'s network namespace: its sockets and children are that host's.

    Without a network (``net`` None), in a plain thread of its own (for Playwright's sync API, which refuses a
    thread with an asyncio loop).
    """

    def joined() -> T:
        if net is None:
            return task()
        libc = ctypes.CDLL(None, use_errno=True)
        fd = os.open(f"/run/netns/{net.ns(host)}", os.O_RDONLY)
        try:
            if libc.setns(fd, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), f"setns into {net.ns(host)}")
        finally:
            os.close(fd)
        return task()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(joined).result(timeout=timeout)


def fetch(url: str, cookie: str | None = None, timeout: float = 10) -> tuple[int, bytes, dict[str, str]]:
    """GET ``url`` (from the thread's host), optionally as the browser with the replica cookie ``cookie``."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, headers={"Cookie": f"sid_replica={cookie}"} if cookie else {})
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


# -- the database host ---------------------------------------------------------------------------
@dataclass
class Database:
    owner_url: str
    app_url: str
    folder: Path


def start_database(net: Network, folder: Path) -> Database:
    """A PostgreSQL cluster on the database host: the owner and the replicas' role, each with a password."""
    bindir = _bindir()
    folder.mkdir(parents=True)
    shutil.chown(folder, "postgres", "postgres")
    folder.chmod(0o700)
    as_postgres = [tool("runuser"), "-u", "postgres", "--"]
    data = folder / "data"
    _run(
        [
            *as_postgres,
            bindir / "initdb",
            "-D",
            data,
            "-U",
            "postgres",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "-E",
            "UTF8",
        ]
    )
    with open(data / "pg_hba.conf", "a", encoding="utf-8") as hba:
        hba.write(f"host all all {SUBNET}.0/24 scram-sha-256\n")
    options = (
        f"-c listen_addresses={address('db')} -p {PG_PORT} -k {folder} "
        # A host that vanished mid-transaction must not hold the register's write lock for hours.
        "-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3 "
        "-c idle_in_transaction_session_timeout=60s"
    )
    net.run(
        "db", [*as_postgres, bindir / "pg_ctl", "-D", data, "-l", folder / "server.log", "-w", "-o", options, "start"]
    )
    net.cleanups.append(
        lambda: net.run("db", [*as_postgres, bindir / "pg_ctl", "-D", data, "-m", "immediate", "stop"], timeout=60)
    )
    owner_pw, app_pw = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
    # The roles and grants of docs/operations.md ("PostgreSQL roles").
    sql = f"""
        CREATE ROLE {OWNER} LOGIN PASSWORD '{owner_pw}';
        CREATE ROLE {APP} LOGIN PASSWORD '{app_pw}';
        CREATE DATABASE atlas OWNER {OWNER};
        \\c atlas
        REVOKE ALL ON SCHEMA public FROM PUBLIC;
        GRANT USAGE ON SCHEMA public TO {APP};
        ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER} IN SCHEMA public
            GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {APP};
        ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {APP};
    """
    psql(net, folder, sql)
    base = f"postgresql+psycopg://{{user}}:{{pw}}@{address('db')}:{PG_PORT}/atlas"
    return Database(base.format(user=OWNER, pw=owner_pw), base.format(user=APP, pw=app_pw), folder)


def psql(net: Network, folder: Path, sql: str, database: str = "postgres") -> str:
    """SQL as the cluster's superuser over its socket (in ``folder``), on the database host."""
    bindir = _bindir()
    return net.run(
        "db",
        [
            "runuser",
            "-u",
            "postgres",
            "--",
            bindir / "psql",
            "-h",
            folder,
            "-p",
            PG_PORT,
            "-U",
            "postgres",
            "-d",
            database,
            "-v",
            "ON_ERROR_STOP=1",
            "-qAt",
        ],
        input=sql,
    ).stdout


# -- the installed atlas -------------------------------------------------------------------------
def checkout_copy(dest: Path) -> Path:
    """The checkout's tracked files and the npm-installed assets (``make install``), as a clean clone would hold them."""
    from webparts import components

    listed = _run(["git", "-C", REPO, "ls-files", "-z"]).stdout.split("\0")
    vendor = [
        p.relative_to(REPO).as_posix() for folder in {v.parent for v in components.VENDOR} for p in folder.rglob("*")
    ]
    for relative in filter(None, listed + vendor):
        source, target = REPO / relative, dest / relative
        if source.is_dir() and not source.is_symlink():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)
    return dest


def build_wheel(source: Path, out: Path) -> Path:
    """``pip wheel`` of the tree ``source`` (``make wheel`` does the same in the checkout)."""
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            out,
            source,
        ],
        timeout=300,
    )
    (wheel,) = out.glob("sid_atlas-*.whl")
    return wheel


def install(wheel: Path, venv: Path) -> Path:
    """A fresh virtual environment with ``wheel`` installed by pip; the ``sid-atlas`` it provides.

    The third-party packages are the locked ones this checkout's environment
    holds (``requirements.lock``), linked in read-only through a ``.pth``
    file, so the test needs no package index; the atlas itself — code and every
    asset — comes from the wheel alone (``pip check`` confirms its
    dependencies are met).
    """
    base = sys._base_executable  # type: ignore[attr-defined]  # CPython's interpreter outside any venv, not in typeshed
    subprocess.run([base, "-m", "venv", venv], check=True, capture_output=True, timeout=300)
    own = Path(sysconfig.get_paths()["purelib"])
    # A folder named site-packages, as where they are installed (Streamlit tells an install from a source tree so).
    deps = venv.parent / f"{venv.name}-locked-deps" / "site-packages"
    deps.mkdir(parents=True)
    skip = (
        "sid_atlas",
        "__editable__",
        "_distutils_hack",
        "distutils-precedence",
        "pip",
        "setuptools",
        "pkg_resources",
        "__pycache__",
    )
    for entry in own.iterdir():
        if not entry.name.startswith(skip) and entry.suffix != ".pth":
            (deps / entry.name).symlink_to(entry)
    (site,) = (venv / "lib").glob("python3*/site-packages")
    (site / "sid_atlas_locked_deps.pth").write_text(f"{deps}\n", encoding="utf-8")
    python = venv / "bin" / "python"
    _run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", wheel], timeout=300)
    _run([python, "-m", "pip", "check"])
    return venv / "bin" / "sid-atlas"


def read_only(*paths: Path) -> None:
    """No write permission left for anyone (the installed tree, the checkout copy); symbolic links are skipped."""
    for path in paths:
        for item in [path, *path.rglob("*")]:
            if not item.is_symlink():
                item.chmod(item.stat().st_mode & ~0o222)


def writable(*paths: Path) -> None:
    """Give write permission back (before the temporary folder is removed)."""
    for path in paths:
        for item in [path, *path.rglob("*")] if path.exists() else []:
            if not item.is_symlink():
                item.chmod(item.stat().st_mode | 0o200)


def tree_state(path: Path) -> dict[str, tuple[int, int]]:
    """Every file below ``path`` with its size and modification time: two states differ if anything was written."""
    return {
        item.relative_to(path).as_posix(): (item.lstat().st_size, item.lstat().st_mtime_ns) for item in path.rglob("*")
    }


@dataclass
class Installed:
    """The wheel installed and made read-only, the checkout copy it was built from, and a folder per replica host."""

    root: Path
    checkout: Path
    wheel: Path
    cli: Path

    @property
    def venv(self) -> Path:
        return self.cli.parent.parent

    def states(self) -> dict[str, dict]:
        return {"venv": tree_state(self.venv), "checkout": tree_state(self.checkout)}


@contextlib.contextmanager
def installed_atlas(root: Path) -> Iterator[Installed]:
    """Copy the checkout, build its wheel, install it into a fresh venv, make both read-only; writable again afterwards."""
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o755)  # the unprivileged replicas must reach what is below
    checkout = checkout_copy(root / "checkout")
    wheel = build_wheel(checkout, root / "dist")
    cli = install(wheel, root / "venv")
    made = Installed(root, checkout, wheel, cli)
    read_only(made.venv, checkout)
    try:
        yield made
    finally:
        writable(made.venv, checkout)


def host_folders(root: Path, host: str) -> dict[str, Path]:
    """A replica host's cache and data folders (written by the replica's user) and its settings folder (read-only)."""
    folders = {"cache": root / f"cache-{host}", "data": root / f"data-{host}", "etc": root / f"etc-{host}"}
    for name, folder in folders.items():
        folder.mkdir(parents=True, exist_ok=True)
        if name != "etc":
            os.chown(folder, NOBODY, NOBODY)
    return folders


def replica_env(db_url: str, folders: dict[str, Path], geodata: Path, follow: float = FOLLOW_SECONDS) -> dict[str, str]:
    """The environment of a replica on its own host (what /etc/sid-atlas/env and the unit set in production)."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "HOME": str(folders["cache"]),
        "SID_ATLAS_REGISTER_URL": db_url,
        "SID_ATLAS_TRUSTED_PROXY": address("proxy"),
        "SID_ATLAS_SERVER_NAMES": address("proxy"),
        "SID_ATLAS_CACHE": str(folders["cache"]),
        "SID_ATLAS_DATA": str(folders["data"]),
        "SID_ATLAS_GEODATA": str(geodata),
        "SID_ATLAS_FOLLOW_SECONDS": f"{follow:g}",
        "XDG_CACHE_HOME": str(folders["cache"]),
    }


# -- the whole set-up ----------------------------------------------------------------------------
@dataclass
class Site:
    """The running hosts: URLs as the client host reaches them, and what the test needs to act on them."""

    net: Network
    atlas: Installed
    db: Database
    env: dict[str, dict[str, str]]  # replica host -> its environment
    workdir: Path
    replicas: dict[str, subprocess.Popen] = field(default_factory=dict)
    nginx_prefix: Path | None = None

    @property
    def proxy(self) -> str:
        return f"http://{address('proxy')}:{PROXY_PORT}"

    def replica_url(self, host: str) -> str:
        return f"http://{address(host)}:{REPLICA_PORT}"

    def upstream(self, host: str) -> str:
        return f"{address(host)}:{REPLICA_PORT}"

    def cli(self, host: str, *args: str, timeout: float = 300) -> str:
        """``sid-atlas …`` on a replica host, as its service user, with its environment; stdout."""
        done = self.net.run(
            host, [self.atlas.cli, *args], user=NOBODY, env=self.env[host], cwd=self.env[host]["HOME"], timeout=timeout
        )
        return done.stdout

    def start_replica(self, host: str) -> subprocess.Popen:
        folder = self.workdir
        process = self.net.start(
            host,
            [self.atlas.cli, "serve", "--port", REPLICA_PORT, "--address", address(host)],
            folder / f"replica-{host}.log",
            user=NOBODY,
            env=self.env[host],
            cwd=folder / f"etc-{host}",
        )
        self.replicas[host] = process
        return process

    def wait_healthy(self, url: str, timeout: float = 240) -> None:
        def poll():
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                with contextlib.suppress(OSError):
                    if fetch(url + "/_stcore/health", timeout=3)[:2] == (200, b"ok"):
                        return
                for host, process in self.replicas.items():
                    if process.poll() is not None:
                        raise RuntimeError(f"replica {host} exited: see {self.workdir / f'replica-{host}.log'}")
                time.sleep(0.5)
            raise RuntimeError(f"{url} not healthy within {timeout:.0f} s")

        inside(self.net, "client", poll, timeout=timeout + 30)

    def nginx_file(self, name: str) -> Path:
        """A file in the proxy's nginx prefix (its logs)."""
        if self.nginx_prefix is None:
            raise RuntimeError("the proxy has not started")
        return self.nginx_prefix / name

    def access_log(self) -> list[str]:
        return self.nginx_file("access.log").read_text(encoding="utf-8").splitlines()


@contextlib.contextmanager
def site(
    workdir: Path, geodata: Path, *, follow: float = FOLLOW_SECONDS, atlas: Installed | None = None
) -> Iterator[Site]:
    """Build the hosts, start PostgreSQL, the two replicas and nginx; take everything down afterwards.

    ``atlas``: an installation made before (:func:`installed_atlas`); else one is made in ``workdir``.
    """
    from deploy import scaleout

    workdir.mkdir(parents=True, exist_ok=True)
    workdir.chmod(0o755)
    net = Network(workdir)
    with contextlib.ExitStack() as stack:
        stack.callback(net.close)
        net.up()
        if atlas is None:
            atlas = stack.enter_context(installed_atlas(workdir / "atlas"))
        db = start_database(net, workdir / "db")
        env = {host: replica_env(db.app_url, host_folders(workdir, host), geodata, follow) for host in REPLICAS}
        running = Site(net, atlas, db, env, workdir)
        # The owner makes the tables once (from host a, as an operator would); then the grants cover them.
        owner_env = {**env["a"], "SID_ATLAS_REGISTER_URL": db.owner_url}
        net.run("a", [atlas.cli, "register", "init"], user=NOBODY, env=owner_env, cwd=env["a"]["HOME"], timeout=600)
        for host in REPLICAS:
            running.start_replica(host)
        for host in REPLICAS:
            running.wait_healthy(running.replica_url(host))
        prefix = workdir / "nginx"
        prefix.mkdir()
        conf = prefix / "nginx.conf"
        conf.write_text(
            scaleout.render_config(f"{address('proxy')}:{PROXY_PORT}", [running.upstream(h) for h in REPLICAS], prefix),
            encoding="utf-8",
        )
        # nginx's 30 s websocket timeout restarts with every message a browser sends; a page that keeps sending
        # (a viewer clicking, the idle check) would stay on a vanished replica until the kernel gives up.
        net.run("proxy", ["sh", "-c", f"echo {PROXY_TCP_RETRIES2} > /proc/sys/net/ipv4/tcp_retries2"])
        command = [scaleout.find_nginx(), "-p", prefix, "-e", prefix / "error.log", "-c", conf]
        net.run("proxy", [*command, "-t", "-q"])
        net.start("proxy", command, prefix / "nginx.out")
        running.nginx_prefix = prefix
        running.wait_healthy(running.proxy, timeout=60)
        yield running


# -- what the test and the benchmark measure on the hosts ------------------------------------------
MEMBERS = re.compile(r"(\d+) Organisationen \(Personen")
RECONNECTED = "Die Verbindung wurde wiederhergestellt"


def host_of(upstream: str) -> str:
    """The replica host of an ``upstream=`` entry of nginx's log (the last one tried: the one that answered)."""
    last = upstream.split(", ")[-1].strip()
    return next(host for host in REPLICAS if last == f"{address(host)}:{REPLICA_PORT}")


def assign(site: Site, count: int, prefix: str = "viewer") -> dict[str, str]:
    """``count`` browsers' ``sid_replica`` cookies, all from the client host's one address, and each one's replica host.

    Each cookie asks for the page three times: nginx must answer all three from one replica (affinity by cookie,
    not by address: every request comes from 10.21.0.100).
    """

    def run() -> dict[str, str]:
        placed = {}
        for i in range(count):
            cookie = f"{prefix}-{i}-{secrets.token_hex(4)}"
            seen = set()
            tried = []
            for _ in range(3):
                before = len(site.access_log())
                status, _, _ = fetch(site.proxy + "/", cookie)
                if status != 200:
                    raise RuntimeError(f"the page answered {status} for {cookie}")
                deadline = time.monotonic() + 5
                while len(lines := site.access_log()) <= before and time.monotonic() < deadline:
                    time.sleep(0.02)
                tried.append(lines[-1].rsplit("upstream=", 1)[1])
                seen.add(host_of(tried[-1]))
            if len(seen) != 1:
                errors = site.nginx_file("error.log").read_text(encoding="utf-8").splitlines()[-5:]
                raise RuntimeError(f"{cookie} was answered by {tried}: no affinity; nginx: {errors}")
            placed[cookie] = seen.pop()
        return placed

    return inside(site.net, "client", run)


@dataclass
class Load:
    """Sessions through the proxy: where each was, how long each change took, what went wrong."""

    placed: dict[str, str]
    open_ms: list[float] = field(default_factory=list)
    change_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def per_replica(self) -> dict[str, int]:
        return {host: sum(1 for h in self.placed.values() if h == host) for host in REPLICAS}


async def _crowd(site: Site, placed: dict[str, str], ramp_s: float, sources: Sequence[str] = ()) -> tuple[list, Load]:
    from benchmarks import sessions

    load = Load(placed)
    viewers = [
        sessions.Viewer(site.proxy, i, cookie, sources[i % len(sources)] if sources else None)
        for i, cookie in enumerate(placed)
    ]

    async def arrive(viewer) -> None:
        await asyncio.sleep(viewer.viewer * ramp_s)
        try:
            run = await viewer.open(sessions.days_for(viewer.viewer)[0])
            load.open_ms.append(run.finished_ms)
        except Exception as error:  # counted, not raised: one viewer's failure is a result
            load.errors.append(f"viewer {viewer.viewer} open: {type(error).__name__}: {error}")

    await asyncio.gather(*(arrive(v) for v in viewers))
    return viewers, load


async def _moves(viewers, load: Load, changes: int, think_s: float) -> None:
    import random

    from benchmarks import sessions

    async def move(viewer) -> None:
        rng = random.Random(viewer.viewer)
        before, after = sessions.days_for(viewer.viewer)
        for i in range(changes):
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think_s)
            try:
                run = await viewer.change(after if i % 2 == 0 else before)
                load.change_ms.append(run.finished_ms)
            except Exception as error:
                load.errors.append(f"viewer {viewer.viewer} change: {type(error).__name__}: {error}")
                return

    await asyncio.gather(*(move(v) for v in viewers))


def warm_up(site: Site) -> None:
    """One session on each replica, as a first visitor: the page's modules and caches loaded before a crowd arrives."""
    from benchmarks import sessions

    placed = assign(site, 12, prefix="warm")
    firsts = [next(c for c, h in placed.items() if h == host) for host in REPLICAS if host in placed.values()]

    async def run() -> None:
        for cookie in firsts:
            viewer = sessions.Viewer(site.proxy, 0, cookie)
            try:
                await viewer.open(sessions.DAY_BEFORE)
                await viewer.change(sessions.DAY_AFTER)
            finally:
                await viewer.close()

    inside(site.net, "client", lambda: asyncio.run(run()))


def sessions_load(
    site: Site,
    count: int,
    *,
    changes: int = 2,
    think_s: float = 2.0,
    ramp_s: float = 0.25,
    sources: Sequence[str] = (),
) -> Load:
    """``count`` sessions through the proxy (each with its own cookie), all open at once, each moving the Stichtag.

    They arrive ``ramp_s`` apart. Without ``sources`` all come from the client host's one address, and nginx lets
    one address open 2 websockets a second beyond a burst of 40 and hold 50 (docs/security.md); with them,
    viewer *i* connects from ``sources[i % len(sources)]``.
    """
    warm_up(site)
    placed = assign(site, count, prefix=f"load{count}")

    async def run() -> Load:
        viewers, load = await _crowd(site, placed, ramp_s, sources)
        try:
            await _moves([v for v in viewers if v.ws is not None], load, changes, think_s)
        finally:
            await asyncio.gather(*(v.close() for v in viewers), return_exceptions=True)
        return load

    return inside(site.net, "client", lambda: asyncio.run(run()), timeout=900)


@dataclass
class Failover:
    """A replica host taken down under load: per session of it, seconds from the cut to a page run on the other."""

    placed: dict[str, str]
    moved_s: list[float] = field(default_factory=list)
    notices: int = 0
    errors: list[str] = field(default_factory=list)
    untouched_errors: list[str] = field(default_factory=list)  # the other host's sessions


def failover(
    site: Site,
    count: int,
    down: str = "a",
    *,
    think_s: float = 1.0,
    limit_s: float = 120.0,
    plug_back: bool = True,
    sources: Sequence[str] = (),
) -> Failover:
    """``count`` sessions moving the Stichtag every ``think_s`` seconds; ``down``'s cable is pulled; how they fare.

    A session of the lost host does what the browser does: when its socket
    drops (the proxy host's kernel gives up on the data it sent, :data:`PROXY_TCP_RETRIES2`, or nginx closes
    it after 30 s without traffic) it
    connects again, asking to resume its session, and runs the page from its
    address; nginx sends it to the other replica. The cable stays out until
    every such session ran a page there (or ``limit_s`` passed), then it is
    plugged back in — unless ``plug_back`` is false (the caller then does, with
    :meth:`Network.plug`). ``sources``: the client addresses the sessions come
    from, in turn (a crowd behind one address shares that address's limits).
    """
    warm_up(site)
    placed = assign(site, count, prefix="failover")
    result = Failover(placed)

    async def run() -> None:
        viewers, load = await _crowd(site, placed, 0.25, sources)
        result.errors.extend(load.errors)
        cut = asyncio.Event()
        cut_at: list[float] = []
        lost = [v for v in viewers if placed[v.cookie] == down and v.ws is not None]
        recovered = asyncio.Event()
        pending = {v.viewer for v in lost}
        stop = asyncio.Event()

        async def keep_moving(viewer) -> None:
            from benchmarks import sessions

            before, after = sessions.days_for(viewer.viewer)
            i = 0
            while not stop.is_set():
                await asyncio.sleep(think_s)
                i += 1
                try:
                    await viewer.change(after if i % 2 else before)
                except Exception as error:
                    if placed[viewer.cookie] != down or not cut.is_set():
                        (result.untouched_errors if placed[viewer.cookie] != down else result.errors).append(
                            f"viewer {viewer.viewer}: {type(error).__name__}: {error}"
                        )
                        return
                    # Its replica is gone: connect again (the browser retries every second or so) until a page runs.
                    while not stop.is_set():
                        try:
                            await viewer.reconnect()
                        except Exception:
                            await asyncio.sleep(1.0)
                            continue
                        result.moved_s.append(time.monotonic() - cut_at[0])
                        result.notices += any(RECONNECTED in alert for alert in viewer.alerts)
                        pending.discard(viewer.viewer)
                        if not pending:
                            recovered.set()
                        break

        movers = [asyncio.create_task(keep_moving(v)) for v in viewers if v.ws is not None]
        try:
            await asyncio.sleep(3 * think_s)
            await asyncio.to_thread(site.net.unplug, down)
            cut_at.append(time.monotonic())
            cut.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(recovered.wait(), limit_s)
            if pending:
                result.errors.append(f"{len(pending)} of {len(lost)} sessions did not reach the other replica")
        finally:
            if plug_back:
                await asyncio.to_thread(site.net.plug, down)
            stop.set()
            await asyncio.gather(*movers, return_exceptions=True)
            await asyncio.gather(*(v.close() for v in viewers), return_exceptions=True)

    inside(site.net, "client", lambda: asyncio.run(run()), timeout=limit_s + 300)
    return result


def members_on(site: Site, cookie: str) -> tuple[int, set[str]]:
    """Run the page of documented members as the browser with ``cookie``: the members count it shows, its data files."""
    from benchmarks import sessions

    async def run():
        viewer = sessions.Viewer(site.proxy, 0, cookie)
        try:
            await viewer.open(query=f"date={dt.date.today().isoformat()}&evidence=documented")
            shown = next(int(m.group(1)) for text in viewer.texts if (m := MEMBERS.search(text)))
            return shown, set(viewer.data_urls)
        finally:
            await viewer.close()

    return inside(site.net, "client", lambda: asyncio.run(run()))


def partner_list(folder: Path, name: str) -> Path:
    """A partner list with one body the shipped register lacks (readable by the replicas' user)."""
    path = folder / f"{name.lower().replace(' ', '-')}.csv"
    path.write_text(f"Name;Art;AGS;Beitritt\n{name};Verband;05111000;01.03.2024\n", encoding="utf-8")
    path.chmod(0o644)
    return path


def follow_times(site: Site, folder: Path, *, idle: bool = True) -> dict[str, float]:
    """Seconds from an import on host a to host b's page showing it: at a viewer's next click, and on an idle page.

    The idle page is a Chromium page on b opened before the import and not touched
    (``idle=False``: not measured).
    """
    placed = assign(site, 16, prefix="follows")
    on_b = next(c for c, h in placed.items() if h == "b")
    listed = partner_list(folder, f"Verband Folge-Probe {secrets.token_hex(3)}")
    before, _ = members_on(site, on_b)
    out: dict[str, float] = {}

    def import_on_a() -> float:
        site.cli("a", "import", str(listed))
        return time.monotonic()

    if not idle:
        done = import_on_a()
        shown, _ = members_on(site, on_b)
        out["click"] = time.monotonic() - done
        if shown != before + 1:
            raise RuntimeError(f"host b shows {shown} members, expected {before + 1}")
        return out

    def watch(browser) -> None:
        context = browser.new_context(locale="de-DE")
        try:
            context.add_cookies([{"name": "sid_replica", "value": on_b, "url": site.proxy}])
            page = context.new_page()
            page.goto(f"{site.proxy}/?date={dt.date.today().isoformat()}&evidence=documented")
            page.get_by_text(f"{before} Organisationen").first.wait_for(timeout=120_000)
            done = import_on_a()
            shown, _ = members_on(site, next(c for c, h in placed.items() if h == "b" and c != on_b))
            out["click"] = time.monotonic() - done
            page.get_by_text(f"{before + 1} Organisationen").first.wait_for(timeout=300_000)
            out["idle"] = time.monotonic() - done
            if shown != before + 1:
                raise RuntimeError(f"host b shows {shown} members, expected {before + 1}")
        finally:
            context.close()

    def in_chromium() -> None:
        from playwright.sync_api import sync_playwright

        from benchmarks import browser

        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=browser.CHROMIUM, args=browser.CHROMIUM_ARGS)
            try:
                watch(chromium)
            finally:
                chromium.close()

    inside(site.net, "client", in_chromium, timeout=600)
    return out
