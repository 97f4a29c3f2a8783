"""Every performance target of issue 19, measured in one run, side by side; writes RESULTS.md.

    python benchmarks/bench_all.py [--n 10000] [--big 100000] [--build-n 50000] [--rounds 3]
                                   [--skip-100k] [--skip-build] [--reference DIR]
                                   [--results benchmarks/RESULTS.md | --no-results]

Every row compares things run in this one process's lifetime, alternately, on the same
generated rosters (generate.py), so a busy machine slows both sides of a ratio alike. Times are
whole processes (wall clock, medians of `--rounds`); the two reference scripts print their own
time (the file walk and the parse loop, without the interpreter's start-up), and that is what
agentroster's whole-process time is divided by: the stricter comparison. Memory is each
command's own peak RSS, through peak_rss.py. Every agentroster run gets an empty cache
directory of its own (AGENTROSTER_CACHE_DIR), so a "cold" run is cold whether or not
agentroster has a cache; only the warm row reuses one.

Rows (targets from issue 19):
  cold lint of N cards (all cores)  <= 1.2 x the single-core parse floor (reference floor.py)
                                    <= 0.5 x PyYAML C + jsonschema-rs (reference fastcheck.py)
  warm re-lint, one card changed    <= 0.2 x the cold lint (needs the cache: `lint --no-cache`)
  start-up, examples/roster         <= 0.5 x check-jsonschema, whole process
  peak RSS of a lint of N cards     <= 400 MiB
  lint of BIG cards                 <= 12 x the time of N cards (run alternately), <= 2 GiB
  build of BUILD_N cards            peak RSS <= 1 GiB
  -j 1, -j 2, all cores             speed-up over -j 1 >= 0.8 x the processes (near-linear)

A row that cannot be measured (a reference script or a feature missing) says why and counts
as "not measured", never as met. `--reference DIR` holds floor.py and fastcheck.py (default:
../shared/bench beside the repository); fastcheck needs `pip install -e ".[bench]"`.

Small sizes make a quick smoke run (.ci/run): `--n 200 --big 400 --build-n 300 --rounds 1`.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from peak_rss import peak_rss_mb  # noqa: E402

SCHEMA = REPO / "schemas" / "agent-card.v1.schema.json"
EXAMPLES = REPO / "examples" / "roster"
TODAY = "2026-11-21"  # the generated cards and the examples lint clean on this day
MIB = "MiB"


class NotMeasured(Exception):
    """A row that cannot be measured here, and why."""


@dataclass
class Row:
    """One line of the results: what was measured, the figures, and the target."""

    name: str
    figures: str  # the measured values, in words
    value: float | None = None  # the ratio or amount the target is about
    target: str = ""  # e.g. "<= 1.2 x"; empty: information only
    met: bool | None = None  # None: no target, or not measured
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.value is None and self.target:
            return "not measured"
        if self.met is None:
            return ""
        return "met" if self.met else "NOT MET"


@dataclass
class Bench:
    """What every row needs: options, rosters, a place for scratch files."""

    args: argparse.Namespace
    tmp: Path
    cores: int
    rosters: dict[int, Path] = field(default_factory=dict)
    reference: Path | None = None
    reference_problem: str = ""

    def roster(self, n: int) -> Path:
        """A generated roster of n cards (made once, reused by every row)."""
        if n not in self.rosters:
            start = time.perf_counter()
            root = self.tmp / f"roster-{n}"
            generate(root, n)
            self.rosters[n] = root
            say(f"  generated {n:,} cards in {time.perf_counter() - start:.1f} s")
        return self.rosters[n]

    def env(self) -> dict[str, str]:
        """The environment of one agentroster run: an empty cache directory of its own."""
        cache = tempfile.mkdtemp(prefix="cache-", dir=self.tmp)
        return {**os.environ, "AGENTROSTER_CACHE_DIR": cache, "XDG_CACHE_HOME": cache}


def say(text: str) -> None:
    print(text, flush=True)


# -- running things ----------------------------------------------------------------------------


def run(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> tuple[float, str]:
    """(wall seconds, stdout) of one process; a failure to run is an error, findings are not."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise RuntimeError(
            f"{shlex.join(cmd)} exited with {proc.returncode}: {proc.stderr.strip()[-500:]}"
        )
    return seconds, proc.stdout


def lint_cmd(root: Path, jobs: int = 0, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "agentroster",
        "lint",
        "--today",
        TODAY,
        "-j",
        str(jobs),
        *extra,
        str(root),
    ]


def lint(bench: Bench, root: Path, jobs: int = 0) -> float:
    """Seconds of one cold `agentroster lint`; the generated rosters must lint clean."""
    start = time.perf_counter()
    proc = subprocess.run(
        lint_cmd(root, jobs), cwd=root, env=bench.env(), capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        out = (proc.stdout + proc.stderr).strip()[-800:]
        raise RuntimeError(f"agentroster lint {root} exited with {proc.returncode}: {out}")
    return seconds


def reference_time(bench: Bench, script: str, *args: Path) -> float:
    """The time a reference script prints for itself (its first number)."""
    if bench.reference is None:
        raise NotMeasured(bench.reference_problem)
    path = bench.reference / script
    if not path.is_file():
        raise NotMeasured(f"no {script} in {bench.reference}")
    proc = subprocess.run(
        [sys.executable, str(path), *map(str, args)], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"]
        why = next((x for x in reversed(lines) if "Error" in x), lines[-1]).strip()
        raise NotMeasured(f"{script} failed: {why}")
    return float(proc.stdout.split()[0])


def floor_root(bench: Bench, root: Path) -> tuple[Path, str]:
    """The roster floor.py parses: `root` itself when it can; else a copy holding each card as
    the loader hands it to the C parser, with the colon stand-in in place of the colons the
    C parser rejects (`{to: human:queue}`; README, "How it reads YAML"). Same work, same size."""
    try:
        reference_time(bench, "floor.py", root)
        return root, ""
    except NotMeasured as exc:
        first = str(exc)
    try:
        from agentroster.loader import _COLON_STAND_IN as stand_in
        from agentroster.loader import _INNER_COLON_RE as inner_colon
    except ImportError:  # the loader changed: the stand-in as it was written on 2026-11-30
        stand_in, inner_colon = "\ue000", re.compile(r":(?=[^\s,\[\]{}])")
    copy = bench.tmp / f"{root.name}-floor"
    if not copy.exists():
        for card in root.rglob("*.agent.yaml"):
            target = copy / card.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            text = card.read_text(encoding="utf-8")
            target.write_text(inner_colon.sub(stand_in, text), encoding="utf-8")
    try:
        reference_time(bench, "floor.py", copy)
    except NotMeasured as exc:
        raise NotMeasured(f"{first}; also on the cards with the colon stand-in: {exc}") from None
    return copy, (
        f"floor.py stops on the cards as written ({first.removeprefix('floor.py failed: ')}), "
        "so it parses them as the loader hands them to the C parser, with the colon stand-in"
    )


def median(values: list[float]) -> float:
    return statistics.median(values)


def ratio_row(name: str, ours: float, theirs: float, what: str, limit: float) -> Row:
    ratio = ours / theirs
    return Row(
        name,
        f"{ours:.2f} s vs {what} {theirs:.2f} s",
        ratio,
        f"<= {limit:g} x",
        ratio <= limit,
    )


def guarded(label: str, body: Callable[[], list[Row]], names: list[tuple[str, str]]) -> list[Row]:
    """The rows `body` measures; when it cannot, one "not measured" row per name, with why."""
    say(f"{label} ...")
    try:
        return body()
    except NotMeasured as exc:
        reason = str(exc)
    except Exception as exc:  # a broken row must not lose the others
        traceback.print_exc()
        reason = f"{type(exc).__name__}: {exc}"
    say(f"  not measured: {reason}")
    return [Row(name, "not measured", None, target, None, reason) for name, target in names]


# -- the rows ----------------------------------------------------------------------------------


def cold_rows(bench: Bench) -> list[Row]:
    """Cold lint of N cards against the parse floor and the fast-check script, and -j 1, -j 2
    and all cores, all alternately in each round."""
    n, rounds = bench.args.n, bench.args.rounds
    root = bench.roster(n)
    jobs = sorted({1, 2, bench.cores})
    times: dict[str, list[float]] = {"all": [], "floor": [], "fast": []}
    times.update({f"j{j}": [] for j in jobs})
    problems: dict[str, str] = {}
    notes = {"floor": ""}
    try:
        floor_at, notes["floor"] = floor_root(bench, root)
    except NotMeasured as exc:
        floor_at, problems["floor"] = root, str(exc)
    for r in range(rounds):
        times["all"].append(lint(bench, root, 0))
        for key, script, args in (
            ("floor", "floor.py", (floor_at,)),
            ("fast", "fastcheck.py", (SCHEMA, root)),
        ):
            if key in problems:
                continue
            try:
                times[key].append(reference_time(bench, script, *args))
            except NotMeasured as exc:
                problems[key] = str(exc)
        for j in jobs:
            if j == bench.cores:  # -j 0 is one process per available core: the run above
                continue
            times[f"j{j}"].append(lint(bench, root, j))
        say(
            f"  round {r + 1}/{rounds}: "
            + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items() if len(v) == r + 1)
        )
    times[f"j{bench.cores}"] = times["all"]
    ours = median(times["all"])
    label = f"{n:,} cards"
    rows = []
    for key, name, what, limit in (
        ("floor", f"cold lint, {label}, vs the parse floor", "floor.py (one core)", 1.2),
        ("fast", f"cold lint, {label}, vs PyYAML C + jsonschema-rs", "fastcheck.py", 0.5),
    ):
        if key in problems:
            rows.append(Row(name, "not measured", None, f"<= {limit:g} x", None, problems[key]))
        else:
            rows.append(ratio_row(name, ours, median(times[key]), what, limit))
            rows[-1].note = notes.get(key, "")
    one = median(times["j1"])
    for j in jobs:
        t = median(times[f"j{j}"])
        name = f"lint {label}, -j {j}" + (" (all cores)" if j == bench.cores else "")
        if j == 1:
            rows.append(Row(name, f"{t:.2f} s", None, "", None, "the base of the speed-ups"))
            continue
        speedup = one / t
        rows.append(
            Row(
                name,
                f"{t:.2f} s, speed-up {speedup:.2f} over -j 1",
                speedup / j,
                ">= 0.8 of linear",
                speedup / j >= 0.8,
                f"{speedup:.2f} x on {j} processes",
            )
        )
    if bench.cores == 1:
        rows.append(
            Row(
                f"lint {label}, -j 2",
                "not measured",
                None,
                ">= 0.8 of linear",
                None,
                "one core available",
            )
        )
    return rows


def cache_supported() -> bool:
    proc = subprocess.run(
        [sys.executable, "-m", "agentroster", "lint", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    return "--no-cache" in proc.stdout


def warm_rows(bench: Bench) -> list[Row]:
    """A re-lint after one card of N changed, against the cold lint that filled the cache;
    each round on a fresh cache directory, on a copy of the roster (one card is edited)."""
    if not cache_supported():
        raise NotMeasured("agentroster has no cache yet (`lint --no-cache` is not an option)")
    n, rounds = bench.args.n, bench.args.rounds
    root = bench.tmp / f"warm-{n}"
    shutil.copytree(bench.roster(n), root)
    cards = sorted(root.rglob("*.agent.yaml"))
    cold, warm = [], []
    same = True
    for r in range(rounds):
        env = bench.env()
        seconds, first = run(lint_cmd(root), cwd=root, env=env)
        cold.append(seconds)
        card = cards[(r * 7919) % len(cards)]
        with card.open("a", encoding="utf-8") as fh:  # new bytes, same meaning: still clean
            fh.write(f"# edited by bench_all, round {r + 1}\n")
        seconds, second = run(lint_cmd(root), cwd=root, env=env)
        warm.append(seconds)
        same = same and first == second
        say(f"  round {r + 1}/{rounds}: cold {cold[-1]:.2f} s, warm {warm[-1]:.2f} s")
    row = ratio_row(
        f"warm re-lint, one of {n:,} cards changed", median(warm), median(cold), "cold", 0.2
    )
    row.figures = f"warm {median(warm):.2f} s vs cold {median(cold):.2f} s"
    row.note = "reports identical" if same else "REPORTS DIFFER between cold and warm"
    return [row]


def startup_rows(bench: Bench) -> list[Row]:
    """The whole process on the 7-card example roster, against check-jsonschema on its cards,
    measured by bench_startup.measure: check-jsonschema in a virtual environment of its own
    (as pre-commit installs it; in the test extras' environment it imports far more) and
    agentroster's modules byte-compiled first (as pip does on install; PYTHONDONTWRITEBYTECODE
    or an editable install would otherwise recompile them every run)."""
    if not _importable("check_jsonschema"):
        raise NotMeasured('check-jsonschema is not installed (pip install -e ".[test]")')
    from bench_startup import measure

    figures = measure(bench.args.startup_rounds)
    ours, theirs = figures["lint_s"], figures["check-jsonschema_s"]
    cards = len(list(EXAMPLES.rglob("*.agent.yaml")))
    row = ratio_row(
        f"start-up: lint examples/roster ({cards} cards)", ours, theirs, "check-jsonschema", 0.5
    )
    row.figures = (
        f"{ours:.3f} s vs check-jsonschema {theirs:.3f} s (CPU {figures['cpu_ratio']:.3f} x)"
    )
    info = Row(
        "start-up: agentroster --version",
        f"{figures['version_s']:.3f} s (python -c pass: {figures['python_s']:.3f} s)",
        None,
        "",
        None,
        "information: the interpreter and the command line alone",
    )
    return [row, info]


def _importable(module: str) -> bool:
    code = f"import importlib.util, sys; sys.exit(importlib.util.find_spec({module!r}) is None)"
    return subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def memory_rows(bench: Bench) -> list[Row]:
    """Peak RSS of a lint of N cards: the main process of a run on all cores (it holds the
    roster) and a serial run (one process does everything); the larger counts."""
    n = bench.args.n
    root = bench.roster(n)
    every = peak_rss_mb(lint_cmd(root, 0), root, bench.env())
    serial = peak_rss_mb(lint_cmd(root, 1), root, bench.env())
    peak = max(every, serial)
    return [
        Row(
            f"peak RSS, lint of {n:,} cards",
            f"{every} {MIB} (all cores), {serial} {MIB} (-j 1)",
            peak,
            f"<= 400 {MIB}",
            peak <= 400,
        )
    ]


def scale_rows(bench: Bench) -> list[Row]:
    """BIG cards against N cards, alternately; then the peak RSS of BIG."""
    if bench.args.skip_100k:
        raise NotMeasured("--skip-100k")
    n, big, rounds = bench.args.n, bench.args.big, bench.args.big_rounds
    small_root, big_root = bench.roster(n), bench.roster(big)
    small, large, peaks = [], [], []
    for r in range(rounds):
        small.append(lint(bench, small_root))
        # through the memory probe: its start-up (some 30 ms) counts against BIG, not for it
        start = time.perf_counter()
        peaks.append(peak_rss_mb(lint_cmd(big_root, 0), big_root, bench.env()))
        large.append(time.perf_counter() - start)
        say(
            f"  round {r + 1}/{rounds}: {n:,} {small[-1]:.2f} s, {big:,} {large[-1]:.2f} s "
            f"(peak {peaks[-1]} {MIB})"
        )
    limit = 1.2 * big / n  # linear, with 20 % to spare: 12 x for 10 x the cards
    row = ratio_row(
        f"lint of {big:,} cards vs {n:,}", median(large), median(small), f"{n:,} cards", limit
    )
    every = max(peaks)
    serial = None
    if bench.args.serial_big:
        serial = peak_rss_mb(lint_cmd(big_root, 1), big_root, bench.env())
    peak = max(every, serial or 0)
    figures = f"{every} {MIB} (all cores)" + (f", {serial} {MIB} (-j 1)" if serial else "")
    return [
        row,
        Row(f"peak RSS, lint of {big:,} cards", figures, peak, f"<= 2048 {MIB}", peak <= 2048),
    ]


def build_rows(bench: Bench) -> list[Row]:
    """Peak RSS and time of `agentroster build` of BUILD_N cards into a fresh directory."""
    if bench.args.skip_build:
        raise NotMeasured("--skip-build")
    n = bench.args.build_n
    root = bench.roster(n)
    out = bench.tmp / f"build-{n}"
    cmd = [sys.executable, "-m", "agentroster", "build", "--out", str(out), str(root)]
    start = time.perf_counter()
    peak = peak_rss_mb(cmd, root, bench.env())
    seconds = time.perf_counter() - start
    if not (out / ".agentroster-build").is_file():
        raise RuntimeError(f"the build of {n:,} cards wrote nothing to {out}")
    files = sum(1 for p in out.rglob("*") if p.is_file())
    shutil.rmtree(out)
    return [
        Row(
            f"peak RSS, build of {n:,} cards",
            f"{peak} {MIB}, {seconds:.1f} s, {files:,} files",
            peak,
            f"<= 1024 {MIB}",
            peak <= 1024,
        )
    ]


# -- the report --------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    return {
        "cores": f"{len(os.sched_getaffinity(0))} available ({os.cpu_count()} in the machine)",
        "memory": memory,
        "cpu": cpu,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "system": platform.platform(),
    }


def git_commit() -> str:
    def git(*args: str) -> str:
        proc = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
        return proc.stdout.strip() if proc.returncode == 0 else ""

    commit = git("rev-parse", "HEAD") or "unknown"
    code = ("src", "benchmarks/*.py", "pyproject.toml")
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", *code)
    return commit + (" (with uncommitted changes to the code measured)" if dirty else "")


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def text_table(rows: list[Row]) -> list[str]:
    width = max(len(r.name) for r in rows)
    lines = []
    for r in rows:
        value = (
            f"{r.value:.3f}"
            if r.value is not None and r.value < 100
            else (f"{r.value:.0f}" if r.value is not None else "-")
        )
        line = f"  {r.name:<{width}}  {r.figures:<48} {value:>8}  {r.target:<18} {r.verdict}"
        lines.append(line.rstrip())
        if r.note:
            lines.append(f"  {'':<{width}}  ({r.note})")
    return lines


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown(rows: list[Row], info: dict[str, str]) -> str:
    out = [
        "# Benchmark results",
        "",
        "Written by `benchmarks/bench_all.py`; how to read it: benchmarks/README.md.",
        "",
        *(f"- {key}: {cell(value)}" for key, value in info.items()),
        "",
        "| measurement | figures | value | target | result |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        value = "" if r.value is None else (f"{r.value:.3f}" if r.value < 100 else f"{r.value:.0f}")
        figures = r.figures + (f" ({r.note})" if r.note else "")
        out.append(
            f"| {cell(r.name)} | {cell(figures)} | {value} | {cell(r.target)} | {r.verdict} |"
        )
    met = sum(1 for r in rows if r.verdict == "met")
    targets = sum(1 for r in rows if r.target)
    missing = sum(1 for r in rows if r.verdict == "not measured")
    out += ["", f"{met} of {targets} targets met; {missing} not measured.", ""]
    return "\n".join(out)


def _byte_compile() -> None:
    """Byte-compile agentroster's modules first, as pip does on install: an editable install
    under PYTHONDONTWRITEBYTECODE (or with a module edited since its last compile) would
    otherwise compile them again in every timed run, which no installed copy does."""
    import compileall

    import agentroster

    compileall.compile_dir(Path(agentroster.__file__).parent, quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10_000, help="cards of the main roster")
    parser.add_argument("--big", type=int, default=100_000, help="cards of the scaling roster")
    parser.add_argument("--build-n", type=int, default=50_000, help="cards to build")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--big-rounds", type=int, default=None, help="default: --rounds")
    parser.add_argument("--startup-rounds", type=int, default=10)
    parser.add_argument("--skip-100k", action="store_true", help="no scaling rows")
    parser.add_argument("--skip-build", action="store_true", help="no build row")
    parser.add_argument("--serial-big", action="store_true", help="also -j 1 peak RSS of BIG")
    parser.add_argument(
        "--reference",
        type=Path,
        default=REPO.parent / "shared" / "bench",
        help="directory of floor.py and fastcheck.py (default: %(default)s)",
    )
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--no-results", action="store_true", help="write no RESULTS.md")
    parser.add_argument(
        "--tmp",
        type=Path,
        default=None,
        help="where to make the scratch directory, removed at the end (e.g. /dev/shm, so that a "
        "slow or busy disk does not count); default: the system's temporary directory",
    )
    args = parser.parse_args(argv)
    args.big_rounds = args.big_rounds or args.rounds
    command = shlex.join(["python", "benchmarks/bench_all.py", *(argv or sys.argv[1:])])
    started = dt.datetime.now(dt.timezone.utc)
    load_before = load()
    _byte_compile()
    with _scratch(args.tmp) as tmp:
        bench = Bench(args, tmp, len(os.sched_getaffinity(0)))
        reference = args.reference.resolve()
        if reference.is_dir():
            bench.reference = reference
        else:
            bench.reference_problem = (
                f"no reference scripts: {reference} is not a directory (give --reference DIR "
                "holding floor.py and fastcheck.py)"
            )
            say(f"note: {bench.reference_problem}")
        say(f"cores: {bench.cores}, rounds: {args.rounds}, load average: {load_before}")
        n = f"{args.n:,}"
        rows = [
            *guarded(
                "cold lint, references and -j",
                lambda: cold_rows(bench),
                [
                    (f"cold lint, {n} cards, vs the parse floor", "<= 1.2 x"),
                    (f"cold lint, {n} cards, vs PyYAML C + jsonschema-rs", "<= 0.5 x"),
                    (f"lint {n} cards, -j 1, 2, all cores", ">= 0.8 of linear"),
                ],
            ),
            *guarded(
                "warm re-lint",
                lambda: warm_rows(bench),
                [(f"warm re-lint, one of {n} cards changed", "<= 0.2 x")],
            ),
            *guarded(
                "start-up",
                lambda: startup_rows(bench),
                [("start-up: lint examples/roster", "<= 0.5 x")],
            ),
            *guarded(
                "peak RSS",
                lambda: memory_rows(bench),
                [(f"peak RSS, lint of {n} cards", f"<= 400 {MIB}")],
            ),
            *guarded(
                "scale",
                lambda: scale_rows(bench),
                [
                    (f"lint of {args.big:,} cards vs {n}", f"<= {1.2 * args.big / args.n:g} x"),
                    (f"peak RSS, lint of {args.big:,} cards", f"<= 2048 {MIB}"),
                ],
            ),
            *guarded(
                "build",
                lambda: build_rows(bench),
                [(f"peak RSS, build of {args.build_n:,} cards", f"<= 1024 {MIB}")],
            ),
        ]
    finished = dt.datetime.now(dt.timezone.utc)
    info = {
        "date": f"{started:%Y-%m-%d %H:%M} to {finished:%H:%M} UTC",
        "command": f"`{command}`",
        "commit": git_commit(),
        **machine(),
        "load average (1, 5, 15 min)": f"{load_before} at the start, {load()} at the end",
        "reference scripts": str(bench.reference or bench.reference_problem),
    }
    say("")
    say("results:")
    for line in text_table(rows):
        say(line)
    met = sum(1 for r in rows if r.verdict == "met")
    say(f"{met} of {sum(1 for r in rows if r.target)} targets met")
    if not args.no_results:
        args.results.write_text(markdown(rows, info), encoding="utf-8")
        say(f"wrote {args.results}")
    return 0


@contextlib.contextmanager
def _scratch(given: Path | None) -> Iterator[Path]:
    """A scratch directory (inside `given`, if any), removed at the end."""
    with tempfile.TemporaryDirectory(prefix="bench-all-", dir=given) as tmp:
        yield Path(tmp).resolve()


if __name__ == "__main__":
    sys.exit(main())
