"""Editors' sign-ins to the register: server-side sessions and the brute-force counters.

Why server-side
    A Streamlit session can be resumed by any client that presents its id,
    and that id travels in upload URLs. So being signed in is never a flag in
    the session: it is a random token in an HttpOnly, SameSite=Strict cookie
    (set by the sign-in endpoint of ``sid-atlas serve``, see
    :mod:`dashboard.webserver`), of which the register database keeps only the
    SHA-256. Every privileged action looks the token up again; signing out
    deletes the row, and a row expires after :data:`SESSION_HOURS`.

Failures of the database leave as :class:`register.errors.RegisterError`.

Brute force
    Every attempt is counted *before* the password is compared, per account
    (the name typed, case-folded) and per client address, in the register
    database: so the counters hold across sessions, processes and replicas, and
    parallel guesses cannot outrun them. After :data:`FREE_FAILURES` failures
    each attempt waits :func:`delay_for` seconds (doubling, at most
    :data:`MAX_DELAY`), the right password included; after
    :data:`LOCKOUT_AFTER` the account or address is locked until an editor
    lifts it (:func:`lift`) or :data:`FORGET_SECONDS` pass without an attempt.
    A success clears both counters. Nothing here logs a password or a token.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import secrets as random_tokens

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from register.engine import create_once, reported

LOG = logging.getLogger("sid_atlas.signin")
FREE_FAILURES = 3
BASE_DELAY = 0.5
MAX_DELAY = 30.0
LOCKOUT_AFTER = 10
FORGET_SECONDS = 3600
SESSION_HOURS = 8
# Long enough for any real name; a longer one is cut, so a counter key stays bounded.
MAX_SUBJECT = 200

metadata = sa.MetaData()
attempts = sa.Table(
    "register_signin_attempts",
    metadata,
    sa.Column("scope", sa.String(10), primary_key=True),  # account | address
    sa.Column("subject", sa.String(MAX_SUBJECT), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
)
signins = sa.Table(
    "register_signins",
    metadata,
    sa.Column("token_sha256", sa.String(64), primary_key=True),
    sa.Column("editor", sa.Text, nullable=False),
    sa.Column("address", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, index=True),
)
_ready: set[int] = set()


@dataclasses.dataclass(frozen=True)
class Gate:
    """What an attempt may do: wait ``delay`` seconds, or nothing at all when ``locked``."""

    failures: int  # consecutive failures before this attempt (the larger of account and address)
    locked: bool
    delay: float


def delay_for(failures: int) -> float:
    """Seconds an attempt waits after ``failures`` consecutive failures.

    Examples
    --------
    >>> [delay_for(n) for n in (0, 2, 3, 4, 6, 20)]
    [0.0, 0.0, 0.5, 1.0, 4.0, 30.0]
    """
    if failures < FREE_FAILURES:
        return 0.0
    return min(BASE_DELAY * 2 ** (failures - FREE_FAILURES), MAX_DELAY)


def account_key(name: str) -> str:
    """The counter key of a typed name: trimmed, case-folded, bounded.

    Examples
    --------
    >>> account_key("  Anna  Beispiel ")
    'anna beispiel'
    """
    return " ".join(name.split()).casefold()[:MAX_SUBJECT]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def ensure(engine: sa.Engine) -> None:
    """Create this module's tables in the register database once per engine (another process may race)."""
    create_once(engine, metadata, _ready)


def begin(engine: sa.Engine, account: str, address: str, now: dt.datetime | None = None) -> Gate:
    """Count an attempt for ``account`` and ``address`` (as a failure until :func:`succeeded`); its gate."""
    ensure(engine)
    now = now or _now()
    forget = now - dt.timedelta(seconds=FORGET_SECONDS)
    counts = []
    with reported(engine), engine.begin() as conn:
        for scope, subject in (("account", account_key(account)), ("address", address[:MAX_SUBJECT])):
            counts.append(_count(conn, scope, subject, now, forget))
    before = max(counts) - 1
    return Gate(failures=before, locked=before >= LOCKOUT_AFTER, delay=delay_for(before))


def _count(conn, scope: str, subject: str, now: dt.datetime, forget: dt.datetime) -> int:
    """Add one failure to a counter (starting over when it is stale); the new count."""
    fresh = sa.case((attempts.c.last_at < forget, 1), else_=attempts.c.failures + 1)
    values = {"scope": scope, "subject": subject, "failures": 1, "last_at": now}
    dialect = conn.dialect.name
    if dialect in ("postgresql", "sqlite"):
        module = postgresql if dialect == "postgresql" else sqlite
        statement = module.insert(attempts).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=["scope", "subject"], set_={"failures": fresh, "last_at": now}
        )
        return conn.execute(statement.returning(attempts.c.failures)).scalar_one()
    key = (attempts.c.scope == scope) & (attempts.c.subject == subject)
    if conn.execute(sa.update(attempts).where(key).values(failures=fresh, last_at=now)).rowcount == 0:
        conn.execute(attempts.insert().values(**values))
    return conn.execute(sa.select(attempts.c.failures).where(key)).scalar_one()


def succeeded(
    engine: sa.Engine,
    account: str,
    address: str,
    editor: str,
    hours: float = SESSION_HOURS,
    now: dt.datetime | None = None,
) -> str:
    """Clear both counters and open a sign-in for ``editor``; the token for the cookie (never stored)."""
    ensure(engine)
    now = now or _now()
    token = random_tokens.token_urlsafe(32)
    with reported(engine), engine.begin() as conn:
        conn.execute(
            attempts.delete().where(
                ((attempts.c.scope == "account") & (attempts.c.subject == account_key(account)))
                | ((attempts.c.scope == "address") & (attempts.c.subject == address[:MAX_SUBJECT]))
            )
        )
        conn.execute(signins.delete().where(signins.c.expires_at < now))  # tidy up old sign-ins
        conn.execute(
            signins.insert().values(
                token_sha256=token_hash(token),
                editor=editor,
                address=address[:64],
                created_at=now,
                expires_at=now + dt.timedelta(hours=hours),
            )
        )
    return token


def editor_of(engine: sa.Engine, token: str | None, now: dt.datetime | None = None) -> tuple[str, dt.datetime] | None:
    """The editor signed in with ``token`` and when that sign-in expires; None if unknown or expired."""
    if not token:
        return None
    ensure(engine)
    with reported(engine), engine.connect() as conn:
        row = conn.execute(
            sa.select(signins.c.editor, signins.c.expires_at).where(signins.c.token_sha256 == token_hash(token))
        ).first()
    if row is None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.UTC)
    return (row.editor, expires) if expires > (now or _now()) else None


def sign_out(engine: sa.Engine, token: str | None) -> bool:
    """End the sign-in of ``token``; whether there was one."""
    if not token:
        return False
    ensure(engine)
    with reported(engine), engine.begin() as conn:
        return conn.execute(signins.delete().where(signins.c.token_sha256 == token_hash(token))).rowcount > 0


def lockouts(engine: sa.Engine, now: dt.datetime | None = None) -> list[dict]:
    """Accounts and addresses locked now, most failures first."""
    ensure(engine)
    forget = (now or _now()) - dt.timedelta(seconds=FORGET_SECONDS)
    with reported(engine), engine.connect() as conn:
        rows = (
            conn.execute(
                sa.select(attempts)
                .where((attempts.c.failures >= LOCKOUT_AFTER) & (attempts.c.last_at >= forget))
                .order_by(attempts.c.failures.desc(), attempts.c.subject)
            )
            .mappings()
            .all()
        )
    return [dict(row) for row in rows]


def lift(engine: sa.Engine, by: str, subject: str | None = None) -> int:
    """Lift the lockout of one account or address (``subject``), or of all; how many counters were cleared."""
    ensure(engine)
    with reported(engine), engine.begin() as conn:
        statement = attempts.delete()
        if subject is not None:
            statement = statement.where(attempts.c.subject.in_([subject, account_key(subject)]))
        cleared = conn.execute(statement).rowcount
    LOG.warning("sign-in lockouts lifted by %s: %s (%d counters)", by, subject or "all", cleared)
    return cleared
