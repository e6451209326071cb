"""The peer pool, team recommendations (solver runs), proposals, the host's decision and invitations."""

import hashlib

from django.conf import settings
from django.db import models

from peerreview.core.roles import Role

ROLE_CHOICES = [
    ("dcs", "Director of children's services"),
    ("ad", "Assistant director"),
    ("head_of_service", "Head of service"),
    ("operational_manager", "Operational manager"),
    ("principal_social_worker", "Principal social worker"),
    ("case_auditor", "Case auditor"),
    ("pcm", "Peer challenge manager"),
    ("police", "Police"),
    ("health", "Health"),
    ("education", "Education"),
    ("adult_social_care", "Adult social care"),
    ("councillor", "Councillor"),
]
ROLE_LABELS = dict(ROLE_CHOICES)
# Serving officers usually do one review a year; LGA peer challenge managers run many.
DEFAULT_CAPS = {"pcm": 12}

# Team slot code -> the role the person gets in the review once they accept.
SLOT_ROLES = {"lead": Role.LEAD, "pcm": Role.PCM, "case_auditor": Role.CASE_AUDITOR, "observer": Role.OBSERVER}


def review_role_for_slot(slot_code: str) -> str:
    return SLOT_ROLES.get(slot_code, Role.PEER)


class PeerProfile(models.Model):
    """A trained peer in the LGA's pool."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="peer_profile"
    )
    organisation = models.ForeignKey("councils.Organisation", on_delete=models.PROTECT, related_name="peers")
    job_title = models.CharField(max_length=200, blank=True)
    role = models.CharField("Role and seniority", max_length=32, choices=ROLE_CHOICES)
    specialisms = models.JSONField(default=list, blank=True, help_text="Theme codes from the lines of enquiry library")
    region = models.CharField(max_length=40, blank=True)
    trained_on = models.DateField(null=True, blank=True)
    unavailable_weeks = models.JSONField(default=list, blank=True, help_text="ISO weeks such as 2027-W10")
    reviews_this_year = models.PositiveSmallIntegerField(default=0)
    yearly_cap = models.PositiveSmallIntegerField(default=1)
    reviews_total = models.PositiveSmallIntegerField(default=0)
    former_employers = models.JSONField(default=list, blank=True, help_text="[organisation code, until year] pairs")
    is_active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def solver_id(self) -> str:
        return f"p{self.pk}"

    @property
    def is_new(self) -> bool:
        return self.reviews_total == 0

    def specialism_titles(self) -> list[str]:
        from peerreview.policy.library import library

        by_code = library()["by_code"]
        return [by_code[c]["title"] if c in by_code else c for c in self.specialisms]


class Conflict(models.Model):
    """A declared conflict of interest with an organisation or another peer."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", "Organisation"
        PERSON = "person", "Person"

    profile = models.ForeignKey(PeerProfile, on_delete=models.CASCADE, related_name="conflicts")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    organisation = models.ForeignKey(
        "councils.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(PeerProfile, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="organisation", organisation__isnull=False, person__isnull=True))
                | (models.Q(kind="person", person__isnull=False, organisation__isnull=True)),
                name="conflict_names_one_thing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile}: {self.organisation or self.person}"


class TeamRun(models.Model):
    """One solve: the problem sent to the solver (JSON), what came back, and how good it is."""

    class Kind(models.TextChoices):
        REVIEW = "review", "One review"
        SEASON = "season", "Season"

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.REVIEW)
    review = models.ForeignKey(
        "reviews.Review", null=True, blank=True, on_delete=models.CASCADE, related_name="team_runs"
    )
    problem = models.JSONField()
    result = models.JSONField(default=dict)
    status = models.CharField(max_length=16, blank=True)
    objective = models.IntegerField(null=True, blank=True)
    bound = models.IntegerField(null=True, blank=True)
    runtime_seconds = models.FloatField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} run {self.pk}: {self.status}"


class TeamProposal(models.Model):
    """The proposed team for one review: what the PCM is shaping, sends to the host and invites."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENT = "sent", "Waiting for the host"
        ACCEPTED = "accepted", "Accepted by the host"
        CHANGE_REQUESTED = "change_requested", "Host asked for a change"

    review = models.OneToOneField("reviews.Review", on_delete=models.CASCADE, related_name="team_proposal")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    run = models.ForeignKey(TeamRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    same_region_conflict = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Team for {self.review}"

    def team(self):
        return self.members.filter(excluded=False).select_related("profile__organisation")


class ProposedMember(models.Model):
    """A person in (or kept out of) a proposal. Excluded rows are not in the team; they remember the PCM's choice."""

    proposal = models.ForeignKey(TeamProposal, on_delete=models.CASCADE, related_name="members")
    profile = models.ForeignKey(PeerProfile, on_delete=models.CASCADE, related_name="proposals")
    slot_code = models.CharField(max_length=40, blank=True)
    slot_label = models.CharField(max_length=120, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    pinned = models.BooleanField(default=False)
    excluded = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["excluded", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "profile"], name="one_row_per_person")]

    def __str__(self) -> str:
        return f"{self.profile} ({self.slot_label or 'excluded'})"

    def invitation(self):
        return PeerInvitation.objects.filter(review=self.proposal.review, profile=self.profile).order_by("-id").first()


class HostDecision(models.Model):
    class Decision(models.TextChoices):
        ACCEPTED = "accepted", "Accepted the team"
        CHANGE = "change", "Asked for a change"

    proposal = models.ForeignKey(TeamProposal, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=16, choices=Decision.choices)
    reason = models.TextField(blank=True)
    team_snapshot = models.JSONField(default=list)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.at:%d %B %Y})"


class PeerInvitation(models.Model):
    """An invitation to join a review team. The link holds a single-use token; only its hash is stored."""

    class Response(models.TextChoices):
        PENDING = "pending", "Waiting for a reply"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="peer_invitations")
    profile = models.ForeignKey(PeerProfile, on_delete=models.CASCADE, related_name="invitations")
    slot_code = models.CharField(max_length=40)
    slot_label = models.CharField(max_length=120)
    token_hash = models.CharField(max_length=64, unique=True)
    response = models.CharField(max_length=16, choices=Response.choices, default=Response.PENDING)
    decline_reason = models.CharField(max_length=500, blank=True)
    membership = models.ForeignKey(
        "reviews.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"Invitation for {self.profile} to {self.review}"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
