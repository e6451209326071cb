"""Run every benchmark in bench/ and print their tables: `make bench` (or `python bench/run.py --quick`)."""

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = {
    "teams": ["bench/teams.py"],
    "timetable": ["bench/timetable.py"],
    "evidence": ["bench/evidence.py"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help=f"which benchmarks (default: all of {', '.join(BENCHES)})")
    args, rest = parser.parse_known_args()
    failed = 0
    for name in args.names or BENCHES:
        script = HERE.parent / BENCHES[name][0]
        if not script.exists():
            print(f"{name}: {script.name} is not there yet")
            continue
        print(f"\n=== {name} ===", flush=True)
        failed |= subprocess.call([sys.executable, str(script), *rest], cwd=HERE.parent)
    return failed


if __name__ == "__main__":
    sys.exit(main())
