"""Which register a command opens: ``--db`` checked strictly, the password never on the command line.

A typo in ``--db`` must not become a new register: an empty value, an
in-memory database (gone at exit, yet "gespeichert"), SQLite options such as
``?mode=ro`` (which SQLAlchemy's driver ignores, so the file was written
anyway), a read-only file, a folder that does not exist, or a location without
a register are each refused with one line and exit code 2. A new register is
made only when asked for: ``sid-atlas import FILE --create`` (or ``editors add
NAME --create``), in a folder that exists.

A password in ``--db`` would show in the process list of every user of the
machine: it is refused. It comes from ``$SID_ATLAS_REGISTER_PASSWORD`` or from
the first line of ``--db-password-file FILE`` (PostgreSQL's own ``PGPASSWORD``
and ``~/.pgpass`` work too). ``$SID_ATLAS_REGISTER_URL`` and the secrets file
are the operator's configuration and may hold one.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from loaders.errors import InputError

if TYPE_CHECKING:
    from register.core import Register

PASSWORD_ENV = "SID_ATLAS_REGISTER_PASSWORD"
CREATE_HINT = "--create makes a new one"


def add_arguments(parser: argparse.ArgumentParser, create: bool = False) -> None:
    """``--db`` and ``--db-password-file`` (and ``--create`` where a command may make a register)."""
    parser.add_argument(
        "--db",
        metavar="URL",
        help="SQLAlchemy URL of the register, without a password (default: $SID_ATLAS_REGISTER_URL, "
        "[connections.register] in ./.streamlit/secrets.toml, else register.sqlite in $SID_ATLAS_DATA)",
    )
    parser.add_argument(
        "--db-password-file",
        type=Path,
        metavar="FILE",
        help=f"the database password: the first line of FILE (or ${PASSWORD_ENV})",
    )
    if create:
        parser.add_argument(
            "--create",
            action="store_true",
            help="make a new register at this location (in a folder that exists); without it a missing "
            "register is an error",
        )


def location(args: argparse.Namespace) -> str:
    """The register's URL for a command, with the password from the environment or a file.

    Raises
    ------
    InputError
        ``--db`` is empty, holds a password, or the password file cannot be read.
    """
    import sqlalchemy as sa

    from register import configured_url, default_url

    explicit = getattr(args, "db", None)
    if explicit is not None and not explicit.strip():
        raise InputError("--db is empty: give the register's URL (e.g. sqlite:///data/register.sqlite)")
    text = configured_url(explicit) or default_url()
    try:
        url = sa.make_url(text)
    except sa.exc.ArgumentError:
        raise InputError(
            f"not a database URL: {text[:80]!r} (e.g. sqlite:///data/register.sqlite or postgresql://user@host/db)"
        ) from None
    if explicit is not None and (url.password or "password" in url.query):
        raise InputError(
            "--db holds a password, which every user of this machine can read in the process list: give the URL "
            f"without it and the password in ${PASSWORD_ENV} or a file (--db-password-file FILE)"
        )
    password = _password(getattr(args, "db_password_file", None))
    if password is not None and not url.password:
        url = url.set(password=password)
    return url.render_as_string(hide_password=False)


def _password(path: Path | None) -> str | None:
    if path is None:
        return os.environ.get(PASSWORD_ENV) or None
    try:
        with open(path, encoding="utf-8") as handle:
            first = handle.readline(4096).rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise InputError(f"cannot read the password file {path}: {reason or error}") from None
    if not first:
        raise InputError(f"the password file {path} has no password on its first line")
    return first


def check_sqlite(url_text: str, create: bool) -> None:
    """Refuse an SQLite location that is in memory, has options, is read-only, or does not exist (unless ``create``).

    Raises
    ------
    InputError
        With what is wrong and what to do.
    """
    import sqlalchemy as sa

    url = sa.make_url(url_text)
    if url.get_backend_name() != "sqlite":
        return
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file::memory:") or url.query.get("mode") == "memory":
        raise InputError(
            "an in-memory register would be gone when the command ends: give a file, e.g. "
            "sqlite:///data/register.sqlite"
        )
    if url.query:
        options = ", ".join(sorted(url.query))
        raise InputError(
            f"SQLite URL options are not supported ({options}): the register is a writable file without options"
        )
    path = Path(database)
    folder = path.parent
    if not folder.is_dir():
        raise InputError(f"no folder {folder} for the register {path} (a typo?); create the folder first")
    if not path.exists():
        if create:
            if not os.access(folder, os.W_OK | os.X_OK):
                raise InputError(f"cannot create the register {path}: the folder {folder} is read-only")
            return
        raise InputError(f"no register at {path}: {CREATE_HINT} (sid-atlas import FILE --db URL --create)")
    if not path.is_file():
        raise InputError(f"the register {path} is not a file")
    # SQLite writes the file, and its journal beside it: both must be writable. A file without any
    # write permission is read-only by intent, even for root (whom os.access lets write anything).
    if (
        not os.access(path, os.R_OK | os.W_OK)
        or not os.access(folder, os.W_OK | os.X_OK)
        or not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    ):
        raise InputError(f"the register {path} is read-only (file or folder): nothing could be saved")


def open_register(args: argparse.Namespace, create: bool = False, seed: bool = True) -> Register:
    """The register a command works on, checked as the module docstring says.

    Parameters
    ----------
    create : bool
        May make a new register (``--create``); else a location without one is refused.
    seed : bool
        A register made now starts with the shipped documented accessions.
    """
    import register

    url = location(args)
    check_sqlite(url, create)
    if not _has_register(url) and not create:
        import sqlalchemy as sa

        shown = sa.make_url(url).render_as_string(hide_password=True)
        raise InputError(f"no register in {shown} (the database has no register tables): {CREATE_HINT}")
    return register.Register(url, seed=seed)


def _has_register(url_text: str) -> bool:
    """Whether the database at ``url_text`` holds a register; an SQLite file is only read for it."""
    import sqlalchemy as sa

    from register import engine as register_engine
    from register import schema

    url = sa.make_url(url_text)
    if url.get_backend_name() == "sqlite":
        import sqlite3

        path = Path(url.database or "")
        if not path.exists():
            return False
        try:
            # Read-only, so that looking writes nothing (SQLAlchemy's connection would switch the file to WAL).
            with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
                found = conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (schema.meta.name,)
                ).fetchone()
        except sqlite3.Error as error:
            raise InputError(f"register {url.render_as_string(hide_password=True)}: {error}") from None
        return found is not None
    engine = register_engine.make_engine(url_text)
    try:
        with register_engine.reported(engine):
            return sa.inspect(engine).has_table(schema.meta.name)
    finally:
        engine.dispose()
