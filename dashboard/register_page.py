"""The membership register page (``/register``): everyone reads it, signed-in editors import, edit and undo.

Viewers see the current memberships and the history, and no control that
changes anything. Editors (see :mod:`dashboard.register_view` for who that
is) upload a partner list, read the per-row check, and commit every usable
row in one transaction; they edit or end one membership and undo an import or
edit. The dashboard follows every change on its next run (it watches the
register's newest entry), so map and figures show the register as it now is.
Every word is :func:`viewmodel.i18n.t`'s, in the language of
:func:`dashboard.navigation.page_lang`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

import register
from dashboard import accessibility, datatable, urls, webserver
from dashboard import register_view as view
from dashboard.navigation import page_lang
from loaders.accessions import QUOTE_LIMIT
from loaders.dates import parse_typed_date
from loaders.errors import AtlasError
from register import editors, feedback, signin
from viewmodel import memberlist
from viewmodel.i18n import kind_label, t

LOG = logging.getLogger(__name__)
T = TypeVar("T")
# Streamlit's signed identity cookie after st.login.
OIDC_COOKIE = "_streamlit_user"


# -- configuration and sign-in ----------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def open_register(url: str) -> register.Register:
    """One connection pool per register and process; a failure is not cached, so it is retried."""
    return register.Register(url)


def session_id() -> str:
    """The id of this Streamlit session."""
    ctx = get_script_run_ctx()
    if ctx is None:
        raise RuntimeError("the register page runs only inside a Streamlit script run")
    return ctx.session_id


def password_editor(reg: register.Register) -> str | None:
    """The account whose sign-in cookie this client sent (on this very connection), or None."""
    token = webserver.request_cookies().get(webserver.COOKIE)
    try:
        found = signin.editor_of(reg.engine, token if isinstance(token, str) else None)
    except register.RegisterError:
        LOG.exception("sign-in lookup failed")
        return None
    return found[0] if found else None


def accounts_exist(reg: register.Register) -> bool:
    """Whether any editor account may sign in (a database failure counts as none: the page stays read-only)."""
    try:
        return editors.any_active(reg.engine)
    except register.RegisterError:
        LOG.exception("editor accounts unavailable")
        return False


def sign_in(config: Mapping, reg: register.Register, lang: str) -> str | None:
    """Draw sign-in or sign-out in the sidebar; who edits as the change log names it (``app:anna``), else None.

    With accounts, being signed in is the cookie of this request, looked up
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
                t("reg_sign_in", lang),
                key="w_login",
                icon=":material/login:",
                on_click=st.login,
                args=(provider,) if provider else (),
            )
            return None
        editor = view.oidc_editor(st.user.to_dict(), config)
        who = str(st.user.get("email") or st.user.get("name") or "")
        if editor:
            bar.success(t("reg_signed_in", lang, who=view.plain(who)))
        else:
            bar.warning(t("reg_not_editor", lang, who=view.plain(who)))
        bar.button(t("reg_sign_out", lang), key="w_logout", icon=":material/logout:", on_click=st.logout)
        return f"oidc:{editor}" if editor else None
    if mode == "retired":
        # The operator's instruction is in the log (dashboard.webserver); viewers learn only that editing is off.
        bar.info(t("reg_editing_off", lang))
        return None
    if not accounts_exist(reg):
        bar.info(t("reg_no_accounts", lang))
        return None
    if not webserver.active():
        bar.warning(t("reg_no_server", lang))
        return None
    editor = password_editor(reg)
    if editor:
        token = webserver.request_cookies().get(webserver.COOKIE)
        bar.success(t("reg_signed_in", lang, who=view.plain(editor)))

        def sign_out() -> None:
            signin.sign_out(reg.engine, token)

        bar.button(t("reg_sign_out", lang), key="w_logout", icon=":material/logout:", on_click=sign_out)
        return f"app:{editor}"
    bar.markdown(f"[{t('reg_sign_in_link', lang)}]({urls.signin()})")
    bar.caption(t("reg_sign_in_idle", lang, idle=signin.IDLE_MINUTES, hours=signin.SESSION_HOURS))
    return None


def confirmed(reg: register.Register, editor: str, lang: str) -> bool:
    """Whether ``editor`` is still signed in right now (not signed out or expired since the run began)."""
    if not editor.startswith("app:") or password_editor(reg) == editor[len("app:") :]:
        return True
    st.error(t("reg_expired", lang))
    return False


def lockout_section(reg: register.Register, editor: str, lang: str) -> None:
    """Locked sign-ins (too many failures), and the button that lifts them."""
    locked = signin.lockouts(reg.engine)
    if not locked:
        return
    st.header(t("reg_lockouts", lang))
    st.caption(t("reg_lockouts_note", lang, n=signin.LOCKOUT_AFTER))
    frame = pd.DataFrame(
        [
            {
                t("reg_lock_kind", lang): t(
                    "reg_lock_editor" if row["scope"] == "account" else "reg_lock_address", lang
                ),
                t("reg_lock_value", lang): row["subject"],
                t("reg_lock_failures", lang): row["failures"],
            }
            for row in locked
        ]
    )
    datatable.show(
        datatable.Table(frame, t("reg_lockouts", lang), row_header=t("reg_lock_value", lang)), "lockouts", lang
    )
    if st.button(t("reg_unlock", lang), key="w_unlock", icon=":material/lock_open:") and confirmed(reg, editor, lang):
        signin.lift(reg.engine, by=editor)
        changed(t("reg_unlocked", lang))


# -- changes -------------------------------------------------------------------------------------
def changed(message: str) -> None:
    """After a commit, edit or undo: say what was done, offer a fresh uploader, show the page anew.

    The dashboard needs no word from here: each of its runs asks the register
    for its newest entry and rebuilds its caches when that changed
    (:func:`dashboard.caches.follow`), whichever page, process or command made it.
    """
    state = st.session_state
    state.register_notice = message
    state.upload_round = state.get("upload_round", 0) + 1  # a new uploader: the file is done with
    state.pop("register_preview", None)
    st.rerun()


def attempt(action: Callable[[], T], lang: str) -> T | None:
    """Run a change of the register; a failure becomes a visible notice (never a traceback) and None."""
    try:
        return action()
    except register.RegisterError as error:
        if not error.internal:  # unreachable, locked too long, disk full: the message says which
            st.error(view.plain(t("reg_nothing_saved", lang, message=str(error))))
            return None
        LOG.exception("register failure")
        st.error(t("reg_failure", lang, kind=view.plain(error)))
    except AtlasError as error:  # unreadable file, invalid edit …
        st.error(view.plain(t("reg_nothing_saved", lang, message=str(error))))
    return None


def with_upload(name: str, data: bytes, action: Callable[[str, bytes], T], lang: str) -> T | None:
    """Run ``action`` on the upload's name (only its last part) and bytes; on failure show why and return None."""
    name = Path(name).name
    try:
        return attempt(lambda: action(name, data), lang)
    except Exception as error:  # noqa: BLE001 -- a crafted file can break any reader; show it, never a traceback
        LOG.exception("cannot read upload %r", name)
        st.error(
            t(
                "reg_unreadable",
                lang,
                name=view.plain(name),
                kind=view.plain(type(error).__name__),
                error=view.plain(error),
            )
        )
    return None


def upload_section(reg: register.Register, editor: str, latest: int | None, lang: str) -> None:
    """The import: a partner list uploaded, checked, shown and imported on confirmation."""
    state = st.session_state
    st.header(t("reg_import", lang))
    st.caption(t("reg_import_note", lang, mb=view.MAX_UPLOAD_MB))
    upload = st.file_uploader(
        t("reg_upload", lang), type=list(view.UPLOAD_TYPES), key=f"w_upload_{state.get('upload_round', 0)}"
    )
    if upload is None:
        return
    problem = view.upload_problem(upload.name, upload.size, lang)
    if problem:
        st.error(view.plain(problem))
        return
    data = upload.getvalue()
    # The preview depends on the file and on the register; a newer history entry plans it again.
    stamp = (hashlib.sha256(data).hexdigest(), latest)
    cached = state.get("register_preview")
    if cached is None or cached[0] != stamp:
        with st.spinner(t("reg_checking", lang)):
            report = with_upload(
                upload.name, data, lambda name, content: reg.preview(name, data=content, isolated=True), lang
            )
        if report is None:
            return
        state.register_preview = cached = (stamp, report)
    report = cached[1]
    summary = report.summary
    how = t("reg_read_as", lang, format=summary["format"].upper())
    if summary.get("delimiter"):
        how += t("reg_read_csv", lang, encoding=summary["encoding"], delimiter=summary["delimiter"])
    st.caption(view.plain(t("reg_header_row", lang, how=how, row=summary["header_row"])))
    for key, ignored in (
        ("reg_personal_ignored", summary.get("personal_columns_ignored")),
        ("reg_unknown_ignored", summary.get("ignored_columns")),
    ):
        if ignored:
            st.caption(view.plain(t(key, lang, columns=", ".join(ignored))))
    (st.warning if summary["needs_attention"] else st.info)(view.plain(view.report_counts(report, lang)))
    datatable.show(datatable.Table(view.report_table(report, lang), t("reg_report_caption", lang)), "report", lang)
    changes = report.count("insert") + report.count("update")
    if st.button(
        t("reg_commit", lang),
        key="w_commit",
        type="primary",
        icon=":material/save:",
        disabled=not changes,
        help=None if changes else t("reg_commit_nothing", lang),
    ) and confirmed(reg, editor, lang):
        with st.spinner(t("reg_saving", lang)):
            result = with_upload(
                upload.name,
                data,
                lambda name, content: reg.commit_import(name, editor, data=content, isolated=True),
                lang,
            )
        if result is not None:
            changed(
                t(
                    "reg_committed",
                    lang,
                    id=result.import_id,
                    insert=result.count("insert"),
                    update=result.count("update"),
                    unchanged=result.count("unchanged"),
                )
            )


def edit_section(reg: register.Register, editor: str, table, lang: str) -> None:
    """One body's accession edited by hand."""
    st.header(t("reg_edit", lang))
    choices = view.body_choices(table)
    ident = st.selectbox(
        t("reg_body", lang),
        list(choices),
        index=None,
        key="w_edit_body",
        placeholder=t("reg_body_placeholder", lang),
        format_func=lambda i: f"{choices[i]['name']} ({choices[i]['key'] or kind_label(choices[i]['kind'], lang)})",
    )
    if ident is None:
        return
    record = choices[ident]
    # One form per body: its fields start from that body's values.
    with st.form(f"w_edit_{ident}"):
        joined_column, left_column = st.columns(2)
        joined = joined_column.text_input(
            t("reg_joined", lang), value=record["joined_on"], help=t("reg_joined_help", lang)
        )
        left = left_column.text_input(t("reg_left", lang), value=record["left_on"], help=t("reg_left_help", lang))
        source = st.text_input(t("reg_source", lang), value=record["source"])
        quote = st.text_input(
            t("reg_quote", lang), value=record["quote"], max_chars=QUOTE_LIMIT, help=t("reg_quote_help", lang)
        )
        read_column, bound_column = st.columns(2)
        read = read_column.text_input(t("reg_read_on", lang), value=record["read_on"], help=t("reg_read_on_help", lang))
        bound = bound_column.text_input(
            t("reg_not_before", lang), value=record["not_before"], help=t("reg_not_before_help", lang)
        )
        note = st.text_input(t("reg_note", lang), value=record["note"])
        if not st.form_submit_button(t("reg_save_edit", lang), icon=":material/edit:") or not confirmed(
            reg, editor, lang
        ):
            return
    try:
        joined_on, _ = parse_typed_date(joined.strip() or None)
        left_on, _ = parse_typed_date(left.strip() or None)
        read_on, _ = parse_typed_date(read.strip() or None)
        not_before, _ = parse_typed_date(bound.strip() or None)
    except ValueError as error:
        st.error(view.plain(t("reg_bad_date", lang, error=error)))
        return
    values = {"joined_on": joined_on, "left_on": left_on, "source": source, "note": note}
    values |= {"quote": quote, "read_on": read_on, "not_before": not_before}
    entry = attempt(lambda: reg.edit_membership(ident, editor, **values), lang)
    if entry is not None:
        changed(t("reg_edited", lang, name=record["name"], entry=entry))


def undo_section(reg: register.Register, editor: str, history: list[dict], lang: str) -> None:
    """An import or edit undone on confirmation."""
    candidates = {e["id"]: e for e in view.undoable(history, register.SEED_USER)}
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    chosen = left.selectbox(
        t("reg_undo_choice", lang),
        list(candidates),
        index=None,
        key="w_undo_entry",
        placeholder=t("reg_entry_placeholder", lang),
        format_func=lambda i: f"{view.entry_item(candidates[i], lang)} · {candidates[i]['user_name']}",
    )
    clicked = right.button(t("reg_undo", lang), key="w_undo", icon=":material/undo:", disabled=chosen is None)
    if clicked and chosen is not None and confirmed(reg, editor, lang):
        undo_id = attempt(lambda: reg.undo_import(chosen, editor), lang)
        if undo_id is not None:
            changed(t("reg_undone", lang, entry=chosen, undo=undo_id))


def history_section(reg: register.Register, history: list[dict], lang: str) -> None:
    """The register's history as a table, and one entry in full on request."""
    st.header(t("reg_history", lang))
    st.caption(t("reg_history_note", lang))
    number = t("reg_col_no", lang)
    datatable.show(
        datatable.Table(view.history_table(history, lang), t("reg_history", lang), sorted_by=(number, "descending")),
        "history",
        lang,
    )
    entries = {e["id"]: e for e in history}
    shown = st.selectbox(
        t("reg_history_entry", lang),
        list(entries),
        index=None,
        key="w_history_entry",
        placeholder=t("reg_entry_placeholder", lang),
        format_func=lambda i: view.entry_item(entries[i], lang),
    )
    if shown is not None:
        datatable.show(
            datatable.Table(view.changes_table(reg.changes_of(shown), lang), t("reg_changes_caption", lang, id=shown)),
            "changes",
            lang,
        )


def feedback_section(lang: str) -> None:
    """Reports from the form "Barriere oder Fehler melden" (shown to signed-in editors only), page by page."""
    st.header(t("reg_feedback", lang))
    try:
        engine = accessibility.feedback_engine()
        total = feedback.count(engine)
        pages = max(1, -(-total // feedback.PAGE_SIZE))
        number = 1
        if pages > 1:
            number = int(
                st.number_input(
                    t("reg_feedback_page", lang), min_value=1, max_value=pages, value=1, step=1, key="w_feedback_page"
                )
            )
        reports = feedback.page(engine, number)
    except AtlasError:  # register.RegisterError among them
        LOG.exception("feedback unavailable")
        st.error(t("reg_feedback_failed", lang))
        return
    if not reports:
        st.caption(t("reg_feedback_none", lang))
        return
    first = (number - 1) * feedback.PAGE_SIZE + 1
    st.caption(t("reg_feedback_range", lang, first=first, last=first + len(reports) - 1, total=total))
    # A data frame shows every value as text, never as markup: a report cannot inject anything.
    datatable.show(datatable.Table(view.feedback_table(reports, lang), t("reg_feedback", lang)), "feedback", lang)


# -- page ----------------------------------------------------------------------------------------
def main() -> None:
    """The register page: sign-in, import, the members, edits, history, undo, lockouts and feedback."""
    lang = page_lang()
    title = t("page_register", lang)
    st.set_page_config(page_title=f"{title} – #sicherimDienst", layout="wide")
    st.title(title)
    config = webserver.secrets()
    try:
        url = register.configured_url()
        if url is None:
            st.info(t("reg_none", lang))
            return
        with st.spinner(t("reg_opening", lang)):
            reg = open_register(url)
        table, history = reg.table(), reg.history()
    except AtlasError:  # register.RegisterError among them
        # Which database, user and host stays in the log: viewers learn only that it is down.
        LOG.exception("register unavailable")
        st.error(t("reg_unreachable", lang))
        return
    editor = sign_in(config, reg, lang)
    # The upload endpoint takes files for this session only with the cookie that signed the editor in.
    cookie = OIDC_COOKIE if view.sign_in_mode(config) == "oidc" else webserver.COOKIE
    value = webserver.request_cookies().get(cookie)
    if editor is not None and isinstance(value, str) and value:
        webserver.allow_uploads(session_id(), cookie, value)
    else:
        webserver.forbid_uploads(session_id())
    notice = st.session_state.pop("register_notice", None)
    if notice:
        st.success(view.plain(notice))
    if editor is None:
        st.caption(t("reg_viewer_note", lang))
    else:
        upload_section(reg, editor, history[0]["id"] if history else None, lang)

    st.header(t("reg_members", lang))
    st.caption(t("reg_members_note", lang, n=len(table)))
    shown = memberlist.search(
        view.memberships_table(table, lang),
        st.text_input(t("reg_search", lang), key="w_register_search"),
        lang,
    )
    # The register's own download (below) is its full dump; the table shows what the search found.
    name = t("col_name", lang)
    datatable.show(
        datatable.Table(
            shown,
            t("reg_members_caption", lang, n=len(shown)),
            row_header=name,
            cell_langs={t("col_source", lang): "de", t("reg_note", lang): "de"},
        ),
        "memberships",
        lang,
    )
    st.download_button(
        t("reg_download", lang),
        data=reg.export,
        file_name="mitgliederregister.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )
    if editor is not None:
        edit_section(reg, editor, table, lang)
    history_section(reg, history, lang)
    if editor is not None:
        undo_section(reg, editor, history, lang)
        lockout_section(reg, editor, lang)
        feedback_section(lang)


if __name__ == "__main__":  # run as a page (dashboard/navigation.py); importing it draws nothing
    main()
