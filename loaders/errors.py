"""Errors that reach a user as one clear line, never as a traceback."""


class AtlasError(Exception):
    """Base class: the message is complete and meant for the user."""


class SourceError(AtlasError):
    """A boundary or population source could not be found, fetched or verified."""


class DataError(AtlasError):
    """Loaded data violates an invariant; the message names the offending keys."""


class InputError(AtlasError):
    """A value given by the user (date, level, region, file) is not usable."""


def preview(values, limit: int = 8) -> str:
    """Join offending values for an error message, shortened after ``limit``.

    Examples
    --------
    >>> preview(["05111000", "05112000"])
    '05111000, 05112000'
    >>> preview(range(12), limit=3)
    '0, 1, 2 … (12 in all)'
    """
    items = [str(v) for v in values]
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" … ({len(items)} in all)"
