"""Spreadsheets from outside, read within fixed bounds: CSV and XLSX.

A partner list comes from anywhere: a town hall's export, a hand-made sheet, or
a file made to hurt. Everything here is capped before and while it is read
(:class:`Limits`): the file's size; for XLSX the number of zip entries, every
part's uncompressed size (declared and actual) and the shared-strings table;
for both the rows, columns, filled cells and the characters of one cell. A file
over a cap is refused with one :class:`~loaders.errors.InputError` naming the
cap, before the memory is spent.

XLSX is read by streaming its XML with :mod:`defusedxml` (no DTD, no entities,
no external references), one ``<row>`` at a time. A sheet's ``<dimension>`` is
never read: rows are as wide as their last filled cell, and every row present
is read, whatever the sheet claims its size to be. Rows are counted as they
come (a sheet repeating ``<row r="2">`` is refused: rows must be in order), the
XML may nest only :attr:`Limits.depth` elements deep, and one item held while it
is read (a cell, a shared string) may contain at most :attr:`Limits.held`
elements: a few kilobytes of compressed XML cannot make the reader hold millions
of elements. All cells read together hold at most :attr:`Limits.text_chars`
characters (one shared string may be referenced by every cell).

CSV text is decoded from the whole byte stream at once
(:func:`decode_text`): a file is UTF-8 or Windows-1252, never a mixture.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from loaders.errors import InputError
from loaders.numbers import format_int

Row = tuple[int, list]  # 1-based row number in the file, cells from column A on


@dataclass(frozen=True)
class Limits:
    """Caps on one spreadsheet; the same for ``sid-atlas check``, ``import`` and the register page.

    A partner list holds a few hundred bodies (NRW has 396 Gemeinden, 31 Kreise
    and 5 Bezirksregierungen); each cap is far above a real list and far below
    what would strain the server.
    """

    file_bytes: int = 5 * 1024 * 1024
    rows: int = 20_000
    columns: int = 100
    cells: int = 500_000
    cell_chars: int = 32_767  # Excel's own limit for one cell
    zip_entries: int = 1_000
    part_bytes: int = 32 * 1024 * 1024  # one XML part of an XLSX, uncompressed
    total_bytes: int = 64 * 1024 * 1024  # all parts of an XLSX, uncompressed
    shared_strings: int = 500_000
    # Characters of all cells read together: a shared string referenced by every cell is counted each time.
    text_chars: int = 10_000_000
    depth: int = 20  # XML nesting of any XLSX part (a worksheet needs 8)
    held: int = 10_000  # elements inside one item held while it is read (a cell, a shared string, a relationship)

    def describe(self) -> list[tuple[str, str]]:
        """The caps as (what, how much) pairs in German, as docs/security.md lists them.

        Examples
        --------
        >>> LIMITS.describe()[:2]
        [('Dateigröße', '5 MB'), ('Zeilen', '20.000')]
        """
        megabytes = lambda size: f"{size // 1024 // 1024} MB"  # noqa: E731
        return [
            ("Dateigröße", megabytes(self.file_bytes)),
            ("Zeilen", format_int(self.rows)),
            ("Spalten", format_int(self.columns)),
            ("gefüllte Zellen", format_int(self.cells)),
            ("Zeichen je Zelle", format_int(self.cell_chars)),
            ("XLSX: Einträge im Zip-Archiv", format_int(self.zip_entries)),
            ("XLSX: ein Teil entpackt", megabytes(self.part_bytes)),
            ("XLSX: alle Teile entpackt", megabytes(self.total_bytes)),
            ("XLSX: Einträge der Shared-Strings-Tabelle", format_int(self.shared_strings)),
            ("Zeichen aller Zellen zusammen", format_int(self.text_chars)),
            ("XLSX: Verschachtelungstiefe des XML", format_int(self.depth)),
            ("XLSX: Elemente in einer Zelle", format_int(self.held)),
        ]


LIMITS = Limits()

# -- bytes and text -------------------------------------------------------------------------------

_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def read_bounded(path: Path | str, limits: Limits = LIMITS) -> bytes:
    """The bytes of a file, refused unread when it is larger than ``limits.file_bytes``.

    Raises
    ------
    InputError
        The file is missing, unreadable, not a regular file, or too large.
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            # Read one byte more than allowed: a file growing (or a pipe) cannot slip past the cap.
            data = handle.read(limits.file_bytes + 1)
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None
    if len(data) > limits.file_bytes:
        raise InputError(f"{path} is larger than {limits.file_bytes // 1024 // 1024} MB, the limit for a partner list")
    return data


def decode_text(path: Path | str, data: bytes) -> tuple[str, str]:
    """Text and encoding of a CSV file, decided on the whole byte stream.

    UTF-16 with BOM; UTF-8 with or without BOM when all of it is valid UTF-8;
    Windows-1252 (Excel's "CSV" on Windows) only when the file contains no
    valid UTF-8 multi-byte sequence at all. A file with both — UTF-8 umlauts
    and stray Windows-1252 bytes — is refused rather than misread.

    Examples
    --------
    >>> decode_text("a.csv", "Köln".encode("utf-8")), decode_text("a.csv", "Köln".encode("cp1252"))
    (('Köln', 'utf-8'), ('Köln', 'cp1252'))
    >>> decode_text("a.csv", "Köln;".encode("utf-8") + "Münster".encode("cp1252"))
    Traceback (most recent call last):
    ...
    loaders.errors.InputError: a.csv mixes encodings: valid UTF-8 (e.g. 'ö') and a byte 0xfc at line 1 that is not UTF-8; save it again as UTF-8
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(path, data, "utf-16"), "utf-16"
    if b"\x00" in data:
        raise InputError(f"{path} is not a spreadsheet (binary content); expected CSV or XLSX")
    encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as error:
        bad = error.start
    multibyte = _UTF8_MULTIBYTE.search(data)
    if encoding == "utf-8-sig" or multibyte:
        sample = multibyte.group().decode("utf-8") if multibyte else "BOM"
        line = data.count(b"\n", 0, bad) + 1
        raise InputError(
            f"{path} mixes encodings: valid UTF-8 (e.g. {sample!r}) and a byte 0x{data[bad]:02x} "
            f"at line {line} that is not UTF-8; save it again as UTF-8"
        )
    return _decode(path, data, "cp1252"), "cp1252"


def _decode(path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: cannot decode as {encoding} (byte {error.start})") from None


def csv_rows(
    path: Path | str, text: str, delimiter: str, limits: Limits = LIMITS, stop_after: int | None = None
) -> Iterator[Row]:
    """Non-blank records of CSV text with their 1-based record numbers, capped as they are read.

    Trailing empty fields (``Name;Datum;;;;``, as Excel writes them) do not
    count as columns. ``stop_after`` ends the reading after that many records
    (for looking for the header).

    Raises
    ------
    InputError
        The text is not CSV, or a record, field or count is over its cap.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    cells, number, chars = 0, 0, 0
    while stop_after is None or number < stop_after:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise _too_long(path, reader.line_num, limits) from None
            raise InputError(f"{path}: not a readable CSV file ({error})") from None
        number += 1
        if number > limits.rows:
            raise InputError(f"{path} has more than {limits.rows} rows, the limit for a partner list")
        while record and not record[-1].strip():
            record.pop()
        if not record:
            continue
        if len(record) > limits.columns:
            raise _too_wide(path, number, limits)
        for field in record:
            if len(field) > limits.cell_chars:
                raise _too_long(path, number, limits)
        cells += sum(1 for field in record if field)
        if cells > limits.cells:
            raise _too_many_cells(path, limits)
        chars += sum(len(field) for field in record)
        if chars > limits.text_chars:
            raise _too_much_text(path, limits)
        yield number, record


# -- XLSX ---------------------------------------------------------------------------------------

_REL_OFFICE_DOCUMENT = "officeDocument"
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_STRICT_RELATIONSHIP_ID = "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"
_COLUMN = re.compile(r"([A-Za-z]{1,3})(\d*)$")
_INTEGER = re.compile(r"-?[0-9]+")


def xlsx_sheets(
    path: Path | str, data: bytes, limits: Limits = LIMITS
) -> Iterator[tuple[str, Generator[Row, None, None]]]:
    """The worksheets of an XLSX file in workbook order: (name, rows as they are read).

    Each sheet's rows are a generator: a caller that stops early (no header in
    the first rows) costs no more than those rows. Row numbers are the sheet's
    own (``r`` attributes), so blank rows are absent but still counted.
    Number cells formatted as dates come back as :class:`datetime.datetime`,
    integral numbers as ``int``, formulas as their cached value.

    Raises
    ------
    InputError
        Not a readable XLSX file, unsafe XML (DTD, entities, external
        references), or a part, count or cell over its cap.
    """
    book = _Workbook(Path(path), data, limits)
    for name, part in book.sheet_parts():
        yield name, book.rows(part, name)


class _Workbook:
    """An XLSX package opened with its caps checked; parts parsed on demand."""

    def __init__(self, path: Path, data: bytes, limits: Limits):
        self.path, self.limits = path, limits
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            entries = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
            raise InputError(f"{path}: not a readable XLSX file ({error})") from None
        if len(entries) > limits.zip_entries:
            raise InputError(
                f"{path}: {len(entries)} entries in the XLSX package; at most {limits.zip_entries} are read"
            )
        # Declared sizes first: a zip bomb is refused before anything is unpacked.
        for entry in entries:
            if entry.file_size > limits.part_bytes:
                raise self._too_big(entry.filename, entry.file_size)
        total = sum(entry.file_size for entry in entries)
        if total > limits.total_bytes:
            raise InputError(
                f"{path}: the XLSX package unpacks to {total // 1024 // 1024} MB; at most "
                f"{limits.total_bytes // 1024 // 1024} MB are read"
            )
        self.names = {entry.filename for entry in entries}
        self.read_bytes = 0
        self.chars = 0  # characters of the cells read so far

    def _too_big(self, part: str, size: int) -> InputError:
        return InputError(
            f"{self.path}: part {part} of the XLSX package unpacks to more than "
            f"{self.limits.part_bytes // 1024 // 1024} MB (the limit for one part; "
            f"{size // 1024 // 1024} MB or more)"
        )

    def _open(self, name: str):
        """One part as a file object that counts what it unpacks and stops at the caps."""
        try:
            handle = self.zip.open(name)
        except KeyError:
            raise InputError(f"{self.path}: not a readable XLSX file (no {name})") from None
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, ValueError, OSError) as error:
            raise InputError(f"{self.path}: not a readable XLSX file ({error})") from None
        return _Counted(handle, self, name)

    def _walk(self, name: str, detach: int):
        """Stream one part with defusedxml: ``(event, tags, element)``, ``tags`` the path of local names.

        An element no deeper than ``detach`` (the root is 1) is removed from
        its parent once its end has been seen, with all it contains: memory
        stays that of one item however many the part holds. The elements
        inside one such item are counted (at most ``limits.held``), and so is
        the depth (at most ``limits.depth``). Every failure is one InputError.
        """
        tags, elements = [], []
        held, limits = 0, self.limits
        try:
            with self._open(name) as handle:
                for event, element in iterparse(
                    handle, events=("start", "end"), forbid_dtd=True, forbid_entities=True, forbid_external=True
                ):
                    if event == "start":
                        tags.append(_local(element.tag))
                        elements.append(element)
                        if len(tags) > detach:
                            held += 1
                            if held > limits.held:
                                raise InputError(
                                    f"{self.path}: more than {limits.held} XML elements in one item of {name} "
                                    "(e.g. one cell); not read"
                                )
                            if len(tags) > limits.depth:
                                raise InputError(
                                    f"{self.path}: XML in {name} nested deeper than {limits.depth} levels; not read"
                                )
                        yield event, tags, element
                        continue
                    yield event, tags, element
                    tags.pop()
                    elements.pop()
                    if elements and len(tags) < detach:
                        elements[-1].remove(element)  # always its parent's only child left: O(1)
                        held = 0  # what it held went with it
        except DefusedXmlException as error:
            raise InputError(f"{self.path}: unsafe XML in {name} ({type(error).__name__}); not read") from None
        except ParseError as error:
            raise InputError(f"{self.path}: not a readable XLSX file ({name}: {error})") from None
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as error:
            # zlib.error: a corrupt deflate stream, found only while unpacking
            raise InputError(f"{self.path}: not a readable XLSX file ({name}: {error})") from None

    def _ends(self, name: str, depth: int):
        """``(tags, element)`` for each element ending at ``depth``, its content complete."""
        for event, tags, element in self._walk(name, depth):
            if event == "end" and len(tags) == depth:
                yield tags, element

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type's last word, target part) of ``part`` ('' is the package)."""
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", f"{base}.rels")
        if rels not in self.names:
            return {}
        found = {}
        for _, element in self._ends(rels, 2):
            if _local(element.tag) == "Relationship" and element.get("TargetMode") != "External":
                target = element.get("Target") or ""
                target = (
                    target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
                )
                found[element.get("Id")] = ((element.get("Type") or "").rsplit("/", 1)[-1], target)
        return found

    def sheet_parts(self) -> list[tuple[str, str]]:
        """(name, part) of each worksheet in workbook order; also reads the shared strings and styles."""
        package = self._relationships("")
        workbook = next(
            (target for kind, target in package.values() if kind == _REL_OFFICE_DOCUMENT), "xl/workbook.xml"
        )
        related = self._relationships(workbook)
        sheets, self.epoch_1904 = [], False
        for event, tags, element in self._walk(workbook, 3):
            if event != "end":
                continue
            if tags[1:] == ["sheets", "sheet"]:
                rel = element.get(_RELATIONSHIP_ID) or element.get(_STRICT_RELATIONSHIP_ID)
                kind, target = related.get(rel, ("", ""))
                if kind == "worksheet" and target in self.names:
                    sheets.append((element.get("name") or "", target))
            elif tags[1:] == ["workbookPr"]:
                self.epoch_1904 = element.get("date1904") in ("1", "true")
        by_kind = {kind: target for kind, target in related.values()}
        self.strings = self._shared_strings(by_kind.get("sharedStrings"))
        self.date_styles = self._date_styles(by_kind.get("styles"))
        return sheets

    def _shared_strings(self, part: str | None) -> list[str]:
        """The shared-strings table: each ``<si>`` as text (phonetic runs left out)."""
        strings: list[str] = []
        if part is None or part not in self.names:
            return strings
        for _, element in self._ends(part, 2):
            text = _rich_text(element)
            if len(text) > self.limits.cell_chars:
                raise _too_long(self.path, None, self.limits)
            strings.append(text)
            if len(strings) > self.limits.shared_strings:
                raise InputError(
                    f"{self.path}: more than {self.limits.shared_strings} shared strings in the "
                    "XLSX package, the limit for a partner list"
                )
        return strings

    def _date_styles(self, part: str | None) -> set[int]:
        """Indexes of the cell formats that show a number as a date."""
        if part is None or part not in self.names:
            return set()
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

        custom, formats = {}, []
        for tags, element in self._ends(part, 3):
            if tags[1:] == ["numFmts", "numFmt"]:
                custom[element.get("numFmtId")] = element.get("formatCode") or ""
            elif tags[1:] == ["cellXfs", "xf"]:
                formats.append(element.get("numFmtId") or "0")
                if len(formats) > self.limits.cells:
                    raise InputError(
                        f"{self.path}: more than {self.limits.cells} cell formats in the XLSX package; not read"
                    )
        dates = set()
        for index, format_id in enumerate(formats):
            code = custom.get(format_id)
            if code is None and format_id.isascii() and format_id.isdigit():
                code = BUILTIN_FORMATS.get(int(format_id), "")
            if code and is_date_format(code):
                dates.add(index)
        return dates

    def rows(self, part: str, sheet: str) -> Generator[Row, None, None]:
        """The filled rows of one worksheet, streamed cell by cell; positions are the cells' own."""
        limits, number, cells, column, filled = self.limits, 0, 0, 0, 0
        values: dict[int, object] = {}  # column number (1-based) -> the cell's value
        for event, tags, element in self._walk(part, 4):
            if tags[1:2] != ["sheetData"] or len(tags) not in (3, 4):
                continue
            if len(tags) == 3 and tags[2] == "row":
                if event == "start":
                    position = _position(element.get("r"), number + 1, self.path)
                    if position <= number:
                        # Excel writes rows in order; a repeated or earlier number would make two rows one.
                        raise InputError(
                            f"{self.path}: not a readable XLSX file (sheet {sheet!r}: row {position} "
                            f"after row {number}; rows must be in order)"
                        )
                    number, column, values = position, 0, {}
                    continue
                if not values:
                    continue
                filled += 1  # every row read counts, whatever number it claims
                if number > limits.rows or filled > limits.rows:
                    raise InputError(
                        f"{self.path}: sheet {sheet!r} has data in row {number}; a partner list "
                        f"may have at most {limits.rows} rows"
                    )
                cells += len(values)
                if cells > limits.cells:
                    raise _too_many_cells(self.path, limits)
                row: list[object] = [None] * max(values)
                for position, value in values.items():
                    row[position - 1] = value
                yield number, row
            elif len(tags) == 4 and tags[2:] == ["row", "c"] and event == "end":
                column = _column_of(element.get("r"), column + 1, self.path)
                value = self._value(element)
                if value is None or value == "":
                    continue
                if column > limits.columns:
                    raise _too_wide(self.path, number, limits, sheet)
                if isinstance(value, str):
                    self.chars += len(value)
                    if self.chars > limits.text_chars:
                        raise _too_much_text(self.path, limits)
                values[column] = value

    def _value(self, cell):
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = next((child for child in cell if _local(child.tag) == "is"), None)
            text = _rich_text(inline) if inline is not None else None
        else:
            raw = next((child.text for child in cell if _local(child.tag) == "v"), None)
            if raw is None:
                return None
            if kind == "s":
                index = int(raw) if raw.strip().isascii() and raw.strip().isdigit() else -1
                if not 0 <= index < len(self.strings):
                    raise InputError(
                        f"{self.path}: cell {cell.get('r')} refers to shared string {raw!r}, which does not exist"
                    )
                return self.strings[index]
            if kind == "b":
                return raw.strip() in ("1", "true")
            if kind == "n":
                return self._number(raw.strip(), cell.get("s"))
            if kind == "d":
                try:
                    return dt.datetime.fromisoformat(raw.strip())
                except ValueError:
                    pass
            text = raw  # str (a formula's text result), e (an error such as #N/A), or an odd date
        if text is not None and len(text) > self.limits.cell_chars:
            raise _too_long(self.path, None, self.limits)
        return text

    def _number(self, raw: str, style: str | None):
        try:
            number = int(raw) if _INTEGER.fullmatch(raw) else float(raw)
        except ValueError:
            return raw
        if style is not None and style.isascii() and style.isdigit() and int(style) in self.date_styles:
            from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

            try:
                return from_excel(number, CALENDAR_MAC_1904 if self.epoch_1904 else CALENDAR_WINDOWS_1900)
            except (ValueError, OverflowError, TypeError):
                return number
        return number


class _Counted(io.RawIOBase):
    """A zip part that stops with an InputError once it has unpacked more than allowed."""

    def __init__(self, handle, book: _Workbook, name: str):
        self.handle, self.book, self.name, self.size = handle, book, name, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self.handle.read(len(buffer))
        self.size += len(chunk)
        self.book.read_bytes += len(chunk)
        # Actual sizes too: a header may understate what its data unpacks to.
        if self.size > self.book.limits.part_bytes:
            raise self.book._too_big(self.name, self.size)
        if self.book.read_bytes > self.book.limits.total_bytes:
            raise InputError(
                f"{self.book.path}: the XLSX package unpacks to more than "
                f"{self.book.limits.total_bytes // 1024 // 1024} MB; not read"
            )
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        self.handle.close()
        super().close()


def _local(tag: str) -> str:
    """A tag without its namespace: transitional and strict OOXML alike."""
    return tag.rsplit("}", 1)[-1]


def _rich_text(element) -> str:
    """The text of an ``<si>`` or ``<is>``: its ``<t>`` and the ``<t>`` of its runs, not phonetics."""
    parts = []
    for child in element:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts += [grandchild.text or "" for grandchild in child if _local(grandchild.tag) == "t"]
    return "".join(parts)


def _position(text: str | None, default: int, path) -> int:
    if text is None:
        return default
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise InputError(f"{path}: not a readable XLSX file (row number {text[:20]!r})")
    return int(text)


def _column_of(reference: str | None, default: int, path) -> int:
    """Column number (A = 1) of a cell reference like ``C7``.

    Examples
    --------
    >>> _column_of("C7", 1, "x"), _column_of("XFD1", 1, "x"), _column_of(None, 4, "x")
    (3, 16384, 4)
    """
    if reference is None:
        return default
    match = _COLUMN.match(reference)
    if not match:
        raise InputError(f"{path}: not a readable XLSX file (cell reference {reference[:20]!r})")
    number = 0
    for letter in match.group(1).upper():
        number = number * 26 + ord(letter) - 64
    return number


def _too_wide(path, row: int, limits: Limits, sheet: str | None = None) -> InputError:
    where = f"sheet {sheet!r}, " if sheet is not None else ""
    return InputError(
        f"{path}: {where}row {row} has data beyond column {limits.columns}; a partner list may "
        f"have at most {limits.columns} columns"
    )


def _too_long(path, row: int | None, limits: Limits) -> InputError:
    where = f" (row {row})" if row is not None else ""
    return InputError(f"{path}: a cell{where} holds more than {limits.cell_chars} characters, the limit for one cell")


def _too_much_text(path, limits: Limits) -> InputError:
    return InputError(
        f"{path}: its cells hold more than {format_int(limits.text_chars)} characters together, "
        "the limit for a partner list"
    )


def _too_many_cells(path, limits: Limits) -> InputError:
    return InputError(f"{path} has more than {limits.cells} filled cells, the limit for a partner list")
