"""The house's floors: every package imports only from the floors below it, and nothing goes round in a circle.

``loaders`` reads and joins; ``register`` keeps the documented accessions (and
chooses between itself and the shipped data, :mod:`register.atlasdata`); the
view model says what a view shows; ``webparts`` holds the files that run in the
browser; ``exports`` writes files, ``dashboard`` draws; ``atlas_cli`` and
``deploy`` wire them up; ``benchmarks`` and ``tests`` stand on top. An import
the other way round would make ``sid-atlas coverage`` load plotting code and tie
a library to its callers.

Read from the source with ``ast``, so a lazy import inside a function counts as
much as one at the top. For circles, an import under ``if TYPE_CHECKING:`` does
not count (it never runs: a type named in an annotation is no dependency at run
time); for the floors it does (a type from a floor above is an arrow up all the same).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

from loaders.paths import PROJECT_ROOT

#: The floors, lowest first: a package may import from its own floor and the ones below.
FLOORS = (
    ("loaders",),
    ("register",),
    ("viewmodel",),
    ("webparts",),
    ("exports",),
    ("dashboard",),
    ("atlas_cli",),
    ("deploy",),
    ("benchmarks",),
    ("tests",),
)
FLOOR = {package: level for level, packages in enumerate(FLOORS) for package in packages}

#: Circles between modules that may stay, each with why (at most one).
ALLOWED_CIRCLES: dict[frozenset[str], str] = {}


def packages(root: Path = PROJECT_ROOT) -> list[str]:
    """The project's top-level packages: every folder beside ``pyproject.toml`` with an ``__init__.py``."""
    return sorted(p.parent.name for p in root.glob("*/__init__.py"))


def modules(root: Path = PROJECT_ROOT) -> dict[str, Path]:
    """Every module of the packages by dotted name (a package by its own name, ``__init__.py`` being its file)."""
    found = {}
    for package in packages(root):
        for path in (root / package).rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _type_checking_lines(tree: ast.AST) -> set[int]:
    """The lines of the imports inside ``if TYPE_CHECKING:`` blocks."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            lines |= {inner.lineno for stmt in node.body for inner in ast.walk(stmt) if hasattr(inner, "lineno")}
    return lines


def imported_modules(
    path: Path, root: Path = PROJECT_ROOT, known: Iterable[str] = (), *, typing: bool = True
) -> list[tuple[int, str]]:
    """Every module an ``import`` or ``from … import`` in ``path`` names, with its line (relative ones resolved).

    ``from package import name`` names ``package.name`` where that is one of the
    ``known`` modules (a submodule), else ``package``. ``typing=False`` leaves out
    the imports under ``if TYPE_CHECKING:``.
    """
    parts = path.relative_to(root).with_suffix("").parts
    package = ".".join(parts[:-1])
    known = set(known)
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skipped = set() if typing else _type_checking_lines(tree)
    names = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skipped:
            continue
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            subs = [f"{module}.{alias.name}" for alias in node.names if f"{module}.{alias.name}" in known]
            if len(subs) < len(node.names):
                names.append((node.lineno, module))
            names += [(node.lineno, sub) for sub in subs]
    return names


def test_imported_modules_sees_lazy_and_relative_imports(tmp_path):
    source = tmp_path / "loaders" / "probe.py"
    source.parent.mkdir()
    source.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import dashboard\n"
        "def f():\n    from exports.render import export\n\nfrom . import store\nimport viewmodel.text\n"
    )
    assert sorted(imported_modules(source, tmp_path, {"loaders.store"})) == [
        (1, "typing"),
        (3, "dashboard"),
        (5, "exports.render"),
        (7, "loaders.store"),
        (8, "viewmodel.text"),
    ]
    assert (3, "dashboard") not in imported_modules(source, tmp_path, typing=False)


def test_every_package_has_its_floor():
    """A new package must be given its floor here before it can be tested (and so before it lands)."""
    assert sorted(FLOOR) == packages()


def imports_against_the_floors(root: Path = PROJECT_ROOT) -> list[str]:
    """Every import of a package from a floor above it, as ``file:line imports module``."""
    found = []
    for name, path in sorted(modules(root).items()):
        here = FLOOR[name.split(".")[0]]
        for line, module in imported_modules(path, root):
            top = module.split(".")[0]
            if top in FLOOR and FLOOR[top] > here:
                found.append(f"{path.relative_to(root)}:{line} imports {module}")
    return found


def test_no_package_imports_from_a_floor_above_it():
    assert imports_against_the_floors() == []


def circles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The circles of a directed graph: its strongly connected parts of two or more nodes (Tarjan), sorted.

    Examples
    --------
    >>> circles({"a": ["b"], "b": ["c", "a"], "c": [], "d": ["d"]})
    [['a', 'b']]
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            part = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                part.append(other)
                if other == node:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def module_graph(root: Path = PROJECT_ROOT) -> dict[str, set[str]]:
    """Which module imports which (the project's own modules only; imports under ``TYPE_CHECKING`` left out)."""
    known = modules(root)
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        for _, module in imported_modules(path, root, known, typing=False):
            while module and module not in known:
                module = module.rpartition(".")[0]
            if module and module != name:
                graph[name].add(module)
    return graph


def package_graph(root: Path = PROJECT_ROOT) -> dict[str, set[str]]:
    """Which package imports which: the module graph seen from the top-level packages."""
    graph: dict[str, set[str]] = {package: set() for package in packages(root)}
    for name, targets in module_graph(root).items():
        graph[name.split(".")[0]] |= {target.split(".")[0] for target in targets} - {name.split(".")[0]}
    return graph


def test_no_circle_between_packages():
    assert circles(package_graph()) == []


def test_at_most_one_circle_between_modules_and_that_one_defended():
    assert len(ALLOWED_CIRCLES) <= 1
    found = [part for part in circles(module_graph()) if frozenset(part) not in ALLOWED_CIRCLES]
    assert found == []


@pytest.mark.parametrize("package", ["loaders", "register"])
def test_the_ground_floors_import_nothing_above_them(package):
    """The two bottom floors by name (what the command line's cost rests on), with the file and line of a slip."""
    assert [slip for slip in imports_against_the_floors() if slip.startswith(f"{package}/")] == []
