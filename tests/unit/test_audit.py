"""``make audit`` (scripts/audit.py) without the network: what it reads, and that a skipped package is never "clean"."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from loaders.paths import PROJECT_ROOT


@pytest.fixture(scope="module")
def audit():
    spec = importlib.util.spec_from_file_location("audit", PROJECT_ROOT / "scripts" / "audit.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["audit"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("audit", None)


def test_the_vendored_versions_are_the_ones_install_leaflet_installs(audit):
    script = (PROJECT_ROOT / "scripts" / "install_leaflet.sh").read_text(encoding="utf-8")
    versions = audit.vendored_versions(script)
    assert set(versions) == {"leaflet", "topojson-client", "axe-core"}
    for package, version in versions.items():
        assert f"{package}@{version}" in script  # the comment beside each pinned sha256 names the same release


def test_a_skipped_package_means_not_checked_even_when_nothing_was_found(audit):
    document = {
        "dependencies": [
            {"name": "streamlit", "version": "1.67.0", "vulns": []},
            {"name": "jinja2", "skip_reason": "Dependency not found on PyPI and could not be audited"},
        ]
    }
    result = audit.read_pip_audit(document, "pypi")
    assert not result.checked and "1 of 2" in result.reason and result.found == []
    assert not audit.read_pip_audit({"dependencies": []}, "osv").checked


def test_known_vulnerabilities_are_named_with_their_fix(audit):
    document = {
        "dependencies": [
            {"name": "jinja2", "version": "3.1.2", "vulns": [{"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"]}]},
            {"name": "rich", "version": "14.0", "vulns": []},
        ]
    }
    result = audit.read_pip_audit(document, "osv")
    assert result.checked and result.found == ["jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in 3.1.3)"]


def test_make_test_does_not_run_the_audit():
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    test_target = makefile[makefile.index("\ntest:") : makefile.index("\ntest-fast:")]
    assert "audit" not in test_target and "audit: install" in makefile
