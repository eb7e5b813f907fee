"""The register's reports for the terminal, in German like the partner-list check's."""

from __future__ import annotations

from loaders import accessions
from register.core import ImportReport


def render_text(report: ImportReport) -> str:
    """What an import did (or a preview would do), below the per-row report; German like it."""
    lines = []
    for row, (before, after) in report.changes.items():
        if before is not None:
            diff = "; ".join(
                f"{c} {before[c] or '–'} → {after[c] or '–'}" for c in accessions.COLUMNS if before[c] != after[c]
            )
            lines.append(f"  Zeile {row} ({before['name']}) ändert: {diff}")
    counts = f"{report.count('insert')} neu, {report.count('update')} geändert, {report.count('unchanged')} unverändert"
    attention = report.summary["needs_attention"]
    if attention:
        counts += f"; {attention} nicht importiert (brauchen Aufmerksamkeit)"
    head = f"Import {report.import_id} gespeichert" if report.import_id else "Probelauf, nichts gespeichert"
    return "\n".join([*lines, f"{head}: {counts}"]) + "\n"


def render_history(entries: list[dict]) -> str:
    """The history for the terminal, one line per import, edit or undo."""
    lines = []
    for e in entries:
        when = e["created_at"].strftime("%Y-%m-%d %H:%M UTC")
        if e["kind"] == "undo":
            what = (
                f"Rückgängig (Eintrag {e['undoes']}): {e['rows_deleted']} gelöscht, "
                f"{e['rows_updated']} zurückgesetzt, {e['rows_inserted']} wiederhergestellt"
            )
        elif e["kind"] == "edit":
            what = f"Bearbeitung {e['body']}"
        else:
            what = (
                f"Import {e['file_name']}: {e['rows_inserted']} neu, {e['rows_updated']} geändert, "
                f"{e['rows_unchanged']} unverändert, {e['rows_attention']} nicht importiert"
            )
        if e["kind"] != "undo" and e["undone_by"] is not None:
            what += f" — rückgängig gemacht durch #{e['undone_by']}"
        lines.append(f"#{e['id']:<4} {when}  {e['user_name']}  {what}")
    return "\n".join(lines) + "\n" if lines else "Keine Einträge.\n"
