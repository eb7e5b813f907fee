"""The members table as a person reads it: German columns, dates at their precision.

Pure: turns rows of ``Coverage.members_as_of`` (organisations only — people
appear nowhere but as published counts) into the table shown and downloaded.
"""

from __future__ import annotations

import pandas as pd

from viewmodel.i18n import evidence_label, format_partial, kind_label, t

COLUMNS = ("col_name", "col_kind", "col_key", "col_joined", "col_joined_iso", "col_evidence", "col_source", "col_note")


def members_table(rows: pd.DataFrame, lang: str = "de") -> pd.DataFrame:
    """Accession rows as the displayed table, sorted by accession date, then name.

    Examples
    --------
    >>> rows = pd.DataFrame([{"name": "Stadt Erkrath", "kind": "gemeinde", "key": "05158004",
    ...     "joined_on": "2023-10", "date_precision": "month", "evidence": "documented",
    ...     "source": "erkrath.de", "note": ""}])
    >>> members_table(rows).iloc[0].tolist()
    ['Stadt Erkrath', 'Gemeinde', '05158004', 'Oktober 2023', '2023-10', 'einzeln belegt', 'erkrath.de', '']
    """
    ordered = rows.sort_values(["joined_on", "name"], kind="stable")
    values = [
        ordered["name"],
        ordered["kind"].map(lambda kind: kind_label(kind, lang)),
        ordered["key"],
        [
            format_partial(text, precision, lang)
            for text, precision in zip(ordered["joined_on"], ordered["date_precision"])
        ],
        ordered["joined_on"],
        ordered["evidence"].map(lambda evidence: evidence_label(evidence, lang)),
        ordered["source"],
        ordered["note"],
    ]
    return pd.DataFrame({t(column, lang): list(value) for column, value in zip(COLUMNS, values)})


def search(table: pd.DataFrame, query: str, lang: str = "de") -> pd.DataFrame:
    """Rows whose name, key or source contains ``query`` (case-insensitive, plain text).

    Examples
    --------
    >>> table = pd.DataFrame({"Name": ["Kreis Kleve", "Stadt Köln"], "Schlüssel": ["05154", "05315000"],
    ...                       "Quelle": ["Lokalpresse", "ots"]})
    >>> search(table, "köln")["Name"].tolist(), len(search(table, "  "))
    (['Stadt Köln'], 2)
    """
    query = query.strip().casefold()
    if not query:
        return table
    haystack = (
        table[t("col_name", lang)] + " " + table[t("col_key", lang)] + " " + table[t("col_source", lang)]
    ).str.casefold()
    return table[haystack.str.contains(query, regex=False)]


def undated_members(accessions: pd.DataFrame, region: str | None = None) -> pd.DataFrame:
    """Documented members whose accession date is unknown (they count at no Stichtag).

    Parameters
    ----------
    accessions : pandas.DataFrame
        ``Coverage.accessions``.
    region : str, optional
        Regierungsbezirk key; bodies are placed by their key (seat for non-territorial bodies).
    """
    undated = accessions[
        (accessions["evidence"] == "documented")
        & (accessions["date_precision"] == "unknown")
        & (accessions["left_on"] == "")
    ]
    if region:
        undated = undated[undated["key"].str.startswith(region)]
    return undated.drop(columns=["valid_from", "valid_until"], errors="ignore").reset_index(drop=True)
