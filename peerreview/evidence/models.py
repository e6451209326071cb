"""Evidence from the delivery week, the findings it supports, and the documents made from agreed findings."""

from django.conf import settings
from django.db import models

NOTE_MAX_CHARS = 5000


class SourceType(models.TextChoices):
    INTERVIEW = "interview", "Interview"
    FOCUS_GROUP = "focus_group", "Focus group"
    CASE_REVIEW = "case_review", "Case review"
    DOCUMENT = "document", "Document"
    DATA = "data", "Data"
    OBSERVATION = "observation", "Observation"
    SURVEY = "survey", "Survey"


class Leaning(models.TextChoices):
    STRENGTH = "strength", "Strength"
    CONCERN = "concern", "Concern"
    NEUTRAL = "neutral", "Neutral"


# Which source type a note most likely has, from the kind of session it was heard in.
SOURCE_FOR_SESSION_KIND = {
    "overview": SourceType.INTERVIEW,
    "interview": SourceType.INTERVIEW,
    "focus_group": SourceType.FOCUS_GROUP,
    "case_discussion": SourceType.CASE_REVIEW,
    "practice_observation": SourceType.OBSERVATION,
    "site_visit": SourceType.OBSERVATION,
}


class EvidenceSession(models.Model):
    """A meeting the team heard evidence in. Kept light: the timetable app owns the planned sessions."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="evidence_sessions")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=40)
    day = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "title"]

    def __str__(self) -> str:
        return self.title

    def kind_label(self) -> str:
        return self.review.review_type.config.get("session_types", {}).get(self.kind, {}).get("label", self.kind)


class Note(models.Model):
    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="notes")
    session = models.ForeignKey(EvidenceSession, null=True, blank=True, on_delete=models.PROTECT, related_name="notes")
    source_ref = models.CharField("Document, data item or case reference", max_length=200, blank=True)
    source_type = models.CharField(max_length=20, choices=SourceType.choices)
    leaning = models.CharField(max_length=10, choices=Leaning.choices, default=Leaning.NEUTRAL)
    text = models.TextField()
    staff_groups = models.CharField(max_length=200, blank=True)
    lines = models.ManyToManyField("reviews.ReviewLine", through="NoteLine", related_name="notes")
    day = models.DateField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["review", "day"], name="evidence_note_review_day"),
            models.Index(fields=["review", "source_type"], name="evidence_note_review_source"),
            models.Index(fields=["review", "-created"], name="evidence_note_review_created"),
            # Search results, newest first a page at a time (PostgreSQL; SQLite's review index holds the id).
            models.Index(fields=["review", "-id"], name="evidence_note_review_newest"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def where(self) -> str:
        return self.session.title if self.session_id else self.source_ref


class NoteLine(models.Model):
    """A note's tag to a line of enquiry. Carries the note's review and source type so the evidence matrix is
    one covering-index count, even at 100,000 notes; its day and leaning do the same for the team meeting."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="tags")
    line = models.ForeignKey("reviews.ReviewLine", on_delete=models.CASCADE, related_name="tags")
    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="+")
    source_type = models.CharField(max_length=20, choices=SourceType.choices)
    leaning = models.CharField(max_length=10, choices=Leaning.choices, default=Leaning.NEUTRAL)
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["note", "line"], name="one_tag_per_note_and_line")]
        indexes = [
            models.Index(fields=["review", "line", "source_type"], name="evidence_noteline_matrix"),
            models.Index(fields=["review", "day", "line", "leaning"], name="evidence_noteline_day"),
        ]

    def __str__(self) -> str:
        return f"{self.note_id} → {self.line_id}"


class FindingKind(models.TextChoices):
    STRENGTH = "strength", "Strength"
    AREA = "area", "Area for consideration"
    RECOMMENDATION = "recommendation", "Recommendation"


class FindingStatus(models.TextChoices):
    THEORY = "theory", "Emerging theory"
    AGREED = "agreed", "Agreed"


class Finding(models.Model):
    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="findings")
    line = models.ForeignKey(
        "reviews.ReviewLine", null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    kind = models.CharField(max_length=20, choices=FindingKind.choices)
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=FindingStatus.choices, default=FindingStatus.THEORY)
    version = models.PositiveIntegerField(default=1)
    override_reason = models.TextField(blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    notes = models.ManyToManyField(Note, through="FindingLink", related_name="findings")

    class Meta:
        ordering = ["line__order", "kind", "id"]
        indexes = [models.Index(fields=["review", "updated"], name="evidence_finding_review_upd")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_agreed(self) -> bool:
        return self.status == FindingStatus.AGREED


class FindingLink(models.Model):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="links")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="links")
    supports = models.BooleanField(default=True)  # False: the note contradicts the finding
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["finding", "note"], name="one_link_per_note_and_finding")]

    def __str__(self) -> str:
        return f"{'Supports' if self.supports else 'Contradicts'}: {self.note_id} → {self.finding_id}"


class Challenge(models.Model):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="challenges")
    text = models.TextField()
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    resolution = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class KitSummary(models.Model):
    """The keeping-in-touch summary: the team edits the draft, the sponsor sees only the shared copy."""

    review = models.OneToOneField("reviews.Review", on_delete=models.CASCADE, related_name="kit_summary")
    draft = models.TextField(blank=True)
    shared = models.TextField(blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Keeping-in-touch summary for review {self.review_id}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"


class Report(models.Model):
    """The editable wording around the findings, by section heading, and the report's sign-off state."""

    review = models.OneToOneField("reviews.Review", on_delete=models.CASCADE, related_name="report")
    sections = models.JSONField(default=dict)  # section heading -> text
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    confirmed_flags = models.JSONField(default=list)  # identifier flags a person checked and kept
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Report for review {self.review_id} ({self.status})"

    @property
    def is_locked(self) -> bool:
        return self.status == ReportStatus.FINAL


class ReportComment(models.Model):
    """A factual-accuracy comment from the host council on one section of the draft report."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="report_comments")
    section = models.CharField(max_length=200)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created"]

    def __str__(self) -> str:
        return f"{self.section}: {self.text[:40]}"


class OutputKind(models.TextChoices):
    PPTX = "pptx", "Feedback presentation (PowerPoint)"
    DOCX = "docx", "Written report (Word)"
    PDF = "pdf", "Written report (PDF)"


CONTENT_TYPES = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


class Output(models.Model):
    """A generated presentation or report. Each generation is a new version; the bytes live in the row."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="outputs")
    kind = models.CharField(max_length=8, choices=OutputKind.choices)
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=ReportStatus.choices)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        constraints = [models.UniqueConstraint(fields=["review", "kind", "version"], name="unique_output_version")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} version {self.version}"

    @property
    def filename(self) -> str:
        stem = "feedback-presentation" if self.kind == "pptx" else "report"
        return f"{stem}-v{self.version}{'-draft' if self.status == 'draft' else ''}.{self.kind}"


class NoteDraft(models.Model):
    """A note someone is still typing, autosaved to the server so a lost device or a dropped connection loses
    nothing. One per person per capture form (a session, or the document form). Private to its author: it is
    not evidence, never counted or searched, and is deleted when the note is saved or the review is purged."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(EvidenceSession, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    form_key = models.CharField(max_length=40)  # "session-<id>" or "document": which capture form it belongs to
    text = models.TextField(blank=True)
    line_ids = models.JSONField(default=list)
    source_type = models.CharField(max_length=20, choices=SourceType.choices, blank=True)
    leaning = models.CharField(max_length=10, choices=Leaning.choices, blank=True)
    staff_groups = models.CharField(max_length=200, blank=True)
    source_ref = models.CharField(max_length=200, blank=True)
    day = models.DateField(null=True, blank=True)
    updated = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "user", "form_key"], name="one_note_draft_per_user_and_form")
        ]

    def __str__(self) -> str:
        return f"Draft note by {self.user_id} in {self.form_key}"


def draft_form_key(session: EvidenceSession | None) -> str:
    return f"session-{session.pk}" if session is not None else "document"


# Running totals for the pages that must stay fast at 100,000 notes. Database triggers (migration 0003) keep
# them: every insert, delete or change of a note or a note's tag, whichever code or cascade makes it, including
# bulk loads. Nothing in Python writes them.


class NoteTally(models.Model):
    """How many evidence notes a review has per day and session (0: no session). The board's total, the team
    meeting's days, its count for the day and each session's count, without counting notes."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    session_key = models.IntegerField()  # the session's id, or 0 for notes from documents, data or case audits
    notes = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "day", "session_key"], name="one_note_tally_per_day_session")
        ]

    def __str__(self) -> str:
        return f"{self.notes} notes in review {self.review_id} on {self.day}"


class MatrixCell(models.Model):
    """How many notes are tagged to one line of enquiry from one source type: one cell of the evidence matrix."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="+")
    line = models.ForeignKey("reviews.ReviewLine", on_delete=models.CASCADE, related_name="+")
    source_type = models.CharField(max_length=20, choices=SourceType.choices)
    notes = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "line", "source_type"], name="one_matrix_cell_per_line_source")
        ]

    def __str__(self) -> str:
        return f"{self.line_id} × {self.source_type}: {self.notes}"
