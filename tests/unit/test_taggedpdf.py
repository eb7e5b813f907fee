"""Press PDFs as tagged PDF/UA-1, read back as a checker and a screen reader would read them.

`pdfua` (PyPI) checks the machine-checkable subset of PDF/UA-1 it implements
(structure tree, marked content, /Lang, alt text of figures, tables, headings,
title, XMP identification); what it leaves out and a reader needs is checked
here with pikepdf and pypdf: fonts embedded, the reading order title → map →
legend → credits, the figure's alt text, real text. The checker is shown to
fail on matplotlib's own (untagged) PDF, so a pass means something.
"""

from __future__ import annotations

import datetime as dt
import io

import matplotlib
import pikepdf
import pytest
from pdfua import validate
from pypdf import PdfReader

from exports import mapfig, style
from exports.dispatch import alt_text, export
from loaders.viewstate import ViewState

pytestmark = pytest.mark.media

DAY = dt.date(2024, 2, 1)
NRW = ViewState(DAY)
DETMOLD_COMPARE = ViewState(DAY, region="057", compare=dt.date(2024, 1, 31))
# pdfua 0.1.3 cannot evaluate its "headings are not empty" rule when a heading's /K is an array
# (getattr on a pikepdf Array raises ValueError, not AttributeError): the rule is checked here instead.
KNOWN_CHECKER_SKIPS = {"UA-14-001"}


def _check(tmp_path, data: bytes, name: str = "press.pdf"):
    path = tmp_path / name
    path.write_bytes(data)
    report = validate(str(path))
    findings = [(f.rule_id, f.severity.name, f.message) for f in report.findings]
    skipped = {o.rule_id for o in report.outcomes if o.skipped_reason}
    return findings, skipped, len(report.outcomes)


def _elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """The structure elements below the document element, in tree (reading) order."""
    root = pdf.Root.StructTreeRoot.K
    document = root[0] if isinstance(root, pikepdf.Array) else root
    assert document.S == "/Document"
    kids = document.K
    return [kid for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]) if isinstance(kid, pikepdf.Dictionary)]


def _mcids(element) -> list[int]:
    """Marked-content ids of an element and its descendants, in order."""
    kids = element.get("/K")
    if kids is None:
        return []
    out = []
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int):
            out.append(int(kid))
        elif isinstance(kid, pikepdf.Dictionary):
            out += [int(kid.MCID)] if kid.get("/Type") == "/MCR" else _mcids(kid)
    return out


def _marked_text(pdf: pikepdf.Pdf) -> dict[int, str]:
    """The text shown in each marked-content sequence of the page (MCID -> text)."""
    texts: dict[int, str] = {}
    stack: list[int | None] = []
    for operands, operator in pikepdf.parse_content_stream(pdf.pages[0]):
        name = str(operator)
        if name == "BDC":
            properties = operands[1]
            stack.append(
                int(properties.MCID) if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties else None
            )
        elif name == "BMC":
            stack.append(None)
        elif name == "EMC":
            stack.pop()
        elif name in ("Tj", "TJ") and stack and stack[-1] is not None:
            texts[stack[-1]] = texts.get(stack[-1], "") + "x"  # shown glyphs (CID-encoded: counted, not decoded)
    return texts


@pytest.mark.parametrize("preset", list(style.PRESETS))
def test_press_pdf_passes_the_machine_checkable_pdf_ua_rules(coverage, tmp_path, preset):
    data = export(coverage, NRW, "pdf", preset=preset)
    findings, skipped, rules = _check(tmp_path, data)
    assert findings == []
    assert skipped <= KNOWN_CHECKER_SKIPS and rules >= 12
    reader = PdfReader(io.BytesIO(data))
    assert reader.trailer["/Root"]["/Lang"] == "de"
    assert bool(reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    assert reader.metadata.title == style.default_title()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.open_metadata().get("pdfuaid:part")) == "1"


def test_the_checker_fails_an_untagged_pdf(coverage, tmp_path):
    """matplotlib's own PDF of the same figure: no structure tree, no /Lang — the checker must say so."""
    with matplotlib.rc_context(mapfig.RC):
        fig = mapfig.build_figure(coverage, NRW, style.PRESETS["square"])
        buffer = io.BytesIO()
        fig.savefig(buffer, format="pdf", metadata={"CreationDate": None})
    findings, _, _ = _check(tmp_path, buffer.getvalue(), "untagged.pdf")
    failed = {rule for rule, severity, _ in findings if severity == "ERROR"}
    assert {"UA-01-005", "UA-06-001"} <= failed


def test_reading_order_is_title_map_legend_credits(coverage):
    data = export(coverage, DETMOLD_COMPARE, "pdf", preset="a4", subtitle="Lage ist dabei", note="Quelle: Test")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        elements = _elements(pdf)
        roles = [str(e.S) for e in elements]
        # Title, Unterzeile and the view's lines; the map; the legend's title and its list; note, version, credits.
        assert roles[0] == "/H1"
        figure = roles.index("/Figure")
        assert set(roles[1:figure]) == {"/P"} and figure >= 4
        lists = [i for i, role in enumerate(roles) if role == "/L"]  # one per legend column
        assert roles[figure + 1] == "/P" and lists and lists == list(range(figure + 2, figure + 2 + len(lists)))
        after = lists[-1] + 1
        assert set(roles[after:]) == {"/P"} and len(roles) > after
        assert roles.count("/Figure") == 1
        # Every element holds content, the heading too (the rule the checker could not evaluate).
        shown = _marked_text(pdf)
        for element in elements:
            ids = _mcids(element)
            assert ids, element.S
            if element.S != "/Figure":
                assert any(shown.get(i) for i in ids), element.S
        # The content stream follows the tree: marked content in increasing order.
        order = [i for element in elements for i in _mcids(element)]
        assert order == sorted(order)
        entries = sum(len(elements[i].K) for i in lists)
        assert entries == len(mapfig.legend_items(mapfig.panels(coverage, DETMOLD_COMPARE)))
    # What a reader extracts, in that order.
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    places = [
        text.index("Beitritte im"),
        text.index("Lage ist dabei"),
        text.index("Stand: 1. Februar 2024"),
        text.index("neu seit 31. Januar 2024"),
        text.index("Quelle: Test"),
        text.index("GeoBasis-DE"),
    ]
    assert places == sorted(places)


def test_the_map_is_a_figure_with_the_views_description(coverage):
    data = export(coverage, DETMOLD_COMPARE, "pdf")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        [figure] = [e for e in _elements(pdf) if e.S == "/Figure"]
        assert str(figure.Alt) == alt_text(coverage, DETMOLD_COMPARE)
        assert "70 von 70 Gemeinden" in str(figure.Alt)
    assert PdfReader(io.BytesIO(data)).metadata["/Subject"] == alt_text(coverage, DETMOLD_COMPARE)


def test_fonts_are_embedded_everywhere(coverage):
    """PDF/UA-1 7.21.4.1 (not among the checker's rules): every font, also those of the map's own labels."""
    data = export(coverage, NRW, "pdf", preset="a4")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        fonts = []
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                fonts.append(obj)
        assert fonts
        for descriptor in fonts:
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), descriptor.FontName
            assert "DejaVuSans" in str(descriptor.FontName)


def test_english_view_and_the_timeline(coverage, tmp_path):
    view = ViewState(dt.date(2026, 12, 7), lang="en")
    data = export(coverage, view, "pdf", picture="timeline")
    findings, skipped, _ = _check(tmp_path, data)
    assert findings == [] and skipped <= KNOWN_CHECKER_SKIPS
    reader = PdfReader(io.BytesIO(data))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    text = reader.pages[0].extract_text()
    assert text.index("accessions in NRW") < text.index("Published without a date")  # below the charts, as text
    with pikepdf.open(io.BytesIO(data)) as pdf:
        [figure] = [e for e in _elements(pdf) if e.S == "/Figure"]
        assert str(figure.Alt) == alt_text(coverage, view, picture="timeline")


def test_a_title_with_markup_characters_stays_those_characters(coverage, tmp_path):
    title = 'Detmold *#dabei* $x$ <b>"quoted"</b> @ref \\ [link](x) // kein Kommentar'
    data = export(coverage, NRW, "pdf", preset="a4-landscape", title=title)
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == title
    assert title in " ".join(reader.pages[0].extract_text().split("\n"))
    findings, _, _ = _check(tmp_path, data)
    assert findings == []


def test_control_and_direction_characters_never_reach_a_picture(coverage, tmp_path):
    """A headline pasted with a NUL, a bell or a right-to-left override: shown without them, in PDF and SVG."""
    import xml.etree.ElementTree as ET

    title = "Detmold\x00 ist\x07 dabei \u202eevil"
    data = export(coverage, NRW, "pdf", preset="square", title=title, subtitle="Unter\x1bzeile", note="Quelle\x00")
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == "Detmold ist dabei evil"
    assert "Unter zeile" in reader.pages[0].extract_text()
    findings, _, _ = _check(tmp_path, data)
    assert findings == []
    root = ET.fromstring(export(coverage, NRW, "svg", preset="square", title=title))
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Detmold ist dabei evil"
