"""The register's tables.

``register_memberships``
    The current state, one row per body (its :func:`loaders.accessions.identity`),
    in the shipped accession schema (documented rows only).
``register_changes``
    Append-only: every insert, update or delete of a membership with its
    before and after values, UTC time, user and history entry.
``register_entries``
    The history, one row per entry of one ``kind``: an ``import`` (the file's
    name and SHA-256, row counts), an ``edit`` (one membership changed by
    hand: the ``body`` it changed) or an ``undo`` (of the entry it ``undoes``,
    whose file or body it repeats); an entry undone says when and by which.
``register_meta``
    The schema version. A version-2 database is migrated when opened (see
    :data:`SCHEMA_VERSION`); one of any other version is refused.

The sign-in (:mod:`register.signin`) and feedback (:mod:`register.feedback`)
tables live in the same database, created by their own modules.
"""

from __future__ import annotations

import sqlalchemy as sa

from loaders import accessions

# 3: memberships carry the provenance columns not_before, quote and read_on
#    (loaders.accessions.PROVENANCE_COLUMNS). A version-2 database is migrated when opened
#    (register.core.Register): the three columns are added, empty — registers exist in
#    production, and an added empty column loses nothing and invents nothing. Their default ''
#    also lets a program of version 2 still running beside it insert rows meanwhile.
# 2: the history table is register_entries with a kind per entry (1 had register_imports for
#    all three, an edit's body in file_name). A version-1 database is not migrated: export it
#    with the version that made it and import the export into a new register, or start afresh.
SCHEMA_VERSION = 3
MIGRATABLE = (2,)
KINDS = ("import", "edit", "undo")

metadata = sa.MetaData()
meta = sa.Table(
    "register_meta",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("schema_version", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
entries = sa.Table(
    "register_entries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(10), nullable=False),  # import | edit | undo
    sa.Column("file_name", sa.Text),  # an import, or the undo of one: the file's name
    sa.Column("sha256", sa.String(64)),  # … and its SHA-256
    sa.Column("body", sa.Text),  # an edit, or the undo of one: the name of the membership edited
    sa.Column("user_name", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("rows_total", sa.Integer, nullable=False),
    sa.Column("rows_inserted", sa.Integer, nullable=False),
    sa.Column("rows_updated", sa.Integer, nullable=False),
    sa.Column("rows_deleted", sa.Integer, nullable=False),
    sa.Column("rows_unchanged", sa.Integer, nullable=False),
    sa.Column("rows_attention", sa.Integer, nullable=False),
    sa.Column("undoes", sa.Integer, sa.ForeignKey("register_entries.id")),
    sa.Column("undone_at", sa.DateTime(timezone=True)),
    sa.Column("undone_by", sa.Integer, sa.ForeignKey("register_entries.id")),
    sa.CheckConstraint(f"kind IN {KINDS}", name="register_entries_kind"),
)
memberships = sa.Table(
    "register_memberships",
    metadata,
    sa.Column("identity", sa.String(400), primary_key=True),
    *(
        sa.Column(
            column,
            sa.Text,
            nullable=False,
            server_default="" if column in accessions.PROVENANCE_COLUMNS else None,
        )
        for column in accessions.COLUMNS
    ),
    sa.Column("entry_id", sa.Integer, sa.ForeignKey("register_entries.id"), nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
)
changes = sa.Table(
    "register_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("entry_id", sa.Integer, sa.ForeignKey("register_entries.id"), nullable=False, index=True),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("user_name", sa.Text, nullable=False),
    sa.Column("identity", sa.String(400), nullable=False, index=True),
    sa.Column("action", sa.String(10), nullable=False),  # insert | update | delete
    sa.Column("before", sa.JSON(none_as_null=True)),
    sa.Column("after", sa.JSON(none_as_null=True)),
)
