"""The load test's pure parts: percentiles, memory per session, report rows, protocol reading.

No server and no timing: the websocket is a fake fed with real Streamlit
protobufs, and no wall-clock value is asserted.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks import report, sessions, sweep
from benchmarks.report import Series


def by_key(rows):
    return {row["metric"].key: row for row in rows}


def test_percentile_interpolates_between_ranks_and_ignores_input_order():
    samples = [float(x) for x in range(100, 0, -1)]  # 100 .. 1, unsorted on purpose
    assert report.percentile(samples, 95) == pytest.approx(95.05)
    assert report.percentile(samples, 100) == 100.0 and report.percentile(samples, 0) == 1.0
    for odd_or_even in ([5.0, 1.0, 3.0], [4.0, 1.0, 3.0, 2.0]):
        assert report.percentile(odd_or_even, 50) == statistics.median(odd_or_even)
    assert report.percentile([], 95) is None


def test_memory_per_session_is_growth_over_baseline_shared_out():
    assert sessions.per_session_bytes(300_000_000, 360_000_000, 50) == 1_200_000
    assert sessions.per_session_bytes(300_000_000, 290_000_000, 10) == -1_000_000  # kept, not clipped
    with pytest.raises(ValueError):
        sessions.per_session_bytes(1, 2, 0)


def test_rss_of_this_process_is_read_from_proc():
    if not os.path.exists("/proc/self/status"):
        pytest.skip("no /proc on this system")
    assert sessions.rss_bytes(os.getpid()) > 1_000_000


def test_sweep_step_judges_p95_and_errors_and_shares_memory_over_held_sessions():
    result = sessions.LoadResult(
        sessions=50,
        held=40,
        change_ms=[100.0] * 18 + [2000.0] * 2,
        errors=["viewer 3: TimeoutError: "] * 10,
        rss_baseline=300_000_000,
        rss_loaded=340_000_000,
    )
    step = sweep.step_of(result)
    assert step.memory_per_session == 1_000_000 and step.held == 40 and step.errors == 10
    # Two slow changes in twenty: the median hides them, the p95 does not.
    assert step.p50_ms == 100.0 and step.p95_ms > 1000 and not step.passed
    clean = sweep.step_of(sessions.LoadResult(sessions=20, held=20, change_ms=[100.0] * 20))
    assert clean.passed and clean.memory_per_session is None  # memory not read (proxy): not invented
    assert not sweep.step_of(sessions.LoadResult(sessions=5, errors=["refused"] * 5)).passed


def test_knee_rows_and_sweep_table_in_the_readme_markdown():
    steps = [
        sweep.Step(10, 80.0, 40.0, 0, 10, load_before=1.0, load_after=1.5),
        sweep.Step(20, 1500.0, 300.0, 2, 20, load_before=1.5, load_after=2.5),
    ]
    results = {"knee_one": Series([float(sweep.knee(steps))])}
    rows = report.rows(results)
    knee = next(r for r in rows if r["metric"].key == "knee_one")
    assert knee["value"] == 10 and knee["verdict"] == "FAIL"  # target: at least 300 (docs/performance.md)
    doc = report.to_json(
        rows, machine={}, notes=[], settings={}, results=results, sweeps={"one process": [vars(s) for s in steps]}
    )
    text = report.markdown(json.loads(json.dumps(doc)))
    assert "| sessions | 10 | 20 |" in text and "| errors | 0 | 2 |" in text and "1.50 s (300 ms)" in text
    assert "| Knee (sessions with p95 ≤ 1 s), one process | ≥ 300 | 10 | **FAIL** |" in text


def test_each_viewer_alternates_across_detmolds_accession():
    for viewer in (0, 7, sessions.SPREAD - 1, sessions.SPREAD, 123):
        before, after = sessions.days_for(viewer)
        assert before < dt.date(2024, 2, 1) <= after
        assert before > dt.date(2023, 10, 31)  # no other coverage change in between
    assert sessions.days_for(3) == sessions.days_for(3 + sessions.SPREAD)
    assert len({sessions.days_for(i) for i in range(50)}) == 50


def test_slider_value_is_what_streamlit_sends_for_a_date():
    day = dt.date(2024, 2, 1)
    midnight_utc = dt.datetime(2024, 2, 1, tzinfo=dt.UTC).timestamp()
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
    return [
        url,
        delta("heading", body="Abdeckungsatlas"),
        delta("slider", id="$$ID-w_slider", label="Stichtag"),
        delta("metric", label="Gemeinden", body=figure),
        delta("metric", label="Kreise", body="45 von 53"),
        finished(),
    ]


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
    assert request.rerun_script.query_string == "date=2024-01-31&level=gemeinde"  # the URL the app set
    (widget,) = request.rerun_script.widget_states.widgets
    assert widget.id == "$$ID-w_slider"
    assert list(widget.double_array_value.data) == [sessions.slider_micros(dt.date(2024, 2, 1))]


@pytest.mark.parametrize(
    "ending, message",
    [
        ([delta("exception", message="KeyError: 'x'"), finished()], "the app raised"),
        ([finished(ForwardMsg.FINISHED_WITH_COMPILE_ERROR)], "status 1"),
    ],
)
def test_viewer_turns_app_failures_into_errors(ending, message):
    viewer = sessions.Viewer("http://127.0.0.1:1", 0)
    viewer.ws = FakeSocket([delta("slider", id="s")] + ending)
    with pytest.raises(RuntimeError, match=message):
        sessions.run_sync(viewer._rerun(None))


def cacheable(msg, digest):
    msg.hash = digest
    msg.metadata.cacheable = True
    return msg


def reference(digest):
    msg = ForwardMsg()
    msg.ref_hash = digest
    return msg


def test_viewer_reports_its_cached_hashes_and_reads_references_like_the_browser():
    from streamlit.proto.BackMsg_pb2 import BackMsg

    session = ForwardMsg()
    session.new_session.config.max_cached_message_age = 2
    big = cacheable(delta("metric", label="Gemeinden", body="326 von 396"), "h-metric")
    viewer = sessions.Viewer("http://127.0.0.1:1", 0)
    viewer.ws = FakeSocket(
        [
            session,
            delta("slider", id="s"),
            big,
            finished(),
            session,
            delta("slider", id="s"),
            reference("h-metric"),
            finished(),
            session,
            delta("slider", id="s"),
            finished(),
            session,
            delta("slider", id="s"),
            finished(),
        ]
    )
    first = sessions.run_sync(viewer._rerun(None))
    second = sessions.run_sync(viewer.change(dt.date(2024, 2, 1)))
    sent = BackMsg()
    sent.ParseFromString(viewer.ws.sent[-1])
    assert list(sent.rerun_script.cached_message_hashes) == ["h-metric"]
    # The reference is read from the cache: the figure is there, in far fewer bytes.
    assert second.figure == "326 von 396" and second.cache_refs == 1 and second.payload < first.payload
    sessions.run_sync(viewer.change(dt.date(2024, 2, 2)))  # one run without it: still held (age 2)
    sessions.run_sync(viewer.change(dt.date(2024, 2, 3)))
    sent.ParseFromString(viewer.ws.sent[-1])
    assert list(sent.rerun_script.cached_message_hashes) == ["h-metric"]
    assert viewer.cache.hashes() == []  # two runs without it: dropped


def test_a_reference_to_a_message_the_viewer_does_not_hold_is_an_error():
    viewer = sessions.Viewer("http://127.0.0.1:1", 0)
    viewer.ws = FakeSocket([delta("slider", id="s"), reference("never-sent"), finished()])
    with pytest.raises(RuntimeError, match="cached ForwardMsg miss"):
        sessions.run_sync(viewer._rerun(None))
