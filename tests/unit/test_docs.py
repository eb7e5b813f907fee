"""The documentation as a newcomer meets it: a README that is a front door, ``docs/`` linked and
complete, a CLI reference that is what the parser says, every option and every setting documented,
the licence and the catalogue entry valid.

Each check is also run on a small synthetic case that must fail, so that none of them passes
because it looked at nothing: an option added without help or without ``make docs``, an
environment variable or Streamlit setting added without its line on ``docs/configuration.md``,
a broken link, a ``publiccode.yml`` the standard forbids.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest
import yaml

from atlas_cli.parser import build_parser
from atlas_cli.reference import REFERENCE, render, undocumented
from loaders.paths import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
DOCS = PROJECT_ROOT / "docs"
CONFIGURATION = DOCS / "configuration.md"
STREAMLIT_CONFIG = PROJECT_ROOT / "dashboard" / ".streamlit" / "config.toml"
PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
MARKDOWN = sorted(
    [
        README,
        PROJECT_ROOT / "CONTRIBUTING.md",
        PROJECT_ROOT / "CHANGELOG.md",
        PROJECT_ROOT / "deploy" / "README.md",
        *DOCS.glob("*.md"),
    ]
)
ENV_NAME = re.compile(r"SID_ATLAS_[A-Z0-9_]+")


# -- the front door and the links ------------------------------------------------------------------------------


def test_the_readme_is_a_front_door():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 150
    for must in ("make run", "make test", "](docs/screenshot.png)", "](docs/index.md)", "](LICENSE)"):
        assert must in text, must


def test_every_page_of_docs_is_linked_from_the_index():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    linked = {target for target, _ in links(index)}
    assert {page.name for page in DOCS.glob("*.md")} - {"index.md"} <= linked


_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def links(markdown: str) -> list[tuple[str, str]]:
    """Every relative link of a Markdown text outside code, as (path, anchor); either may be empty."""
    prose = _INLINE_CODE.sub("", _FENCE.sub("", markdown))
    found = []
    for target in _LINK.findall(prose):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto: …
            continue
        path, _, anchor = target.partition("#")
        found.append((path, anchor))
    return found


def slug(heading: str) -> str:
    """A heading's anchor as GitHub writes it: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    return {slug(line.lstrip("#")) for line in _FENCE.sub("", markdown).splitlines() if re.match(r"#{1,6} ", line)}


def broken_links(page: Path) -> list[str]:
    broken = []
    for path, anchor in links(page.read_text(encoding="utf-8")):
        target = (page.parent / path).resolve() if path else page
        if not target.exists():
            broken.append(f"{path}: no such file")
        elif anchor and target.suffix == ".md" and anchor not in anchors(target.read_text(encoding="utf-8")):
            broken.append(f"{path}#{anchor}: no such heading")
    return broken


@pytest.mark.parametrize("page", MARKDOWN, ids=lambda page: str(page.relative_to(PROJECT_ROOT)))
def test_every_relative_link_resolves(page):
    assert broken_links(page) == []


def test_a_broken_link_or_anchor_is_found(tmp_path):
    (tmp_path / "there.md").write_text("# Über die Karte (Einbetten)\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "[a](there.md#über-die-karte-einbetten) [b](missing.md) [c](there.md#nope) [d](https://example.org/x)\n"
        "`[e](in-code.md)`\n```\n[f](in-a-fence.md)\n```\n",
        encoding="utf-8",
    )
    assert broken_links(page) == ["missing.md: no such file", "there.md#nope: no such heading"]


# -- the command line ------------------------------------------------------------------------------------------


def test_the_cli_reference_is_what_the_generator_writes_now():
    written = (PROJECT_ROOT / REFERENCE).read_text(encoding="utf-8")
    assert written == render(), "docs/cli.md is stale: run make docs"


def test_every_command_and_option_has_its_help_text():
    assert undocumented(build_parser()) == []


def _subcommand(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices[name]


def test_an_option_added_without_help_or_without_make_docs_fails():
    written = (PROJECT_ROOT / REFERENCE).read_text(encoding="utf-8")
    parser = build_parser()
    _subcommand(parser, "coverage").add_argument("--brand-new")
    assert undocumented(parser) == ["sid-atlas coverage --brand-new"]
    parser = build_parser()
    _subcommand(parser, "coverage").add_argument("--brand-new", help="explained, but docs/cli.md not rewritten")
    assert undocumented(parser) == []
    assert render(parser) != written and "`--brand-new`" in render(parser)


# -- configuration keys ----------------------------------------------------------------------------------------


def code_folders() -> list[Path]:
    """The shipped packages (pyproject.toml) and the tools beside them: what an operator can run."""
    packages = {name.split(".")[0] for name in PYPROJECT["tool"]["setuptools"]["packages"]}
    return [PROJECT_ROOT / name for name in sorted(packages | {"benchmarks", "scripts"})]


def environment_variables(folders: list[Path]) -> set[str]:
    """Every ``SID_ATLAS_*`` name the code holds as a string of its own (what it reads from the environment)."""
    names = set()
    for folder in folders:
        for source in folder.rglob("*.py"):
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and ENV_NAME.fullmatch(node.value):
                    names.add(node.value)
    return names


def deploy_variables() -> set[str]:
    """The variables the deployment files set (systemd units, the nginx template)."""
    files = [*(PROJECT_ROOT / "deploy").rglob("*.service"), *(PROJECT_ROOT / "deploy").glob("*.template")]
    return {name for path in files for name in ENV_NAME.findall(path.read_text(encoding="utf-8"))}


def streamlit_settings(path: Path) -> set[str]:
    """``section.key`` of every setting in a Streamlit ``config.toml``."""
    config = tomllib.loads(path.read_text(encoding="utf-8"))
    return {f"{section}.{key}" for section, values in config.items() for key in values}


def not_on_the_page(keys: set[str], page: str) -> list[str]:
    return sorted(key for key in keys if f"`{key}`" not in page)


def test_every_environment_variable_the_code_reads_is_documented():
    keys = environment_variables(code_folders()) | deploy_variables()
    assert {"SID_ATLAS_REGISTER_URL", "SID_ATLAS_CACHE", "SID_ATLAS_FRAME_ANCESTORS"} <= keys  # the scan sees them
    assert not_on_the_page(keys, CONFIGURATION.read_text(encoding="utf-8")) == []


def test_the_configuration_page_names_no_variable_nobody_reads():
    read = environment_variables([*code_folders(), PROJECT_ROOT / "tests"]) | deploy_variables()
    assert set(ENV_NAME.findall(CONFIGURATION.read_text(encoding="utf-8"))) - read == set()


def test_every_streamlit_setting_is_documented():
    keys = streamlit_settings(STREAMLIT_CONFIG)
    assert "server.maxUploadSize" in keys
    assert not_on_the_page(keys, CONFIGURATION.read_text(encoding="utf-8")) == []


def settings_file_pairs(folders: list[Path]) -> set[tuple[str, str]]:
    """(variable, key) for every setting the code reads from the environment or else from ``secrets.toml``.

    The code declares such a setting as a tuple of strings holding the variable and the key of its
    ``secrets.toml`` table (``("SID_ATLAS_OPERATOR_NAME", "operator_name")``, with a flag before them
    where the command line has one).
    """
    pairs = set()
    for folder in folders:
        for source in folder.rglob("*.py"):
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Tuple):
                    continue
                words = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
                names = [w for w in words if ENV_NAME.fullmatch(w)]
                keys = [w for w in words if re.fullmatch(r"[a-z][a-z0-9_]*", w)]
                if len(words) == len(node.elts) and len(names) == 1 and len(keys) == 1:
                    pairs.add((names[0], keys[0]))
    return pairs


def not_in_one_row(pairs: set[tuple[str, str]], page: str) -> list[tuple[str, str]]:
    rows = page.splitlines()
    return sorted(pair for pair in pairs if not any(f"`{pair[0]}`" in row and f"`{pair[1]}`" in row for row in rows))


def test_every_secrets_key_is_documented_beside_its_variable():
    pairs = settings_file_pairs(code_folders())
    assert ("SID_ATLAS_OPERATOR_NAME", "operator_name") in pairs and ("SID_ATLAS_BASE_URL", "base_url") in pairs
    assert not_in_one_row(pairs, CONFIGURATION.read_text(encoding="utf-8")) == []


def test_a_variable_or_setting_added_undocumented_fails(tmp_path):
    page = CONFIGURATION.read_text(encoding="utf-8")
    package = tmp_path / "newpackage"
    package.mkdir()
    (package / "module.py").write_text(
        'import os\nNEW_ENV = "SID_ATLAS_BRAND_NEW"\nURL = os.environ.get("SID_ATLAS_REGISTER_URL")\n'
        '"""Docstrings that mention SID_ATLAS_IN_A_SENTENCE are not a read."""\n',
        encoding="utf-8",
    )
    assert environment_variables([package]) == {"SID_ATLAS_BRAND_NEW", "SID_ATLAS_REGISTER_URL"}
    assert not_on_the_page(environment_variables([package]), page) == ["SID_ATLAS_BRAND_NEW"]
    config = tmp_path / "config.toml"
    config.write_text(STREAMLIT_CONFIG.read_text(encoding="utf-8") + "\n[logger]\nlevel = 'info'\n", encoding="utf-8")
    assert not_on_the_page(streamlit_settings(config), page) == ["logger.level"]
    (package / "settings.py").write_text(
        'SETTINGS = {"x": ("--x", "SID_ATLAS_BASE_URL", "base_address"), "y": ("SID_ATLAS_SITE_URL", "site_url")}\n',
        encoding="utf-8",
    )
    pairs = settings_file_pairs([package])
    assert pairs == {("SID_ATLAS_BASE_URL", "base_address"), ("SID_ATLAS_SITE_URL", "site_url")}
    assert not_in_one_row(pairs, page) == [("SID_ATLAS_BASE_URL", "base_address")]


# -- changelog, licence, catalogue entry -----------------------------------------------------------------------


def test_the_changelog_keeps_a_changelog_and_names_the_data_version():
    text = (PROJECT_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    data = tomllib.loads((PROJECT_ROOT / "loaders" / "shipped" / "data-version.toml").read_text(encoding="utf-8"))
    assert text.startswith("# Changelog") and "## [Unreleased]" in text
    assert f"## [{PYPROJECT['project']['version']}]" in text
    assert data["version"] in text and data["digest"] in text


EUPL_ARTICLES = (
    "Definitions",
    "Scope of the rights granted by the Licence",
    "Communication of the Source Code",
    "Limitations on copyright",
    "Obligations of the Licensee",
    "Chain of Authorship",
    "Disclaimer of Warranty",
    "Disclaimer of Liability",
    "Additional agreements",
    "Acceptance of the Licence",
    "Information to the public",
    "Termination of the Licence",
    "Miscellaneous",
    "Jurisdiction",
    "Applicable Law",
)


def test_the_licence_is_the_whole_eupl_1_2():
    text = (PROJECT_ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.lstrip().startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    positions = [text.index(f"\n{number}. {title}\n") for number, title in enumerate(EUPL_ARTICLES, start=1)]
    assert positions == sorted(positions)
    appendix = text.index("\nAppendix\n")
    assert appendix > positions[-1]
    # Article 13 as the Official Journal has it (a widespread plain-text copy drops these words).
    assert "new versions of\nthis Licence or updated versions of the Appendix" in text
    assert "Québec Free and Open-Source Licence" in text[appendix:]
    assert text.rstrip().endswith("require the production of a new\nEUPL version.")
    assert PYPROJECT["project"]["license"] == "EUPL-1.2"


# The publiccode.yml standard (https://yml.publiccode.tools, "The Standard (core)", version 0.4/0.5):
# its mandatory keys, enumerations and value formats, written from its documentation. No maintained
# validator is installable from PyPI (the reference parser, publiccode-parser-go, is a Go program).
DEVELOPMENT_STATUS = {"concept", "development", "beta", "stable", "obsolete"}
SOFTWARE_TYPES = {
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
}
MAINTENANCE_TYPES = {"internal", "contract", "community", "none"}
SCOPES = {
    "agriculture", "culture", "defence", "education", "emergency-services", "employment", "energy", "environment",
    "finance-and-economic-development", "foreign-affairs", "healthcare", "infrastructures", "justice",
    "local-authorities", "manufacturing", "research", "science-and-technology", "security", "society", "sport",
    "tourism", "transportation", "welfare",
}  # fmt: skip
# Of the standard's list of categories, the ones this kind of software could carry; another one is
# checked only as a tag (lower case, hyphens) and must be added here from the standard's list.
CATEGORIES = {
    "data-analytics", "data-collection", "data-visualization", "geographic-information-systems",
    "content-management", "document-management", "knowledge-management", "communications",
}  # fmt: skip
BCP47 = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
URL = re.compile(r"https?://[^\s/]+\.[^\s/]+(/\S*)?")
SPDX = re.compile(r"[A-Za-z0-9.+-]+( (AND|OR) [A-Za-z0-9.+-]+)*")


def publiccode_problems(doc: object, root: Path = PROJECT_ROOT) -> list[str]:
    """What ``doc`` (a parsed publiccode.yml) breaks of the standard's core schema; [] when valid."""
    if not isinstance(doc, dict):
        return ["not a mapping"]
    problems: list[str] = []

    def need(mapping: dict, key: str, kind: type | tuple[type, ...], where: str = "") -> object:
        value = mapping.get(key)
        if value is None:
            problems.append(f"{where}{key}: missing")
        elif not isinstance(value, kind):
            problems.append(f"{where}{key}: not {kind}")
        return value

    version = need(doc, "publiccodeYmlVersion", str)
    if isinstance(version, str) and version not in {"0", "0.4", "0.5"}:
        problems.append(f"publiccodeYmlVersion: {version} is not 0.4 or newer")
    need(doc, "name", str)
    url = need(doc, "url", str)
    if isinstance(url, str) and not URL.fullmatch(url):
        problems.append("url: not a URL")
    platforms = need(doc, "platforms", (list, str))
    if isinstance(platforms, list) and not platforms:
        problems.append("platforms: empty")
    categories = need(doc, "categories", list)
    for category in categories if isinstance(categories, list) else []:
        if category not in CATEGORIES:
            problems.append(f"categories: {category!r} not in the standard's list")
    if need(doc, "developmentStatus", str) not in DEVELOPMENT_STATUS:
        problems.append("developmentStatus: not one of " + ", ".join(sorted(DEVELOPMENT_STATUS)))
    if need(doc, "softwareType", str) not in SOFTWARE_TYPES:
        problems.append("softwareType: not one of the standard's types")
    if "releaseDate" in doc and not DATE.fullmatch(str(doc["releaseDate"])):
        problems.append("releaseDate: not YYYY-MM-DD")
    audience = doc.get("intendedAudience", {}) or {}
    for country in [*audience.get("countries", []), *audience.get("unsupportedCountries", [])]:
        if not re.fullmatch(r"[a-z]{2}", str(country)):
            problems.append(f"intendedAudience: {country!r} is no lower-case ISO 3166-1 alpha-2 code")
    problems += [
        f"intendedAudience/scope: {s!r} not in the standard's list"
        for s in audience.get("scope", [])
        if s not in SCOPES
    ]

    descriptions = need(doc, "description", dict)
    if isinstance(descriptions, dict):
        if not descriptions:
            problems.append("description: no language")
        for lang, text in descriptions.items():
            where = f"description/{lang}/"
            if not BCP47.fullmatch(str(lang)) or not isinstance(text, dict):
                problems.append(f"description: {lang!r} is no BCP 47 language section")
                continue
            short = need(text, "shortDescription", str, where)
            if isinstance(short, str) and len(short) > 150:
                problems.append(f"{where}shortDescription: {len(short)} characters (at most 150)")
            long = text.get("longDescription")
            if long is not None and not (isinstance(long, str) and 150 <= len(long) <= 10000):
                problems.append(f"{where}longDescription: between 150 and 10000 characters")
            for picture in text.get("screenshots", []):
                if not URL.fullmatch(picture) and not (root / picture).is_file():
                    problems.append(f"{where}screenshots: {picture} is not in the repository")
        if not any(isinstance(t, dict) and t.get("longDescription") for t in descriptions.values()):
            problems.append("description: longDescription missing in every language")
        if not any(isinstance(t, dict) and t.get("features") for t in descriptions.values()):
            problems.append("description: features missing in every language")

    legal = need(doc, "legal", dict)
    if isinstance(legal, dict):
        license_ = need(legal, "license", str, "legal/")
        if isinstance(license_, str) and not SPDX.fullmatch(license_):
            problems.append("legal/license: not an SPDX expression")

    maintenance = need(doc, "maintenance", dict)
    if isinstance(maintenance, dict):
        kind = need(maintenance, "type", str, "maintenance/")
        if kind not in MAINTENANCE_TYPES:
            problems.append("maintenance/type: not one of " + ", ".join(sorted(MAINTENANCE_TYPES)))
        if kind in {"internal", "community"}:
            contacts = need(maintenance, "contacts", list, "maintenance/")
            for contact in contacts if isinstance(contacts, list) else []:
                if not isinstance(contact, dict) or not contact.get("name"):
                    problems.append("maintenance/contacts: a contact without a name")
        if kind == "contract":
            contractors = need(maintenance, "contractors", list, "maintenance/")
            for contractor in contractors if isinstance(contractors, list) else []:
                if not contractor.get("name") or not DATE.fullmatch(str(contractor.get("until", ""))):
                    problems.append("maintenance/contractors: each needs a name and until (YYYY-MM-DD)")

    localisation = need(doc, "localisation", dict)
    if isinstance(localisation, dict):
        need(localisation, "localisationReady", bool, "localisation/")
        languages = need(localisation, "availableLanguages", list, "localisation/")
        if isinstance(languages, list) and (not languages or not all(BCP47.fullmatch(str(x)) for x in languages)):
            problems.append("localisation/availableLanguages: BCP 47 tags, at least one")
    for kind, dependencies in (doc.get("dependsOn", {}) or {}).items():
        problems += [f"dependsOn/{kind}: a dependency without a name" for d in dependencies if not d.get("name")]
    return problems


def _publiccode() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "publiccode.yml").read_text(encoding="utf-8"))


def test_publiccode_yml_is_valid_and_says_what_the_project_says():
    doc = _publiccode()
    assert publiccode_problems(doc) == []
    assert doc["softwareVersion"] == PYPROJECT["project"]["version"]
    assert doc["legal"]["license"] == PYPROJECT["project"]["license"]
    # No repository is public yet: the address is a reserved, never-resolving one (RFC 2606), not an invented one.
    assert doc["url"].startswith("https://") and ".invalid/" in doc["url"] and "landingURL" not in doc


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.pop("name"), "name: missing"),
        (lambda d: d.update(developmentStatus="finished"), "developmentStatus: not one of"),
        (lambda d: d["description"]["de"].update(shortDescription="x" * 151), "151 characters (at most 150)"),
        (lambda d: d["maintenance"].pop("contacts"), "maintenance/contacts: missing"),
        (lambda d: d.update(releaseDate=dt.date(2026, 12, 8).strftime("%d.%m.%Y")), "releaseDate: not YYYY-MM-DD"),
        (lambda d: d["intendedAudience"].update(countries=["DE"]), "no lower-case ISO 3166-1"),
        (lambda d: d["description"]["en"].update(screenshots=["docs/missing.png"]), "not in the repository"),
        (lambda d: d.update(publiccodeYmlVersion="0.2"), "is not 0.4 or newer"),
    ],
)
def test_the_publiccode_check_finds_what_the_standard_forbids(change, problem):
    doc = _publiccode()
    change(doc)
    assert any(problem in found for found in publiccode_problems(doc)), publiccode_problems(doc)
