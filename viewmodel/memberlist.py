"""The members table as a person reads it: German columns, dates at their precision, each row's own evidence.

Pure: turns rows of :func:`viewmodel.model.organisations` (organisations only,
each body once — people appear nowhere but as published counts) into the table
shown and downloaded. The evidence column is the row's own, in the
vocabulary's words (:func:`viewmodel.text.member_evidence`); the downloaded CSV
adds the view it belongs to (Stichtag, evidence filter, Datenstand, data version).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from loaders.provenance import DataAsOf, DataVersion
from loaders.tables import to_csv_bytes
from viewmodel.i18n import format_partial, kind_label, t
from viewmodel.text import Words, filter_label, member_evidence, shown_source

COLUMNS = ("col_name", "col_kind", "col_key", "col_joined", "col_joined_iso", "col_evidence", "col_source", "col_note")


def members_table(rows: pd.DataFrame, w: Words) -> pd.DataFrame:
    """Accession rows as the displayed table, sorted by accession date, then name.

    Examples
    --------
    >>> rows = pd.DataFrame([{"name": "Stadt Erkrath", "kind": "gemeinde", "key": "05158004",
    ...     "joined_on": "2023-10", "date_precision": "month", "evidence": "documented", "event": "",
    ...     "source": "erkrath.de", "note": ""}])
    >>> members_table(rows, Words("gemeinde")).iloc[0].tolist()
    ['Stadt Erkrath', 'Gemeinde', '05158004', 'Oktober 2023', '2023-10', 'einzeln belegt', 'erkrath.de', '']
    """
    lang = w.lang
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
        [member_evidence(evidence, event, w) for evidence, event in zip(ordered["evidence"], ordered["event"])],
        [
            shown_source(evidence, event, source, w) or ""
            for evidence, event, source in zip(ordered["evidence"], ordered["event"], ordered["source"])
        ],
        ordered["note"],
    ]
    return pd.DataFrame({t(column, lang): list(value) for column, value in zip(COLUMNS, values)})


def members_csv(
    table: pd.DataFrame, day: dt.date, evidence: str, lang: str, as_of: DataAsOf, version: DataVersion
) -> bytes:
    """The members list as a CSV that says its view: Stichtag, evidence filter, Datenstand and data version.

    Each row keeps its own evidence in „Evidenz“; the filter has a column of its own („Evidenzfilter“).
    ``as_of`` and ``version`` are :func:`loaders.provenance.data_as_of` and ``data_version``.

    Examples
    --------
    >>> from loaders.provenance import DataAsOf, DataVersion
    >>> table = pd.DataFrame({"Name": ["Stadt Erkrath"], "Evidenz": ["einzeln belegt"]})
    >>> text = members_csv(table, dt.date(2024, 2, 1), "all", "de", DataAsOf(dt.date(2024, 2, 1), "ots"),
    ...                    DataVersion("1", "abc", dt.date(2024, 2, 1))).decode("utf-8-sig")
    >>> text.splitlines()[0]
    'Name,Evidenz,Stichtag,Evidenzfilter,Datenstand,Quelle des Datenstands,Datenversion'
    >>> text.splitlines()[1]
    'Stadt Erkrath,einzeln belegt,2024-02-01,"alle Beitritte, auch abgeleitete",2024-02-01,ots,1 (abc)'
    """
    return view_csv(table, lang, as_of, version, day=day, evidence=evidence)


def view_csv(
    table: pd.DataFrame,
    lang: str,
    as_of: DataAsOf | None,
    version: DataVersion,
    day: dt.date | None = None,
    evidence: str | None = None,
) -> bytes:
    """A table of the page as a CSV that says its view.

    The Stichtag and evidence filter where it has them, the Datenstand and the
    data version always (a table without them would mislead once passed on).

    Every table's download on the pages writes this (:mod:`dashboard.datatable`); formulas are
    neutralised (:func:`loaders.tables.to_csv_bytes`).

    Examples
    --------
    >>> from loaders.provenance import DataAsOf, DataVersion
    >>> table = pd.DataFrame({"Datum": ["1. Februar 2024"], "Quelle": ["=HYPERLINK(1)"]})
    >>> text = view_csv(table, "en", None, DataVersion("1", "abc", dt.date(2024, 2, 1))).decode("utf-8-sig")
    >>> text.splitlines()
    ['Datum,Quelle,Data as of,Source of the data as of,Data version', "1. Februar 2024,'=HYPERLINK(1),,,1 (abc)"]
    """
    stamps = {}
    if day is not None:
        stamps[t("stichtag", lang)] = day.isoformat()
    if evidence is not None:
        stamps[t("col_evidence_filter", lang)] = filter_label(evidence, lang)
    stamps |= {
        t("col_data_as_of", lang): as_of.day.isoformat() if as_of else "",
        t("col_data_as_of_source", lang): as_of.source if as_of else "",
        t("col_data_version", lang): f"{version.version} ({version.digest})",
    }
    return to_csv_bytes(table.assign(**stamps))


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
