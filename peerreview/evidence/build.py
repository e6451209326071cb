"""Assemble the exports package's plain inputs from the database: agreed findings, counts, wording and team."""

from dataclasses import dataclass

from peerreview.core.roles import TEAM, Role

from .models import FindingStatus, MatrixCell, SourceType
from .triangulation import strengths

# What each kind of section holds, for the report page and the wording form.
SOURCE_LABELS = {
    "context": "Who, what and when, from the review, then your wording.",
    "scope": "The council's question and the key lines of enquiry, with your wording.",
    "methodology": "Your wording, then the evidence counts and charts.",
    "findings": "Made from the agreed findings, by line of enquiry.",
    "recommendations": "Every agreed recommendation, numbered.",
    "next_steps": "Your next steps, one on each line.",
    "team": "The peer team, from the review's people.",
    "written": "Your wording only.",
}
DEFAULT_HINTS = {
    "next_steps": "One step on each line.",
}
WRITTEN_BY_DEFAULT = {"context", "scope", "methodology", "next_steps", "written"}


@dataclass(frozen=True)
class ReportSectionSpec:
    """One section of the written report as the review type declares it (`report.sections[]`)."""

    key: str
    heading: str
    source: str
    editable: bool
    hint: str = ""
    kinds: tuple[str, ...] = ("strength", "area", "recommendation")

    @property
    def description(self) -> str:
        return SOURCE_LABELS[self.source]

    def text_in(self, report) -> str:
        # Wording saved before sections had keys was stored under the heading.
        return report.sections.get(self.key) or report.sections.get(self.heading, "")

    def owns_comment(self, comment) -> bool:
        return comment.section in (self.key, self.heading)


def _legacy_source(heading: str) -> str:
    """Review type versions saved before sections had sources listed headings only: infer the source."""
    h = heading.lower()
    if "introduction" in h or "context" in h:
        return "context"
    if "scope" in h:
        return "scope"
    if h.startswith("how we") or "method" in h or "approach" in h:
        return "methodology"
    if "next step" in h:
        return "next_steps"
    if "recommendation" in h:
        return "recommendations"
    if "finding" in h:
        return "findings"
    return "written"


def report_sections(review) -> list[ReportSectionSpec]:
    """The review type's report outline, in order. Handles review type versions saved with plain headings."""
    raw = (review.review_type.config.get("report") or {}).get("sections") or []
    specs = []
    for item in raw:
        if isinstance(item, str):  # an older review type version: the heading is also the key
            source = _legacy_source(item)
            specs.append(
                ReportSectionSpec(item, item, source, source in WRITTEN_BY_DEFAULT, DEFAULT_HINTS.get(source, ""))
            )
            continue
        source = item["source"]
        specs.append(
            ReportSectionSpec(
                key=item["key"],
                heading=item["heading"],
                source=source,
                editable=item.get("editable", source in WRITTEN_BY_DEFAULT),
                hint=item.get("hint") or DEFAULT_HINTS.get(source, ""),
                kinds=tuple(item.get("kinds") or ("strength", "area", "recommendation")),
            )
        )
    if raw and all(isinstance(item, str) for item in raw) and not any(s.source == "team" for s in specs):
        specs.append(ReportSectionSpec("Appendix: the peer team", "Appendix: the peer team", "team", False))
    return specs


def editable_sections(review) -> list[ReportSectionSpec]:
    return [s for s in report_sections(review) if s.editable]


def line_titles(lines) -> dict[int, str]:
    themes = [line.theme for line in lines]
    return {line.pk: line.theme if themes.count(line.theme) == 1 else line.question for line in lines}


def short_codes(lines) -> dict[str, str]:
    """The review's line codes as the team says them in documents: K1, K2..."""
    return {line.code: f"K{i}" for i, line in enumerate(lines, 1)}


def evidence_matrix(review) -> dict[str, dict[str, int]]:
    """Line code -> source type label -> number of notes, from the running totals the database keeps per cell
    (migration 0003's triggers on the note–line table): a few dozen rows, however many notes there are."""
    labels = dict(SourceType.choices)
    codes = dict(review.lines.values_list("pk", "code"))
    rows = MatrixCell.objects.filter(review=review, notes__gt=0).values_list("line_id", "source_type", "notes")
    matrix: dict[str, dict[str, int]] = {code: {} for code in codes.values()}
    for line_id, source_type, n in rows:
        matrix.setdefault(codes[line_id], {})[labels[source_type]] = n
    return matrix


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip())


def report_data(review, report):
    # The exports package pulls in python-pptx, python-docx and reportlab: import it only when needed.
    from peerreview.exports import EvidenceCounts, LineOfEnquiry, ReportData, ReportSection, Section, TeamMember
    from peerreview.exports import Finding as ExportFinding

    lines = list(review.lines.all())
    titles = line_titles(lines)
    short = short_codes(lines)
    agreed = list(review.findings.filter(status=FindingStatus.AGREED).select_related("line"))
    power = strengths(review, [f.pk for f in agreed])
    findings = tuple(
        ExportFinding(
            kind=f.kind,
            title=f.title,
            detail=f.detail,
            line_of_enquiry_code=short[f.line.code] if f.line_id else "",
            evidence_count=power[f.pk].items if f.pk in power else 0,
            source_types_count=power[f.pk].source_types if f.pk in power else 0,
        )
        for f in agreed
    )
    # The report's outline from the review type, each section with the team's wording. The presentation
    # takes the same wording through the older fields (context, scope, methodology, next steps, extra sections).
    outline, text, extras = [], {}, []
    for spec in report_sections(review):
        body = spec.text_in(report) if spec.editable else ""
        if spec.source == "next_steps":
            paragraphs = tuple(s.strip() for s in body.splitlines() if s.strip())
        else:
            paragraphs = _paragraphs(body)
        outline.append(
            ReportSection(
                key=spec.key, heading=spec.heading, source=spec.source, paragraphs=paragraphs, kinds=spec.kinds
            )
        )
        if spec.source == "written":
            if paragraphs:
                extras.append(Section(heading=spec.heading, paragraphs=paragraphs))
        else:
            text.setdefault(spec.source, body)
    members = review.memberships.active().filter(role__in=TEAM).select_related("user__organisation")
    order = [Role.LEAD, Role.PEER, Role.OBSERVER, Role.CASE_AUDITOR, Role.PCM]
    team = tuple(
        TeamMember(
            name=m.user.full_name,
            role=m.user.job_title or m.get_role_display(),
            organisation=m.user.organisation.name if m.user.organisation_id else "",
        )
        for m in sorted(members, key=lambda m: order.index(m.role))
    )
    dates = review.dates()
    start, end = dates.get("delivery_start"), dates.get("delivery_end")
    dates_text = (
        f"{start.date:%-d %B %Y} to {end.date:%-d %B %Y}" if start and end else f"{review.delivery_start:%-d %B %Y}"
    )
    data = ReportData(
        review_title=review.title,
        council_name=review.host.name,
        review_type_name=review.review_type.name,
        dates_text=dates_text,
        feedback_date=dates["feedback"].date if "feedback" in dates else None,
        scope_text=text.get("scope", ""),
        purpose_question=review.purpose,
        lines_of_enquiry=tuple(
            LineOfEnquiry(code=short[line.code], title=titles[line.pk], question=line.question) for line in lines
        ),
        findings=findings,
        context_paragraphs=_paragraphs(text.get("context", "")),
        methodology_text=text.get("methodology", ""),
        team=team,
        next_steps=tuple(s.strip() for s in text.get("next_steps", "").splitlines() if s.strip()),
        sections=tuple(extras),
        report_sections=tuple(outline),
        status="final" if report.is_locked else "draft",
        version=str(review.outputs.count() + 1),
    )
    matrix = {short.get(code, code): row for code, row in evidence_matrix(review).items()}
    counts = EvidenceCounts.from_findings(
        matrix, findings, notes=review.notes.count(), sessions=review.evidence_sessions.count()
    )
    return data, counts


def flag_key(field: str, flag) -> str:
    return f"{field}|{flag.kind}|{flag.match}"


def open_flags(data, report) -> list[dict]:
    from peerreview.exports import scan_report

    confirmed = set(report.confirmed_flags)
    return [
        {"key": flag_key(field, flag), "field": field, "flag": flag}
        for field, flag in scan_report(data)
        if flag_key(field, flag) not in confirmed
    ]


def render(kind: str, data, counts) -> bytes:
    from peerreview.exports import ExportError, build_presentation, build_report_docx, build_report_pdf

    from .actions import EvidenceError

    builders = {"pptx": build_presentation, "docx": build_report_docx, "pdf": build_report_pdf}
    try:
        return builders[kind](data, counts)
    except ExportError as exc:
        raise EvidenceError(f"The document could not be made: {exc}") from exc
