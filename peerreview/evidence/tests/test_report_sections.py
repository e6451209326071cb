"""The review type's `report.sections` drive the written report: headings, order, content, wording and comments."""

import io
import re

from django.urls import reverse
from docx import Document

from peerreview.core.roles import Role
from peerreview.evidence import actions, build
from peerreview.evidence.models import Finding, Output
from peerreview.policy.models import ReviewType
from peerreview.reviews.models import Review

REMOTE = [
    "Introduction and context",
    "Scope and key lines of enquiry",
    "How we did the diagnostic",
    "Case record review",
    "Findings by line of enquiry",
    "Recommendations",
    "Next steps",
    "The peer team",
]
TRIAD = [
    "Introduction",
    "What the host director asked us to look at",
    "How the triad worked",
    "What we found",
    "What we suggest",
    "Next steps",
    "The triad",
]


def _pdf_outline(pdf: bytes) -> list[tuple[int, str]]:
    """(level, title) of every PDF bookmark in document order, by walking /First and /Next from the root."""
    objs = {int(n): body for n, body in re.findall(rb"(\d+) 0 obj\s*<<(.*?)>>\s*endobj", pdf, re.S)}

    def ref(body, name):
        m = re.search(rb"/" + name + rb" (\d+) 0 R", body)
        return int(m.group(1)) if m else None

    def title(body):
        raw = re.search(rb"/Title \((.*?)(?<!\\)\)", body, re.S).group(1)
        return re.sub(rb"\\(.)", rb"\1", raw).decode("latin-1")

    root = next(n for n, b in objs.items() if b"/Type /Outlines" in b)
    out = []

    def walk(first, level):
        n = first
        while n is not None:
            out.append((level, title(objs[n])))
            if ref(objs[n], b"First"):
                walk(ref(objs[n], b"First"), level + 1)
            n = ref(objs[n], b"Next")

    walk(ref(objs[root], b"First"), 0)
    return out


def _agreed(review, members, kind, title, line=None):
    f = actions.create_finding(review, by=members[Role.PEER], kind=kind, title=title, line=line)
    Finding.objects.filter(pk=f.pk).update(status="agreed")
    return f


def _as_triad(world) -> Review:
    review = world.other_review
    triad = ReviewType.objects.get(code="dcs_triad", is_current=True)
    Review.objects.filter(pk=review.pk).update(review_type=triad)
    review.refresh_from_db()
    return review


def _documents(review, by):
    docx = actions.generate_output(review, by=by, kind="docx")
    pdf = actions.generate_output(review, by=by, kind="pdf")
    return Document(io.BytesIO(bytes(docx.content))), bytes(pdf.content)


def _headings(doc, level):
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def _after(doc, heading):
    """The text of the body paragraphs after a Heading 1, up to the next Heading 1."""
    texts, inside = [], False
    for p in doc.paragraphs:
        if p.style.name == "Heading 1":
            inside = p.text == heading
        elif inside:
            texts.append(p.text)
    return "\n".join(texts)


def test_two_review_types_give_reports_with_their_own_sections_in_order(world):
    ev, other = world.extra["evidence"], world.extra["other_evidence"]
    remote = world.review
    triad = _as_triad(world)
    for review, members, evidence in ((remote, world.members, ev), (triad, world.other_members, other)):
        Finding.objects.filter(pk=evidence["finding"].pk).update(status="agreed")
        _agreed(review, members, "area", "Re-referrals are rising", evidence["lines"][1])
        _agreed(review, members, "recommendation", "Review the re-referral pattern", evidence["lines"][1])

    actions.save_report_sections(
        remote,
        by=world.members[Role.PCM],
        sections={"case_review": "Twelve case records were read.", "next_steps": "Write an action plan\nMeet again"},
    )
    actions.save_report_sections(
        triad, by=world.other_members[Role.LEAD], sections={"focus": "The director asked about the front door."}
    )

    doc, pdf = _documents(remote, world.members[Role.PCM])
    assert _headings(doc, 1) == REMOTE
    assert [t for level, t in _pdf_outline(pdf) if level == 1] == REMOTE
    assert _after(doc, "Case record review") == "Twelve case records were read."
    assert "Write an action plan\nMeet again" in _after(doc, "Next steps")
    assert "Review the re-referral pattern" in _after(doc, "Recommendations")
    findings = _after(doc, "Findings by line of enquiry")
    assert "Thresholds are well understood" in findings and "Re-referrals are rising" in findings
    assert "Review the re-referral pattern" in findings  # this type keeps recommendations under each line too
    method = _after(doc, "How we did the diagnostic")
    assert "The team recorded 1 evidence note in 1 session, from 1 kind of source." in method
    assert "remote peer diagnostic of Kent" in _after(doc, "Introduction and context")
    # The contents list follows the type's order too.
    contents = [p.text for p in doc.paragraphs if p.style.name == "List Paragraph"]
    assert contents == REMOTE

    doc, pdf = _documents(triad, world.other_members[Role.LEAD])
    assert _headings(doc, 1) == TRIAD
    outline = _pdf_outline(pdf)
    assert [t for level, t in outline if level == 1] == TRIAD
    # The triad's findings section has strengths and areas only; recommendations come under "What we suggest".
    assert [t for level, t in outline if level == 3] == ["Strengths", "Areas for consideration"] * 3
    assert "Strengths" in _headings(doc, 3) and "Recommendations" not in _headings(doc, 3)
    assert "Review the re-referral pattern" not in _after(doc, "What we found")
    assert "Review the re-referral pattern" in _after(doc, "What we suggest")
    assert "The director asked about the front door." in _after(doc, "What the host director asked us to look at")
    assert _after(doc, "The triad") == ""  # a table, no paragraphs
    assert doc.tables[-1].rows[0].cells[0].text == "Name"


def test_the_wording_form_and_the_comment_sections_follow_the_review_type(world):
    triad = _as_triad(world)
    lead = world.other_members[Role.LEAD]
    from peerreview.core.testing import sign_in

    c = sign_in(lead)
    form = c.get(reverse("evidence:report_edit", kwargs={"review_id": triad.pk})).content.decode()
    labels = re.findall(r'<label class="govuk-label[^"]*" for="id_section_(\w+)">\s*(.*?)\s*</label>', form, re.S)
    # Only sections with the team's wording, in the type's order: not the findings, suggestions or the team.
    assert labels == [
        ("introduction", "Introduction"),
        ("focus", "What the host director asked us to look at"),
        ("method", "How the triad worked"),
        ("next_steps", "Next steps"),
    ]
    assert "One step on each line." in form
    r = c.post(
        reverse("evidence:report_edit", kwargs={"review_id": triad.pk}),
        {"section_introduction": "Hello", "section_focus": "x" * 20001},
    )
    assert "What the host director asked us to look at must be 20,000 characters or fewer" in r.content.decode()

    # The host comments on a section by its key; the comment shows under that section on the report page.
    sponsor = sign_in(world.other_members[Role.SPONSOR])
    url = reverse("evidence:report_comment", kwargs={"review_id": triad.pk})
    assert sponsor.post(url, {"section": "focus", "text": "We asked about early help too"}).status_code == 302
    r = sponsor.post(url, {"section": "introduction_and_context", "text": "Wrong key"})
    assert "Choose a section of this report" in r.content.decode()
    page = sponsor.get(reverse("evidence:report", kwargs={"review_id": triad.pk})).content.decode()
    order = [page.index(f"{i}. {h}") for i, h in enumerate(TRIAD, 1)]
    assert order == sorted(order)
    comment = page.index("We asked about early help too")
    assert order[1] < comment < order[2]
    options = re.findall(r'<option value="([^"]*)"', page)
    assert options == ["", "introduction", "focus", "method", "findings", "suggestions", "next_steps", "team"]


def test_an_older_review_type_version_with_plain_headings_still_builds(world):
    """Reviews keep the review type version they began with; versions saved before sections had sources listed
    headings only, and their wording was stored by heading."""
    old = ReviewType.objects.get(code="remote_diagnostic", is_current=True)
    config = {**old.config, "version": 1}
    config["report"] = {
        "due_months_after_feedback": 1,
        "sections": [
            "Introduction and context",
            "Scope and key lines of enquiry",
            "How we did the diagnostic",
            "Findings by line of enquiry",
            "Recommendations",
            "Next steps",
        ],
    }
    legacy = ReviewType.objects.create(code="legacy_test", version=1, name="Legacy", config=config, is_current=False)
    review = world.review
    Review.objects.filter(pk=review.pk).update(review_type=legacy)
    review.refresh_from_db()
    report = actions.report_for(review)
    report.sections = {"Introduction and context": "Written before keys.", "Next steps": "Step one"}
    report.save()
    Finding.objects.filter(pk=world.extra["evidence"]["finding"].pk).update(status="agreed")
    specs = build.report_sections(review)
    assert [(s.source, s.editable) for s in specs] == [
        ("context", True),
        ("scope", True),
        ("methodology", True),
        ("findings", False),
        ("recommendations", False),
        ("next_steps", True),
        ("team", False),
    ]
    doc, _pdf = _documents(review, world.members[Role.PCM])
    assert _headings(doc, 1) == [*config["report"]["sections"], "Appendix: the peer team"]
    assert "Written before keys." in _after(doc, "Introduction and context")
    assert "Step one" in _after(doc, "Next steps")
    assert Output.objects.filter(review=review, kind="pdf").exists()
