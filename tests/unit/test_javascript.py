"""The components' JavaScript: its unit tests (``node --test tests/js/``, Node's own runner) run in ``make test``.

ESLint checks the same files in ``make lint`` (``eslint.config.mjs``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JS_TESTS = ROOT / "tests" / "js"


def test_the_javascript_unit_tests_pass():
    node = shutil.which("node")
    assert node, "Node.js is needed for the JavaScript tests (apt-get install nodejs), as for make install"
    done = subprocess.run(
        [node, "--test", str(JS_TESTS)], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    passed = re.search(r"^# pass (\d+)$", report, re.M)
    assert passed and int(passed.group(1)) >= 6 and re.search(r"^# fail 0$", report, re.M), report
