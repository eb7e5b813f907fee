"""The product's tables: real HTML tables with a caption, header cells, keyboard sorting and our own CSV.

Streamlit's data grid is a canvas: not read as a table everywhere, without a
name or ``aria-sort``, sorted by mouse only, and its own "Download as CSV"
writes ``=HYPERLINK(…)`` cells as formulas. Every table the pages show is drawn
here instead (:func:`show`): ``st.html`` with a ``<table>`` whose ``<caption>``
names it, ``<th scope="col">`` headers (each a button that sorts), a row
header, and a polite status line that says the new order; below it a download
button writes the same rows with :func:`loaders.tables.to_csv_bytes`, which
neutralises formulas.

Sorting runs in the browser (``dashboard/page.js``, ``sortableTables``): a
sort sends nothing to the server and the table is sent only when its rows
change (the map's table, about 110 KB for NRW's Gemeinden, only while
„Tabelle zeigen“ is on). ``st.html`` strips scripts, so the page script sorts
every ``.sid-table`` it finds and keeps each table's order when Streamlit
redraws it. Cells whose text does not sort as text ("18,19 Mio.",
"1. Februar 2024") carry a ``data-sort`` key (:mod:`viewmodel.sorting`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from loaders.tables import to_csv_bytes
from viewmodel.i18n import t
from viewmodel.sorting import column_keys

# Taller than this, a table scrolls in a box of its own (its header stays in view) and the box is a tab stop.
TALL_ROWS = 15
ORDERS = ("ascending", "descending")


@dataclass(frozen=True)
class Table:
    """One table as the pages show it.

    ``frame`` holds the rows as shown (display texts; the index is not shown);
    ``caption`` names the table (its ``<caption>``, the name of its scrolling
    box and of its download button). ``row_header`` is the column whose cells
    name their rows (``<th scope="row">``; the first by default); ``sorted_by``
    the order the rows already have (column, "ascending" or "descending"),
    marked with ``aria-sort``. ``cell_langs`` names columns in another language
    than the page's (a source's German title in the English view): one
    language for the column, or one per cell (None: the page's). With
    ``file_name`` a button downloads the table as CSV: ``csv`` builds the file
    on the click (default: the rows shown, formulas neutralised by
    :func:`loaders.tables.to_csv_bytes`); the button says ``name`` (a short
    name: „Mitgliederliste als CSV herunterladen“; the caption by default), so
    several on a page stay apart.
    """

    frame: pd.DataFrame
    caption: str
    row_header: str | None = None
    sorted_by: tuple[str, str] | None = None
    cell_langs: Mapping[str, str | Sequence[str | None]] = field(default_factory=dict)
    file_name: str | None = None
    csv: Callable[[], bytes] | None = None
    name: str | None = None


def _ident(key: str) -> str:
    """A table's key as an id part (letters, digits, hyphens).

    Examples
    --------
    >>> _ident("w_map table/Gemeinden")
    'w-map-table-Gemeinden'
    """
    return re.sub(r"[^A-Za-z0-9-]+", "-", key).strip("-")


def _text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _attributes(**values) -> str:
    """HTML attributes from keywords (``data_sort`` -> ``data-sort``, ``class_`` -> ``class``); None or "" leaves one out.

    Examples
    --------
    >>> _attributes(class_="a b", data_sort=3, aria_sort=None, title='"x"')
    ' class="a b" data-sort="3" title="&quot;x&quot;"'
    """
    return "".join(
        f' {name.rstrip("_").replace("_", "-")}="{html.escape(str(value))}"' for name, value in values.items() if value
    )


def table_html(table: Table, key: str, lang: str = "de") -> str:
    """The markup of one table (plain HTML: ``st.html`` sanitises it, ``page.js`` makes its headers sort).

    ``key`` is unique on the page: the page script keeps the table's order under
    it across redraws. ``lang`` is the page's language.

    Examples
    --------
    >>> frame = pd.DataFrame({"Name": ["Köln <Stadt>"], "Einwohner": ["1,08 Mio."], "Quelle": ["=HYPERLINK(1)"]})
    >>> markup = table_html(Table(frame, "Städte", sorted_by=("Name", "ascending"), cell_langs={"Quelle": "en"}),
    ...                     "staedte")
    >>> print(markup[markup.index("<table"):].replace("><", ">\\n<"))  # doctest: +ELLIPSIS
    <table>
    <caption id="sid-table-staedte-caption">Städte</caption>
    <thead>
    <tr>
    <th scope="col" data-kind="text" aria-sort="ascending">
    <button type="button">Name<span class="sid-sort-mark" aria-hidden="true">
    </span>
    </button>
    </th>
    <th scope="col" data-kind="number">
    <button type="button">Einwohner<span class="sid-sort-mark" aria-hidden="true">
    </span>
    </button>
    </th>
    <th scope="col" data-kind="text">
    <button type="button">Quelle...
    <tbody>
    <tr>
    <th scope="row">Köln &lt;Stadt&gt;</th>
    <td data-sort="1080000">1,08 Mio.</td>
    <td lang="en">=HYPERLINK(1)</td>
    </tr>
    </tbody>
    </table>
    </div>
    <p class="sid-table-status" role="status">
    </p>
    </div>
    """
    frame, caption, sorted_by, langs = table.frame, table.caption, table.sorted_by, table.cell_langs
    row_header = table.row_header
    ident = _ident(key)
    columns = [str(column) for column in frame.columns]
    header = row_header if row_header in columns else (columns[0] if columns else None)
    tall = len(frame) > TALL_ROWS
    kinds, keys = {}, {}
    for column, values in zip(columns, (frame[c] for c in frame.columns)):
        kinds[column], keys[column] = column_keys(values.tolist(), lang)
    head = []
    for column in columns:
        order = sorted_by[1] if sorted_by and sorted_by[0] == column else None
        head.append(
            f'<th scope="col"{_attributes(data_kind=kinds[column], aria_sort=order)}>'
            f'<button type="button">{html.escape(column)}<span class="sid-sort-mark" aria-hidden="true"></span>'
            "</button></th>"
        )
    body = []
    for i, row in enumerate(frame.itertuples(index=False, name=None)):
        cells = []
        for column, value in zip(columns, row):
            text = _text(value)
            sort = keys[column][i]
            if isinstance(sort, float) and sort.is_integer():
                sort = int(sort)
            wanted = langs.get(column)
            cell_lang = wanted if isinstance(wanted, str) or wanted is None else wanted[i]
            attributes = _attributes(
                data_sort=sort if kinds[column] in ("number", "date") and str(sort) != text else None,
                lang=cell_lang if cell_lang and cell_lang != lang else None,
            )
            tag = ("th", ' scope="row"') if column == header else ("td", "")
            cells.append(f"<{tag[0]}{tag[1]}{attributes}>{html.escape(text)}</{tag[0]}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    words = _attributes(
        data_sid_table=ident,
        data_sorted=t("table_sorted", lang),
        data_ascending=t("table_ascending", lang),
        data_descending=t("table_descending", lang),
    )
    box = _attributes(
        class_="sid-table-scroll" + (" sid-table-tall" if tall else ""),
        role="region" if tall else None,
        tabindex="0" if tall else None,
        aria_labelledby=f"sid-table-{ident}-caption" if tall else None,
    )
    return (
        f'<div class="sid-table"{words}><div{box}><table>'
        f'<caption id="sid-table-{ident}-caption">{html.escape(caption)}</caption>'
        f"<thead><tr>{''.join(head)}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        '<p class="sid-table-status" role="status"></p></div>'
    )


def show(table: Table, key: str, lang: str = "de", container=None) -> None:
    """Draw a table (:func:`table_html`) and, with its ``file_name``, the button that downloads it as our CSV."""
    import streamlit as st

    place = container or st
    place.html(table_html(table, key, lang))
    if table.file_name:
        frame = table.frame
        place.download_button(
            t("table_csv", lang, table=table.name or table.caption),
            data=table.csv or (lambda: to_csv_bytes(frame)),
            file_name=table.file_name,
            mime="text/csv",
            on_click="ignore",
            icon=":material/download:",
            key=f"w_csv_{_ident(key)}",
        )


def members_datatable(table: pd.DataFrame, caption: str, lang: str, file_name: str, csv=None, name: str | None = None):
    """A members table (:func:`viewmodel.memberlist.members_table`) as the pages draw it (:class:`Table`).

    Its rows stand in the order of their accession (ISO date), then by name; a
    source and a note are German in either view. ``csv`` writes the download
    (:func:`viewmodel.memberlist.view_csv` with the view's stamps).
    """
    return Table(
        table,
        caption,
        row_header=t("col_name", lang),
        sorted_by=(t("col_joined_iso", lang), "ascending"),
        cell_langs={t("col_source", lang): "de", t("col_note", lang): "de"},
        file_name=file_name,
        csv=(lambda: csv(table)) if csv else None,
        name=name,
    )
