"""The load test's pure parts: percentiles, memory per session, report rows, protocol reading.

No server and no timing: the websocket is a fake fed with real Streamlit
protobufs, and no wall-clock value is asserted.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks import report, sessions
from benchmarks.report import Series


def by_key(rows):
    return {row["metric"].key: row for row in rows}


def test_percentile_interpolates_between_ranks_and_ignores_input_order():
    samples = [float(x) for x in range(100, 0, -1)]    # 100 .. 1, unsorted on purpose
    assert report.percentile(samples, 95) == pytest.approx(95.05)
    assert report.percentile(samples, 100) == 100.0 and report.percentile(samples, 0) == 1.0
    for odd_or_even in ([5.0, 1.0, 3.0], [4.0, 1.0, 3.0, 2.0]):
        assert report.percentile(odd_or_even, 50) == statistics.median(odd_or_even)
    assert report.percentile([], 95) is None


def test_memory_per_session_is_growth_over_baseline_shared_out():
    assert sessions.per_session_bytes(300_000_000, 360_000_000, 50) == 1_200_000
    assert sessions.per_session_bytes(300_000_000, 290_000_000, 10) == -1_000_000   # kept, not clipped
    with pytest.raises(ValueError):
        sessions.per_session_bytes(1, 2, 0)


def test_rss_of_this_process_is_read_from_proc():
    if not os.path.exists("/proc/self/status"):
        pytest.skip("no /proc on this system")
    assert sessions.rss_bytes(os.getpid()) > 1_000_000


def test_load_result_divides_memory_by_the_sessions_still_held():
    result = sessions.LoadResult(sessions=50, held=40, change_ms=[100.0] * 18 + [2000.0] * 2,
                                 errors=["viewer 3: TimeoutError: "] * 10,
                                 rss_baseline=300_000_000, rss_loaded=340_000_000)
    rows = by_key(report.rows({key: {"ours": s} for key, s in result.series().items()}))
    assert rows["load_memory"]["ours_value"] == 1_000_000 and rows["load_memory"]["verdict"] == "pass"
    assert rows["load_held"]["ours_value"] == 40
    assert rows["load_errors"]["ours_value"] == 10 and rows["load_errors"]["verdict"] == "FAIL"
    # Two slow changes in twenty: the median hides them, the p95 does not.
    assert rows["load_change_p50"]["ours_value"] == 100.0 and rows["load_change_p95"]["verdict"] == "FAIL"


def test_load_result_without_held_sessions_reports_memory_as_not_measured():
    series = sessions.LoadResult(sessions=5, errors=["viewer 0: ConnectionRefusedError: "] * 5).series()
    assert series["load_memory"].error and not series["load_memory"].samples


def test_report_rows_table_and_json_show_the_percentile_they_judge():
    fake = {"load_change_p95": {"ours": Series([float(x) for x in range(1, 21)])},
            "load_memory": {"ours": Series([31_000_000.0])},
            "load_errors": {"ours": Series([0.0])}}
    rows = report.rows(fake)
    table = report.format_table(rows)
    p95_line = next(line for line in table.splitlines() if "(p95 of 20)" in line)
    assert "19 ms" in p95_line and p95_line.endswith("pass")
    errors_line = next(line for line in table.splitlines() if line.startswith("Under load: errors"))
    assert errors_line.split()[-3:] == ["0", "–", "pass"]     # ours, no ratio, verdict
    memory_line = next(line for line in table.splitlines() if line.startswith("Server memory per added"))
    assert "31.00 MB" in memory_line and memory_line.endswith("FAIL")
    metrics = {m["key"]: m for m in report.to_json(rows, machine={}, notes=[], settings={})["metrics"]}
    assert metrics["load_change_p95"]["stat"] == "p95"
    assert metrics["load_change_p95"]["ours"]["value"] == pytest.approx(19.05)
    assert metrics["load_change_p95"]["ours"]["median"] == 10.5          # the samples stay complete
    assert metrics["load_memory"]["pass"] is False and metrics["load_errors"]["pass"] is True


def test_each_viewer_alternates_across_detmolds_accession():
    for viewer in (0, 7, sessions.SPREAD - 1, sessions.SPREAD, 123):
        before, after = sessions.days_for(viewer)
        assert before < dt.date(2024, 2, 1) <= after
        assert before > dt.date(2023, 10, 31)          # no other coverage change in between
    assert sessions.days_for(3) == sessions.days_for(3 + sessions.SPREAD)
    assert len({sessions.days_for(i) for i in range(50)}) == 50


def test_slider_value_is_what_streamlit_sends_for_a_date():
    day = dt.date(2024, 2, 1)
    midnight_utc = dt.datetime(2024, 2, 1, tzinfo=dt.timezone.utc).timestamp()
    assert sessions.slider_micros(day) == midnight_utc * 1_000_000


class FakeSocket:
    """Stands in for the websocket: records what is sent, replays prepared ForwardMsgs."""

    def __init__(self, messages):
        self.sent, self.inbox = [], [m.SerializeToString() for m in messages]

    async def send(self, data):
        self.sent.append(data)

    async def recv(self):
        return self.inbox.pop(0)


def delta(kind, **fields):
    msg = ForwardMsg()
    element = getattr(msg.delta.new_element, kind)
    for name, value in fields.items():
        setattr(element, name, value)
    return msg


def finished(status=ForwardMsg.FINISHED_SUCCESSFULLY):
    msg = ForwardMsg()
    msg.script_finished = status
    return msg


def page_run(figure="326 von 396 (82,3 %)"):
    url = ForwardMsg()
    url.page_info_changed.query_string = "date=2024-01-31&level=gemeinde"
    return [url, delta("heading", body="Abdeckungsatlas"), delta("slider", id="$$ID-w_slider", label="Stichtag"),
            delta("metric", label="Gemeinden", body=figure), delta("metric", label="Kreise", body="45 von 53"),
            finished()]


def test_viewer_reads_slider_figure_title_and_url_then_sends_the_change():
    from streamlit.proto.BackMsg_pb2 import BackMsg

    viewer = sessions.Viewer("http://127.0.0.1:1", 0)
    viewer.ws = FakeSocket(page_run() + page_run(figure="396 von 396 (100,0 %)"))
    first = sessions.run_sync(viewer._rerun(None))
    assert (first.figure, first.title, viewer.slider_id) == ("326 von 396 (82,3 %)", "Abdeckungsatlas", "$$ID-w_slider")
    second = sessions.run_sync(viewer.change(dt.date(2024, 2, 1)))
    assert second.figure == "396 von 396 (100,0 %)"
    request = BackMsg()
    request.ParseFromString(viewer.ws.sent[-1])
    assert request.rerun_script.query_string == "date=2024-01-31&level=gemeinde"    # the URL the app set
    (widget,) = request.rerun_script.widget_states.widgets
    assert widget.id == "$$ID-w_slider"
    assert list(widget.double_array_value.data) == [sessions.slider_micros(dt.date(2024, 2, 1))]


@pytest.mark.parametrize("ending, message", [
    ([delta("exception", message="KeyError: 'x'"), finished()], "the app raised"),
    ([finished(ForwardMsg.FINISHED_WITH_COMPILE_ERROR)], "status 1"),
])
def test_viewer_turns_app_failures_into_errors(ending, message):
    viewer = sessions.Viewer("http://127.0.0.1:1", 0)
    viewer.ws = FakeSocket([delta("slider", id="s")] + ending)
    with pytest.raises(RuntimeError, match=message):
        sessions.run_sync(viewer._rerun(None))
