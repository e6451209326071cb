import io

from django.urls import reverse
from docx import Document
from pptx import Presentation

from peerreview.core.models import AccessEvent
from peerreview.core.roles import Role
from peerreview.core.testing import error_messages
from peerreview.evidence import actions
from peerreview.evidence.models import Finding, Output, ReportComment


def _url(world, name, **kw):
    return reverse(f"evidence:{name}", kwargs={"review_id": world.review.pk, **kw})


def _pcm(world):
    from peerreview.reviews.actions import accept_confidentiality

    pcm = world.members[Role.PCM]
    membership = world.review.memberships.get(user=pcm)
    if not membership.has_accepted_confidentiality():
        accept_confidentiality(membership, by=pcm)
    return world.client(Role.PCM)


def _agree(world, title="Thresholds are well understood", detail=""):
    f = world.extra["evidence"]["finding"]
    Finding.objects.filter(pk=f.pk).update(status="agreed", title=title, detail=detail)
    return f


def test_pcm_edits_wording_and_generates_all_three_documents(world):
    _agree(world, detail="Partners and managers describe the same thresholds.")
    c = _pcm(world)
    r = c.post(
        _url(world, "report_edit"),
        {
            "section_introduction": "Borsetshire asked us to look at neglect.",
            "section_next_steps": "Agree an action plan\nMeet again in three months",
        },
    )
    assert r.status_code == 302
    for kind in ("pptx", "docx", "pdf"):
        page = c.get(_url(world, "generate", kind=kind)).content.decode()
        assert "found nothing that looks like a name" in page
        r = c.post(_url(world, "generate", kind=kind), {"generate": "1"})
        assert r.status_code == 302, kind
    docx = Output.objects.get(review=world.review, kind="docx", version=2)  # version 1 is the world's stub
    doc = Document(io.BytesIO(bytes(docx.content)))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Introduction and context" in headings and "Strengths" in headings and "Next steps" in headings
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Thresholds are well understood" in text and "Borsetshire asked us to look at neglect." in text
    assert "Meet again in three months" in text
    pptx = Output.objects.get(review=world.review, kind="pptx")
    prs = Presentation(io.BytesIO(bytes(pptx.content)))
    titles = [s.shapes.title.text for s in prs.slides]
    assert "Next steps" in titles
    body = " ".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    assert "Thresholds are well understood" in body
    pdf = Output.objects.get(review=world.review, kind="pdf")
    assert bytes(pdf.content).startswith(b"%PDF")
    r = c.get(_url(world, "output_download", output_id=docx.pk))
    assert r["Content-Disposition"] == 'attachment; filename="report-v2-draft.docx"'
    assert AccessEvent.objects.filter(action="download", object_ref=str(docx.pk)).exists()


def test_identifier_check_blocks_generation_until_each_flag_is_confirmed(world):
    _agree(world, detail="Mrs Smith said the social worker Jenkins visits weekly.")
    c = world.client(Role.LEAD)
    page = c.get(_url(world, "generate", kind="docx")).content.decode()
    assert "may identify a child" in page and "Mrs Smith" in page
    c.post(_url(world, "generate", kind="docx"), {"generate": "1"})
    assert not Output.objects.filter(review=world.review, kind="docx", version=2).exists()
    try:
        actions.generate_output(world.review, by=world.members[Role.LEAD], kind="docx")
    except actions.EvidenceError as exc:
        assert "Check the possible names" in str(exc)
    else:
        raise AssertionError("generated with open flags")
    import re

    keys = re.findall(r'name="confirm" type="checkbox" value="([^"]+)"', page)
    assert keys
    c.post(_url(world, "generate", kind="docx"), {"confirm": [k.replace("&quot;", '"') for k in keys]})
    r = c.post(_url(world, "generate", kind="docx"), {"generate": "1"})
    assert r.status_code == 302
    assert Output.objects.filter(review=world.review, kind="docx", version=2).exists()


def test_a_failed_generation_leaves_nothing_behind(world, monkeypatch):
    from peerreview.evidence import build
    from peerreview.exports import ExportError

    _agree(world)

    def broken(kind, data, counts):
        raise actions.EvidenceError("The document could not be made: boom") from ExportError("boom")

    monkeypatch.setattr(build, "render", broken)
    before = Output.objects.count()
    r = _pcm(world).post(_url(world, "generate", kind="pptx"), {"generate": "1"})
    assert r.status_code == 200 and Output.objects.count() == before


def test_host_comments_then_lead_signs_off_and_the_report_is_locked(world):
    _agree(world)
    sponsor = world.client(Role.SPONSOR)
    page = sponsor.get(_url(world, "report")).content.decode()
    assert "Comment on factual accuracy" in page and "Sign off" not in page
    r = sponsor.post(_url(world, "report_comment"), {"section": "introduction", "text": "Dates are wrong"})
    assert r.status_code == 302 and ReportComment.objects.filter(text="Dates are wrong").exists()
    r = sponsor.post(_url(world, "report_comment"), {"section": "Not a section", "text": ""})
    assert error_messages(r) == ["Choose a section of this report", "Enter your comment"]
    lead = world.client(Role.LEAD)
    lead.post(_url(world, "report_sign_off"))
    assert actions.report_for(world.review).is_locked
    # Every edit is now refused with a clear message.
    r = lead.post(_url(world, "report_edit"), {"section_introduction": "Changed"}, follow=True)
    assert "signed off and locked" in r.content.decode()
    assert actions.report_for(world.review).sections.get("introduction", "") == ""
    r = sponsor.post(_url(world, "report_comment"), {"section": "introduction", "text": "Late"}, follow=True)
    assert "signed off and locked" in r.content.decode()
    ev = world.extra["evidence"]
    r = lead.post(
        _url(world, "finding_edit", finding_id=ev["finding"].pk),
        {"title": "New", "kind": "strength", "version": ev["finding"].version},
    )
    assert "signed off and locked" in r.content.decode()
    assert Finding.objects.get(pk=ev["finding"].pk).title == "Thresholds are well understood"
    r = _pcm(world).post(_url(world, "generate", kind="docx"), {"generate": "1"})
    assert Output.objects.filter(review=world.review, status="final").count() == 1


def test_sign_off_needs_an_agreed_finding(world):
    world.client(Role.LEAD).post(_url(world, "report_sign_off"))
    assert not actions.report_for(world.review).is_locked


def test_report_page_counts_down_to_the_due_date(world):
    due = world.review.date_of("report_due")
    page = world.client(Role.PEER).get(_url(world, "report")).content.decode()
    assert f"{due:%-d %B %Y}" in page and "days left" in page


def test_keeping_in_touch_sponsor_sees_only_the_shared_version(world):
    lead, sponsor = world.client(Role.LEAD), world.client(Role.SPONSOR)
    lead.post(_url(world, "kit"), {"draft": "Early themes: thresholds understood."})
    assert "Early themes" not in sponsor.get(_url(world, "kit")).content.decode()
    lead.post(_url(world, "kit"), {"draft": "Shared themes: practice is improving.", "share": "1"})
    lead.post(_url(world, "kit"), {"draft": "A later private draft."})
    page = sponsor.get(_url(world, "kit")).content.decode()
    assert "Shared themes: practice is improving." in page and "later private draft" not in page
    assert sponsor.post(_url(world, "kit"), {"draft": "Sponsor edit"}).status_code == 404
    assert world.client(Role.PEER).post(_url(world, "kit"), {"draft": "Peer edit"}).status_code == 404
