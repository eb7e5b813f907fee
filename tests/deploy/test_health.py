"""What a load balancer probes: Streamlit's ``/_stcore/health`` on a freshly started app.

The health route only says the server accepts connections; the second half
shows that right after start a real websocket session also gets the whole
page, title and figures included, i.e. the coverage data loaded (docs/operations.md,
"Health and metrics"). As ``sid-atlas serve`` runs it, health says ``ok``
only once the first page's work is done, so no visitor pays the start.
"""

from __future__ import annotations

import datetime as dt
import urllib.request

import pytest

from benchmarks.apps import SERVED
from benchmarks.server import streamlit_process
from benchmarks.sessions import Viewer, run_sync
from tests.helpers import APP
from viewmodel.i18n import t

pytestmark = pytest.mark.server


async def first_visit(base: str):
    viewer = Viewer(base, 0)
    try:
        return await viewer.open(dt.date(2024, 2, 1))
    finally:
        await viewer.close()


def test_health_says_ok_and_the_first_session_gets_the_page(tmp_path):
    with streamlit_process(APP, tmp_path / "server.log") as (base, _):
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=10) as response:
            assert response.status == 200
            assert response.read() == b"ok"
        run = run_sync(first_visit(base))
    assert run.title == t("title", "de")
    assert run.figure == "396 von 396 (100,0 %)"  # all NRW Gemeinden once Detmold joined


def test_served_health_says_ok_only_after_the_first_page_is_warm(tmp_path):
    log = tmp_path / "server.log"
    with streamlit_process(SERVED, log) as (base, _):
        # streamlit_process returned once health said ok: the warm-up has run by then, and said so.
        assert "first page warm (generation" in log.read_text(encoding="utf-8")
        assert "first page run done" in log.read_text(encoding="utf-8")  # Streamlit's own first run, paid too
        assert "failed" not in log.read_text(encoding="utf-8")
        run = run_sync(first_visit(base))
    assert run.title == t("title", "de")
    assert run.figure == "396 von 396 (100,0 %)"
