"""The register itself: one database of memberships, read, imported into, edited, undone.

How an import works
    :meth:`Register.preview` reads and checks a file (:mod:`register.reading`)
    and says per usable row whether it would insert, update or leave a body
    unchanged (:mod:`register.merge`). :meth:`Register.commit_import` writes
    all usable rows in one transaction, or nothing. Rows that need attention
    (ambiguous, unknown, invalid, duplicate) are not imported and are reported,
    but they do not block the usable rows: the list is re-imported once they
    are fixed, and rows already imported are then unchanged. A body already in
    the register with other data is an update, logged with its before and
    after values. A file comes as a path, or as its name and bytes (an upload:
    ``data=``), never through a temporary file.

Concurrency and crashes
    Writers are serialised (:func:`register.engine.transaction`). An import
    reads, checks and plans its changes before it takes the lock; holding it,
    it plans again against the register as it is then (re-validating only the
    rows whose registered record changed meanwhile) and writes, so two editors
    importing at once each see the other's committed rows, and the lock is held
    for the writes, not the checking. A process killed mid-import leaves an
    uncommitted transaction, which the database rolls back: the register is as
    before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import overload

import pandas as pd
import sqlalchemy as sa

from loaders import accessions
from loaders.dates import precision_of
from loaders.errors import InputError
from loaders.errors import preview as preview_values
from loaders.tables import to_csv_text
from register import engine, merge, reading
from register.check import RowReport
from register.config import configured_url, default_url
from register.merge import values_of
from register.reading import Loaded, recount
from register.schema import MIGRATABLE, SCHEMA_VERSION, changes, entries, memberships, meta, metadata

SEED_USER = "seed"
# What an editor may change in one membership; name, kind and key make its identity.
EDITABLE = ("joined_on", "left_on", "source", "note", "quote", "read_on", "not_before")
identity = accessions.identity


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """Stored times are UTC; SQLite hands them back without their zone."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


@dataclass
class ImportReport:
    """A checked file and what importing it does (or did).

    ``reports`` and ``summary`` are those of :func:`register.check.check_file`,
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
        """How many usable rows the import gives ``action`` (insert, update or unchanged)."""
        return sum(a == action for a in self.actions.values())


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
        self.engine = engine.make_engine(self.url)
        self.dialect = self.engine.dialect.name
        self._units = units
        self._events = None
        try:
            self._ensure_schema(seed)
        except BaseException:
            self.engine.dispose()
            raise

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def units(self) -> pd.DataFrame:
        """The units (names and keys) the register resolves against, read once."""
        if self._units is None:
            from loaders import store  # names and keys only: no geometry is read

            self._units = store.load_attributes()
        return self._units

    @property
    def events(self) -> pd.DataFrame:
        """The regional events, read once."""
        if self._events is None:
            self._events = accessions.read_events()
        return self._events

    # -- transactions --------------------------------------------------------------------------

    def _transaction(self, write: bool = False):
        """A transaction; a writing one holds the register's write lock until it ends."""
        return engine.transaction(self.engine, write)

    @property
    def safe_url(self) -> str:
        """The database URL without its password (for messages and logs)."""
        return engine.safe_url(self.engine)

    def _ensure_schema(self, seed: bool) -> None:
        with engine.reported(self.engine):
            exists = sa.inspect(self.engine).has_table(meta.name)
        if not exists:
            with self._transaction(write=True) as conn:
                # Checked again under the lock: another process may have created it meanwhile.
                metadata.create_all(conn, checkfirst=True)
                if conn.execute(sa.select(meta.c.id)).first() is None:
                    conn.execute(meta.insert().values(id=1, schema_version=SCHEMA_VERSION, created_at=_now()))
                    if seed:
                        loaded = self._load(accessions.ACCESSIONS_CSV, None, dt.date.today())
                        self._commit(conn, loaded, SEED_USER)
                    return
        with self._transaction() as conn:
            version = conn.execute(sa.select(meta.c.schema_version)).scalar()
        if version in MIGRATABLE:
            version = self._migrate()
        if version != SCHEMA_VERSION:
            # Not migrated: the history's layout changed (see register.schema.SCHEMA_VERSION).
            raise InputError(
                f"register {self.safe_url} has schema version {version}, this program reads {SCHEMA_VERSION}: "
                "export it with the version that made it and import the export into a new register "
                "(or remove an SQLite file under data/ to start again from the shipped data)"
            )

    def _migrate(self) -> int:
        """Bring a version-2 register to version 3: the provenance columns, added empty, in one transaction.

        Under the write lock, so two processes opening the same old register migrate it once.
        Nothing is filled in: a row's quote and read date come with the next import that gives them.
        """
        with self._transaction(write=True) as conn:
            version = conn.execute(sa.select(meta.c.schema_version)).scalar()
            if version not in MIGRATABLE:
                return version  # another process migrated it meanwhile
            present = {column["name"] for column in sa.inspect(conn).get_columns(memberships.name)}
            quote = conn.dialect.identifier_preparer.quote
            for column in accessions.PROVENANCE_COLUMNS:
                if column not in present:
                    conn.execute(
                        sa.text(
                            f"ALTER TABLE {quote(memberships.name)} ADD COLUMN {quote(column)} TEXT NOT NULL DEFAULT ''"
                        )
                    )
            conn.execute(meta.update().values(schema_version=SCHEMA_VERSION))
        return SCHEMA_VERSION

    # -- reading -------------------------------------------------------------------------------

    def table(self) -> pd.DataFrame:
        """The current memberships in the shipped accession schema (documented rows)."""
        with self._transaction() as conn:
            return _frame(self._current(conn).values())

    def last_changed(self) -> dt.datetime | None:
        """When a membership last changed (UTC; None for an empty register): the date of its data version."""
        with self._transaction() as conn:
            return _utc(conn.execute(sa.select(sa.func.max(changes.c.changed_at))).scalar())

    def state_at(self, when: dt.datetime | dt.date) -> pd.DataFrame:
        """The memberships as they stood at ``when``, rebuilt from the change log.

        Parameters
        ----------
        when : datetime.datetime or datetime.date
            A moment (naive means UTC) or a day (its end, UTC).
        """
        moment = _utc(when if isinstance(when, dt.datetime) else dt.datetime.combine(when, dt.time.max))
        state: dict[str, dict] = {}
        with self._transaction() as conn:
            rows = conn.execute(
                sa.select(changes.c.identity, changes.c.after)
                .where(changes.c.changed_at <= moment)
                .order_by(changes.c.id)
            )
            for ident, after in rows:
                if after is None:
                    state.pop(ident, None)
                else:
                    state[ident] = complete(after)
        return _frame(state.values())

    def history(self, limit: int | None = None) -> list[dict]:
        """The entries (imports, edits and undos, see :data:`register.schema.entries`), newest first."""
        query = sa.select(entries).order_by(entries.c.id.desc()).limit(limit)
        with self._transaction() as conn:
            rows = [dict(row._mapping) for row in conn.execute(query)]
        for row in rows:
            row["created_at"], row["undone_at"] = _utc(row["created_at"]), _utc(row["undone_at"])
        return rows

    def changes_of(self, entry_id: int) -> list[dict]:
        """The logged changes of one entry (import, edit or undo), in the order they were made."""
        query = sa.select(changes).where(changes.c.entry_id == entry_id).order_by(changes.c.id)
        with self._transaction() as conn:
            rows = [dict(row._mapping) for row in conn.execute(query)]
        for row in rows:
            row["changed_at"] = _utc(row["changed_at"])
            row["before"], row["after"] = complete(row["before"]), complete(row["after"])
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

    def preview(
        self, file: Path | str, today: dt.date | None = None, *, data: bytes | None = None, isolated: bool = False
    ) -> ImportReport:
        """The report on a file and what importing it would change; writes nothing.

        ``file`` is a path, or with ``data`` (an upload's bytes) only the
        file's name: then nothing is read from disk. ``isolated`` reads and
        checks the file in a limited child process (:mod:`register.worker`),
        as the web server does for uploads. See :meth:`commit_import`.

        Raises
        ------
        InputError
            The file is unreadable or has no data rows.
        """
        loaded = self._load(file, data, today or dt.date.today(), isolated)
        with self._transaction() as conn:
            current = self._current(conn)
        return self._plan(current, loaded, {})

    def commit_import(
        self,
        file: Path | str,
        user: str,
        today: dt.date | None = None,
        *,
        data: bytes | None = None,
        isolated: bool = False,
    ) -> ImportReport:
        """Import every usable row of a file in one transaction, or nothing.

        Parameters
        ----------
        file : path-like
            A partner list (CSV or XLSX) or a register export; with ``data``
            only its name (as the history records it).
        user : str
            Who imports, as recorded in the log (the CLI passes ``cli:<os user>``).
        today : datetime.date, optional
            For the check that no date lies in the future.
        data : bytes, optional
            The file's content, e.g. an upload; the caps of
            :data:`register.sheets.LIMITS` apply as to a file on disk.
        isolated : bool
            Read and check the file in a limited child process (:mod:`register.worker`).

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
        loaded = self._load(file, data, today or dt.date.today(), isolated)
        with self._transaction() as conn:
            current = self._current(conn)
        validated: dict[tuple, list[str]] = {}
        self._plan(current, loaded, validated)
        with self._transaction(write=True) as conn:
            return self._commit(conn, loaded, user, validated)

    def _load(self, file: Path | str, data: bytes | None, today: dt.date, isolated: bool = False) -> Loaded:
        if data is None:
            data = reading.read_file(file)  # the same caps as `sid-atlas check`, before anything is parsed
        if isolated:
            from register import worker

            return worker.load(str(file), data, self.units, today)
        return reading.load(str(file), data, self.units, today)

    def _plan(self, current: dict[str, dict], loaded: Loaded, validated: dict[tuple, list[str]]) -> ImportReport:
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
            after = given if loaded.complete else merge.merge(before, given, event_dates, loaded.default_source)
            proposals[index] = (before, after)
        unchecked = list(
            dict.fromkeys(
                values for values in (values_of(after) for _, after in proposals.values()) if values not in validated
            )
        )
        if unchecked:
            records = [dict(zip(accessions.COLUMNS, values)) for values in unchecked]
            validated.update(zip(unchecked, merge.records_problems(records, self.units, self.events, loaded.today)))
        for index, (before, after) in proposals.items():
            row = report.reports[index]
            problems = validated[values_of(after)]
            if problems:
                report.reports[index] = replace(row, status="invalid", messages=[*row.messages, *problems])
            elif before == after:
                report.actions[row.row] = "unchanged"
            else:
                report.actions[row.row] = "insert" if before is None else "update"
                report.changes[row.row] = (before, after)
        recount(report.summary, report.reports)
        return report

    def _commit(self, conn, loaded: Loaded, user: str, validated: dict[tuple, list[str]] | None = None) -> ImportReport:
        """Plan against the register as it is inside this (write) transaction, then write."""
        report = self._plan(self._current(conn), loaded, {} if validated is None else validated)
        now = _now()
        import_id = conn.execute(
            entries.insert().values(
                kind="import",
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
        """Change one membership by hand (fix a date, end it), recorded as an ``edit`` entry of one change.

        Parameters
        ----------
        ident : str
            The body's :func:`identity`.
        user : str
            Who edits, as recorded in the log.
        today : datetime.date, optional
            For the check that no date lies in the future.
        **values : str
            New values of ``joined_on``, ``left_on``, ``read_on`` or
            ``not_before`` (partial ISO dates, e.g. ``2024-02-01``,
            ``2024-02``, ``2024``), ``source``, ``quote`` or ``note``; ``""``
            clears. ``date_precision`` follows ``joined_on``.

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
                merge.rebase_event(after, dict(zip(self.events["event"], self.events["date"])))
            if after == before:
                raise InputError(f"{before['name']}: nothing to change")
            problems = merge.record_problems(after, self.units, self.events, today or dt.date.today())
            if problems:
                raise InputError(f"{before['name']}: {'; '.join(problems)}")
            now = _now()
            edit_id = conn.execute(
                entries.insert().values(
                    kind="edit",
                    body=before["name"],
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
            entry = conn.execute(sa.select(entries).where(entries.c.id == import_id)).first()
            if entry is None:
                raise InputError(f"no import with id {import_id} in the register")
            if entry.kind == "undo":
                raise InputError(f"entry {import_id} is an undo (of import {entry.undoes}), not an import")
            if entry.user_name == SEED_USER:
                # As on the page: undoing the seed would empty the register of the shipped data.
                raise InputError(
                    f"import {import_id} is the seed (the shipped data the register started with) and cannot be undone"
                )
            if entry.undone_at is not None:
                raise InputError(f"import {import_id} was already undone by entry {entry.undone_by}")
            logged = conn.execute(
                sa.select(changes).where(changes.c.entry_id == import_id).order_by(changes.c.id)
            ).all()
            current = self._current(conn)
            changed_later = [
                (c.after or c.before)["name"] for c in logged if current.get(c.identity) != complete(c.after)
            ]
            if changed_later:
                raise InputError(
                    f"import {import_id} cannot be undone: {preview_values(changed_later)} "
                    "changed since by a later import (undo that first)"
                )
            now = _now()
            undo_id = conn.execute(
                entries.insert().values(
                    kind="undo",
                    file_name=entry.file_name,
                    sha256=entry.sha256,
                    body=entry.body,
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
                [(change.identity, complete(change.after), complete(change.before)) for change in reversed(logged)],
            )
            conn.execute(entries.update().where(entries.c.id == import_id).values(undone_at=now, undone_by=undo_id))
        return undo_id


def _write_change(
    conn, entry_id: int, now: dt.datetime, user: str, ident: str, before: dict | None, after: dict | None
) -> None:
    """Apply one change to the memberships and append it to the log."""
    _write_changes(conn, entry_id, now, user, [(ident, before, after)])


def _write_changes(
    conn, entry_id: int, now: dt.datetime, user: str, items: list[tuple[str, dict | None, dict | None]]
) -> None:
    """Apply changes ``(identity, before, after)`` to the memberships and append them to the log, in order.

    One statement per kind of change for all rows (executemany): the write
    lock is held for milliseconds per hundred rows, not one round trip per row.
    """
    deletes = [{"ident": ident} for ident, _, after in items if after is None]
    inserts = [
        {"identity": ident, "entry_id": entry_id, "changed_at": now, **after}
        for ident, before, after in items
        if before is None and after is not None
    ]
    updates = [
        {"ident": ident, "entry_id": entry_id, "changed_at": now, **after}
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
            .values({column: sa.bindparam(column) for column in ("entry_id", "changed_at", *accessions.COLUMNS)}),
            updates,
        )
    actions = {True: "delete", False: "update"}
    if items:
        conn.execute(
            changes.insert(),
            [
                {
                    "entry_id": entry_id,
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


@overload
def complete(record: dict) -> dict: ...
@overload
def complete(record: None) -> None: ...
def complete(record: dict | None) -> dict | None:
    """A logged record with every column of the schema: one logged before a column existed has it empty.

    Examples
    --------
    >>> complete({"name": "Stadt Lage"})["quote"], complete(None) is None
    ('', True)
    """
    if record is None:
        return None
    return {column: record.get(column) or "" for column in accessions.COLUMNS}


def _frame(records) -> pd.DataFrame:
    frame = pd.DataFrame(list(records), columns=accessions.COLUMNS, dtype=object).fillna("")
    # Dated accessions first, as the shipped table; ties by kind and key, so a dump is reproducible.
    order = frame.assign(_undated=frame["joined_on"] == "")
    order = order.sort_values(["_undated", "joined_on", "kind", "key", "name"], kind="stable")
    return frame.loc[order.index].reset_index(drop=True)


def open_configured() -> Register | None:
    """The configured register (secrets or environment), or None when there is none."""
    url = configured_url()
    return Register(url) if url else None
