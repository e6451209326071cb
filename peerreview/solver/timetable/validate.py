"""Early refusals: problems that can be seen to be impossible without solving."""

from __future__ import annotations

from .grid import Grid
from .problem import Problem, day_name


def _intervals_errors(g: Grid, items, path: str) -> list[str]:
    errors = []
    for i, item in enumerate(items):
        for j, iv in enumerate(item.unavailable):
            if iv.day not in g.day_index:
                errors.append(f"{path}[{i}] ({item.id}).unavailable[{j}].day: {iv.day} is not a day of the review")
    return errors


def _free_slots(g: Grid, blocked: list[tuple[int, int]], need: int) -> bool:
    """Is there a run of ``need`` free slots in some working day?"""
    for d in range(len(g.days)):
        lo, hi = g.day_window(d)
        run = 0
        for t in range(lo, hi):
            run = 0 if any(a <= t < b for a, b in blocked) else run + 1
            if run >= need:
                return True
    return False


def _session_errors(g: Grid, i: int, s) -> list[str]:
    path = f"sessions[{i}] ({s.id})"
    errors = []
    for name, table in (("participant_ids", g.participant), ("room_ids", g.room), ("required_peer_ids", g.peer)):
        for j, ref in enumerate(getattr(s, name)):
            if ref not in table:
                errors.append(f"{path}.{name}[{j}]: there is no {name[:-4].replace('_', ' ')} with id {ref!r}")
    if s.pinned:
        for j, ref in enumerate(s.pinned.peer_ids):
            if ref not in g.peer:
                errors.append(f"{path}.pinned.peer_ids[{j}]: there is no peer with id {ref!r}")
    if errors:
        return errors
    return _time_errors(g, path, s) + _peer_errors(g, path, s) + _place_errors(g, path, s)


def _time_errors(g: Grid, path: str, s) -> list[str]:
    errors = []
    longest = max(hi - lo for lo, hi in (g.day_window(d) for d in range(len(g.days))))
    if s.slots > longest:
        errors.append(f"{path}.minutes: “{s.title}” lasts {s.minutes} minutes, longer than any working day")
    when = s.fixed or s.pinned
    if when:
        field = "fixed" if s.fixed else "pinned"
        if when.day not in g.day_index:
            errors.append(f"{path}.{field}.day: {when.day} is not a day of the review")
        else:
            start = g.slot(when.day, when.start)
            lo, hi = g.day_window(g.day_index[when.day])
            if start < lo or start + s.slots > hi:
                errors.append(
                    f"{path}.{field}: “{s.title}” at {day_name(when.day)} {when.start} falls outside the working day"
                )
    return errors


def _peer_errors(g: Grid, path: str, s) -> list[str]:
    errors = []
    eligible = g.eligible(s)
    team = [g.peer[p] for p in eligible]
    for spec in sorted(s.required_specialisms):
        if not any(spec in p.specialisms for p in team):
            errors.append(
                f"{path}.required_specialisms: “{s.title}” needs {spec}, which no eligible peer on the team has"
            )
    for role in sorted(s.required_peer_roles):
        if not any(role == p.role for p in team):
            errors.append(f"{path}.required_peer_roles: “{s.title}” needs a {role}, and no eligible peer has that role")
    if g.needed(s) == 1 and not s.pinned and not errors:
        roles, specs = s.required_peer_roles, s.required_specialisms
        if len(roles) > 1 or not any(roles <= {p.role} and specs <= p.specialisms for p in team):
            wants = ", ".join(sorted(roles) + sorted(specs))
            errors.append(f"{path}: “{s.title}” needs one peer with all of {wants}, and no eligible peer has them all")
    if g.needed(s) > len(eligible):
        errors.append(
            f"{path}.peers_needed: “{s.title}” needs {g.needed(s)} peers but only {len(eligible)} may hear from "
            f"{', '.join(sorted(g.orgs(s))) or 'its participants'}"
        )
    if s.pinned and len(s.pinned.peer_ids) == g.needed(s):
        pinned = [g.peer[p] for p in s.pinned.peer_ids]
        for want in sorted(s.required_peer_roles - {p.role for p in pinned}):
            errors.append(f"{path}.pinned.peer_ids: “{s.title}” needs a {want}, and none of its pinned peers is one")
        for want in sorted(s.required_specialisms - {x for p in pinned for x in p.specialisms}):
            errors.append(f"{path}.pinned.peer_ids: “{s.title}” needs {want}, which none of its pinned peers has")
    for pid in sorted(g.forced_peers(s) - set(eligible)):
        errors.append(
            f"{path}: peer {g.peer[pid].name} cannot sit in “{s.title}”: they would hear from their own organisation"
        )
    return errors


def _place_errors(g: Grid, path: str, s) -> list[str]:
    errors = []
    if s.mode == "in_person" and len({g.room[r].location for r in s.room_ids}) > 1:
        errors.append(f"{path}.room_ids: the candidate rooms of “{s.title}” must all be in one location")
    for pid in s.participant_ids:
        person = g.participant[pid]
        if not _free_slots(g, g.unavailable(person.unavailable), s.slots):
            errors.append(
                f"{path}.participant_ids: {person.name} is unavailable all week, so “{s.title}” cannot take place"
            )
    return errors


def _fixed_overlaps(g: Grid) -> list[str]:
    errors = []
    fixed = [(s, g.fixed_start(s)) for s in g.p.sessions if (s.fixed or s.pinned) and g.fixed_start(s) is not None]
    for i, (a, sa) in enumerate(fixed):
        for b, sb in fixed[i + 1 :]:
            if sa < sb + b.slots and sb < sa + a.slots:
                shared = (g.forced_peers(a) & g.forced_peers(b)) or (set(a.participant_ids) & set(b.participant_ids))
                if shared:
                    names = ", ".join(sorted(g.peer[x].name if x in g.peer else g.participant[x].name for x in shared))
                    errors.append(
                        f"sessions ({a.id}, {b.id}): the fixed or pinned events “{a.title}” and “{b.title}” overlap "
                        f"on {g.describe(min(sa, sb), max(sa + a.slots, sb + b.slots))} and share {names}"
                    )
    return errors


def cross_errors(p: Problem) -> list[str]:
    g = Grid(p)
    errors = _intervals_errors(g, p.peers, "peers") + _intervals_errors(g, p.participants, "participants")
    errors += _intervals_errors(g, p.rooms, "rooms")
    for i, s in enumerate(p.sessions):
        errors += _session_errors(g, i, s)
    if not errors:
        errors += _fixed_overlaps(g)
    return errors
