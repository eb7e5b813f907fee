"""The packages' layers: ``loaders`` is the bottom one and imports nothing above it.

The command line (``atlas_cli``), the view model, the exports and the dashboard all build
on ``loaders``; an import the other way round would make ``sid-atlas coverage`` load
plotting code and tie the library to its callers. Read from the source with ``ast``, so a
lazy import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from loaders.paths import PROJECT_ROOT

ABOVE_LOADERS = ("atlas_cli", "dashboard", "exports", "viewmodel")


def imported_modules(path: Path, root: Path = PROJECT_ROOT) -> list[tuple[int, str]]:
    """Every module an ``import`` or ``from … import`` in ``path`` names, with its line (relative ones resolved)."""
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names.append((node.lineno, ".".join([*base, *([node.module] if node.module else [])])))
            else:
                names.append((node.lineno, node.module or ""))
    return names


def test_imported_modules_sees_lazy_and_relative_imports(tmp_path):
    source = tmp_path / "loaders" / "probe.py"
    source.parent.mkdir()
    source.write_text("def f():\n    from exports.render import export\n\nfrom . import store\nimport viewmodel.text\n")
    assert sorted(imported_modules(source, tmp_path)) == [(2, "exports.render"), (4, "loaders"), (5, "viewmodel.text")]


def upward_imports(path: Path) -> list[str]:
    return [
        f"{path.name}:{line} imports {name}"
        for line, name in imported_modules(path)
        if name.split(".")[0] in ABOVE_LOADERS
    ]


@pytest.mark.parametrize("path", sorted((PROJECT_ROOT / "loaders").rglob("*.py")), ids=lambda p: p.name)
def test_loaders_imports_nothing_above_it(path):
    assert upward_imports(path) == []


@pytest.mark.parametrize("path", sorted((PROJECT_ROOT / "register").rglob("*.py")), ids=lambda p: p.name)
def test_the_register_imports_nothing_above_it(path):
    """The register builds on ``loaders`` only; the command line and the dashboard call it."""
    assert upward_imports(path) == []
