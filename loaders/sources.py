"""Find, fetch and verify the official source files named in the shipped manifest (``loaders/shipped/sources.toml``).

Resolution order for each file: an explicit path (``--source`` or
``$SID_ATLAS_GEODATA``, the official geodata folder), the cache,
``../shared/geodata/`` beside a checkout (:data:`loaders.paths.SHARED_GEODATA_DIR`,
a developer convenience), then a download.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from loaders.errors import SourceError
from loaders.paths import SHARED_GEODATA_DIR, SHIPPED_DIR, atomic_write, cache_dir

MANIFEST = SHIPPED_DIR / "sources.toml"
ENV_SOURCE = "SID_ATLAS_GEODATA"
ENV_MIRROR = "SID_ATLAS_MIRROR"


@dataclass(frozen=True)
class SourceSpec:
    """One entry of the source manifest."""

    id: str
    file: str
    folder: str
    title: str
    producer: str
    url: str
    sha256: str
    size: int
    licence: str
    attribution: str
    licence_url: str = ""

    def download_url(self) -> str:
        """Where the file is downloaded from: the official address, or the mirror in the environment."""
        mirror = os.environ.get(ENV_MIRROR)
        if mirror:
            return f"{mirror.rstrip('/')}/{self.folder}/{self.file}"
        return self.url


@dataclass(frozen=True)
class ResolvedSource:
    """A source file found: its spec, its path and where it came from."""

    spec: SourceSpec
    path: Path
    origin: str  # "explicit", "cache", "shared" or "download"


def manifest() -> dict[str, SourceSpec]:
    """The source manifest shipped in ``loaders/shipped/sources.toml``."""
    with MANIFEST.open("rb") as handle:
        data = tomllib.load(handle)
    return {key: SourceSpec(id=key, **value) for key, value in data.items()}


def gebietsstand() -> str:
    """The vintage of the boundaries and of the population figures, as every data export states it.

    Examples
    --------
    >>> gebietsstand()
    'Digitale Verwaltungsgrenzen NRW (DVG2), Stand 2022-03-08; BKG VG250-EW, Gemeinden NRW mit Einwohnerzahlen (vermutlich Stand 31.12.2023)'
    """
    specs = manifest()
    return "; ".join(specs[name].title for name in ("dvg2", "vg250_ew_nrw"))


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _candidates(directory: Path, spec: SourceSpec) -> list[Path]:
    # Accept both the shared layout (<dir>/<folder>/<file>) and a flat folder.
    return [directory / spec.folder / spec.file, directory / spec.file]


def _verified(path: Path, spec: SourceSpec, origin: str) -> Path:
    actual = sha256_of(path)
    if actual != spec.sha256:
        raise SourceError(
            f"{path} ({origin}) has sha256 {actual}, expected {spec.sha256} for {spec.file}; "
            "the file is damaged or a different vintage"
        )
    return path


def resolve(
    spec: SourceSpec,
    explicit: Path | str | None = None,
    *,
    download: bool = True,
    retries: int = 3,
    backoff: float = 1.0,
    progress: bool = True,
) -> ResolvedSource:
    """Locate one source file, downloading it into the cache as a last resort.

    Parameters
    ----------
    spec : SourceSpec
        The manifest entry.
    explicit : path, optional
        A folder given by the user; falls back to ``$SID_ATLAS_GEODATA``. When
        given, the file must be there: the user asked for that folder.
    download : bool
        Whether the last step (download) may be tried.
    """
    explicit = explicit or os.environ.get(ENV_SOURCE)
    if explicit:
        folder = Path(explicit).expanduser()
        if folder.is_file() and folder.name == spec.file:
            return ResolvedSource(spec, _verified(folder, spec, "explicit"), "explicit")
        for candidate in _candidates(folder, spec):
            if candidate.is_file():
                return ResolvedSource(spec, _verified(candidate, spec, "explicit"), "explicit")
        raise SourceError(f"{spec.file} not found in {folder} (given by --source or ${ENV_SOURCE})")

    cached = cache_dir() / "sources" / spec.file
    if cached.is_file():
        if sha256_of(cached) == spec.sha256:
            return ResolvedSource(spec, cached, "cache")
        cached.unlink()  # a damaged cache entry is rebuilt, not trusted

    for candidate in _candidates(SHARED_GEODATA_DIR, spec) if SHARED_GEODATA_DIR is not None else ():
        if candidate.is_file():
            return ResolvedSource(spec, _verified(candidate, spec, "shared"), "shared")

    if download:
        try:
            fetch(spec, cached, retries=retries, backoff=backoff, progress=progress)
            return ResolvedSource(spec, cached, "download")
        except SourceError as error:
            reason = str(error)
    else:
        reason = "download disabled"
    place = SHARED_GEODATA_DIR / spec.folder if SHARED_GEODATA_DIR is not None else f"FOLDER/{spec.folder}"
    raise SourceError(
        f"no source for {spec.file} ({reason}). Provide it in one of three ways: "
        f"(1) sid-atlas prepare --source FOLDER or ${ENV_SOURCE}=FOLDER (the official geodata folder); "
        f"(2) place it in {place}; "
        f"(3) allow a download from {spec.url} (or set ${ENV_MIRROR} to a mirror)"
    )


def fetch(
    spec: SourceSpec,
    target: Path,
    *,
    retries: int = 3,
    backoff: float = 1.0,
    progress: bool = True,
    timeout: float = 30.0,
) -> Path:
    """Download ``spec`` to ``target`` with retries, a progress bar and a sha256 check.

    The file appears at ``target`` only once complete and verified.
    """
    # Here, not at the top: urllib.request (http.client, ssl, email) would slow every command's start.
    import urllib.error
    import urllib.request

    url = spec.download_url()
    last_error = "no attempt"
    for attempt in range(1, retries + 1):
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                total = int(response.headers.get("Content-Length") or 0) or None
                digest = hashlib.sha256()
                with atomic_write(target) as out, _progress(total, spec.file, progress) as bar:
                    for chunk in iter(lambda: response.read(1 << 16), b""):
                        out.write(chunk)
                        digest.update(chunk)
                        bar.update(len(chunk))
                    if digest.hexdigest() != spec.sha256:
                        raise _ChecksumMismatch(digest.hexdigest())
            return target
        except _ChecksumMismatch as mismatch:
            # A wrong file stays wrong on retry: stop at once.
            raise SourceError(
                f"download from {url} has sha256 {mismatch}, expected {spec.sha256}; "
                "the published file differs from the vintage this atlas was verified with"
            ) from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            last_error = f"{type(error).__name__}: {getattr(error, 'reason', error)}"
            if attempt < retries:
                time.sleep(backoff * 2 ** (attempt - 1))
    raise SourceError(f"download from {url} failed after {retries} attempts ({last_error})")


class _ChecksumMismatch(Exception):
    pass


def _progress(total: int | None, label: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(
        total=total,
        unit="B",
        unit_scale=True,
        desc=label,
        file=sys.stderr,
        disable=not enabled or not sys.stderr.isatty(),
        leave=False,
    )


def copy_into_cache(resolved: ResolvedSource) -> Path:
    """Keep a verified copy in the cache so later runs need no outside folder."""
    target = cache_dir() / "sources" / resolved.spec.file
    if resolved.path != target:
        with atomic_write(target) as out, resolved.path.open("rb") as src:
            shutil.copyfileobj(src, out)
    return target
