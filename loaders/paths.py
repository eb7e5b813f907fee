"""Where the project keeps its shipped data and its git-ignored cache."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_DIR = PROJECT_ROOT / "geodata"
# The read-only folder beside the checkout (and beside CI's clone).
SHARED_GEODATA_DIR = PROJECT_ROOT.parent / "shared" / "geodata"


def cache_dir() -> Path:
    """The derived-data cache: ``$SID_ATLAS_CACHE`` or ``geodata/cache``."""
    path = Path(os.environ.get("SID_ATLAS_CACHE") or SHIPPED_DIR / "cache")
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def atomic_write(path: Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path`` and move it into place on success.

    A crash or an exception leaves either the old file or no file, never a
    half-written one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
