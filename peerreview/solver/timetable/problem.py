"""Input and output data for the delivery-week timetable.

Everything here is a frozen dataclass validated in ``__post_init__``. Invalid input raises
:class:`ProblemError`, which carries a list of plain-English messages, each starting with a path
such as ``sessions[3] (fg-1).minutes``.

Times are ``"HH:MM"`` strings on a 15-minute grid; days are ISO dates (``"2026-03-02"``). Session
lengths that are not a multiple of 15 minutes are rounded up to the grid: the timetable books the
rounded length, and :func:`peerreview.solver.timetable.solve` says so in ``Result.explanation``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, fields

SLOT = 15
SLOTS_PER_DAY = 24 * 60 // SLOT

SESSION_KINDS = frozenset(
    {
        "overview",
        "interview",
        "focus_group",
        "case_discussion",
        "practice_observation",
        "site_visit",
        "keeping_in_touch",
        "team_meeting",
        "drawing_together",
        "feedback",
    }
)
MODES = frozenset({"online", "in_person"})
PARTICIPANT_KINDS = frozenset({"person", "group"})


class ProblemError(ValueError):
    """Raised when a problem is invalid; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


def minutes(hhmm: str) -> int:
    """Minutes after midnight for ``"HH:MM"``."""
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def hhmm(total: int) -> str:
    """``"HH:MM"`` for minutes after midnight."""
    return f"{total // 60:02d}:{total % 60:02d}"


def _time_errors(value: object, path: str) -> list[str]:
    if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
        return [f"{path}: enter a time as HH:MM, for example 09:30 (got {value!r})"]
    try:
        total = minutes(value)
    except ValueError:
        return [f"{path}: enter a time as HH:MM, for example 09:30 (got {value!r})"]
    if not 0 <= total <= 24 * 60 or int(value[3:]) >= 60:
        return [f"{path}: {value} is not a time of day"]
    if total % SLOT:
        return [f"{path}: {value} is not on the 15-minute grid"]
    return []


def _date_errors(value: object, path: str) -> list[str]:
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return [f"{path}: enter a date as YYYY-MM-DD (got {value!r})"]
    return []


def _raise(errors: list[str]) -> None:
    if errors:
        raise ProblemError(errors)


def day_name(date: str) -> str:
    """``"Tuesday"`` for an ISO date."""
    return dt.date.fromisoformat(date).strftime("%A")


@dataclass(frozen=True)
class Interval:
    """A stretch of time on one day, for example when someone is unavailable."""

    day: str
    start: str
    end: str

    def __post_init__(self) -> None:
        errors = _date_errors(self.day, "day") + _time_errors(self.start, "start") + _time_errors(self.end, "end")
        if not errors and minutes(self.end) <= minutes(self.start):
            errors.append(f"end: {self.end} must be after start {self.start}")
        _raise(errors)


@dataclass(frozen=True)
class Day:
    """A working day of the delivery phase with its working hours."""

    date: str
    start: str = "09:00"
    end: str = "17:30"

    def __post_init__(self) -> None:
        errors = _date_errors(self.date, "date") + _time_errors(self.start, "start") + _time_errors(self.end, "end")
        if not errors and minutes(self.end) <= minutes(self.start):
            errors.append(f"end: the working day must end after it starts ({self.start}–{self.end})")
        _raise(errors)


@dataclass(frozen=True)
class Peer:
    """A member of the peer team."""

    id: str
    name: str
    organisation: str = ""
    role: str = ""
    specialisms: frozenset[str] = frozenset()
    unavailable: tuple[Interval, ...] = ()
    max_sessions_per_day: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "specialisms", frozenset(self.specialisms))
        object.__setattr__(self, "unavailable", tuple(self.unavailable))
        errors = [] if self.id else ["id: enter an id"]
        if self.max_sessions_per_day is not None and self.max_sessions_per_day < 0:
            errors.append("max_sessions_per_day: must be 0 or more")
        _raise(errors)


@dataclass(frozen=True)
class Participant:
    """A person or group the peers hear from."""

    id: str
    name: str
    kind: str = "person"
    organisation: str = ""
    unavailable: tuple[Interval, ...] = ()
    is_young_people: bool = False
    is_senior_leader: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "unavailable", tuple(self.unavailable))
        errors = [] if self.id else ["id: enter an id"]
        if self.kind not in PARTICIPANT_KINDS:
            errors.append(f"kind: must be 'person' or 'group' (got {self.kind!r})")
        _raise(errors)


@dataclass(frozen=True)
class Room:
    """A room for in-person sessions; ``location`` is the building or site."""

    id: str
    name: str
    location: str = ""
    unavailable: tuple[Interval, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "unavailable", tuple(self.unavailable))
        _raise([] if self.id else ["id: enter an id"])


@dataclass(frozen=True)
class Fixed:
    """A fixed start for a session (overview, team meetings, KIT, feedback...)."""

    day: str
    start: str

    def __post_init__(self) -> None:
        _raise(_date_errors(self.day, "day") + _time_errors(self.start, "start"))


@dataclass(frozen=True)
class Pinned:
    """A session pinned by the PCM to a start and a set of peers."""

    day: str
    start: str
    peer_ids: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "peer_ids", tuple(self.peer_ids))
        _raise(_date_errors(self.day, "day") + _time_errors(self.start, "start"))


TEAM_KINDS = frozenset({"overview", "team_meeting", "drawing_together", "feedback"})


@dataclass(frozen=True)
class Session:
    """A session to timetable.

    A fixed session involves all peers unless ``required_peer_ids`` names some; its ``peers_needed``
    is then ignored. ``room_ids`` are the candidate rooms; an in-person session needs exactly one, and
    the candidates must share one location.
    """

    id: str
    title: str
    kind: str
    minutes: int
    peers_needed: int = 1
    required_peer_ids: tuple[str, ...] = ()
    required_peer_roles: frozenset[str] = frozenset()
    required_specialisms: frozenset[str] = frozenset()
    participant_ids: tuple[str, ...] = ()
    lines_of_enquiry: frozenset[str] = frozenset()
    mode: str = "online"
    room_ids: tuple[str, ...] = ()
    fixed: Fixed | None = None
    pinned: Pinned | None = None

    def __post_init__(self) -> None:
        for name in ("required_peer_ids", "participant_ids", "room_ids"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        for name in ("required_peer_roles", "required_specialisms", "lines_of_enquiry"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        errors = [] if self.id else ["id: enter an id"]
        if self.kind not in SESSION_KINDS:
            errors.append(f"kind: {self.kind!r} is not a session kind ({', '.join(sorted(SESSION_KINDS))})")
        if not isinstance(self.minutes, int) or self.minutes <= 0:
            errors.append(f"minutes: the length must be a positive number of minutes (got {self.minutes!r})")
        if self.peers_needed < 0:
            errors.append("peers_needed: must be 0 or more")
        if self.mode not in MODES:
            errors.append(f"mode: must be 'online' or 'in_person' (got {self.mode!r})")
        if self.mode == "in_person" and not self.room_ids:
            errors.append("room_ids: an in-person session needs at least one candidate room")
        if self.fixed and self.pinned:
            errors.append("pinned: a session cannot be both fixed and pinned")
        if self.pinned and self.pinned.peer_ids and len(self.pinned.peer_ids) != self.peers_needed:
            errors.append(
                f"pinned.peer_ids: names {len(self.pinned.peer_ids)} peers but the session needs {self.peers_needed}"
            )
        _raise(errors)

    @property
    def slots(self) -> int:
        return math.ceil(self.minutes / SLOT)

    @property
    def all_peers(self) -> bool:
        return self.fixed is not None and not self.required_peer_ids


@dataclass(frozen=True)
class Lunch:
    """A lunch break of ``minutes`` for each peer each day, inside the window.

    A fixed lunch is a window equal to its length, for example 12:30–13:00 with 30 minutes.
    """

    window_start: str = "12:00"
    window_end: str = "14:00"
    minutes: int = 30

    def __post_init__(self) -> None:
        errors = _time_errors(self.window_start, "window_start") + _time_errors(self.window_end, "window_end")
        if self.minutes < 0 or self.minutes % SLOT:
            errors.append("minutes: the lunch length must be a multiple of 15 minutes")
        if not errors and minutes(self.window_end) - minutes(self.window_start) < self.minutes:
            errors.append("window_end: the lunch window is shorter than the lunch break")
        _raise(errors)


@dataclass(frozen=True)
class Weights:
    """Weights of the soft rules; 0 switches a rule off. See ``rules.SOFT_RULES``."""

    pair_mix: int = 2
    pair_rotation: int = 3
    workload_balance: int = 1
    loe_early_and_late: int = 10
    senior_early_and_late: int = 10
    cases_before_interviews: int = 4
    idle_gaps: int = 1
    young_people_after_school: int = 20

    def __post_init__(self) -> None:
        _raise([f"{f.name}: must be a whole number, 0 or more" for f in fields(self) if getattr(self, f.name) < 0])


@dataclass(frozen=True)
class Assignment:
    """Where and when one session happens, and with which peers."""

    session_id: str
    day: str
    start: str
    end: str
    peer_ids: tuple[str, ...]
    room_id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "peer_ids", tuple(self.peer_ids))


@dataclass(frozen=True)
class Timetable:
    """A timetable: one assignment per session."""

    assignments: tuple[Assignment, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "assignments", tuple(self.assignments))

    def by_session(self) -> dict[str, Assignment]:
        return {a.session_id: a for a in self.assignments}


def _unique(items: tuple, path: str) -> list[str]:
    seen: set[str] = set()
    errors = []
    for i, item in enumerate(items):
        if item.id in seen:
            errors.append(f"{path}[{i}].id: the id {item.id!r} is used twice")
        seen.add(item.id)
    return errors


@dataclass(frozen=True)
class Problem:
    """A review's delivery-week timetabling problem.

    ``previous`` is an earlier timetable: ``solve`` uses it as a hint, ``repair`` keeps to it.
    ``pair_repeat_limit`` is how many sessions the same two peers may share before the pair
    rotation rule charges for each extra one. ``idle_allowance_minutes`` is the waiting time a peer
    may have in a day (beyond lunch) before the idle-gap rule charges for it: a short gap is time to
    write up notes. ``balance_tolerance_minutes`` is how much more session time the busiest peer may
    have than the quietest before the workload-balance rule charges for the difference.
    """

    days: tuple[Day, ...]
    peers: tuple[Peer, ...]
    participants: tuple[Participant, ...] = ()
    rooms: tuple[Room, ...] = ()
    sessions: tuple[Session, ...] = ()
    lunch: Lunch = field(default_factory=Lunch)
    buffer_minutes: int = 15
    weights: Weights = field(default_factory=Weights)
    pair_repeat_limit: int = 2
    idle_allowance_minutes: int = 30
    balance_tolerance_minutes: int = 60
    previous: Timetable | None = None

    def __post_init__(self) -> None:
        for name in ("days", "peers", "participants", "rooms", "sessions"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        _raise(problem_errors(self))


def problem_errors(p: Problem) -> list[str]:
    """Cross-reference checks; every message starts with a path."""
    from .validate import cross_errors

    errors: list[str] = []
    if not p.days:
        errors.append("days: add at least one day")
    if not p.peers:
        errors.append("peers: add at least one peer")
    if len({d.date for d in p.days}) != len(p.days):
        errors.append("days: a date appears twice")
    for name in ("buffer_minutes", "idle_allowance_minutes", "balance_tolerance_minutes"):
        if getattr(p, name) < 0:
            errors.append(f"{name}: must be 0 or more")
    for name in ("peers", "participants", "rooms", "sessions"):
        errors += _unique(getattr(p, name), name)
    if errors:
        return errors
    return cross_errors(p)
