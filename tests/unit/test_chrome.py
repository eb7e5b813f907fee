"""Streamlit's chrome in the page's language, and the list of everything the product takes from Streamlit's internals.

``dashboard/chrome.py`` rewrites Streamlit's bundles from one table (:data:`viewmodel.i18n.FRONTEND`,
:data:`dashboard.chrome.LOCALES`); an upgrade that renames a text must fail here, not show English
on the German page. ``docs/streamlit-upgrade.md`` lists every place the product depends on
Streamlit's internals; the scans below find them in the code and fail for one the list misses.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import streamlit

from dashboard import chrome, webserver
from loaders.paths import PROJECT_ROOT
from viewmodel.i18n import FRONTEND

STATIC = Path(streamlit.__file__).parent / "static"
CHECKLIST = PROJECT_ROOT / "docs" / "streamlit-upgrade.md"
# What the product is made of (the tests find Streamlit's elements by test id too; they fail on their own).
PRODUCT = ("dashboard", "webparts", "benchmarks", "deploy", "loaders", "viewmodel", "exports", "register", "atlas_cli")
SKIPPED = ("vendor", "geo", "data", "__pycache__")
PUBLIC_MODULES = {"streamlit", "streamlit.components.v1", "streamlit.components.v2", "streamlit.testing.v1"}


@pytest.fixture(scope="module")
def bundles() -> dict[str, bytes]:
    return chrome.translated_bundles(STATIC)


@pytest.fixture(scope="module")
def checklist() -> str:
    return CHECKLIST.read_text(encoding="utf-8")


def product_files(*suffixes: str) -> list[Path]:
    found = []
    for folder in PRODUCT:
        for path in sorted((PROJECT_ROOT / folder).rglob("*")):
            if path.is_file() and path.name.endswith(suffixes) and not set(path.parts) & set(SKIPPED):
                found.append(path)
    return found


def named(name: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


# -- the words ---------------------------------------------------------------------------------------
def test_every_text_and_locale_of_the_table_is_found_in_the_installed_streamlit(bundles):
    """The server refuses to start otherwise; here the same check names what an upgrade renamed."""
    assert bundles, "no bundle rewritten"
    text = "\n".join(body.decode("utf-8") for body in bundles.values())
    for table in FRONTEND.values():
        for german, english in table.values():
            assert chrome._literal(german).split("{")[0] in text, german
            assert chrome._literal(english).split("{")[0] in text, english
    assert text.count(chrome.LOCALE) >= len(chrome.LOCALES)


def test_a_renamed_text_stops_the_start(monkeypatch):
    monkeypatch.setitem(FRONTEND, "index", {**FRONTEND["index"], "`Skip to the main content`": ("Zum Inhalt", "Skip")})
    with pytest.raises(RuntimeError, match="Skip to the main content"):
        chrome.translated_bundles(STATIC)


def test_every_key_is_a_template_literal_and_puts_back_its_placeholders():
    for bundle, table in FRONTEND.items():
        assert list(STATIC.glob(f"static/js/{bundle}.*.js")), f"no bundle {bundle}"
        for key, (german, english) in table.items():
            chrome.rewriting(key, german, english)  # raises for a malformed key or a lost placeholder
            assert german != key.strip("`") or german == english, key  # translated (or the same in both)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed (the browser tests run the bundles)")
def test_the_rewritten_bundles_are_valid_javascript_and_choose_by_the_page_language(bundles, tmp_path):
    for path, body in bundles.items():
        module = tmp_path / (Path(path).stem + ".mjs")
        module.write_bytes(body)
        checked = subprocess.run(["node", "--check", str(module)], capture_output=True, text=True, timeout=60)
        assert checked.returncode == 0, (path, checked.stderr[-500:])
    pattern, replacement = chrome.rewriting("`between ${…} and ${…}.`", "zwischen {0} und {1}.", "from {0} to {1}.")
    code = pattern.sub(replacement, "const n = 1, r = 2; console.log(`between ${n} and ${r}.`);")
    for lang, said in (("de", "zwischen 1 und 2."), ("en", "from 1 to 2.")):
        script = f"globalThis.self = {{document: {{documentElement: {{lang: '{lang}'}}}}}};" + code
        run = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60)
        assert run.stdout.strip() == said, run.stderr


def test_a_tagged_template_is_left_alone():
    text, found = chrome.rewrite("a=css`Print`;b=`Print`;return`Print`", {"`Print`": ("Drucken", "Print")}, {})
    assert text.startswith("a=css`Print`;") and text.count("Drucken") == 2 and found == {"`Print`"}


# -- the shell -----------------------------------------------------------------------------------------
def test_the_shell_speaks_the_page_language_and_has_no_inline_script():
    original = (STATIC / "index.html").read_text(encoding="utf-8")
    for lang, words in (("de", "Bitte JavaScript einschalten"), ("en", "Please turn on JavaScript")):
        shell = chrome.shell(original, "/atlas", lang)
        assert f'<html lang="{lang}">' in shell and words in shell and "<title>#sicherimDienst</title>" in shell
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", shell)
        assert '<link rel="stylesheet" href="/atlas/_sid/seite.css">' in shell
        assert '<script src="/atlas/_sid/seite.js" defer></script>' in shell
    assert chrome.shell_lang("date=2024-02-01&lang=en") == "en" and chrome.shell_lang("lang=de") == "de"
    with pytest.raises(RuntimeError, match="inline script"):
        chrome.shell(original.replace("</head>", "<script>alert(1)</script></head>"))
    with pytest.raises(RuntimeError, match="index.html changed"):
        chrome.shell(original.replace('<html lang="en">', "<html>"))
    for _, (file, _kind) in chrome.SHELL_FILES.items():
        assert file.is_file(), file


# -- the checklist -------------------------------------------------------------------------------------
def streamlit_imports() -> dict[str, set[str]]:
    """Internal Streamlit modules (and the names taken from them) by file."""
    found: dict[str, set[str]] = {}
    for path in product_files(".py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: set[str] = set()
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "streamlit":
                module = node.module or ""
                if module == "streamlit":
                    names = {f"streamlit.{alias.name}" for alias in node.names} - PUBLIC_MODULES
                elif module not in PUBLIC_MODULES:
                    names = {module} | {alias.name for alias in node.names}
            elif isinstance(node, ast.Import):
                names = {alias.name for alias in node.names if alias.name.startswith("streamlit.")} - PUBLIC_MODULES
            if names:
                found.setdefault(str(path.relative_to(PROJECT_ROOT)), set()).update(names)
    return found


def test_the_checklist_names_every_private_import_and_attribute(checklist):
    imports = streamlit_imports()
    assert "dashboard/webserver.py" in imports and "streamlit.net_util" in imports["dashboard/webserver.py"]
    missing = sorted({name for names in imports.values() for name in names if not named(name, checklist)})
    assert not missing, f"docs/streamlit-upgrade.md does not name {missing}"
    # What is taken from those modules: their attributes, and any private attribute in such a file.
    attributes = set()
    for file, names in imports.items():
        text = (PROJECT_ROOT / file).read_text(encoding="utf-8")
        # The names bound in the file: taken from a module, or a module taken from ``streamlit`` itself.
        aliases = {name for name in names if "." not in name}
        aliases |= {name.split(".")[1] for name in names if name.startswith("streamlit.") and name.count(".") == 1}
        for alias in aliases:
            attributes |= set(re.findall(rf"(?<![\w.]){re.escape(alias)}\.(\w+)", text))
        attributes |= {f".{a}" for a in re.findall(r"(?<![\w.])(?!self\b|cls\b)[a-z_]\w*\.(_[a-z]\w*)", text)}
    assert "._get_uvicorn_config_kwargs" in attributes and "get_static_dir" in attributes
    missing = sorted(a for a in attributes if not named(a.lstrip("."), checklist))
    assert not missing, f"docs/streamlit-upgrade.md does not name {missing}"


def test_the_checklist_names_every_selector_on_streamlits_markup(checklist):
    found = set()
    for path in product_files(".css", ".js", ".py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"(?:data-testid[~^$*|]?=\s*[\\\"']*|get_by_test_id\([\"'])(st[A-Z][\w-]*)", text))
        if path.suffix in (".css", ".js") or "<style" in text or "{ display" in text:
            found |= set(re.findall(r"\.(react-aria-[\w-]+|block-container|st[A-Z][\w-]*)\b", text))
            found |= set(re.findall(r"\b(data-(?:focus-visible|rac|collapsed|baseweb)\b)", text))
    assert {"stSidebar", "stPopoverBody", "react-aria-ComboBox", "data-focus-visible"} <= found
    missing = sorted(name for name in found if not named(name, checklist))
    assert not missing, f"docs/streamlit-upgrade.md does not name {missing}"


def test_the_checklist_names_every_configuration_key_path_and_message(checklist):
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    keys = {f"{section}.{key}" for section, values in config.items() for key in values}
    for path in product_files(".py"):
        keys |= set(re.findall(r"get_option\([\"']([\w.]+)[\"']\)", path.read_text(encoding="utf-8")))
    paths = set()
    for path in product_files(".py", ".js", ".template", ".conf"):
        paths |= {f"_stcore/{p}" for p in re.findall(r"_stcore/([\w-]+)", path.read_text(encoding="utf-8"))}
    messages = set(webserver.BACKMSG_POLICY) | set(webserver.BACKEND_OPERATIONS)
    sessions = (PROJECT_ROOT / "benchmarks" / "sessions.py").read_text(encoding="utf-8")
    messages |= set(re.findall(r"(?:kind|element_kind|WhichOneof\(\"type\"\)) == \"(\w+)\"", sessions))
    messages |= {field for pair in re.findall(r"request\.(\w+)\.(\w+)", sessions) for field in pair}
    bundles = set(FRONTEND) | set(chrome.LOCALES)
    assert {"client.toolbarMode", "_stcore/stream", "rerun_script", "script_finished", "DateInput"} <= (
        keys | paths | messages | bundles
    )
    missing = sorted(name for name in keys | paths | messages | bundles if not named(name, checklist))
    assert not missing, f"docs/streamlit-upgrade.md does not name {missing}"


def test_no_page_draws_a_data_grid():
    """Every table is ours (dashboard/datatable.py): no canvas grid, no grid's own "Download as CSV"."""
    for path in product_files(".py"):
        text = path.read_text(encoding="utf-8")
        if path.parent.name == "dashboard" or "streamlit as st" in text:
            assert not re.search(r"\bst\.(dataframe|data_editor|table)\(|\.dataframe\(", text), path
