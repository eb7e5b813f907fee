"""The Erklärung's facts and settings (dashboard/bitv.py), and the rules of Leichte Sprache a program can check.

The Leichte-Sprache checks are the machine-checkable part of the rules
(sentence length, Mediopunkt in long words, digits, no Konjunktiv or Genitiv
markers): they keep the text from drifting; they are no substitute for a
Prüfgruppe, and the page says it has not been checked by one.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dashboard import bitv
from loaders.errors import InputError

# -- the one list of known failures ----------------------------------------------------------------
CRITERION = re.compile(r"\d\.\d{1,2}\.\d{1,2}|BITV NRW § \d+ \(\d\)|PDF/UA-1|all")


def test_every_failure_is_complete_in_both_languages():
    entries = bitv.failures()
    assert len({f.id for f in entries}) == len(entries) >= 15
    for entry in entries:
        assert all(CRITERION.fullmatch(c) for c in entry.wcag), entry.id
        assert entry.text[0] and entry.text[1] and entry.text[0] != entry.text[1], entry.id
        assert entry.text[0].endswith((".", "“", ")")) and entry.text[1].endswith((".", "”", ")")), entry.id
        if entry.alternative:
            assert all(entry.alternative), entry.id
    # What the audit leaves to a human or to later work stays open; the exports' fix of this branch is marked fixed.
    status = {f.id: f.status for f in entries}
    assert status["untagged-pdf"] == "fixed"
    assert status["dgs-video"] == status["easy-language-check"] == status["no-user-test"] == "open"


def test_an_incomplete_failure_is_refused(tmp_path):
    path = tmp_path / "maengel.toml"
    path.write_text('[[failure]]\nid = "x"\narea = "map"\nwcag = ["1.1.1"]\nstatus = "open"\nde = "Nur deutsch."\n')
    with pytest.raises(InputError, match="'x' is incomplete"):
        bitv.failures(path)


def test_open_failures_are_listed_by_area_with_criteria_and_alternative():
    text = bitv.failures_markdown("de")
    assert text.startswith("### Karte")
    assert "(WCAG 1.1.1, 1.4.11)" in text and "Alternative: Die „Kartenbeschreibung“" in text
    assert "PDF-Exporte waren ohne Struktur" not in text  # fixed
    assert "(BITV NRW § 17 (2))" in text and "(alle Kriterien)" in text
    english = bitv.failures_markdown("en")
    assert english.startswith("### Map") and "(all criteria)" in english and "Karte" not in english


# -- settings ----------------------------------------------------------------------------------------
def test_environment_wins_over_the_secrets_table():
    secrets = {"accessibility": {"operator_name": "Aus der Datei", "operator_email": "a11y@testbehoerde.nrw"}}
    found = bitv.configured({"SID_ATLAS_OPERATOR_NAME": "Aus der Umgebung"}, secrets)
    assert (found.operator_name, found.operator_email, found.problems) == (
        "Aus der Umgebung",
        "a11y@testbehoerde.nrw",
        (),
    )
    assert not found.operator_complete
    assert bitv.configured({}, {"accessibility": "x"}).problems == ("[accessibility] must be a table",)


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("SID_ATLAS_OPERATOR_EMAIL", "kontakt@example.com", "placeholder address"),
        ("SID_ATLAS_OPERATOR_PHONE", "0211 <script>", "telephone number"),
        ("SID_ATLAS_OPERATOR_ADDRESS", "x" * 301, "at most 300"),
        ("SID_ATLAS_OPERATOR_NAME", "Amt\u202e", "control characters"),
        ("SID_ATLAS_SITE_URL", "javascript:alert(1)", "https://"),
        ("SID_ATLAS_STATEMENT_REVIEWED", "2999-01-01", "in the future"),
        ("SID_ATLAS_STATEMENT_REVIEWED", "gestern", "expected a date"),
        ("SID_ATLAS_DGS_VIDEO", "/etc/passwd", "mp4 or .webm"),
        ("SID_ATLAS_DGS_VIDEO", "/nonexistent/dgs.mp4", "no readable file"),
        ("SID_ATLAS_DGS_CAPTIONS", "/nonexistent/dgs.vtt", "no readable file"),
    ],
)
def test_a_bad_setting_is_left_out_and_named(variable, value, problem):
    found = bitv.configured({variable: value}, {})
    name = next(name for name, (v, _) in bitv.SETTINGS.items() if v == variable)
    assert getattr(found, name) is None
    [message] = found.problems
    assert message.startswith(f"${variable}: ") and problem in message


def test_video_and_captions_must_be_real_files_of_bounded_size(tmp_path):
    video, captions = tmp_path / "dgs.webm", tmp_path / "dgs.vtt"
    video.write_bytes(b"\x1a\x45\xdf\xa3" + bytes(100))
    captions.write_text("Keine Untertitel", encoding="utf-8")
    found = bitv.configured({"SID_ATLAS_DGS_VIDEO": str(video), "SID_ATLAS_DGS_CAPTIONS": str(captions)}, {})
    assert found.dgs_video == video.resolve() and found.dgs_captions is None and not found.dgs_ready
    assert "not a WebVTT file" in found.problems[0]
    captions.write_text("\ufeffWEBVTT\n\n00:00.000 --> 00:01.000\nHallo\n", encoding="utf-8")
    assert bitv.configured({"SID_ATLAS_DGS_VIDEO": str(video), "SID_ATLAS_DGS_CAPTIONS": str(captions)}, {}).dgs_ready
    (tmp_path / "leer.mp4").write_bytes(b"")
    assert "expected 1 byte" in bitv.configured({"SID_ATLAS_DGS_VIDEO": str(tmp_path / "leer.mp4")}, {}).problems[0]
    (tmp_path / "ordner.mp4").mkdir()
    assert bitv.configured({"SID_ATLAS_DGS_VIDEO": str(tmp_path / "ordner.mp4")}, {}).problems


def test_a_configured_dgs_video_resolves_its_failure_on_both_pages(tmp_path):
    ready = bitv.Settings(dgs_video=tmp_path / "dgs.mp4", dgs_captions=tmp_path / "dgs.vtt")
    assert "dgs-video" in {f.id for f in bitv.open_failures(bitv.Settings())}
    assert "dgs-video" not in {f.id for f in bitv.open_failures(ready)}
    assert "Gebärden·sprache" not in bitv.easy_barriers_markdown(bitv.open_failures(ready))


def test_what_is_missing_is_said_not_made_up():
    empty = bitv.Settings()
    for lang, words in (("de", "nicht konfiguriert"), ("en", "not configured")):
        assert bitv.scope_markdown(empty, lang).count(words) == 2
        assert words in bitv.contact_markdown(empty, lang)
    assert bitv.reviewed_words(empty, None, "de") == "nicht angegeben"
    assert bitv.reviewed_words(empty, dt.date(2026, 12, 8), "en") == "8 December 2026"
    given = bitv.Settings(reviewed=dt.date(2026, 11, 30))
    assert bitv.reviewed_words(given, dt.date(2026, 12, 8), "de") == "30. November 2026"


def test_the_templates_have_a_review_date_and_only_known_slots():
    for lang in ("de", "en"):
        reviewed, text = bitv.statement_template(lang)
        assert reviewed is not None and reviewed <= dt.date.today()
        slots = [piece for kind, piece in bitv.split_template(text) if kind == "slot"]
        assert slots == ["scope", "failures", "dgs_state", "easy_link", "reviewed", "contact"], lang
        assert "<!--" not in text
    assert bitv.statement_template("de")[0] == bitv.statement_template("en")[0]
    slots = [piece for kind, piece in bitv.split_template(bitv.easy_template()) if kind == "slot"]
    assert slots == ["barriers", "statement_link", "contact", "dgs"]


# -- Leichte Sprache: the rules a program can check ----------------------------------------------------
# Names, addresses and the words the atlas itself shows (explained in the text) may be long.
LONG_OK = {"Nordrhein-Westfalen", "#sicherimDienst", "sicherimdienst.nrw", "www.lbbp.nrw.de/ombudsstelle"}
KONJUNKTIV = {"würde", "würden", "könnte", "könnten", "hätte", "hätten", "wäre", "wären", "möchte", "sollte", "dürfte"}
NUMBER_WORDS = {"zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf", "hundert"}


def _easy_sentences() -> list[str]:
    text = re.sub(r"\{\{\w+\}\}", "", bitv.easy_template())
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # link texts only
    texts = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    texts += [f.easy for f in bitv.failures() if f.easy]
    texts += bitv.DGS_MISSING.splitlines() + bitv.DGS_READY.splitlines()
    texts.append(bitv.easy_contact_markdown(bitv.Settings()))
    sentences = []
    for line in texts:
        line = re.sub(r"^\s*- ", "", line).replace("**", "")
        sentences += [s for s in re.split(r"(?<=[.?!])\s+", line.strip()) if s]
    return sentences


def test_leichte_sprache_sentences_are_short_and_words_are_split():
    sentences = _easy_sentences()
    assert len(sentences) > 80
    for sentence in sentences:
        words = re.findall(r"[\w·#@./-]+", sentence)
        assert len(words) <= 12, sentence
        for word in words:
            bare = word.strip(".:")
            if bare in LONG_OK or "@" in bare:
                continue
            assert len(bare.replace("·", "")) <= 14 or "·" in bare, (bare, sentence)


def test_leichte_sprache_has_no_konjunktiv_no_genitive_article_and_numbers_as_digits():
    for sentence in _easy_sentences():
        words = {w.lower() for w in re.findall(r"\w+", sentence)}
        assert not words & KONJUNKTIV, sentence
        assert not words & NUMBER_WORDS, sentence
        assert " des " not in f" {sentence.lower()} ", sentence


def test_the_sign_in_page_links_leichte_sprache_too():
    """The one page of the site that Streamlit does not draw (BITV NRW § 17 (2): one step from every page)."""
    from dashboard.navigation import EASY
    from dashboard.webserver import signin_form

    assert f'<a href="/atlas/{EASY.url_path}">Leichte Sprache</a>' in signin_form("/atlas")
