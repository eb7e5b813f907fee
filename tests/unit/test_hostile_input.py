"""Hostile partner lists, generated here: each is refused with one clear message or read correctly.

Every file is read in a fresh subprocess whose peak memory (``ru_maxrss``) is
asserted below :data:`MEMORY_CAP_MB`: these tests bound memory, not time.
The reading process also runs under an address-space limit, so a regression
fails the test instead of taking the machine down.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from dashboard.webserver import STREAMLIT_CONFIG
from loaders.errors import InputError
from loaders.paths import PROJECT_ROOT
from register.partnerlist import read_partner_list
from register.sheets import LIMITS
from tests.helpers import (
    BILLION_LAUGHS,
    DIMENSION_BOMB,
    DOC_RELS,
    HEADER,
    MAIN,
    RELS,
    add_streamed_part,
    inline_row,
    issue_partner_list,
    sheet_xml,
    understate_size,
    write_xlsx,
)

pytestmark = pytest.mark.process  # each test runs a child Python process

# Peak resident memory of a process that imported the reader and read one file.
MEMORY_CAP_MB = 100
# Safety net for the machine: the reading process may not map more than this.
ADDRESS_SPACE_MB = 2048

_READER = textwrap.dedent("""
    import json, resource, sys
    limit = int(sys.argv[2]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from loaders.errors import InputError
    from register.partnerlist import read_partner_list
    try:
        partners = read_partner_list(sys.argv[1])
        out = {"rows": [[r.row, r.values.get("name")] for r in partners.rows], "header_row": partners.header_row}
    except InputError as error:
        out = {"error": str(error)}
    print(json.dumps(out))
""")
# Runs the reader as its only child, so RUSAGE_CHILDREN is that reader's peak alone.
_WRAPPER = textwrap.dedent("""
    import json, resource, subprocess, sys
    done = subprocess.run([sys.executable, "-c", sys.argv[1], sys.argv[2], sys.argv[3]],
                          capture_output=True, text=True)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr[-2000:],
                      "peak_mb": peak_kb / 1024}))
""")


def read_in_subprocess(path: Path) -> dict:
    """What reading ``path`` gave (``rows`` or ``error``) and the reading process's peak memory."""
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, _READER, str(path), str(ADDRESS_SPACE_MB)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=True,
    )
    report = json.loads(done.stdout)
    assert report["returncode"] == 0, report["stderr"]
    assert "Traceback" not in report["stderr"]
    result = json.loads(report["stdout"])
    result["peak_mb"] = report["peak_mb"]
    assert result["peak_mb"] < MEMORY_CAP_MB, f"reading took {result['peak_mb']:.0f} MB"
    return result


# -- building XLSX files by hand (openpyxl would not write a hostile one) -------------------------


# -- XLSX ---------------------------------------------------------------------------------------


def test_dimension_bomb_one_cell_at_the_last_row_and_column_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "bomb.xlsx", sheet_xml(DIMENSION_BOMB, "A1:XFD1048576"))
    assert path.stat().st_size < 5000
    result = read_in_subprocess(path)
    assert f"at most {LIMITS.columns} columns" in result["error"]


def test_dimension_bomb_far_row_in_the_first_column_is_refused_naming_the_row_cap(tmp_path):
    rows = HEADER + inline_row(1048576, "Hamm")
    path = write_xlsx(tmp_path / "bomb.xlsx", sheet_xml(rows, "A1:XFD1048576"))
    result = read_in_subprocess(path)
    assert "row 1048576" in result["error"] and f"at most {LIMITS.rows} rows" in result["error"]


def test_huge_declared_dimension_is_not_padded(tmp_path):
    rows = HEADER + inline_row(2, "Hamm", "2024") + inline_row(3, "Kleve", "2023")
    path = write_xlsx(tmp_path / "wide.xlsx", sheet_xml(rows, "A1:XFD1048576"))
    result = read_in_subprocess(path)
    assert result["rows"] == [[1, "Hamm"], [2, "Kleve"]]


def test_stale_too_small_dimension_still_reads_every_row(tmp_path):
    rows = HEADER + "".join(inline_row(n, name) for n, name in enumerate(("Hamm", "Kleve", "Soest", "Wesel"), 2))
    path = write_xlsx(tmp_path / "stale.xlsx", sheet_xml(rows, "A1:A1"))
    result = read_in_subprocess(path)
    assert result["rows"] == [[1, "Hamm"], [2, "Kleve"], [3, "Soest"], [4, "Wesel"]]


def test_no_dimension_and_cells_without_references(tmp_path):
    rows = '<row><c t="inlineStr"><is><t>Name</t></is></c></row><row><c t="inlineStr"><is><t>Hamm</t></is></c></row>'
    result = read_in_subprocess(write_xlsx(tmp_path / "plain.xlsx", sheet_xml(rows, None)))
    assert result["rows"] == [[1, "Hamm"]]


def test_a_million_empty_cells_and_rows_are_streamed_in_flat_memory(tmp_path):
    path = write_xlsx(tmp_path / "empty.xlsx", None)
    head = f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>{HEADER}<row r="2">'.encode()
    tail = f'</row>{inline_row(3, "Hamm")}<row r="4"/>'.encode()
    add_streamed_part(
        path,
        "xl/worksheets/sheet1.xml",
        head,
        b'<c s="1"/>',
        1_000_000,
        tail + b"<row/>" * 1_000_000 + b"</sheetData></worksheet>",
    )
    assert read_in_subprocess(path)["rows"] == [[2, "Hamm"]]


def test_styles_bomb_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "styles.xlsx", sheet_xml(HEADER + inline_row(2, "Hamm")), styles=True)
    add_streamed_part(
        path,
        "xl/styles.xml",
        f'<?xml version="1.0"?><styleSheet xmlns="{MAIN}"><cellXfs>'.encode(),
        b'<xf numFmtId="14"/>',
        LIMITS.cells + 1,
        b"</cellXfs></styleSheet>",
    )
    assert "cell formats" in read_in_subprocess(path)["error"]


def test_shared_strings_bomb_by_count_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "sst.xlsx", sheet_xml(HEADER), shared_strings=None)
    add_streamed_part(
        path,
        "xl/sharedStrings.xml",
        f'<?xml version="1.0"?><sst xmlns="{MAIN}">'.encode(),
        b"<si><t>a</t></si>",
        LIMITS.shared_strings + 10,
        b"</sst>",
    )
    _relate_shared_strings(path)
    assert path.stat().st_size < 1_000_000
    result = read_in_subprocess(path)
    assert f"more than {LIMITS.shared_strings} shared strings" in result["error"]


def test_shared_strings_bomb_by_size_is_refused_before_unpacking(tmp_path):
    path = write_xlsx(tmp_path / "sst.xlsx", sheet_xml(HEADER))
    add_streamed_part(
        path,
        "xl/sharedStrings.xml",
        f'<?xml version="1.0"?><sst xmlns="{MAIN}"><si><t>'.encode(),
        b"a" * 1024,
        100 * 1024,
        b"</t></si></sst>",
    )
    _relate_shared_strings(path)
    result = read_in_subprocess(path)
    assert "xl/sharedStrings.xml" in result["error"] and "MB" in result["error"]


def _relate_shared_strings(path: Path) -> None:
    """Rewrite the workbook's relationships so that they include the shared strings."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" '
        f'Target="sharedStrings.xml"/></Relationships>'.encode(),
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as target:
        for name, data in parts.items():
            # Stored parts keep their honest sizes; the big one is copied compressed.
            target.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)


def test_zip_bomb_with_honest_sizes_is_refused_before_unpacking(tmp_path):
    path = write_xlsx(tmp_path / "zip.xlsx", sheet_xml(HEADER))
    add_streamed_part(path, "xl/media/filler.bin", b"", b"\0" * 1024, 200 * 1024, b"")
    assert path.stat().st_size < 1_000_000
    result = read_in_subprocess(path)
    assert "xl/media/filler.bin" in result["error"] and "unpacks to more than" in result["error"]


def test_zip_bomb_that_understates_its_size_is_stopped(tmp_path):
    rows = HEADER + inline_row(2, "Hamm")
    path = tmp_path / "liar.xlsx"
    write_xlsx(path, sheet_xml(rows + "<!--" + "x" * (40 * 1024 * 1024) + "-->"))
    understate_size(path, "xl/worksheets/sheet1.xml", 2000)
    result = read_in_subprocess(path)
    assert "not a readable XLSX file" in result["error"] or "unpacks to more than" in result["error"]


def test_entity_expansion_in_a_sheet_is_refused(tmp_path):
    rows = HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    path = write_xlsx(tmp_path / "laughs.xlsx", sheet_xml(rows, prolog=BILLION_LAUGHS))
    result = read_in_subprocess(path)
    assert "unsafe XML" in result["error"]


def test_entity_expansion_in_the_workbook_part_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "laughs.xlsx", sheet_xml(HEADER), workbook_prolog=BILLION_LAUGHS)
    assert "unsafe XML in xl/workbook.xml" in read_in_subprocess(path)["error"]


def test_external_entity_is_refused_and_never_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("geheim")
    prolog = f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    rows = HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
    result = read_in_subprocess(write_xlsx(tmp_path / "xxe.xlsx", sheet_xml(rows, prolog=prolog)))
    assert "unsafe XML" in result["error"] and "geheim" not in json.dumps(result)


def test_external_workbook_link_is_not_followed_and_the_cached_value_is_read(tmp_path):
    rows = HEADER + '<row r="2"><c r="A2" t="str"><f>[1]Tabelle!A1</f><v>Hamm</v></c></row>'
    link = (
        f'<?xml version="1.0"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" '
        f'Type="{DOC_RELS}/externalLinkPath" Target="http://127.0.0.1:9/evil.xlsx" TargetMode="External"/>'
        "</Relationships>"
    )
    path = write_xlsx(
        tmp_path / "link.xlsx",
        sheet_xml(rows),
        sheet_rels=link,
        extra={"xl/externalLinks/_rels/externalLink1.xml.rels": link},
    )
    assert read_in_subprocess(path)["rows"] == [[1, "Hamm"]]


def test_a_cell_longer_than_the_cap_is_refused(tmp_path):
    rows = HEADER + inline_row(2, "x" * (LIMITS.cell_chars + 1))
    result = read_in_subprocess(write_xlsx(tmp_path / "long.xlsx", sheet_xml(rows)))
    assert f"more than {LIMITS.cell_chars} characters" in result["error"]


def test_a_shared_string_index_out_of_range_is_refused(tmp_path):
    rows = HEADER + '<row r="2"><c r="A2" t="s"><v>7</v></c></row>'
    path = write_xlsx(
        tmp_path / "index.xlsx",
        sheet_xml(rows),
        shared_strings=f'<?xml version="1.0"?><sst xmlns="{MAIN}"><si><t>a</t></si></sst>',
    )
    with pytest.raises(InputError, match="shared string '7'"):
        read_partner_list(path)


def test_rich_text_shared_strings_and_numbers(tmp_path):
    strings = (
        f'<?xml version="1.0"?><sst xmlns="{MAIN}"><si><t>Name</t></si>'
        "<si><r><t>Bad </t></r><r><t>Salzuflen</t></r><rPh><t>ignored</t></rPh></si><si><t>AGS</t></si></sst>"
    )
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>2</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>5766004</v></c></row>'
    )
    partners = read_partner_list(write_xlsx(tmp_path / "rich.xlsx", sheet_xml(rows), shared_strings=strings))
    assert partners.rows[0].values == {"name": "Bad Salzuflen", "key": 5766004}


def test_not_a_zip_and_a_zip_without_a_workbook(tmp_path):
    path = tmp_path / "empty.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="no header with a name column|not a readable XLSX"):
        read_partner_list(path)


def test_an_element_bomb_in_one_cell_is_refused_in_flat_memory(tmp_path):
    """28 KB of XLSX, seven million empty elements inside one cell: 606 MB and 60 s before the element cap."""
    path = write_xlsx(tmp_path / "elements.xlsx", None)
    head = f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>{HEADER}<row r="2"><c r="A2" t="inlineStr">'
    add_streamed_part(
        path, "xl/worksheets/sheet1.xml", head.encode(), b"<x/>", 7_000_000, b"</c></row></sheetData></worksheet>"
    )
    assert path.stat().st_size < 64 * 1024
    result = read_in_subprocess(path)
    assert f"more than {LIMITS.held} XML elements in one item" in result["error"]


def test_an_element_bomb_in_one_shared_string_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "sst.xlsx", sheet_xml(HEADER))
    add_streamed_part(
        path,
        "xl/sharedStrings.xml",
        f'<?xml version="1.0"?><sst xmlns="{MAIN}"><si>'.encode(),
        b"<r><t>a</t></r>",
        LIMITS.held,
        b"</si></sst>",
    )
    _relate_shared_strings(path)
    assert f"more than {LIMITS.held} XML elements" in read_in_subprocess(path)["error"]


def test_deeply_nested_xml_is_refused(tmp_path):
    """Three million open elements: 866 MB before the depth cap."""
    path = write_xlsx(tmp_path / "deep.xlsx", None)
    head = f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>{HEADER}<row r="2"><c r="A2">'
    add_streamed_part(path, "xl/worksheets/sheet1.xml", head.encode(), b"<x>", 3_000_000, b"")
    result = read_in_subprocess(path)
    assert f"nested deeper than {LIMITS.depth} levels" in result["error"]


def test_repeated_row_numbers_with_a_32000_character_name_are_refused(tmp_path):
    """A bomb of a file: 490,000 times ``<row r="2">`` with a 32,000-character shared string (230 MB unpacked)."""
    result = read_in_subprocess(issue_partner_list(tmp_path / "rows.xlsx"))
    assert "row 2 after row 2; rows must be in order" in result["error"]


def test_rows_in_order_referencing_one_long_string_stop_at_the_text_cap(tmp_path):
    """Ascending row numbers, each cell the same 32,000 characters: every reference counts towards the text cap."""
    strings = f'<?xml version="1.0"?><sst xmlns="{MAIN}"><si><t>Name</t></si><si><t>{"A" * 32_000}</t></si></sst>'
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + "".join(
        f'<row r="{n}"><c r="A{n}" t="s"><v>1</v></c></row>' for n in range(2, 2000)
    )
    path = write_xlsx(tmp_path / "text.xlsx", sheet_xml(rows), shared_strings=strings)
    result = read_in_subprocess(path)
    assert "characters together" in result["error"]


def test_rows_without_numbers_count_towards_the_row_cap(tmp_path):
    path = write_xlsx(tmp_path / "unnumbered.xlsx", None)
    add_streamed_part(
        path,
        "xl/worksheets/sheet1.xml",
        f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>{HEADER}'.encode(),
        b'<row><c t="inlineStr"><is><t>Hamm</t></is></c></row>',
        LIMITS.rows + 5,
        b"</sheetData></worksheet>",
    )
    assert f"at most {LIMITS.rows} rows" in read_in_subprocess(path)["error"]


def test_a_corrupt_deflate_stream_is_one_message(tmp_path):
    rows = HEADER + "".join(inline_row(n, f"Stadt {n}") for n in range(2, 300))
    path = write_xlsx(tmp_path / "deflate.xlsx", sheet_xml(rows))
    data = bytearray(path.read_bytes())
    start = data.find(b"xl/worksheets/sheet1.xml") + len("xl/worksheets/sheet1.xml") + 40
    data[start : start + 30] = b"\xff" * 30
    path.write_bytes(bytes(data))
    assert "not a readable XLSX file" in read_in_subprocess(path)["error"]


@pytest.mark.parametrize("number", ["\u00b2", "\u0662"])  # superscript two, Arabic-Indic two
def test_a_row_number_in_other_digits_is_one_message(tmp_path, number):
    rows = HEADER + f'<row r="{number}"><c t="inlineStr"><is><t>Hamm</t></is></c></row>'
    with pytest.raises(InputError, match="row number"):
        read_partner_list(write_xlsx(tmp_path / "digits.xlsx", sheet_xml(rows)))


# -- CSV ----------------------------------------------------------------------------------------


def test_mixed_encodings_are_reported_not_re_decoded(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes("Name;Beitritt\nKöln;2024\n".encode() + "Münster;2023\n".encode("cp1252"))
    result = read_in_subprocess(path)
    assert "mixes encodings" in result["error"] and "line 3" in result["error"]


def test_windows_1252_alone_is_read(tmp_path):
    path = tmp_path / "ansi.csv"
    path.write_bytes("Name;Beitritt\nKöln;2024\nMünster;2023\n".encode("cp1252"))
    assert read_in_subprocess(path)["rows"] == [[1, "Köln"], [2, "Münster"]]


def test_utf8_bom_with_a_stray_byte_is_reported(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfName\nK\xf6ln\n")
    with pytest.raises(InputError, match="mixes encodings"):
        read_partner_list(path)


def test_100k_row_csv_is_refused_naming_the_row_cap(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("Name;Beitritt\n" + "".join(f"Gemeinde {i};2024\n" for i in range(100_000)))
    assert path.stat().st_size < LIMITS.file_bytes  # refused for its rows, not its size
    result = read_in_subprocess(path)
    assert f"more than {LIMITS.rows} rows" in result["error"]


def test_a_csv_at_the_row_cap_is_read_whole(tmp_path):
    path = tmp_path / "full.csv"
    path.write_text("Name;Beitritt\n" + "".join(f"Gemeinde {i};2024\n" for i in range(LIMITS.rows - 1)))
    result = read_in_subprocess(path)
    assert len(result["rows"]) == LIMITS.rows - 1 and result["rows"][-1] == [
        LIMITS.rows - 1,
        f"Gemeinde {LIMITS.rows - 2}",
    ]


def test_a_csv_larger_than_the_file_cap_is_refused_unread(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.write(b"Name\n")
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB claimed, nothing written
    result = read_in_subprocess(path)
    assert f"larger than {LIMITS.file_bytes // 1024 // 1024} MB" in result["error"]


def test_a_csv_field_longer_than_the_cap_is_refused(tmp_path):
    path = tmp_path / "field.csv"
    path.write_text('Name;Bemerkung\nHamm;"' + "x" * 200_000 + '"\n')
    result = read_in_subprocess(path)
    assert f"more than {LIMITS.cell_chars} characters" in result["error"]


def test_a_csv_wider_than_the_cap_is_refused_but_trailing_separators_do_not_count(tmp_path):
    wide = tmp_path / "wide.csv"
    wide.write_text("Name;" + ";".join(f"c{i}" for i in range(LIMITS.columns + 5)) + "\nHamm\n")
    with pytest.raises(InputError, match=f"at most {LIMITS.columns} columns"):
        read_partner_list(wide)
    trailing = tmp_path / "trailing.csv"
    trailing.write_text("Name;Beitritt" + ";" * 5000 + "\nHamm;2024" + ";" * 5000 + "\n")
    assert [r.values["name"] for r in read_partner_list(trailing).rows] == ["Hamm"]


def test_check_the_register_upload_and_the_streamlit_server_share_the_file_cap():
    import tomllib

    from dashboard import register_view

    config = tomllib.loads(STREAMLIT_CONFIG.read_text())
    assert LIMITS.file_bytes == register_view.MAX_UPLOAD_MB * 1024 * 1024
    assert config["server"]["maxUploadSize"] == register_view.MAX_UPLOAD_MB


def test_the_security_page_states_the_caps_the_reader_applies():
    page = (PROJECT_ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    section = page[page.index("## Limits when reading partner lists") :]
    for what, how_much in LIMITS.describe():
        assert f"| {what} | {how_much} |" in section
