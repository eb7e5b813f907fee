"""``make audit``: the pinned dependencies against the known vulnerabilities, or a clear word that it could not be done.

What is checked
    Every package of ``requirements.lock`` (``pip-audit``, pinned in the lock
    itself, asking PyPI's per-release JSON, whose ``vulnerabilities`` come
    from the OSV database; then OSV's own API) and the vendored JavaScript of
    ``scripts/install_leaflet.sh`` — Leaflet, topojson-client, axe-core —
    (``npm audit`` against the npm registry's advisory endpoint).

Why it may say "not checked"
    No advisory database comes as a package one could install and read
    offline, so this needs those services. Where they do not answer (a
    network with only the package indexes, as this project's CI), pip-audit
    would still print "No known vulnerabilities found" while it skipped every
    package: here a skipped package makes the result "not checked", never
    "clean".

Exit codes: 0 every source answered and nothing is known; 1 a known
vulnerability; 3 a source could not be asked (nothing is claimed).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
ASSETS = ROOT / "scripts" / "install_leaflet.sh"
# The shell variables of install_leaflet.sh that pin a package of the npm registry.
VENDORED = {"LEAFLET": "leaflet", "TOPOJSON_CLIENT": "topojson-client", "AXE_CORE": "axe-core"}


@dataclass
class Result:
    """What one source said: checked or not (and why), and the vulnerabilities it found."""

    source: str
    checked: bool
    found: list[str] = field(default_factory=list)
    reason: str = ""


def vendored_versions(script: str) -> dict[str, str]:
    """Each npm package → its pinned version, from the text of install_leaflet.sh.

    Examples
    --------
    >>> vendored_versions("LEAFLET=1.9.4\\nTOPOJSON_CLIENT=3.1.0\\nAXE_CORE=4.14.1\\n")
    {'leaflet': '1.9.4', 'topojson-client': '3.1.0', 'axe-core': '4.14.1'}
    """
    found = {}
    for variable, package in VENDORED.items():
        match = re.search(rf"^{variable}=([0-9][0-9A-Za-z.+-]*)$", script, re.MULTILINE)
        if match:
            found[package] = match.group(1)
    return found


def read_pip_audit(document: dict, service: str) -> Result:
    """The result of ``pip-audit -f json``: a skipped package means the audit did not happen.

    Examples
    --------
    >>> read_pip_audit({"dependencies": [{"name": "jinja2", "skip_reason": "Dependency not found on PyPI"}]}, "pypi").checked
    False
    >>> read_pip_audit({"dependencies": [{"name": "a", "version": "1", "vulns": [{"id": "PYSEC-1", "fix_versions": ["2"]}]}]}, "osv").found
    ['a 1: PYSEC-1 (fixed in 2)']
    """
    dependencies = document.get("dependencies", [])
    skipped = [d["name"] for d in dependencies if d.get("skip_reason")]
    found = [
        f"{d['name']} {d.get('version', '?')}: {v['id']} (fixed in {', '.join(v.get('fix_versions') or ['–'])})"
        for d in dependencies
        for v in d.get("vulns", [])
    ]
    if skipped or not dependencies:
        reason = f"{service}: {len(skipped)} of {len(dependencies)} packages could not be looked up"
        return Result(f"Python (pip-audit, {service})", False, found, reason)
    return Result(f"Python (pip-audit, {service})", True, found)


def audit_python() -> Result:
    """requirements.lock against PyPI's and OSV's advisories (pip-audit), or why it was not checked."""
    binary = Path(sys.executable).with_name("pip-audit")
    if not binary.exists():
        return Result("Python (pip-audit)", False, reason="pip-audit is not installed (make install)")
    reasons = []
    for service in ("pypi", "osv"):
        done = subprocess.run(
            [str(binary), "-r", str(LOCK), "--require-hashes", "--disable-pip", "--no-deps"]
            + ["--progress-spinner", "off", "-f", "json", "-s", service],
            capture_output=True,
            text=True,
            timeout=900,
        )
        try:
            document = json.loads(done.stdout)
        except ValueError:
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            reason = lines[-1][:200] if lines else f"exit code {done.returncode}"
            reasons.append(f"{service}: {reason}")
            continue
        result = read_pip_audit(document, service)
        if result.checked or result.found:
            return result
        reasons.append(result.reason)
    return Result("Python (pip-audit)", False, reason="; ".join(reasons))


def audit_javascript() -> Result:
    """The vendored JavaScript's pinned versions against npm's advisories (npm audit), or why not checked."""
    versions = vendored_versions(ASSETS.read_text(encoding="utf-8"))
    name = "JavaScript (npm audit: " + ", ".join(f"{p} {v}" for p, v in versions.items()) + ")"
    npm = shutil.which("npm")
    if npm is None:
        return Result(name, False, reason="npm is not installed")
    with tempfile.TemporaryDirectory(prefix="sid-audit-") as folder:
        manifest = {"name": "sid-atlas-vendored", "version": "0.0.0", "private": True, "dependencies": versions}
        (Path(folder) / "package.json").write_text(json.dumps(manifest), encoding="utf-8")
        locked = subprocess.run(
            [npm, "install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if locked.returncode != 0:
            return Result(name, False, reason=(locked.stderr.strip().splitlines() or ["npm install failed"])[-1][:200])
        done = subprocess.run([npm, "audit", "--json"], cwd=folder, capture_output=True, text=True, timeout=300)
    try:
        document = json.loads(done.stdout)
    except ValueError:
        document = {}
    if "vulnerabilities" not in document:
        message = document.get("error", {}).get("summary") if isinstance(document.get("error"), dict) else None
        stderr = [line for line in done.stderr.splitlines() if line.strip()]
        return Result(name, False, reason=(message or (stderr[0] if stderr else "no answer"))[:200])
    found = [
        f"{package}: {', '.join(str(v.get('title', v) if isinstance(v, dict) else v) for v in info.get('via', []))}"
        for package, info in document["vulnerabilities"].items()
    ]
    return Result(name, True, found)


def main() -> int:
    """Both audits, one line each; 0 clean, 1 vulnerable, 3 not checked."""
    results = [audit_python(), audit_javascript()]
    for result in results:
        if not result.checked:
            print(f"NOT CHECKED  {result.source}: {result.reason}")
        elif result.found:
            print(f"VULNERABLE   {result.source}:")
        else:
            print(f"ok           {result.source}: no known vulnerabilities")
        for line in result.found:
            print(f"    {line}")
    if any(result.found for result in results):
        return 1
    if not all(result.checked for result in results):
        print(
            "make audit could not ask an advisory database from here, so it claims nothing. Run it where "
            "PyPI's per-release JSON API (or OSV's API) and the npm registry's advisory endpoint answer "
            "(see CONTRIBUTING.md, Dependencies)."
        )
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
