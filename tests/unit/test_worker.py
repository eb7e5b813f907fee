"""Uploads read in a child process (register.worker): the same result as in-process, limits that end
a child, and a hostile partner list (tests.helpers) refused in flat memory."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
import textwrap

import pytest

from loaders.errors import InputError
from loaders.paths import PROJECT_ROOT
from register import reading, worker
from tests.helpers import invented_names_list, issue_partner_list

pytestmark = pytest.mark.process  # each test starts child processes

TODAY = dt.date(2026, 12, 1)
LIST = b"Name;Beitritt;AGS\nBielefeld, Stadt;Februar 2023;\nKleve;2024;\nDGB NRW;2022;05111000\n"


@pytest.fixture(scope="module")
def attributes():
    from loaders import store

    return store.load_attributes()


def test_the_child_gives_what_reading_in_process_gives(attributes):
    isolated = worker.load("liste.csv", LIST, attributes, TODAY)
    direct = reading.load("liste.csv", LIST, attributes, TODAY)
    assert [dataclasses.asdict(r) for r in isolated.reports] == [dataclasses.asdict(r) for r in direct.reports]
    assert isolated.records == direct.records and isolated.summary == direct.summary
    assert (isolated.sha256, isolated.today, isolated.default_source) == (direct.sha256, TODAY, direct.default_source)


def test_an_unreadable_file_is_the_readers_message(attributes, tmp_path):
    with pytest.raises(InputError, match="rows must be in order"):
        worker.load("issue.xlsx", issue_partner_list(tmp_path / "issue.xlsx").read_bytes(), attributes, TODAY)
    with pytest.raises(InputError, match="not a spreadsheet"):
        worker.load("bild.csv", b"\x89PNG\r\n\x1a\n\x00\x00", attributes, TODAY)


def test_the_wall_clock_limit_ends_a_slow_child(attributes, monkeypatch):
    monkeypatch.setattr(worker, "WALL_SECONDS", 1)
    with pytest.raises(InputError, match="longer than 1 s"):
        worker.load("slow.csv", invented_names_list(attributes), attributes, TODAY)


def test_the_cpu_limit_ends_a_slow_child(attributes, monkeypatch):
    monkeypatch.setattr(worker, "CPU_SECONDS", 1)
    with pytest.raises(InputError, match="more than 1 s of CPU|limit of CPU time"):
        worker.load("slow.csv", invented_names_list(attributes), attributes, TODAY)


def test_the_memory_limit_ends_a_child_that_needs_more(attributes, monkeypatch):
    monkeypatch.setattr(worker, "MEMORY_MB", 200)  # less than Python with pandas maps
    with pytest.raises(InputError, match="memory|could not be checked"):
        worker.load("liste.csv", LIST, attributes, TODAY)


def test_too_many_at_once_wait_for_a_turn_then_give_up(attributes, monkeypatch):
    monkeypatch.setattr(worker, "_turns", __import__("threading").BoundedSemaphore(1))
    monkeypatch.setattr(worker, "QUEUE_SECONDS", 0.1)
    worker._turns.acquire()
    try:
        with pytest.raises(InputError, match="other files are being checked"):
            worker.load("liste.csv", LIST, attributes, TODAY)
    finally:
        worker._turns.release()


_MEASURE = textwrap.dedent("""
    import datetime as dt, json, resource, sys
    from loaders import store
    from register import worker
    units = store.load_attributes()
    worker.load("klein.csv", b"Name\\nHamm\\n", units, dt.date(2026, 12, 1))
    baseline = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    try:
        worker.load("issue.xlsx", open(sys.argv[1], "rb").read(), units, dt.date(2026, 12, 1))
        error = None
    except Exception as caught:
        error = str(caught)
    print(json.dumps({"baseline": baseline, "peak": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                      "error": error}))
""")


def test_the_issues_file_costs_the_child_less_than_100_mb_over_its_imports(tmp_path):
    """Peak resident memory of the reading child: its imports (pandas, ~110 MB) plus the file, below 100 MB."""
    path = issue_partner_list(tmp_path / "issue.xlsx")
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True, cwd=PROJECT_ROOT, check=True
    )
    measured = json.loads(done.stdout)
    assert "rows must be in order" in measured["error"]
    assert measured["peak"] - measured["baseline"] < 100, measured
