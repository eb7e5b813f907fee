"""The one error type the register raises for its database, so that no caller needs SQLAlchemy."""

from __future__ import annotations

from loaders.errors import InputError


class RegisterError(InputError):
    """The register's database failed; nothing was changed.

    ``str(error)`` is one line without a password. ``internal`` tells the two
    causes apart: False when the database is unreachable, locked too long,
    full or not a database at all (the message says which: the operator can
    act on it); True when the database refused one of the register's own
    statements, a fault of the program (the message names only the type of
    the driver's error, which is chained as ``__cause__`` for the log).

    Examples
    --------
    >>> error = RegisterError("register sqlite:///x.sqlite: database is locked")
    >>> error.internal, isinstance(error, InputError)
    (False, True)
    """

    def __init__(self, message: str, internal: bool = False):
        super().__init__(message)
        self.internal = internal
