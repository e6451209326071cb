"""JSON in and out, format ``peerreview.timetable/1`` (see docs/timetable-problem-format.md)."""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

from .problem import (
    Assignment,
    Day,
    Fixed,
    Interval,
    Lunch,
    Participant,
    Peer,
    Pinned,
    Problem,
    ProblemError,
    Room,
    Session,
    Timetable,
    Weights,
)

FORMAT = "peerreview.timetable/1"
# Whole-number settings at the top level of a problem (see ``Problem``).
SETTINGS = ("buffer_minutes", "pair_repeat_limit", "idle_allowance_minutes", "balance_tolerance_minutes")
_SETS = {"specialisms", "required_peer_roles", "required_specialisms", "lines_of_enquiry"}
_TUPLES = {"required_peer_ids", "participant_ids", "room_ids", "peer_ids"}


class _Collector:
    def __init__(self):
        self.errors: list[str] = []

    def build(self, cls, data: Any, path: str, nested: dict | None = None):
        """Build ``cls`` from a dict, recording errors with ``path`` instead of raising."""
        if not isinstance(data, dict):
            self.errors.append(f"{path}: expected an object")
            return None
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - names)
        for key in unknown:
            self.errors.append(f"{path}.{key}: unknown field")
        kwargs = {}
        for key, value in data.items():
            if key not in names:
                continue
            if nested and key in nested:
                value = nested[key](value, f"{path}.{key}")
            elif key in _SETS:
                value = frozenset(value)
            elif key in _TUPLES:
                value = tuple(value)
            kwargs[key] = value
        label = f"{path} ({data['id']})" if isinstance(data.get("id"), str) and "[" in path else path
        try:
            return cls(**kwargs)
        except ProblemError as e:
            self.errors += [f"{label}.{msg}" for msg in e.errors]
        except TypeError as e:
            self.errors.append(f"{label}: {e}")
        return None

    def many(self, cls, items: Any, path: str, nested: dict | None = None) -> tuple:
        if items is None:
            return ()
        if not isinstance(items, list):
            self.errors.append(f"{path}: expected a list")
            return ()
        built = [self.build(cls, item, f"{path}[{i}]", nested) for i, item in enumerate(items)]
        return tuple(b for b in built if b is not None)

    def intervals(self, items, path):
        return self.many(Interval, items, path)


def _optional(c: _Collector, cls):
    return lambda value, path: None if value is None else c.build(cls, value, path)


def timetable_from_json(data: Any) -> Timetable:
    """A timetable from ``{"assignments": [...]}`` (or a list of assignments)."""
    c = _Collector()
    items = data.get("assignments", []) if isinstance(data, dict) else data
    tt = Timetable(c.many(Assignment, items, "assignments"))
    if c.errors:
        raise ProblemError(c.errors)
    return tt


def problem_from_json(data: str | bytes | dict) -> Problem:
    """Read and validate a problem, collecting every error with its path.

    Raises
    ------
    ProblemError
        With one message per problem found, for example
        ``"sessions[2] (fg-1).minutes: the length must be a positive number of minutes (got 0)"``.
    """
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as e:
            raise ProblemError([f"The file is not valid JSON: {e}"]) from e
    if not isinstance(data, dict):
        raise ProblemError(["The problem must be a JSON object"])
    c = _Collector()
    if data.get("format") != FORMAT:
        c.errors.append(f"format: expected {FORMAT!r} (got {data.get('format')!r})")
    with_unavailable = {"unavailable": c.intervals}
    days = c.many(Day, data.get("days"), "days")
    peers = c.many(Peer, data.get("peers"), "peers", with_unavailable)
    participants = c.many(Participant, data.get("participants"), "participants", with_unavailable)
    rooms = c.many(Room, data.get("rooms"), "rooms", with_unavailable)
    sessions = c.many(
        Session, data.get("sessions"), "sessions", {"fixed": _optional(c, Fixed), "pinned": _optional(c, Pinned)}
    )
    extra = {}
    if "lunch" in data:
        extra["lunch"] = c.build(Lunch, data["lunch"], "lunch") or Lunch()
    if "weights" in data:
        extra["weights"] = c.build(Weights, data["weights"], "weights") or Weights()
    for key in SETTINGS:
        if key in data:
            if isinstance(data[key], int) and not isinstance(data[key], bool) and data[key] >= 0:
                extra[key] = data[key]
            else:
                c.errors.append(f"{key}: must be a whole number, 0 or more")
    if data.get("previous") is not None:
        try:
            extra["previous"] = timetable_from_json(data["previous"])
        except ProblemError as e:
            c.errors += [f"previous.{m}" for m in e.errors]
    known = {"format", "days", "peers", "participants", "rooms", "sessions", "lunch", "weights", "previous"}
    c.errors += [f"{k}: unknown field" for k in sorted(set(data) - known - set(SETTINGS))]
    if c.errors:
        raise ProblemError(c.errors)
    return Problem(days, peers, participants, rooms, sessions, **extra)


def _plain(value: Any) -> Any:
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return value


def problem_to_json(problem: Problem) -> dict:
    """A JSON-ready dict; ``problem_from_json(problem_to_json(p)) == p``."""
    out = {"format": FORMAT, **_plain(problem)}
    if problem.previous is None:
        out.pop("previous")
    return out


def timetable_to_json(timetable: Timetable) -> dict:
    return _plain(timetable)


def result_to_json(result) -> dict:
    """A JSON-ready dict of a :class:`~.solve.Result`."""
    out = _plain(result)
    out["score_by_rule"] = dict(result.score_by_rule)
    return out
