"""Feedback presentation (PPTX, 16:9) in the agreed LGA format.

Title → context and scope → extra sections → one slide per line of enquiry with strengths, areas for
consideration and recommendations → charts → next steps. Every slide has a title placeholder with its
title set, and body text sits in placeholders so screen readers meet it in order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from io import BytesIO
from pathlib import Path

from pptx import Presentation
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Emu, Pt

from . import charts
from ._text import evidence_sentence, subtitle_lines
from .data import FINDING_KIND_LABELS, FINDING_KINDS, EvidenceCounts, ReportData
from .errors import ExportError

MASTER = Path(__file__).parent / "masters" / "feedback_presentation.pptx"
WIDE = (Emu(12192000), Emu(6858000))
MAX_BULLETS = 6  # findings per slide before we continue on another
MAX_LINES = 11  # rough line budget for the body, headings included
CHARS_PER_LINE = 85
Bullet = tuple[str, int]  # (text, level)


def build_presentation(data: ReportData, counts: EvidenceCounts) -> bytes:
    try:
        prs = _new_presentation()
        _title_slide(prs, data)
        _bullet_slides(prs, "Context and scope", _context_bullets(data))
        for section in data.sections:
            _bullet_slides(prs, section.heading, [(p, 0) for p in section.paragraphs])
        for loe in data.lines_of_enquiry:
            groups = {kind: [f.title for f in data.findings_for(loe.code, kind)] for kind in FINDING_KINDS}
            notes = [evidence_sentence(counts.total_for(loe.code), counts.source_types_for(loe.code))]
            if loe.question:
                notes.append(f"Question: {loe.question}")
            notes += _finding_notes(data, loe.code)
            _findings_slides(prs, f"{loe.code}: {loe.title}", groups, "\n".join(notes))
        general = {kind: [f.title for f in data.general_findings(kind)] for kind in FINDING_KINDS}
        if any(general.values()):
            _findings_slides(prs, "Findings across the service", general, "\n".join(_finding_notes(data, "")))
        _chart_slide(prs, charts.evidence_chart(counts, data.lines_of_enquiry))
        _chart_slide(prs, charts.findings_chart(counts))
        steps = [(s, 0) for s in data.next_steps] or [("Next steps will be agreed with the council.", 0)]
        _bullet_slides(prs, "Next steps", steps)

        props = prs.core_properties
        props.title = data.review_title
        props.author = data.author
        props.subject = f"Feedback presentation: {data.council_name} {data.review_type_name}".strip()
        props.language = "en-GB"
        props.version = data.version
        props.content_status = "Draft" if data.is_draft else "Final"
        out = BytesIO()
        prs.save(out)
        return out.getvalue()
    except ExportError:
        raise
    except Exception as exc:  # python-pptx raises a variety; callers only need one type
        raise ExportError(f"Could not build the presentation: {exc}") from exc


def _new_presentation():
    if MASTER.exists():
        return Presentation(str(MASTER))
    prs = Presentation()
    # The default template is 4:3. Widen it and stretch the master and layout placeholders to match.
    scale = WIDE[0] / prs.slide_width
    prs.slide_width, prs.slide_height = WIDE
    shapes = list(prs.slide_master.placeholders)
    for layout in prs.slide_layouts:
        shapes += list(layout.placeholders)
    for shape in shapes:
        left, width = shape.left, shape.width
        if left is not None and width is not None:
            shape.left, shape.width = Emu(int(left * scale)), Emu(int(width * scale))
    return prs


def _layout(prs, name: str):
    for layout in prs.slide_layouts:
        if layout.name == name:
            return layout
    raise ExportError(f"The presentation master has no {name!r} layout")


def _fill(text_frame, bullets: Sequence[Bullet], size: int = 20) -> None:
    text_frame.word_wrap = True
    text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    for i, (text, level) in enumerate(bullets):
        para = text_frame.paragraphs[0] if i == 0 else text_frame.add_paragraph()
        para.level = level
        run = para.add_run()
        run.text = text
        run.font.language_id = MSO_LANGUAGE_ID.ENGLISH_UK
        run.font.size = Pt(size if level else size + 2)
        run.font.bold = level == 0 and size < 20


def _set_title(slide, title: str) -> None:
    if slide.shapes.title is None:
        raise ExportError("Every slide needs a title placeholder")
    slide.shapes.title.text_frame.text = title
    for para in slide.shapes.title.text_frame.paragraphs:
        for run in para.runs:
            run.font.language_id = MSO_LANGUAGE_ID.ENGLISH_UK


def _body(slide):
    for ph in slide.placeholders:
        if ph.placeholder_format.idx == 1:
            return ph
    raise ExportError("The content layout has no body placeholder")


def _title_slide(prs, data: ReportData) -> None:
    slide = prs.slides.add_slide(_layout(prs, "Title Slide"))
    _set_title(slide, data.review_title)
    _fill(_body(slide).text_frame, [(line, 0) for line in subtitle_lines(data)], size=16)


def _context_bullets(data: ReportData) -> list[Bullet]:
    bullets: list[Bullet] = []
    if data.purpose_question:
        bullets.append((f"The question we were asked: {data.purpose_question}", 0))
    if data.scope_text:
        bullets.append((data.scope_text, 0))
    bullets += [(p, 0) for p in data.context_paragraphs]
    if data.lines_of_enquiry:
        bullets.append(("Key lines of enquiry", 0))
        bullets += [(f"{loe.code}: {loe.title}", 1) for loe in data.lines_of_enquiry]
    return bullets or [("Context and scope to be added.", 0)]


def _lines(text: str) -> int:
    return max(1, math.ceil(len(text) / CHARS_PER_LINE))


def _paginate(bullets: Sequence[Bullet]) -> list[list[Bullet]]:
    pages: list[list[Bullet]] = [[]]
    used = 0
    for text, level in bullets:
        cost = _lines(text)
        if pages[-1] and (len(pages[-1]) >= MAX_BULLETS or used + cost > MAX_LINES):
            pages.append([])
            used = 0
        pages[-1].append((text, level))
        used += cost
    return pages


def _continued(title: str, index: int) -> str:
    return title if index == 0 else f"{title} (continued)"


def _bullet_slides(prs, title: str, bullets: Sequence[Bullet]) -> None:
    for i, page in enumerate(_paginate(bullets)):
        slide = prs.slides.add_slide(_layout(prs, "Title and Content"))
        _set_title(slide, _continued(title, i))
        _fill(_body(slide).text_frame, page)


def _findings_slides(prs, title: str, groups: dict[str, list[str]], notes: str) -> None:
    """Lay out the three groups, repeating a group's heading when it carries over to a new slide."""
    pages: list[list[Bullet]] = [[]]
    count = used = 0
    for kind in FINDING_KINDS:
        items = groups[kind] or ["None identified."]
        label = FINDING_KIND_LABELS[kind]
        heading_on_page = False
        for item in items:
            cost = _lines(item) + (0 if heading_on_page else 1)
            if count and (count >= MAX_BULLETS or used + cost > MAX_LINES):
                pages.append([])
                count = used = 0
                heading_on_page = False
                cost = _lines(item) + 1
            if not heading_on_page:
                carried = any(t.startswith(label) for page in pages[:-1] for t, _ in page)
                pages[-1].append((f"{label} (continued)" if carried else label, 0))
                heading_on_page = True
            pages[-1].append((item, 1))
            count += 1
            used += cost
    for i, page in enumerate(pages):
        slide = prs.slides.add_slide(_layout(prs, "Title and Content"))
        _set_title(slide, _continued(title, i))
        _fill(_body(slide).text_frame, page, size=18)
        slide.notes_slide.notes_text_frame.text = notes


def _finding_notes(data: ReportData, code: str) -> list[str]:
    lines = []
    for kind in FINDING_KINDS:
        findings = data.findings_for(code, kind) if code else data.general_findings(kind)
        for f in findings:
            line = (
                f"{FINDING_KIND_LABELS[kind]} – {f.title}: {evidence_sentence(f.evidence_count, f.source_types_count)}"
            )
            lines.append(f"{line} {f.detail}".strip())
    return lines


def _chart_slide(prs, chart: charts.Chart) -> None:
    slide = prs.slides.add_slide(_layout(prs, "Title Only"))
    _set_title(slide, chart.title)
    title = slide.shapes.title
    top = title.top + title.height + Emu(91440)
    box_w, box_h = prs.slide_width - 2 * title.left, prs.slide_height - top - Emu(365760)
    ratio = min(box_w / chart.width_px, box_h / chart.height_px)
    width, height = Emu(int(chart.width_px * ratio)), Emu(int(chart.height_px * ratio))
    left = Emu(int((prs.slide_width - width) / 2))
    pic = slide.shapes.add_picture(BytesIO(chart.png), left, top, width, height)
    c_nv_pr = pic._element.nvPicPr.cNvPr
    c_nv_pr.set("descr", chart.alt_text)
    c_nv_pr.set("name", chart.title)
    slide.notes_slide.notes_text_frame.text = chart.alt_text


def slide_titles(pptx: bytes) -> Iterable[str]:
    """Titles of every slide, in order (handy for callers and tests)."""
    prs = Presentation(BytesIO(pptx))
    return [s.shapes.title.text_frame.text if s.shapes.title is not None else "" for s in prs.slides]
