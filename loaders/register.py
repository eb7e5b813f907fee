"""The membership register: documented accessions in a database, with their whole history.

Where it lives
    SQLite by default (``data/register.sqlite``, git-ignored), created and
    seeded from the shipped accession data on first use; any SQLAlchemy URL
    otherwise — PostgreSQL is the production target. :func:`configured_url`
    follows Streamlit's ``st.connection`` conventions: ``--db URL``, else
    ``$SID_ATLAS_REGISTER_URL``, else ``[connections.register]`` in
    ``.streamlit/secrets.toml`` (``url = "..."``, or ``dialect``, ``host``,
    ``database`` … as for ``st.connection(type="sql")``).

What it holds
    ``register_memberships``: the current state, one row per body, in the
    shipped accession schema (:data:`loaders.accessions.COLUMNS`; documented
    rows only — inferred rows are derived from the events when read).
    ``register_changes``: an append-only log; every insert, update or delete of
    a membership with its before and after values, UTC time, user name and
    import. ``register_imports``: every import, edit and undo (file name,
    SHA-256, user, time, row counts, when it was undone); an edit
    (:meth:`Register.edit_membership`) is one membership changed by hand.
    Organisations only: people never reach the register (partner-list columns
    about people are not read).

How an import works
    :meth:`Register.preview` reads and checks a file (a partner list through
    :func:`loaders.check.check_file`, or a register export in the shipped
    schema) and says per usable row whether it would insert, update or leave a
    body unchanged. :meth:`Register.commit_import` writes all usable rows in
    one transaction, or nothing. Rows that need attention (ambiguous, unknown,
    invalid, duplicate) are not imported and are reported, but they do not
    block the usable rows: the list is re-imported once they are fixed, and
    rows already imported are then unchanged. A body already in the register
    with other data is an update, logged with its before and after values.

    In a partner list a blank cell says nothing: it keeps the register's value
    (a list that does not know a date never erases a known one), and a body
    keeps the name it was first registered under. A register export states
    each row completely and replaces it as it stands.

Concurrency and crashes
    Writers are serialised: SQLite by ``BEGIN IMMEDIATE``, PostgreSQL by a
    transaction-scoped advisory lock, other databases by SERIALIZABLE
    isolation. An import reads, checks and plans its changes before it takes
    the lock; holding it, it plans again against the register as it is then
    (re-validating only the rows whose registered record changed meanwhile)
    and writes, so two editors importing at once each see the other's
    committed rows, and the lock is held for the writes, not the checking. A
    process killed mid-import leaves an uncommitted transaction, which the
    database rolls back: the register is as before.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import re
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import overload

import pandas as pd
import sqlalchemy as sa

from loaders import accessions
from loaders.check import RowReport, check_file
from loaders.dates import period_bounds, precision_of
from loaders.errors import InputError
from loaders.errors import preview as preview_values
from loaders.folding import fold
from loaders.registerconfig import (  # noqa: F401 - re-exported: the register's public configuration API
    CONNECTION_NAME,
    DEFAULT_PATH,
    SECRETS_PATH,
    URL_ENV,
    configured_url,
    default_url,
)
from loaders.sheets import csv_rows, decode_text, read_bounded
from loaders.tables import csv_restore, to_csv_text

SCHEMA_VERSION = 1
SEED_USER = "seed"
# How long an SQLite writer waits for another one before giving up.
SQLITE_BUSY_SECONDS = 120
# Arbitrary constant naming the register's PostgreSQL advisory lock.
PG_LOCK_ID = 5_170_001
_WRITE = "sid_atlas_register_write"
# What an editor may change in one membership; name, kind and key make its identity.
EDITABLE = ("joined_on", "left_on", "source", "note")
# Columns of an accession table that tell a register export from a partner list.
_ACCESSION_HEADER = {c for c in accessions.COLUMNS if c not in accessions.OPTIONAL_COLUMNS}

metadata = sa.MetaData()
meta = sa.Table(
    "register_meta",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("schema_version", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
imports = sa.Table(
    "register_imports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("action", sa.String(10), nullable=False),  # import | edit | undo
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("user_name", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("rows_total", sa.Integer, nullable=False),
    sa.Column("rows_inserted", sa.Integer, nullable=False),
    sa.Column("rows_updated", sa.Integer, nullable=False),
    sa.Column("rows_deleted", sa.Integer, nullable=False),
    sa.Column("rows_unchanged", sa.Integer, nullable=False),
    sa.Column("rows_attention", sa.Integer, nullable=False),
    sa.Column("undoes", sa.Integer, sa.ForeignKey("register_imports.id")),
    sa.Column("undone_at", sa.DateTime(timezone=True)),
    sa.Column("undone_by", sa.Integer, sa.ForeignKey("register_imports.id")),
)
memberships = sa.Table(
    "register_memberships",
    metadata,
    sa.Column("identity", sa.String(400), primary_key=True),
    *(sa.Column(column, sa.Text, nullable=False) for column in accessions.COLUMNS),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("register_imports.id"), nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
)
changes = sa.Table(
    "register_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("register_imports.id"), nullable=False, index=True),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("user_name", sa.Text, nullable=False),
    sa.Column("identity", sa.String(400), nullable=False, index=True),
    sa.Column("action", sa.String(10), nullable=False),  # insert | update | delete
    sa.Column("before", sa.JSON(none_as_null=True)),
    sa.Column("after", sa.JSON(none_as_null=True)),
)


def identity(kind: str, key: str, name: str) -> str:
    """What makes a body one: its key if it has territory, else its kind and folded name.

    Examples
    --------
    >>> identity("gemeinde", "05711000", "Stadt Bielefeld"), identity("verband", "05111000", "Städtetag NRW")
    ('unit:05711000', 'body:verband:staedtetag nrw')
    """
    if kind in accessions.KEY_LENGTH:
        return f"unit:{key}"
    return f"body:{kind}:{fold(name)}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@overload
def _utc(value: dt.datetime) -> dt.datetime: ...
@overload
def _utc(value: None) -> None: ...
@overload
def _utc(value: dt.datetime | None) -> dt.datetime | None: ...
def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """Stored times are UTC; SQLite hands them back without their zone."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


@dataclass
class ImportReport:
    """A checked file and what importing it does (or did).

    ``reports`` and ``summary`` are those of :func:`loaders.check.check_file`,
    with rows the register cannot take (e.g. an exit before the registered
    accession) turned ``invalid``. ``actions`` maps each usable row to
    ``insert``, ``update`` or ``unchanged``; ``changes`` maps each inserted or
    updated row to its before (None for an insert) and after values.
    ``import_id`` is set once committed.
    """

    file: str
    sha256: str
    reports: list[RowReport]
    summary: dict
    actions: dict[int, str] = field(default_factory=dict)
    changes: dict[int, tuple[dict | None, dict]] = field(default_factory=dict)
    import_id: int | None = None

    def count(self, action: str) -> int:
        return sum(a == action for a in self.actions.values())


@dataclass
class _Loaded:
    """A file read and checked, before it meets the register."""

    file: str
    sha256: str
    reports: list[RowReport]
    summary: dict
    records: dict[int, dict]  # row → record in the shipped schema
    complete: bool  # a register export: rows replace; a partner list: blanks keep
    today: dt.date
    # Where a partner-list row came from when the list gives no source of its own.
    default_source: str = ""


class Register:
    """One register database; opening it creates (and seeds) it on first use.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL; default :func:`default_url`. ``postgresql://`` means
        psycopg 3, the driver the project installs.
    seed : bool
        Fill a register created now with the shipped documented accessions
        (recorded as import 1 by user ``seed``). False leaves it empty, e.g.
        to restore an export into it.
    units : pandas.DataFrame, optional
        The official unit table; default :func:`loaders.store.load_attributes`.

    Raises
    ------
    InputError
        The URL is malformed, its driver missing, or the database unreachable.
    """

    def __init__(self, url: str | None = None, *, seed: bool = True, units: pd.DataFrame | None = None):
        self.url = url or default_url()
        self.engine = _engine(self.url)
        self.dialect = self.engine.dialect.name
        self._units = units
        self._events = None
        try:
            self._ensure_schema(seed)
        except BaseException:
            self.engine.dispose()
            raise

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def units(self) -> pd.DataFrame:
        if self._units is None:
            from loaders import store  # names and keys only: no geometry is read

            self._units = store.load_attributes()
        return self._units

    @property
    def events(self) -> pd.DataFrame:
        if self._events is None:
            self._events = accessions.read_events()
        return self._events

    # -- transactions --------------------------------------------------------------------------

    @contextmanager
    def _reported(self):
        """Database failures (unreachable, locked too long, disk full, not a database) reach the user as one line."""
        try:
            yield
        except sa.exc.DBAPIError as error:
            if isinstance(error, (sa.exc.IntegrityError, sa.exc.ProgrammingError)):
                raise  # the register's own statements at fault: a bug, not the user's database
            # Unreachable, locked too long, disk full, or not a database at all ("file is not a database").
            raise InputError(f"register {self.safe_url}: {str(error.orig).strip().splitlines()[0]}") from None

    @contextmanager
    def _transaction(self, write: bool = False):
        """A transaction; a writing one holds the register's write lock until it ends."""
        with self._reported(), self.engine.connect() as conn:
            if write:
                conn.execution_options(**{_WRITE: True})
                if self.dialect not in ("sqlite", "postgresql"):
                    conn.execution_options(isolation_level="SERIALIZABLE")
            with conn.begin():
                if write and self.dialect == "postgresql":
                    conn.execute(sa.select(sa.func.pg_advisory_xact_lock(PG_LOCK_ID)))
                yield conn

    @property
    def safe_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def _ensure_schema(self, seed: bool) -> None:
        with self._reported():
            if sa.inspect(self.engine).has_table(meta.name):
                return
        with self._transaction(write=True) as conn:
            # Checked again under the lock: another process may have created it meanwhile.
            metadata.create_all(conn, checkfirst=True)
            if conn.execute(sa.select(meta.c.id)).first() is not None:
                return
            conn.execute(meta.insert().values(id=1, schema_version=SCHEMA_VERSION, created_at=_now()))
            if seed:
                loaded = self._load(accessions.ACCESSIONS_CSV, dt.date.today())
                self._commit(conn, loaded, SEED_USER)

    # -- reading -------------------------------------------------------------------------------

    def table(self) -> pd.DataFrame:
        """The current memberships in the shipped accession schema (documented rows)."""
        with self._transaction() as conn:
            return _frame(self._current(conn).values())

    def state_at(self, when: dt.datetime | dt.date) -> pd.DataFrame:
        """The memberships as they stood at ``when``, rebuilt from the change log.

        Parameters
        ----------
        when : datetime.datetime or datetime.date
            A moment (naive means UTC) or a day (its end, UTC).
        """
        if not isinstance(when, dt.datetime):
            when = dt.datetime.combine(when, dt.time.max)
        when = _utc(when)
        state: dict[str, dict] = {}  # identity -> its membership record after the last change
        with self._transaction() as conn:
            rows = conn.execute(
                sa.select(changes.c.identity, changes.c.after)
                .where(changes.c.changed_at <= when)
                .order_by(changes.c.id)
            )
            for ident, after in rows:
                if after is None:
                    state.pop(ident, None)
                else:
                    state[ident] = after
        return _frame(state.values())

    def history(self, limit: int | None = None) -> list[dict]:
        """Imports and undos, newest first."""
        query = sa.select(imports).order_by(imports.c.id.desc()).limit(limit)
        with self._transaction() as conn:
            rows = [dict(row._mapping) for row in conn.execute(query)]
        for row in rows:
            row["created_at"], row["undone_at"] = _utc(row["created_at"]), _utc(row["undone_at"])
        return rows

    def changes_of(self, import_id: int) -> list[dict]:
        """The logged changes of one import or undo, in the order they were made."""
        query = sa.select(changes).where(changes.c.import_id == import_id).order_by(changes.c.id)
        with self._transaction() as conn:
            rows = [dict(row._mapping) for row in conn.execute(query)]
        for row in rows:
            row["changed_at"] = _utc(row["changed_at"])
        return rows

    def export(self, at: dt.datetime | dt.date | None = None) -> str:
        """A full dump as CSV in the shipped schema; it re-imports to the identical register.

        With ``at``, the state at that moment (see :meth:`state_at`).
        """
        frame = self.table() if at is None else self.state_at(at)
        # Neutralised like every CSV the project writes (people open it in a spreadsheet, too);
        # reading it back restores each cell exactly (tables.csv_restore), so the dump still round-trips.
        return to_csv_text(frame)

    @staticmethod
    def _current(conn) -> dict[str, dict]:
        rows = conn.execute(sa.select(memberships.c.identity, *(memberships.c[c] for c in accessions.COLUMNS)))
        return {row.identity: {c: row._mapping[c] for c in accessions.COLUMNS} for row in rows}

    # -- importing -----------------------------------------------------------------------------

    def preview(self, path: Path | str, today: dt.date | None = None) -> ImportReport:
        """The report on a file and what importing it would change; writes nothing.

        Raises
        ------
        InputError
            The file is unreadable or has no data rows.
        """
        loaded = self._load(path, today or dt.date.today())
        with self._transaction() as conn:
            current = self._current(conn)
        return self._plan(current, loaded, {})

    def commit_import(self, path: Path | str, user: str, today: dt.date | None = None) -> ImportReport:
        """Import every usable row of a file in one transaction, or nothing.

        Parameters
        ----------
        path : path-like
            A partner list (CSV or XLSX) or a register export.
        user : str
            Who imports, as recorded in the log (the CLI passes ``cli:<os user>``).
        today : datetime.date, optional
            For the check that no date lies in the future.

        Returns
        -------
        ImportReport
            With ``import_id`` of the recorded import.

        Notes
        -----
        The file is read, checked and planned against the register as it is
        before the write lock is taken; under the lock the plan is made again
        against the register as it is then, re-validating only the rows whose
        registered record changed meanwhile. The lock is held for the writes.
        """
        loaded = self._load(path, today or dt.date.today())
        with self._transaction() as conn:
            current = self._current(conn)
        validated: dict[tuple, list[str]] = {}
        self._plan(current, loaded, validated)
        with self._transaction(write=True) as conn:
            return self._commit(conn, loaded, user, validated)

    def _load(self, path: Path | str, today: dt.date) -> _Loaded:
        path = Path(path)
        data = read_bounded(path)  # the same caps as `sid-atlas check`, before anything is parsed
        digest = hashlib.sha256(data).hexdigest()
        if _is_accession_table(data):
            reports, summary, records = _read_accession_table(path, data, self.units, today)
            return _Loaded(str(path), digest, reports, summary, records, complete=True, today=today)
        reports, summary = check_file(path, self.units, today, data)
        records = {r.row: _record_of(r) for r in reports if r.status == "ok"}
        return _Loaded(
            str(path),
            digest,
            reports,
            summary,
            records,
            complete=False,
            today=today,
            default_source=f"Partnerliste {path.name}",
        )

    def _plan(self, current: dict[str, dict], loaded: _Loaded, validated: dict[tuple, list[str]]) -> ImportReport:
        """Decide per usable row what importing it does, against the register state ``current``.

        ``validated`` caches each record's problems by its values: a record
        checked before is not checked again (so planning again under the lock
        re-validates only what changed). ``loaded`` is left as it is; the
        returned report holds its own copies of the rows it turns invalid.
        """
        event_dates = dict(zip(self.events["event"], self.events["date"]))
        report = ImportReport(loaded.file, loaded.sha256, list(loaded.reports), dict(loaded.summary))
        proposals = {}
        for index, row in enumerate(loaded.reports):
            if row.status != "ok":
                continue
            given = loaded.records[row.row]
            ident = identity(given["kind"], given["key"], given["name"])
            before = current.get(ident)
            after = given if loaded.complete else _merge(before, given, event_dates, loaded.default_source)
            proposals[index] = (before, after)
        unchecked = list(
            dict.fromkeys(
                values for values in (_values(after) for _, after in proposals.values()) if values not in validated
            )
        )
        if unchecked:
            records = [dict(zip(accessions.COLUMNS, values)) for values in unchecked]
            validated.update(zip(unchecked, _records_problems(records, self.units, self.events, loaded.today)))
        for index, (before, after) in proposals.items():
            row = report.reports[index]
            problems = validated[_values(after)]
            if problems:
                report.reports[index] = replace(row, status="invalid", messages=[*row.messages, *problems])
            elif before == after:
                report.actions[row.row] = "unchanged"
            else:
                report.actions[row.row] = "insert" if before is None else "update"
                report.changes[row.row] = (before, after)
        _recount(report.summary, report.reports)
        return report

    def _commit(
        self, conn, loaded: _Loaded, user: str, validated: dict[tuple, list[str]] | None = None
    ) -> ImportReport:
        """Plan against the register as it is inside this (write) transaction, then write."""
        report = self._plan(self._current(conn), loaded, {} if validated is None else validated)
        now = _now()
        import_id = conn.execute(
            imports.insert().values(
                action="import",
                file_name=Path(loaded.file).name,
                sha256=loaded.sha256,
                user_name=user,
                created_at=now,
                rows_total=len(loaded.reports),
                rows_inserted=report.count("insert"),
                rows_updated=report.count("update"),
                rows_deleted=0,
                rows_unchanged=report.count("unchanged"),
                rows_attention=report.summary["needs_attention"],
            )
        ).inserted_primary_key[0]
        _write_changes(
            conn,
            import_id,
            now,
            user,
            [
                (identity(after["kind"], after["key"], after["name"]), before, after)
                for before, after in report.changes.values()
            ],
        )
        report.import_id = import_id
        return report

    def edit_membership(self, ident: str, user: str, today: dt.date | None = None, **values: str) -> int:
        """Change one membership by hand (fix a date, end it), recorded like an import of one row.

        Parameters
        ----------
        ident : str
            The body's :func:`identity`.
        user : str
            Who edits, as recorded in the log.
        today : datetime.date, optional
            For the check that no date lies in the future.
        **values : str
            New values of ``joined_on`` or ``left_on`` (partial ISO dates,
            e.g. ``2024-02-01``, ``2024-02``, ``2024``), ``source`` or
            ``note``; ``""`` clears. ``date_precision`` follows ``joined_on``.

        Returns
        -------
        int
            The id of the ``edit`` entry in the history; :meth:`undo_import`
            undoes it like an import.

        Raises
        ------
        InputError
            An unknown field, no such body, nothing would change, or the
            edited record is invalid (e.g. an exit before the accession).
        """
        unknown = sorted(set(values) - set(EDITABLE))
        if unknown:
            raise InputError(f"cannot edit {', '.join(unknown)} (only {', '.join(EDITABLE)})")
        with self._transaction(write=True) as conn:
            row = conn.execute(
                sa.select(*(memberships.c[c] for c in accessions.COLUMNS)).where(memberships.c.identity == ident)
            ).first()
            if row is None:
                raise InputError(f"no membership {ident!r} in the register")
            before = dict(row._mapping)
            after = before | {column: str(value).strip() for column, value in values.items()}
            try:
                after["date_precision"] = precision_of(after["joined_on"])
            except ValueError:
                raise InputError(
                    f"{before['name']}: joined_on {after['joined_on']!r} is not a date like 2024-02-01, 2024-02 or 2024"
                ) from None
            if after["joined_on"] != before["joined_on"]:
                _rebase_event(after, dict(zip(self.events["event"], self.events["date"])))
            if after == before:
                raise InputError(f"{before['name']}: nothing to change")
            problems = _record_problems(after, self.units, self.events, today or dt.date.today())
            if problems:
                raise InputError(f"{before['name']}: {'; '.join(problems)}")
            now = _now()
            # An edit has no file: file_name names the body, so the history says what was edited.
            edit_id = conn.execute(
                imports.insert().values(
                    action="edit",
                    file_name=before["name"],
                    sha256="",
                    user_name=user,
                    created_at=now,
                    rows_total=1,
                    rows_inserted=0,
                    rows_updated=1,
                    rows_deleted=0,
                    rows_unchanged=0,
                    rows_attention=0,
                )
            ).inserted_primary_key[0]
            _write_change(conn, edit_id, now, user, ident, before, after)
        return edit_id

    def undo_import(self, import_id: int, user: str) -> int:
        """Undo an import or edit, recorded as a new entry whose changes restore the values before it.

        Only possible while every body the import changed still holds the
        value the import gave it; otherwise the later imports must be undone
        first (nothing is overwritten silently).

        Returns
        -------
        int
            The id of the undo entry in the import history.

        Raises
        ------
        InputError
            No such import, it is an undo or already undone, or its bodies
            were changed later.
        """
        with self._transaction(write=True) as conn:
            entry = conn.execute(sa.select(imports).where(imports.c.id == import_id)).first()
            if entry is None:
                raise InputError(f"no import with id {import_id} in the register")
            if entry.action == "undo":
                raise InputError(f"entry {import_id} is an undo (of import {entry.undoes}), not an import")
            if entry.user_name == SEED_USER:
                # As on the page: undoing the seed would empty the register of the shipped data.
                raise InputError(
                    f"import {import_id} is the seed (the shipped data the register started with) and cannot be undone"
                )
            if entry.undone_at is not None:
                raise InputError(f"import {import_id} was already undone by entry {entry.undone_by}")
            logged = conn.execute(
                sa.select(changes).where(changes.c.import_id == import_id).order_by(changes.c.id)
            ).all()
            current = self._current(conn)
            changed_later = [(c.after or c.before)["name"] for c in logged if current.get(c.identity) != c.after]
            if changed_later:
                raise InputError(
                    f"import {import_id} cannot be undone: {preview_values(changed_later)} "
                    "changed since by a later import (undo that first)"
                )
            now = _now()
            undo_id = conn.execute(
                imports.insert().values(
                    action="undo",
                    file_name=entry.file_name,
                    sha256=entry.sha256,
                    user_name=user,
                    created_at=now,
                    rows_total=len(logged),
                    rows_inserted=sum(c.after is None for c in logged),
                    rows_updated=sum(c.before is not None and c.after is not None for c in logged),
                    rows_deleted=sum(c.before is None for c in logged),
                    rows_unchanged=0,
                    rows_attention=0,
                    undoes=import_id,
                )
            ).inserted_primary_key[0]
            _write_changes(
                conn,
                undo_id,
                now,
                user,
                [(change.identity, change.after, change.before) for change in reversed(logged)],
            )
            conn.execute(imports.update().where(imports.c.id == import_id).values(undone_at=now, undone_by=undo_id))
        return undo_id


def _engine(url_text: str) -> sa.Engine:
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


def _write_change(
    conn, import_id: int, now: dt.datetime, user: str, ident: str, before: dict | None, after: dict | None
) -> None:
    """Apply one change to the memberships and append it to the log."""
    _write_changes(conn, import_id, now, user, [(ident, before, after)])


def _write_changes(
    conn, import_id: int, now: dt.datetime, user: str, items: list[tuple[str, dict | None, dict | None]]
) -> None:
    """Apply changes ``(identity, before, after)`` to the memberships and append them to the log, in order.

    One statement per kind of change for all rows (executemany): the write
    lock is held for milliseconds per hundred rows, not one round trip per row.
    """
    deletes = [{"ident": ident} for ident, _, after in items if after is None]
    inserts = [
        {"identity": ident, "import_id": import_id, "changed_at": now, **after}
        for ident, before, after in items
        if before is None and after is not None
    ]
    updates = [
        {"ident": ident, "import_id": import_id, "changed_at": now, **after}
        for ident, before, after in items
        if before is not None and after is not None
    ]
    if deletes:
        conn.execute(memberships.delete().where(memberships.c.identity == sa.bindparam("ident")), deletes)
    if inserts:
        conn.execute(memberships.insert(), inserts)
    if updates:
        conn.execute(
            memberships.update()
            .where(memberships.c.identity == sa.bindparam("ident"))
            .values({column: sa.bindparam(column) for column in ("import_id", "changed_at", *accessions.COLUMNS)}),
            updates,
        )
    actions = {True: "delete", False: "update"}
    if items:
        conn.execute(
            changes.insert(),
            [
                {
                    "import_id": import_id,
                    "changed_at": now,
                    "user_name": user,
                    "identity": ident,
                    "action": "insert" if before is None else actions[after is None],
                    "before": before,
                    "after": after,
                }
                for ident, before, after in items
            ],
        )


def _frame(records) -> pd.DataFrame:
    frame = pd.DataFrame(list(records), columns=accessions.COLUMNS, dtype=object)
    # Dated accessions first, as the shipped table; ties by kind and key, so a dump is reproducible.
    order = frame.assign(_undated=frame["joined_on"] == "")
    order = order.sort_values(["_undated", "joined_on", "kind", "key", "name"], kind="stable")
    return frame.loc[order.index].reset_index(drop=True)


def _is_accession_table(data: bytes) -> bool:
    """Whether a file is an accession table in the shipped schema (e.g. a register export)."""
    try:
        # Only the first line is decoded: the file is not split into lines just to look at its header.
        first = data.split(b"\n", 1)[0].decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError:
        return False
    header = next(csv.reader([first]), [])
    return {cell.strip() for cell in header} >= _ACCESSION_HEADER


def _accession_frame(path: Path, data: bytes) -> pd.DataFrame:
    """An accession table (e.g. a register dump) as text columns, read within the partner-list caps.

    Cells are stripped and restored from their formula neutralisation
    (:func:`loaders.tables.csv_restore`), the inverse of what :meth:`Register.export` writes.
    """
    text, _ = decode_text(path, data)
    records = [cells for _, cells in csv_rows(path, text, ",")]
    header = [cell.strip() for cell in records[0]] if records else []
    missing = sorted(_ACCESSION_HEADER - set(header))
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
    width = len(header)
    body = [
        [csv_restore(cell.strip()) for cell in cells[:width]] + [""] * (width - len(cells)) for cells in records[1:]
    ]
    return pd.DataFrame(body, columns=header, dtype=object)


def _read_accession_table(path: Path, data: bytes, units: pd.DataFrame, today: dt.date):
    """Report rows, summary and records of an accession table, checked row by row."""
    frame = _accession_frame(path, data)
    extra = [c for c in frame.columns if c not in accessions.COLUMNS]
    for optional in accessions.OPTIONAL_COLUMNS:
        if optional not in frame:
            frame[optional] = ""
    frame = accessions.canonical_keys(frame[accessions.COLUMNS], units)
    if frame.empty:
        raise InputError(f"{path}: no data rows below the header (row 1)")
    names = dict(zip(units["key"], units["name"]))
    reports: list[RowReport] = []
    records: dict[int, dict] = {}  # row number -> the record to import
    seen: dict[str, int] = {}  # identity -> the row that first named it
    for number, record in enumerate(frame.to_dict("records"), 1):
        level = accessions.TERRITORIAL_KINDS.get(record["kind"])
        report = RowReport(
            row=number,
            name=record["name"] or None,
            status="ok",
            level=level,
            key=record["key"] or None,
            kind=record["kind"],
            official_name=names.get(record["key"]) if level else None,
            joined_on=record["joined_on"],
            date_precision=record["date_precision"],
            left_on=record["left_on"],
            source=record["source"] or None,
            note=record["note"] or None,
        )
        with contextlib.suppress(ValueError):  # reported by _record_problems
            report.left_precision = precision_of(record["left_on"])
        if record["evidence"] != "documented":
            report.status = "invalid"
            report.messages.append(
                f"evidence {record['evidence']!r}: only documented rows are imported "
                "(inferred rows are derived from the events)"
            )
        else:
            ident = identity(record["kind"], record["key"], record["name"])
            if ident in seen:
                report.status = "duplicate"
                report.messages.append(f"dieselbe Körperschaft wie Zeile {seen[ident]}")
            else:
                seen[ident] = number
                records[number] = record
        reports.append(report)
    summary = {
        "file": str(path),
        "format": "csv",
        "encoding": "utf-8",
        "delimiter": ",",
        "header_row": 1,
        "columns": {c: c for c in accessions.COLUMNS},
        "ignored_columns": extra,
        "personal_columns_ignored": [],
    }
    _recount(summary, reports)
    return reports, summary, records


def _record_of(report: RowReport) -> dict:
    """A usable partner-list row as a record of the shipped schema."""
    return {
        "name": report.name or "",
        "kind": report.kind or "",
        "key": report.key or "",
        "joined_on": report.joined_on,
        "date_precision": report.date_precision,
        "certain_by": "",
        "evidence": "documented",
        "event": "",
        "source": report.source or "",
        "left_on": report.left_on,
        "note": report.note or "",
    }


def _merge(before: dict | None, given: dict, event_dates: dict[str, str], default_source: str) -> dict:
    """A partner-list row laid over the registered record: blank cells keep what is known."""
    if before is None:
        return given | {"source": given["source"] or default_source}
    after = dict(before)
    if given["joined_on"]:
        after["joined_on"], after["date_precision"] = given["joined_on"], given["date_precision"]
        _rebase_event(after, event_dates)
    for column in ("left_on", "source", "note"):
        if given[column]:
            after[column] = given[column]
    return after


def _rebase_event(record: dict, event_dates: dict[str, str]) -> None:
    """After a new accession date: a regional event stands for its own date, so a body dated
    otherwise joined separately."""
    if record["event"] in event_dates and event_dates[record["event"]] != record["joined_on"]:
        record["event"] = accessions.SEPARATE


def _values(record: dict) -> tuple:
    """A record as a hashable tuple in column order (the key of validated records)."""
    return tuple(record[column] for column in accessions.COLUMNS)


def _records_problems(
    records: list[dict], units: pd.DataFrame, events: pd.DataFrame, today: dt.date
) -> list[list[str]]:
    """What keeps each record out of the register, for many records in one pass of the validator.

    The records have distinct identities (an import never plans one body
    twice). A finding that names no row would concern them all, and is given to each.
    """
    found: list[list[str]] = [[] for _ in records]
    row = re.compile(r"row (\d+) \(")
    for problem in accessions.validate_accessions(pd.DataFrame(records, columns=accessions.COLUMNS), units, events):
        match = row.match(problem)
        if match and 0 < int(match[1]) <= len(records):
            index = int(match[1]) - 1
            found[index].append(problem.removeprefix(f"row {index + 1} ({records[index]['name'] or 'no name'}): "))
        else:
            for problems in found:
                problems.append(problem)
    for record, problems in zip(records, found):
        problems += _future_problems(record, today)
    return found


def _record_problems(record: dict, units: pd.DataFrame, events: pd.DataFrame, today: dt.date) -> list[str]:
    """What keeps one record out of the register: the shipped validator's findings, and future dates."""
    return _records_problems([record], units, events, today)[0]


def _future_problems(record: dict, today: dt.date) -> list[str]:
    problems = []
    for column in ("joined_on", "left_on"):
        try:
            bounds = period_bounds(record[column], precision_of(record[column])) if record[column] else None
        except ValueError:
            continue  # already reported by the validator
        if bounds and bounds[0] > today:
            problems.append(f"{column} {record[column]} liegt in der Zukunft")
    return problems


def _recount(summary: dict, reports: list[RowReport]) -> None:
    """Counts in the summary after the register turned rows invalid."""
    statuses = ("ok", "ambiguous", "unknown", "invalid", "duplicate")
    summary["by_status"] = {status: sum(r.status == status for r in reports) for status in statuses}
    summary["rows"] = len(reports)
    summary["usable"] = summary["by_status"]["ok"]
    summary["needs_attention"] = len(reports) - summary["usable"]


def render_text(report: ImportReport) -> str:
    """What an import did (or a preview would do), below the per-row report; German like it."""
    lines = []
    for row, (before, after) in report.changes.items():
        if before is not None:
            diff = "; ".join(
                f"{c} {before[c] or '–'} → {after[c] or '–'}" for c in accessions.COLUMNS if before[c] != after[c]
            )
            lines.append(f"  Zeile {row} ({before['name']}) ändert: {diff}")
    counts = f"{report.count('insert')} neu, {report.count('update')} geändert, {report.count('unchanged')} unverändert"
    attention = report.summary["needs_attention"]
    if attention:
        counts += f"; {attention} nicht importiert (brauchen Aufmerksamkeit)"
    head = f"Import {report.import_id} gespeichert" if report.import_id else "Probelauf, nichts gespeichert"
    return "\n".join([*lines, f"{head}: {counts}"]) + "\n"


def render_history(entries: list[dict]) -> str:
    """The import history for the terminal, one line per import or undo."""
    lines = []
    for e in entries:
        when = e["created_at"].strftime("%Y-%m-%d %H:%M UTC")
        if e["action"] == "undo":
            what = (
                f"Rückgängig (Import {e['undoes']}): {e['rows_deleted']} gelöscht, "
                f"{e['rows_updated']} zurückgesetzt, {e['rows_inserted']} wiederhergestellt"
            )
        elif e["action"] == "edit":
            what = f"Bearbeitung {e['file_name']}"
            if e["undone_by"] is not None:
                what += f" — rückgängig gemacht durch #{e['undone_by']}"
        else:
            what = (
                f"Import {e['file_name']}: {e['rows_inserted']} neu, {e['rows_updated']} geändert, "
                f"{e['rows_unchanged']} unverändert, {e['rows_attention']} nicht importiert"
            )
            if e["undone_by"] is not None:
                what += f" — rückgängig gemacht durch #{e['undone_by']}"
        lines.append(f"#{e['id']:<4} {when}  {e['user_name']}  {what}")
    return "\n".join(lines) + "\n" if lines else "Keine Importe.\n"


def open_configured() -> Register | None:
    """The configured register (secrets or environment), or None when there is none."""
    url = configured_url()
    return Register(url) if url else None
