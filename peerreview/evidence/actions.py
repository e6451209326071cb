"""State changes for evidence, findings and the report. Each is atomic, checks what is allowed, and is audited."""

import datetime
import hashlib

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from peerreview.core import audit
from peerreview.core.roles import Role

from .models import (
    NOTE_MAX_CHARS,
    Challenge,
    EvidenceSession,
    Finding,
    FindingLink,
    FindingStatus,
    KitSummary,
    Leaning,
    Note,
    NoteDraft,
    NoteLine,
    Output,
    Report,
    ReportComment,
    ReportStatus,
    SourceType,
    draft_form_key,
)
from .triangulation import strength_of

LOCKED = "The report has been signed off and locked, so it can no longer be changed"


class EvidenceError(Exception):
    """A change that is not allowed, with a message that says why or what to do."""


class Conflict(EvidenceError):
    """Someone else saved the finding first. Carries the version now in the database."""

    def __init__(self, current: Finding):
        super().__init__("Someone else changed this finding while you were editing it")
        self.current = current


def _check_lines(review, lines) -> list:
    lines = list(lines)
    if any(line.review_id != review.pk for line in lines):
        raise EvidenceError("Choose lines of enquiry from this review")
    return lines


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise EvidenceError("Enter the note")
    if len(text) > NOTE_MAX_CHARS:
        raise EvidenceError(f"The note must be {NOTE_MAX_CHARS:,} characters or fewer")
    return text


def _check_unlocked(review) -> None:
    report = Report.objects.filter(review=review).first()
    if report and report.is_locked:
        raise EvidenceError(LOCKED)


def _tag(note: Note, lines) -> None:
    NoteLine.objects.filter(note=note).delete()
    NoteLine.objects.bulk_create(
        [
            NoteLine(
                note=note,
                line=line,
                review_id=note.review_id,
                source_type=note.source_type,
                leaning=note.leaning,
                day=note.day,
            )
            for line in lines
        ]
    )
    from . import search

    search.index_note(note)  # the search index carries the note's lines of enquiry, for the line filter


@transaction.atomic
def create_session(review, *, by, title: str, kind: str, day: datetime.date) -> EvidenceSession:
    if kind not in review.review_type.config.get("session_types", {}):
        raise EvidenceError("Choose a kind of session from this review type")
    session = EvidenceSession.objects.create(review=review, title=title.strip(), kind=kind, day=day, created_by=by)
    audit.record("evidence.session_created", by=by, review=review, obj=session, summary=session.title)
    return session


@transaction.atomic
def add_note(
    review,
    *,
    by,
    text: str,
    source_type: str,
    lines,
    leaning: str = "neutral",
    session: EvidenceSession | None = None,
    source_ref: str = "",
    staff_groups: str = "",
    day: datetime.date | None = None,
) -> Note:
    text = _check_text(text)
    lines = _check_lines(review, lines)
    if not lines:
        raise EvidenceError("Choose at least one line of enquiry")
    if session is not None and session.review_id != review.pk:
        raise EvidenceError("Choose a session from this review")
    if session is None and not source_ref.strip():
        raise EvidenceError("Enter the document, data item or case reference")
    note = Note.objects.create(
        review=review,
        session=session,
        source_ref=source_ref.strip(),
        source_type=source_type,
        leaning=leaning,
        text=text,
        staff_groups=staff_groups.strip(),
        day=day or (session.day if session else timezone.localdate()),
        author=by,
    )
    _tag(note, lines)
    # The author's draft for this form has become the note.
    from_draft = NoteDraft.objects.filter(review=review, user=by, form_key=draft_form_key(session)).delete()[0] > 0
    audit.record("evidence.note_added", by=by, review=review, obj=note, from_draft=from_draft)
    return note


def draft_for(review, user, session: EvidenceSession | None) -> NoteDraft | None:
    return NoteDraft.objects.filter(review=review, user=user, form_key=draft_form_key(session)).first()


@transaction.atomic
def save_draft(
    review,
    *,
    by,
    session: EvidenceSession | None,
    text: str,
    line_ids=(),
    source_type: str = "",
    leaning: str = "",
    staff_groups: str = "",
    source_ref: str = "",
    day: datetime.date | None = None,
) -> NoteDraft | None:
    """Keep the note someone is typing as their private draft; an empty note removes the draft.

    Deliberately no audit row: the capture page calls this every few seconds while a peer types and whenever
    a field loses focus, so one row per autosave would put hundreds of rows per interview into the append-only
    trail and bury the events that matter. A draft is the author's own working copy: no one else can see it,
    it is not evidence, and it changes nothing anyone else relies on. Turning a draft into a note
    (`evidence.note_added`) and discarding one (`evidence.draft_discarded`) are audited.
    """
    if session is not None and session.review_id != review.pk:
        raise EvidenceError("Choose a session from this review")
    text = (text or "").strip()
    if len(text) > NOTE_MAX_CHARS:
        raise EvidenceError(f"The note must be {NOTE_MAX_CHARS:,} characters or fewer")
    if len(staff_groups) > 200 or len(source_ref) > 200:
        raise EvidenceError("The staff groups and the reference must be 200 characters or fewer")
    try:
        ids = sorted({int(i) for i in line_ids})
    except (TypeError, ValueError):
        raise EvidenceError("Choose lines of enquiry from this review") from None
    if ids and review.lines.filter(pk__in=ids).count() != len(ids):
        raise EvidenceError("Choose lines of enquiry from this review")
    if source_type not in ("", *SourceType.values) or leaning not in ("", *Leaning.values):
        raise EvidenceError("Choose the source and the leaning from the lists")
    key = draft_form_key(session)
    if not text:
        NoteDraft.objects.filter(review=review, user=by, form_key=key).delete()
        return None
    fields = {
        "session": session,
        "text": text,
        "line_ids": ids,
        "source_type": source_type,
        "leaning": leaning,
        "staff_groups": staff_groups.strip(),
        "source_ref": source_ref.strip(),
        "day": day,
        "updated": timezone.now(),
    }
    try:
        with transaction.atomic():
            draft, _ = NoteDraft.objects.update_or_create(review=review, user=by, form_key=key, defaults=fields)
    except IntegrityError:  # the same person's other tab created it at the same moment: update that one
        NoteDraft.objects.filter(review=review, user=by, form_key=key).update(**fields)
        draft = NoteDraft.objects.get(review=review, user=by, form_key=key)
    return draft


@transaction.atomic
def discard_draft(review, *, by, session: EvidenceSession | None) -> bool:
    draft = draft_for(review, by, session)
    if draft is None:
        return False
    audit.record("evidence.draft_discarded", by=by, review=review, obj=draft, summary=draft.form_key)
    draft.delete()
    return True


@transaction.atomic
def update_note(note: Note, *, by, text: str, source_type: str, leaning: str, lines, staff_groups: str = "") -> Note:
    note.text = _check_text(text)
    lines = _check_lines(note.review, lines)
    if not lines:
        raise EvidenceError("Choose at least one line of enquiry")
    note.source_type, note.leaning, note.staff_groups = source_type, leaning, staff_groups.strip()
    note.save()
    _tag(note, lines)
    audit.record("evidence.note_changed", by=by, review=note.review, obj=note)
    return note


@transaction.atomic
def delete_note(note: Note, *, by) -> None:
    agreed = note.findings.filter(status=FindingStatus.AGREED).count()
    if agreed:
        raise EvidenceError("This note supports an agreed finding. Unlink it from the finding first")
    audit.record("evidence.note_deleted", by=by, review=note.review, obj=note)
    note.delete()


@transaction.atomic
def create_finding(review, *, by, kind: str, title: str, detail: str = "", line=None) -> Finding:
    _check_unlocked(review)
    if line is not None:
        _check_lines(review, [line])
    finding = Finding.objects.create(
        review=review, kind=kind, title=title.strip(), detail=detail.strip(), line=line, created_by=by
    )
    audit.record("evidence.finding_proposed", by=by, review=review, obj=finding, summary=finding.title)
    return finding


@transaction.atomic
def update_finding(finding: Finding, *, by, version: int, kind: str, title: str, detail: str, line) -> Finding:
    """Optimistic concurrency: the save goes through only if nobody else saved since `version` was read."""
    _check_unlocked(finding.review)
    if line is not None:
        _check_lines(finding.review, [line])
    changed = Finding.objects.filter(pk=finding.pk, version=version).update(
        kind=kind,
        title=title.strip(),
        detail=detail.strip(),
        line=line,
        version=F("version") + 1,
        updated=timezone.now(),
    )
    current = Finding.objects.select_related("line").get(pk=finding.pk)
    if not changed:
        raise Conflict(current)
    from . import search

    search.index_finding(current)
    audit.record("evidence.finding_changed", by=by, review=finding.review, obj=finding, summary=current.title)
    return current


@transaction.atomic
def link_notes(finding: Finding, *, by, notes, supports: bool) -> int:
    _check_unlocked(finding.review)
    notes = list(notes)
    if any(n.review_id != finding.review_id for n in notes):
        raise EvidenceError("You can only link evidence from this review")
    if not notes:
        raise EvidenceError("Select the evidence to link")
    for note in notes:
        FindingLink.objects.update_or_create(
            finding=finding, note=note, defaults={"supports": supports, "linked_by": by}
        )
    Finding.objects.filter(pk=finding.pk).update(updated=timezone.now())
    audit.record(
        "evidence.linked", by=by, review=finding.review, obj=finding, notes=[n.pk for n in notes], supports=supports
    )
    return len(notes)


@transaction.atomic
def unlink(link: FindingLink, *, by) -> None:
    _check_unlocked(link.finding.review)
    audit.record("evidence.unlinked", by=by, review=link.finding.review, obj=link.finding, note=link.note_id)
    Finding.objects.filter(pk=link.finding_id).update(updated=timezone.now())
    link.delete()


@transaction.atomic
def agree_finding(finding: Finding, *, by, role: str, override_reason: str = "") -> Finding:
    _check_unlocked(finding.review)
    if role not in (Role.LEAD, Role.PCM):
        raise EvidenceError("Only the review lead or the peer challenge manager can agree a finding")
    if finding.is_agreed:
        raise EvidenceError("This finding is already agreed")
    if finding.challenges.filter(resolved_at__isnull=True).exists():
        raise EvidenceError("Resolve the open challenge before agreeing this finding")
    strength = strength_of(finding)
    override_reason = override_reason.strip()
    if not strength.supported:
        if role != Role.LEAD:
            raise EvidenceError(
                "This finding is not yet supported by enough evidence. Only the review lead can agree it anyway"
            )
        if not override_reason:
            raise EvidenceError("Enter why the team agrees this finding without enough evidence")
    finding.status = FindingStatus.AGREED
    finding.override_reason = override_reason if not strength.supported else ""
    finding.agreed_by, finding.agreed_at = by, timezone.now()
    finding.version += 1
    finding.save()
    audit.record(
        "evidence.finding_agreed",
        by=by,
        review=finding.review,
        obj=finding,
        summary=finding.title,
        override=finding.override_reason,
    )
    return finding


@transaction.atomic
def reopen_finding(finding: Finding, *, by) -> Finding:
    _check_unlocked(finding.review)
    finding.status, finding.agreed_by, finding.agreed_at, finding.override_reason = FindingStatus.THEORY, None, None, ""
    finding.version += 1
    finding.save()
    audit.record("evidence.finding_reopened", by=by, review=finding.review, obj=finding)
    return finding


@transaction.atomic
def raise_challenge(finding: Finding, *, by, text: str) -> Challenge:
    _check_unlocked(finding.review)
    if not text.strip():
        raise EvidenceError("Enter your challenge")
    challenge = Challenge.objects.create(finding=finding, text=text.strip(), raised_by=by)
    if finding.is_agreed:
        # A challenge to an agreed finding sends it back to the team.
        finding.status, finding.agreed_by, finding.agreed_at = FindingStatus.THEORY, None, None
        finding.version += 1
    finding.save()
    audit.record("evidence.challenge_raised", by=by, review=finding.review, obj=finding, summary=text[:200])
    return challenge


@transaction.atomic
def resolve_challenge(challenge: Challenge, *, by, resolution: str) -> Challenge:
    if not challenge.is_open:
        raise EvidenceError("This challenge is already resolved")
    if not resolution.strip():
        raise EvidenceError("Enter how the team resolved the challenge")
    challenge.resolution, challenge.resolved_by, challenge.resolved_at = resolution.strip(), by, timezone.now()
    challenge.save()
    Finding.objects.filter(pk=challenge.finding_id).update(updated=timezone.now())
    audit.record(
        "evidence.challenge_resolved",
        by=by,
        review=challenge.finding.review,
        obj=challenge.finding,
        summary=resolution[:200],
    )
    return challenge


def kit_for(review) -> KitSummary:
    return KitSummary.objects.get_or_create(review=review)[0]


@transaction.atomic
def save_kit_draft(review, *, by, text: str) -> KitSummary:
    kit = kit_for(review)
    kit.draft = text.strip()
    kit.save()
    audit.record("evidence.kit_draft_saved", by=by, review=review, obj=kit)
    return kit


@transaction.atomic
def share_kit(review, *, by) -> KitSummary:
    kit = kit_for(review)
    if not kit.draft:
        raise EvidenceError("Write the summary before sharing it")
    kit.shared, kit.shared_at, kit.shared_by = kit.draft, timezone.now(), by
    kit.save()
    audit.record("evidence.kit_shared", by=by, review=review, obj=kit)
    return kit


def report_for(review) -> Report:
    return Report.objects.get_or_create(review=review)[0]


@transaction.atomic
def save_report_sections(review, *, by, sections: dict[str, str]) -> Report:
    report = report_for(review)
    if report.is_locked:
        raise EvidenceError(LOCKED)
    report.sections = {**report.sections, **{k: v.strip() for k, v in sections.items()}}
    report.save()
    audit.record("evidence.report_edited", by=by, review=review, obj=report)
    return report


@transaction.atomic
def add_report_comment(review, *, by, section: str, text: str) -> ReportComment:
    report = report_for(review)
    if report.is_locked:
        raise EvidenceError(LOCKED)
    if not text.strip():
        raise EvidenceError("Enter your comment")
    comment = ReportComment.objects.create(review=review, section=section, text=text.strip(), author=by)
    audit.record("evidence.report_comment", by=by, review=review, obj=comment, summary=section)
    return comment


@transaction.atomic
def sign_off_report(review, *, by) -> Report:
    report = report_for(review)
    if report.is_locked:
        raise EvidenceError("The report is already signed off")
    if not review.findings.filter(status=FindingStatus.AGREED).exists():
        raise EvidenceError("Agree at least one finding before signing off the report")
    report.status, report.signed_off_by, report.signed_off_at = ReportStatus.FINAL, by, timezone.now()
    report.save()
    audit.record("evidence.report_signed_off", by=by, review=review, obj=report)
    return report


@transaction.atomic
def confirm_flags(review, *, by, keys: list[str]) -> Report:
    report = report_for(review)
    report.confirmed_flags = sorted(set(report.confirmed_flags) | set(keys))
    report.save()
    audit.record("evidence.identifiers_confirmed", by=by, review=review, obj=report, keys=keys)
    return report


@transaction.atomic
def generate_output(review, *, by, kind: str) -> Output:
    """Build the document fully in memory, then store it: a failure leaves no row behind."""
    from . import build

    report = report_for(review)
    data, counts = build.report_data(review, report)
    if build.open_flags(data, report):
        raise EvidenceError("Check the possible names and identifiers before generating the document")
    content = build.render(kind, data, counts)
    last = Output.objects.filter(review=review, kind=kind).order_by("-version").first()
    output = Output.objects.create(
        review=review,
        kind=kind,
        version=(last.version + 1) if last else 1,
        status=report.status,
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        created_by=by,
    )
    audit.record("evidence.output_generated", by=by, review=review, obj=output, summary=str(output))
    return output
