"""`make mutate`: mutation testing of the modules where a surviving mutant costs most.

Runs mutmut (configured in pyproject.toml's [tool.mutmut], whose only_mutate is
the one list of the modules to mutate) over those modules, or over the ones
named on the command line, then:

  - prints every survivor as FILE:LINE, the mutation (the line before and
    after) and the mutant's name (`mutmut show NAME` gives its diff), with the
    verdict recorded for it in mutation/survivors.toml, if any;
  - records the run in mutation/runs/<date>.json (one file per day: a module
    run again that day replaces its entry), by module: mutants, killed,
    survived, timeout, suspicious, not run, seconds of tests;
  - regenerates mutation/README.md from every run recorded, so the trend reads
    as one row per run;
  - keeps every verdict mutmut holds in mutation/state.json, which the next
    run, in this clone or a fresh one, starts from (restore_state).

Run: .venv/bin/python mutation/run.py [--max-children N] [--again] [--report-only] [MODULE ...]
                                      [--tests TEST_FILE ...]
     .venv/bin/python mutation/run.py --verdicts-only   (after editing survivors.toml)
(MODULE: a path from only_mutate's expansion, e.g. compiler/local_store.py.)
A periodic check, not CI: the whole list takes hours on two cores.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import difflib
import glob
import json
import math
import os
import platform
import re
import subprocess
import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "mutation"
RUNS = HERE / "runs"
VERDICTS = HERE / "survivors.toml"
STATE = HERE / "state.json"
README = HERE / "README.md"
MUTMUT = Path(sys.executable).parent / "mutmut"
# The test files the recording run was limited to (--tests), beside mutmut's recording.
SELECTION = ROOT / "mutants" / ".cachec-mutation-tests"
MUTATION_TESTS_ENV = "CACHEC_MUTATION_TESTS"  # read by tests/conftest.py

# mutmut's statuses folded into the columns of the summary; anything else
# (segfault, skipped, caught by type check) is counted as "other".
COLUMNS = ("killed", "survived", "timeout", "suspicious", "not run", "other")
_FOLD = {"no tests": "not run", "not checked": "not run",
         "check was interrupted by user": "not run"}
# How a survivor left alone is classified in survivors.toml.
KINDS = {"equivalent": "equivalent mutant (no input tells it apart)",
         "invisible": "a behaviour no user can see",
         "gap": "a real gap: a test is owed",
         "killed": "killed since by the test named (seen failing with the mutant, or with "
                   "another of the same function that the same assertion catches, applied "
                   "by hand); the next run confirms it",
         "unreachable": "mutmut cannot run it (the function runs only while its module is "
                        "imported, before a mutant is chosen); applied by hand, the tests "
                        "named kill it",
         "gone": "the function has been removed or renamed since the run: the next run "
                 "judges the code that replaced it"}


def modules() -> list[str]:
    """The files [tool.mutmut] only_mutate names, globs expanded, in its order."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    found: list[str] = []
    for pattern in config["only_mutate"]:
        for path in sorted(glob.glob(pattern, root_dir=ROOT)):
            if path not in found:
                found.append(path)
    return found


def name_pattern(module: str) -> str:
    """mutmut's names for a module's mutants: dotted module, then x_ or xǁ (methods)."""
    dotted = module.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    return f"{dotted}.x*"


@dataclass(frozen=True)
class Mutant:
    name: str
    module: str
    status: str
    seconds: float


@dataclass(frozen=True)
class Mutation:
    line: int
    before: str
    after: str


def read_mutants(module: str) -> list[Mutant]:
    """The module's mutants and their verdicts, from mutmut's own record beside its copy."""
    # mutmut reads its configuration from the current folder when imported: imported
    # here, after main() has moved to ROOT (and only when the mutate extra is there).
    from mutmut.stats import status_by_exit_code

    meta = json.loads((ROOT / "mutants" / f"{module}.meta").read_text())
    durations = meta.get("durations_by_key", {})
    return [Mutant(name, module, status_by_exit_code[code], float(durations.get(name) or 0))
            for name, code in sorted(meta["exit_code_by_key"].items(), key=_natural)]


def _natural(item: tuple[str, Any]) -> tuple[str, int]:
    head, _, number = item[0].rpartition("__mutmut_")
    return head, int(number) if number.isdigit() else 0


def column(status: str) -> str:
    status = _FOLD.get(status, status)
    return status if status in COLUMNS else "other"


def mutation(mutant: Mutant) -> Mutation:
    """Where the mutant changes its module and how, from the function mutmut mutated.

    mutmut diffs the function's text alone (as `mutmut show` does); the text's
    last line is the function's last line in the file (found with ast), which
    places the diff's first changed line in the file.
    """
    import libcst
    from mutmut.mutation.diff_apply import (
        read_functions_from_index,
        read_mutant_function,
        read_mutants_module,
        read_original_function,
    )

    functions = read_functions_from_index(mutant.name, mutant.module)
    if functions is None:
        copy = read_mutants_module(mutant.module)
        functions = (read_original_function(copy, mutant.name),
                     read_mutant_function(copy, mutant.name))
    original, mutated = (libcst.Module([f]).code.strip().split("\n") for f in functions)
    diff = list(difflib.unified_diff(original, mutated, lineterm="", n=0))
    end = _function_end(ast.parse((ROOT / mutant.module).read_text()), mutant.name)
    before = [line[1:] for line in diff[2:] if line.startswith("-")]
    after = [line[1:] for line in diff[2:] if line.startswith("+")]
    return Mutation(line=end - (len(original) - _first_changed(diff)),
                    before=_one_line(before), after=_one_line(after))


def _first_changed(diff: list[str]) -> int:
    """1-based line, in the function's text, of the first line the mutant changes."""
    line = 0
    for text in diff[2:]:
        hunk = re.match(r"@@ -(\d+)", text)
        if hunk:
            line = int(hunk.group(1)) - 1
        elif text.startswith("-"):
            return line + 1
        elif text.startswith("+"):
            return line  # a pure insertion: after the line before it
        else:
            line += 1
    return line


def _function_end(tree: ast.Module, mutant_name: str) -> int:
    key = mutant_name.rpartition(".")[2].partition("__mutmut_")[0]
    if key.startswith("xǁ"):
        owner, name = key[2:].split("ǁ")
        scopes = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == owner]
        body = scopes[0].body if scopes else []
    else:
        name, body = key[2:], tree.body
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            return int(node.end_lineno or node.lineno)
    raise LookupError(f"{mutant_name}: function not found in its module")


def _one_line(lines: list[str]) -> str:
    return " / ".join(line.strip() for line in lines)


# -- verdicts on survivors ----------------------------------------------------

def verdicts() -> dict[tuple[str, str], dict[str, str]]:
    """survivors.toml's verdicts, by (mutant, mutated line): a verdict whose
    function has changed since (same name, another mutation) no longer applies."""
    if not VERDICTS.exists():
        return {}
    entries = tomllib.loads(VERDICTS.read_text()).get("survivor", [])
    for entry in entries:
        if entry.get("kind") not in KINDS:
            raise SystemExit(f"{VERDICTS.name}: {entry.get('mutant')}: kind must be one of "
                             f"{', '.join(KINDS)}")
    return {(e["mutant"], e["after"]): e for e in entries}


# -- one run's record ---------------------------------------------------------

def survivor_record(mutant: Mutant, known: dict[tuple[str, str], dict[str, str]]
                    ) -> dict[str, Any]:
    where = mutation(mutant)
    verdict = known.get((mutant.name, where.after), {})
    return {"mutant": mutant.name, "line": where.line, "before": where.before,
            "after": where.after, "kind": verdict.get("kind", ""), "why": verdict.get("why", "")}


def module_record(module: str, mutants: list[Mutant],
                  known: dict[tuple[str, str], dict[str, str]]) -> dict[str, Any]:
    counts = Counter(column(m.status) for m in mutants)
    return {
        "mutants": len(mutants),
        **{name: counts[name] for name in COLUMNS},
        "test_seconds": round(sum(m.seconds for m in mutants), 1),
        "survivors": [survivor_record(m, known) for m in mutants if m.status == "survived"],
    }


def mutmut_version() -> str:
    return version("mutmut")


def commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    return done.stdout.strip() or "unknown"


def record(run: dict[str, Any], results: dict[str, dict[str, Any]],
           invocation: dict[str, Any] | None) -> dict[str, Any]:
    """Today's record with these modules' results put in (replacing any earlier today)."""
    run.setdefault("date", dt.date.today().isoformat())
    run.update({"tool": f"mutmut {mutmut_version()}", "python": platform.python_version(),
                "cores": os.cpu_count()})
    run.setdefault("invocations", [])
    if invocation is not None:
        run["commit"] = commit()
        run["invocations"].append(invocation)
    else:  # --report-only summarises the code mutmut last ran on: the checkout's, at first
        run.setdefault("commit", commit())
    run.setdefault("modules", {}).update(results)
    run["modules"] = {m: run["modules"][m] for m in modules() if m in run["modules"]}
    return run


# -- the README, from every run -----------------------------------------------

def totals(run: dict[str, Any]) -> Counter[str]:
    total: Counter[str] = Counter()
    for entry in run["modules"].values():
        total.update({k: entry[k] for k in ("mutants", *COLUMNS)})
    return total


def score(counts: Counter[str] | dict[str, Any]) -> str:
    """Killed (timeouts count as killed: the mutant did not pass) among the mutants run."""
    run = counts["mutants"] - counts["not run"]
    return f"{100 * (counts['killed'] + counts['timeout']) / run:.1f} %" if run else "-"


def _row(cells: list[Any]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _tests(files: list[str] | None) -> str:
    if not files:
        return "the suite"
    return f"{len(files)} files: " + ", ".join(f.removeprefix("tests/") for f in files)


def readme(runs: list[dict[str, Any]]) -> str:
    head = ["| run | tool | commit | modules | mutants | killed | survived | timeout "
            "| suspicious | not run | other | killed+timeout |",
            "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    trend = [_row([r["date"], r["tool"], r["commit"], f"{len(r['modules'])}/{len(modules())}",
                   *(totals(r)[k] for k in ("mutants", *COLUMNS)), score(totals(r))])
             for r in runs]
    last = runs[-1]
    by_module = [_row([f"`{m}`", e["mutants"], *(e[k] for k in COLUMNS), score(e),
                       e["test_seconds"],
                       f"{e['test_seconds'] / max(e['mutants'] - e['not run'], 1):.2f}"])
                 for m, e in last["modules"].items()]
    judged = [_row([f"`{m}`", e["survived"], *verdict_counts(e), left_rate(e)])
              for m, e in last["modules"].items()]
    missing = [m for m in modules() if m not in last["modules"]]
    survivors = [_row([f"`{m}:{s['line']}`", f"`{s['before']}`", f"`{s['after']}`",
                       s["kind"] or "**not classified**", s["why"], f"`{s['mutant']}`"])
                 for m, e in last["modules"].items() for s in e["survivors"]]
    invocations = [_row([i["started"], ", ".join(f"`{m}`" for m in i["modules"]),
                         _tests(i.get("tests")), i["max_children"], f"{i['wall_seconds']:.0f}"])
                   for i in last["invocations"]]
    return "\n".join([
        "# Mutation testing",
        "",
        "<!-- generated by mutation/run.py from mutation/runs/*.json: do not edit -->",
        "",
        (HERE / "ABOUT.md").read_text().strip(),
        "",
        "## Trend (one row per run)",
        "",
        *head, *trend,
        "",
        f"## Last run: {last['date']} ({last['tool']}, Python {last['python']}, "
        f"{last['cores']} cores, commit {last['commit']})",
        "",
        *([last["note"], ""] if last.get("note") else []),
        "| module | mutants | killed | survived | timeout | suspicious | not run | other "
        "| killed+timeout | test s | s/mutant |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
        *by_module,
        "",
        ("Not run in this run: " + ", ".join(f"`{m}`" for m in missing) + ".")
        if missing else "Every module of the list ran.",
        "",
        "The survivors by verdict (*explained*: equivalent, invisible, unreachable or gone; "
        "*open*: a gap or not classified); *left* is the survivors not killed since, of the "
        "mutants run:",
        "",
        "| module | survived | killed since | explained | open | left |",
        "|---|--:|--:|--:|--:|--:|",
        *judged,
        "",
        "Invocations (wall time includes mutmut's clean run of the tests it selected):",
        "",
        "| started | modules | tests recorded | workers | wall s |",
        "|---|---|---|--:|--:|",
        *invocations,
        "",
        "### Survivors",
        "",
        "Each with its verdict from mutation/survivors.toml: "
        + "; ".join(f"*{k}*: {v}" for k, v in KINDS.items()) + ".",
        "",
        "| where | before | after | verdict | why | mutant |",
        "|---|---|---|---|---|---|",
        *survivors,
        "",
    ])


def verdict_counts(entry: dict[str, Any]) -> tuple[int, int, int]:
    """(killed since, explained, open) among a module's survivors."""
    kinds = Counter(s["kind"] for s in entry["survivors"])
    killed = kinds["killed"]
    explained = sum(kinds[k] for k in ("equivalent", "invisible", "unreachable", "gone"))
    return killed, explained, len(entry["survivors"]) - killed - explained


def left_rate(entry: dict[str, Any]) -> str:
    run = entry["mutants"] - entry["not run"]
    left = entry["survived"] - verdict_counts(entry)[0]
    return f"{left} ({100 * left / run:.1f} %)" if run else "-"


def load_runs() -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted(RUNS.glob("*.json"))]


def write(run: dict[str, Any]) -> Path:
    RUNS.mkdir(exist_ok=True)
    path = RUNS / f"{run['date']}.json"
    path.write_text(json.dumps(run, indent=1, ensure_ascii=False) + "\n")
    README.write_text(readme(load_runs()))
    return path


# -- mutmut's results, kept across clones ---------------------------------------

def _python() -> str:
    return ".".join(platform.python_version_tuple()[:2])


def save_state() -> Path:
    """Every verdict mutmut holds in mutants/, by module and function, with the
    function's hash, into mutation/state.json (committed): a fresh clone's run
    starts from them instead of from nothing (restore_state). A module no
    verdict of mutants/ names keeps what the file had."""
    state = _read_state() or {"modules": {}}
    for module in modules():
        meta_path = ROOT / "mutants" / f"{module}.meta"
        if not meta_path.exists():
            continue
        meta = json.loads(meta_path.read_text())
        functions = _by_function(module, meta)
        if functions:
            state["modules"][module] = functions
    state.update({"mutmut": mutmut_version(), "python": _python()})
    state["modules"] = {m: state["modules"][m] for m in modules() if m in state["modules"]}
    STATE.write_text(_state_text(state))
    return STATE


def _by_function(module: str, meta: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{function: {hash, exit codes and seconds by mutant number}} of the
    functions with at least one verdict."""
    prefix = name_pattern(module).removesuffix("x*")
    codes: dict[str, dict[int, int | None]] = {}
    for name, code in meta["exit_code_by_key"].items():
        function, _, number = name.removeprefix(prefix).rpartition("__mutmut_")
        codes.setdefault(function, {})[int(number)] = code
    durations = meta.get("durations_by_key", {})
    kept = {}
    for function, by_number in sorted(codes.items()):
        numbers = sorted(by_number)
        if numbers != list(range(1, len(numbers) + 1)) or function not in meta.get(
                "hash_by_function_name", {}):
            continue  # not as mutmut numbers them: nothing to restore from
        if all(by_number[n] is None for n in numbers):
            continue
        kept[function] = {
            "hash": meta["hash_by_function_name"][function],
            "exit_codes": [by_number[n] for n in numbers],
            "seconds": [round(float(durations.get(f"{prefix}{function}__mutmut_{n}") or 0), 1)
                        for n in numbers],
        }
    return kept


def restore_state() -> list[str]:
    """Put mutation/state.json's verdicts where mutmut reads them, for each
    module it has not mutated in this mutants/ yet; returns those modules.

    mutmut itself decides what still holds: when it makes a module's mutants it
    keeps a recorded verdict only where the function's hash (of its syntax
    tree) is the one recorded, and tests every mutant of a function changed
    since. The state of another mutmut or Python is not used (the mutants and
    their numbers could differ)."""
    state = _read_state()
    if not state or (state.get("mutmut"), state.get("python")) != (mutmut_version(), _python()):
        return []
    restored = []
    for module, functions in state["modules"].items():
        meta_path = ROOT / "mutants" / f"{module}.meta"
        if module not in modules() or meta_path.exists() or (ROOT / "mutants" / module).exists():
            continue
        prefix = name_pattern(module).removesuffix("x*")
        names = {f: [f"{prefix}{f}__mutmut_{n}" for n in range(1, len(e["exit_codes"]) + 1)]
                 for f, e in functions.items()}
        meta_path.parent.mkdir(parents=True, exist_ok=True)
        meta_path.write_text(json.dumps({
            "exit_code_by_key": {n: c for f, e in functions.items()
                                 for n, c in zip(names[f], e["exit_codes"], strict=True)},
            "hash_by_function_name": {f: e["hash"] for f, e in functions.items()},
            "type_check_error_by_key": {},
            "durations_by_key": {n: s for f, e in functions.items()
                                 for n, s in zip(names[f], e["seconds"], strict=True)},
            "estimated_durations_by_key": {},
        }))
        restored.append(module)
    return restored


def _read_state() -> dict[str, Any] | None:
    return json.loads(STATE.read_text()) if STATE.exists() else None


def _state_text(state: dict[str, Any]) -> str:
    """The state as JSON with one line per function, so that a run's diff
    names the functions whose verdicts changed."""
    lines = ["{"]
    lines += [f" {json.dumps(k)}: {json.dumps(v)}," for k, v in state.items() if k != "modules"]
    lines.append(' "modules": {')
    for i, (module, functions) in enumerate(state["modules"].items()):
        lines.append(f"  {json.dumps(module)}: {{")
        lines += [f"   {json.dumps(f, ensure_ascii=False)}: {json.dumps(e)}"
                  + ("," if j < len(functions) - 1 else "")
                  for j, (f, e) in enumerate(functions.items())]
        lines.append("  }" + ("," if i < len(state["modules"]) - 1 else ""))
    lines += [" }", "}", ""]
    return "\n".join(lines)


# -- main ---------------------------------------------------------------------

def select_tests(tests: list[str]) -> dict[str, str]:
    """The environment that limits mutmut's recording run, and so every mutant,
    to these test files (tests/conftest.py reads it; all of them when empty).

    mutmut keeps its recording in mutants/mutmut-stats.json and does not know
    about this selection: when it differs from the one that recording was made
    with (mutants/.cachec-mutation-tests, none meaning the whole suite), the
    recording is dropped so that mutmut makes it again."""
    wanted = os.pathsep.join(sorted(tests))
    recorded = SELECTION.read_text() if SELECTION.exists() else ""
    if recorded != wanted:
        (ROOT / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
    SELECTION.parent.mkdir(exist_ok=True)
    SELECTION.write_text(wanted)
    env = {k: v for k, v in os.environ.items() if k != MUTATION_TESTS_ENV}
    return {**env, MUTATION_TESTS_ENV: wanted} if wanted else env


# mutmut's exit codes of a verdict that is cheap to make again: killed (1, 3;
# the first test that fails ends it) and no tests (33: nothing runs).
_CHEAP_VERDICTS = (1, 3, 33)


def _meta(module: str) -> dict[str, Any] | None:
    """mutmut's record of a module's mutants; None before its first run."""
    path = ROOT / "mutants" / f"{module}.meta"
    return json.loads(path.read_text()) if path.exists() else None


def _probes(chosen: list[str], each: int = 3) -> list[str]:
    """Judged mutants of each module that are the cheapest to run again, of
    `each` functions (a name mutmut no longer makes, its function renamed,
    would leave it nothing to run): one with no test, else the fastest killed."""
    probes = []
    for data in filter(None, map(_meta, chosen)):
        seconds = data.get("durations_by_key", {})
        cheapest: dict[str, tuple[bool, float, str]] = {}
        for name, code in data["exit_code_by_key"].items():
            if code in _CHEAP_VERDICTS:
                function = name.rpartition("__mutmut_")[0]
                cheapest[function] = min(cheapest.get(function, (True, math.inf, "")),
                                         (code != 33, seconds.get(name) or 0, name))
        probes += [name for *_, name in sorted(cheapest.values())[:each]]
    return probes


def _mutmut(names: list[str], max_children: int, env: dict[str, str]) -> None:
    command = [str(MUTMUT), "run", "--max-children", str(max_children), *names]
    done = subprocess.run(command, cwd=ROOT, env=env, check=False)
    if done.returncode != 0:
        shown = " ".join(command[:6]) + (f" ... ({len(names)} mutants)" if len(names) > 2 else "")
        raise SystemExit(f"mutmut failed: {shown}")


def run_mutmut(chosen: list[str], max_children: int, tests: list[str],
               again: bool = False) -> dict[str, Any]:
    """Runs the chosen modules' mutants that have no verdict yet (with `again`,
    every one of them).

    mutmut runs again every mutant a name on its command line matches, verdict
    or not, and a module's pattern matches all of them: the verdicts restored
    from state.json, or kept in mutants/, would be made again, the expensive
    ones too, before any new mutant ran. So, where verdicts exist, mutmut runs
    first a few cheap judged mutants of each module (making the mutants, the recording
    run, and resetting the verdicts of functions changed since), then the
    mutants with no verdict, each by its name."""
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    clock = time.monotonic()
    env = select_tests(tests)
    probes = [] if again else _probes(chosen)
    if not probes:
        _mutmut([name_pattern(m) for m in chosen], max_children, env)
    else:
        _mutmut(probes, max_children, env)
        unjudged = [name for data in filter(None, map(_meta, chosen))
                    for name, code in data["exit_code_by_key"].items() if code is None]
        if unjudged:
            _mutmut(unjudged, max_children, env)
    return {"started": started, "modules": chosen, "max_children": max_children,
            "tests": tests or None, "wall_seconds": round(time.monotonic() - clock)}


def reclassify() -> int:
    """Every recorded survivor with its verdict as survivors.toml gives it now."""
    known = verdicts()
    for path in sorted(RUNS.glob("*.json")):
        run = json.loads(path.read_text())
        for entry in run["modules"].values():
            for survivor in entry["survivors"]:
                verdict = known.get((survivor["mutant"], survivor["after"]), {})
                survivor["kind"], survivor["why"] = verdict.get("kind", ""), verdict.get("why", "")
        path.write_text(json.dumps(run, indent=1, ensure_ascii=False) + "\n")
    README.write_text(readme(load_runs()))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE",
                        help="modules of [tool.mutmut] only_mutate (default: all of them)")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--tests", nargs="+", default=[], metavar="TEST_FILE",
                        help="record and run only these test files (default: the suite); "
                             "cheaper, and it can only add survivors")
    parser.add_argument("--again", action="store_true",
                        help="run every mutant of the modules, those with a verdict too "
                             "(default: only those no run has judged)")
    parser.add_argument("--report-only", action="store_true",
                        help="do not run mutmut: summarise the results in mutants/")
    parser.add_argument("--verdicts-only", action="store_true",
                        help="do not run mutmut: put survivors.toml's verdicts into the "
                             "recorded runs and rewrite the README (no mutants/ needed)")
    args = parser.parse_args(argv)
    if args.verdicts_only:
        return reclassify()
    listed = modules()
    unknown = [m for m in args.modules if m not in listed]
    if unknown:
        parser.error(f"not in [tool.mutmut] only_mutate: {', '.join(unknown)}")
    chosen = args.modules or listed
    absent = [t for t in args.tests if not (ROOT / t).is_file()
              or not t.startswith("tests/test_")]
    if absent:
        parser.error(f"not a test file of tests/: {', '.join(absent)}")
    os.chdir(ROOT)  # mutmut reads its configuration and mutants/ from the current folder
    if not args.report_only:
        restored = restore_state()
        if restored:
            print(f"Verdicts of {STATE.relative_to(ROOT)} restored for {len(restored)} modules: "
                  "mutmut tests again only the mutants of functions changed since, and those "
                  "no run has judged yet")
    invocation = None if args.report_only else run_mutmut(chosen, args.max_children, args.tests,
                                                           args.again)
    known = verdicts()
    results: dict[str, dict[str, Any]] = {}
    for module in chosen:
        mutants = read_mutants(module)
        if all(column(m.status) == "not run" for m in mutants):
            continue
        results[module] = module_record(module, mutants, known)
        for s in results[module]["survivors"]:
            verdict = f"  [{s['kind']}]" if s["kind"] else ""
            print(f"{module}:{s['line']}: survived: {s['before']!r} -> {s['after']!r}"
                  f"  ({s['mutant']}){verdict}")
    today = RUNS / f"{dt.date.today().isoformat()}.json"
    run = json.loads(today.read_text()) if today.exists() else {}
    path = write(record(run, results, invocation))
    save_state()
    counts = totals(run)
    print(f"\n{len(run['modules'])}/{len(listed)} modules; mutants {counts['mutants']}, "
          + ", ".join(f"{k} {counts[k]}" for k in COLUMNS)
          + f"; killed+timeout {score(counts)}. Summary: {path.relative_to(ROOT)}, "
          f"{README.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
