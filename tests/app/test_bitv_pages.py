"""BITV NRW pages run headless: „Leichte Sprache“ one step from every page, the DGS place, the Erklärung complete.

What a person reads (headings, the link labels, "nicht konfiguriert" where the
deployment has not said who is responsible), with the settings from the
environment the way an operator gives them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import bitv
from tests import helpers

APP = str(helpers.APP)
OPERATOR = {
    "SID_ATLAS_OPERATOR_NAME": "Bezirksregierung Testland",
    "SID_ATLAS_OPERATOR_ADDRESS": "Testweg 1\n40000 Teststadt",
    "SID_ATLAS_OPERATOR_EMAIL": "barrierefreiheit@testbehoerde.nrw",
    "SID_ATLAS_OPERATOR_PHONE": "0211 475-0",
    "SID_ATLAS_SITE_URL": "https://atlas.testbehoerde.nrw/",
    "SID_ATLAS_STATEMENT_REVIEWED": "2026-11-30",
}


@pytest.fixture(autouse=True)
def no_settings(monkeypatch):
    """No operator settings unless a test gives them (the machine's own environment must not leak in)."""
    for variable, _ in bitv.SETTINGS.values():
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(bitv, "_read_secrets", lambda path=None: {})


def page(name: str, **params) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    if name:
        app.switch_page(name).run()
        assert not app.exception, [e.value for e in app.exception]
    return app


def markdown(app: AppTest) -> str:
    return "\n".join(m.value for m in app.markdown)


def links(app: AppTest) -> list[str]:
    return [link.label for link in app.get("page_link")]


def test_leichte_sprache_is_one_step_from_the_atlas_and_in_every_sidebar():
    atlas = page("")
    # The sidebar's four links, and one under the title (the only page link outside the sidebar).
    assert [link.label for link in atlas.sidebar.get("page_link")] == [
        "Abdeckungsatlas",
        "Mitgliederregister",
        "Barrierefreiheit",
        "Leichte Sprache",
    ]
    assert [link.label for link in atlas.main.get("page_link")] == ["Leichte Sprache"]
    assert len(links(atlas)) == 5
    for name in ("register_page.py", "barrierefreiheit.py", "leichte_sprache.py"):
        assert "Leichte Sprache" in [link.label for link in page(name).sidebar.get("page_link")], name


def test_the_page_explains_the_atlas_in_leichter_sprache():
    app = page("leichte_sprache.py")
    assert app.title[0].value == "Leichte Sprache"
    text = markdown(app)
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Was ist auf dieser Internet·seite?",
        "## Was heißt: belegt und abgeleitet?",
        "## Wie benutzen Sie die Seite?",
        "## Ist die Seite barriere·frei?",
        "## Gebärden·sprache",
        "## Mehr Infos",
        "## Hinweis zu diesem Text",
    ]
    # The essentials of the Erklärung come from its list of open failures; the link to it is a page link.
    flat = " ".join(text.split())  # the page sets each sentence of an item on a line of its own
    for failure in bitv.failures():
        if failure.easy:
            assert (failure.easy in flat) == (failure.status == "open"), failure.id
    assert "Barrierefreiheit" in [link.label for link in app.main.get("page_link")]
    # Not checked by a Prüfgruppe, and the page says so; the DGS video is missing, and the page says so.
    assert "Eine Prüf·gruppe muss den Text noch prüfen." in text
    assert "Das Video fehlt noch." in text and not app.get("video")
    assert "Eine E-Mail·adresse und eine Telefon·nummer sind hier noch nicht eingetragen." in text
    assert "<!--" not in text and "{{" not in text
    assert any(b.label == "Absenden" for b in app.button)  # the feedback form


def test_the_english_view_says_in_english_that_the_page_is_german_and_offers_it():
    app = page("leichte_sprache.py", lang="en")
    assert app.title[0].value == "Leichte Sprache (easy-to-read German)"
    assert "German only" in markdown(app) and "Ombuds" not in markdown(app)
    next(b for b in app.button if b.key == "w_easy_german").click().run()
    assert app.title[0].value == "Leichte Sprache" and "Ombuds·stelle" in markdown(app)


def test_the_statement_says_plainly_what_is_not_configured():
    app = page("barrierefreiheit.py")
    text = markdown(app)
    assert "**Adresse nicht konfiguriert**" in text and "**verantwortliche Stelle nicht konfiguriert**" in text
    assert "Weitere Kontaktwege: nicht konfiguriert." in text
    assert "Zuletzt überprüft: 8. Dezember 2026." in text
    assert "www.lbbp.nrw.de/ombudsstelle" in text and "ombudsstelle-barrierefreie-it@mags.nrw.de" in text
    assert "<!--" not in text and "{{" not in text
    # Every open failure is listed, no fixed one.
    for failure in bitv.failures():
        assert (failure.text[0] in text) == (failure.status == "open"), failure.id
    assert "Leichte Sprache" in [link.label for link in app.main.get("page_link")]


def test_the_statement_names_the_configured_body_address_and_contacts(monkeypatch):
    for variable, value in OPERATOR.items():
        monkeypatch.setenv(variable, value)
    text = markdown(page("barrierefreiheit.py"))
    assert "nicht konfiguriert" not in text
    assert "Verantwortlich ist: Bezirksregierung Testland." in text
    assert "[https\\:\\/\\/atlas\\.testbehoerde\\.nrw\\/](https://atlas.testbehoerde.nrw/)" in text
    assert "Post: Testweg 1\\, 40000 Teststadt" in text and "Telefon: 0211 475\\-0" in text
    assert "(mailto:barrierefreiheit@testbehoerde.nrw)" in text
    assert "Zuletzt überprüft: 30. November 2026." in text
    english = markdown(page("barrierefreiheit.py", lang="en"))
    assert (
        "The body responsible is: Bezirksregierung Testland." in english
        and "Last reviewed: 30 November 2026." in english
    )
    easy = markdown(page("leichte_sprache.py"))
    assert "Sie können uns auch schreiben oder anrufen an: Bezirksregierung Testland." in easy


def test_a_placeholder_or_hostile_setting_is_left_out_not_shown(monkeypatch, caplog):
    monkeypatch.setenv("SID_ATLAS_SITE_URL", "https://atlas.example.org/")
    monkeypatch.setenv("SID_ATLAS_OPERATOR_NAME", "[Anmelden](https://evil.test) ![x](http://x/y.png)")
    monkeypatch.setenv("SID_ATLAS_DGS_VIDEO", "/etc/passwd")
    text = markdown(page("barrierefreiheit.py"))
    assert "example.org" not in text and "**Adresse nicht konfiguriert**" in text
    assert "\\[Anmelden\\]\\(https\\:\\/\\/evil\\.test\\)" in text and "](https://evil.test)" not in text
    assert "/etc/passwd" not in text


def test_the_dgs_video_is_shown_with_captions_and_without_autoplay(monkeypatch, tmp_path):
    video, captions = tmp_path / "dgs.mp4", tmp_path / "dgs.vtt"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(64))
    captions.write_text("WEBVTT\n\n00:00.000 --> 00:02.000\nHallo\n", encoding="utf-8")
    monkeypatch.setenv("SID_ATLAS_DGS_VIDEO", str(video))
    app = page("leichte_sprache.py")
    assert "Das Video fehlt noch." in markdown(app)  # captions are required
    monkeypatch.setenv("SID_ATLAS_DGS_CAPTIONS", str(captions))
    app = page("leichte_sprache.py")
    [element] = app.get("video")
    assert element.proto.autoplay is False and element.proto.muted is False
    assert [track.label for track in element.proto.subtitles] == ["Deutsch"]
    assert "Das Video hat Unter·titel." in markdown(app) and "Das Video fehlt noch." not in markdown(app)
    assert "Es gibt noch kein Video in Gebärden·sprache." not in markdown(app)  # its failure is resolved here
    statement = markdown(page("barrierefreiheit.py"))
    assert "ein Video in Deutscher Gebärdensprache (DGS) mit Untertiteln" in statement
    assert "Es gibt noch kein Video in Deutscher Gebärdensprache" not in statement


def test_the_static_embed_has_alt_text_and_both_embeds_link_to_leichte_sprache():
    from exports.dispatch import alt_text
    from loaders.viewstate import ViewState
    from register import atlasdata

    app = page("", iframe="1", static="1", region="057", date="2024-02-01")
    [image] = app.get("image")
    expected = alt_text(atlasdata.load_coverage(), ViewState(dt.date(2024, 2, 1), region="057"))
    assert [img.alt for img in image.proto.imgs] == [expected]
    assert not any(expected in c.value for c in app.caption)  # not read twice
    for params in ({"iframe": "1", "static": "1"}, {"iframe": "1"}):
        footer = markdown(page("", **params))
        assert 'href="/leichte-sprache"' in footer and ">Leichte Sprache</a>" in footer
    assert 'href="/leichte-sprache?lang=en"' in markdown(page("", iframe="1", lang="en"))
