"""Every cache of the atlas page and its one invalidation (``dashboard/caches.py``), without Streamlit."""

from __future__ import annotations

import functools

import pytest

from dashboard import caches
from loaders.errors import AtlasError
from register import atlasdata


class Model:
    """A stand-in coverage model: counts how often one is built."""

    built = 0

    def __init__(self):
        Model.built += 1


@pytest.fixture
def fresh(monkeypatch):
    """caches on an empty process: no generation yet, a stand-in loader."""
    Model.built = 0
    monkeypatch.setattr(atlasdata, "load_coverage", functools.cache(Model))
    made = caches.Caches()
    monkeypatch.setattr(caches, "process", lambda: made)
    return made


def entries(*answers):
    """A register whose newest entry is each of ``answers`` in turn (an exception: it cannot be asked)."""
    pending = list(answers)

    def newest():
        answer = pending.pop(0)
        return (False, None) if answer is AtlasError else (True, answer)

    return newest


def test_a_newer_register_entry_is_the_one_invalidation(fresh):
    follow = entries(7, 7, 8, AtlasError, 8, None)
    first = caches.follow(follow)
    model = caches.coverage()
    made = caches.remember("chart", ("all", None), lambda: object())
    assert caches.follow(follow) == first and caches.coverage() is model  # the same entry: the same generation
    assert caches.remember("chart", ("all", None), lambda: "again") is made

    second = caches.follow(follow)  # entry 8: a new model, nothing derived from the old one
    assert second != first and caches.coverage() is not model and Model.built == 2
    assert caches.remember("chart", ("all", None), lambda: "new") == "new"
    assert caches.follow(follow) == second  # the register cannot be asked: the data loaded stays
    assert caches.follow(follow) == second
    assert caches.follow(follow) != second and Model.built == 3  # every entry undone or gone: it changed too


def test_the_first_generation_takes_the_model_the_server_warmed(fresh):
    warmed = atlasdata.load_coverage()
    caches.follow(entries(3))
    assert caches.coverage() is warmed and Model.built == 1


def test_without_a_register_one_generation_serves_the_process(fresh, monkeypatch):
    monkeypatch.setattr(caches, "configured_register", lambda: None)
    assert caches.newest_entry() == (True, None)
    number = caches.follow()
    assert [caches.follow() for _ in range(3)] == [number] * 3 and Model.built == 1


def test_a_model_replaced_under_the_page_starts_a_new_generation(fresh):
    """Whoever clears the loader's cache (a test, the CLI with another register) never gets the old memo."""
    caches.follow(entries(None))
    caches.remember("stops", "all", lambda: [1])
    atlasdata.load_coverage.cache_clear()
    assert caches.remember("stops", "all", lambda: [2]) == [2]


def test_the_memo_keeps_the_latest_entries_of_each_name(fresh):
    for key in range(5):
        caches.remember("tables", key, lambda key=key: key, size=3)
    caches.remember("other", 0, lambda: "kept")
    assert caches.remember("tables", 4, lambda: "rebuilt") == 4
    assert caches.remember("tables", 0, lambda: "rebuilt") == "rebuilt"  # dropped beyond three
    assert caches.remember("other", 0, lambda: "rebuilt") == "kept"


def test_a_register_that_cannot_be_asked_is_not_an_error():
    class Down:
        def history(self, limit):
            raise AtlasError("register unreachable")

    class Up:
        def history(self, limit):
            return [{"id": 12}]

    assert caches.newest_entry(Down()) == (False, None)
    assert caches.newest_entry(Up()) == (True, 12)


def test_the_process_keeps_one_instance_that_streamlit_can_clear():
    """Kept by st.cache_resource: Streamlit's metrics show it, an editor's "Clear cache" drops it."""
    import streamlit as st

    assert caches.process() is caches.process()
    kept = caches.process()
    st.cache_resource.clear()
    assert caches.process() is not kept
