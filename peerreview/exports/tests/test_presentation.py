from io import BytesIO

from pptx import Presentation
from pptx.util import Emu

from peerreview.exports.presentation import build_presentation

from .conftest import make_data


def _open(data, counts):
    return Presentation(BytesIO(build_presentation(data, counts)))


def test_every_slide_has_a_title_and_the_deck_is_wide(sample):
    prs = _open(*sample)
    assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert all(titles), titles
    assert titles[0] == "Children's services peer review of Exampleshire"
    assert titles[1] == "Context and scope"
    assert "Case record review" in titles
    assert [t for t in titles if t.startswith("K")] == ["K1: Theme 1", "K2: Theme 2", "K3: Theme 3"]
    assert "Evidence by line of enquiry and source type" in titles
    assert titles[-1] == "Next steps"
    assert prs.core_properties.title == "Children's services peer review of Exampleshire"
    assert prs.core_properties.author
    subtitle = "\n".join(s.text_frame.text for s in prs.slides[0].placeholders)
    assert "DRAFT – not for circulation" in subtitle


def test_line_of_enquiry_slides_carry_groups_and_evidence_notes(sample):
    prs = _open(*sample)
    slide = next(s for s in prs.slides if s.shapes.title.text_frame.text == "K1: Theme 1")
    body = "\n".join(ph.text_frame.text for ph in slide.placeholders if ph.placeholder_format.idx == 1)
    for label in ("Strengths", "Areas for consideration", "Recommendations"):
        assert label in body
    # K1 has interviews 10, case records 5, documents 2, observations 0.
    assert "Based on 17 evidence notes from 3 source types." in slide.notes_slide.notes_text_frame.text


def test_chart_pictures_have_alt_text(sample):
    prs = _open(*sample)
    pictures = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) == 2
    for pic in pictures:
        descr = pic._element.nvPicPr.cNvPr.get("descr")
        assert descr and descr.startswith("Bar chart")
    assert "Interviews 10" in pictures[0]._element.nvPicPr.cNvPr.get("descr")


def test_long_groups_continue_on_another_slide():
    data, counts = make_data(n_loes=1, n_findings=20)
    prs = _open(data, counts)
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    k1 = [t for t in titles if t.startswith("K1")]
    assert k1[0] == "K1: Theme 1"
    assert len(k1) >= 4 and all(t == "K1: Theme 1 (continued)" for t in k1[1:])
    for slide in prs.slides:
        if slide.shapes.title.text_frame.text.startswith("K1"):
            body = next(ph for ph in slide.placeholders if ph.placeholder_format.idx == 1)
            findings = [p for p in body.text_frame.paragraphs if p.level == 1]
            assert len(findings) <= 6
            assert "Based on" in slide.notes_slide.notes_text_frame.text
    bodies = "\n".join(
        ph.text_frame.text for s in prs.slides for ph in s.placeholders if ph.placeholder_format.idx == 1
    )
    assert "Strengths (continued)" in bodies
