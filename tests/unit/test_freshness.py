"""Following the register: one query per second per process however many ask; the model dropped once per new entry."""

from __future__ import annotations

import pytest

from dashboard import failover, freshness
from loaders.errors import AtlasError
from register import atlasdata


class FakeRegister:
    def __init__(self):
        self.entries = [3]
        self.asked = 0
        self.down = False

    def history(self, limit):
        self.asked += 1
        if self.down:
            raise AtlasError("Register nicht erreichbar")
        return [{"id": entry} for entry in sorted(self.entries, reverse=True)[:limit]]


@pytest.fixture
def reg(monkeypatch):
    fake = FakeRegister()
    monkeypatch.setattr(freshness, "_register", lambda: fake)
    monkeypatch.setattr(freshness, "configured", lambda: True)
    monkeypatch.setattr(freshness, "_newest", {"entry": freshness._UNSET, "at": float("-inf")})
    monkeypatch.setattr(freshness, "_followed", {"entry": freshness._UNSET, "generation": 0})
    clock = {"now": 1000.0}
    monkeypatch.setattr(freshness.time, "monotonic", lambda: clock["now"])
    fake.clock = clock
    return fake


def test_many_asking_within_a_second_cost_one_query(reg):
    assert [freshness.newest_entry() for _ in range(50)] == [3] * 50 and reg.asked == 1
    reg.entries.append(4)
    reg.clock["now"] += 0.5
    assert freshness.newest_entry() == 3  # at most a second old
    reg.clock["now"] += 0.6
    assert freshness.newest_entry() == 4 and reg.asked == 2
    assert freshness.newest_entry(max_age=0) == 4 and reg.asked == 3


def test_the_model_is_dropped_once_per_new_entry(reg, monkeypatch):
    dropped = []
    monkeypatch.setattr(atlasdata.load_coverage, "cache_clear", lambda: dropped.append(True))
    assert freshness.follow() and freshness.generation() == 1  # a process's first look: what it built from is unknown
    reg.clock["now"] += 2
    assert not freshness.follow() and freshness.generation() == 1
    reg.entries.append(9)
    reg.clock["now"] += 2
    assert freshness.follow() and freshness.generation() == 2 and len(dropped) == 2
    # The register unreachable for a moment: what is loaded stays, nothing raises.
    reg.down = True
    reg.clock["now"] += 2
    assert not freshness.follow() and len(dropped) == 2


def test_without_a_register_there_is_nothing_to_follow(monkeypatch):
    monkeypatch.setattr(freshness, "configured", lambda: False)
    assert freshness.follow() is False


@pytest.mark.parametrize("value", ["-1", "90000", "nan", "1e9"])
def test_a_wrong_period_stops_the_server_before_it_listens(value):
    from dashboard import webserver

    with pytest.raises(ValueError, match="SID_ATLAS_FOLLOW_SECONDS"):
        webserver.preflight({"SID_ATLAS_FOLLOW_SECONDS": value})


def test_a_session_that_asks_to_resume_an_unknown_one_moved_here():
    known = "5f0c2a8e-1b7d-4f2e-9a51-0c3d2e1f4a6b"
    handshake = {"Sec-WebSocket-Protocol": f"streamlit, token, {known}"}
    assert not failover.moved(handshake, known)  # the same replica resumed it
    assert failover.moved(handshake, "7a1b2c3d-0000-4000-8000-000000000000")  # another one started afresh
    assert not failover.moved({"Sec-WebSocket-Protocol": "streamlit, token"}, known)  # a page opened anew
