"""Benchmarks for issue 10: each figure of its table, cachec beside its reference.

Generates N varied specs (every golden case in turn, each with its own name,
so every template differs and nothing is served from a cache it should not
be), then measures, in one sitting, interleaving cachec with its reference
in every round so that a busy machine slows both alike:

  compile     `cachec compile --no-lint` vs a bare script (python + yaml +
              troposphere) building the same template from its JSON
  one         `cachec build` of one spec (with lint, empty lint cache) vs the
              `cfn-lint` CLI on its output
  batch       N specs in one `cachec build` vs N separate `cachec build` runs
              (--sample K: K of those runs, scaled to N)
  marginal    (batch(N) - batch(1)) / (N - 1), --jobs 1, vs a warm cfn-lint
              lint of each of the same N templates in the regions cachec lints
              it in (a Runner per region set, built and used once before
              timing), mean over the N
  unchanged   `cachec build --check` of the N specs just built (lint cache warm)
  memory      peak RSS of the largest process of a batch, by N

Ratios, never absolute times, are the targets: absolute numbers depend on
the machine, the ratios much less. Results go to bench/README.md (--write).

Run: .venv/bin/python bench/run.py [--runs 5] [--sizes 1 10 100] [--with-500] [--write]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
PYTHON = sys.executable
CACHEC = [PYTHON, "-m", "compiler"]
CFN_LINT = [PYTHON, "-c", "import sys; from cfnlint.runner import main; sys.exit(main())"]
# Same interpreter and flags for both sides; bytecode caches written and used
# (a machine that sets PYTHONDONTWRITEBYTECODE would recompile cachec each run).
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)}
ENV["PYTHONPATH"] = str(ROOT)

# The floor: read the spec, build the same resources as troposphere objects
# (from the template cachec wrote, as JSON; intrinsics left as plain dicts),
# render YAML. Only the troposphere
# and awacs modules cachec itself uses are imported.
BARE_SCRIPT = """\
import json, sys
import yaml
import awacs.aws, awacs.sns
from troposphere import Template, cloudwatch, ec2, elasticache, kms, logs, secretsmanager, sns
spec = yaml.safe_load(open(sys.argv[1]))
data = json.load(open(sys.argv[2]))
classes = {
    c.resource_type: c
    for module in (cloudwatch, ec2, elasticache, kms, logs, secretsmanager, sns)
    for c in vars(module).values() if isinstance(getattr(c, "resource_type", None), str)
}
template = Template()
for name, resource in data["Resources"].items():
    built = classes[resource["Type"]](name, validation=False)
    built.properties.update(resource.get("Properties", {}))  # intrinsics stay plain dicts
    template.add_resource(built)
out = {**data, "Resources": template.to_dict()["Resources"]}
dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
sys.stdout.write(yaml.dump(out, Dumper=dumper, sort_keys=False))
"""

WARM_LINT_SCRIPT = """\
import json, sys, time
from cfnlint.config import ConfigMixIn
from cfnlint.decode.decode import decode_str
from cfnlint.runner import Runner
jobs = json.load(open(sys.argv[1]))  # [[template path, [region, ...]], ...]
runners = {}
for path, regions in jobs:  # warm: one Runner per region set, each used once
    key = tuple(regions)
    if key not in runners:
        runners[key] = Runner(ConfigMixIn(regions=regions))
        list(runners[key].validate_template(decode_str(open(path).read())[0]))
times = []
for path, regions in jobs:
    text = open(path).read()
    start = time.perf_counter()
    template, matches = decode_str(text)
    list(runners[tuple(regions)].validate_template(template))
    times.append(time.perf_counter() - start)
print(json.dumps(times))
"""


@dataclass
class Sample:
    seconds: list[float] = field(default_factory=list)
    peak_kib: list[int] = field(default_factory=list)

    def add(self, seconds: float, peak_kib: int) -> None:
        self.seconds.append(seconds)
        self.peak_kib.append(peak_kib)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def cell(self, scale: float = 1.0) -> str:
        s = sorted(x * scale for x in self.seconds)
        return f"{statistics.median(s):.3f} s ({s[0]:.3f}-{s[-1]:.3f})"

    @property
    def peak_mib(self) -> float:
        return max(self.peak_kib) / 1024


def timed(command: list[str], env: dict[str, str], cwd: Path, expect: tuple[int, ...] = (0,)
          ) -> tuple[float, int]:
    """Wall seconds and the peak RSS (KiB) of the largest process of the run."""
    # stderr to a file, not a pipe read after the wait: a batch's warnings can
    # fill a pipe's 64 KiB, and the child would block writing them forever.
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                                   stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        errors.seek(0)
        stderr = errors.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code not in expect:
        raise SystemExit(f"{' '.join(command[:6])}... exited {code}:\n{stderr[-2000:]}")
    return seconds, usage.ru_maxrss


# Goldens that exist to test AWS's limits, not to resemble a team's caches: the
# 500-shard cluster's 700 KB template alone takes longer to lint than dozens of
# ordinary ones and would make every batch figure about it.
LIMIT_CASES = frozenset({"cluster-500-shards"})


def make_specs(folder: Path, n: int) -> list[Path]:
    cases = sorted(p.name for p in GOLDEN.iterdir()
                   if (p / "spec.yaml").is_file() and p.name not in LIMIT_CASES)
    folder.mkdir(parents=True)
    specs = []
    for i in range(n):
        case = cases[i % len(cases)]
        text = (GOLDEN / case / "spec.yaml").read_text(encoding="utf-8")
        # At most 19 characters: `<name>-production-default` is an
        # ElastiCache user id, 40 characters at most (derived-name-invalid).
        name = f"{case[:14].rstrip('-')}-{i:04d}"
        text = re.sub(r"(?m)^name: .*$", f"name: {name}", text, count=1)
        target = folder / f"{name}.yaml"
        target.write_text(text, encoding="utf-8")
        specs.append(target)
    return specs


class Bench:
    def __init__(self, work: Path, runs: int, sample: int) -> None:
        self.work = work
        self.runs = runs
        self.sample = sample
        self._fresh = 0

    def env(self) -> dict[str, str]:
        """A new, empty lint cache: every measured build starts cold unless told."""
        self._fresh += 1
        return {**ENV, "CACHEC_CACHE_DIR": str(self.work / f"cache-{self._fresh}")}

    def out(self) -> str:
        self._fresh += 1
        return str(self.work / f"out-{self._fresh}")

    def compile_row(self, spec: Path) -> tuple[Sample, Sample]:
        template_json = self.work / "template.json"
        done = subprocess.run([*CACHEC, "compile", "--no-lint", "--format", "json", str(spec)],
                              env=ENV, cwd=ROOT, capture_output=True, check=True)
        template_json.write_bytes(done.stdout)
        bare = self.work / "bare.py"
        bare.write_text(BARE_SCRIPT, encoding="utf-8")
        cachec, reference = Sample(), Sample()
        # A tenth of a second each, with a spread of its own: five times the rounds.
        for _ in range(self.runs * 5):
            cachec.add(*timed([*CACHEC, "compile", "--no-lint", str(spec)], ENV, ROOT))
            reference.add(*timed([PYTHON, str(bare), str(spec), str(template_json)], ENV, ROOT))
        return cachec, reference

    def one_row(self, spec: Path) -> tuple[Sample, Sample]:
        template = self.work / "one.yaml"
        done = subprocess.run([*CACHEC, "compile", "--no-lint", str(spec)], env=ENV, cwd=ROOT,
                              capture_output=True, check=True)
        template.write_bytes(done.stdout)
        cachec, reference = Sample(), Sample()
        for _ in range(self.runs):
            command = [*CACHEC, "build", "--out", self.out(), str(spec)]
            cachec.add(*timed(command, self.env(), ROOT))
            reference.add(*timed([*CFN_LINT, str(template)], ENV, ROOT, expect=(0, 2, 4, 6, 8)))
        return cachec, reference

    def batch_rows(self, specs: list[Path]) -> dict[str, Sample]:
        """One build of all specs (default --jobs), the same with --jobs 1, and
        then --check of the unchanged specs; separate runs: a sample of specs."""
        n = len(specs)
        names = [str(s) for s in specs]
        rows = {k: Sample() for k in ("batch", "batch-j1", "unchanged", "separate")}
        step = max(1, n // self.sample)
        sampled = names[::step][: self.sample]
        for _ in range(self.runs):
            out, env = self.out(), self.env()
            rows["batch"].add(*timed([*CACHEC, "build", "--out", out, *names], env, ROOT))
            rows["unchanged"].add(
                *timed([*CACHEC, "build", "--check", "--out", out, *names], env, ROOT)
            )
            command = [*CACHEC, "build", "--jobs", "1", "--out", self.out(), *names]
            rows["batch-j1"].add(*timed(command, self.env(), ROOT))
            seconds, peak = 0.0, 0
            for name in sampled:
                s, p = timed([*CACHEC, "build", "--out", self.out(), name], self.env(), ROOT)
                seconds, peak = seconds + s, max(peak, p)
            rows["separate"].add(seconds * n / len(sampled), peak)
        return rows

    def warm_lint(self, specs: list[Path]) -> list[float]:
        """Seconds of a warm cfn-lint lint of each spec's template, in the
        regions cachec lints it in (a StackSet's regions, else us-east-1)."""
        jobs = []
        for spec in specs:
            done = subprocess.run([*CACHEC, "compile", "--no-lint", str(spec)], env=ENV,
                                  cwd=ROOT, capture_output=True, check=True)
            path = self.work / f"lint-{spec.stem}.yaml"
            path.write_bytes(done.stdout)
            stackset = (yaml.safe_load(spec.read_text()).get("stack") or {}).get("stackset")
            jobs.append([str(path), (stackset or {}).get("regions") or ["us-east-1"]])
        (self.work / "warm_lint.json").write_text(json.dumps(jobs), encoding="utf-8")
        script = self.work / "warm_lint.py"
        script.write_text(WARM_LINT_SCRIPT, encoding="utf-8")
        done = subprocess.run([PYTHON, str(script), str(self.work / "warm_lint.json")], env=ENV,
                              cwd=ROOT, capture_output=True, check=True)
        times: list[float] = json.loads(done.stdout)
        return times


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            models = [line.split(":", 1)[1].strip() for line in handle
                      if line.startswith("model name")]
        cpu = models[0] if models else cpu
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{platform.system()} {platform.release()}, {cpu}, {cores} cores available, "
            f"Python {platform.python_version()}, load average {load:.2f} at the start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds per figure (default 5)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--with-500", action="store_true", help="also N = 500 (minutes)")
    parser.add_argument("--sample", type=int, default=10,
                        help="separate runs actually made per batch, scaled to N (default 10)")
    parser.add_argument("--write", action="store_true", help="write bench/README.md")
    args = parser.parse_args()
    sizes = sorted({*args.sizes, *([500] if args.with_500 else [])})
    lines = [f"Machine: {machine()}.", f"Rounds: {args.runs}; cells are median (min-max).", ""]
    with tempfile.TemporaryDirectory(prefix="cachec-bench-") as temp:
        work = Path(temp)
        bench = Bench(work, args.runs, args.sample)
        largest = make_specs(work / "specs", max(sizes))
        spec = ROOT / "specs" / "prod.yaml"
        # Warm-up: bytecode written, files in the page cache, for both sides.
        bench.one_row(spec)

        compile_c, compile_r = bench.compile_row(spec)
        one_c, one_r = bench.one_row(spec)
        batches = {n: bench.batch_rows(largest[:n]) for n in sizes}
        warm = bench.warm_lint(largest)
        shutil.rmtree(work / "specs")

    big = max(n for n in sizes if n > 1) if any(n > 1 for n in sizes) else None
    lines += ["| what | cachec | reference | ratio | goal | met |", "|---|--:|--:|--:|--:|:-:|"]

    def row(label: str, c: str, r: str, ratio: str, goal: str, met: bool) -> None:
        lines.append(f"| {label} | {c} | {r} | {ratio} | {goal} | {'yes' if met else 'NO'} |")

    ratio = compile_c.median / compile_r.median
    row("`compile --no-lint` vs bare python + yaml + troposphere script", compile_c.cell(),
        compile_r.cell(), f"{ratio:.2f}x", "<= 1.5x", ratio <= 1.5)
    ratio = one_c.median / one_r.median
    row("`build` of one spec (lint, cold cache) vs `cfn-lint` CLI on its output",
        one_c.cell(), one_r.cell(), f"{ratio:.2f}x", "<= 1.0x", ratio <= 1.0)
    if big:
        b = batches[big]
        faster = b["separate"].median / b["batch"].median
        row(f"{big} specs in one `build` vs {big} separate `build` runs", b["batch"].cell(),
            b["separate"].cell(), f"{faster:.1f}x faster", ">= 8x faster", faster >= 8)
        first = batches[1]["batch-j1"].median if 1 in batches else None
        # Both sides a mean over the same templates: the batch's marginal cost
        # per spec, and cfn-lint's warm lint of each of those templates.
        warm_mean = statistics.fmean(warm[:big])
        if first is not None:
            marginal = (b["batch-j1"].median - first) / (big - 1)
            ratio = marginal / warm_mean
            row("marginal cost per spec in a batch (--jobs 1) vs a warm cfn-lint lint of its "
                "template (mean over the batch)", f"{marginal * 1000:.0f} ms",
                f"{warm_mean * 1000:.0f} ms", f"{ratio:.2f}x", "<= 1.2x", ratio <= 1.2)
        unchanged = b["unchanged"]
        row(f"{big} unchanged specs, `build --check`", unchanged.cell(), "-",
            f"{unchanged.median / b['batch'].median:.2f}x of the first build", "< 2 s",
            unchanged.median < 2)
        peaks = ", ".join(f"N={n}: {batches[n]['batch'].peak_mib:.0f} MiB" for n in sizes)
        one_peak = one_c.peak_mib  # cachec's build of one spec; one_r: the cfn-lint CLI's
        # Flat in N: past the first hundred specs (by then a worker has met
        # every resource type and region of the mix), the peak stops growing.
        base = batches[min(batches, key=lambda n: abs(n - 100))]["batch"].peak_mib
        growth = batches[big]["batch"].peak_mib / base
        row("peak memory of a batch (largest process)", peaks, f"one spec: {one_peak:.0f} MiB "
            f"(cfn-lint CLI on its template: {one_r.peak_mib:.0f})",
            f"{growth:.2f}x N=100's at N={big}; "
            f"{batches[big]['batch'].peak_mib / one_peak:.2f}x one spec's",
            "flat in N (<= 1.1x N=100's)", growth <= 1.1)
    lines += ["", "By N (median (min-max)):", "",
              "| N | build (default --jobs) | build --jobs 1 | build --check, unchanged | "
              "N separate builds | peak MiB |", "|--:|--:|--:|--:|--:|--:|"]
    for n, b in batches.items():
        lines.append(f"| {n} | {b['batch'].cell()} | {b['batch-j1'].cell()} | "
                     f"{b['unchanged'].cell()} | {b['separate'].cell()} | "
                     f"{b['batch'].peak_mib:.0f} |")
    report = "\n".join(lines) + "\n"
    print(report)
    if args.write:
        readme = ROOT / "bench" / "README.md"
        intro = __doc__.split("\n\n", 1)[1]
        readme.write_text(f"# Benchmarks\n\n```\n{intro.strip()}\n```\n\n"
                          f"## Last run\n\nCommand: `{' '.join(['bench/run.py', *sys.argv[1:]])}`"
                          f"\n\n{report}", encoding="utf-8")


if __name__ == "__main__":
    main()
