"""Benchmark of ``c4h validate`` against the floor of merely loading the same files.

Usage: python -m c4h.bench.validate [--count N] [--repeat R] [--no-record]

Writes N synthetic listings (default 10,000; deterministic; 1–5 offers each) to a temporary
folder, then alternately runs, R times each: the floor (one process that only loads every file
with yaml.CSafeLoader) and `c4h validate` over the folder. Reports medians, their ratio and the
peak memory of validate's whole process tree. Targets on 2 cores: ratio <= 1.25, peak <= 300 MB.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from c4h.bench import measure, synthetic

FLOOR = """
import sys, yaml
from pathlib import Path
for p in sorted(Path(sys.argv[1]).glob("*.yml")):
    with open(p, "rb") as f:
        yaml.load(f, Loader=yaml.CSafeLoader)
"""

TARGET_RATIO = 1.25
TARGET_MB = 300.0
TODAY = "2026-12-01"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-record", action="store_true", help="do not update the docs page")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="c4h-bench-") as tmp:
        folder = Path(tmp) / "providers"
        offers = synthetic.write(folder, args.count, TODAY)
        c4h = str(Path(sys.executable).with_name("c4h"))
        env = {"C4H_TODAY": TODAY}
        floors, runs = [], []
        for _ in range(args.repeat):
            floor = measure.run([sys.executable, "-c", FLOOR, str(folder)])
            floors.append(floor.seconds)
            run = measure.run([c4h, "validate", "--providers", str(folder)], env=env)
            if run.returncode != 0:
                print(run.stdout[-2000:])
                print("validate failed on the synthetic listings", file=sys.stderr)
                return 1
            runs.append(run)
        floor_s = measure.median(floors)
        validate_s = measure.median([r.seconds for r in runs])
        peak = max(r.peak_mb for r in runs)
        ratio = validate_s / floor_s
        ok = ratio <= TARGET_RATIO and peak <= TARGET_MB
        table = (
            f"Validator, {args.count:,} synthetic listings ({offers:,} offers), median of"
            f" {args.repeat} alternating runs. Machine: {measure.machine()}.\n\n"
            "| measure | result | target |\n|---|---|---|\n"
            f"| floor: load every file with `yaml.CSafeLoader`, one process | {floor_s:.2f} s | |\n"
            f"| `c4h validate` (schema + rules + cross-file checks) | {validate_s:.2f} s | |\n"
            f"| ratio validate / floor | {ratio:.2f} | ≤ {TARGET_RATIO} |\n"
            f"| peak memory of validate (all processes) | {peak:.0f} MB | ≤ {TARGET_MB:.0f} MB |\n"
        )
        return measure.report(table, ok, "validate", keep=not args.no_record)


if __name__ == "__main__":
    raise SystemExit(main())
