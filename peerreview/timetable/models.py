"""The delivery week timetable: sessions, who they hear from, when people cannot attend, and solver runs.

The solver (peerreview.solver.timetable) works on frozen dataclasses; build.py converts these rows into them
and applies a solved timetable back. Solver ids are the row ids with a prefix: s12 (session), p7
(participant), r3 (room), m5 (team membership).
"""

import uuid

from django.conf import settings
from django.db import models

from peerreview.policy.library import SESSION_KINDS

KIND_LABELS = {
    "overview": "Council overview presentation",
    "interview": "Interview",
    "focus_group": "Focus group",
    "case_discussion": "Case discussion",
    "practice_observation": "Practice observation",
    "site_visit": "Site visit",
    "keeping_in_touch": "Keeping-in-touch meeting",
    "team_meeting": "Peer team meeting",
    "drawing_together": "Drawing together",
    "feedback": "Feedback presentation",
}
assert set(KIND_LABELS) == SESSION_KINDS


class Room(models.Model):
    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="timetable_rooms")
    name = models.CharField(max_length=120)
    location = models.CharField(max_length=120, blank=True, help_text="The building or site")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.location}" if self.location else self.name

    @property
    def solver_id(self) -> str:
        return f"r{self.pk}"


class Participant(models.Model):
    """A named person or a staff group from the council or a partner, heard in sessions."""

    class Kind(models.TextChoices):
        PERSON = "person", "A named person"
        GROUP = "group", "A staff group"

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="timetable_participants")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERSON)
    organisation = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    is_senior_leader = models.BooleanField(default=False)
    is_young_people = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def solver_id(self) -> str:
        return f"p{self.pk}"


class PeerSetting(models.Model):
    """What the timetable needs to know about a team member: specialisms and a daily limit."""

    membership = models.OneToOneField("reviews.Membership", on_delete=models.CASCADE, related_name="timetable")
    specialisms = models.CharField(max_length=200, blank=True)
    max_sessions_per_day = models.PositiveSmallIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Timetable details for {self.membership}"

    def specialism_set(self) -> frozenset[str]:
        return frozenset(s.strip().lower() for s in self.specialisms.split(",") if s.strip())


class Session(models.Model):
    class Mode(models.TextChoices):
        ONLINE = "online", "Online"
        IN_PERSON = "in_person", "In person"

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="timetable_sessions")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=list(KIND_LABELS.items()))
    minutes = models.PositiveSmallIntegerField()
    peers_needed = models.PositiveSmallIntegerField(default=2)
    required_roles = models.JSONField(default=list, blank=True)  # membership roles, e.g. ["lead", "pcm"]
    required_specialism = models.CharField(max_length=60, blank=True)
    participants = models.ManyToManyField(Participant, blank=True, related_name="sessions")
    lines = models.ManyToManyField("reviews.ReviewLine", blank=True, related_name="timetable_sessions")
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.ONLINE)
    meeting_link = models.URLField(blank=True)
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions")
    # A fixed event (from the delivery template or typed in) has a fixed day and start.
    fixed_day = models.DateField(null=True, blank=True)
    fixed_start = models.TimeField(null=True, blank=True)
    from_template = models.BooleanField(default=False)
    # Pinned by hand: kept at its day, start and peers when the week is solved again.
    pinned = models.BooleanField(default=False)
    # Where it is now (empty until solved).
    day = models.DateField(null=True, blank=True)
    start = models.TimeField(null=True, blank=True)
    end = models.TimeField(null=True, blank=True)
    placed_room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    peers = models.ManyToManyField("reviews.Membership", through="SessionPeer", related_name="timetable_sessions")
    # Calendar: one UID for the life of the session; SEQUENCE goes up each time it moves.
    uid = models.CharField(max_length=80, unique=True, default="")
    sequence = models.PositiveIntegerField(default=0)
    is_dropped = models.BooleanField(default=False)
    # The placement before the last hand move, so it can be undone.
    undo = models.JSONField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "start", "title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.uid:
            self.uid = f"{uuid.uuid4()}@peerreview"
        super().save(*args, **kwargs)

    @property
    def solver_id(self) -> str:
        return f"s{self.pk}"

    @property
    def is_fixed(self) -> bool:
        return self.fixed_day is not None and self.fixed_start is not None

    @property
    def is_placed(self) -> bool:
        return self.day is not None and self.start is not None

    def placement(self) -> dict:
        return {
            "day": self.day.isoformat() if self.day else None,
            "start": self.start.strftime("%H:%M") if self.start else None,
            "end": self.end.strftime("%H:%M") if self.end else None,
            "room": self.placed_room_id,
            "peers": sorted(self.session_peers.values_list("membership_id", flat=True)),
        }

    def where(self) -> str:
        if self.mode == self.Mode.IN_PERSON:
            return str(self.placed_room or self.room or "Room to be confirmed")
        return self.meeting_link or "Online (link to follow)"


class SessionPeer(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="session_peers")
    membership = models.ForeignKey("reviews.Membership", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "membership"], name="unique_session_peer")]

    def __str__(self) -> str:
        return f"{self.membership} in {self.session}"


class Unavailability(models.Model):
    """A time when a participant, a peer or a room cannot be used."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="timetable_unavailability")
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="unavailability"
    )
    membership = models.ForeignKey(
        "reviews.Membership", null=True, blank=True, on_delete=models.CASCADE, related_name="timetable_unavailability"
    )
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.CASCADE, related_name="unavailability")
    day = models.DateField()
    start = models.TimeField()
    end = models.TimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["day", "start"]

    def __str__(self) -> str:
        return f"{self.who()} unavailable {self.day} {self.start}–{self.end}"

    def who(self) -> str:
        if self.participant_id:
            return self.participant.name
        if self.membership_id:
            return self.membership.user.get_full_name()
        return str(self.room)


class TimetableSettings(models.Model):
    """The PCM's rule weights for this review (see peerreview.solver.timetable.Weights)."""

    review = models.OneToOneField("reviews.Review", on_delete=models.CASCADE, related_name="timetable_settings")
    weights = models.JSONField(default=dict, blank=True)
    buffer_minutes = models.PositiveSmallIntegerField(default=15)
    # Waiting a peer may have in a day before the idle-gap rule charges, and the difference in
    # session time between the busiest and quietest peer before workload balance charges.
    idle_allowance_minutes = models.PositiveSmallIntegerField(default=30)
    balance_tolerance_minutes = models.PositiveSmallIntegerField(default=60)

    # The settings that are whole numbers of minutes, named as in the solver's Problem and the weights form.
    MINUTES = ("buffer_minutes", "idle_allowance_minutes", "balance_tolerance_minutes")

    def __str__(self) -> str:
        return f"Timetable settings for {self.review}"

    @classmethod
    def for_review(cls, review) -> "TimetableSettings":
        """The review's settings, or the defaults (unsaved) if the PCM never changed them."""
        return cls.objects.filter(review=review).first() or cls(review=review)

    def minutes(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.MINUTES}


class SolveRun(models.Model):
    class Kind(models.TextChoices):
        SOLVE = "solve", "Solve the week"
        REPAIR = "repair", "Repair the week"

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        STOPPED = "stopped", "Stopped"
        FAILED = "failed", "No timetable found"

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="timetable_runs")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SOLVE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    progress = models.JSONField(default=dict, blank=True)  # {"best": .., "bound": .., "seconds": ..}
    stop_requested = models.BooleanField(default=False)
    result = models.JSONField(default=dict, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"


class CalendarEntry(models.Model):
    """One person's invitation to one session: a stable UID per (session, person) and its own SEQUENCE.

    Kept in step by invitations.sync() after every timetable change. A person taken off a session, or a
    dropped session, leaves the entry cancelled with a higher SEQUENCE so that person gets a cancellation.
    The person's name and email are copied onto the entry, so a participant who is deleted (or a team member
    whose membership row goes) still gets the cancellation: the link becomes empty and the entry is cancelled.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CANCELLED = "cancelled", "Cancelled"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="calendar_entries")
    membership = models.ForeignKey(
        "reviews.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="timetable_calendar"
    )
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="calendar_entries"
    )
    # Who it is for, as last known (kept when the participant or membership is deleted).
    name = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    uid = models.CharField(max_length=120, unique=True)
    sequence = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # The session's time, place and link when the SEQUENCE was last set.
    fingerprint = models.CharField(max_length=64, blank=True)
    # What was last emailed (status, sequence, fingerprint); empty if never sent.
    sent_hash = models.CharField(max_length=64, blank=True)
    sent = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session__day", "session__start"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(membership__isnull=False, participant__isnull=False),
                name="calendar_entry_one_person",
            ),
            models.UniqueConstraint(fields=["session", "membership"], name="unique_calendar_entry_peer"),
            models.UniqueConstraint(fields=["session", "participant"], name="unique_calendar_entry_participant"),
        ]

    def __str__(self) -> str:
        return f"{self.uid} ({self.status}, {self.sequence})"

    @property
    def person_key(self) -> str:
        """m<membership id> or p<participant id>; x:<email> (or x<entry id>) once the person has been deleted."""
        if self.membership_id:
            return f"m{self.membership_id}"
        if self.participant_id:
            return f"p{self.participant_id}"
        return f"x:{self.email.lower()}" if self.email else f"x{self.pk}"

    def person_email(self) -> str:
        if self.membership_id:
            return self.membership.user.email
        return self.participant.email if self.participant_id else self.email

    def person_name(self) -> str:
        if self.membership_id:
            return self.membership.user.get_full_name()
        return self.participant.name if self.participant_id else self.name

    def state_hash(self) -> str:
        import hashlib

        return hashlib.sha256(f"{self.status}|{self.sequence}|{self.fingerprint}".encode()).hexdigest()

    @property
    def is_unsent(self) -> bool:
        return self.sent_hash != self.state_hash()
