import re
import zlib
from io import BytesIO

from docx import Document
from docx.oxml.ns import qn

from peerreview.exports.report import build_report_docx, build_report_pdf

from .conftest import make_data


def _headings(doc, level):
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def test_word_report_has_the_agreed_structure(sample):
    doc = Document(BytesIO(build_report_docx(*sample)))
    assert _headings(doc, 1) == [
        "Introduction and context",
        "Scope and key lines of enquiry",
        "Methodology",
        "Case record review",
        "Findings by line of enquiry",
        "Summary of recommendations",
        "Next steps",
        "Appendix: the peer team",
    ]
    assert _headings(doc, 2) == ["K1: Theme 1", "K2: Theme 2", "K3: Theme 3"]
    assert _headings(doc, 3)[:3] == ["Strengths", "Areas for consideration", "Recommendations"]
    assert doc.paragraphs[0].style.name == "Title"
    assert doc.core_properties.title == "Children's services peer review of Exampleshire"
    assert doc.core_properties.language == "en-GB"
    assert doc.sections[0].header.paragraphs[0].text == "DRAFT – not for circulation"
    assert doc.tables[0].rows[1].cells[:3] and doc.tables[0].rows[0].cells[1].text == "Evidence notes"
    assert doc.tables[-1].rows[1].cells[0].text == "Alex Peer"
    lang = doc.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "en-GB"
    descrs = [s._inline.docPr.get("descr") for s in doc.inline_shapes]
    assert len(descrs) == 2 and all(d.startswith("Bar chart") for d in descrs)


def test_final_report_has_no_draft_marking():
    data, counts = make_data(status="final")
    doc = Document(BytesIO(build_report_docx(data, counts)))
    assert "DRAFT" not in doc.sections[0].header.paragraphs[0].text


def _pdf_text(pdf: bytes) -> bytes:
    # Page streams may be compressed; inflate the ones that are.
    chunks = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(chunks)


def test_pdf_report_has_metadata_headings_and_charts(sample):
    pdf = build_report_pdf(*sample, compress=False)
    assert pdf.startswith(b"%PDF")
    assert b"/Title (Children's services peer review of Exampleshire)" in pdf
    assert b"/Lang (en-GB)" in pdf
    text = _pdf_text(pdf)
    for heading in (
        b"Introduction and context",
        b"Methodology",
        b"Summary of recommendations",
        b"Appendix: the peer team",
    ):
        assert heading in text
    assert pdf.count(b"/Subtype /Image") >= 2  # each chart, plus a soft mask for transparency
    assert b"DRAFT" in text


def test_compressed_pdf_still_reads(sample):
    pdf = build_report_pdf(*sample)
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    assert b"Strengths" in _pdf_text(pdf)
