"""Editors' sign-ins to the register: server-side sessions and the brute-force counters.

Why server-side
    A Streamlit session can be resumed by any client that presents its id,
    and that id travels in upload URLs. So being signed in is never a flag in
    the session: it is a random token in an HttpOnly, SameSite=Strict cookie
    (set by the sign-in endpoint of ``sid-atlas serve``, see
    :mod:`dashboard.webserver`), of which the register database keeps only the
    SHA-256 (``register_sessions``). Every privileged action looks the token up
    again; signing out deletes the row. A sign-in ends after
    :data:`IDLE_MINUTES` without a page run and at the latest
    :data:`SESSION_HOURS` after it began; revoking an account or setting its
    password ends its sign-ins (:mod:`register.editors`).

Failures of the database leave as :class:`register.errors.RegisterError`.

Brute force
    Every attempt is counted *before* the password is compared, against the
    client's address (an IPv6 address by its /64 network, which one client
    usually holds whole) and, when the name is an account, against that
    account, in the register database: so the counters hold across sessions,
    processes and replicas, and parallel guesses cannot outrun them. A name
    that is no account costs the address all the same, so invented names do not
    help. After :data:`FREE_FAILURES` failures each attempt waits
    :func:`delay_for` seconds (doubling, at most :data:`MAX_DELAY`), the right
    password included; after :data:`LOCKOUT_AFTER` the account or address is
    locked — even the right password is refused — until an editor lifts it
    (:func:`lift`) or :data:`FORGET_SECONDS` pass without an attempt. A success
    clears both counters. Nothing here logs a password or a token.

The counters stay bounded
    One rule: a counter lives as long as it can matter, :data:`FORGET_SECONDS`
    after its last attempt; every attempt deletes the counters older than that.
    Names that are no account get no counter at all. So the table holds at most
    one row per account and one per address (or /64) seen within the last hour,
    however many attempts are made (``tests/unit/test_signin.py`` makes thousands).

The client's address is :func:`dashboard.peers.client_address`'s: which
proxy is trusted to name it is decided there, not here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import ipaddress
import logging
import secrets as random_tokens
import weakref

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from register import editors
from register.engine import create_once, reported

LOG = logging.getLogger("sid_atlas.signin")
FREE_FAILURES = 3
BASE_DELAY = 0.5
MAX_DELAY = 30.0
LOCKOUT_AFTER = 10
FORGET_SECONDS = 3600
SESSION_HOURS = 8
IDLE_MINUTES = 30
# A page run renews the idle clock at most this often (not one write per rerun).
TOUCH_SECONDS = 60
MAX_SUBJECT = 200

metadata = sa.MetaData()
counters = sa.Table(
    "register_signin_counters",
    metadata,
    sa.Column("scope", sa.String(10), primary_key=True),  # account | address
    sa.Column("subject", sa.String(MAX_SUBJECT), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last_at", sa.DateTime(timezone=True), nullable=False, index=True),
)
sessions = sa.Table(
    "register_sessions",
    metadata,
    sa.Column("token_sha256", sa.String(64), primary_key=True),
    sa.Column("editor", sa.String(editors.MAX_NAME), nullable=False, index=True),
    sa.Column("address", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, index=True),
)
# The tables of the shared password: its sign-ins named whatever was typed, so none may outlive it.
RETIRED = ("register_signins", "register_signin_attempts")
_ready: weakref.WeakSet[sa.Engine] = weakref.WeakSet()


@dataclasses.dataclass(frozen=True)
class Gate:
    """What an attempt may do: wait ``delay`` seconds, or nothing at all when ``locked``."""

    failures: int  # consecutive failures before this attempt (the larger of account and address)
    locked: bool
    delay: float
    account: bool  # whether the name is an account (known only to the server and its log)


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


def address_key(address: str) -> str:
    """The counter key of a client address: IPv4 as it is, IPv6 by its /64 network.

    Examples
    --------
    >>> address_key("203.0.113.9"), address_key("2001:db8:1:2:aaaa::1"), address_key("::ffff:198.51.100.7")
    ('203.0.113.9', '2001:db8:1:2::/64', '198.51.100.7')
    >>> address_key("unknown")
    'unknown'
    """
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address[:MAX_SUBJECT]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def token_hash(token: str) -> str:
    """What the database stores of a sign-in token: its SHA-256, never the token."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def ensure(engine: sa.Engine) -> None:
    """Create this module's tables once per engine (another process may race), retiring the shared password's."""
    if engine in _ready:
        return
    editors.ensure(engine)
    with reported(engine):
        present = set(sa.inspect(engine).get_table_names())
        for name in RETIRED:
            if name in present:
                with engine.begin() as conn:
                    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")
                LOG.warning("sign-in: dropped %s (sign-ins of the shared editor password end)", name)
    create_once(engine, metadata, _ready)


def begin(engine: sa.Engine, account: str, address: str, now: dt.datetime | None = None) -> Gate:
    """Count an attempt for ``address`` and, if it is one, the account ``account``; its gate.

    The attempt counts as a failure until :func:`succeeded`. Counters past
    :data:`FORGET_SECONDS` are deleted on the way.
    """
    ensure(engine)
    now = now or _now()
    forget = now - dt.timedelta(seconds=FORGET_SECONDS)
    known = editors.is_active(engine, account)
    subjects = [("address", address_key(address))]
    if known:
        subjects.append(("account", editors.account_name(account)))
    with reported(engine), engine.begin() as conn:
        conn.execute(counters.delete().where(counters.c.last_at < forget))
        counts = [_count(conn, scope, subject, now) for scope, subject in subjects]
    before = max(counts) - 1
    return Gate(failures=before, locked=before >= LOCKOUT_AFTER, delay=delay_for(before), account=known)


def _count(conn, scope: str, subject: str, now: dt.datetime) -> int:
    """Add one failure to a counter; the new count (stale counters were deleted by :func:`begin`)."""
    values = {"scope": scope, "subject": subject, "failures": 1, "last_at": now}
    dialect = conn.dialect.name
    if dialect in ("postgresql", "sqlite"):
        module = postgresql if dialect == "postgresql" else sqlite
        statement = module.insert(counters).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=["scope", "subject"], set_={"failures": counters.c.failures + 1, "last_at": now}
        )
        return conn.execute(statement.returning(counters.c.failures)).scalar_one()
    key = (counters.c.scope == scope) & (counters.c.subject == subject)
    if conn.execute(sa.update(counters).where(key).values(failures=counters.c.failures + 1, last_at=now)).rowcount == 0:
        conn.execute(counters.insert().values(**values))
    return conn.execute(sa.select(counters.c.failures).where(key)).scalar_one()


def succeeded(
    engine: sa.Engine,
    editor: str,
    address: str,
    hours: float = SESSION_HOURS,
    now: dt.datetime | None = None,
) -> str:
    """Clear the account's and the address's counters and open a sign-in for the account ``editor``.

    Returns the token for the cookie (never stored).
    """
    ensure(engine)
    now = now or _now()
    editor = editors.account_name(editor)
    token = random_tokens.token_urlsafe(32)
    with reported(engine), engine.begin() as conn:
        conn.execute(
            counters.delete().where(
                ((counters.c.scope == "account") & (counters.c.subject == editor))
                | ((counters.c.scope == "address") & (counters.c.subject == address_key(address)))
            )
        )
        idle = now - dt.timedelta(minutes=IDLE_MINUTES)
        # Tidy up: sign-ins past their end or idle too long.
        conn.execute(sessions.delete().where((sessions.c.expires_at < now) | (sessions.c.last_seen_at < idle)))
        conn.execute(
            sessions.insert().values(
                token_sha256=token_hash(token),
                editor=editor,
                address=address[:64],
                created_at=now,
                last_seen_at=now,
                expires_at=now + dt.timedelta(hours=hours),
            )
        )
    return token


def editor_of(engine: sa.Engine, token: str | None, now: dt.datetime | None = None) -> tuple[str, dt.datetime] | None:
    """The account signed in with ``token`` and when that sign-in ends at the latest.

    None if unknown, idle for :data:`IDLE_MINUTES`, past :data:`SESSION_HOURS`
    or of a revoked account. Renews the idle clock.
    """
    if not token:
        return None
    ensure(engine)
    now = now or _now()
    key = token_hash(token)
    with reported(engine), engine.connect() as conn:
        row = conn.execute(
            sa.select(sessions.c.editor, sessions.c.expires_at, sessions.c.last_seen_at)
            .join(editors.accounts, editors.accounts.c.name == sessions.c.editor)
            .where((sessions.c.token_sha256 == key) & editors.accounts.c.revoked_at.is_(None))
        ).first()
    if row is None:
        return None
    expires, seen = _utc(row.expires_at), _utc(row.last_seen_at)
    if expires <= now or now - seen >= dt.timedelta(minutes=IDLE_MINUTES):
        with reported(engine), engine.begin() as conn:
            conn.execute(sessions.delete().where(sessions.c.token_sha256 == key))
        return None
    if now - seen >= dt.timedelta(seconds=TOUCH_SECONDS):
        with reported(engine), engine.begin() as conn:
            conn.execute(sessions.update().where(sessions.c.token_sha256 == key).values(last_seen_at=now))
    return row.editor, expires


def sign_out(engine: sa.Engine, token: str | None) -> bool:
    """End the sign-in of ``token``; whether there was one."""
    if not token:
        return False
    ensure(engine)
    with reported(engine), engine.begin() as conn:
        return conn.execute(sessions.delete().where(sessions.c.token_sha256 == token_hash(token))).rowcount > 0


def set_password(engine: sa.Engine, name: str, password: str, now: dt.datetime | None = None) -> None:
    """Give the active account ``name`` a new password (:func:`register.editors.store_password`); its open sign-ins end."""
    end_sessions_of(engine, editors.store_password(engine, name, password, now))


def revoke(engine: sa.Engine, name: str, by: str, now: dt.datetime | None = None) -> None:
    """End the account ``name`` for good (:func:`register.editors.end_account`); its open sign-ins end."""
    end_sessions_of(engine, editors.end_account(engine, name, by, now))


def end_sessions_of(engine: sa.Engine, editor: str) -> int:
    """End every sign-in of the account ``editor`` (revoked, or a new password); how many there were."""
    ensure(engine)
    with reported(engine), engine.begin() as conn:
        return conn.execute(sessions.delete().where(sessions.c.editor == editor)).rowcount


def lockouts(engine: sa.Engine, now: dt.datetime | None = None) -> list[dict]:
    """Accounts and addresses locked now, most failures first."""
    ensure(engine)
    forget = (now or _now()) - dt.timedelta(seconds=FORGET_SECONDS)
    with reported(engine), engine.connect() as conn:
        rows = (
            conn.execute(
                sa.select(counters)
                .where((counters.c.failures >= LOCKOUT_AFTER) & (counters.c.last_at >= forget))
                .order_by(counters.c.failures.desc(), counters.c.subject)
            )
            .mappings()
            .all()
        )
    return [dict(row) for row in rows]


def counter_rows(engine: sa.Engine) -> int:
    """How many counters the table holds (what the bound is about)."""
    ensure(engine)
    with reported(engine), engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(counters)).scalar_one()


def lift(engine: sa.Engine, by: str, subject: str | None = None) -> int:
    """Lift the lockout of one account or address (``subject``), or of all; how many counters were cleared."""
    ensure(engine)
    with reported(engine), engine.begin() as conn:
        statement = counters.delete()
        if subject is not None:
            statement = statement.where(
                counters.c.subject.in_({subject, subject.strip().lower(), address_key(subject)})
            )
        cleared = conn.execute(statement).rowcount
    LOG.warning("sign-in lockouts lifted by %s: %s (%d counters)", by, subject or "all", cleared)
    return cleared
