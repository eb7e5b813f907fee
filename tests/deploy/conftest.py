"""What the deployment tests share: a fresh PostgreSQL schema, and failing (under CI) or skipping without a tool.

A register on the test PostgreSQL server needs ``SID_ATLAS_TEST_PG_URL``
(``.ci/run`` starts a server and sets it; locally ``scripts/test_postgres.sh start``
prints one). Under CI (``CI=true``) a missing server or program fails the test;
elsewhere it is skipped with the reason.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
import sqlalchemy as sa

from register import Register

PG_ENV = "SID_ATLAS_TEST_PG_URL"


def unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"the deployment tests must run under CI, but {reason}")
    pytest.skip(reason)


def program(name: str, package: str) -> str:
    """The path of a system program (also in /usr/sbin), or fail/skip naming the Debian package."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin:/usr/bin")
    if found is None:
        unavailable(f"{name} is not installed (apt-get install {package})")
    return found


@contextlib.contextmanager
def fresh_schema(units) -> Iterator[str]:
    """A seeded register in a new schema of the test PostgreSQL server, as a URL; dropped afterwards."""
    base = os.environ.get(PG_ENV)
    if not base:
        unavailable(f"{PG_ENV} is not set (scripts/test_postgres.sh start prints a server's URL)")
    url = sa.make_url(base)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    schema = f"deploy_test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        scoped = url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
        # Seeded before the replicas start, so that all begin from the same known register.
        Register(scoped, units=units).close()
        yield scoped
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        engine.dispose()


@pytest.fixture
def register_url(units):
    """A seeded register in a fresh schema of the test PostgreSQL server; dropped afterwards."""
    with fresh_schema(units) as url:
        yield url


@contextlib.contextmanager
def environment(settings: Mapping[str, str]) -> Iterator[None]:
    """``settings`` in this process's environment (which the servers it starts inherit), restored afterwards."""
    old = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    try:
        yield
    finally:
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


# The editor account the served tests sign in with (register/editors.py: one account per person).
EDITOR = "anna.beispiel"


def editor_secrets(folder: Path) -> dict[str, str]:
    """An empty secrets file of the test (never the checkout's), as the environment naming it."""
    (folder / "secrets.toml").write_text("[connections]\n", encoding="utf-8")
    return {"STREAMLIT_SECRETS_FILES": str(folder / "secrets.toml")}


def add_editor(url: str, units, password: str) -> None:
    """The account :data:`EDITOR` with ``password`` in the register at ``url``."""
    from register import editors

    with Register(url, units=units) as reg:
        editors.add(reg.engine, EDITOR, password, by="cli:test")


@contextlib.contextmanager
def served_alone(folder: Path, units, password: str) -> Iterator[tuple[str, str, Path]]:
    """``sid-atlas serve`` on a seeded SQLite register with the account :data:`EDITOR`; its URL, register URL and log."""
    from deploy import scaleout

    url = f"sqlite:///{folder / 'register.sqlite'}"
    add_editor(url, units, password)
    with (
        environment(editor_secrets(folder)),
        scaleout.replica(scaleout.free_port(), url, folder / "serve.log") as running,
    ):
        yield running.url, url, folder / "serve.log"


def official_geodata() -> Path:
    """The official geodata folder ($SID_ATLAS_GEODATA, else ../shared/geodata beside the checkout), or fail/skip."""
    from loaders import paths

    folder = os.environ.get(paths.GEODATA_ENV) or paths.SHARED_GEODATA_DIR
    if folder is None or not Path(folder).is_dir():
        unavailable("no official geodata folder (../shared/geodata or $SID_ATLAS_GEODATA)")
    return Path(folder)


@pytest.fixture(scope="session")
def installed():
    """The wheel built from the checkout, installed into a fresh virtual environment, read-only (benchmarks/hosts.py).

    Made once per session, in a folder an unprivileged user may enter; removed afterwards.
    """
    import tempfile

    from benchmarks import hosts
    from webparts import components

    program("git", "git")
    if components.missing():
        unavailable("Leaflet and topojson-client are not installed (make install): the wheel would lack them")
    root = Path(tempfile.mkdtemp(prefix="sidh-installed-", dir="/tmp"))
    root.chmod(0o755)  # the unprivileged servers must reach the installation below it
    try:
        with hosts.installed_atlas(root / "atlas") as atlas:
            yield atlas
    finally:
        shutil.rmtree(root, ignore_errors=True)
