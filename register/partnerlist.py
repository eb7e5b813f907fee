"""Partner lists as people keep them: CSV or XLSX, German or English headers.

:func:`read_partner_list` finds the header row, maps its columns to the fields
of the accession schema by their usual synonyms and returns the raw cell values
per data row. It interprets nothing else: dates are parsed by
:mod:`loaders.dates`, names resolved by :mod:`register.resolve`.

The register holds organisations only. A column that looks like it holds
people (contact person, e-mail, phone) is dropped without its cells being
kept, and reported by its header so the user knows it was ignored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from loaders.errors import InputError
from loaders.folding import fold
from register.sheets import LIMITS, Limits, Row, csv_rows, decode_text, read_bounded, xlsx_sheets

FIELDS = ("name", "kind", "key", "joined_on", "left_on", "source", "note", "quote", "read_on", "not_before")
HEADER_SYNONYMS = {
    "name": {
        "name",
        "bezeichnung",
        "mitglied",
        "mitglieder",
        "organisation",
        "organization",
        "institution",
        "partner",
        "koerperschaft",
        "behoerde",
        "member",
        "body",
    },
    "kind": {"art", "typ", "ebene", "kind", "type", "level", "kategorie", "category"},
    "key": {
        "ags",
        "schluessel",
        "gemeindeschluessel",
        "amtlicher gemeindeschluessel",
        "kennziffer",
        "key",
        "kreisschluessel",
        "regionalschluessel",
        "ars",
        "gkz",
    },
    "joined_on": {
        "beitritt",
        "beitrittsdatum",
        "datum",
        "beitritt am",
        "mitglied seit",
        "seit",
        "joined on",
        "joined",
        "date",
        "since",
    },
    "left_on": {"austritt", "austrittsdatum", "austritt am", "left on", "left", "ende", "bis"},
    "source": {"quelle", "beleg", "nachweis", "source", "evidence"},
    "quote": {"zitat", "wortlaut", "quote", "quotation"},
    "read_on": {
        "gelesen",
        "gelesen am",
        "abgerufen",
        "abgerufen am",
        "abrufdatum",
        "read on",
        "read",
        "accessed",
        "accessed on",
        "retrieved",
    },
    "not_before": {"fruehestens", "nicht vor", "not before", "earliest"},
    "note": {
        "bemerkung",
        "bemerkungen",
        "anmerkung",
        "anmerkungen",
        "kommentar",
        "hinweis",
        "note",
        "notes",
        "comment",
        "remarks",
    },
}
# Words marking a column about people; such a column is never read.
PERSONAL_WORDS = (
    "ansprechpartner",
    "ansprechperson",
    "kontakt",
    "contact",
    "vorname",
    "nachname",
    "person",
    "e mail",
    "email",
    "mail",
    "telefon",
    "phone",
    "unterzeichn",
    "buergermeister",
    "landrat",
    "vertreter",
    "zustaendig",
    "beauftragte",
)
# The header must appear within the first rows; a title line above it is common.
HEADER_SEARCH_ROWS = 10
CSV_DELIMITERS = (";", ",", "\t")
# A delimiter no typed text contains: a one-column file keeps "Bielefeld, Stadt" whole.
_NO_SPLIT = "\x1f"
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass
class PartnerRow:
    """One data row: ``row`` is 1-based below the header; ``values`` maps fields to cells."""

    row: int
    values: dict[str, object]


@dataclass
class PartnerList:
    """What was read, and how, so the report can explain it."""

    rows: list[PartnerRow]
    columns: dict[str, str]
    header_row: int
    file_format: str
    encoding: str | None = None
    delimiter: str | None = None
    ignored_columns: list[str] = field(default_factory=list)
    personal_columns: list[str] = field(default_factory=list)


def classify_header(cell) -> str | None:
    """The field a header cell names, ``"personal"`` for a column about people, else None.

    Examples
    --------
    >>> [classify_header(h) for h in ("Bezeichnung", " AGS ", "Beitritts-Datum", "Gemeindeschlüssel:", "joined_on")]
    ['name', 'key', 'joined_on', 'key', 'joined_on']
    >>> [classify_header(h) for h in ("Ansprechpartner", "E-Mail", "Name Ansprechperson", "Farbe", None)]
    ['personal', 'personal', 'personal', None, None]
    """
    if cell is None:
        return None
    text = fold(str(cell)).strip(" :*.")
    if not text:
        return None
    if any(word in text for word in PERSONAL_WORDS):
        return "personal"
    compact = text.replace(" ", "")
    for name, synonyms in HEADER_SYNONYMS.items():
        if text in synonyms or compact in synonyms:
            return name
    return None


def read_partner_list(path: Path | str, data: bytes | None = None, limits: Limits = LIMITS) -> PartnerList:
    """Read a partner list from a CSV or XLSX file, within the caps of ``limits``.

    Parameters
    ----------
    path : path-like
        A ``.csv`` (comma, semicolon or tab; UTF-8 with or without BOM,
        UTF-16 with BOM, or Windows-1252) or ``.xlsx`` file. The format is
        told by the content, not the file name.
    data : bytes, optional
        The file's content, when the caller has read it already (it is then
        not read again, so what is checked is what was hashed).
    limits : register.sheets.Limits
        Caps on size, rows, columns, cells (see :mod:`register.sheets`).

    Returns
    -------
    PartnerList
        Data rows with the cells of the recognised columns (text stripped;
        XLSX date and number cells as they are). Blank rows are skipped but
        counted, so ``row`` N is always the Nth line below the header.

    Raises
    ------
    InputError
        The file is missing, empty, too large, not a spreadsheet, has no name
        column, two columns claim the same field, or a cap is exceeded.
    """
    path = Path(path)
    if data is None:
        data = read_bounded(path, limits)
    elif len(data) > limits.file_bytes:
        raise InputError(f"{path} is larger than {limits.file_bytes // 1024 // 1024} MB, the limit for a partner list")
    if not data.strip():
        raise InputError(f"{path} is empty")
    if data.startswith(_XLSX_MAGIC):
        return _read_xlsx(path, data, limits)
    if data.startswith(_OLE_MAGIC):
        raise InputError(f"{path} is an old binary Excel file (.xls): save it as .xlsx or CSV")
    text, encoding = decode_text(path, data)
    return _read_csv(path, text, encoding, limits)


def _read_csv(path: Path, text: str, encoding: str, limits: Limits) -> PartnerList:
    # The delimiter is chosen on the first rows only; the whole file is then read once.
    best = None
    for candidate in CSV_DELIMITERS:
        head = list(csv_rows(path, text, candidate, limits, stop_after=HEADER_SEARCH_ROWS))
        found = _find_header(head)
        if found is not None and (best is None or len(found[1]) > len(best[1][1])):
            best = (candidate, found)
    if best is None:
        raise _no_name_column(path)
    chosen, (header, _) = best
    # A header with a single filled cell: one column, no delimiter to split on.
    delimiter: str | None = None if sum(1 for cell in header[1] if cell.strip()) == 1 else chosen
    rows = list(csv_rows(path, text, delimiter or _NO_SPLIT, limits))
    header = next(row for row in rows if row[0] == header[0])
    return _assemble(path, rows, header, "csv", encoding=encoding, delimiter=delimiter)


def _read_xlsx(path: Path, data: bytes, limits: Limits) -> PartnerList:
    for _, sheet in xlsx_sheets(path, data, limits):
        head, pending = [], []
        for row in sheet:
            if row[0] > HEADER_SEARCH_ROWS:
                pending.append(row)
                break
            head.append(row)
        found = _find_header(head)
        if found is None:
            sheet.close()  # the rest of a sheet without a header is never parsed
            continue
        return _assemble(path, head + pending + list(sheet), found[0], "xlsx")
    raise _no_name_column(path)


def _find_header(rows: list[Row]) -> tuple[Row, dict[int, str]] | None:
    """The first row (within the first rows of the file) with a name column, and its recognised columns."""
    for row in rows:
        if row[0] > HEADER_SEARCH_ROWS:
            break
        kinds = {i: classify_header(cell) for i, cell in enumerate(row[1])}
        if "name" in kinds.values():
            return row, {i: k for i, k in kinds.items() if k}
    return None


def _no_name_column(path: Path) -> InputError:
    examples = ", ".join(sorted(HEADER_SYNONYMS["name"])[:6])
    return InputError(
        f"{path}: no header with a name column in the first {HEADER_SEARCH_ROWS} rows (expected e.g. {examples})"
    )


def _assemble(path: Path, rows: list[Row], header: Row, file_format: str, **how) -> PartnerList:
    header_number, header_cells = header
    columns: dict[str, str] = {}  # kind -> the header's title for it
    positions: dict[str, int] = {}  # kind -> its 0-based cell position
    ignored: list[str] = []
    personal: list[str] = []
    for position, cell in enumerate(header_cells):
        title = "" if cell is None else str(cell).strip()
        kind = classify_header(cell)
        if kind == "personal":
            personal.append(title)
        elif kind is None:
            if title:
                ignored.append(title)
        elif kind in columns:
            raise InputError(f"{path}: columns {columns[kind]!r} and {title!r} both give {kind}; rename or remove one")
        else:
            columns[kind], positions[kind] = title, position
    data = []
    for number, cells in rows:
        if number <= header_number:
            continue
        values = {
            name: _cell(cells[position]) if position < len(cells) else None for name, position in positions.items()
        }
        if any(value not in (None, "") for value in values.values()):
            data.append(PartnerRow(number - header_number, values))
    return PartnerList(
        data, columns, header_number, file_format, ignored_columns=ignored, personal_columns=personal, **how
    )


def _cell(value):
    """Text stripped and blank as None; XLSX dates and numbers kept as they are."""
    if isinstance(value, str):
        return " ".join(value.split()) or None
    if isinstance(value, (dt.date, int, float)) or value is None:
        return value
    return str(value)
