"""Command line: ``python -m peerreview.solver.teams problem.json`` or ``... triads region.json``."""

from __future__ import annotations

import argparse
import json
import sys

from .io import problem_from_json, result_to_json, triads_from_json
from .problem import ProblemError
from .solve import greedy, solve
from .triads import solve_triads


def _print_result(problem, result) -> None:
    slots = {(r.id, s.code): s.label for r in problem.reviews for s in r.slots}
    for review in problem.reviews:
        print(f"\n{review.name} ({review.id})")
        for a in result.teams.get(review.id, ()):
            peer = problem.peer(a.peer_id)
            print(f"  {slots[(review.id, a.slot_code)]}: {peer.name} ({peer.role_label}, {peer.organisation})")
            for reason in a.reasons:
                print(f"      - {reason}")
        for line in result.explanations.get(review.id, ()):
            print(f"  not chosen: {line}")
    if result.unfilled:
        print("\nUnfilled places:")
        for u in result.unfilled:
            print(f"  - {u.message}")
    for m in result.messages:
        print(f"\n! {m}")
    gap = "n/a" if result.gap is None else f"{100 * result.gap:.2f}%"
    print(
        f"\nstatus {result.status}; objective {result.objective}; bound {result.bound}; gap {gap}; "
        f"{result.runtime_seconds:.2f}s on {result.workers} worker(s)"
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    triads = bool(argv) and argv[0] == "triads"
    parser = argparse.ArgumentParser(
        prog="python -m peerreview.solver.teams" + (" triads" if triads else ""),
        description="Form DCS triads for a region." if triads else "Form peer review teams.",
    )
    parser.add_argument("file", help="JSON file (peerreview.triads/1)" if triads else "JSON file (peerreview.teams/1)")
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds (default 30)")
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT workers (default 2)")
    parser.add_argument("--seed", type=int, default=0)
    if not triads:
        parser.add_argument("--greedy", action="store_true", help="use the greedy baseline only")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv[1:] if triads else argv)
    try:
        with open(args.file, encoding="utf-8") as f:
            data = json.load(f)
        problem = triads_from_json(data) if triads else problem_from_json(data)
    except (OSError, json.JSONDecodeError) as exc:
        print(f"Cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    except ProblemError as exc:
        print(f"{args.file} has {len(exc.errors)} problem(s):", file=sys.stderr)
        for e in exc.errors:
            print(f"  {e}", file=sys.stderr)
        return 2
    if triads:
        result = solve_triads(problem, time_limit=args.time_limit, workers=args.workers, seed=args.seed)
        if args.json:
            print(json.dumps(result_to_json(result), indent=2))
        else:
            for t in result.triads:
                print(f"host {t.host}: lead {t.lead}, observer {t.observer}")
            print(f"status {result.status}; pairs meeting twice: {result.repeats}")
            if result.message:
                print(result.message)
        return 0 if result.status in ("optimal", "feasible") else 1
    if args.greedy:
        result = greedy(problem)
    else:
        result = solve(problem, time_limit=args.time_limit, workers=args.workers, seed=args.seed)
    if args.json:
        print(json.dumps(result_to_json(result), indent=2))
    else:
        _print_result(problem, result)
    return 0 if result.status in ("optimal", "feasible") else 1


if __name__ == "__main__":
    sys.exit(main())
