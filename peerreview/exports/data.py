"""Plain, frozen inputs for the export builders.

The Django side (``reviews/``) assembles these from the database; the builders never see a model.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Literal

from .errors import ExportError

FindingKind = Literal["strength", "area", "recommendation"]
FINDING_KINDS: tuple[FindingKind, ...] = ("strength", "area", "recommendation")
FINDING_KIND_LABELS: dict[str, str] = {
    "strength": "Strengths",
    "area": "Areas for consideration",
    "recommendation": "Recommendations",
}


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    title: str
    detail: str = ""
    line_of_enquiry_code: str = ""
    evidence_count: int = 0
    source_types_count: int = 0

    def __post_init__(self) -> None:
        if self.kind not in FINDING_KINDS:
            raise ExportError(f"Unknown finding kind {self.kind!r}")
        if not self.title.strip():
            raise ExportError("A finding needs a title")
        if self.evidence_count < 0 or self.source_types_count < 0:
            raise ExportError("Evidence counts cannot be negative")


@dataclass(frozen=True)
class LineOfEnquiry:
    code: str
    title: str
    question: str = ""

    def __post_init__(self) -> None:
        if not self.code.strip() or not self.title.strip():
            raise ExportError("A line of enquiry needs a code and a title")


@dataclass(frozen=True)
class TeamMember:
    name: str
    role: str
    organisation: str = ""


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()


# Where a section of the written report takes its content from (a review type's `report.sections[].source`).
SectionSource = Literal[
    "context", "scope", "methodology", "findings", "recommendations", "next_steps", "team", "written"
]
SECTION_SOURCES: tuple[str, ...] = (
    "context",  # who, what and when, from the review, then the team's own wording
    "scope",  # the council's question, the scope wording and the key lines of enquiry
    "methodology",  # the team's wording, evidence counts by line of enquiry, and both charts
    "findings",  # per line of enquiry: strengths, areas for consideration, recommendations (`kinds`)
    "recommendations",  # every recommendation, numbered
    "next_steps",  # the team's next steps, one a line
    "team",  # the peer team as a table
    "written",  # only the team's own wording
)


@dataclass(frozen=True)
class ReportSection:
    """One section of the written report, in the review type's order, with the team's wording (if any)."""

    key: str
    heading: str
    source: SectionSource
    paragraphs: tuple[str, ...] = ()
    kinds: tuple[FindingKind, ...] = FINDING_KINDS  # for `findings`: which kinds, in this order

    def __post_init__(self) -> None:
        if not self.key.strip() or not self.heading.strip():
            raise ExportError("A report section needs a key and a heading")
        if self.source not in SECTION_SOURCES:
            raise ExportError(f"Unknown report section source {self.source!r}")
        if not self.kinds or any(k not in FINDING_KINDS for k in self.kinds):
            raise ExportError(f"Report section {self.heading!r} has unknown finding kinds")


# The outline when the caller gives none: the LGA report skeleton the builders always produced.
DEFAULT_REPORT_SECTIONS: tuple[ReportSection, ...] = (
    ReportSection("context", "Introduction and context", "context"),
    ReportSection("scope", "Scope and key lines of enquiry", "scope"),
    ReportSection("methodology", "Methodology", "methodology"),
    ReportSection("findings", "Findings by line of enquiry", "findings"),
    ReportSection("recommendations", "Summary of recommendations", "recommendations"),
    ReportSection("next_steps", "Next steps", "next_steps"),
    ReportSection("team", "Appendix: the peer team", "team"),
)


@dataclass(frozen=True)
class ReportData:
    review_title: str
    council_name: str
    review_type_name: str
    dates_text: str
    feedback_date: date | None = None
    scope_text: str = ""
    purpose_question: str = ""
    lines_of_enquiry: tuple[LineOfEnquiry, ...] = ()
    findings: tuple[Finding, ...] = ()
    context_paragraphs: tuple[str, ...] = ()
    methodology_text: str = ""
    team: tuple[TeamMember, ...] = ()
    next_steps: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    # The written report's outline, in order; empty means DEFAULT_REPORT_SECTIONS plus `sections` after methodology.
    report_sections: tuple[ReportSection, ...] = ()
    status: Literal["draft", "final"] = "draft"
    version: str = "1"
    author: str = "Local Government Association"

    def __post_init__(self) -> None:
        if not self.review_title.strip():
            raise ExportError("A report needs a review title")
        if self.status not in ("draft", "final"):
            raise ExportError(f"Unknown status {self.status!r}")
        codes = [loe.code for loe in self.lines_of_enquiry]
        if len(codes) != len(set(codes)):
            raise ExportError("Line of enquiry codes must be unique")
        known = set(codes)
        for finding in self.findings:
            if finding.line_of_enquiry_code and finding.line_of_enquiry_code not in known:
                raise ExportError(f"Finding {finding.title!r} refers to unknown line of enquiry")
        keys = [s.key for s in self.report_sections]
        if len(keys) != len(set(keys)):
            raise ExportError("Report section keys must be unique")

    def outline(self) -> tuple[ReportSection, ...]:
        """The sections of the written report, in order."""
        if self.report_sections:
            return self.report_sections
        wording = {
            "context": self.context_paragraphs,
            "scope": (self.scope_text,) if self.scope_text else (),
            "methodology": (self.methodology_text,) if self.methodology_text else (),
            "next_steps": self.next_steps,
        }
        default = tuple(replace(s, paragraphs=wording.get(s.source, ())) for s in DEFAULT_REPORT_SECTIONS)
        extras = tuple(
            ReportSection(f"extra-{i}", s.heading, "written", s.paragraphs) for i, s in enumerate(self.sections, 1)
        )
        return default[:3] + extras + default[3:]

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    def findings_for(self, code: str, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.line_of_enquiry_code == code and f.kind == kind]

    def general_findings(self, kind: str) -> list[Finding]:
        """Findings not tied to a line of enquiry (cross-cutting)."""
        return [f for f in self.findings if not f.line_of_enquiry_code and f.kind == kind]

    def recommendations(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == "recommendation"]


@dataclass(frozen=True)
class EvidenceCounts:
    # line of enquiry code -> source type label -> number of evidence notes
    matrix: dict[str, dict[str, int]] = field(default_factory=dict)
    # finding kind -> number of findings
    findings_by_kind: dict[str, int] = field(default_factory=dict)
    # evidence notes and sessions in the review (a note tagged to two lines counts once here, twice in `matrix`)
    notes: int = 0
    sessions: int = 0

    def __post_init__(self) -> None:
        for row in self.matrix.values():
            if any(n < 0 for n in row.values()):
                raise ExportError("Evidence counts cannot be negative")

    def total_for(self, code: str) -> int:
        return sum(self.matrix.get(code, {}).values())

    def source_types_for(self, code: str) -> int:
        return sum(1 for n in self.matrix.get(code, {}).values() if n > 0)

    def source_types(self) -> list[str]:
        seen: dict[str, None] = {}
        for row in self.matrix.values():
            for name in row:
                seen.setdefault(name, None)
        return list(seen)

    @classmethod
    def from_findings(
        cls, matrix: dict[str, dict[str, int]], findings: tuple[Finding, ...], *, notes: int = 0, sessions: int = 0
    ) -> EvidenceCounts:
        by_kind = {kind: sum(1 for f in findings if f.kind == kind) for kind in FINDING_KINDS}
        return cls(matrix=matrix, findings_by_kind=by_kind, notes=notes, sessions=sessions)


@dataclass(frozen=True)
class TimetableRow:
    day: date
    start: time
    end: time
    session_title: str
    participants: str = ""
    peers: str = ""
    link_or_room: str = ""
    lines_of_enquiry: str = ""

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ExportError(f"Session {self.session_title!r} ends before it starts")


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: datetime
    end: datetime
    summary: str
    sequence: int = 0
    description: str = ""
    location: str = ""
    url: str = ""
    organiser_email: str = ""
    attendee_emails: tuple[str, ...] = ()
    status: Literal["CONFIRMED", "CANCELLED"] = "CONFIRMED"

    def __post_init__(self) -> None:
        if not self.uid.strip():
            raise ExportError("A calendar event needs a UID")
        if self.end <= self.start:
            raise ExportError(f"Event {self.summary!r} ends before it starts")
        if self.sequence < 0:
            raise ExportError("SEQUENCE cannot be negative")
        if self.status not in ("CONFIRMED", "CANCELLED"):
            raise ExportError(f"Unknown event status {self.status!r}")
