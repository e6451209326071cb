import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from peerreview.core.roles import TEAM, Role
from peerreview.policy.library import STAGES


class Stage(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SCOPING = "scoping", "Scoping"
    PREPARATION = "preparation", "Preparation"
    CASE_RECORD_REVIEW = "case_record_review", "Case record review"
    DELIVERY = "delivery", "Delivery"
    FEEDBACK = "feedback", "Feedback"
    WRITTEN_REPORT = "written_report", "Written report"
    EVALUATION = "evaluation", "Evaluation"
    CLOSED = "closed", "Closed"


assert [s.value for s in Stage] == STAGES


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return datetime.date(year, month, min(day.day, last[month - 1]))


class Review(models.Model):
    title = models.CharField(max_length=200)
    host = models.ForeignKey("councils.Organisation", on_delete=models.PROTECT, related_name="reviews")
    review_type = models.ForeignKey("policy.ReviewType", on_delete=models.PROTECT, related_name="reviews")
    stage = models.CharField(max_length=32, choices=Stage.choices, default=Stage.REQUESTED)
    delivery_start = models.DateField()
    has_case_record_review = models.BooleanField(default=True)
    purpose = models.TextField("Purpose question", blank=True)
    scope_agreed_at = models.DateTimeField(null=True, blank=True)
    scope_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    is_purged = models.BooleanField(default=False)

    class Meta:
        ordering = ["delivery_start"]

    def __str__(self) -> str:
        return self.title

    def stages(self) -> list[str]:
        return [s for s in STAGES if s != Stage.CASE_RECORD_REVIEW or self.has_case_record_review]

    def next_stage(self) -> str | None:
        stages = self.stages()
        i = stages.index(self.stage)
        return stages[i + 1] if i + 1 < len(stages) else None

    def stage_label(self, code: str) -> str:
        return Stage(code).label

    def stage_rows(self):
        stages = self.stages()
        now = stages.index(self.stage)
        return [
            {"code": s, "label": Stage(s).label, "state": "done" if i < now else "current" if i == now else "todo"}
            for i, s in enumerate(stages)
        ]

    def dates(self) -> dict[str, "KeyDate"]:
        return {d.code: d for d in self.key_dates.all()}

    def date_of(self, code: str) -> datetime.date | None:
        d = self.dates().get(code)
        return d.date if d else None

    def tasks(self, today: datetime.date | None = None) -> list[dict]:
        """What needs doing, with due dates, in order. Done tasks are kept so the page can tick them off."""
        today = today or timezone.localdate()
        dates = self.dates()
        members = list(self.memberships.select_related("user").prefetch_related("acceptances"))
        team = [m for m in members if m.role in TEAM and m.is_active]
        unaccepted = [m for m in team if not m.has_accepted_confidentiality()]
        doc_items = self.review_type.config.get("documents", [])
        uploaded = set(self.documents.values_list("checklist_code", flat=True))
        missing_docs = [d for d in doc_items if d.get("required") and d["code"] not in uploaded]
        index = self.stages().index(self.stage)

        def reached(stage):
            return stage in self.stages() and index > self.stages().index(stage)

        rows = [
            (
                "scope_agreed",
                "Agree the scope and key lines of enquiry with the sponsor",
                self.scope_agreed_at is not None,
            ),
            ("team_confirmed", "Confirm the peer team", len(team) >= 3),
            (
                "team_confirmed",
                f"Confidentiality agreements accepted ({len(team) - len(unaccepted)} of {len(team)})",
                bool(team) and not unaccepted,
            ),
            (
                "documents_due",
                f"Upload the key documents ({len(doc_items) - len(missing_docs)} of {len(doc_items)} done)"
                if doc_items
                else "Upload the key documents",
                not missing_docs,
            ),
            ("case_review_end", "Complete the case record review", reached(Stage.CASE_RECORD_REVIEW)),
            (
                "drawing_together" if "drawing_together" in dates else "delivery_end",
                "Deliver the review week",
                reached(Stage.DELIVERY),
            ),
            ("feedback", "Give the feedback presentation", reached(Stage.FEEDBACK)),
            ("report_due", "Send the written report", reached(Stage.WRITTEN_REPORT)),
            ("evaluation_due", "Evaluate the review", reached(Stage.EVALUATION)),
        ]
        tasks = []
        for code, label, done in rows:
            if code not in dates:
                continue
            due = dates[code].date
            tasks.append(
                {
                    "label": label,
                    "due": due,
                    "done": done,
                    "overdue": not done and due < today,
                    "days_left": (due - today).days,
                }
            )
        return tasks

    def overdue_tasks(self, today=None) -> list[dict]:
        return [t for t in self.tasks(today) if t["overdue"]]

    def next_task(self, today=None) -> dict | None:
        return next((t for t in self.tasks(today) if not t["done"]), None)


class KeyDate(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="key_dates")
    code = models.SlugField(max_length=40)
    label = models.CharField(max_length=120)
    date = models.DateField()
    overridden = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["date", "order"]
        constraints = [models.UniqueConstraint(fields=["review", "code"], name="unique_key_date")]

    def __str__(self) -> str:
        return f"{self.label}: {self.date}"


class MembershipQuerySet(models.QuerySet):
    def active(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, valid_from__lte=now).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gt=now)
        )

    def active_for(self, user, review_id):
        if not user.is_authenticated:
            return None
        try:
            review_id = int(review_id)
        except (TypeError, ValueError):
            return None
        return self.active().filter(user=user, review_id=review_id).select_related("user").first()


class Membership(models.Model):
    """A person's role in one review, for a window of time. Checked on every request, so revocation is immediate."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    valid_from = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "user"], condition=Q(revoked_at__isnull=True), name="one_live_membership_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return (
            self.revoked_at is None and self.valid_from <= now and (self.valid_until is None or self.valid_until > now)
        )

    @property
    def is_team(self) -> bool:
        return self.role in TEAM

    def has_accepted_confidentiality(self) -> bool:
        version = self.review.review_type.agreement["version"]
        return any(a.version == version for a in self.acceptances.all())


class ConfidentialityAcceptance(models.Model):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="acceptances")
    version = models.PositiveIntegerField()
    text_sha256 = models.CharField(max_length=64)
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-accepted_at"]

    def __str__(self) -> str:
        return f"{self.membership} accepted version {self.version}"

    @staticmethod
    def digest(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()


class ScopingMeeting(models.Model):
    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="scoping_meeting")
    held_on = models.DateField()
    attendees = models.TextField()
    notes = models.TextField(blank=True)
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Scoping meeting {self.held_on}"


class ReviewLine(models.Model):
    """A key line of enquiry chosen for this review: a copy from the library, or a custom one."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="lines")
    code = models.CharField(max_length=80)
    theme = models.CharField(max_length=200)
    question = models.TextField()
    prompts = models.JSONField(default=list, blank=True)
    is_custom = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "code"], name="unique_line_per_review")]

    def __str__(self) -> str:
        return self.question
