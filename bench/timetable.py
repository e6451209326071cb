"""Benchmark the timetable solver: greedy against CP-SAT, plus a repair run.

Usage::

    python bench/timetable.py [--sizes small medium large xl oneday] [--seeds 3] [--time-limit 30] [--strict]

Instances are written in the ``peerreview.timetable/1`` JSON format to ``bench/out/``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from peerreview.solver.timetable import (
    Day,
    Fixed,
    Interval,
    Lunch,
    Participant,
    Peer,
    Pinned,
    Problem,
    Room,
    Session,
    greedy,
    problem_to_json,
    repair,
    solve,
)

SIZES = {
    "small": (3, 5, 30, 30),
    "medium": (5, 7, 60, 60),
    "large": (5, 8, 90, 100),
    "xl": (5, 10, 150, 150),
}
LOES = ("Front door and early help", "Quality of practice", "Care leavers", "Leadership and culture", "SEND")
SPECS = ("SEND", "early help", "safeguarding", "care leavers", "edge of care")
HOST = "Host Council"
MONDAY = dt.date(2026, 3, 2)


def _dates(n: int) -> list[str]:
    return [(MONDAY + dt.timedelta(days=i)).isoformat() for i in range(n)]


def _peers(rng: random.Random, n: int) -> list[Peer]:
    roles = (
        ["Lead peer (DCS)", "Peer challenge manager"] + ["Operational manager"] * max(0, n - 4) + ["Case auditor"] * 2
    )
    peers = []
    for i, role in enumerate(roles[:n]):
        org = "Thames Valley Police" if i == n - 1 else f"Council {chr(65 + i % 6)}"
        peers.append(
            Peer(
                f"p{i + 1}",
                f"Peer {i + 1}",
                org,
                role,
                frozenset(rng.sample(SPECS, 2)),
                max_sessions_per_day=5 if i % 3 == 0 else None,
            )
        )
    return peers


def _participants(rng: random.Random, n: int, dates: list[str]) -> list[Participant]:
    out = []
    for i in range(n):
        senior = i < max(3, n // 10)
        young = i % 12 == 5
        org = "Thames Valley Police" if i % 15 == 7 else HOST
        unavailable = ()
        if i >= 3 and i % len(dates) and rng.random() < 0.3:
            day = rng.choice(dates)
            unavailable = (Interval(day, *rng.choice((("09:00", "13:00"), ("13:00", "17:30")))),)
        name = "Young people’s group" if young else ("Director " if senior else "Practitioner ") + str(i + 1)
        out.append(Participant(f"q{i + 1}", name, "group" if young else "person", org, unavailable, young, senior))
    return out


def _fixed_sessions(dates: list[str], peers: list[Peer]) -> list[Session]:
    lead, pcm = peers[0].id, peers[1].id
    out = [Session("overview", "Council overview presentation", "overview", 60, fixed=Fixed(dates[0], "09:00"))]
    for i, d in enumerate(dates):
        out.append(Session(f"team{i}", f"Peer team meeting {i + 1}", "team_meeting", 60, fixed=Fixed(d, "16:30")))
        out.append(
            Session(
                f"kit{i}",
                f"Keeping in touch {i + 1}",
                "keeping_in_touch",
                30,
                required_peer_ids=(lead, pcm),
                participant_ids=("q1",),
                fixed=Fixed(d, "16:00"),
            )
        )
    return out


def _session(
    rng: random.Random, i: int, participants: list[Participant], rooms: list[Room], specs: list[str]
) -> Session:
    kind = rng.choices(["interview", "focus_group", "case_discussion", "practice_observation"], [4, 3, 3, 1])[0]
    minutes, peers = {"interview": (45, 1), "focus_group": (90, 2), "case_discussion": (60, 1)}.get(kind, (90, 1))
    loes = frozenset(rng.sample(LOES, rng.choice((1, 1, 2))))
    who = (participants[i % len(participants)].id,)
    if kind == "interview" and rng.random() < 0.5:
        who = (participants[rng.randrange(max(3, len(participants) // 10))].id,)
    extra = {}
    if kind == "case_discussion":
        extra["required_peer_roles"] = frozenset({"Case auditor"}) if rng.random() < 0.3 else frozenset()
    if rng.random() < 0.15 and not extra.get("required_peer_roles"):
        extra["required_specialisms"] = frozenset({rng.choice(specs)})
    if kind == "practice_observation":
        extra |= {"mode": "in_person", "room_ids": (rng.choice(rooms).id,)}
    return Session(
        f"s{i + 1}",
        f"{kind.replace('_', ' ').capitalize()} {i + 1}",
        kind,
        minutes,
        peers,
        (),
        **extra,
        participant_ids=who,
        lines_of_enquiry=loes,
    )


def generate(size: str, seed: int) -> Problem:
    """A random but realistic problem of the given size."""
    if size == "oneday":
        return oneday(seed)
    n_days, n_peers, n_sessions, n_participants = SIZES[size]
    rng = random.Random(seed)
    dates = _dates(n_days)
    peers = _peers(rng, n_peers)
    participants = _participants(rng, n_participants, dates)
    rooms = [Room("r1", "MASH office", "Civic Centre"), Room("r2", "Family hub", "North Family Hub")]
    sessions = _fixed_sessions(dates, peers)
    n_flexible = n_sessions - len(sessions)
    specs = sorted({x for p in peers for x in p.specialisms})
    flexible = [_session(rng, i, participants, rooms, specs) for i in range(n_flexible)]
    # Pin one session, as a PCM would.
    s = dataclasses.replace(flexible[0], required_peer_roles=frozenset(), required_specialisms=frozenset())
    flexible[0] = dataclasses.replace(
        s, pinned=Pinned(dates[min(1, n_days - 1)], "10:00", tuple(p.id for p in peers[2 : 2 + s.peers_needed]))
    )
    return Problem(
        tuple(Day(d) for d in dates), tuple(peers), tuple(participants), tuple(rooms), tuple(sessions + flexible)
    )


def oneday(seed: int) -> Problem:
    """Seven peers, 12 paired focus groups and 18 single case reviews in one day (Oxfordshire)."""
    rng = random.Random(seed)
    date = _dates(1)
    peers = [
        Peer(f"p{i + 1}", f"Peer {i + 1}", f"Council {chr(65 + i)}", ("Lead", "Manager", "Auditor")[i % 3])
        for i in range(7)
    ]
    participants, sessions = (
        [],
        [Session("team", "Peer team meeting", "team_meeting", 60, fixed=Fixed(date[0], "16:30"))],
    )
    for i in range(12):
        participants.append(Participant(f"g{i + 1}", f"Staff group {i + 1}", "group", HOST))
        sessions.append(
            Session(
                f"fg{i + 1}",
                f"Focus group {i + 1}",
                "focus_group",
                60,
                2,
                participant_ids=(f"g{i + 1}",),
                lines_of_enquiry=frozenset({rng.choice(LOES[:3])}),
            )
        )
    for i in range(18):
        participants.append(Participant(f"c{i + 1}", f"Case holder {i + 1}", "person", HOST))
        sessions.append(
            Session(
                f"cr{i + 1}",
                f"Case review {i + 1}",
                "case_discussion",
                60,
                1,
                participant_ids=(f"c{i + 1}",),
                lines_of_enquiry=frozenset({rng.choice(LOES[:3])}),
            )
        )
    return Problem(
        (Day(date[0]),), tuple(peers), tuple(participants), (), tuple(sessions), lunch=Lunch("12:30", "13:00", 30)
    )


def _drop_out(problem: Problem, tt) -> tuple[Problem, str]:
    """One participant becomes unavailable for the slot of one of their (flexible) sessions."""
    by = tt.by_session()
    for s in problem.sessions:
        if s.kind in ("interview", "case_discussion") and s.participant_ids and not s.pinned and s.id in by:
            a = by[s.id]
            pid = s.participant_ids[0]
            person = next(q for q in problem.participants if q.id == pid)
            changed = dataclasses.replace(person, unavailable=(*person.unavailable, Interval(a.day, a.start, a.end)))
            others = tuple(changed if q.id == pid else q for q in problem.participants)
            return dataclasses.replace(problem, participants=others, previous=tt), s.id
    raise ValueError("no session to disturb")


def run(size: str, seed: int, time_limit: float, workers: int, strict: bool = False) -> dict:
    problem = generate(size, seed)
    if strict:
        # The rules as first written: every idle minute and every minute of imbalance counts.
        problem = dataclasses.replace(problem, idle_allowance_minutes=0, balance_tolerance_minutes=0)
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    (out / f"timetable-{size}-{seed}.json").write_text(json.dumps(problem_to_json(problem), indent=1))
    base = greedy(problem)
    res = solve(problem, time_limit=time_limit, workers=workers, seed=seed)
    row = {
        "size": size,
        "seed": seed,
        "sessions": len(problem.sessions),
        "first": res.first_feasible_seconds,
        "runtime": res.runtime_seconds,
        "score": res.objective,
        "bound": res.bound,
        "gap": res.gap,
        "greedy": base.objective,
        "greedy_ok": base.status == "feasible",
        "status": res.status,
        "hard_violations": len(res.violations),
    }
    if res.timetable.assignments and res.status in ("optimal", "feasible"):
        changed, _ = _drop_out(problem, res.timetable)
        t0 = time.perf_counter()
        rep = repair(changed, res.timetable, time_limit=2, workers=workers, seed=seed)
        row |= {"repair_s": time.perf_counter() - t0, "moved": len(rep.moved), "repair_status": rep.status}
    return row


def _median(rows, key):
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(values) if values else None


def _fmt(v, spec=".2f"):
    return "–" if v is None else format(v, spec)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["small", "medium", "large", "xl", "oneday"])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--strict",
        action="store_true",
        help="no idle allowance and no workload tolerance (every idle or unbalanced 15 minutes counts)",
    )
    args = parser.parse_args(argv)
    header = (
        "| size | sessions | first feasible s | solve s | score | bound | gap | greedy | status | repair s | moved |"
    )
    print(header)
    print("|---" * 11 + "|")
    for size in args.sizes:
        rows = [run(size, seed, args.time_limit, args.workers, args.strict) for seed in range(args.seeds)]
        for r in rows:
            print(f"<!-- {json.dumps(r)} -->", file=sys.stderr)
        statuses = "/".join(r["status"] for r in rows)
        greedy_txt = "/".join(str(r["greedy"]) if r["greedy_ok"] else "incomplete" for r in rows)
        cells = [
            size,
            rows[0]["sessions"],
            _fmt(_median(rows, "first")),
            _fmt(_median(rows, "runtime"), ".1f"),
            _fmt(_median(rows, "score"), "g"),
            _fmt(_median(rows, "bound"), ".0f"),
            _fmt(_median(rows, "gap"), ".1%"),
            greedy_txt,
            statuses,
            _fmt(_median(rows, "repair_s")),
            _fmt(_median(rows, "moved"), "g"),
        ]
        print("| " + " | ".join(str(c) for c in cells) + " |", flush=True)


if __name__ == "__main__":
    main()
