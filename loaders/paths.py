"""Where the atlas finds its files and where it may write: nothing is looked up relative to a checkout.

Installed (a wheel in a virtual environment) or run from a checkout, the atlas
reads and writes the same places:

- **shipped data** (accessions, events, sizes, confirmations, the source
  manifest, the data version): package data of :mod:`loaders`,
  ``loaders/shipped/`` (:data:`SHIPPED_DIR`), read-only;
- **the official geodata folder**: ``$SID_ATLAS_GEODATA``
  (:func:`geodata_dir`), read-only;
- **the cache**: one directory, ``$SID_ATLAS_CACHE`` (:func:`cache_dir`) —
  everything derived at run time, each kind under a content key (``docs/operations.md``,
  "The cache directory", lists them); deleting it is always safe;
- **state**: the register database (``$SID_ATLAS_REGISTER_URL`` …); only the
  embedded SQLite register and its feedback use a folder, ``$SID_ATLAS_DATA``
  (:func:`data_dir`).

The defaults for an installed atlas follow the XDG base directories (the
user's cache and data folders). Two **developer conveniences** apply only when
the packages are imported from a checkout of the project (:data:`CHECKOUT`:
the folder above them holds this project's ``pyproject.toml``), so that
``make run`` and ``make test`` work as they always did: the cache defaults to
the checkout's git-ignored ``cache/``, the SQLite register to its ``data/``,
and the official geodata to ``../shared/geodata`` beside the checkout.
Nothing is ever written inside a package.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

CACHE_ENV = "SID_ATLAS_CACHE"
DATA_ENV = "SID_ATLAS_DATA"
GEODATA_ENV = "SID_ATLAS_GEODATA"
#: The shipped membership data and source manifest, package data of :mod:`loaders`.
SHIPPED_DIR = Path(__file__).resolve().parent / "shipped"
#: The folder above the packages: a checkout's root when run from one, ``site-packages`` when installed.
#: Only the tests and the developer conveniences (:data:`CHECKOUT`) use it.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _checkout(root: Path) -> Path | None:
    """``root`` if it is a checkout of this project (its ``pyproject.toml`` names sid-atlas), else None.

    Examples
    --------
    >>> _checkout(PROJECT_ROOT) in (PROJECT_ROOT, None), _checkout(Path("/nonexistent"))
    (True, None)
    """
    try:
        text = (root / "pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        return None
    return root if 'name = "sid-atlas"' in text else None


#: The checkout the packages are imported from (developer conveniences only), or None when installed.
CHECKOUT = _checkout(PROJECT_ROOT)


def _folder(
    variable: str, in_checkout: str, xdg: tuple[str, str], env: Mapping[str, str], checkout: Path | None
) -> Path:
    """``$variable``, else the checkout's ``in_checkout`` folder (developer convenience), else the XDG folder's ``sid-atlas``."""
    if env.get(variable):
        return Path(env[variable]).expanduser()
    if checkout is not None:
        return checkout / in_checkout
    base = env.get(xdg[0]) or ""
    # The XDG rule: a relative value is invalid and ignored.
    return (Path(base) if os.path.isabs(base) else Path.home() / xdg[1]) / "sid-atlas"


def cache_root(env: Mapping[str, str] = os.environ, checkout: Path | None = CHECKOUT) -> Path:
    """The cache directory, not created: ``$SID_ATLAS_CACHE``, else a checkout's ``cache/``, else the user's cache folder.

    Examples
    --------
    >>> cache_root({"SID_ATLAS_CACHE": "/var/cache/sid-atlas"})
    PosixPath('/var/cache/sid-atlas')
    >>> cache_root({"XDG_CACHE_HOME": "/home/a/.cache"}, checkout=None)
    PosixPath('/home/a/.cache/sid-atlas')
    >>> cache_root({}, checkout=Path("/src/atlas"))
    PosixPath('/src/atlas/cache')
    """
    return _folder(CACHE_ENV, "cache", ("XDG_CACHE_HOME", ".cache"), env, checkout)


def cache_dir() -> Path:
    """The cache directory (:func:`cache_root`), created if missing."""
    path = cache_root()
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_root(env: Mapping[str, str] = os.environ, checkout: Path | None = CHECKOUT) -> Path:
    """The folder of the embedded SQLite register: ``$SID_ATLAS_DATA``, else a checkout's ``data/``, else the user's data folder.

    Examples
    --------
    >>> data_root({"SID_ATLAS_DATA": "/var/lib/sid-atlas"})
    PosixPath('/var/lib/sid-atlas')
    >>> data_root({"XDG_DATA_HOME": "/home/a/.local/share"}, checkout=None)
    PosixPath('/home/a/.local/share/sid-atlas')
    >>> data_root({}, checkout=Path("/src/atlas"))
    PosixPath('/src/atlas/data')
    """
    return _folder(DATA_ENV, "data", ("XDG_DATA_HOME", ".local/share"), env, checkout)


def geodata_dir(env: Mapping[str, str] = os.environ, checkout: Path | None = CHECKOUT) -> Path | None:
    """The official geodata folder: ``$SID_ATLAS_GEODATA``, else ``../shared/geodata`` beside a checkout, else None.

    Examples
    --------
    >>> geodata_dir({"SID_ATLAS_GEODATA": "/srv/geodata"})
    PosixPath('/srv/geodata')
    >>> geodata_dir({}, checkout=Path("/src/atlas")), geodata_dir({}, checkout=None)
    (PosixPath('/src/shared/geodata'), None)
    """
    if env.get(GEODATA_ENV):
        return Path(env[GEODATA_ENV]).expanduser()
    if checkout is not None:
        return checkout.parent / "shared" / "geodata"  # developer convenience: the folder beside the checkout
    return None


#: The official geodata folder beside a checkout (developer convenience; None when installed). ``$SID_ATLAS_GEODATA``
#: is read when a source is resolved (:func:`loaders.sources.resolve`), where it must hold the files.
SHARED_GEODATA_DIR = geodata_dir({})


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
