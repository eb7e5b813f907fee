"""Reports from the "Barriere oder Fehler melden" form (BITV NRW §5), stored in the register database.

A table of its own (``register_feedback``) beside the register's tables, so a
report survives restarts and is seen by every replica; the register page shows
them to signed-in editors only, page by page (:func:`page`). Nothing is
rendered as markup by this module; whoever shows a report escapes it.

Bounded
    Every text is cut to a fixed length before it is stored. A report that
    repeats an earlier one word for word (case and spacing aside) is not
    stored again: the earlier one counts it (``repeats``, ``last_at``). And a
    form anyone can send is capped (:func:`submit`): per client address
    :data:`PER_ADDRESS_DAY` reports a day, for the whole site
    :data:`PER_DAY` (at most that many rows a day, however many addresses send),
    and the form itself allows :data:`PER_SESSION` per browser session. The
    counters (``register_feedback_quota``) hold a day and a SHA-256 of the
    address, never the address itself, and are deleted the day after.

A contact field with control or formatting characters (BEL, escape, bidi
overrides …) is refused, not cleaned: it is meant to be read back to someone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import weakref

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from loaders.errors import InputError
from loaders.viewstate import LANGUAGES
from register.engine import create_once, reported
from register.text import hidden_characters

MAX_MESSAGE = 2000
MAX_CONTACT = 200
MAX_URL = 500
MAX_LANG = 2
PER_SESSION = 5
PER_ADDRESS_DAY = 20
PER_DAY = 500
PAGE_SIZE = 50

metadata = sa.MetaData()
reports = sa.Table(
    "register_feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("url", sa.String(MAX_URL), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("contact", sa.String(MAX_CONTACT), nullable=False),
    sa.Column("lang", sa.String(MAX_LANG), nullable=False),
    # Added later (a table of an earlier version gets them on first use, see ensure()).
    sa.Column("fingerprint", sa.String(64), index=True),
    sa.Column("repeats", sa.Integer, nullable=False, server_default="1"),
    sa.Column("last_at", sa.DateTime(timezone=True)),
)
quota = sa.Table(
    "register_feedback_quota",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("subject", sa.String(64), primary_key=True),  # "site", or the SHA-256 of an address
    sa.Column("count", sa.Integer, nullable=False),
)
# Columns that a register_feedback of an earlier version lacks, as ALTER TABLE adds them.
_ADDED = {
    "fingerprint": "VARCHAR(64)",
    "repeats": "INTEGER NOT NULL DEFAULT 1",
    "last_at": "TIMESTAMP WITH TIME ZONE",
}
_ready: weakref.WeakSet[sa.Engine] = weakref.WeakSet()


class Refused(InputError):
    """A report not stored because a cap is reached; ``cap`` says which (``address`` or ``day``)."""

    def __init__(self, cap: str):
        super().__init__(f"feedback cap reached: {cap}")
        self.cap = cap


@dataclasses.dataclass(frozen=True)
class Stored:
    """A report's number, and whether it repeated an earlier one (then ``number`` is the earlier one's)."""

    number: int
    repeated: bool


def clean(text, limit: int) -> str:
    """``text`` as one stored value: a string without control and formatting characters, trimmed, cut.

    Line breaks and tabs are kept.

    Examples
    --------
    >>> clean("  Kontrast\\x00 zu gering\\u202e\\r\\n  ", 2000)
    'Kontrast zu gering'
    >>> len(clean("x" * 5000, 2000)), clean(None, 10)
    (2000, '')
    """
    text = "" if text is None else str(text)
    hidden = set(hidden_characters(text, allow="\n\t"))
    text = "".join(ch for ch in text if f"U+{ord(ch):04X}" not in hidden and (ch in "\n\t" or ch.isprintable()))
    return text.strip()[:limit]


def fingerprint(message: str) -> str:
    """What makes two reports the same: the message without case and spacing differences.

    Examples
    --------
    >>> fingerprint("Kontrast  zu GERING") == fingerprint("kontrast zu gering\\n")
    True
    """
    return hashlib.sha256(" ".join(message.casefold().split()).encode("utf-8")).hexdigest()


def contact_problem(contact: str) -> str | None:
    """Why a contact cannot be stored, or None: it holds characters no address or name contains.

    Examples
    --------
    >>> contact_problem("anna@example.org") is None, contact_problem("anna\\u202e@example.org")
    (True, 'U+202E')
    """
    hidden = hidden_characters(contact or "")
    return ", ".join(hidden) if hidden else None


def address_subject(address: str, day: dt.date) -> str:
    """The quota's key for a client address on ``day``: a hash, so no address is stored."""
    return hashlib.sha256(f"feedback|{day.isoformat()}|{address}".encode()).hexdigest()


def ensure(engine: sa.Engine) -> None:
    """Create the tables once per engine (another process may race to it).

    Adds the columns an earlier version's table lacks.
    """
    if engine in _ready:
        return
    with reported(engine):
        inspector = sa.inspect(engine)
        if inspector.has_table(reports.name):
            present = {column["name"] for column in inspector.get_columns(reports.name)}
            for name, kind in _ADDED.items():
                if name not in present:
                    kind = kind.replace(" WITH TIME ZONE", "") if engine.dialect.name == "sqlite" else kind
                    try:
                        with engine.begin() as conn:
                            conn.exec_driver_sql(f"ALTER TABLE {reports.name} ADD COLUMN {name} {kind}")
                    except sa.exc.DBAPIError:
                        # Another replica added it meanwhile.
                        if name not in {c["name"] for c in sa.inspect(engine).get_columns(reports.name)}:
                            raise
    create_once(engine, metadata, _ready)


def submit(
    engine: sa.Engine,
    message: str,
    url: str,
    contact: str = "",
    lang: str = "de",
    address: str = "unknown",
    now: dt.datetime | None = None,
) -> Stored:
    """Store one report (or count it on the same earlier one); its number.

    Raises
    ------
    ValueError
        When the message is empty after cleaning.
    InputError
        The contact holds control or formatting characters.
    Refused
        The address has sent :data:`PER_ADDRESS_DAY` reports today, or the site
        has stored :data:`PER_DAY` today.
    """
    message = clean(message, MAX_MESSAGE)
    if not message:
        raise ValueError("empty message")
    problem = contact_problem(contact)
    if problem:
        raise InputError(f"contact with control characters ({problem})")
    ensure(engine)
    now = now or dt.datetime.now(dt.UTC)
    day = now.date()
    print_ = fingerprint(message)
    who = address_subject(address, day)
    with reported(engine), engine.begin() as conn:
        conn.execute(quota.delete().where(quota.c.day < day))  # yesterday's counters have done their work
        counts = dict(
            conn.execute(
                sa.select(quota.c.subject, quota.c.count).where(
                    (quota.c.day == day) & quota.c.subject.in_([who, "site"])
                )
            ).all()
        )
        if counts.get(who, 0) >= PER_ADDRESS_DAY:
            raise Refused("address")
        if counts.get("site", 0) >= PER_DAY:
            raise Refused("day")
        for subject in (who, "site"):
            _count(conn, day, subject)
        earlier = conn.execute(
            sa.select(reports.c.id).where(reports.c.fingerprint == print_).order_by(reports.c.id).limit(1)
        ).scalar()
        if earlier is not None:
            conn.execute(
                reports.update().where(reports.c.id == earlier).values(repeats=reports.c.repeats + 1, last_at=now)
            )
            return Stored(int(earlier), repeated=True)
        row = {
            "created_at": now,
            "last_at": now,
            "url": clean(url, MAX_URL),
            "message": message,
            "contact": clean(contact, MAX_CONTACT),
            "lang": lang if lang in LANGUAGES else "de",
            "fingerprint": print_,
            "repeats": 1,
        }
        key = conn.execute(reports.insert().values(**row)).inserted_primary_key
        # A single-row insert into a table with a primary key (``id``) always reports it.
        assert key is not None
        return Stored(int(key[0]), repeated=False)


def _count(conn, day: dt.date, subject: str) -> None:
    """One more for ``subject`` on ``day``; an upsert where the database has one (two replicas may count at once)."""
    dialect = conn.dialect.name
    if dialect in ("postgresql", "sqlite"):
        module = postgresql if dialect == "postgresql" else sqlite
        statement = module.insert(quota).values(day=day, subject=subject, count=1)
        conn.execute(
            statement.on_conflict_do_update(index_elements=["day", "subject"], set_={"count": quota.c.count + 1})
        )
        return
    key = (quota.c.day == day) & (quota.c.subject == subject)
    if conn.execute(quota.update().where(key).values(count=quota.c.count + 1)).rowcount == 0:
        conn.execute(quota.insert().values(day=day, subject=subject, count=1))


def count(engine: sa.Engine) -> int:
    """How many reports are stored (repeats counted once)."""
    ensure(engine)
    with reported(engine), engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(reports)).scalar_one()


def page(engine: sa.Engine, number: int = 1, size: int = PAGE_SIZE) -> list[dict]:
    """Page ``number`` (from 1) of the reports, newest first, ``size`` a page."""
    ensure(engine)
    number = max(1, number)
    with reported(engine), engine.connect() as conn:
        rows = (
            conn.execute(sa.select(reports).order_by(reports.c.id.desc()).limit(size).offset((number - 1) * size))
            .mappings()
            .all()
        )
    found = [dict(row) for row in rows]
    for row in found:
        row["repeats"] = row.get("repeats") or 1
        row["last_at"] = row.get("last_at") or row["created_at"]
    return found


def newest(engine: sa.Engine, limit: int = 100) -> list[dict]:
    """The newest ``limit`` reports, newest first."""
    return page(engine, 1, limit)
