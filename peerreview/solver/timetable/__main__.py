"""Command line: ``python -m peerreview.solver.timetable problem.json [options]``."""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from .io import problem_from_json, result_to_json
from .problem import ProblemError, day_name
from .rules import RULES
from .solve import capacity_report, greedy, solve


def _print_timetable(problem, result) -> None:
    titles = {s.id: s.title for s in problem.sessions}
    names = {p.id: p.name for p in problem.peers}
    rooms = {r.id: r.name for r in problem.rooms}
    by_day = defaultdict(list)
    for a in result.timetable.assignments:
        by_day[a.day].append(a)
    for day in sorted(by_day):
        print(f"\n{day_name(day)} {day}")
        for a in sorted(by_day[day], key=lambda a: (a.start, a.session_id)):
            room = f" [{rooms.get(a.room_id, a.room_id)}]" if a.room_id else ""
            peers = ", ".join(names.get(p, p) for p in a.peer_ids)
            print(f"  {a.start}–{a.end}  {titles.get(a.session_id, a.session_id)}{room}  ({peers})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m peerreview.solver.timetable", description="Solve a review timetable."
    )
    parser.add_argument("problem", type=Path, help="problem file in the peerreview.timetable/1 JSON format")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--greedy", action="store_true", help="only run the greedy baseline")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    try:
        problem = problem_from_json(args.problem.read_text())
    except ProblemError as e:
        print("The problem is not valid:", file=sys.stderr)
        for message in e.errors:
            print(f"  - {message}", file=sys.stderr)
        return 2
    if args.greedy:
        result = greedy(problem)
    else:
        result = solve(problem, time_limit=args.time_limit, workers=args.workers, seed=args.seed)
    if args.json:
        print(json.dumps(result_to_json(result), indent=2, ensure_ascii=False))
        return 0 if result.status in ("optimal", "feasible") else 1
    print("Capacity:")
    for line in capacity_report(problem):
        print(f"  {line}")
    _print_timetable(problem, result)
    print("\nScore by rule:")
    for code, value in result.score_by_rule.items():
        print(f"  {RULES[code].label}: {value}")
    for v in result.violations:
        print(f"  BROKEN – {v.label}: {v.message}")
    for line in result.explanation:
        print(line)
    gap = "–" if result.gap is None else f"{result.gap:.1%}"
    bound = "–" if result.bound is None else f"{result.bound:g}"
    print(
        f"\nStatus: {result.status}  objective: {result.objective}  bound: {bound}  gap: {gap}  "
        f"time: {result.runtime_seconds:.1f} s"
    )
    return 0 if result.status in ("optimal", "feasible") else 1


if __name__ == "__main__":
    sys.exit(main())
