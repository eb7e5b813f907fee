"""The open-data package, ready to publish: its publisher, DCAT-AP.de 2.0 (official SHACL shapes), every column, drafts.

The DCAT-AP.de shapes are read at test time from ``../shared/research/dcat-ap-de-2.0-shacl/``
(never copied into the project); the membership of the controlled-vocabulary IRIs the
metadata uses is stated, with its source, in ``exports/vocabularies.ttl`` (see its header).
Expected dates come from :mod:`loaders.provenance`, never written here.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from exports import datapackage, packagedocs, publisher
from exports.dispatch import export
from exports.publisher import Publisher, configured
from loaders import accessions
from loaders.coverage import STATUSES
from loaders.errors import InputError
from loaders.paths import PROJECT_ROOT, SHARED_GEODATA_DIR
from loaders.provenance import data_as_of, data_version
from loaders.viewstate import ViewState
from tests.helpers import sid_atlas
from viewmodel.i18n import format_date

DAY = dt.date(2024, 2, 1)
DETMOLD = ViewState(DAY, region="057")
SHAPES_DIR = SHARED_GEODATA_DIR.parent / "research" / "dcat-ap-de-2.0-shacl"
SHAPES = (
    "dcat-ap_2.1.1_shacl_shapes.ttl",
    "dcat-ap-spec-german-additions.ttl",
    "dcat-ap-konventionen.ttl",
    "dcat-ap-de-deprecated.ttl",
)
VOCABULARIES = PROJECT_ROOT / "exports" / "vocabularies.ttl"
# Namespaces of the controlled vocabularies DCAT-AP.de's shapes check membership in.
CONTROLLED = ("http://dcat-ap.de/def/", "http://publications.europa.eu/resource/authority/", "http://purl.org/adms/")
PUBLISHER = Publisher(
    name="Testbehörde für Gewaltprävention NRW",
    url="https://www.testbehoerde.nrw/",
    email="daten@testbehoerde.nrw",
    base_url="https://daten.testbehoerde.nrw/sicherimdienst/",
)
FLAGS = (
    "--publisher-name",
    PUBLISHER.name,
    "--publisher-url",
    PUBLISHER.url,
    "--contact-email",
    PUBLISHER.email,
    "--base-url",
    PUBLISHER.base_url,
)
NO_ENV = {variable: None for _, variable, _ in publisher.SETTINGS.values()}


def unzip(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(autouse=True)
def no_secrets_file(monkeypatch, tmp_path):
    """Whatever a developer's .streamlit/secrets.toml says, these tests configure the publisher themselves."""
    monkeypatch.setattr(publisher, "SECRETS_PATH", tmp_path / "no-secrets.toml")
    for variable in NO_ENV:
        monkeypatch.delenv(variable, raising=False)


# -- the publisher: configuration, checks, refusal ------------------------------------------------
def test_each_setting_comes_from_the_flag_else_the_environment_else_the_secrets_file(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[publisher]\nname = "Aus der Datei"\nurl = "https://datei.testbehoerde.nrw/"\n'
        'contact_email = "datei@testbehoerde.nrw"\nbase_url = "https://datei.testbehoerde.nrw/daten"\n',
        encoding="utf-8",
    )
    env = {"SID_ATLAS_PUBLISHER_URL": "https://umgebung.testbehoerde.nrw/", "SID_ATLAS_CONTACT_EMAIL": ""}
    p = configured({"name": "Vom Aufruf"}, env=env, secrets_path=secrets)
    assert p == Publisher(
        name="Vom Aufruf",  # the flag
        url="https://umgebung.testbehoerde.nrw/",  # the environment
        email="datei@testbehoerde.nrw",  # an empty variable counts as unset: the file
        base_url="https://datei.testbehoerde.nrw/daten/",  # the file, as a folder
    )
    assert p.complete and configured(env={}, secrets_path=tmp_path / "missing.toml") == Publisher()


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("url", "javascript:alert(1)", "https://"),
        ("url", "https://user:pw@www.testbehoerde.nrw/", "user name or password"),
        ("url", "https://www.testbehoerde.nrw/<script>", "cannot hold"),
        ("url", "https://www.example.org/", "placeholder"),
        ("base_url", "https://daten.test/", "placeholder"),
        ("base_url", "https://daten.testbehoerde.nrw/?x=1", r"without \?query"),
        ("base_url", "https://" + "a" * 600 + ".nrw/", "at most 500"),
        ("email", "daten@example.com", "placeholder"),
        ("email", "nicht eine adresse", "e-mail address"),
        ("name", "", "empty"),
        ("name", "Amt\x00", "control characters"),
        ("name", "x" * 201, "at most 200"),
    ],
)
def test_a_bad_setting_is_one_clear_error(field, value, says):
    with pytest.raises(InputError, match=says) as caught:
        configured({field: value}, env={})
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 300


def test_an_error_names_where_the_bad_value_was_given(tmp_path):
    with pytest.raises(InputError, match=r"^\$SID_ATLAS_BASE_URL: example.org is a placeholder"):
        configured(env={"SID_ATLAS_BASE_URL": "https://example.org/"}, secrets_path=tmp_path / "none.toml")
    with pytest.raises(InputError, match=r"^\[publisher\] contact_email: expected an e-mail address"):
        configured(env={}, secrets={"publisher": {"contact_email": "kein"}})


def test_a_secrets_table_of_the_wrong_shape_is_one_clear_error(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("[publisher]\nname = 42\n", encoding="utf-8")
    with pytest.raises(InputError, match="must be a string"):
        configured(env={}, secrets_path=secrets)
    secrets.write_text("publisher = 'x'\n", encoding="utf-8")
    with pytest.raises(InputError, match="must be a table"):
        configured(env={}, secrets_path=secrets)


def test_without_a_publisher_the_cli_refuses_in_one_line_with_exit_2(tmp_path):
    out = tmp_path / "paket.zip"
    run = sid_atlas("export", "--date", "2024-02-01", "--format", "datapackage", "--out", out, env=NO_ENV)
    assert run.returncode == 2 and not out.exists()
    assert run.stderr.count("\n") == 1 and "--publisher-name" in run.stderr and "--draft" in run.stderr
    half = sid_atlas("export", "--date", "2024-02-01", "--format", "datapackage", "--out", out, *FLAGS[:4], env=NO_ENV)
    assert half.returncode == 2 and "--contact-email, --base-url" in half.stderr and not out.exists()


def test_publisher_flags_belong_to_the_package_only(tmp_path):
    run = sid_atlas("export", "--date", "2024-02-01", "--format", "csv", "--out", tmp_path / "x.csv", "--draft")
    assert run.returncode == 2 and "only for --format datapackage" in run.stderr


def test_the_library_refuses_too(coverage):
    with pytest.raises(InputError, match="needs its publisher"):
        export(coverage, DETMOLD, "datapackage")
    with pytest.raises(InputError, match="--base-url"):
        export(coverage, DETMOLD, "datapackage", publisher=Publisher(name="x", url="https://a.nrw/", email="a@a.nrw"))


# -- a package ready to publish -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def packages(coverage) -> dict[str, dict[str, bytes]]:
    """NRW today (after the Datenstand) and RB Detmold on 1 February 2024, with a complete publisher."""
    today = ViewState(dt.date(2026, 12, 7))
    detmold = export(coverage, DETMOLD, "datapackage", publisher=PUBLISHER)
    assert detmold == export(coverage, DETMOLD, "datapackage", publisher=PUBLISHER)  # identical run to run
    return {"nrw": unzip(export(coverage, today, "datapackage", publisher=PUBLISHER)), "057": unzip(detmold)}


@pytest.fixture(scope="module")
def shapes():
    rdflib = pytest.importorskip("rdflib")
    missing = [name for name in SHAPES if not (SHAPES_DIR / name).is_file()]
    assert not missing, f"the DCAT-AP.de shapes are read from {SHAPES_DIR}; missing: {missing}"
    graph = rdflib.Graph()
    for name in SHAPES:
        graph.parse(SHAPES_DIR / name, format="turtle")
    return graph


def metadata(files: dict[str, bytes]):
    import rdflib

    return rdflib.Graph().parse(data=files["metadata.ttl"].decode("utf-8"), format="turtle")


def shacl_results(graph, shapes) -> list[tuple[str, str]]:
    """(severity, message) of every result of the official shapes on ``graph`` plus the vocabulary statements."""
    pyshacl = pytest.importorskip("pyshacl")
    import rdflib

    data = graph + rdflib.Graph().parse(VOCABULARIES, format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, allow_warnings=True)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    return sorted(
        (str(report.value(r, sh.resultSeverity)).rsplit("#", 1)[1], str(report.value(r, sh.resultMessage)))
        for r in report.subjects(rdflib.RDF.type, sh.ValidationResult)
    )


@pytest.mark.media
@pytest.mark.parametrize("which", ["nrw", "057"])
def test_metadata_has_no_violation_of_the_official_dcat_ap_de_shapes(packages, shapes, which):
    results = shacl_results(metadata(packages[which]), shapes)
    assert [r for r in results if r[0] == "Violation"] == []
    # The one recommendation left: a landing page, which only the publisher can name.
    assert [message[:40] for _, message in results] == ["KXX: dcat:Dataset: dcat:landingPage: Zur"]


@pytest.mark.media
def test_the_shapes_do_find_the_defects_of_the_old_package(shapes):
    """The validation bites: the package as it was (placeholder publisher, Land key) breaks them."""
    import rdflib

    old = """@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
    @prefix dcatde: <http://dcat-ap.de/def/dcatde/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
    <https://daten.testbehoerde.nrw/d> a dcat:Dataset ; dct:title "t" ; dct:description "d" ;
      dcatde:contributorID <http://dcat-ap.de/def/contributors/landNordrheinWestfalen> ;
      dcat:distribution <https://daten.testbehoerde.nrw/d/a.csv> .
    <https://daten.testbehoerde.nrw/d/a.csv> a dcat:Distribution ; dcat:accessURL <https://daten.testbehoerde.nrw/d/a.csv> ;
      dct:format <http://publications.europa.eu/resource/authority/file-type/CSVX> ;
      dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ."""
    violations = [
        m for s, m in shacl_results(rdflib.Graph().parse(data=old, format="turtle"), shapes) if s == "Violation"
    ]
    assert any(m.startswith("K12&13") for m in violations)  # contributor not from the list
    assert any(m.startswith("K36") for m in violations)  # no publisher
    assert any(m.startswith("K32") for m in violations)  # file type not from the vocabulary


@pytest.mark.media
@pytest.mark.parametrize("which", ["nrw", "057"])
def test_every_vocabulary_iri_used_is_stated_with_its_source(packages, which):
    import rdflib

    stated = rdflib.Graph().parse(VOCABULARIES, format="turtle")
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    assert set(stated.predicates()) == {skos.inScheme}  # statements of membership, nothing else
    used = {str(o) for o in metadata(packages[which]).objects() if str(o).startswith(CONTROLLED)}
    assert used and used <= {str(s) for s in stated.subjects()}
    # Each vocabulary block names where its IRIs are taken from.
    text = VOCABULARIES.read_text(encoding="utf-8")
    for scheme in {str(o) for o in stated.objects()}:
        block = text[: text.index(f"<{scheme}>")]
        assert "Source" in block or "mirrored" in block, scheme


@pytest.mark.media
def test_no_placeholder_anywhere_in_the_package(packages):
    for which, files in packages.items():
        for name, content in files.items():
            text = content.decode("utf-8-sig").lower()
            for placeholder in ("example.org", "example.com", "bitte eintragen", "landnordrheinwestfalen"):
                assert placeholder not in text, (which, name, placeholder)
            assert "entwurf" not in name and '"draft": true' not in text, (which, name)


@pytest.mark.media
def test_each_package_names_its_own_area(packages):
    import rdflib

    dcatde = rdflib.Namespace("http://dcat-ap.de/def/dcatde/")
    geo = "http://dcat-ap.de/def/politicalGeocoding/"
    for which, key, level in (
        ("nrw", geo + "stateKey/05", geo + "Level/state"),
        ("057", geo + "governmentDistrictKey/057", None),  # no level of the vocabulary is a Regierungsbezirk's
    ):
        graph = metadata(packages[which])
        dataset = next(graph.subjects(rdflib.RDF.type, rdflib.namespace.DCAT.Dataset))
        assert {str(o) for o in graph.objects(dataset, dcatde.politicalGeocodingURI)} == {key}
        assert {str(o) for o in graph.objects(dataset, rdflib.namespace.DCTERMS.spatial)} == {key}
        assert {str(o) for o in graph.objects(dataset, dcatde.politicalGeocodingLevelURI)} == (
            {level} if level else set()
        )
        assert "stateKey" not in packages["057"]["metadata.ttl"].decode()


@pytest.mark.media
def test_dates_and_version_come_from_the_datenstand_and_the_data_version(coverage, packages):
    import rdflib
    from rdflib.namespace import DCAT, DCTERMS, OWL, RDF

    as_of, version = data_as_of(coverage), data_version(coverage)
    label = f"{version.version}+{version.digest}"
    for which, stichtag in (("nrw", dt.date(2026, 12, 7)), ("057", DAY)):
        files = packages[which]
        graph = metadata(files)
        dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
        assert graph.value(dataset, DCTERMS.modified).toPython() == version.day
        assert graph.value(dataset, DCTERMS.issued).toPython() == version.day
        assert str(graph.value(dataset, OWL.versionInfo)) == label
        period = graph.value(dataset, DCTERMS.temporal)
        # The temporal coverage ends at the Stichtag or the Datenstand, whichever comes first: never at "today".
        assert graph.value(period, DCAT.endDate).toPython() == min(stichtag, as_of.day)
        cff = files["CITATION.cff"].decode()
        assert f"date-released: {version.day.isoformat()}\n" in cff and f'version: "{label}"' in cff
        descriptor = json.loads(files["datapackage.json"])
        assert descriptor["version"] == label and descriptor["data_as_of"]["day"] == as_of.day.isoformat()
        readme = files["README.txt"].decode()
        for text in (readme, cff, str(graph.value(dataset, DCTERMS.description))):
            assert as_of.source in text and version.digest in text
        assert graph.value(dataset, rdflib.URIRef("http://www.w3.org/ns/adms#versionNotes")) is not None
    assert "nach dem Datenstand" in packages["nrw"]["README.txt"].decode()  # 2026 lies after it
    assert "nach dem Datenstand" not in packages["057"]["README.txt"].decode()


@pytest.mark.media
def test_publisher_and_contact_point_are_in_metadata_and_citation(packages):
    import rdflib
    from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

    files = packages["057"]
    graph = metadata(files)
    vcard = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    assert str(dataset) == f"{PUBLISHER.base_url}sicherimdienst-2024-02-01-057/"
    assert str(graph.value(graph.value(dataset, DCTERMS.publisher), FOAF.name)) == PUBLISHER.name
    contact = graph.value(dataset, DCAT.contactPoint)
    assert (contact, RDF.type, vcard.Kind) in graph
    assert str(graph.value(contact, vcard.hasEmail)) == f"mailto:{PUBLISHER.email}"
    for distribution in graph.objects(dataset, DCAT.distribution):
        assert str(graph.value(distribution, DCAT.downloadURL)).startswith(str(dataset))
    cff = files["CITATION.cff"].decode()
    assert f'name: "{PUBLISHER.name}"' in cff and f'email: "{PUBLISHER.email}"' in cff


@pytest.mark.media
def test_every_credit_names_its_licence(packages):
    files = packages["057"]
    credits = files["NAMENSNENNUNG.txt"].decode().splitlines()
    bkg = next(line for line in credits if "GeoBasis-DE / BKG" in line)
    dvg = next(line for line in credits if "Geobasis NRW" in line)
    assert "dl-de/by-2-0" in bkg and "Namensnennung" in bkg and "dl-de/zero-2-0" in dvg and "Zero" in dvg
    geojson = json.loads(files["einheiten.geojson"])
    assert bkg in geojson["attribution"] and dvg in geojson["attribution"]
    ttl = files["metadata.ttl"].decode()
    assert ttl.count(bkg) == ttl.count("a dcat:Distribution") > 0  # licenseAttributionByText of every file
    sources = json.loads(files["datapackage.json"])["sources"]
    assert all("dl-de/" in source["title"] for source in sources)
    assert bkg in files["README.txt"].decode()


# -- every column documented ------------------------------------------------------------------------
@pytest.mark.media
def test_every_column_has_a_description_and_its_codes(packages):
    files = packages["057"]
    descriptor = json.loads(files["datapackage.json"])
    readme = files["README.txt"].decode()
    tables = [r for r in descriptor["resources"] if r.get("profile") == "tabular-data-resource"]
    assert len(tables) == 4
    for resource in tables:
        for field in resource["schema"]["fields"]:
            assert len(field.get("description", "")) > 15, (resource["path"], field["name"])
            assert f"\n{field['name']}: " in readme, field["name"]
    gemeinden = {f["name"]: f for f in tables[0]["schema"]["fields"]}
    assert gemeinden["status"]["constraints"]["enum"] == list(STATUSES["gemeinde"])
    assert "not_yet = " in gemeinden["status"]["description"]
    # Under "documented only", not_yet is explained as "not documented one by one", never as "not a member".
    assert "nicht einzeln belegt" in gemeinden["status"]["description"]


def test_every_code_the_model_makes_has_a_meaning():
    for level, codes in STATUSES.items():
        if level != "land":
            assert set(codes) <= set(packagedocs.STATUS_MEANING), level
    assert set(accessions.KINDS) <= set(packagedocs.KIND_MEANING)
    assert set(packagedocs.event_meaning("de")) >= set(accessions.read_events()["event"]) | {accessions.SEPARATE}
    for lang in ("de", "en"):
        for column in (*packagedocs.UNIT_FIELDS, *packagedocs.ACCESSION_FIELDS):
            assert packagedocs.describe_field(column, "gemeinde" if column in packagedocs.UNIT_FIELDS else None, lang)


@pytest.mark.media
def test_a_body_without_territory_carries_its_seat_not_a_key(packages):
    files = packages["nrw"]
    acc = pd.read_csv(io.BytesIO(files["beitritte.csv"]), sep=";", dtype=str, encoding="utf-8-sig")
    gemeinden = pd.read_csv(io.BytesIO(files["gemeinden.csv"]), sep=";", dtype=str, encoding="utf-8-sig")
    landtag = acc[acc["name"] == "Landtag NRW"].iloc[0]
    assert pd.isna(landtag["key"]) and landtag["sitz_ags"] == "05111000"
    territorial = acc["kind"].isin(list(accessions.TERRITORIAL_KINDS))
    assert acc.loc[~territorial, "key"].isna().all() and acc.loc[territorial, "sitz_ags"].isna().all()
    # The join the README offers attaches only bodies with territory, never the Landtag to Düsseldorf.
    joined = acc.merge(gemeinden, left_on="key", right_on="ags")
    assert set(joined["kind"]) <= set(accessions.TERRITORIAL_KINDS)
    assert "Landtag NRW" not in set(joined["name_x"])


@pytest.mark.media
def test_package_passes_frictionless_validation(packages, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    for name, content in packages["057"].items():
        (tmp_path / name).write_bytes(content)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.mark.media
def test_package_csv_is_semicolon_utf8_with_keys_as_text(packages):
    files = packages["057"]
    descriptor = json.loads(files["datapackage.json"])
    gemeinden = next(r for r in descriptor["resources"] if r["path"] == "gemeinden.csv")
    assert gemeinden["dialect"]["delimiter"] == ";"
    fields = {f["name"]: f["type"] for f in gemeinden["schema"]["fields"]}
    assert fields["ags"] == fields["ars"] == "string"
    lines = files["gemeinden.csv"].decode("utf-8-sig").splitlines()
    assert lines[0].startswith("ags;ars;name;")
    lage = next(line for line in lines if line.startswith("05766040;"))
    assert lage.split(";")[1] == "057660040040"
    assert "\n05766;057660000000;" in files["kreise.csv"].decode("utf-8-sig")
    assert {r["path"] for r in descriptor["resources"]} >= {
        "gemeinden.csv",
        "kreise.csv",
        "regierungsbezirke.csv",
        "beitritte.csv",
        "einheiten.geojson",
        "README.txt",
        "CITATION.cff",
        "NAMENSNENNUNG.txt",
    }


@pytest.mark.media
def test_metadata_has_one_dataset_and_a_distribution_per_file(packages):
    from rdflib.namespace import DCAT, RDF

    files = packages["057"]
    graph = metadata(files)
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 1
    distributions = set(graph.objects(datasets[0], DCAT.distribution))
    assert {str(d).rsplit("/", 1)[1] for d in distributions} == set(files) - {"metadata.ttl"}
    assert all((d, RDF.type, DCAT.Distribution) in graph for d in distributions)


@pytest.mark.media
def test_an_english_view_gives_an_english_package(coverage):
    files = unzip(export(coverage, DETMOLD.with_(lang="en"), "datapackage", publisher=PUBLISHER))
    readme = files["README.txt"].decode()
    as_of = format_date(data_as_of(coverage).day, "en")
    assert "Columns of gemeinden.csv" in readme and f"Data as of: {as_of}" in readme
    descriptor = json.loads(files["datapackage.json"])
    assert descriptor["resources"][0]["schema"]["fields"][0]["description"].startswith("Official municipality key")
    assert "resource/authority/language/ENG" in files["metadata.ttl"].decode()


# -- drafts -------------------------------------------------------------------------------------------
@pytest.mark.media
def test_a_draft_is_marked_in_every_file(coverage, shapes, tmp_path):
    files = unzip(export(coverage, DETMOLD, "datapackage", draft=True))
    data_files = {"gemeinden.csv", "kreise.csv", "regierungsbezirke.csv", "beitritte.csv", "einheiten.geojson"}
    assert {name for name in files if name.startswith("entwurf-")} == {f"entwurf-{n}" for n in data_files}
    for name in ("README.txt", "NAMENSNENNUNG.txt"):
        first = files[name].decode().splitlines()[0]
        assert first.startswith("ENTWURF") and "Herausgeber" in first, name
    assert 'message: "ENTWURF' in files["CITATION.cff"].decode()
    assert 'title: "ENTWURF – ' in files["CITATION.cff"].decode()
    descriptor = json.loads(files["datapackage.json"])
    assert descriptor["draft"] is True and descriptor["title"].startswith("ENTWURF")
    assert descriptor["name"].endswith("-entwurf")
    geojson = json.loads(files["entwurf-einheiten.geojson"])
    assert geojson["draft"] is True and geojson["name"].startswith("ENTWURF")
    ttl = files["metadata.ttl"].decode()
    assert ttl.startswith("# ENTWURF") and '"ENTWURF – ' in ttl
    assert ttl.count("adms:status <http://purl.org/adms/status/UnderDevelopment>") == ttl.count("a dcat:Distribution")
    assert "example.org" not in ttl and "bitte eintragen" not in ttl
    # Not publishable, and the official shapes say exactly why: no publisher (K36).
    import rdflib

    graph = rdflib.Graph().parse(data=ttl, format="turtle", publicID="file:///entwurf/")
    violations = [message[:4] for severity, message in shacl_results(graph, shapes) if severity == "Violation"]
    assert violations == ["K36:"]
    # A draft is still a valid data package.
    frictionless = pytest.importorskip("frictionless")
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    assert frictionless.validate(str(tmp_path / "datapackage.json")).valid


@pytest.mark.media
def test_cli_writes_a_package_with_flags_and_a_draft_without(tmp_path):
    out = tmp_path / "paket.zip"
    run = sid_atlas(
        "export", "--date", "2024-02-01", "--region", "057", "--format", "datapackage", "--out", out, *FLAGS
    )
    assert run.returncode == 0, run.stderr
    files = unzip(out.read_bytes())
    assert "gemeinden.csv" in files and PUBLISHER.name in files["README.txt"].decode()
    draft = tmp_path / "entwurf.zip"
    run = sid_atlas(
        "export", "--date", "2024-02-01", "--region", "057", "--format", "datapackage", "--out", draft, "--draft",
        env=NO_ENV,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "entwurf-gemeinden.csv" in zipfile.ZipFile(draft).namelist()


@pytest.mark.media
def test_cli_takes_the_publisher_from_the_secrets_file(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        "[publisher]\n"
        + "".join(f'{key} = "{getattr(PUBLISHER, field)}"\n' for field, (_, _, key) in publisher.SETTINGS.items()),
        encoding="utf-8",
    )
    monkeypatch.setattr(publisher, "SECRETS_PATH", secrets)
    out = tmp_path / "paket.zip"
    run = sid_atlas("export", "--date", "2024-02-01", "--region", "057", "--format", "datapackage", "--out", out)
    assert run.returncode == 0, run.stderr
    assert PUBLISHER.base_url in zipfile.ZipFile(out).read("metadata.ttl").decode()


def test_the_module_says_where_the_vocabulary_statements_are():
    assert Path(datapackage.__file__).with_name("vocabularies.ttl") == VOCABULARIES and VOCABULARIES.is_file()
