"""What several test modules share: small in-code unit tables, accession rows, the TopoJSON reader.

Fixtures live in ``tests/conftest.py``; plain functions and constants live here, so that no
test module imports from another.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
import os
import re
import struct
import subprocess
import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import shapely
from shapely import box
from topojson.utils import serialize_as_geojson

from loaders.paths import PROJECT_ROOT
from loaders.webgeometry import TOPOJSON_OBJECT
from register.sheets import LIMITS

#: The dashboard's entry script, as AppTest, the browser and the deployment tests start it.
APP = PROJECT_ROOT / "dashboard" / "app.py"
#: Committed reference values (never rendered pictures: those derive from the licensed geodata).
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


# -- the command line -----------------------------------------------------------------------
def sid_atlas(
    *args: object, cwd: Path | None = None, env: Mapping[str, str | None] | None = None
) -> subprocess.CompletedProcess[str]:
    """``sid-atlas ARGS`` in this process through :func:`atlas_cli.main`: its exit code, stdout and stderr.

    What a terminal would show, without a child process's seconds of imports. ``env`` sets
    (or, with None, removes) environment variables for the call; the coverage read without
    ``--members`` depends on them (a configured register), so its per-process cache is
    emptied around such a call.
    """
    from atlas_cli import main
    from register import atlasdata

    argv = [str(arg) for arg in args]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.ExitStack() as stack:
        if cwd is not None:
            stack.enter_context(contextlib.chdir(cwd))
        if env is not None:
            stack.enter_context(mock.patch.dict(os.environ))
            for name, value in env.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            atlasdata.load_coverage.cache_clear()
            stack.callback(atlasdata.load_coverage.cache_clear)
        stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        try:
            code = main(argv)
        except SystemExit as done:  # --help
            code = done.code if isinstance(done.code, int) else 0
    return subprocess.CompletedProcess(["sid-atlas", *argv], code, out.getvalue(), err.getvalue())


def sid_atlas_process(*args: object, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``sid-atlas ARGS`` as a real child process (``python -m atlas_cli``): for what only a process shows."""
    return subprocess.run(
        [sys.executable, "-m", "atlas_cli", *map(str, args)], capture_output=True, text=True, timeout=timeout, cwd=cwd
    )


# -- words that never overstate --------------------------------------------------
#: A word that says what a membership or coverage rests on.
EVIDENCE_WORDS = ("belegt", "abgeleitet", "documented", "inferred")
#: "Mitglied" / "member" as a word (not "Mitglieder", "membership", "body_member").
MEMBER_WORD = re.compile(r"\b(?:Mitglied|member)\b", re.IGNORECASE)
#: An own accession claimed; only a documented one may be called so.
OWN_ACCESSION = re.compile(r"\beigener? Beitritt\b|\bown accession\b", re.IGNORECASE)
OWN_DOCUMENTED = ("einzeln belegt", "documented one by one")
#: What must never be said of a unit under "documented accessions only": the sources do not say it.
NOT_COVERED = re.compile(
    r"nicht abgedeckt|nicht Mitglied|keine Gemeinde abgedeckt|not covered|not a member|no municipality covered",
    re.IGNORECASE,
)
#: Where one statement ends and another begins: a line, a field, a clause or a sentence.
#: (Not "25. September": an ordinal's point ends no sentence; two spaces part a table's columns.)
_SEGMENTS = re.compile(r"<br\s*/?>|[\n\t·;|\"]|(?<!\d)\.\s|\s{2,}")
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def word_problems(text: str, *, inferred: bool = False, documented_only: bool = False) -> list[str]:
    """What ``text`` overstates: "Mitglied" without its evidence in the same statement; an own accession
    claimed without "einzeln belegt" (or at all, for an ``inferred`` unit); and, under ``documented_only``,
    "nicht abgedeckt" / "nicht Mitglied" / "not covered" / "not a member".

    >>> word_problems("Status: Mitglied (eigener Beitritt) – abgeleitet", inferred=True)
    ['own accession claimed: Status: Mitglied (eigener Beitritt) – abgeleitet']
    >>> word_problems("Kreisverwaltung: nicht Mitglied", documented_only=True)
    ['member without evidence: Kreisverwaltung: nicht Mitglied', 'said under documented only: nicht Mitglied']
    >>> word_problems("Mitglied – einzeln belegt · Mitglieder am Stichtag")
    []
    """
    problems = []
    for segment in _SEGMENTS.split(text):
        segment = segment.strip()
        if MEMBER_WORD.search(segment) and not any(word in segment for word in EVIDENCE_WORDS):
            problems.append(f"member without evidence: {segment}")
        if OWN_ACCESSION.search(segment) and (inferred or not any(word in segment for word in OWN_DOCUMENTED)):
            problems.append(f"own accession claimed: {segment}")
    if documented_only:
        problems += [f"said under documented only: {found}" for found in NOT_COVERED.findall(text)]
    return problems


# -- unit tables and accession rows ---------------------------------------------------------
def tiny_units() -> pd.DataFrame:
    """A two-Kreis toy Land: RB 050 with Kreis 05001 (two Gemeinden) and kreisfreie Stadt 05002.

    Gemeinde 05001001 has 100 inhabitants, 05001002 has 300, the city 600.
    """
    rows = [
        ("land", "05", "Toyland", None, None, 1000, 3.0, box(0, 0, 3, 1)),
        ("regierungsbezirk", "050", "Toybezirk", None, "050", 1000, 3.0, box(0, 0, 3, 1)),
        ("kreis", "05001", "Kreis Eins", "05001", "050", 400, 2.0, box(0, 0, 2, 1)),
        ("kreis", "05002", "Stadtkreis", "05002", "050", 600, 1.0, box(2, 0, 3, 1)),
        ("gemeinde", "05001001", "Adorf", "05001", "050", 100, 1.0, box(0, 0, 1, 1)),
        ("gemeinde", "05001002", "Bedorf", "05001", "050", 300, 1.0, box(1, 0, 2, 1)),
        ("gemeinde", "05002000", "Cestadt", "05002", "050", 600, 1.0, box(2, 0, 3, 1)),
    ]
    return pd.DataFrame(
        rows, columns=["level", "key", "name", "kreis_key", "rb_key", "population", "area_km2", "geometry"]
    )


def accession(
    name,
    kind,
    key,
    joined_on,
    precision="day",
    evidence="documented",
    event="",
    source="test fixture",
    left_on="",
    note="",
    certain_by="",
    not_before="",
    quote="",
    read_on="",
):
    """One accession row in the shipped schema."""
    return {
        "name": name,
        "kind": kind,
        "key": key,
        "joined_on": joined_on,
        "date_precision": precision,
        "not_before": not_before,
        "certain_by": certain_by,
        "evidence": evidence,
        "event": event,
        "source": source,
        "quote": quote,
        "read_on": read_on,
        "left_on": left_on,
        "note": note,
    }


def tiny_events(date="2023-06-01") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "event": "rb050",
                "rb_key": "050",
                "region": "Toybezirk",
                "date": date,
                "date_precision": "day",
                "wording": "die kommunale Familie",
                "source": "fixture",
            }
        ]
    )


def shipped_accessions_with(folder, key: str, **changes):
    """The shipped accession CSV written to ``folder`` with one Gemeinde's row changed.

    Used to feed hostile or formula-like text through ``--members``.
    """
    from loaders.accessions import ACCESSIONS_CSV

    rows = list(csv.DictReader(ACCESSIONS_CSV.read_text(encoding="utf-8").splitlines()))
    for row in rows:
        if row["kind"] == "gemeinde" and row["key"] == key:
            row.update(changes)
    path = folder / "accessions.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def small_units() -> pd.DataFrame:
    """Kreis Kleve with Stadt Kleve, kreisfreie Städte Hamm and Mülheim, Städteregion Aachen, one RB."""
    rows = [
        ("regierungsbezirk", "051", "Düsseldorf", None),
        ("regierungsbezirk", "057", "Detmold", None),
        ("kreis", "05154", "Kleve", "05154"),
        ("gemeinde", "05154036", "Kleve", "05154"),
        ("gemeinde", "05154008", "Emmerich am Rhein", "05154"),
        ("kreis", "05915", "Hamm", "05915"),
        ("gemeinde", "05915000", "Hamm", "05915"),
        ("kreis", "05170", "Wesel", "05170"),
        ("gemeinde", "05170012", "Hamminkeln", "05170"),
        ("kreis", "05117", "Mülheim a.d. Ruhr", "05117"),
        ("gemeinde", "05117000", "Mülheim an der Ruhr", "05117"),
        ("kreis", "05111", "Düsseldorf", "05111"),
        ("gemeinde", "05111000", "Düsseldorf", "05111"),
        ("kreis", "05378", "Rheinisch-Bergischer Kreis", "05378"),
        ("gemeinde", "05378016", "Leichlingen (Rhld.)", "05378"),
        ("kreis", "05334", "Städteregion Aachen", "05334"),
        ("gemeinde", "05334002", "Aachen", "05334"),
        ("kreis", "05382", "Rhein-Sieg-Kreis", "05382"),
        ("gemeinde", "05382056", "Sankt Augustin", "05382"),
        ("kreis", "05766", "Lippe", "05766"),
        ("gemeinde", "05766020", "Detmold", "05766"),
        ("kreis", "05558", "Coesfeld", "05558"),
        ("gemeinde", "05558016", "Nottuln", "05558"),
        ("gemeinde", "05558012", "Coesfeld", "05558"),
        ("kreis", "05954", "Ennepe-Ruhr-Kreis", "05954"),
        ("gemeinde", "05954032", "Wetter (Ruhr)", "05954"),
        ("kreis", "05566", "Steinfurt", "05566"),
        ("gemeinde", "05566088", "Tecklenburg", "05566"),
        ("gemeinde", "05566076", "Schloß Holte-Stukenbrock", "05566"),
    ]
    return pd.DataFrame(rows, columns=["level", "key", "name", "kreis_key"])


# -- TopoJSON as the browser reads it --------------------------------------------------------


def decode(text: str | bytes) -> dict[str, shapely.Geometry]:
    """Unit key -> polygon, as ``topojson.feature(topology, topology.objects.units)`` gives the browser."""
    collection = serialize_as_geojson(json.loads(text), objectname=TOPOJSON_OBJECT)
    return {feature["id"]: shapely.geometry.shape(feature["geometry"]) for feature in collection["features"]}


def assert_valid_coverage(units: dict[str, shapely.Geometry]) -> None:
    """Every polygon valid, and together a coverage: no overlaps, no mismatched shared edges."""
    geometries = np.asarray(list(units.values()))
    assert shapely.is_valid(geometries).all(), [shapely.is_valid_reason(g) for g in geometries if not g.is_valid]
    invalid = shapely.coverage_invalid_edges(geometries)
    assert all(edge is None or edge.is_empty for edge in invalid)


# -- hostile partner lists (XLSX packages built part by part) ----------------------------------
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# Reads one file in this (child) process and prints what happened as JSON.


def sheet_xml(rows: str, dimension: str | None = "A1:B4", prolog: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN}">{dim}<sheetData>{rows}</sheetData></worksheet>'


def inline_row(number: int, *texts: str, first_column: str = "A") -> str:
    cells = "".join(
        f'<c r="{chr(ord(first_column) + i)}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
        for i, text in enumerate(texts)
    )
    return f'<row r="{number}">{cells}</row>'


def write_xlsx(
    path,
    sheet: str | None,
    shared_strings: str | None = None,
    workbook_prolog: str = "",
    extra: dict[str, str] | None = None,
    sheet_rels: str | None = None,
    styles: bool = False,
):
    """A minimal XLSX package written to ``path`` (a file or a BytesIO), returned.

    Each argument is a part's XML as text (``sheet`` None: added later, streamed).
    """
    overrides = '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    workbook_rels = f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    if shared_strings is not None:
        workbook_rels += f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
    if styles:
        workbook_rels += f'<Relationship Id="rId3" Type="{DOC_RELS}/styles" Target="styles.xml"/>'
    parts = {
        "[Content_Types].xml": f'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">{overrides}</Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?>{workbook_prolog}<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets><sheet name="Liste" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="{RELS}">{workbook_rels}</Relationships>',
    }
    if sheet is not None:
        parts["xl/worksheets/sheet1.xml"] = sheet
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = shared_strings
    if sheet_rels is not None:
        parts["xl/worksheets/_rels/sheet1.xml.rels"] = sheet_rels
    parts.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def add_streamed_part(path: Path, name: str, head: bytes, filler: bytes, count: int, tail: bytes) -> None:
    """Append a part of ``head + filler * count + tail`` without holding it in memory."""
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open(name, "w", force_zip64=True) as handle,
    ):
        handle.write(head)
        block = filler * max(1, (1 << 20) // len(filler))
        written = 0
        while written < count:
            step = min(count - written, len(block) // len(filler))
            handle.write(block[: step * len(filler)])
            written += step
        handle.write(tail)


def understate_size(path: Path, name: str, declared: int) -> None:
    """Rewrite the uncompressed size a zip claims for ``name`` (local header and central directory)."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    for signature, size_offset, name_offset in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            length = struct.unpack_from("<H", data, start + (26 if signature == b"PK\x03\x04" else 28))[0]
            if bytes(data[start + name_offset : start + name_offset + length]) == encoded:
                struct.pack_into("<I", data, start + size_offset, declared)
            start += 4
    path.write_bytes(bytes(data))


HEADER = inline_row(1, "Name", "Beitritt")
BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)
DIMENSION_BOMB = HEADER + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
# Hostile files as the register page's upload test takes them: (file name, content, part of the notice).
HOSTILE_UPLOADS = [
    (
        "bombe.xlsx",
        write_xlsx(io.BytesIO(), sheet_xml(DIMENSION_BOMB, "A1:XFD1048576")).getvalue(),
        f"at most {LIMITS.columns} columns",
    ),
    ("lachen.xlsx", write_xlsx(io.BytesIO(), sheet_xml(HEADER, prolog=BILLION_LAUGHS)).getvalue(), "unsafe XML"),
    ("lang.csv", ("Name\n" + "Hamm\n" * 100_000).encode(), f"more than {LIMITS.rows} rows"),
]


# -- a served app over its websocket, as a browser talks to it --------------------------------------------
async def open_page(base: str, page: str, cookie: str | None = None, resume: str | None = None) -> tuple[str, str]:
    """Run ``page`` in a websocket session (new, or resuming session id ``resume``); its session id and texts."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    protocols = ["streamlit", "none", resume] if resume else ["streamlit"]
    async with websockets.connect(
        base.replace("http", "ws", 1) + "/_stcore/stream",
        subprotocols=protocols,
        origin=base,
        additional_headers={"Cookie": cookie} if cookie else None,
        max_size=None,
    ) as ws:
        message = BackMsg()
        message.rerun_script.page_name = page
        await ws.send(message.SerializeToString())
        session, texts = "", []
        async with asyncio.timeout(60):
            while True:
                forward = ForwardMsg()
                forward.ParseFromString(await ws.recv())
                kind = forward.WhichOneof("type")
                if kind == "new_session":
                    session = forward.new_session.initialize.session_id
                elif kind == "delta":
                    texts.append(str(forward.delta))
                elif kind == "script_finished":
                    return session, "\n".join(texts)


def issue_partner_list(path: Path) -> Path:
    """A hostile partner list: a 32,000-character name in 490,000 rows all numbered 2 (65 KB of XLSX)."""
    strings = f'<?xml version="1.0"?><sst xmlns="{MAIN}"><si><t>Name</t></si><si><t>{"A" * 32_000}</t></si></sst>'
    write_xlsx(path, None, shared_strings=strings)
    add_streamed_part(
        path,
        "xl/worksheets/sheet1.xml",
        f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'.encode(),
        b'<row r="2"><c r="A2" t="s"><v>1</v></c></row>',
        490_000,
        b"</sheetData></worksheet>",
    )
    return path


def invented_names_list(units: pd.DataFrame, rows: int = 19_990) -> bytes:
    """A valid partner list whose every name is unknown: seconds of checking (suggestions for the first 1,000)."""
    names = units.loc[units["level"] == "gemeinde", "name"].tolist()
    lines = "".join(f"{names[n % len(names)]} {n};01.02.2024\n" for n in range(rows))
    return ("Name;Beitritt\n" + lines).encode()


# -- the pages' tables (dashboard/datatable.py) ------------------------------------------------------
class ShownTable:
    """One table of a page as its markup says it: caption, header cells, rows (texts), and how it is marked up.

    ``value`` holds the rows as shown (a DataFrame of texts, like the grid's ``value`` did); ``header``
    the header cells' attributes by column (``scope``, ``data-kind``, ``aria-sort``); ``row_headers``
    whether each row's first cell was a ``<th scope="row">``; ``sort_keys`` the cells' ``data-sort``
    (None where the text is the key); ``langs`` the cells' ``lang`` (None: the page's).
    """

    def __init__(self, caption: str, header: dict[str, dict], rows: list[list], attributes: list[list[dict]]):
        self.caption = caption
        self.header = header
        self.value = pd.DataFrame(rows, columns=list(header))
        self.row_headers = [cells[0]["tag"] == "th" and cells[0].get("scope") == "row" for cells in attributes]
        self.sort_keys = [[cell.get("data-sort") for cell in cells] for cells in attributes]
        self.langs = [[cell.get("lang") for cell in cells] for cells in attributes]


def read_tables(markup: str) -> list[ShownTable]:
    """The tables in the markup of ``dashboard.datatable`` (an ``st.html`` body or a page's HTML)."""
    from html.parser import HTMLParser

    found: list[ShownTable] = []

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.text, self.where = None, None
            self.caption, self.header, self.rows, self.cells = "", {}, [], []
            self.row, self.cell_attrs = [], []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "table":
                self.caption, self.header, self.rows, self.cells = "", {}, [], []
            elif tag == "caption":
                self.where, self.text = "caption", ""
            elif tag == "thead":
                self.section = "head"
            elif tag == "tbody":
                self.section = "body"
            elif tag == "tr":
                self.row, self.cell_attrs = [], []
            elif tag in ("th", "td"):
                self.where, self.text, self.attrs = tag, "", {"tag": tag, **attrs}

        def handle_data(self, data):
            if self.where is not None:
                self.text += data

        def handle_endtag(self, tag):
            if tag == "caption":
                self.caption, self.where = self.text.strip(), None
            elif tag in ("th", "td") and self.where:
                if self.section == "head":
                    self.header[self.text.strip()] = self.attrs
                else:
                    self.row.append(self.text)
                    self.cell_attrs.append(self.attrs)
                self.where = None
            elif tag == "tr" and self.section == "body":
                self.rows.append(self.row)
                self.cells.append(self.cell_attrs)
            elif tag == "table":
                found.append(ShownTable(self.caption, self.header, self.rows, self.cells))

    Reader().feed(markup)
    return found


def app_tables(app) -> list[ShownTable]:
    """Every table an AppTest run drew (``st.html`` elements of ``dashboard.datatable``), in page order."""
    return [table for element in app.get("html") for table in read_tables(element.proto.body)]
