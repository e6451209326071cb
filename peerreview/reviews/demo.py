"""The demo review: Borsetshire, a fictional county, in its delivery week. Other apps add to it in their demo.py."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from peerreview.accounts.models import User
from peerreview.core.roles import Role
from peerreview.councils.models import Organisation
from peerreview.documents.actions import store_document
from peerreview.policy.models import ReviewType

from . import actions
from .models import Review, Stage

DEMO_PASSWORD = "demo-password-2026"
DEMO_TITLE = "Borsetshire children's services remote peer diagnostic"

PEOPLE = [
    # email, name, job title, organisation code, role, LGA staff
    ("pcm@demo.example", "Priya Shah", "Peer challenge manager", "lga", Role.PCM, True),
    ("lead@demo.example", "Gareth Hughes", "Director of Children's Services", "cumberland", Role.LEAD, False),
    (
        "observer@demo.example",
        "Helen Okafor",
        "Director of Children's Services",
        "north-tyneside",
        Role.OBSERVER,
        False,
    ),
    ("peer@demo.example", "Tom Barker", "Head of Safeguarding", "plymouth", Role.PEER, False),
    ("police@demo.example", "Supt. Aisha Rahman", "Local police area commander", "lancashire-police", Role.PEER, False),
    ("psw@demo.example", "Mark Ellison", "Principal Social Worker (adults)", "lincolnshire", Role.PEER, False),
    ("auditor@demo.example", "Joanne Price", "Quality assurance manager", "york", Role.CASE_AUDITOR, False),
    ("sponsor@demo.example", "Dr Claire Lawson", "Director of Children's Services", "borsetshire", Role.SPONSOR, False),
    (
        "organiser@demo.example",
        "Ben Adeyemi",
        "Business manager, children's services",
        "borsetshire",
        Role.ORGANISER,
        False,
    ),
]
LINES = [
    "leadership.self_knowledge",
    "front_door.thresholds",
    "front_door.mash",
    "child_protection.neglect",
    "workforce.stability",
    "voice_of_child.participation",
]


def demo_users() -> dict[str, User]:
    return {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@demo.example")}


def _docx(title: str) -> bytes:
    from docx import Document

    d = Document()
    d.add_heading(title, 1)
    d.add_paragraph("Borsetshire County Council is a fictional council used to demonstrate the service.")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _pdf(title: str) -> bytes:
    text = f"BT /F1 18 Tf 72 720 Td ({title}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for i, o in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + o + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


def build(*, today: datetime.date | None = None) -> Review | None:
    if Review.objects.filter(title=DEMO_TITLE).exists():
        return None
    today = today or timezone.localdate()
    host, _ = Organisation.objects.get_or_create(
        code="borsetshire",
        defaults={
            "name": "Borsetshire County Council",
            "short_name": "Borsetshire",
            "kind": Organisation.Kind.COUNCIL,
            "council_kind": "county",
            "region": "West Midlands",
            "is_fictional": True,
        },
    )
    neighbours = Organisation.objects.filter(code__in=["worcestershire", "warwickshire", "herefordshire"])
    host.neighbours.add(*neighbours)
    users = {}
    for email, name, job, org_code, _role, lga in PEOPLE:
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email,
            DEMO_PASSWORD,
            full_name=name,
            job_title=job,
            organisation=Organisation.objects.filter(code=org_code).first(),
            is_lga_staff=lga,
        )
        users[email] = user
    admin = User.objects.filter(email="admin@demo.example").first() or User.objects.create_user(
        "admin@demo.example", DEMO_PASSWORD, full_name="Platform Administrator", is_platform_admin=True
    )
    users[admin.email] = admin
    pcm = users["pcm@demo.example"]
    monday = today - datetime.timedelta(days=today.weekday())
    rt = ReviewType.objects.get(code="remote_diagnostic", is_current=True)
    review = actions.create_review(
        by=pcm, host=host, review_type=rt, delivery_start=today + datetime.timedelta(days=1), title=DEMO_TITLE
    )
    actions.change_dates(review, by=pcm, delivery_start=monday, overrides={})
    for email, _name, _job, _org, role, _lga in PEOPLE[1:]:
        actions.add_member(review, by=pcm, email=email, full_name=users[email].full_name, role=role)
    actions.record_scoping_meeting(
        review,
        by=pcm,
        held_on=monday - datetime.timedelta(days=70),
        attendees="Dr Claire Lawson (DCS, sponsor)\nBen Adeyemi (organiser)\nPriya Shah (LGA)\nGareth Hughes (lead peer)",
        purpose="How well does Borsetshire's front door and early help system recognise and respond to neglect, "
        "and how do leaders know?",
        notes="The council asked for a focus on neglect after a rise in re-referrals. Police and adult services "
        "perspectives were requested, so the team includes a police area commander and an adult principal social worker.",
    )
    actions.choose_lines(review, by=pcm, question_codes=LINES)
    actions.agree_scope(review, by=users["sponsor@demo.example"])
    for m in review.memberships.all():
        if m.is_team:
            actions.accept_confidentiality(m, by=m.user)
    organiser = users["organiser@demo.example"]
    for code, name, data in [
        ("position_statement", "Borsetshire self-assessment.docx", _docx("Self-assessment 2026")),
        ("improvement_plan", "Improvement plan 2026-27.pdf", _pdf("Improvement plan 2026-27")),
        (
            "performance_data",
            "Performance data pack.csv",
            b"Measure,Q1,Q2,Q3\nContacts,2104,2230,2318\nRe-referrals (%),24,26,27\nChild protection plans,412,430,441\n",
        ),
        ("structure_chart", "Structure chart.pdf", _pdf("Children's services structure chart")),
        ("last_inspection", "ILACS letter.pdf", _pdf("Inspection of local authority children's services")),
        (
            "case_list",
            "Case list (references only).csv",
            b"Case reference,Category\nBOR-C01,CP\nBOR-C02,CIN\nBOR-C03,EH\n",
        ),
    ]:
        kind = name.rsplit(".", 1)[1]
        store_document(
            review,
            by=organiser,
            upload=SimpleUploadedFile(name, data),
            kind=kind,
            checklist_code=code,
            title=dict((d["code"], d["title"]) for d in rt.config["documents"])[code],
        )
    for stage in (Stage.PREPARATION, Stage.CASE_RECORD_REVIEW, Stage.DELIVERY):
        review = actions.advance_stage(review, by=pcm, to=stage)
    return review


def sign_ins() -> list[tuple[str, str]]:
    return [(email, role.label) for email, _n, _j, _o, role, _l in PEOPLE] + [("admin@demo.example", "Platform admin")]
