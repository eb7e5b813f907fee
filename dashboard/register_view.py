"""The register page's decisions and tables, kept apart from Streamlit so they can be tested plainly.

Who may edit
    :func:`sign_in_mode` reads the secrets: ``[auth]`` means OIDC through
    ``st.login`` (the production path); otherwise editors sign in to accounts
    of their own in the register database (:mod:`register.editors`, made with
    ``sid-atlas editors add``), and while there is none the register is
    read-only. An OIDC account edits only when its e-mail address is listed
    in ``[register] editors`` — an identity provider such as Google lets
    anyone sign in, so signing in alone proves nothing about being an editor.
    The shared ``[register] editor_password`` of earlier versions is refused
    (``"retired"``): it named no one.

What is shown
    Tables with plain values, their headers and words in German or English
    (:func:`viewmodel.i18n.t`): the page's tables (:mod:`dashboard.datatable`)
    escape every cell, so names from uploaded files need no escaping here. What the
    partner-list checker says about a row (its messages) comes from
    ``loaders`` in German.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from loaders.accessions import identity
from loaders.dates import precision_of
from register.sheets import LIMITS
from viewmodel.i18n import format_partial, kind_label, t

if TYPE_CHECKING:
    from register.core import ImportReport

# The partner-list reader's own file cap (register.sheets.LIMITS, the same for `sid-atlas check`);
# also Streamlit's server.maxUploadSize (.streamlit/config.toml): the server refuses larger uploads,
# this check says so in words should a bigger file still arrive (another config, a changed limit).
MAX_UPLOAD_MB = LIMITS.file_bytes // 1024 // 1024
UPLOAD_TYPES = ("csv", "xlsx")
# A candidate's level as kind_label names it (the resolver's regierungsbezirk is the kind bezirksregierung).
LEVEL_KINDS = {"regierungsbezirk": "bezirksregierung"}


def action_label(action: str, lang: str = "de") -> str:
    """What committing does to a row (``insert`` …), or "nicht übernommen" for any other.

    Examples
    --------
    >>> action_label("insert"), action_label("", "en")
    ('neu', 'not taken over')
    """
    return t(
        f"reg_action_{action}" if action in ("insert", "update", "unchanged", "delete") else "reg_action_none", lang
    )


def entry_label(action: str, lang: str = "de") -> str:
    """A history entry's kind: Import, Bearbeitung, Rückgängig (an unknown action as it is)."""
    return t(f"reg_entry_{action}", lang) if action in ("import", "edit", "undo") else action


def entry_item(entry: dict, lang: str = "de") -> str:
    """One history entry in a choice list: number, kind, file or body.

    Examples
    --------
    >>> entry_item({"id": 4, "kind": "edit", "file_name": None, "body": "Kleve"}, "en")
    'No. 4 · Edit Kleve'
    """
    return t("reg_entry_item", lang, id=entry["id"], action=entry_label(entry["kind"], lang), file=entry_subject(entry))


# What the operator reads (log, sign-in page) while the shared password is still configured.
RETIRED_PASSWORD = (
    "[register] editor_password is no longer used: create one account per editor with "
    "'sid-atlas editors add NAME', then remove editor_password from .streamlit/secrets.toml"
)


def sign_in_mode(secrets: Mapping) -> str:
    """``"oidc"``, ``"accounts"`` or ``"retired"`` (the shared password, refused), from the app's secrets.

    Examples
    --------
    >>> sign_in_mode({}), sign_in_mode({"register": {"editor_password": "s3cret"}})
    ('accounts', 'retired')
    >>> sign_in_mode({"auth": {"client_id": "atlas"}, "register": {"editor_password": "s3cret"}})
    'oidc'
    """
    if "auth" in secrets:
        return "oidc"
    if _section(secrets, "register").get("editor_password"):
        return "retired"
    return "accounts"


def oidc_editor(user: Mapping, secrets: Mapping) -> str | None:
    """The signed-in OIDC account's e-mail address if it is a listed editor, else None.

    Examples
    --------
    >>> secrets = {"auth": {}, "register": {"editors": ["Anna@Example.org"]}}
    >>> oidc_editor({"is_logged_in": True, "email": "anna@example.org"}, secrets)
    'anna@example.org'
    >>> oidc_editor({"is_logged_in": True, "email": "bob@example.org"}, secrets) is None
    True
    """
    email = str(user.get("email") or "").strip()
    if not user.get("is_logged_in") or not email:
        return None
    listed = {str(entry).strip().casefold() for entry in _section(secrets, "register").get("editors", [])}
    return email if email.casefold() in listed else None


def oidc_provider(secrets: Mapping) -> str | None:
    """The ``[auth.NAME]`` provider named by ``[register] oidc_provider``; None means ``[auth]`` itself."""
    return _section(secrets, "register").get("oidc_provider") or None


def _section(secrets: Mapping, name: str) -> Mapping:
    section = secrets.get(name) if hasattr(secrets, "get") else None
    return section if isinstance(section, Mapping) else {}


def plain(text) -> str:
    """Text from files or the database, shown literally: Markdown's special characters escaped.

    ``st.error``, ``st.caption`` and the like render Markdown; a cell value
    such as ``[Stadt](https://…)`` must stay text, not become a link.

    Examples
    --------
    >>> print(plain("[Stadt](x) *A* :red[b]"))
    \\[Stadt\\]\\(x\\) \\*A\\* \\:red\\[b\\]
    """
    return re.sub(r"([\\`*_{}\[\]()#+!|<>~$:])", r"\\\1", str(text))


def upload_problem(name: str, size: int, lang: str = "de") -> str | None:
    """Why an uploaded file is refused before it is read, or None.

    Examples
    --------
    >>> upload_problem("liste.csv", 6 * 1024 * 1024)
    'Die Datei „liste.csv“ ist 6,0 MB groß; erlaubt sind höchstens 5 MB.'
    >>> upload_problem("liste.pdf", 10) is None, upload_problem("Liste.XLSX", 10) is None
    (False, True)
    >>> upload_problem("list.pdf", 10, "en")
    '“list.pdf” is not a CSV or XLSX file.'
    """
    if size > MAX_UPLOAD_MB * 1024 * 1024:
        megabytes = f"{size / 1024 / 1024:.1f}"
        megabytes = megabytes if lang == "en" else megabytes.replace(".", ",")
        return t("reg_too_large", lang, name=name, size=megabytes, mb=MAX_UPLOAD_MB)
    if not name.lower().endswith(tuple(f".{ext}" for ext in UPLOAD_TYPES)):
        return t("reg_wrong_type", lang, name=name)
    return None


def _level_label(level: str, lang: str) -> str:
    return kind_label(LEVEL_KINDS.get(level, level), lang)


def report_table(report: ImportReport, lang: str = "de") -> pd.DataFrame:
    """The per-row check report with what committing would do, one line per data row."""
    rows = []
    for row in report.reports:
        candidates = "; ".join(f"{_level_label(c['level'], lang)} {c['name']} ({c['key']})" for c in row.candidates)
        rows.append(
            {
                t("reg_col_row", lang): row.row,
                t("reg_col_status", lang): t(f"reg_status_{row.status}", lang),
                t("reg_col_action", lang): action_label(report.actions.get(row.row, ""), lang),
                t("reg_col_listed", lang): row.name or "",
                t("reg_col_match", lang): row.official_name or (kind_label(row.kind, lang) if row.kind else ""),
                t("reg_col_key", lang): row.key or "",
                t("reg_joined", lang): format_partial(row.joined_on, row.date_precision, lang) if row.joined_on else "",
                t("reg_col_left", lang): format_partial(row.left_on, row.left_precision, lang) if row.left_on else "",
                t("reg_col_notes", lang): " · ".join(row.messages),
                t("reg_col_candidates", lang): candidates,
            }
        )
    return pd.DataFrame(rows)


def report_counts(report: ImportReport, lang: str = "de") -> str:
    """One line: what committing the previewed file would do."""
    attention = report.summary["needs_attention"]
    text = t(
        "reg_counts",
        lang,
        rows=report.summary["rows"],
        insert=report.count("insert"),
        update=report.count("update"),
        unchanged=report.count("unchanged"),
    )
    if attention == 1:
        text += t("reg_counts_attention_1", lang)
    elif attention:
        text += t("reg_counts_attention", lang, n=attention)
    return text


def memberships_table(table: pd.DataFrame, lang: str = "de") -> pd.DataFrame:
    """The register's current memberships, in the register's order."""
    return pd.DataFrame(
        {
            t("col_name", lang): table["name"],
            t("col_kind", lang): table["kind"].map(lambda kind: kind_label(kind, lang)),
            t("col_key", lang): table["key"],
            t("reg_joined", lang): [
                format_partial(text, precision, lang)
                for text, precision in zip(table["joined_on"], table["date_precision"])
            ],
            t("reg_col_left", lang): [
                format_partial(text, _precision(text), lang) if text else "" for text in table["left_on"]
            ],
            t("col_source", lang): table["source"],
            t("reg_note", lang): table["note"],
        }
    )


def body_choices(table: pd.DataFrame) -> dict[str, dict]:
    """Each membership by its identity, in alphabetical order of name, for choosing one to edit."""
    records = sorted(table.to_dict("records"), key=lambda record: (record["name"].casefold(), record["key"]))
    return {identity(r["kind"], r["key"], r["name"]): r for r in records}


def _time(moment, lang: str) -> str:
    return moment.strftime("%Y-%m-%d %H:%M" if lang == "en" else "%d.%m.%Y %H:%M")


def history_table(entries: list[dict], lang: str = "de") -> pd.DataFrame:
    """Imports, edits and undos, newest first, as the page lists them."""
    columns = [
        t(key, lang)
        for key in (
            "reg_col_no",
            "reg_col_time",
            "col_kind",
            "reg_col_file",
            "reg_col_by",
            "reg_action_insert",
            "reg_action_update",
            "reg_col_deleted",
            "reg_action_none",
            "reg_col_undone",
        )
    ]
    rows = [
        (
            e["id"],
            _time(e["created_at"], lang),
            entry_label(e["kind"], lang),
            entry_subject(e) if e["kind"] != "undo" else t("reg_undo_of", lang, id=e["undoes"], file=entry_subject(e)),
            e["user_name"],
            e["rows_inserted"],
            e["rows_updated"],
            e["rows_deleted"],
            e["rows_attention"],
            t("reg_undone_by", lang, id=e["undone_by"]) if e["undone_by"] is not None else "",
        )
        for e in entries
    ]
    return pd.DataFrame(rows, columns=columns)


def entry_subject(entry: Mapping) -> str:
    """What a history entry concerns: the imported file, or the edited body (an undo repeats its entry's).

    Examples
    --------
    >>> entry_subject({"kind": "import", "file_name": "liste.csv", "body": None})
    'liste.csv'
    >>> entry_subject({"kind": "edit", "file_name": None, "body": "Stadt Menden (Sauerland)"})
    'Stadt Menden (Sauerland)'
    """
    return entry.get("file_name") or entry.get("body") or ""


def undoable(entries: list[dict], seed_user: str) -> list[dict]:
    """Entries an editor may undo: imports and edits not yet undone; never the seed.

    Undoing the seed would empty the register, and an undo cannot itself be undone.
    """
    return [
        e for e in entries if e["kind"] in ("import", "edit") and e["undone_by"] is None and e["user_name"] != seed_user
    ]


def changes_table(changes: list[dict], lang: str = "de") -> pd.DataFrame:
    """The logged changes of one entry: per body, which fields went from what to what."""
    rows = []
    for change in changes:
        before, after = change["before"] or {}, change["after"] or {}
        fields = [
            f"{column}: {before.get(column) or '–'} → {after.get(column) or '–'}"
            for column in sorted(set(before) | set(after))
            if before.get(column) != after.get(column)
        ]
        rows.append(
            (
                (after or before).get("name", ""),
                action_label(change["action"], lang),
                "; ".join(fields) if change["action"] == "update" else "",
            )
        )
    return pd.DataFrame(rows, columns=[t(key, lang) for key in ("reg_body", "reg_col_change", "reg_col_fields")])


def _precision(text: str) -> str:
    try:
        return precision_of(text)
    except ValueError:  # the register validates dates; shown as typed should one slip through
        return "unknown"


def feedback_table(reports: list[dict], lang: str = "de") -> pd.DataFrame:
    """Reports of the form "Barriere oder Fehler melden", newest first, as the register page lists them.

    Values stay plain text: the page's table escapes every cell, never renders it as markup. A
    report sent again word for word is one row with its count and last time.

    Examples
    --------
    >>> import datetime as dt
    >>> feedback_table([{"id": 3, "created_at": dt.datetime(2026, 12, 2, 9, 5), "url": "/?date=2024-02-01",
    ...                  "message": "<b>Kontrast</b>", "contact": "", "lang": "de", "repeats": 4,
    ...                  "last_at": dt.datetime(2026, 12, 3, 10, 0)}]).iloc[0, 1:].astype(str).tolist()
    ['02.12.2026 09:05', '4', '03.12.2026 10:00', '/?date=2024-02-01', '<b>Kontrast</b>', '', 'de']
    """
    columns = [
        t(key, lang)
        for key in (
            "reg_col_no",
            "reg_col_time",
            "reg_col_repeats",
            "reg_col_last",
            "reg_col_view",
            "reg_col_report",
            "reg_col_contact",
            "reg_col_lang",
        )
    ]
    rows = [
        (
            r["id"],
            _time(r["created_at"], lang),
            r.get("repeats") or 1,
            _time(r.get("last_at") or r["created_at"], lang),
            r["url"],
            r["message"],
            r["contact"],
            r["lang"],
        )
        for r in reports
    ]
    return pd.DataFrame(rows, columns=columns)
