"""The register page headless (``AppTest``): who sees which controls, uploads, commits, edits, undos."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import register
from dashboard import register_view, webserver
from register import editors, signin
from tests import helpers

APP = str(helpers.APP)
PAGE = "register_page.py"
# Sign-in with editors' accounts needs no secrets; "connections" only makes the secrets file present.
ACCOUNTS = {"connections": {}}
RETIRED = {"register": {"editor_password": "Rathaus-2024"}}
EDIT_LABELS = {"Übernehmen", "Rückgängig machen", "Änderung speichern", "Abmelden"}
LIST = b"Name;Beitritt\nBielefeld, Stadt;Februar 2023\nKleve;2024\n"

from tests.helpers import HOSTILE_UPLOADS, app_tables  # noqa: E402 -- generated bombs, each refused by the reader


@pytest.fixture
def db(tmp_path, monkeypatch, units):
    """A fresh seeded register for the page, configured as the app finds it: through the environment."""
    url = f"sqlite:///{tmp_path / 'register.sqlite'}"
    register.Register(url, units=units).close()
    monkeypatch.setenv(register.URL_ENV, url)
    return url


def page(secrets: dict, user: dict | None = None, **params) -> AppTest:
    """The register page opened through the app, as its sidebar link does (after the atlas's first run)."""
    app = AppTest.from_file(APP, default_timeout=60)
    app.secrets = secrets
    app.query_params.update(params)
    if user is not None:
        app.user = user
    app.run()  # the first run registers the pages (st.navigation), so the register is found by its file
    app.switch_page(PAGE)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def labels(app: AppTest) -> set[str]:
    return {button.label for button in app.button}


@pytest.fixture
def cookies(monkeypatch):
    """The served app (sign-in endpoint present) and the cookies the page's client sent, set per test.

    AppTest has no HTTP client; the real cookie path is tests/deploy/test_security.py.
    """
    jar: dict[str, str] = {}
    monkeypatch.setattr(webserver, "active", lambda: True)
    monkeypatch.setattr(webserver, "request_cookies", lambda: jar)
    return jar


def sign_in(db, jar: dict, name: str) -> AppTest:
    """What the sign-in endpoint does on the right password: a token in the cookie, its hash in the register."""
    jar[webserver.COOKIE] = signin.succeeded(register.Register(db).engine, name, "127.0.0.1")
    return page(ACCOUNTS)


def save_edit(app: AppTest, left_on: str) -> None:
    next(t for t in app.text_input if t.label.startswith("Austritt")).input(left_on)
    next(b for b in app.button if b.label == "Änderung speichern").click().run()


@pytest.fixture
def account(db):
    """The account anna.beispiel in the page's register."""
    return editors.add(register.Register(db).engine, "anna.beispiel", "Rathaus-Lage-2024", by="cli:test")


def editor(db, jar: dict) -> AppTest:
    engine = register.Register(db).engine
    if not editors.is_active(engine, "anna.beispiel"):
        editors.add(engine, "anna.beispiel", "Rathaus-Lage-2024", by="cli:test")
    return sign_in(db, jar, "anna.beispiel")


def test_the_register_page_speaks_the_atlas_language(db, cookies, account):
    """Opened from an English atlas, every word of the page is English; the sidebar links every page."""
    app = page(ACCOUNTS, lang="en")
    assert app.title[0].value == "Membership register"
    assert [h.value for h in app.header] == ["Members in the register", "History"]
    assert "Sign in to edit" in app.sidebar.markdown[0].value
    assert app_tables(app)[1].value.columns[:5].tolist() == ["No.", "Time (UTC)", "Kind", "File / body", "By"]
    assert app.text_input(key="w_register_search").label == "Search (name, key, source)"
    assert app.toggle(key="w_page_lang").value
    app.toggle(key="w_page_lang").set_value(False).run()  # back to German, the atlas's view too
    assert app.title[0].value == "Mitgliederregister" and app.session_state.page.view.lang == "de"
    assert [link.label for link in app.get("page_link")] == [
        "Abdeckungsatlas",
        "Mitgliederregister",
        "Barrierefreiheit",
        "Leichte Sprache",
    ]


def test_without_sign_in_configured_the_register_is_read_only(db):
    app = page({"connections": {}})  # secrets present, but neither [auth] nor an editor password
    assert app.title[0].value == "Mitgliederregister"
    assert any("schreibgeschützt" in i.value for i in app.sidebar.info)
    assert not app.get("file_uploader") and not labels(app) & EDIT_LABELS
    members, history = app_tables(app)[0].value, app_tables(app)[1].value
    assert members["Name"].tolist() == register.Register(db).table()["name"].tolist()
    assert history["Von"].tolist() == ["seed"]
    assert [t.key for t in app.text_input] == ["w_register_search"]  # no sign-in form, no edit form
    app.text_input(key="w_register_search").input("05766040").run()
    assert app_tables(app)[0].value["Name"].tolist() == ["Stadt Lage"]


def test_viewer_sees_the_register_and_no_edit_controls(db, cookies, account):
    app = page(ACCOUNTS)
    assert not app.get("file_uploader")
    assert not labels(app) & EDIT_LABELS and "Anmelden zum Bearbeiten" in app.sidebar.markdown[0].value
    assert not [s for s in app.selectbox if s.key in ("w_edit_body", "w_undo_entry")]
    assert len(app_tables(app)) == 2 and not app.dataframe  # our tables, never a data grid


def test_without_accounts_the_register_is_read_only_and_says_how_to_make_one(db, cookies):
    app = page(ACCOUNTS)
    assert "sid-atlas editors add" in app.sidebar.info[0].value and not app.get("file_uploader")
    assert not labels(app) & EDIT_LABELS


def test_the_retired_shared_password_switches_editing_off(db, cookies, account):
    app = page(RETIRED)
    assert "abgeschaltet" in app.sidebar.info[0].value and "editor_password" not in app.sidebar.info[0].value
    assert not app.get("file_uploader") and not labels(app) & EDIT_LABELS
    assert not [m for m in app.sidebar.markdown if "Anmelden" in m.value]


def test_a_revoked_account_is_a_viewer_on_its_next_run(db, cookies):
    app = editor(db, cookies)
    assert app.get("file_uploader")
    signin.revoke(register.Register(db).engine, "anna.beispiel", by="cli:chief")
    app.run()
    assert not app.get("file_uploader") and not labels(app) & EDIT_LABELS


def test_without_the_served_endpoint_editing_is_off_with_a_notice(db, account):
    app = page(ACCOUNTS)
    assert "sid-atlas serve" in app.sidebar.warning[0].value and not app.get("file_uploader")


def test_an_unknown_expired_or_signed_out_cookie_is_a_viewer(db, cookies):
    cookies[webserver.COOKIE] = "forged-token"
    assert not page(ACCOUNTS).get("file_uploader")
    app = editor(db, cookies)
    assert app.get("file_uploader")
    next(b for b in app.button if b.label == "Abmelden").click().run()
    assert (
        not app.get("file_uploader")
        and signin.editor_of(register.Register(db).engine, cookies[webserver.COOKIE]) is None
    )


def test_an_editor_previews_and_commits_a_list(db, cookies):
    app = editor(db, cookies)
    assert app.sidebar.success[0].value == "Angemeldet als anna.beispiel"
    app.get("file_uploader")[0].upload("partner.csv", LIST, "text/csv")
    app.run()
    report = app_tables(app)[0].value
    assert report[["Zeile", "Status", "Übernahme"]].values.tolist() == [
        ["1", "ok", "neu"],  # as the page's table shows them (text)
        ["2", "mehrdeutig", "nicht übernommen"],
    ]
    assert "Kreis Kleve (05154)" in report.loc[1, "Kandidaten"]
    assert "1 neu" in app.warning[0].value and "1 Zeile braucht Aufmerksamkeit" in app.warning[0].value
    assert register.Register(db).table().query("key == '05711000'").empty  # a preview writes nothing
    app.button(key="w_commit").click().run()
    assert not app.exception
    assert app.success[0].value.startswith("Import Nr. 2 gespeichert\\: 1 neu")
    members = app_tables(app)[0].value  # the uploader is fresh again: no report above the register
    assert members.set_index("Schlüssel").loc["05711000", "Beitritt"] == "Februar 2023"
    entry = register.Register(db).history(1)[0]
    assert (entry["user_name"], entry["file_name"]) == ("app:anna.beispiel", "partner.csv")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("bild.csv", b"\x89PNG\r\n\x1a\n\x00\x00binary", "not a spreadsheet"),
        ("alt.xlsx", b"PK\x03\x04 not really a zip", "alt.xlsx: not a readable XLSX file"),
        ("leer.csv", b"   \n", "is empty"),
        ("gross.csv", b"Name\n" + b"x" * (register_view.MAX_UPLOAD_MB * 1024 * 1024), "höchstens 5 MB"),
        *HOSTILE_UPLOADS,
    ],
)
def test_bad_uploads_are_refused_with_a_message_and_change_nothing(db, cookies, name, content, message):
    before = register.Register(db).export()
    app = editor(db, cookies)
    app.get("file_uploader")[0].upload(name, content, "application/octet-stream")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert message in app.error[0].value.replace("\\", "")
    assert "/tmp" not in app.error[0].value and "w_commit" not in {b.key for b in app.button}
    assert register.Register(db).export() == before


def test_an_editor_ends_a_membership_and_undoes_it(db, cookies):
    app = editor(db, cookies)
    kreis = register.Register(db).table().query("kind == 'kreis'").iloc[0]
    ident = register.identity("kreis", kreis["key"], kreis["name"])
    app.selectbox(key="w_edit_body").set_value(ident).run()
    save_edit(app, "30.06.2024")
    assert not app.exception and "Änderung gespeichert" in app.success[0].value
    assert register.Register(db).table().set_index("key").loc[kreis["key"], "left_on"] == "2024-06-30"
    assert app_tables(app)[1].value.iloc[0][["Art", "Datei / Körperschaft"]].tolist() == ["Bearbeitung", kreis["name"]]

    app.selectbox(key="w_undo_entry").set_value(2).run()
    app.button(key="w_undo").click().run()
    assert not app.exception and "rückgängig gemacht" in app.success[0].value
    assert register.Register(db).table().set_index("key").loc[kreis["key"], "left_on"] == ""


def test_a_bad_date_in_an_edit_is_a_message(db, cookies):
    app = editor(db, cookies)
    row = register.Register(db).table().query("joined_on != ''").iloc[0]
    app.selectbox(key="w_edit_body").set_value(register.identity(row["kind"], row["key"], row["name"])).run()
    save_edit(app, "31.02.2024")
    assert not app.exception and "no such day" in app.error[0].value


def test_oidc_editors_are_listed_accounts(db):
    oidc = {
        "auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x"},
        "register": {"editors": ["anna@example.org"], "editor_password": "ignored-with-oidc"},
    }
    signed_out = page(oidc, {"is_logged_in": False})
    assert labels(signed_out) == {"Anmelden"} and not signed_out.sidebar.text_input
    listed = page(oidc, {"is_logged_in": True, "email": "Anna@example.org"})
    assert listed.get("file_uploader") and "Abmelden" in labels(listed)
    other = page(oidc, {"is_logged_in": True, "email": "bob@example.org"})
    assert not other.get("file_uploader") and "nicht als Bearbeiter" in other.sidebar.warning[0].value


def test_without_a_register_the_page_says_how_to_configure_one(monkeypatch):
    monkeypatch.setattr(register, "configured_url", lambda explicit=None: None)
    app = page(ACCOUNTS)
    assert "kein Register eingerichtet" in app.info[0].value and not app_tables(app) and not app.dataframe


def statement_page() -> AppTest:
    """The Barrierefreiheit page (its feedback form is the atlas's), opened through the app."""
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    app.switch_page("barrierefreiheit.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def send(app: AppTest, message: str, contact: str = "") -> AppTest:
    app.text_area[0].input(message)
    if contact:
        app.text_input[-1].input(contact)
    next(b for b in app.button if b.label == "Absenden").click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_the_feedback_form_folds_repeats_refuses_hidden_contacts_and_caps_a_session(db):
    from register import feedback

    app = statement_page()
    assert "Ihre Meldung Nr. 1 ist gespeichert" in send(app, "Kontrast zu gering").success[0].value
    assert "liegt schon vor (Nr. 1)" in send(app, "kontrast  zu GERING").success[0].value
    assert "Steuerzeichen (U+202E)" in send(app, "Fokus fehlt", "anna\u202e@example.org").warning[0].value
    for n in range(feedback.PER_SESSION - 2):
        send(app, f"Meldung {n}")
    assert "schon 5 Meldungen" in send(app, "noch eine").warning[0].value
    engine = register.Register(db).engine
    assert feedback.count(engine) == feedback.PER_SESSION - 1 and feedback.newest(engine)[-1]["repeats"] == 2


def test_behind_a_path_prefix_the_embed_link_and_the_feedback_report_name_the_same_page(db):
    """Served below ``/atlas``: the report names the page the iframe shows, both under the prefix."""
    import html
    import re
    from urllib.parse import parse_qsl, urlsplit

    from streamlit import config

    from dashboard import urls
    from register import feedback

    before = config.get_option("server.baseUrlPath")
    config.set_option("server.baseUrlPath", "atlas")
    urls.base_path.cache_clear()
    try:
        app = AppTest.from_file(APP, default_timeout=60)
        app.query_params.update(date="2024-02-01", region="057")
        app.run()
        app.toggle(key="w_embed_open").set_value(True).run()
        src = html.unescape(re.search(r'<iframe src="([^"]+)"', app.code[0].value).group(1))
        send(app, "Kontrast zu gering")
    finally:
        config.set_option("server.baseUrlPath", before)
        urls.base_path.cache_clear()
    (report,) = feedback.newest(register.Register(db).engine)
    embed, reported = urlsplit(src), urlsplit(report["url"])
    assert embed.path == reported.path == "/atlas/"
    assert dict(parse_qsl(reported.query)) == {"date": "2024-02-01", "region": "057"}
    assert set(parse_qsl(reported.query)) <= set(parse_qsl(embed.query))  # the same view, framed


def test_editors_page_through_the_reports(db, cookies):
    from register import feedback

    engine = register.Register(db).engine
    for n in range(feedback.PAGE_SIZE + 7):
        feedback.submit(engine, f"Meldung {n}", "/", address=f"198.51.100.{n}")
    app = editor(db, cookies)
    assert "Meldungen 1–50 von 57" in " ".join(c.value for c in app.caption)
    app.number_input(key="w_feedback_page").set_value(2).run()
    assert "Meldungen 51–57 von 57" in " ".join(c.value for c in app.caption)
    shown = app_tables(app)[-1].value
    assert shown["Meldung"].tolist() == [f"Meldung {n}" for n in reversed(range(7))]
