import datetime as dt
import hashlib

from django import forms

from peerreview.core.forms import GovukForm, GovukModelForm
from peerreview.reviews.models import ReviewLine
from peerreview.solver.timetable import SOFT_RULES, Weights

from . import build
from .models import KIND_LABELS, Participant, Room, Session, Unavailability

QUARTERS = [dt.time(h, m) for h in range(7, 21) for m in (0, 15, 30, 45)]


def time_choices():
    return [("", "Choose a time")] + [(t.strftime("%H:%M"), t.strftime("%H:%M")) for t in QUARTERS]


def day_choices(review, blank="Choose a day"):
    return [("", blank)] + [(d.isoformat(), f"{d:%A} {d.day} {d:%B}") for d in build.week_days(review)]


class TimeField(forms.TimeField):
    def __init__(self, label, *, required=True, required_message="Enter the time", **kwargs):
        super().__init__(
            label=label,
            required=required,
            input_formats=["%H:%M", "%H.%M"],
            error_messages={"required": required_message, "invalid": "Enter a time as HH:MM, like 09:30"},
            widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
            **kwargs,
        )


class ParticipantForm(GovukModelForm):
    class Meta:
        model = Participant
        fields = ["name", "kind", "organisation", "email", "is_senior_leader", "is_young_people"]
        labels = {
            "name": "Name or staff group",
            "kind": "Is this a named person or a staff group?",
            "organisation": "Organisation",
            "email": "Email address (optional)",
            "is_senior_leader": "A senior leader (heard early in the week and again near the end)",
            "is_young_people": "Young people or care leavers (sessions after school hours)",
        }
        help_texts = {
            "name": "For example “Head of Early Help” or “MASH team managers”.",
            "organisation": "For example Borsetshire County Council, or a partner such as the police or health.",
            "email": "Used for calendar invitations.",
        }
        widgets = {"kind": forms.RadioSelect}
        error_messages = {
            "name": {"required": "Enter the name or staff group"},
            "kind": {"required": "Choose whether this is a named person or a staff group"},
            "email": {"invalid": "Enter an email address in the correct format, like name@example.org"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Participant.Kind.choices


class RoomForm(GovukModelForm):
    class Meta:
        model = Room
        fields = ["name", "location"]
        labels = {"name": "Room name", "location": "Building or site (optional)"}
        error_messages = {"name": {"required": "Enter the room name"}}


class UnavailabilityForm(GovukForm):
    who = forms.ChoiceField(
        label="Who or what is unavailable", error_messages={"required": "Choose who is unavailable"}
    )
    day = forms.ChoiceField(label="Day", error_messages={"required": "Choose the day"})
    whole_day = forms.BooleanField(label="All day", required=False)
    start = TimeField("From", required=False, help_text="Leave blank for all day.")
    end = TimeField("Until", required=False)
    reason = forms.CharField(
        label="Reason (optional)", required=False, max_length=200, help_text="For example “Ill” or “In court”."
    )

    def __init__(self, review, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review
        who = [("", "Choose a person, group, peer or room")]
        who += [(f"p{p.pk}", f"{p.name} (participant)") for p in Participant.objects.filter(review=review)]
        who += [(f"m{m.pk}", f"{m.user.get_full_name()} (peer)") for m in build.team(review)]
        who += [(f"r{r.pk}", f"{r} (room)") for r in Room.objects.filter(review=review)]
        self.fields["who"].choices = who
        self.fields["day"].choices = day_choices(review)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if not data.get("whole_day") and not self.errors:
            if start is None and end is None:
                data["whole_day"] = True
            elif start is None:
                self.add_error("start", "Enter the start time")
            elif end is None:
                self.add_error("end", "Enter the end time")
            elif end <= start:
                self.add_error("end", "The end time must be after the start time")
        return data

    def instance(self) -> Unavailability:
        data = self.cleaned_data
        kind, pk = data["who"][0], int(data["who"][1:])
        wh = build.working_hours(self.review)
        whole = data.get("whole_day")
        u = Unavailability(
            review=self.review,
            day=dt.date.fromisoformat(data["day"]),
            start=dt.time.fromisoformat(wh["start"]) if whole else data["start"],
            end=dt.time.fromisoformat(wh["end"]) if whole else data["end"],
            reason=data.get("reason", ""),
        )
        if kind == "p":
            u.participant = Participant.objects.get(review=self.review, pk=pk)
        elif kind == "m":
            u.membership = next(m for m in build.team(self.review) if m.pk == pk)
        else:
            u.room = Room.objects.get(review=self.review, pk=pk)
        return u


class ImportForm(GovukForm):
    file = forms.FileField(
        label="Upload a CSV or Excel file",
        help_text="Columns: name, day, start, end, reason. One row for each time someone cannot attend.",
        error_messages={"required": "Select a CSV or Excel file"},
    )


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _longest_with_lunch(wh: dict) -> int:
    """The longest session that still leaves its people a lunch break inside the lunch window."""
    start, end = _minutes(wh["start"]), _minutes(wh["end"])
    lo, hi, lunch = _minutes(wh["lunch_start"]), _minutes(wh["lunch_end"]), wh["lunch_minutes"]
    return max(hi - lunch - start, end - (lo + lunch))


class SessionForm(GovukModelForm):
    participants = forms.ModelMultipleChoiceField(
        label="Who the peers hear from",
        queryset=Participant.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    lines = forms.ModelMultipleChoiceField(
        label="Lines of enquiry it serves",
        queryset=ReviewLine.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    meeting_link = forms.URLField(
        label="Meeting link (optional)",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the meeting link as a web address, like https://meet.example.org/abc"},
    )
    fixed_day = forms.ChoiceField(
        label="Fixed day (optional)", required=False, help_text="Leave blank to let the solver choose."
    )
    fixed_start = forms.ChoiceField(label="Fixed start time (optional)", required=False)

    class Meta:
        model = Session
        fields = [
            "title",
            "kind",
            "minutes",
            "peers_needed",
            "required_specialism",
            "participants",
            "lines",
            "mode",
            "meeting_link",
            "room",
        ]
        labels = {
            "title": "Session title",
            "kind": "Type of session",
            "minutes": "Length in minutes",
            "peers_needed": "Number of peers",
            "required_specialism": "Peer specialism needed (optional)",
            "mode": "Online or in person",
            "meeting_link": "Meeting link (optional)",
            "room": "Room (for an in-person session)",
        }
        help_texts = {
            "minutes": "Leave blank to use the usual length for the type.",
            "peers_needed": "Leave blank to use the usual number for the type.",
            "required_specialism": "For example “police” for the front door. The peer must have it on the Peers page.",
        }
        widgets = {"mode": forms.RadioSelect}
        error_messages = {
            "title": {"required": "Enter the session title"},
            "kind": {"required": "Choose the type of session"},
            "meeting_link": {"invalid": "Enter the meeting link as a web address, like https://meet.example.org/abc"},
        }

    def __init__(self, review, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review
        self.fields["participants"].queryset = Participant.objects.filter(review=review)
        self.fields["lines"].queryset = ReviewLine.objects.filter(review=review)
        self.fields["lines"].label_from_instance = lambda line: line.question
        self.fields["room"].queryset = Room.objects.filter(review=review)
        self.fields["room"].empty_label = "Any room"
        self.fields["kind"].choices = [("", "Choose a type"), *KIND_LABELS.items()]
        self.fields["mode"].choices = Session.Mode.choices
        self.fields["minutes"].required = False
        self.fields["peers_needed"].required = False
        self.fields["fixed_day"].choices = day_choices(review, "Any day")
        self.fields["fixed_start"].choices = [("", "Any time"), *time_choices()[1:]]
        if self.instance.pk and self.instance.fixed_day:
            self.initial["fixed_day"] = self.instance.fixed_day.isoformat()
            self.initial["fixed_start"] = self.instance.fixed_start.strftime("%H:%M")

    def clean(self):
        data = super().clean()
        types = build.session_types(self.review)
        kind = data.get("kind")
        spec = types.get(kind, {})
        if data.get("minutes") in (None, "") and kind:
            data["minutes"] = int(spec.get("minutes", 60))
        if data.get("peers_needed") in (None, "") and kind:
            peers = spec.get("peers", 2)
            data["peers_needed"] = 0 if peers == "all" else len(peers) if isinstance(peers, list) else int(peers)
        minutes = data.get("minutes")
        wh = build.working_hours(self.review)
        day_len = (dt.datetime.strptime(wh["end"], "%H:%M") - dt.datetime.strptime(wh["start"], "%H:%M")).seconds // 60
        if minutes is not None and minutes <= 0:
            self.add_error("minutes", "The length must be more than 0 minutes")
        elif minutes is not None and minutes > day_len:
            self.add_error("minutes", f"The length must be no more than the working day ({day_len} minutes)")
        elif minutes is not None and minutes > (longest := _longest_with_lunch(wh)):
            self.add_error(
                "minutes",
                f"The length must be no more than {longest} minutes, so that everyone in it can still have a "
                f"{wh['lunch_minutes']}-minute lunch between {wh['lunch_start']} and {wh['lunch_end']}",
            )
        if data.get("peers_needed") is not None and data["peers_needed"] > 10:
            self.add_error("peers_needed", "A session can have at most 10 peers")
        if data.get("mode") == Session.Mode.IN_PERSON and not Room.objects.filter(review=self.review).exists():
            self.add_error("room", "Add a room before making an in-person session")
        if bool(data.get("fixed_day")) != bool(data.get("fixed_start")):
            field = "fixed_start" if data.get("fixed_day") else "fixed_day"
            self.add_error(field, "Choose both a fixed day and a fixed start time, or neither")
        return data

    def save(self, commit=True):
        s = super().save(commit=False)
        s.minutes = self.cleaned_data["minutes"]
        s.peers_needed = self.cleaned_data["peers_needed"]
        s.required_specialism = s.required_specialism.strip().lower()
        day, start = self.cleaned_data.get("fixed_day"), self.cleaned_data.get("fixed_start")
        s.fixed_day = dt.date.fromisoformat(day) if day else None
        s.fixed_start = dt.time.fromisoformat(start) if start else None
        return s


class PeerForm(GovukForm):
    specialisms = forms.CharField(
        label="Specialisms",
        required=False,
        max_length=200,
        help_text="Separate with commas, for example “police, front door”.",
    )
    max_sessions_per_day = forms.IntegerField(
        label="Most sessions in a day (optional)",
        required=False,
        min_value=1,
        max_value=12,
        error_messages={
            "invalid": "Enter the most sessions in a day as a number, like 5",
            "min_value": "The most sessions in a day must be 1 or more",
            "max_value": "The most sessions in a day must be 12 or fewer",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )


def _minutes_field(label: str, what: str, most: int, help_text: str = "") -> forms.IntegerField:
    """A whole number of minutes from 0 to ``most``; ``what`` names it in the error messages."""
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=0,
        max_value=most,
        error_messages={
            "required": f"Enter the {what} in minutes",
            "invalid": f"Enter the {what} as a number of minutes",
            "min_value": f"The {what} must be 0 minutes or more",
            "max_value": f"The {what} must be {most} minutes or fewer",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )


class WeightsForm(GovukForm):
    buffer_minutes = forms.IntegerField(
        label="Minutes to travel between in-person sessions in different places",
        min_value=0,
        max_value=120,
        error_messages={
            "required": "Enter the travel time in minutes",
            "invalid": "Enter the travel time as a number of minutes",
            "min_value": "The travel time must be 0 minutes or more",
            "max_value": "The travel time must be 120 minutes or fewer",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )

    idle_allowance_minutes = _minutes_field(
        "Minutes a peer may wait between sessions in a day before it counts as an idle gap",
        "waiting time allowed",
        240,
        help_text="Lunch does not count. A short wait is time to write up notes.",
    )
    balance_tolerance_minutes = _minutes_field(
        "Minutes more session time the busiest peer may have than the quietest",
        "difference in session time allowed",
        600,
        help_text="Beyond this, the workload balance rule counts each extra 15 minutes.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        defaults = Weights()
        for rule in SOFT_RULES:
            self.fields[rule.code] = forms.IntegerField(
                label=rule.label,
                min_value=0,
                max_value=100,
                initial=getattr(defaults, rule.code),
                error_messages={
                    "required": f"Enter a weight for “{rule.label}”",
                    "invalid": f"Enter the weight for “{rule.label}” as a whole number",
                    "min_value": f"The weight for “{rule.label}” must be 0 or more",
                    "max_value": f"The weight for “{rule.label}” must be 100 or less",
                },
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
            )

    def weights(self) -> dict[str, int]:
        return {rule.code: self.cleaned_data[rule.code] for rule in SOFT_RULES}


class MoveForm(GovukForm):
    day = forms.ChoiceField(label="Day", error_messages={"required": "Choose the day"})
    start = forms.ChoiceField(label="Start time", error_messages={"required": "Choose the start time"})
    peers = forms.MultipleChoiceField(label="Peers", widget=forms.CheckboxSelectMultiple, required=False)
    room = forms.ChoiceField(label="Room", required=False)
    pin = forms.BooleanField(label="Keep it here when the week is solved again", required=False)

    def __init__(self, session, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        review = session.review
        self.team = {m.pk: m for m in build.team(review)}
        self.rooms = {r.pk: r for r in Room.objects.filter(review=review)}
        self.fields["day"].choices = day_choices(review)
        self.fields["start"].choices = time_choices()
        self.fields["peers"].choices = [(str(pk), m.user.get_full_name()) for pk, m in self.team.items()]
        self.fields["room"].choices = [("", "No room (online)")] + [(str(pk), str(r)) for pk, r in self.rooms.items()]
        if session.is_placed:
            self.initial.update(
                day=session.day.isoformat(),
                start=session.start.strftime("%H:%M"),
                peers=[str(pk) for pk in session.session_peers.values_list("membership_id", flat=True)],
                room=str(session.placed_room_id or ""),
                pin=session.pinned,
            )

    def clean(self):
        data = super().clean()
        if not data.get("peers") and not (self.session.is_fixed and self.session.peers_needed == 0):
            self.add_error("peers", "Choose at least one peer")
        if self.session.mode == Session.Mode.IN_PERSON and not data.get("room"):
            self.add_error("room", "Choose a room for this in-person session")
        return data

    def key(self) -> str:
        """A short digest of the chosen day, start, peers and room: "Move the session" saves only the move that
        was previewed (a changed choice is previewed again first)."""
        d = self.cleaned_data
        text = f"{d['day']}|{d['start']}|{','.join(sorted(d.get('peers', [])))}|{d.get('room') or ''}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def values(self) -> dict:
        d = self.cleaned_data
        return {
            "day": dt.date.fromisoformat(d["day"]),
            "start": dt.time.fromisoformat(d["start"]),
            "peers": [self.team[int(pk)] for pk in d.get("peers", [])],
            "room": self.rooms.get(int(d["room"])) if d.get("room") else None,
            "pin": d.get("pin", False),
        }
