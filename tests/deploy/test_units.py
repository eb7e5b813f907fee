"""The shipped systemd units: hardened (``systemd-analyze security`` at most 4.5, the "OK" band) and writable where the server writes.

``systemd-analyze security --offline=true`` reads a unit file without a
running systemd (Debian 12's systemd 252 has it). Without the program the
analysis is skipped with the reason (``.ci/run`` installs it).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dashboard import chartview, mapview
from loaders import paths
from register import config

pytestmark = pytest.mark.deploy

UNITS = Path(__file__).resolve().parents[2] / "deploy" / "systemd"
REPLICA, NGINX = UNITS / "sid-atlas@.service", UNITS / "sid-atlas-nginx.service"
INSTALLED = Path("/opt/sid-atlas")  # where the replica unit expects the checkout
EXPOSURE = re.compile(r"Overall exposure level for \S+: (\d+\.\d+) (\w+)")


def directives(unit: Path, name: str) -> list[str]:
    return [line.split("=", 1)[1] for line in unit.read_text().splitlines() if line.startswith(f"{name}=")]


@pytest.mark.parametrize("unit", [REPLICA, NGINX], ids=lambda unit: unit.name)
def test_systemd_analyze_security_puts_each_unit_in_the_ok_band(unit):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (apt-get install systemd): the units' exposure was not measured")
    done = subprocess.run(
        [analyze, "security", "--offline=true", "--no-pager", str(unit)], capture_output=True, text=True, timeout=60
    )
    found = EXPOSURE.search(done.stdout + done.stderr)
    assert found, done.stdout + done.stderr
    level, band = float(found.group(1)), found.group(2)
    assert level <= 4.5 and band == "OK", f"{unit.name}: {level} {band}\n{done.stdout}"


@pytest.mark.parametrize("unit", [REPLICA, NGINX], ids=lambda unit: unit.name)
def test_each_unit_bounds_memory_tasks_and_addresses(unit):
    assert directives(unit, "MemoryMax") and directives(unit, "TasksMax")
    assert directives(unit, "IPAddressDeny") == ["any"] and directives(unit, "IPAddressAllow") == ["localhost"]
    assert directives(unit, "ProtectSystem") == ["strict"]


def test_the_replica_may_write_exactly_where_the_server_writes_at_run_time(monkeypatch):
    monkeypatch.delenv("SID_ATLAS_CACHE", raising=False)
    root = paths.PROJECT_ROOT
    written = {
        paths.SHIPPED_DIR / "cache",  # loaders.paths.cache_dir: prepared data, per-run caches
        config.DEFAULT_PATH.parent,  # the SQLite register and feedback without a configured database
        mapview.GEOMETRY_DIR,  # the map's geometry files (dashboard/mapview.py)
        chartview.DATA_DIR,  # the charts' data files (dashboard/chartview.py)
    }
    allowed = {Path(p) for line in directives(REPLICA, "ReadWritePaths") for p in line.split()}
    assert allowed == {INSTALLED / folder.relative_to(root) for folder in written}
    assert "sid-atlas serve" in directives(REPLICA, "ExecStart")[0]
    # nginx writes pid, logs and temp folders in its prefix, which is its state directory.
    assert (
        directives(NGINX, "StateDirectory") == ["sid-atlas-nginx"]
        and "-p /var/lib/sid-atlas-nginx" in (directives(NGINX, "ExecStart")[0])
    )
