"""Connections to the register's database: engines, transactions with the write lock, wrapped errors.

SQLite (the default, one file) and PostgreSQL (production) are tuned here;
any other SQLAlchemy database works with SERIALIZABLE isolation for writers.
Every database failure leaves this module as a :class:`register.errors.RegisterError`.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from loaders.errors import InputError
from register.errors import RegisterError

# How long an SQLite writer waits for another one before giving up.
SQLITE_BUSY_SECONDS = 120
# Arbitrary constant naming the register's PostgreSQL advisory lock.
PG_LOCK_ID = 5_170_001
_WRITE = "sid_atlas_register_write"
_ready_lock = threading.Lock()


def make_engine(url_text: str) -> sa.Engine:
    """An engine for the register at ``url_text`` (``postgresql://`` means psycopg 3); connects lazily.

    Raises
    ------
    InputError
        The URL is malformed, its driver missing, or an SQLite file's folder cannot be made.
    """
    try:
        url = sa.make_url(url_text)
    except sa.exc.ArgumentError:
        raise InputError(
            f"not a database URL: {url_text!r} (e.g. sqlite:///data/register.sqlite or postgresql://user@host/db)"
        ) from None
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    sqlite = url.get_backend_name() == "sqlite"
    if sqlite and url.database and url.database != ":memory:":
        folder = Path(url.database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InputError(f"cannot create the register's folder {folder}: {error.strerror or error}") from None
    try:
        engine = sa.create_engine(url, **({"connect_args": {"timeout": SQLITE_BUSY_SECONDS}} if sqlite else {}))
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as error:
        raise InputError(f"cannot use register URL {url.render_as_string(hide_password=True)}: {error}") from None
    if sqlite:
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection, _record) -> None:
    # pysqlite would open transactions itself, deferred; _sqlite_begin does it instead.
    dbapi_connection.isolation_level = None
    # WAL: the dashboard can read while an import writes.
    dbapi_connection.execute("PRAGMA journal_mode=WAL")


def _sqlite_begin(conn) -> None:
    # IMMEDIATE takes the write lock at once, so two imports never plan on the same old state.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


def safe_url(engine: sa.Engine) -> str:
    """``engine``'s URL without its password."""
    return engine.url.render_as_string(hide_password=True)


@contextmanager
def reported(engine: sa.Engine) -> Iterator[None]:
    """Database failures leave as one :class:`RegisterError` line (unreachable, locked, full, not a database)."""
    try:
        yield
    except sa.exc.SQLAlchemyError as error:
        internal = not isinstance(error, sa.exc.DBAPIError) or isinstance(
            error, (sa.exc.IntegrityError, sa.exc.ProgrammingError)
        )
        if internal:
            # The register's own statements at fault: a bug, not the user's database.
            raise RegisterError(f"register failure: {type(error).__name__}", internal=True) from error
        orig = getattr(error, "orig", None) or error
        lines = str(orig).strip().splitlines() or [type(orig).__name__]
        raise RegisterError(f"register {safe_url(engine)}: {lines[0]}") from error


@contextmanager
def transaction(engine: sa.Engine, write: bool = False) -> Iterator[sa.Connection]:
    """A transaction; a writing one holds the register's write lock until it ends.

    Writers are serialised: SQLite by ``BEGIN IMMEDIATE``, PostgreSQL by a
    transaction-scoped advisory lock, other databases by SERIALIZABLE isolation.
    """
    dialect = engine.dialect.name
    with reported(engine), engine.connect() as conn:
        if write:
            conn.execution_options(**{_WRITE: True})
            if dialect not in ("sqlite", "postgresql"):
                conn.execution_options(isolation_level="SERIALIZABLE")
        with conn.begin():
            if write and dialect == "postgresql":
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(PG_LOCK_ID)))
            yield conn


def create_once(engine: sa.Engine, tables: sa.MetaData, ready: weakref.WeakSet[sa.Engine]) -> None:
    """Create ``tables`` in the register database once per engine (``ready`` remembers the engines).

    A weak set, not ids: an engine's id is reused once it is collected, and a new database then
    looked ready (seen in CI as "no such table").
    """
    if engine in ready:
        return
    with _ready_lock, reported(engine):
        try:
            tables.create_all(engine, checkfirst=True)
        except sa.exc.DBAPIError:
            # Two replicas creating the tables at once: one wins, the other finds them.
            if not all(sa.inspect(engine).has_table(t.name) for t in tables.sorted_tables):
                raise
        ready.add(engine)
