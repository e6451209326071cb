"""The JSON problem format ``peerreview.teams/1`` (see docs/teams-problem-format.md)."""

from __future__ import annotations

import dataclasses
from typing import Any

from .problem import DEFAULT_SLOTS, Options, Peer, Problem, ProblemError, Review, Slot, Weights
from .solve import Result
from .triads import Triad, TriadProblem, TriadResult

FORMAT = "peerreview.teams/1"
TRIADS_FORMAT = "peerreview.triads/1"

_SETS = {"specialisms", "unavailable_weeks", "conflict_orgs", "conflict_people", "neighbour_orgs",
         "lines_of_enquiry", "weeks", "pinned", "excluded", "roles"}  # fmt: skip
_STRINGS = {"id", "name", "organisation", "role", "region", "host_org", "host_region", "code", "label"}
_FIELDS = {
    Peer: ({"id", "name", "organisation", "role"}, None),
    Review: ({"id", "name", "host_org"}, None),
    Slot: ({"code", "label", "roles"}, None),
    Weights: (set(), None),
    Options: (set(), None),
}


def _build(cls, data: Any, path: str, errors: list[str], **extra):
    if not isinstance(data, dict):
        errors.append(f"{path}: expected an object, got {type(data).__name__}")
        return None
    names = {f.name for f in dataclasses.fields(cls)}
    required, _ = _FIELDS[cls]
    ok = True
    for key in sorted(set(data) - names):
        errors.append(f"{path}.{key}: unknown field; allowed fields are {', '.join(sorted(names))}")
        ok = False
    for key in sorted(required - set(data)):
        errors.append(f"{path}.{key}: missing; this field is required")
        ok = False
    kwargs = {}
    for key, value in data.items():
        if key in _SETS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                errors.append(f"{path}.{key}: expected a list of strings")
                ok = False
                continue
            value = frozenset(value)
        elif key == "former_employers":
            if not isinstance(value, list) or not all(isinstance(v, list | tuple) and len(v) == 2 for v in value):
                errors.append(f"{path}.{key}: expected a list of [organisation, until_year] pairs")
                ok = False
                continue
            value = tuple(tuple(v) for v in value)
        elif key in _STRINGS and not isinstance(value, str):
            errors.append(f"{path}.{key}: expected a string, got {type(value).__name__}")
            ok = False
            continue
        kwargs[key] = value
    kwargs.update(extra)
    if not ok:
        return None
    try:
        return cls(**kwargs)
    except ProblemError as exc:
        errors.extend(f"{path}.{e}" for e in exc.errors)
    except TypeError as exc:
        errors.append(f"{path}: {exc}")
    return None


def problem_from_json(data: dict) -> Problem:
    """Build a :class:`Problem` from the ``peerreview.teams/1`` JSON structure.

    Raises
    ------
    ProblemError
        With every problem found, each as ``"path: message"`` (e.g.
        ``"reviews[2].slots[0].min (3) is more than max (2); lower min or raise max"``).
    """
    errors: list[str] = []
    if not isinstance(data, dict):
        raise ProblemError([f'(top): expected a JSON object with "format": "{FORMAT}"'])
    if data.get("format") != FORMAT:
        errors.append(f"format: expected {FORMAT!r}, got {data.get('format')!r}")
    for key in sorted(set(data) - {"format", "peers", "reviews", "weights", "options"}):
        errors.append(f"{key}: unknown field; allowed fields are format, peers, reviews, weights, options")
    peers = []
    raw_peers = data.get("peers", [])
    if not isinstance(raw_peers, list):
        errors.append("peers: expected a list of peers")
        raw_peers = []
    for i, item in enumerate(raw_peers):
        peers.append(_build(Peer, item, f"peers[{i}]", errors))
    reviews = []
    raw_reviews = data.get("reviews", [])
    if not isinstance(raw_reviews, list):
        errors.append("reviews: expected a list of reviews")
        raw_reviews = []
    for i, item in enumerate(raw_reviews):
        slots = DEFAULT_SLOTS
        if isinstance(item, dict) and "slots" in item:
            raw_slots = item["slots"]
            if isinstance(raw_slots, list):
                slots = tuple(_build(Slot, s, f"reviews[{i}].slots[{j}]", errors) for j, s in enumerate(raw_slots))
            else:
                errors.append(f"reviews[{i}].slots: expected a list of slots")
            item = {k: v for k, v in item.items() if k != "slots"}
        if any(s is None for s in slots):
            _build(Review, item, f"reviews[{i}]", errors)  # still report the review's own errors
            reviews.append(None)
        else:
            reviews.append(_build(Review, item, f"reviews[{i}]", errors, slots=slots))
    weights = _build(Weights, data.get("weights", {}), "weights", errors)
    options = _build(Options, data.get("options", {}), "options", errors)
    if errors or None in peers or None in reviews:
        raise ProblemError(errors)
    return Problem(tuple(peers), tuple(reviews), weights, options)


def _plain(value):
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def problem_to_json(problem: Problem) -> dict:
    """The ``peerreview.teams/1`` JSON structure for ``problem`` (inverse of :func:`problem_from_json`)."""
    return {
        "format": FORMAT,
        "weights": _plain(problem.weights),
        "options": _plain(problem.options),
        "peers": [_plain(p) for p in problem.peers],
        "reviews": [_plain(r) for r in problem.reviews],
    }


def result_to_json(result: Result | TriadResult) -> dict:
    """A JSON-ready dict of a :class:`Result` or :class:`TriadResult`."""
    return _plain(result)


def triads_from_json(data: dict) -> TriadProblem:
    """Build a :class:`TriadProblem` from ``{"format": "peerreview.triads/1", "councils": [...], ...}``.

    ``last_year`` entries are ``{"host", "lead", "observer"}`` objects or ``[host, lead, observer]`` lists;
    ``conflicts`` are ``[council, council]`` pairs.
    """
    errors = []
    if not isinstance(data, dict):
        raise ProblemError([f'(top): expected a JSON object with "format": "{TRIADS_FORMAT}"'])
    if data.get("format") != TRIADS_FORMAT:
        errors.append(f"format: expected {TRIADS_FORMAT!r}, got {data.get('format')!r}")
    councils = data.get("councils")
    if not isinstance(councils, list) or not all(isinstance(c, str) for c in councils):
        errors.append("councils: expected a list of council codes")
        councils = []
    last = []
    for i, t in enumerate(data.get("last_year", [])):
        if isinstance(t, dict) and set(t) == {"host", "lead", "observer"}:
            last.append(Triad(t["host"], t["lead"], t["observer"]))
        elif isinstance(t, list) and len(t) == 3:
            last.append(Triad(*t))
        else:
            errors.append(f"last_year[{i}]: expected {{host, lead, observer}} or [host, lead, observer]")
    conflicts = []
    for i, c in enumerate(data.get("conflicts", [])):
        if isinstance(c, list) and len(c) == 2:
            conflicts.append(tuple(c))
        else:
            errors.append(f"conflicts[{i}]: expected a pair [council, council]")
    if errors:
        raise ProblemError(errors)
    return TriadProblem(tuple(councils), tuple(last), tuple(conflicts))
