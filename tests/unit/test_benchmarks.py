"""The pure part of ``make bench``: ratios, verdicts, table and JSON on fake numbers.

No server, no browser, no timing: wall-clock limits are never asserted in tests.
"""

from __future__ import annotations

import json

from benchmarks import report
from benchmarks.report import Series

FAKE = {
    "geometry_raw": {"baseline": Series([4_400_000]), "ours": Series([279_000])},
    "geometry_gzip": {"baseline": Series([1_750_000]), "ours": Series([120_000])},
    "server_rerun": {"baseline": Series([2100.0, 2300.0, 2200.0]), "ours": Series([40.0, 60.0, 50.0])},
    "page_open": {"baseline": Series([4000.0]), "ours": Series(error="dashboard/app.py not found")},
}


def by_key(rows):
    return {row["metric"].key: row for row in rows}


def test_ratio_is_baseline_over_ours_of_medians():
    rows = by_key(report.rows(FAKE))
    assert rows["server_rerun"]["ratio"] == 2200.0 / 50.0
    assert rows["geometry_raw"]["ratio"] == 4_400_000 / 279_000
    assert rows["page_open"]["ratio"] is None      # ours missing: no ratio, not a crash
    assert rows["change"]["ratio"] is None          # not measured at all


def test_verdicts_use_inclusive_targets_and_say_when_unmeasured():
    rows = by_key(report.rows(FAKE))
    assert rows["geometry_raw"]["verdict"] == "pass"
    assert rows["geometry_gzip"]["verdict"] == "FAIL"          # 120 KB > 100 KB
    assert rows["server_rerun"]["baseline_verdict"] == "FAIL"
    assert rows["page_open"]["verdict"] == "n/a"
    assert rows["ws_open"]["verdict"] == ""                   # context row, no target
    exactly = {"server_rerun": {"ours": Series([100.0])}}
    assert by_key(report.rows(exactly))["server_rerun"]["verdict"] == "pass"


def test_table_has_one_line_per_metric_with_values_and_verdicts():
    table = report.format_table(report.rows(FAKE)).splitlines()
    assert len(table) == 2 + len(report.METRICS)
    rerun = next(line for line in table if line.startswith("Server rerun"))
    assert "(median of 3)" in rerun and "2200 ms [FAIL]" in rerun and "50 ms" in rerun and "44.0x" in rerun
    assert rerun.endswith("pass")
    gzip_line = next(line for line in table if line.startswith("Geometry to browser (gzip)"))
    assert "1.75 MB" in gzip_line and "120.0 KB" in gzip_line and gzip_line.endswith("FAIL")


def test_json_keeps_samples_errors_targets_and_machine():
    doc = report.to_json(report.rows(FAKE), machine={"cores": 2, "cpu_model": "fake", "python": "3.11"},
                         notes=["n"], settings={"opens": 1})
    text = json.dumps(doc)                      # must be serialisable as written by __main__
    metrics = {m["key"]: m for m in json.loads(text)["metrics"]}
    assert metrics["server_rerun"]["ours"]["samples"] == [40.0, 60.0, 50.0]
    assert metrics["server_rerun"]["ours"]["median"] == 50.0
    assert metrics["server_rerun"]["target"] == 100 and metrics["server_rerun"]["pass"] is True
    assert metrics["geometry_gzip"]["pass"] is False
    assert metrics["page_open"]["ours"]["error"] == "dashboard/app.py not found"
    assert metrics["page_open"]["pass"] is None
    assert doc["machine"]["cores"] == 2 and doc["schema"] == report.SCHEMA_VERSION


def test_machine_info_names_cores_cpu_and_python():
    info = report.machine_info()
    assert info["cores"] >= 1 and info["python"].count(".") == 2 and "cpu_model" in info
