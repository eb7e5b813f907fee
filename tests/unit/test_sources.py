"""Source resolution: explicit path, cache, ../shared, download — and one clear failure."""

from __future__ import annotations

import functools
import http.server
import shutil
import socket
import threading

import pytest

from loaders import sources
from loaders.errors import SourceError
from loaders.paths import SHARED_GEODATA_DIR


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """A fresh cache and no ../shared, so only what a test provides can be found."""
    monkeypatch.setenv("SID_ATLAS_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("SID_ATLAS_GEODATA", raising=False)
    monkeypatch.delenv("SID_ATLAS_MIRROR", raising=False)
    monkeypatch.setattr(sources, "SHARED_GEODATA_DIR", tmp_path / "no-shared")
    return tmp_path


@pytest.fixture
def mirror(tmp_path):
    """An HTTP server on 127.0.0.1 serving a folder laid out like ../shared/geodata."""
    root = tmp_path / "mirror"
    shutil.copytree(SHARED_GEODATA_DIR, root)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spec(key="dvg2"):
    return sources.manifest()[key]


def test_shared_folder_is_found():
    resolved = sources.resolve(spec(), download=False)
    assert resolved.origin in {"shared", "cache"}
    assert sources.sha256_of(resolved.path) == spec().sha256


def test_explicit_folder_wins_and_is_verified(isolated):
    flat = isolated / "flat"
    flat.mkdir()
    shutil.copy(SHARED_GEODATA_DIR / "geobasis-nrw-dvg2" / spec().file, flat)
    resolved = sources.resolve(spec(), flat, download=False)
    assert (resolved.origin, resolved.path) == ("explicit", flat / spec().file)


def test_explicit_folder_without_the_file_is_an_error(isolated):
    with pytest.raises(SourceError, match="not found in .*empty"):
        (isolated / "empty").mkdir()
        sources.resolve(spec(), isolated / "empty")


def test_damaged_file_is_refused_with_both_checksums(isolated):
    bad = isolated / "bad"
    bad.mkdir()
    (bad / spec().file).write_bytes(b"not a zip")
    with pytest.raises(SourceError, match=f"expected {spec().sha256}"):
        sources.resolve(spec(), bad)


def test_download_from_a_local_server_lands_verified_in_the_cache(isolated, mirror, monkeypatch):
    _, url = mirror
    monkeypatch.setenv("SID_ATLAS_MIRROR", url)
    resolved = sources.resolve(spec(), progress=False)
    assert resolved.origin == "download"
    assert resolved.path == isolated / "cache" / "sources" / spec().file
    assert sources.sha256_of(resolved.path) == spec().sha256
    assert not list(resolved.path.parent.glob("*.part"))
    # The next resolution is served from the cache, without the network.
    monkeypatch.setenv("SID_ATLAS_MIRROR", f"http://127.0.0.1:{_closed_port()}")
    assert sources.resolve(spec(), progress=False).origin == "cache"


def test_wrong_download_leaves_no_file(isolated, mirror, monkeypatch):
    root, url = mirror
    (root / "geobasis-nrw-dvg2" / spec().file).write_bytes(b"tampered")
    monkeypatch.setenv("SID_ATLAS_MIRROR", url)
    with pytest.raises(SourceError, match="sha256"):
        sources.resolve(spec(), progress=False, retries=1)
    assert not list((isolated / "cache").rglob("*dvg2*"))


def test_no_source_at_all_names_the_three_ways(isolated, monkeypatch):
    monkeypatch.setenv("SID_ATLAS_MIRROR", f"http://127.0.0.1:{_closed_port()}")
    with pytest.raises(SourceError) as caught:
        sources.resolve(spec(), progress=False, retries=2, backoff=0.01)
    message = str(caught.value)
    assert "failed after 2 attempts" in message
    for way in ("--source", "SID_ATLAS_GEODATA", "(2) place it in", "(3) allow a download"):
        assert way in message


@pytest.mark.slow
def test_prepare_from_an_explicit_source_reports_it(tmp_path, monkeypatch):
    from atlas_cli import main

    monkeypatch.setenv("SID_ATLAS_CACHE", str(tmp_path / "cache"))
    assert main(["prepare", "--source", str(SHARED_GEODATA_DIR), "--no-download"]) == 0
    assert sorted(p.name for p in (tmp_path / "cache" / "sources").iterdir()) == sorted(
        s.file for s in sources.manifest().values()
    )
