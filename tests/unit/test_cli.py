"""The sid-atlas command line as a user meets it: its output, its exit codes.

Run in this process through ``atlas_cli.main``; the few tests at the end start the real
entry point, for what only a process shows (the exit status the shell sees, ``python -m``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import sid_atlas as run
from tests.helpers import sid_atlas_process


def test_coverage_json_for_detmold_on_its_accession_day():
    result = run(
        "coverage", "--date", "2024-02-01", "--level", "regierungsbezirk", "--region", "057", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert {
        k: row[k]
        for k in (
            "key",
            "name",
            "body_member_since",
            "gemeinden_total",
            "gemeinden_covered",
            "population_total",
            "population_covered",
        )
    } == {
        "key": "057",
        "name": "Detmold",
        "body_member_since": "2024-02-01",
        "gemeinden_total": 70,
        "gemeinden_covered": 70,
        "population_total": 2_087_744,
        "population_covered": 2_087_744,
    }


def test_land_level_is_a_one_element_array():
    result = run("coverage", "--date", "2024-01-31", "--level", "land", "--format", "json")
    (row,) = json.loads(result.stdout)
    assert (row["gemeinden_covered"], row["gemeinden_total"], row["body_member_since"]) == (326, 396, None)


def test_gemeinde_csv_has_a_row_per_gemeinde():
    result = run("coverage", "--date", "2024-02-01", "--level", "gemeinde", "--format", "csv")
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("key,name,level,status,status_text,evidence,new,via,since")
    assert len(lines) == 397


def test_table_output_is_readable():
    result = run("coverage", "--date", "2024-02-01")
    assert "Detmold" in result.stdout and "70 von 70, davon 1 einzeln belegt" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["coverage", "--date", "2024-13-01"], "invalid date '2024-13-01'"),
        (["coverage", "--date", "01.02.2024"], "invalid date '01.02.2024'"),
        (["coverage", "--date", "2024-02-01", "--level", "bezirk"], "invalid choice: 'bezirk'"),
        (["coverage", "--date", "2024-02-01", "--members", "/no/such/file.csv"], "members file not found"),
        (["coverage", "--date", "2024-02-01", "--region", "999"], "unknown region '999'"),
        (["coverage"], "required: --date"),
        (["prepare", "--source", "/no/such/folder", "--no-download"], "not found in /no/such/folder"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_members_file_replaces_the_shipped_data(tmp_path):
    members = tmp_path / "members.csv"
    members.write_text(
        "name,kind,key,joined_on,date_precision,evidence,event,source\n"
        "Stadt Bielefeld,gemeinde,05711000,2023-01-15,day,documented,,Testliste\n",
        encoding="utf-8",
    )
    result = run(
        "coverage",
        "--date",
        "2023-01-20",
        "--level",
        "kreis",
        "--region",
        "057",
        "--evidence",
        "documented",
        "--members",
        str(members),
        "--format",
        "json",
    )
    rows = {r["key"]: r for r in json.loads(result.stdout)}
    assert rows["05711"]["body_member"] is True and rows["05711"]["body_member_since"] == "2023-01-15"
    assert sum(r["gemeinden_covered"] for r in rows.values()) == 1


def test_broken_members_file_is_one_line_naming_the_row(tmp_path):
    members = tmp_path / "members.csv"
    members.write_text(
        "name,kind,key,joined_on,date_precision,evidence,event,source\n"
        "Stadt Bielefeld,gemeinde,05711000,2023-02-30,day,documented,,Testliste\n",
        encoding="utf-8",
    )
    result = run("coverage", "--date", "2024-02-01", "--members", str(members))
    assert result.returncode == 2
    assert "row 1 (Stadt Bielefeld)" in result.stderr and len(result.stderr.strip().splitlines()) == 1


# -- the real entry point -------------------------------------------------------------------
@pytest.mark.process
def test_the_installed_command_exits_with_main_s_code(tmp_path):
    """0 done, 1 rows need attention, 2 bad input: what the shell sees from the entry-point script."""
    command = str(Path(sys.executable).with_name("sid-atlas"))
    ok = subprocess.run(
        [command, "coverage", "--date", "2024-02-01", "--level", "land", "--format", "csv"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0 and ok.stdout.startswith("key,name,"), ok.stderr
    bad = subprocess.run([command, "coverage", "--date", "2024-13-01"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.startswith("sid-atlas: error: ") and bad.stderr.count("\n") == 1
    partly = tmp_path / "list.csv"
    partly.write_text("Name\nHamm\nHamminkel-Nord\n", encoding="utf-8")
    checked = subprocess.run([command, "check", str(partly)], capture_output=True, text=True, timeout=120)
    assert checked.returncode == 1 and "brauchen Aufmerksamkeit" in checked.stdout, checked.stderr


@pytest.mark.process
def test_python_dash_m_atlas_cli_is_the_same_command(tmp_path):
    result = sid_atlas_process("check", tmp_path / "nope.csv", timeout=120)
    assert result.returncode == 2 and "cannot read" in result.stderr and "Traceback" not in result.stderr
    assert sid_atlas_process("--help", timeout=120).stdout.startswith("usage: sid-atlas")


def test_help_is_exit_0_and_unknown_command_exit_2():
    shown = run("--help")
    assert shown.returncode == 0 and "coverage" in shown.stdout
    result = run("nosuchcommand")
    assert result.returncode == 2 and result.stderr.startswith("sid-atlas: error: argument command: invalid choice")
