from io import BytesIO

import pytest
from docx import Document
from pptx import Presentation

from peerreview.exports.presentation import build_presentation
from peerreview.exports.report import build_report_docx, build_report_pdf

from .conftest import make_data


@pytest.fixture(scope="module")
def large():
    return make_data(n_loes=30, n_findings=190)


def test_large_review_builds_a_presentation(large):
    prs = Presentation(BytesIO(build_presentation(*large)))
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert all(titles)
    assert "K30: Theme 30" in titles


def test_large_review_builds_a_word_report(large):
    doc = Document(BytesIO(build_report_docx(*large)))

    # Reading p.style for every paragraph is slow in python-docx, so query the XML once.
    def texts(level):
        style_id = doc.styles[f"Heading {level}"].style_id
        headings = doc.element.body.xpath(f'./w:p[w:pPr/w:pStyle/@w:val="{style_id}"]')
        return ["".join(h.xpath(".//w:t/text()")) for h in headings]

    # Each line of enquiry is a Heading 2 under "Findings by line of enquiry".
    assert sum(1 for t in texts(2) if t.startswith("K")) == 30
    assert "Summary of recommendations" in texts(1)


def test_large_review_builds_a_pdf_report(large):
    assert build_report_pdf(*large).startswith(b"%PDF")
