"""The app's open-data package: from the configured publisher, or a draft, and the page says which."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from exports import publisher
from tests import helpers

SETTINGS = {
    "SID_ATLAS_PUBLISHER_NAME": "Testbehörde für Gewaltprävention NRW",
    "SID_ATLAS_PUBLISHER_URL": "https://www.testbehoerde.nrw/",
    "SID_ATLAS_CONTACT_EMAIL": "daten@testbehoerde.nrw",
    "SID_ATLAS_BASE_URL": "https://daten.testbehoerde.nrw/sicherimdienst/",
}


@pytest.fixture(autouse=True)
def no_secrets_file(monkeypatch, tmp_path):
    monkeypatch.setattr(publisher, "SECRETS_PATH", tmp_path / "no-secrets.toml")
    for variable in SETTINGS:
        monkeypatch.delenv(variable, raising=False)


def export_section(lang: str = "de", secrets: dict | None = None) -> tuple[set[str], str]:
    app = AppTest.from_file(str(helpers.APP), default_timeout=60)
    for name, value in (secrets or {}).items():
        app.secrets[name] = value
    app.query_params["date"] = "2024-02-01"
    if lang == "en":
        app.query_params["lang"] = "en"
    app.run()
    app.toggle(key="w_export_open").set_value(True).run()
    assert not app.exception, [e.value for e in app.exception]
    labels = {b.proto.label for b in app.get("download_button")}
    note = next(c.value for c in app.caption if "CITATION.cff" in c.value)
    return labels, note


def test_without_configuration_the_package_is_a_draft_and_the_page_says_so():
    labels, note = export_section()
    assert "Open-Data-Paket, Entwurf (ZIP)" in labels and "Open-Data-Paket (ZIP)" not in labels
    assert "ist ein Entwurf" in note and "Herausgeber, Webseite des Herausgebers, Kontakt, Adresse der Dateien" in note


def test_with_the_publisher_configured_the_package_is_ready_to_publish(monkeypatch):
    for variable, value in SETTINGS.items():
        monkeypatch.setenv(variable, value)
    labels, note = export_section()
    assert "Open-Data-Paket (ZIP)" in labels and not [label for label in labels if "Entwurf" in label]
    assert "zur Veröffentlichung bereit" in note and "Testbehörde für Gewaltprävention NRW" in note


def test_an_invalid_setting_gives_a_draft_and_no_detail_on_the_page(monkeypatch):
    for variable, value in SETTINGS.items():
        monkeypatch.setenv(variable, value)
    monkeypatch.setenv("SID_ATLAS_BASE_URL", "https://example.org/")
    labels, note = export_section("en")
    assert "Open-data package, draft (ZIP)" in labels
    assert "settings of the configuration are invalid" in note and "example.org" not in note


def test_the_app_reads_the_publisher_from_its_secrets():
    table = {
        "name": "Testbehörde für Gewaltprävention NRW",
        "url": "https://www.testbehoerde.nrw/",
        "contact_email": "daten@testbehoerde.nrw",
        "base_url": "https://daten.testbehoerde.nrw/sicherimdienst/",
    }
    labels, note = export_section(secrets={"publisher": table})
    assert "Open-Data-Paket (ZIP)" in labels and "zur Veröffentlichung bereit" in note
