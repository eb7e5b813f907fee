"""The page's data files: content-addressed in the cache, one route, rebuilt byte-identically where they are missing."""

from __future__ import annotations

import asyncio
import datetime as dt
import stat

import pytest

from dashboard import caches, chartview, datafiles, mapview
from loaders.paths import cache_dir
from register import atlasdata


def get(url: str, etag: str | None = None):
    return asyncio.run(datafiles.answer(url, etag))


@pytest.fixture
def other_replica(monkeypatch, tmp_path):
    """Call it to make this process a second replica: the same data, an empty folder of data files of its own."""
    folder = tmp_path / "daten"
    folder.mkdir()

    def become():
        monkeypatch.setattr(datafiles, "folder", lambda: folder)
        monkeypatch.setattr(datafiles, "_MADE", {})
        return folder

    return become


def page_urls() -> dict[str, str]:
    """One file of each kind as the atlas page makes them (mapview, chartview)."""
    cov = atlasdata.load_coverage()
    today = dt.date.today()
    return {
        "geo": mapview.geometry_url("gemeinde", "057"),
        "tips": mapview.tips_url(
            mapview.tips.fixed_table(cov, "kreis", None, "en"), mapview.tips_stem("kreis", None, "en")
        ),
        "chart-coverage": chartview.coverage_url(cov, "documented", "051", today, "de"),
        "chart-sizes": chartview.sizes_url(cov, today, "en"),
    }


def test_a_data_file_lives_in_the_cache_under_its_content_hash_and_is_written_once():
    url = chartview.data_url({"days": ["2024-02-01"], "test": "once"}, "test-once")
    path = datafiles.path_of(url)
    try:
        assert url.startswith("/_sid/daten/chart-test-once-") and url.endswith(".json")
        assert path.parent == cache_dir() / "daten" and path.read_bytes() == b'{"days":["2024-02-01"],"test":"once"}'
        assert stat.S_IMODE(path.stat().st_mode) == 0o644  # readable by whoever serves the cache
        before = path.stat().st_mtime_ns
        assert chartview.data_url({"days": ["2024-02-01"], "test": "once"}, "test-once") == url
        assert path.stat().st_mtime_ns == before  # same data, same name: not written again
        assert chartview.data_url({"days": [], "test": "once"}, "test-once") != url
    finally:
        for stale in path.parent.glob("chart-test-once-*.json"):
            stale.unlink()


def test_the_route_serves_it_immutable_with_its_hash_as_etag():
    url = mapview.geometry_url("kreis", None)
    status, body, headers = get(url)
    assert status == 200 and body == datafiles.path_of(url).read_bytes()
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert headers["etag"] == '"' + url.removesuffix(".json").rsplit("-", 1)[1] + '"'
    assert get(url, headers["etag"])[:2] == (304, b"")
    assert get("/other/route") is None


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "geo-gemeinde-nrw-overview-0123456789abcdef.JSON",
        "GEO-gemeinde-nrw-overview-0123456789abcdef.json",
        "geo-gemeinde-nrw-overview-0123456789abcde.json",
        "geo-gemeinde-nrw-overview-0123456789abcdef0.json",
        "geo/../../x-0123456789abcdef.json",
        "x" * 500 + "-0123456789abcdef.json",
        "",
    ],
)
def test_any_other_name_below_the_route_is_a_plain_404(name):
    status, body, headers = get(datafiles.ROUTE + name)
    assert (status, body, headers["cache-control"]) == (404, b"Nicht gefunden.", "no-store")


def test_a_replica_without_the_file_rebuilds_it_byte_identically(other_replica):
    made = page_urls()
    originals = {kind: datafiles.path_of(url).read_bytes() for kind, url in made.items()}
    other_replica = other_replica()
    # On "this" replica none is there yet; each is made again from the same data, the same bytes.
    for kind, url in made.items():
        assert not (other_replica / url.rsplit("/", 1)[1]).exists()
        status, body, _ = get(url)
        assert status == 200 and body == originals[kind], kind
        assert (other_replica / url.rsplit("/", 1)[1]).read_bytes() == originals[kind]


def test_a_name_this_data_does_not_make_is_a_404_and_asked_again_costs_nothing(other_replica, monkeypatch):
    other_replica = other_replica()
    stem = mapview.geometry_stem("gemeinde", None)
    calls = []
    original = mapview.geometry_payload
    monkeypatch.setattr(mapview, "geometry_payload", lambda *args: calls.append(args) or original(*args))
    wrong = f"{datafiles.ROUTE}{stem}-{'0' * 16}.json"
    assert get(wrong)[0] == 404 and get(wrong)[0] == 404
    assert calls == [("gemeinde", None)]  # made once, then known not to come out so
    assert not list(other_replica.iterdir())
    # Words that name no view: refused without making anything.
    for name in ("geo-gemeinde-999-region", "geo-land-nrw-region", "tips-kreis-nrw-fr", "chart-coverage-all", "nix-da"):
        assert get(f"{datafiles.ROUTE}{name}-{'0' * 16}.json")[0] == 404
    assert calls == [("gemeinde", None)]


def test_a_rebuild_follows_the_register_first(other_replica, monkeypatch):
    url = chartview.sizes_url(atlasdata.load_coverage(), dt.date.today(), "de")
    other_replica()
    followed = []
    monkeypatch.setattr(caches, "follow", lambda: followed.append(True) or 1)
    assert get(url)[0] == 200 and followed == [True]


def test_old_files_go_only_when_a_newer_one_of_their_view_exists(tmp_path):
    import os

    now = 1_000_000_000.0
    files = {
        "chart-sizes-de-0000000000000001.json": 30,  # old, and a newer one of its stem exists: goes
        "chart-sizes-de-0000000000000002.json": 1,  # the newest of its stem: stays
        "geo-kreis-nrw-overview-0000000000000003.json": 400,  # old but the only one of its stem: stays
        "tips-kreis-nrw-de-0000000000000004.json": 3,  # newer than KEEP_DAYS: stays
        "tips-kreis-nrw-de-0000000000000005.json": 2,
        ".tips-kreis-nrw-de-0000000000000006.json.x.part": 99,  # not a data file: left alone
    }
    for name, days in files.items():
        (tmp_path / name).write_text("{}")
        os.utime(tmp_path / name, (now - days * 86400,) * 2)
    assert datafiles.prune(tmp_path, now) == ["chart-sizes-de-0000000000000001.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(set(files) - {"chart-sizes-de-0000000000000001.json"})


def test_pruning_runs_at_most_once_a_day(monkeypatch, tmp_path):
    runs = []
    monkeypatch.setattr(datafiles, "prune", lambda folder, now: runs.append(now) or [])
    monkeypatch.setattr(datafiles, "_pruned", {"at": 0.0})
    monkeypatch.setattr(datafiles, "folder", lambda: tmp_path)
    for now in (100_000.0, 100_000.0 + 3600, 100_000.0 + 25 * 3600):
        datafiles.prune_now(now)
    assert runs == [100_000.0, 100_000.0 + 25 * 3600]
