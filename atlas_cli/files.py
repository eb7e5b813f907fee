"""Files the command line writes: replaced atomically, a failure one line naming the file."""

from __future__ import annotations

from pathlib import Path

from loaders.errors import InputError
from loaders.paths import atomic_write


def write_file(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file beside it; an OSError becomes an InputError."""
    try:
        with atomic_write(path) as handle:
            handle.write(content)
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror or error}") from None
