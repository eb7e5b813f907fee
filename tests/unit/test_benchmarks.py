"""``make bench``: ratios, verdicts, tables and JSON on fake numbers, and one quick real run.

Wall-clock limits are never asserted: the quick run checks that every part
produced figures with their load average and that the README table is made
from its JSON, not how fast anything was.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from benchmarks import report
from benchmarks.report import Series
from benchmarks.server import REPO, address_in_use

FAKE = {
    # Measured in turn: pair i of the atlas and the floor ran within seconds of each other.
    "cpu_ours": Series([30.0, 28.0, 36.0], load_before=1.2, load_after=1.4),
    "cpu_floor": Series([10.0, 14.0, 12.0], load_before=1.1, load_after=1.2),
    "payload_new_ours": Series([6_000.0, 4_000.0, 5_000.0]),
    "open_ours": Series(error="RuntimeError: map not drawn within 60 s"),
    "open_floor": Series([2000.0]),
    "knee_two": Series([500.0]),
}


def by_key(rows):
    return {row["metric"].key: row for row in rows}


def test_ratio_rows_are_the_median_of_pair_ratios_and_carry_both_loads():
    rows = by_key(report.rows(FAKE))
    # Pairs 30/10, 28/14, 36/12: their median (3), not the ratio of the medians (30/12).
    assert rows["cpu_ratio"]["value"] == 3.0 and rows["cpu_ratio"]["verdict"] == "FAIL"
    assert rows["cpu_ratio"]["n"] == 3
    assert rows["cpu_ratio"]["load"] == (1.1, 1.4)  # the span over both measurements
    assert rows["open_ratio"]["value"] is None and "not drawn" in rows["open_ratio"]["error"]
    assert rows["open_ratio"]["verdict"] == "n/a"


def test_verdicts_are_inclusive_and_know_at_least_targets():
    rows = by_key(report.rows(FAKE))
    assert rows["payload_new_ours"]["verdict"] == "pass"  # median 5 KB, target <= 5 KB
    assert rows["knee_two"]["verdict"] == "pass"  # 500 >= 500
    assert rows["knee_one"]["verdict"] == "n/a" and rows["knee_one"]["error"] == "not measured"
    assert rows["cpu_ours"]["verdict"] == ""  # context row, no target


def test_table_has_one_line_per_metric_naming_ratios_statistic_and_load():
    table = report.format_table(report.rows(FAKE)).splitlines()
    assert len(table) == 2 + len(report.METRICS)
    line = next(line for line in table if line.startswith("Server CPU per Stichtag change ÷"))
    assert "2.50×" not in line and "3.00×" in line and "ratio of 3" in line and "1.1 → 1.4" in line
    assert "FAIL" in line


def test_json_keeps_samples_loads_errors_and_feeds_the_readme_table():
    doc = report.to_json(
        report.rows(FAKE),
        machine={
            "cores": 2,
            "cpu_model": "fake",
            "python": "3.11.7",
            "loadavg_at_start": [1.1, 1.0, 0.9],
            "commit": "1234abc",
        },
        notes=["n"],
        settings={},
        results=FAKE,
    )
    doc = json.loads(json.dumps(doc))
    assert doc["series"]["cpu_ours"]["samples"] == [30.0, 28.0, 36.0]
    assert doc["series"]["cpu_ours"]["load_before"] == 1.2
    assert doc["series"]["open_ours"]["error"].startswith("RuntimeError")
    text = report.markdown(doc)
    assert "2 cores (fake)" in text and "load average at start 1.1 / 1.0 / 0.9" in text and "commit 1234abc" in text
    assert "| Server CPU per Stichtag change ÷ one-slider floor (ratio) | ≤ 2× | 3.00× | **FAIL** | 1.1 → 1.4 |" in text
    assert (
        "| Page open → map drawn (Chromium) ÷ floor's page open → figure shown (ratio) | ≤ 1.3× | not measured | n/a |"
        in text
    )


def test_unpaired_samples_give_no_ratio_rather_than_a_ratio_of_medians():
    rows = by_key(report.rows({"cpu_ours": Series([30.0, 28.0]), "cpu_floor": Series([10.0])}))
    assert rows["cpu_ratio"]["value"] is None and "not pairs" in rows["cpu_ratio"]["error"]
    assert report.pair_ratios([3.0, 4.0], [1.0, 0.0]) == [3.0]  # a zero yardstick is no pair


def test_memory_per_session_is_a_slope_over_every_count_not_one_delta():
    from benchmarks.sweep import Step, memory_per_session

    def step(n, base, loaded):
        return Step(n, 100.0, 50.0, 0, n, rss_baseline=base, rss_loaded=loaded)

    # 50 KB per session, plus noise of a few hundred KB the allocator gives back between counts.
    steps = [step(10, 500e6, 500.5e6 - 300e3), step(50, 500.2e6, 502.7e6), step(100, 499.9e6, 504.9e6 + 200e3)]
    per_session = memory_per_session(steps)
    assert 45e3 < per_session < 55e3
    assert memory_per_session(steps[:1]) == 20e3  # one count: its own delta, the least the fit can use
    assert memory_per_session([Step(10, 1.0, 1.0, 0, 10)]) is None  # no memory read


def test_the_sweep_rises_past_200_and_its_knee_is_the_last_pass_before_the_first_failure():
    from benchmarks.sweep import COUNTS, Step, knee, knee_note

    assert max(COUNTS) >= 500 and list(COUNTS) == sorted(COUNTS)
    steps = [Step(n, 300.0 if n <= 150 else 1400.0, 100.0, 0, n) for n in (10, 50, 100, 150, 200)]
    assert knee(steps) == 150 and knee_note("one process", steps) is None
    assert "not found" in knee_note("one process", steps[:3])


def test_apps_take_turns_with_the_first_place_rotating():
    from benchmarks.floor import rotated

    turns = [rotated(["floor", "trivial", "ours"], turn) for turn in range(3)]
    assert [t[0] for t in turns] == ["floor", "trivial", "ours"]
    assert all(sorted(t) == ["floor", "ours", "trivial"] for t in turns)


def test_websocket_bytes_on_the_wire_follow_permessage_deflate():
    import os

    same = [b'{"status": "documented", "day": "2024-02-01"}' * 40] * 5
    # One deflate stream for the connection: a repeated message costs a few bytes after the first.
    assert report.permessage_deflate_size(same) < report.permessage_deflate_size(same[:1]) + 4 * 25
    noise = [os.urandom(2000)]
    assert 2000 < report.permessage_deflate_size(noise) <= 2000 * 1.06  # incompressible: about its size, plus framing


def test_restart_part_and_the_floor_app_are_part_of_a_run():
    from benchmarks import apps
    from benchmarks.__main__ import PARTS, parse_args, wanted

    assert "restart" in PARTS and wanted(parse_args(["--only", "restart"]), "restart")
    assert not wanted(parse_args(["--quick"]), "restart")  # quick runs stay small
    assert apps.FLOOR.script.is_file() and apps.FLOOR.expected_drawn == 1
    source = apps.FLOOR.script.read_text(encoding="utf-8")
    assert source.count("stichtag_slider()") == 1 and source.count("st.metric(") == 1  # one slider, one text


def test_readme_section_is_replaced_between_markers_only():
    readme = f"intro\n{report.README_START}\nold table\n{report.README_END}\nrest\n"
    assert report.replace_section(readme, "| new |\n") == (
        f"intro\n{report.README_START}\n| new |\n{report.README_END}\nrest\n"
    )
    with pytest.raises(ValueError, match="bench:start"):
        report.replace_section("no markers", "x")


def test_only_runs_the_named_parts_and_the_no_flags_still_skip_within_them():
    from benchmarks.__main__ import PARTS, parse_args, wanted

    args = parse_args(["--only", "nginx", "cli"])
    assert [part for part in PARTS if wanted(args, part)] == ["nginx", "cli"]
    assert [part for part in PARTS if wanted(parse_args([]), part)] == list(PARTS)  # a full run: every part
    assert not wanted(parse_args(["--only", "germany", "--no-germany"]), "germany")
    assert not wanted(parse_args(["--quick", "--only", "nginx"]), "nginx")  # quick skips nginx whatever is named
    assert parse_args([]).json.name == "bench.json" and args.json.name == "bench-nginx-cli.json"  # the full run's stays
    with pytest.raises(SystemExit):
        parse_args(["--only", "everything"])


def test_a_taken_port_is_recognised_in_streamlit_and_nginx_logs():
    assert address_in_use("2026-12-02 02:44:46.950 Port 8501 is not available")
    assert address_in_use("nginx: [emerg] bind() to 127.0.0.1:8080 failed (98: Address already in use)")
    assert not address_in_use("ModuleNotFoundError: No module named 'folium'")


@pytest.mark.process
def test_the_report_command_refuses_an_unreadable_or_old_artifact(tmp_path):
    old = tmp_path / "bench.json"
    old.write_text(json.dumps({"schema": 1, "metrics": []}))
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.report", str(old)], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "schema 1" in done.stderr and "Traceback" not in done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.report", str(tmp_path / "missing.json")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "cannot read" in done.stderr


@pytest.mark.server
def test_quick_run_measures_every_quick_part_with_its_load_and_writes_the_readme_table(tmp_path, units):
    """One real ``python -m benchmarks --quick``: servers, websocket, a two-session sweep, the CLI."""
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--json", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    doc = json.loads(out.read_text(encoding="utf-8"))
    series = doc["series"]
    for key in (
        "cpu_floor",
        "cpu_ours",
        "payload_new_ours",
        "wire_new_ours",
        "elements_ours",
        "payload_seen_ours",
        "knee_one",
        "cli_coverage_ratio",
    ):
        assert series[key]["samples"] and not series[key].get("error"), key
        assert series[key]["load_before"] is not None and series[key]["load_after"] is not None, key
    # The browser's message cache pays off for a day seen before.
    assert series["payload_seen_ours"]["median"] < series["payload_new_ours"]["median"]
    rows = {row["key"]: row for row in doc["rows"]}
    assert rows["cpu_ratio"]["value"] > 0 and rows["cpu_ratio"]["ratio_of"] == ["cpu_ours", "cpu_floor"]
    assert rows["cpu_ratio"]["n"] == len(series["cpu_floor"]["samples"])  # one ratio per batch pair
    assert 0 < series["wire_new_ours"]["median"] < series["payload_new_ours"]["median"]  # compressed on the wire
    assert doc["sweeps"]["one process"][0]["sessions"] == 2
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n{report.README_START}\n{report.README_END}\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.report", str(out), "--readme", str(readme)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    text = readme.read_text(encoding="utf-8")
    assert "Server CPU per Stichtag change ÷ one-slider floor (ratio)" in text and "Load sweep, one process" in text


@pytest.mark.server
def test_a_server_whose_port_was_taken_meanwhile_starts_on_another(tmp_path, monkeypatch):
    import socket

    from benchmarks import server

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        offered = iter([busy])  # the race: the first port handed out is taken by then
        fresh = server.free_port
        monkeypatch.setattr(server, "free_port", lambda: next(offered, None) or fresh())
        with server.streamlit_process(REPO / "benchmarks" / "trivial_app.py", tmp_path / "trivial.log") as (base, _):
            assert base.startswith("http://127.0.0.1:") and not base.endswith(f":{busy}")


@pytest.mark.process
def test_one_part_alone_measures_only_that_part(tmp_path):
    """``--only cli``: the command-line rows with their load, nothing of the other parts."""
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--only", "cli", "--no-export", "--cli-repeats", "1", "--json", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    series = json.loads(out.read_text(encoding="utf-8"))["series"]
    assert set(series) == {"cli_coverage", "cli_geopandas", "cli_coverage_ratio"}
    assert series["cli_coverage_ratio"]["samples"] and series["cli_coverage_ratio"]["load_before"] is not None


def test_two_runs_go_side_by_side_into_the_performance_page(tmp_path):
    paths = []
    for number, (ours, floor, load) in enumerate([(30.0, 10.0, 1.0), (36.0, 20.0, 4.0)], start=1):
        results = {
            "cpu_ours": Series([ours], load_before=load, load_after=load),
            "cpu_floor": Series([floor], load_before=load, load_after=load),
        }
        doc = report.to_json(
            report.rows(results),
            machine={"cores": 2, "commit": f"c0ffee{number}", "loadavg_at_start": [load, load, load]},
            notes=[],
            settings={},
            results=results,
        )
        path = tmp_path / f"run{number}.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        paths.append(str(path))
    page = tmp_path / "performance.md"
    page.write_text(f"# Performance\n{report.README_START}\n{report.README_END}\n", encoding="utf-8")
    assert report.main([*paths, "--readme", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert "commit c0ffee1" in text and "commit c0ffee2" in text
    assert "| ≤ 2× | 3.00× **FAIL** (1.0 → 1.0) | 1.80× pass (4.0 → 4.0) |" in text  # each run with its load
    assert text.count("Run 1 in full") == 1 and text.count("Run 2 in full") == 1
