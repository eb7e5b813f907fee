"""The register page's decisions and tables, kept apart from Streamlit so they can be tested plainly.

Who may edit
    :func:`sign_in_mode` reads the secrets: ``[auth]`` means OIDC through
    ``st.login``; otherwise ``[register] editor_password`` means a shared
    password; with neither the register is read-only. An OIDC account edits
    only when its e-mail address is listed in ``[register] editors`` — an
    identity provider such as Google lets anyone sign in, so signing in alone
    proves nothing about being an editor.

What is shown
    Tables in German with plain values: Streamlit's ``st.dataframe`` draws
    cells as text, so names from uploaded files need no escaping here.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from loaders.accessions import identity
from loaders.dates import precision_of
from register.check import STATUS_LABELS
from register.resolve import LEVEL_LABEL
from register.sheets import LIMITS
from viewmodel.i18n import format_partial, kind_label

if TYPE_CHECKING:
    from register.core import ImportReport

# The partner-list reader's own file cap (register.sheets.LIMITS, the same for `sid-atlas check`);
# also Streamlit's server.maxUploadSize (.streamlit/config.toml): the server refuses larger uploads,
# this check says so in words should a bigger file still arrive (another config, a changed limit).
MAX_UPLOAD_MB = LIMITS.file_bytes // 1024 // 1024
UPLOAD_TYPES = ("csv", "xlsx")
ACTION_LABELS = {"insert": "neu", "update": "geändert", "unchanged": "unverändert"}
ENTRY_LABELS = {"import": "Import", "edit": "Bearbeitung", "undo": "Rückgängig"}


def sign_in_mode(secrets: Mapping) -> str | None:
    """``"oidc"``, ``"password"`` or None (read-only), from the app's secrets.

    Examples
    --------
    >>> sign_in_mode({}), sign_in_mode({"register": {"editor_password": "s3cret"}})
    (None, 'password')
    >>> sign_in_mode({"auth": {"client_id": "atlas"}, "register": {"editor_password": "s3cret"}})
    'oidc'
    """
    if "auth" in secrets:
        return "oidc"
    if _section(secrets, "register").get("editor_password"):
        return "password"
    return None


def password_matches(entered: str, secrets: Mapping) -> bool:
    """Whether ``entered`` is the configured editor password (in constant time)."""
    expected = str(_section(secrets, "register").get("editor_password") or "")
    return bool(expected) and hmac.compare_digest(entered.encode("utf-8"), expected.encode("utf-8"))


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


def upload_problem(name: str, size: int) -> str | None:
    """Why an uploaded file is refused before it is read, or None.

    Examples
    --------
    >>> upload_problem("liste.csv", 6 * 1024 * 1024)
    'Die Datei „liste.csv“ ist 6,0 MB groß; erlaubt sind höchstens 5 MB.'
    >>> upload_problem("liste.pdf", 10) is None, upload_problem("Liste.XLSX", 10) is None
    (False, True)
    """
    if size > MAX_UPLOAD_MB * 1024 * 1024:
        megabytes = f"{size / 1024 / 1024:.1f}".replace(".", ",")
        return f"Die Datei „{name}“ ist {megabytes} MB groß; erlaubt sind höchstens {MAX_UPLOAD_MB} MB."
    if not name.lower().endswith(tuple(f".{ext}" for ext in UPLOAD_TYPES)):
        return f"„{name}“ ist keine CSV- oder XLSX-Datei."
    return None


def report_table(report: ImportReport) -> pd.DataFrame:
    """The per-row check report with what committing would do, one line per data row."""
    rows = []
    for row in report.reports:
        candidates = "; ".join(
            f"{LEVEL_LABEL.get(c['level'], c['level'])} {c['name']} ({c['key']})" for c in row.candidates
        )
        rows.append(
            {
                "Zeile": row.row,
                "Status": STATUS_LABELS[row.status],
                "Übernahme": ACTION_LABELS.get(report.actions.get(row.row, ""), "nicht übernommen"),
                "Name in der Liste": row.name or "",
                "Zuordnung": row.official_name or (kind_label(row.kind) if row.kind else ""),
                "Schlüssel": row.key or "",
                "Beitritt": format_partial(row.joined_on, row.date_precision) if row.joined_on else "",
                "Austritt": format_partial(row.left_on, row.left_precision) if row.left_on else "",
                "Hinweise": " · ".join(row.messages),
                "Kandidaten": candidates,
            }
        )
    return pd.DataFrame(rows)


def report_counts(report: ImportReport) -> str:
    """One German line: what committing the previewed file would do."""
    attention = report.summary["needs_attention"]
    text = (
        f"{report.summary['rows']} Zeilen: {report.count('insert')} neu, {report.count('update')} geändert, "
        f"{report.count('unchanged')} unverändert"
    )
    if attention == 1:
        text += "; 1 Zeile braucht Aufmerksamkeit und wird nicht übernommen"
    elif attention:
        text += f"; {attention} Zeilen brauchen Aufmerksamkeit und werden nicht übernommen"
    return text


def memberships_table(table: pd.DataFrame) -> pd.DataFrame:
    """The register's current memberships in German, in the register's order."""
    return pd.DataFrame(
        {
            "Name": table["name"],
            "Art": table["kind"].map(kind_label),
            "Schlüssel": table["key"],
            "Beitritt": [
                format_partial(text, precision) for text, precision in zip(table["joined_on"], table["date_precision"])
            ],
            "Austritt": [format_partial(text, _precision(text)) if text else "" for text in table["left_on"]],
            "Quelle": table["source"],
            "Bemerkung": table["note"],
        }
    )


def body_choices(table: pd.DataFrame) -> dict[str, dict]:
    """Each membership by its identity, in alphabetical order of name, for choosing one to edit."""
    records = sorted(table.to_dict("records"), key=lambda record: (record["name"].casefold(), record["key"]))
    return {identity(r["kind"], r["key"], r["name"]): r for r in records}


def history_table(entries: list[dict]) -> pd.DataFrame:
    """Imports, edits and undos, newest first, as the page lists them."""
    return pd.DataFrame(
        [
            {
                "Nr.": e["id"],
                "Zeit (UTC)": e["created_at"].strftime("%d.%m.%Y %H:%M"),
                "Art": ENTRY_LABELS.get(e["kind"], e["kind"]),
                "Datei / Körperschaft": entry_subject(e)
                if e["kind"] != "undo"
                else f"Eintrag {e['undoes']}: {entry_subject(e)}",
                "Von": e["user_name"],
                "neu": e["rows_inserted"],
                "geändert": e["rows_updated"],
                "gelöscht": e["rows_deleted"],
                "nicht übernommen": e["rows_attention"],
                "rückgängig gemacht": f"durch Nr. {e['undone_by']}" if e["undone_by"] is not None else "",
            }
            for e in entries
        ],
        columns=[
            "Nr.",
            "Zeit (UTC)",
            "Art",
            "Datei / Körperschaft",
            "Von",
            "neu",
            "geändert",
            "gelöscht",
            "nicht übernommen",
            "rückgängig gemacht",
        ],
    )


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


def changes_table(changes: list[dict]) -> pd.DataFrame:
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
            {
                "Körperschaft": (after or before).get("name", ""),
                "Änderung": {"insert": "neu", "update": "geändert", "delete": "gelöscht"}[change["action"]],
                "Felder": "; ".join(fields) if change["action"] == "update" else "",
            }
        )
    return pd.DataFrame(rows, columns=["Körperschaft", "Änderung", "Felder"])


def _precision(text: str) -> str:
    try:
        return precision_of(text)
    except ValueError:  # the register validates dates; shown as typed should one slip through
        return "unknown"


def feedback_table(reports: list[dict]) -> pd.DataFrame:
    """Reports of the form "Barriere oder Fehler melden", newest first, as the register page lists them.

    Values stay plain text: ``st.dataframe`` never renders them as markup.

    Examples
    --------
    >>> import datetime as dt
    >>> feedback_table([{"id": 3, "created_at": dt.datetime(2026, 12, 2, 9, 5), "url": "/?date=2024-02-01",
    ...                  "message": "<b>Kontrast</b>", "contact": "", "lang": "de"}]).iloc[0, 1:].tolist()
    ['02.12.2026 09:05', '/?date=2024-02-01', '<b>Kontrast</b>', '', 'de']
    """
    return pd.DataFrame(
        [
            {
                "Nr.": r["id"],
                "Zeit (UTC)": r["created_at"].strftime("%d.%m.%Y %H:%M"),
                "Ansicht": r["url"],
                "Meldung": r["message"],
                "Kontakt": r["contact"],
                "Sprache": r["lang"],
            }
            for r in reports
        ],
        columns=["Nr.", "Zeit (UTC)", "Ansicht", "Meldung", "Kontakt", "Sprache"],
    )
