"""Editors' accounts: one per person, in the register database, made and ended on the command line.

Why accounts
    The change log names who changed what. With one shared password the name
    was whatever was typed; now an editor signs in to an account of their
    own (``sid-atlas editors add anna``), and the log says ``app:anna``. An
    account is never deleted and its name never given to someone else: a
    revoked account stays in the table, so ``app:anna`` in an old entry still
    means one person.

Passwords
    Stored only as an Argon2id hash (:mod:`argon2`, the library's current
    parameters: RFC 9106's second recommendation, 64 MiB, three passes); a
    hash made with older parameters is renewed at the next sign-in. A password
    has at least :data:`MIN_PASSWORD` characters and comes from a prompt, a
    file, standard input or the environment, never from the command line
    (``atlas_cli.commands.editors``). A name that is no account is compared
    against a dummy hash, so the time of an answer does not tell which names
    exist.

Every database failure leaves as :class:`register.errors.RegisterError`;
a name or password that cannot be used as :class:`loaders.errors.InputError`.
"""

from __future__ import annotations

import datetime as dt
import re
import weakref

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from loaders.errors import InputError
from register.engine import create_once, reported
from register.text import hidden_characters

MIN_PASSWORD = 12
MAX_PASSWORD = 1024
MAX_NAME = 64
# Lower-case letters, digits and . _ - @ (an e-mail address fits): one spelling per person in the log.
NAME_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9._@-]{0,62}[a-z0-9])?")

metadata = sa.MetaData()
accounts = sa.Table(
    "register_editors",
    metadata,
    sa.Column("name", sa.String(MAX_NAME), primary_key=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_signin_at", sa.DateTime(timezone=True)),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
    sa.Column("revoked_by", sa.Text),
)
_ready: weakref.WeakSet[sa.Engine] = weakref.WeakSet()
_hasher = PasswordHasher()
# Compared against when a name is no account: the same work as for a real one.
_DUMMY = _hasher.hash("no account has this password, it only costs the same time")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def ensure(engine: sa.Engine) -> None:
    """Create the accounts table once per engine (another process may race to it)."""
    create_once(engine, metadata, _ready)


def account_name(text: str) -> str:
    """The account name as stored: trimmed and lower-case; raises InputError when it cannot be one.

    Examples
    --------
    >>> account_name("  Anna.Beispiel ")
    'anna.beispiel'
    >>> account_name("anna beispiel")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    loaders.errors.InputError: account name 'anna beispiel': use 1 to 64 of a-z, 0-9 and . _ - @ ...
    """
    name = text.strip().lower()
    if not NAME_PATTERN.fullmatch(name):
        shown = name if not hidden_characters(name) else name.encode("unicode_escape").decode("ascii")
        raise InputError(
            f"account name {shown[:80]!r}: use 1 to {MAX_NAME} of a-z, 0-9 and . _ - @ (e.g. anna.beispiel), "
            "starting and ending with a letter or digit"
        )
    return name


def check_password(password: str, name: str) -> None:
    """Raise InputError when ``password`` is too short, too long, has control characters or is the name.

    Examples
    --------
    >>> check_password("Rathaus-Lage-2024", "anna")
    >>> check_password("kurz", "anna")
    Traceback (most recent call last):
    ...
    loaders.errors.InputError: the password has 4 characters; at least 12 are needed
    """
    if len(password) < MIN_PASSWORD:
        raise InputError(f"the password has {len(password)} characters; at least {MIN_PASSWORD} are needed")
    if len(password) > MAX_PASSWORD:
        raise InputError(f"the password has more than {MAX_PASSWORD} characters")
    if hidden_characters(password):
        raise InputError("the password contains control characters (a line break from a file?)")
    if len(name) >= 3 and name in password.lower():
        raise InputError("the password contains the account name")


def add(engine: sa.Engine, name: str, password: str, by: str, now: dt.datetime | None = None) -> str:
    """Create the account ``name``; its stored name. Refused when the name is taken, also by a revoked account."""
    name = account_name(name)
    check_password(password, name)
    ensure(engine)
    now = now or _now()
    digest = _hasher.hash(password)
    with reported(engine), engine.begin() as conn:
        existing = conn.execute(sa.select(accounts.c.revoked_at).where(accounts.c.name == name)).first()
        if existing is not None:
            if existing.revoked_at is not None:
                raise InputError(
                    f"account {name!r} was revoked; a name is never given twice (the change log names it): "
                    "choose another one"
                )
            raise InputError(f"account {name!r} exists already (sid-atlas editors passwd {name} sets a new password)")
        conn.execute(
            accounts.insert().values(
                name=name, password_hash=digest, created_at=now, created_by=by, password_changed_at=now
            )
        )
    return name


def store_password(engine: sa.Engine, name: str, password: str, now: dt.datetime | None = None) -> str:
    """Give the active account ``name`` a new password; its name as stored.

    Its open sign-ins are not touched here: :func:`register.signin.set_password`
    calls this and ends them (sign-ins build on accounts, not the other way round).
    """
    name = account_name(name)
    check_password(password, name)
    ensure(engine)
    digest = _hasher.hash(password)
    with reported(engine), engine.begin() as conn:
        changed = conn.execute(
            accounts.update()
            .where((accounts.c.name == name) & accounts.c.revoked_at.is_(None))
            .values(password_hash=digest, password_changed_at=now or _now())
        ).rowcount
    if not changed:
        raise InputError(f"no active account {name!r} (sid-atlas editors list)")
    return name


def end_account(engine: sa.Engine, name: str, by: str, now: dt.datetime | None = None) -> str:
    """End the account ``name`` for good: it cannot sign in, its name stays taken; its name as stored.

    Its open sign-ins are not touched here: :func:`register.signin.revoke` calls
    this and ends them.
    """
    name = account_name(name)
    ensure(engine)
    with reported(engine), engine.begin() as conn:
        changed = conn.execute(
            accounts.update()
            .where((accounts.c.name == name) & accounts.c.revoked_at.is_(None))
            .values(revoked_at=now or _now(), revoked_by=by)
        ).rowcount
    if not changed:
        raise InputError(f"no active account {name!r} (sid-atlas editors list)")
    return name


def listing(engine: sa.Engine) -> list[dict]:
    """Every account, active ones first, by name (no hash)."""
    ensure(engine)
    columns = [column for column in accounts.c if column.name != "password_hash"]
    with reported(engine), engine.connect() as conn:
        rows = conn.execute(
            sa.select(*columns).order_by(accounts.c.revoked_at.is_not(None), accounts.c.name)
        ).mappings()
        return [dict(row) for row in rows]


def is_active(engine: sa.Engine, name: str) -> bool:
    """Whether ``name`` (as typed) is an account that may sign in."""
    try:
        name = account_name(name)
    except InputError:
        return False
    ensure(engine)
    with reported(engine), engine.connect() as conn:
        return (
            conn.execute(
                sa.select(accounts.c.name).where((accounts.c.name == name) & accounts.c.revoked_at.is_(None))
            ).first()
            is not None
        )


def any_active(engine: sa.Engine) -> bool:
    """Whether any account may sign in (else the register page is read-only and says how to make one)."""
    ensure(engine)
    with reported(engine), engine.connect() as conn:
        return (
            conn.execute(sa.select(accounts.c.name).where(accounts.c.revoked_at.is_(None)).limit(1)).first() is not None
        )


def verify(engine: sa.Engine, name: str, password: str, now: dt.datetime | None = None) -> str | None:
    """The account name if ``password`` is the password of the active account ``name``, else None.

    Takes the time of one hash whether or not the account exists. A hash made
    with older parameters is renewed.
    """
    try:
        name = account_name(name)
    except InputError:
        name = ""
    ensure(engine)
    with reported(engine), engine.connect() as conn:
        row = conn.execute(
            sa.select(accounts.c.password_hash).where((accounts.c.name == name) & accounts.c.revoked_at.is_(None))
        ).first()
    stored = row.password_hash if row is not None else _DUMMY
    try:
        _hasher.verify(stored, password[:MAX_PASSWORD])
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    values: dict = {"last_signin_at": now or _now()}
    if _hasher.check_needs_rehash(stored):
        values["password_hash"] = _hasher.hash(password)
    with reported(engine), engine.begin() as conn:
        conn.execute(accounts.update().where(accounts.c.name == name).values(**values))
    return name
