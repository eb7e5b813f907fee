"""Reports from the "Barriere oder Fehler melden" form (BITV NRW §5), stored in the register database.

A table of its own (``register_feedback``) beside the register's tables, so a
report survives restarts and is seen by every replica; the register page shows
the newest to signed-in editors only. Every text is cut to a fixed length
here, before it is stored: a form cannot fill the database. Nothing is
rendered as markup by this module; whoever shows a report escapes it.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from register.engine import create_once, reported

MAX_MESSAGE = 2000
MAX_CONTACT = 200
MAX_URL = 500
MAX_LANG = 2

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
)
_ready: set[int] = set()


def clean(text, limit: int) -> str:
    """``text`` as one stored value: a string, control characters (but line breaks) dropped, trimmed, cut.

    Examples
    --------
    >>> clean("  Kontrast\\x00 zu gering\\r\\n  ", 2000)
    'Kontrast zu gering'
    >>> len(clean("x" * 5000, 2000)), clean(None, 10)
    (2000, '')
    """
    text = "" if text is None else str(text)
    text = "".join(ch for ch in text if ch in "\n\t" or ch.isprintable())
    return text.strip()[:limit]


def ensure(engine: sa.Engine) -> None:
    """Create the table once per engine (another process may race to it)."""
    create_once(engine, metadata, _ready)


def submit(
    engine: sa.Engine, message: str, url: str, contact: str = "", lang: str = "de", now: dt.datetime | None = None
) -> int:
    """Store one report; its number.

    Raises
    ------
    ValueError
        When the message is empty after cleaning.
    """
    message = clean(message, MAX_MESSAGE)
    if not message:
        raise ValueError("empty message")
    ensure(engine)
    row = {
        "created_at": now or dt.datetime.now(dt.UTC),
        "url": clean(url, MAX_URL),
        "message": message,
        "contact": clean(contact, MAX_CONTACT),
        "lang": lang if lang in ("de", "en") else "de",
    }
    with reported(engine), engine.begin() as conn:
        key = conn.execute(reports.insert().values(**row)).inserted_primary_key
        # A single-row insert into a table with a primary key (``id``) always reports it.
        assert key is not None
        return int(key[0])


def newest(engine: sa.Engine, limit: int = 100) -> list[dict]:
    """The newest ``limit`` reports, newest first."""
    ensure(engine)
    with reported(engine), engine.connect() as conn:
        rows = conn.execute(sa.select(reports).order_by(reports.c.id.desc()).limit(limit)).mappings().all()
    return [dict(row) for row in rows]
