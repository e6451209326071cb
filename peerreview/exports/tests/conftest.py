from __future__ import annotations

from datetime import date

import pytest

from peerreview.exports.data import (
    EvidenceCounts,
    Finding,
    LineOfEnquiry,
    ReportData,
    Section,
    TeamMember,
)

KINDS = ("strength", "area", "recommendation")


def make_data(n_loes: int = 3, n_findings: int = 12, **overrides) -> tuple[ReportData, EvidenceCounts]:
    loes = tuple(
        LineOfEnquiry(f"K{i + 1}", f"Theme {i + 1}", f"How well does the council support theme {i + 1}?")
        for i in range(n_loes)
    )
    findings = tuple(
        Finding(
            kind=KINDS[j % 3],
            title=f"Finding {j + 1} about practice and partnership working",
            detail="Staff described a consistent approach across teams.",
            line_of_enquiry_code=loes[j % n_loes].code,
            evidence_count=3 + j % 5,
            source_types_count=1 + j % 3,
        )
        for j in range(n_findings)
    )
    fields = dict(
        review_title="Children's services peer review of Exampleshire",
        council_name="Exampleshire County Council",
        review_type_name="Remote peer diagnostic",
        dates_text="3 to 5 March 2025",
        feedback_date=date(2025, 3, 5),
        scope_text="The review looked at the front door and early help.",
        purpose_question="How effective is the early help offer?",
        lines_of_enquiry=loes,
        findings=findings,
        context_paragraphs=("Exampleshire is a large rural county.", "Ofsted judged services good in 2022."),
        methodology_text="The team met 84 people in 22 sessions, reviewed 12 case records and read 40 documents.",
        team=(
            TeamMember("Alex Peer", "Lead peer", "Another Council"),
            TeamMember("Sam Manager", "Peer challenge manager", "Local Government Association"),
        ),
        next_steps=("The council will write an action plan.", "A progress review in six months."),
        sections=(Section("Case record review", ("The team reviewed 12 case records.",)),),
        status="draft",
        version="0.3",
    )
    fields.update(overrides)
    data = ReportData(**fields)
    matrix = {
        loe.code: {"Interviews": 10 + i, "Case records": 5, "Documents": 2, "Observations": i % 2}
        for i, loe in enumerate(loes)
    }
    return data, EvidenceCounts.from_findings(matrix, data.findings)


@pytest.fixture
def sample():
    return make_data()
