"""Written feedback report as DOCX and PDF, both built from the same outline.

The outline is a flat list of blocks (heading, paragraph, bullet, finding, chart, table) so the two
renderers stay in step: a heading added for Word also appears in the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from typing import Literal
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Image, ListFlowable, ListItem, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table
from reportlab.platypus import TableStyle as RLTableStyle

from . import charts
from ._text import DRAFT_MARK, british_date, evidence_sentence, plural, subtitle_lines
from .data import FINDING_KIND_LABELS, SECTION_SOURCES, EvidenceCounts, ReportData, ReportSection
from .errors import ExportError


@dataclass(frozen=True)
class Block:
    kind: Literal["h1", "h2", "h3", "p", "bullet", "number", "finding", "chart", "table", "small"]
    text: str = ""
    detail: str = ""
    chart: charts.Chart | None = None
    rows: tuple[tuple[str, ...], ...] = field(default_factory=tuple)


def report_outline(data: ReportData, counts: EvidenceCounts) -> list[Block]:
    """Every section of the review type's outline, in its order, each filled from its source."""
    b: list[Block] = []
    for section in data.outline():
        b.append(Block("h1", section.heading))
        b += _SOURCES[section.source](data, counts, section)
    return b


def _wording(section: ReportSection) -> list[Block]:
    return [Block("p", p) for p in section.paragraphs]


def _context(data: ReportData, counts: EvidenceCounts, section: ReportSection) -> list[Block]:
    what = f"{data.review_type_name} of {data.council_name}" if data.council_name else data.review_type_name
    opening = f"This report sets out what the peer team found in the {what}, held {data.dates_text}."
    if data.feedback_date:
        opening += f" The team gave its feedback to the council on {british_date(data.feedback_date)}."
    return [Block("p", opening), *_wording(section)]


def _scope(data: ReportData, counts: EvidenceCounts, section: ReportSection) -> list[Block]:
    b: list[Block] = []
    if data.purpose_question:
        b.append(Block("p", f"The council asked the peer team: {data.purpose_question}"))
    b += _wording(section)
    if data.lines_of_enquiry:
        b.append(Block("p", "The key lines of enquiry were:"))
        b += [Block("bullet", f"{loe.code}: {loe.title}", loe.question) for loe in data.lines_of_enquiry]
    return b or [Block("p", "The scope is to be added.")]


def _methodology(data: ReportData, counts: EvidenceCounts, section: ReportSection) -> list[Block]:
    b = _wording(section)
    if counts.notes:
        where = f" in {plural(counts.sessions, 'session')}" if counts.sessions else ""
        kinds = len(counts.source_types())
        b.append(
            Block(
                "p",
                f"The team recorded {plural(counts.notes, 'evidence note')}{where}, "
                f"from {plural(kinds, 'kind')} of source.",
            )
        )
    if data.lines_of_enquiry:
        rows = [("Line of enquiry", "Evidence notes", "Kinds of source")]
        rows += [
            (f"{loe.code}: {loe.title}", str(counts.total_for(loe.code)), str(counts.source_types_for(loe.code)))
            for loe in data.lines_of_enquiry
        ]
        b.append(Block("table", rows=tuple(rows)))
    b.append(Block("chart", chart=charts.evidence_chart(counts, data.lines_of_enquiry)))
    b.append(Block("chart", chart=charts.findings_chart(counts)))
    return b


def _findings(data: ReportData, counts: EvidenceCounts, section: ReportSection) -> list[Block]:
    b = _wording(section)
    groups = [(f"{loe.code}: {loe.title}", loe.code, loe.question) for loe in data.lines_of_enquiry]
    if any(not f.line_of_enquiry_code and f.kind in section.kinds for f in data.findings):
        groups.append(("Findings across the service", "", ""))
    for heading, code, question in groups:
        b.append(Block("h2", heading))
        if question:
            b.append(Block("p", question))
        if code:
            b.append(Block("small", evidence_sentence(counts.total_for(code), counts.source_types_for(code))))
        for kind in section.kinds:
            b.append(Block("h3", FINDING_KIND_LABELS[kind]))
            findings = data.findings_for(code, kind) if code else data.general_findings(kind)
            if not findings:
                b.append(Block("p", "None identified."))
            for f in findings:
                b.append(Block("finding", f.title, f.detail))
                b.append(Block("small", evidence_sentence(f.evidence_count, f.source_types_count)))
    return b


def _recommendations(data: ReportData, counts: EvidenceCounts, section: ReportSection) -> list[Block]:
    b = _wording(section)
    recs = data.recommendations()
    if not recs:
        b.append(Block("p", "The peer team made no recommendations."))
    for f in recs:
        prefix = f"{f.line_of_enquiry_code}: " if f.line_of_enquiry_code else ""
        b.append(Block("number", f"{prefix}{f.title}"))
    return b


def _next_steps(data: ReportData, counts: EvidenceCounts, section: ReportSection) -> list[Block]:
    steps = [Block("bullet", s) for s in section.paragraphs]
    return steps or [Block("p", "Next steps will be agreed with the council.")]


def _team(data: ReportData, counts: EvidenceCounts, section: ReportSection) -> list[Block]:
    b = _wording(section)
    rows = (("Name", "Role", "Organisation"), *((m.name, m.role, m.organisation) for m in data.team))
    b.append(Block("table", rows=rows) if data.team else Block("p", "The peer team is to be confirmed."))
    return b


def _written(data: ReportData, counts: EvidenceCounts, section: ReportSection) -> list[Block]:
    return _wording(section) or [Block("p", "To be written.")]


_SOURCES = {
    "context": _context,
    "scope": _scope,
    "methodology": _methodology,
    "findings": _findings,
    "recommendations": _recommendations,
    "next_steps": _next_steps,
    "team": _team,
    "written": _written,
}
assert set(_SOURCES) == set(SECTION_SOURCES)


# --- Word ---------------------------------------------------------------------------------------


def build_report_docx(data: ReportData, counts: EvidenceCounts) -> bytes:
    try:
        doc = Document()
        _docx_language(doc)
        _docx_title_page(doc, data)
        blocks = report_outline(data, counts)
        _docx_contents(doc, [blk.text for blk in blocks if blk.kind == "h1"])
        for blk in blocks:
            _docx_block(doc, blk)
        if data.is_draft:
            for section in doc.sections:
                para = section.header.paragraphs[0]
                run = para.add_run(DRAFT_MARK)
                run.bold = True
                run.font.size = Pt(14)
        props = doc.core_properties
        props.title = data.review_title
        props.author = data.author
        props.subject = f"Feedback report: {data.council_name} {data.review_type_name}".strip()
        props.language = "en-GB"
        props.version = data.version
        props.content_status = "Draft" if data.is_draft else "Final"
        props.keywords = "peer review; children's services"
        out = BytesIO()
        doc.save(out)
        return out.getvalue()
    except ExportError:
        raise
    except Exception as exc:
        raise ExportError(f"Could not build the Word report: {exc}") from exc


def _docx_language(doc) -> None:
    # Language on the Normal style and the document defaults so spelling and screen readers use en-GB.
    for rpr in (doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")),):
        _set_lang(rpr)
    _set_lang(doc.styles["Normal"].element.get_or_add_rPr())


def _set_lang(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-GB")


def _docx_title_page(doc, data: ReportData) -> None:
    doc.add_paragraph(data.review_title, style="Title")
    for line in subtitle_lines(data):
        doc.add_paragraph(line, style="Subtitle" if line == data.council_name else None)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _docx_contents(doc, headings: list[str]) -> None:
    doc.add_paragraph("Contents", style="TOC Heading" if "TOC Heading" in _style_names(doc) else "Subtitle")
    for text in headings:
        doc.add_paragraph(text, style="List Paragraph")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _style_names(doc) -> set[str]:
    return {s.name for s in doc.styles}


def _styled(doc, text: str, style_name: str):
    # python-docx resolves a style name by scanning every style on each call, which dominates build time
    # for a large report, so look each one up once and set the id directly.
    cache = doc.__dict__.setdefault("_style_ids", {})
    if style_name not in cache:
        cache[style_name] = doc.styles[style_name].style_id
    para = doc.add_paragraph(text)
    para._p.style = cache[style_name]
    return para


def _docx_block(doc, blk: Block) -> None:
    if blk.kind == "h1":
        _styled(doc, blk.text, "Heading 1")
    elif blk.kind == "h2":
        _styled(doc, blk.text, "Heading 2")
    elif blk.kind == "h3":
        _styled(doc, blk.text, "Heading 3")
    elif blk.kind == "p":
        doc.add_paragraph(blk.text)
    elif blk.kind == "small":
        run = doc.add_paragraph().add_run(blk.text)
        run.italic = True
        run.font.size = Pt(9)
    elif blk.kind in ("bullet", "number"):
        para = _styled(doc, blk.text, "List Bullet" if blk.kind == "bullet" else "List Number")
        if blk.detail:
            para.add_run(f" – {blk.detail}")
    elif blk.kind == "finding":
        para = doc.add_paragraph()
        para.add_run(blk.text).bold = True
        if blk.detail:
            doc.add_paragraph(blk.detail)
    elif blk.kind == "chart" and blk.chart:
        chart = blk.chart
        width = Cm(16)
        height = Cm(min(22.0, 16 * chart.height_px / chart.width_px))
        width = Cm(22.0 * chart.width_px / chart.height_px) if height == Cm(22.0) else width
        shape = doc.add_picture(BytesIO(chart.png), width=width)
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", chart.alt_text)
        doc_pr.set("title", chart.title)
        _styled(doc, chart.title, "Caption")
    elif blk.kind == "table":
        _docx_table(doc, blk.rows)


def _docx_table(doc, rows: tuple[tuple[str, ...], ...]) -> None:
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.text = text
            if r == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    # Mark the first row as a header so it repeats and screen readers announce it.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


# --- PDF ----------------------------------------------------------------------------------------


def build_report_pdf(data: ReportData, counts: EvidenceCounts, *, compress: bool = True) -> bytes:
    """``compress=False`` leaves page streams readable, which tests use to look for text."""
    try:
        out = BytesIO()
        doc = _OutlinedDoc(
            out,
            pagesize=A4,
            title=data.review_title,
            author=data.author,
            subject=f"Feedback report: {data.council_name} {data.review_type_name}".strip(),
            lang="en-GB",
            displayDocTitle=True,
            pageCompression=1 if compress else 0,
            invariant=0 if compress else 1,
            leftMargin=2 * cm,
            rightMargin=2 * cm,
            topMargin=2.2 * cm,
            bottomMargin=2 * cm,
        )
        story = _pdf_story(data, counts)

        def decorate(canvas, _doc) -> None:
            canvas.saveState()
            canvas.setFont("Helvetica", 9)
            canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"Page {canvas.getPageNumber()}")
            if data.is_draft:
                canvas.setFont("Helvetica-Bold", 11)
                canvas.setFillColor(colors.HexColor("#B00020"))
                canvas.drawString(2 * cm, A4[1] - 1.3 * cm, DRAFT_MARK)
                canvas.setFillColor(colors.Color(0.7, 0.7, 0.7, alpha=0.25))
                canvas.setFont("Helvetica-Bold", 80)
                canvas.translate(A4[0] / 2, A4[1] / 2)
                canvas.rotate(45)
                canvas.drawCentredString(0, 0, "DRAFT")
            canvas.restoreState()

        doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
        return out.getvalue()
    except ExportError:
        raise
    except Exception as exc:
        raise ExportError(f"Could not build the PDF report: {exc}") from exc


class _OutlinedDoc(SimpleDocTemplate):
    """Adds PDF bookmarks for headings so the document is navigable."""

    def afterFlowable(self, flowable) -> None:
        level = getattr(flowable, "_outline_level", None)
        if level is None:
            return
        text = flowable.getPlainText()
        key = f"h{self.seq.nextf('heading')}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)


def _pdf_styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("RTitle", parent=base["Title"], fontSize=24, leading=30, spaceAfter=18),
        "subtitle": ParagraphStyle("RSub", parent=base["Normal"], fontSize=13, leading=18, alignment=TA_CENTER),
        "h1": ParagraphStyle("RH1", parent=base["Heading1"], fontSize=17, leading=22, spaceBefore=12),
        "h2": ParagraphStyle("RH2", parent=base["Heading2"], fontSize=13, leading=17, spaceBefore=8),
        "h3": ParagraphStyle("RH3", parent=base["Heading3"], fontSize=11.5, leading=15, spaceBefore=6),
        "p": ParagraphStyle("RP", parent=base["BodyText"], fontSize=10.5, leading=14, spaceAfter=6),
        "small": ParagraphStyle("RSmall", parent=base["BodyText"], fontSize=8.5, leading=11, textColor=colors.grey),
        "caption": ParagraphStyle("RCap", parent=base["Italic"], fontSize=9, leading=12, spaceAfter=10),
    }


def _heading(text: str, style: ParagraphStyle, level: int) -> Paragraph:
    para = Paragraph(escape(text), style)
    para._outline_level = level
    return para


def _pdf_story(data: ReportData, counts: EvidenceCounts) -> list:
    st = _pdf_styles()
    story: list = [Spacer(1, 5 * cm), _heading(data.review_title, st["title"], 0)]
    story += [Paragraph(escape(line), st["subtitle"]) for line in subtitle_lines(data)]
    story.append(PageBreak())
    blocks = report_outline(data, counts)
    story.append(Paragraph("Contents", st["h1"]))
    story += [Paragraph(escape(b.text), st["p"]) for b in blocks if b.kind == "h1"]
    story.append(PageBreak())
    numbered: list = []
    for blk in blocks:
        if blk.kind != "number" and numbered:
            story.append(ListFlowable(numbered, bulletType="1"))
            numbered = []
        text = escape(blk.text)
        if blk.kind in ("h1", "h2", "h3"):
            story.append(_heading(blk.text, st[blk.kind], int(blk.kind[1])))
        elif blk.kind in ("p", "small"):
            story.append(Paragraph(text, st[blk.kind]))
        elif blk.kind == "bullet":
            detail = f" – {escape(blk.detail)}" if blk.detail else ""
            story.append(ListFlowable([ListItem(Paragraph(text + detail, st["p"]))], bulletType="bullet"))
        elif blk.kind == "number":
            numbered.append(ListItem(Paragraph(text, st["p"])))
        elif blk.kind == "finding":
            story.append(Paragraph(f"<b>{text}</b>", st["p"]))
            if blk.detail:
                story.append(Paragraph(escape(blk.detail), st["p"]))
        elif blk.kind == "chart" and blk.chart:
            story += _pdf_chart(blk.chart, st)
        elif blk.kind == "table":
            story.append(_pdf_table(blk.rows, st))
    if numbered:
        story.append(ListFlowable(numbered, bulletType="1"))
    return story


def _pdf_chart(chart: charts.Chart, st: dict[str, ParagraphStyle]) -> list:
    max_w, max_h = A4[0] - 4 * cm, A4[1] - 7 * cm
    ratio = min(max_w / chart.width_px, max_h / chart.height_px)
    image = Image(BytesIO(chart.png), width=chart.width_px * ratio, height=chart.height_px * ratio)
    # reportlab cannot tag figures; the caption carries the alt text so the data is there in words.
    return [image, Paragraph(f"<b>{escape(chart.title)}.</b> {escape(chart.alt_text)}", st["caption"])]


def _pdf_table(rows: tuple[tuple[str, ...], ...], st: dict[str, ParagraphStyle]) -> Table:
    cells = [[Paragraph(escape(c), st["p"]) for c in row] for row in rows]
    table = Table(cells, repeatRows=1, colWidths=[5.5 * cm, 5.5 * cm, 6 * cm])
    table.setStyle(
        RLTableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table
