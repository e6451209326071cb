"""The big fuzz run (security.md §6.5, scoreboard item 6): ≥ 10,000 generated requests, then a table.

    python bench/fuzz.py --examples 120            # every URL gets 120 requests (downloads 12): ~11,000
    python bench/fuzz.py --examples 120 -n 2       # on two cores
    scripts/with_postgres.sh python bench/fuzz.py  # the same on PostgreSQL

Runs tests/test_fuzz.py with PEERREVIEW_FUZZ_EXAMPLES and reads the figures it writes per app. Exits
non-zero when any request answered 5xx, showed a traceback or changed another review's rows.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=120, help="requests per URL (downloads get a tenth)")
    parser.add_argument("-n", default="2", help="pytest-xdist workers (default 2)")
    parser.add_argument("--urls", action="store_true", help="print one row per URL, not per app")
    args, rest = parser.parse_known_args()
    with tempfile.TemporaryDirectory() as report:
        env = os.environ | {"PEERREVIEW_FUZZ_EXAMPLES": str(args.examples), "PEERREVIEW_FUZZ_REPORT": report}
        started = time.perf_counter()
        cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-n", args.n, "tests/test_fuzz.py"]
        code = subprocess.call([*cmd, *rest], cwd=ROOT, env=env)
        seconds = time.perf_counter() - started
        rows = [r | {"app": f.stem} for f in sorted(Path(report).glob("*.json")) for r in json.loads(f.read_text())]
    if not rows:
        print("No figures were written: the run failed before fuzzing.")
        return code or 1
    cols = ("URLs", "with fields", "requests", "5xx", "tracebacks", "cross-review", "seconds")
    print(f"\n{'app' if not args.urls else 'url':<36}" + "".join(f"{c:>13}" for c in cols))
    groups: dict[str, list] = {}
    for r in rows:
        groups.setdefault(r["url"] if args.urls else r["app"], []).append(r)
    total = {c: 0 for c in cols}
    for key, rs in groups.items():
        line = {
            "URLs": len(rs),
            "with fields": sum(r["fields"] > 0 for r in rs),
            "requests": sum(r["requests"] for r in rs),
            "5xx": sum(r["5xx"] for r in rs),
            "tracebacks": sum(r["tracebacks"] for r in rs),
            "cross-review": sum(r["leaks"] for r in rs),
            "seconds": round(sum(r["seconds"] for r in rs), 1),
        }
        for c in cols:
            total[c] += line[c]
        print(f"{key:<36}" + "".join(f"{line[c]:>13}" for c in cols))
    total["seconds"] = round(total["seconds"], 1)
    print(f"{'total':<36}" + "".join(f"{total[c]:>13}" for c in cols))
    statuses: dict[str, int] = {}
    for r in rows:
        for s, n in r["statuses"].items():
            statuses[s] = statuses.get(s, 0) + n
    print("statuses: " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))
    print(f"wall clock: {seconds:.0f} s (with {args.n} workers)")
    bad = total["5xx"] + total["tracebacks"] + total["cross-review"]
    return 1 if bad or code else 0


if __name__ == "__main__":
    sys.exit(main())
