"""The membership register page: everyone reads it, signed-in editors import, edit and undo.

Viewers see the current memberships and the history, and no control that
changes anything. Editors (see :mod:`dashboard.register_view` for who that
is) upload a partner list, read the per-row check, and commit every usable
row in one transaction; they edit or end one membership and undo an import or
edit. The dashboard follows every change on its next run (it watches the
register's newest entry), so map and figures show the register as it now is.
"""

from __future__ import annotations

import hashlib
import logging
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

# A page is run on its own when opened directly: like app.py, put the project root on sys.path.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.runtime.scriptrunner import get_script_run_ctx  # noqa: E402

import register  # noqa: E402
from dashboard import accessibility, members, webserver  # noqa: E402
from dashboard import register_view as view  # noqa: E402
from loaders.dates import parse_typed_date  # noqa: E402
from loaders.errors import AtlasError  # noqa: E402
from register import feedback, signin  # noqa: E402
from viewmodel.i18n import kind_label  # noqa: E402

LOG = logging.getLogger(__name__)
T = TypeVar("T")
# Streamlit's signed identity cookie after st.login.
OIDC_COOKIE = "_streamlit_user"


# -- configuration and sign-in ----------------------------------------------------------------
@st.cache_resource(show_spinner="Öffne das Register …")
def open_register(url: str) -> register.Register:
    """One connection pool per register and process; a failure is not cached, so it is retried."""
    return register.Register(url)


def session_id() -> str:
    return get_script_run_ctx().session_id


def password_editor(reg: register.Register) -> str | None:
    """The editor whose sign-in cookie this client sent (on this very connection), or None."""
    token = webserver.request_cookies().get(webserver.COOKIE)
    try:
        found = signin.editor_of(reg.engine, token if isinstance(token, str) else None)
    except register.RegisterError:
        LOG.exception("sign-in lookup failed")
        return None
    return found[0] if found else None


def sign_in(config: Mapping, reg: register.Register) -> str | None:
    """Draw sign-in or sign-out in the sidebar; the signed-in editor's name for the log, else None.

    With a password, being signed in is the cookie of this request, looked up
    in the register on every run (see :mod:`register.signin`): a client that
    presents another's session id without the cookie is a viewer. The same
    check guards each change again (:func:`confirmed`).
    """
    bar = st.sidebar
    mode = view.sign_in_mode(config)
    if mode == "oidc":
        # st.user comes from Streamlit's signed cookie; Streamlit refuses to resume a
        # session for a client whose identity differs.
        if not st.user.is_logged_in:
            provider = view.oidc_provider(config)
            bar.button(
                "Anmelden",
                key="w_login",
                icon=":material/login:",
                on_click=st.login,
                args=(provider,) if provider else (),
            )
            return None
        editor = view.oidc_editor(st.user.to_dict(), config)
        who = str(st.user.get("email") or st.user.get("name") or "")
        if editor:
            bar.success(f"Angemeldet als {view.plain(who)}")
        else:
            bar.warning(
                f"Angemeldet als {view.plain(who)}, aber nicht als Bearbeiter:in eingetragen "
                "(`[register] editors` in secrets.toml)."
            )
        bar.button("Abmelden", key="w_logout", icon=":material/logout:", on_click=st.logout)
        return f"oidc:{editor}" if editor else None
    if mode == "password":
        if not webserver.active():
            bar.warning(
                "Bearbeiten ist hier abgeschaltet: die Anmeldung braucht den Server von "
                "`sid-atlas serve` (oder `make run`)."
            )
            return None
        editor = password_editor(reg)
        if editor:
            token = webserver.request_cookies().get(webserver.COOKIE)
            bar.success(f"Angemeldet als {view.plain(editor)}")
            bar.button(
                "Abmelden",
                key="w_logout",
                icon=":material/logout:",
                on_click=lambda: signin.sign_out(reg.engine, token),
            )
            return f"app:{editor}"
        bar.markdown(f"[Anmelden zum Bearbeiten]({webserver.signin_url()})")
        bar.caption(f"Die Anmeldung gilt {signin.SESSION_HOURS} Stunden und nur in diesem Browser.")
        return None
    bar.info("Bearbeiten ist nicht eingerichtet: das Register ist schreibgeschützt.")
    return None


def confirmed(reg: register.Register, editor: str) -> bool:
    """Whether ``editor`` is still signed in right now (not signed out or expired since the run began)."""
    if not editor.startswith("app:") or password_editor(reg) == editor[len("app:") :]:
        return True
    st.error("Die Anmeldung ist abgelaufen oder beendet: nichts gespeichert. Bitte neu anmelden.")
    return False


def lockout_section(reg: register.Register, editor: str) -> None:
    """Locked sign-ins (too many failures), and the button that lifts them."""
    locked = signin.lockouts(reg.engine)
    if not locked:
        return
    st.header("Gesperrte Anmeldungen")
    st.caption(
        f"Nach {signin.LOCKOUT_AFTER} Fehlversuchen ist ein Name oder eine Adresse gesperrt, bis die "
        "Sperre aufgehoben wird oder eine Stunde lang kein Versuch kam."
    )
    st.dataframe(
        [
            {
                "Art": "Name" if row["scope"] == "account" else "Adresse",
                "Wert": row["subject"],
                "Fehlversuche": row["failures"],
            }
            for row in locked
        ],
        hide_index=True,
        key="w_lockouts",
    )
    if st.button("Sperren aufheben", key="w_unlock", icon=":material/lock_open:") and confirmed(reg, editor):
        signin.lift(reg.engine, by=editor)
        changed("Alle Sperren aufgehoben.")


# -- changes -------------------------------------------------------------------------------------
def changed(message: str) -> None:
    """After a commit, edit or undo: say what was done, offer a fresh uploader, show the page anew.

    The dashboard needs no word from here: each of its runs asks the register
    for its newest entry and rebuilds its caches when that changed
    (``follow_register`` in app.py), whichever page, process or command made it.
    """
    state = st.session_state
    state.register_notice = message
    state.upload_round = state.get("upload_round", 0) + 1  # a new uploader: the file is done with
    state.pop("register_preview", None)
    st.rerun()


def attempt(action: Callable[[], T]) -> T | None:
    """Run a change of the register; a failure becomes a visible notice (never a traceback) and None."""
    try:
        return action()
    except register.RegisterError as error:
        if not error.internal:  # unreachable, locked too long, disk full: the message says which
            st.error(view.plain(f"Nichts gespeichert – {error}"))
            return None
        LOG.exception("register failure")
        st.error(f"Das Register meldet einen Fehler; nichts wurde gespeichert. ({view.plain(error)})")
    except AtlasError as error:  # unreadable file, invalid edit …
        st.error(view.plain(f"Nichts gespeichert – {error}"))
    return None


def with_upload(name: str, data: bytes, action: Callable[[str, bytes], T]) -> T | None:
    """Run ``action`` on the upload's name (only its last part) and bytes; on failure show why and return None."""
    name = Path(name).name
    try:
        return attempt(lambda: action(name, data))
    except Exception as error:  # noqa: BLE001 -- a crafted file can break any reader; show it, never a traceback
        LOG.exception("cannot read upload %r", name)
        st.error(
            f"„{view.plain(name)}“ lässt sich nicht als Tabelle lesen: {view.plain(type(error).__name__)}: "
            f"{view.plain(error)}"
        )
    return None


def upload_section(reg: register.Register, editor: str, latest: int | None) -> None:
    state = st.session_state
    st.header("Partnerliste importieren")
    st.caption(
        f"CSV oder XLSX, höchstens {view.MAX_UPLOAD_MB} MB. Jede Zeile wird zuerst geprüft; erst "
        "„Übernehmen“ speichert – alle verwendbaren Zeilen auf einmal. Zeilen, die Aufmerksamkeit "
        "brauchen, werden nicht übernommen."
    )
    upload = st.file_uploader(
        "Partnerliste", type=list(view.UPLOAD_TYPES), key=f"w_upload_{state.get('upload_round', 0)}"
    )
    if upload is None:
        return
    problem = view.upload_problem(upload.name, upload.size)
    if problem:
        st.error(view.plain(problem))
        return
    data = upload.getvalue()
    # The preview depends on the file and on the register; a newer history entry plans it again.
    stamp = (hashlib.sha256(data).hexdigest(), latest)
    cached = state.get("register_preview")
    if cached is None or cached[0] != stamp:
        with st.spinner("Prüfe die Liste …"):
            report = with_upload(upload.name, data, lambda name, content: reg.preview(name, data=content))
        if report is None:
            return
        state.register_preview = cached = (stamp, report)
    report = cached[1]
    summary = report.summary
    how = f"Gelesen als {summary['format'].upper()}"
    if summary.get("delimiter"):
        how += f" (Kodierung {summary['encoding']}, Trennzeichen „{summary['delimiter']}“)"
    st.caption(view.plain(f"{how}, Kopfzeile in Zeile {summary['header_row']}."))
    if summary.get("personal_columns_ignored"):
        st.caption(
            view.plain("Personenbezogene Spalten nicht gelesen: " + ", ".join(summary["personal_columns_ignored"]))
        )
    if summary.get("ignored_columns"):
        st.caption(view.plain("Unbekannte Spalten ignoriert: " + ", ".join(summary["ignored_columns"])))
    (st.warning if summary["needs_attention"] else st.info)(view.plain(view.report_counts(report)))
    st.dataframe(view.report_table(report), hide_index=True, width="stretch", key="w_report")
    changes = report.count("insert") + report.count("update")
    if st.button(
        "Übernehmen",
        key="w_commit",
        type="primary",
        icon=":material/save:",
        disabled=not changes,
        help=None if changes else "Die Liste ändert nichts am Register.",
    ) and confirmed(reg, editor):
        with st.spinner("Speichere …"):
            result = with_upload(upload.name, data, lambda name, content: reg.commit_import(name, editor, data=content))
        if result is not None:
            changed(
                f"Import Nr. {result.import_id} gespeichert: {result.count('insert')} neu, "
                f"{result.count('update')} geändert, {result.count('unchanged')} unverändert."
            )


def edit_section(reg: register.Register, editor: str, table) -> None:
    st.header("Mitgliedschaft bearbeiten oder beenden")
    choices = view.body_choices(table)
    ident = st.selectbox(
        "Körperschaft",
        list(choices),
        index=None,
        key="w_edit_body",
        placeholder="Körperschaft wählen …",
        format_func=lambda i: f"{choices[i]['name']} ({choices[i]['key'] or kind_label(choices[i]['kind'])})",
    )
    if ident is None:
        return
    record = choices[ident]
    # One form per body: its fields start from that body's values.
    with st.form(f"w_edit_{ident}"):
        joined_column, left_column = st.columns(2)
        joined = joined_column.text_input(
            "Beitritt", value=record["joined_on"], help="z. B. 01.02.2024, Februar 2024 oder 2024; leer: unbekannt"
        )
        left = left_column.text_input(
            "Austritt – beendet die Mitgliedschaft", value=record["left_on"], help="leer: weiterhin Mitglied"
        )
        source = st.text_input("Quelle", value=record["source"])
        note = st.text_input("Bemerkung", value=record["note"])
        if not st.form_submit_button("Änderung speichern", icon=":material/edit:") or not confirmed(reg, editor):
            return
    try:
        joined_on, _ = parse_typed_date(joined.strip() or None)
        left_on, _ = parse_typed_date(left.strip() or None)
    except ValueError as error:
        st.error(view.plain(f"Datum nicht lesbar: {error}"))
        return
    entry = attempt(
        lambda: reg.edit_membership(ident, editor, joined_on=joined_on, left_on=left_on, source=source, note=note)
    )
    if entry is not None:
        changed(f"{record['name']}: Änderung gespeichert (Eintrag Nr. {entry}).")


def undo_section(reg: register.Register, editor: str, history: list[dict]) -> None:
    candidates = {e["id"]: e for e in view.undoable(history, register.SEED_USER)}
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    chosen = left.selectbox(
        "Import oder Bearbeitung rückgängig machen",
        list(candidates),
        index=None,
        key="w_undo_entry",
        placeholder="Eintrag wählen …",
        format_func=lambda i: (
            f"Nr. {i} · {view.ENTRY_LABELS[candidates[i]['kind']]} "
            f"{view.entry_subject(candidates[i])} · {candidates[i]['user_name']}"
        ),
    )
    if right.button("Rückgängig machen", key="w_undo", icon=":material/undo:", disabled=chosen is None) and confirmed(
        reg, editor
    ):
        undo_id = attempt(lambda: reg.undo_import(chosen, editor))
        if undo_id is not None:
            changed(f"Eintrag Nr. {chosen} rückgängig gemacht (Eintrag Nr. {undo_id}).")


def history_section(reg: register.Register, history: list[dict]) -> None:
    st.header("Verlauf")
    st.caption("Jeder Import, jede Bearbeitung und jedes Rückgängigmachen, das neueste zuerst.")
    st.dataframe(view.history_table(history), hide_index=True, width="stretch", key="w_history")
    entries = {e["id"]: e for e in history}
    shown = st.selectbox(
        "Änderungen eines Eintrags anzeigen",
        list(entries),
        index=None,
        key="w_history_entry",
        placeholder="Eintrag wählen …",
        format_func=lambda i: (
            f"Nr. {i} · {view.ENTRY_LABELS.get(entries[i]['kind'], '')} {view.entry_subject(entries[i])}"
        ),
    )
    if shown is not None:
        st.dataframe(view.changes_table(reg.changes_of(shown)), hide_index=True, width="stretch")


def feedback_section() -> None:
    """Reports from the form "Barriere oder Fehler melden" (shown to signed-in editors only)."""
    st.header("Meldungen: Barrieren und Fehler")
    try:
        reports = feedback.newest(accessibility.feedback_engine())
    except AtlasError:  # register.RegisterError among them
        LOG.exception("feedback unavailable")
        st.error("Die Meldungen sind gerade nicht lesbar.")
        return
    if not reports:
        st.caption("Keine Meldungen.")
        return
    # A data frame shows every value as text, never as markup: a report cannot inject anything.
    st.dataframe(view.feedback_table(reports), hide_index=True, width="stretch", key="w_feedback")


# -- page ----------------------------------------------------------------------------------------
def main() -> None:
    st.set_page_config(page_title="Mitgliederregister – #sicherimDienst", layout="wide")
    accessibility.page_links(st.sidebar, "de")
    st.title("Mitgliederregister")
    config = webserver.secrets()
    try:
        url = register.configured_url()
        if url is None:
            st.info(
                "Es ist kein Register eingerichtet: das Dashboard zeigt die mitgelieferten Beitrittsdaten. "
                "Einrichten mit `SID_ATLAS_REGISTER_URL` oder `[connections.register]` in "
                "`.streamlit/secrets.toml` (siehe README)."
            )
            return
        reg = open_register(url)
        table, history = reg.table(), reg.history()
    except AtlasError:  # register.RegisterError among them
        # Which database, user and host stays in the log: viewers learn only that it is down.
        LOG.exception("register unavailable")
        st.error("Register nicht erreichbar. Bitte später noch einmal versuchen.")
        return
    editor = sign_in(config, reg)
    # The upload endpoint takes files for this session only with the cookie that signed the editor in.
    cookie = webserver.COOKIE if view.sign_in_mode(config) == "password" else OIDC_COOKIE
    value = webserver.request_cookies().get(cookie)
    if editor is not None and isinstance(value, str) and value:
        webserver.allow_uploads(session_id(), cookie, value)
    else:
        webserver.forbid_uploads(session_id())
    notice = st.session_state.pop("register_notice", None)
    if notice:
        st.success(view.plain(notice))
    if editor is None:
        st.caption("Nur angemeldete Bearbeiter:innen können das Register ändern.")
    else:
        upload_section(reg, editor, history[0]["id"] if history else None)

    st.header("Mitglieder im Register")
    st.caption(f"{len(table)} Organisationen mit dokumentiertem Beitritt (Personen werden nie einzeln geführt).")
    shown = members.search(
        view.memberships_table(table), st.text_input("Suche (Name, Schlüssel, Quelle)", key="w_register_search")
    )
    st.dataframe(shown, hide_index=True, width="stretch", key="w_memberships")
    st.download_button(
        "Register als CSV herunterladen",
        data=reg.export,
        file_name="mitgliederregister.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )
    if editor is not None:
        edit_section(reg, editor, table)
    history_section(reg, history)
    if editor is not None:
        undo_section(reg, editor, history)
        lockout_section(reg, editor)
        feedback_section()


main()
