"""Following the register: one query per second per process however many ask; the model dropped once per new entry."""

from __future__ import annotations

import pytest

from dashboard import caches, failover, freshness
from loaders.errors import AtlasError


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
    monkeypatch.setattr(caches, "configured_register", lambda: fake)
    monkeypatch.setattr(freshness, "configured", lambda: True)
    monkeypatch.setattr(freshness, "_newest", {"entry": freshness._UNSET, "at": float("-inf")})
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


def test_the_idle_check_and_the_page_ask_the_same_register(reg):
    # One register per process (dashboard.caches): the idle page's check asks it, as every page run's follow does.
    assert freshness.newest_entry() == 3 and caches.newest_entry(reg) == (True, 3)
    reg.down = True
    assert caches.newest_entry(reg) == (False, None)  # unreachable: the page keeps what it has (test_caches.py)


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
