"""Benchmarks, reported as ratios to a baseline measured in the same run.

Baseline: a Python process that imports troposphere (the floor for any
troposphere-based compiler). Measured: `cachec compile --no-lint`,
`cachec compile` (with cfn-lint), `cachec build --check` of all example specs
(one shared cfn-lint Runner), and the `cfn-lint` CLI on the same template.
Wall-clock medians of N runs each; absolute numbers vary by machine, ratios
much less.

Run: make bench   (or .venv/bin/python bench/run.py [--runs N])
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SPEC = ROOT / "specs" / "prod.yaml"
TEMPLATE = sorted((ROOT / "templates" / "orders-production").glob("v*.yaml"))[-1]


def median_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    cachec = str(BIN / "cachec")
    cases = {
        "python -c 'import troposphere' (baseline)": [
            sys.executable, "-c", "import troposphere, troposphere.elasticache"
        ],
        "cachec compile --no-lint specs/prod.yaml": [cachec, "compile", "--no-lint", str(SPEC)],
        "cachec compile specs/prod.yaml (cfn-lint)": [cachec, "compile", str(SPEC)],
        "cachec build --check specs/*.yaml (3 specs, cfn-lint)": [
            cachec, "build", "--check", *map(str, sorted((ROOT / "specs").glob("*.yaml")))
        ],
        f"cfn-lint {TEMPLATE.relative_to(ROOT)}": [str(BIN / "cfn-lint"), str(TEMPLATE)],
    }
    baseline = None
    print(f"median of {runs} runs")
    for label, command in cases.items():
        seconds = median_seconds(command, runs)
        baseline = baseline or seconds
        print(f"{seconds:7.3f} s  {seconds / baseline:5.1f}x  {label}")


if __name__ == "__main__":
    main()
