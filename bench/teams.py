"""Benchmark for peer review team formation: greedy vs CP-SAT on generated seasons.

Usage::

    python bench/teams.py [--sizes small medium large tight] [--seeds 3] [--time-limit 30]

Writes each instance as ``peerreview.teams/1`` JSON into ``bench/out/`` (gitignored) and
prints a table of seed medians.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from peerreview.solver.teams import DEFAULT_SLOTS, Peer, Problem, Review, Slot, greedy, solve
from peerreview.solver.teams.io import problem_to_json

SIZES = {
    "small": (1, 150, False),
    "medium": (40, 600, False),
    "large": (100, 2000, False),
    "tight": (40, 300, True),
}
THEMES = (
    "early_help", "front_door", "child_protection", "children_in_care", "care_leavers", "send",
    "workforce", "leadership", "partnerships", "quality_assurance", "exploitation", "disabled_children",
)  # fmt: skip
ROLE_MIX = {
    "dcs": 6, "ad": 10, "head_of_service": 17, "operational_manager": 17, "principal_social_worker": 8,
    "case_auditor": 20, "pcm": 6, "police": 3, "health": 4, "education": 4, "adult_social_care": 3, "councillor": 2,
}  # fmt: skip
TIGHT_MIX = dict(ROLE_MIX, case_auditor=9, dcs=4, ad=6, head_of_service=22, operational_manager=22)
SPECIALIST = Slot(
    "specialist", "Specialist peer", frozenset({"police", "health", "education", "adult_social_care"}), 0, 1
)
REGIONS = ("NE", "NW", "YH", "EM", "WM", "EE", "LDN", "SE", "SW")


def generate(size: str, seed: int, tight: bool | None = None) -> Problem:
    """A random season of the given size (``small``, ``medium``, ``large`` or ``tight``)."""
    n_reviews, n_peers, is_tight = SIZES[size]
    tight = is_tight if tight is None else tight
    rng = random.Random(f"{size}-{seed}")
    councils = [f"C{i:03d}" for i in range(150)]
    region = {c: REGIONS[i % len(REGIONS)] for i, c in enumerate(councils)}
    by_region = {r: [c for c in councils if region[c] == r] for r in REGIONS}
    mix = TIGHT_MIX if tight else ROLE_MIX
    roles, weights = list(mix), list(mix.values())
    first_week, last_week = (10, 30) if tight else (3, 46)

    peers = []
    for i in range(n_peers):
        role = rng.choices(roles, weights)[0]
        org = "LGA" if role == "pcm" else rng.choice(councils)
        n_spec = rng.choice((1, 1, 2) if tight else (1, 2, 2, 3))
        away = rng.sample(range(1, 53), rng.randint(4, 16) if tight else rng.randint(0, 6))
        cap = 8 if role == "pcm" else (2 if rng.random() < 0.15 else 1)
        done = 1 if rng.random() < 0.1 else 0
        peers.append(
            Peer(
                id=f"p{i:04d}",
                name=f"Peer {i}",
                organisation=org,
                role=role,
                specialisms=frozenset(rng.sample(THEMES, n_spec)),
                region=region.get(org, "LGA"),
                reviews_this_year=done,
                yearly_cap=cap,
                reviews_total=0 if rng.random() < 0.3 else rng.randint(1, 10),
                unavailable_weeks=frozenset(f"2027-W{w:02d}" for w in away),
                conflict_orgs=frozenset(rng.sample(councils, 1)) if rng.random() < 0.05 else frozenset(),
                former_employers=((rng.choice(councils), rng.randint(2018, 2026)),) if rng.random() < 0.2 else (),
            )
        )
    ids = [p.id for p in peers]
    peers = [
        p if rng.random() > 0.01 else Peer(**{**p.__dict__, "conflict_people": frozenset({rng.choice(ids)} - {p.id})})
        for p in peers
    ]
    hosts = rng.sample(councils, n_reviews)
    reviews = []
    for i, host in enumerate(hosts):
        same = by_region[region[host]]
        k = same.index(host)
        neighbours = {same[(k + d) % len(same)] for d in (-2, -1, 1, 2)} - {host}
        week = rng.randint(first_week, last_week)
        slots = (*DEFAULT_SLOTS, SPECIALIST) if i % 2 else DEFAULT_SLOTS
        reviews.append(
            Review(
                id=f"r{i:03d}",
                name=f"Review of {host}",
                host_org=host,
                host_region=region[host],
                neighbour_orgs=frozenset(neighbours),
                lines_of_enquiry=frozenset(rng.sample(THEMES, rng.randint(3, 5))),
                weeks=frozenset({f"2027-W{week:02d}", f"2027-W{week + 2:02d}"}),
                slots=slots,
                year=2027,
            )
        )
    return Problem(tuple(peers), tuple(reviews))


def run(sizes, seeds, time_limit, out: Path, workers: int = 2):
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in sizes:
        limit = 2 * time_limit if size == "tight" else time_limit
        runs = []
        for seed in range(seeds):
            problem = generate(size, seed)
            (out / f"teams-{size}-{seed}.json").write_text(json.dumps(problem_to_json(problem)))
            g = greedy(problem)
            r = solve(problem, time_limit=limit, workers=workers, seed=seed)
            runs.append((r, g))
            print(
                f"  {size} seed {seed}: {r.status} obj {r.objective} bound {r.bound} gap {100 * (r.gap or 0):.2f}% "
                f"greedy {g.objective} first {r.first_feasible_seconds:.2f}s total {r.runtime_seconds:.2f}s "
                f"unfilled {len(r.unfilled)}",
                flush=True,
            )
        med = statistics.median
        rows.append(
            (
                size,
                f"{med(r.first_feasible_seconds for r, _ in runs):.2f}",
                f"{med(r.objective for r, _ in runs):.0f}",
                f"{med(r.bound for r, _ in runs):.0f}",
                f"{100 * med(r.gap for r, _ in runs):.2f}",
                f"{med(g.objective for _, g in runs):.0f}",
                "/".join(sorted({r.status for r, _ in runs})),
                f"{med(r.runtime_seconds for r, _ in runs):.2f}",
                f"{med(g.runtime_seconds for _, g in runs):.2f}",
            )
        )
    head = ("size", "first feasible s", "objective", "bound", "gap %", "greedy", "status", "total s", "greedy s")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"  # noqa: E731
    print(line(head))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(line(r))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per run (tight gets twice this)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    args = parser.parse_args(argv)
    run(args.sizes, args.seeds, args.time_limit, args.out, args.workers)


if __name__ == "__main__":
    main()
