"""Start-up: the whole `agentroster lint` of the example roster against `check-jsonschema`.

    python benchmarks/bench_startup.py [--rounds 21] [--cjs-python PATH] [--src DIR]

Runs, alternately and `--rounds` times each, as separate processes from the repository root:

- `agentroster lint --today 2026-11-21 examples/roster` (nine cards: most of its time is
  start-up, importing Python modules),
- `check-jsonschema --schemafile schemas/agent-card.v1.schema.json` on the same card files,
- `agentroster --version`, and `python -c pass` (the interpreter alone, for scale),
- with `--src DIR` (another checkout's `src`), that checkout's lint and `--version` too, for a
  before/after comparison in one run.

Prints the medians of wall time and of CPU time (user + system; it moves less than wall time
on a busy machine) and the ratio lint / check-jsonschema (issue 19's target: ≤ 0.5, wall).
`measure(rounds)` returns the same figures as a dict, for a script that gathers every
benchmark's results.

Two things make the comparison fair, as a user would see it:

- check-jsonschema runs from a virtual environment of its own, as pre-commit installs it
  (made once, by pip, in the temporary directory; `--cjs-python` names another interpreter).
  In this project's test environment it would be four times slower: cyclonedx's extra brings
  `rfc3987-syntax`, which makes jsonschema compile 39 Lark grammars at import.
- agentroster's modules are byte-compiled first (`compileall`), as pip does on install: with
  PYTHONDONTWRITEBYTECODE set and an editable install, every run would compile them again.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ROSTER = REPO / "examples" / "roster"
SCHEMA = REPO / "schemas" / "agent-card.v1.schema.json"
TODAY = "2026-11-21"  # the day the example roster lints clean on (tests/conftest.py)
TARGET = 0.5


def cjs_python() -> str:
    """An interpreter with check-jsonschema (the version installed here) and only its own
    dependencies: a virtual environment made once in the temporary directory."""
    version = metadata.version("check-jsonschema")
    venv = Path(tempfile.gettempdir()) / f"agentroster-bench-cjs-{version}"
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"making {venv} (pip install check-jsonschema=={version}) ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", f"check-jsonschema=={version}"],
            check=True,
        )
    return str(python)


def commands(cjs: str | None = None, src: Path | None = None) -> dict[str, list[str]]:
    """The commands compared, by name: each one whole process, started the same way."""
    cards = sorted(str(p.relative_to(REPO)) for p in ROSTER.rglob("*.agent.yaml"))
    python = sys.executable
    lint = [python, "-m", "agentroster", "lint", "--today", TODAY, "examples/roster"]
    version = [python, "-m", "agentroster", "--version"]
    schema = str(SCHEMA.relative_to(REPO))
    check = [cjs or cjs_python(), "-m", "check_jsonschema", "--schemafile", schema, *cards]
    cmds = {"lint": lint, "check-jsonschema": check, "version": version}
    if src is not None:  # the same commands on another checkout's source
        other = [python, "-c", _FROM.format(src=str(src))]
        cmds |= {"lint-src": [*other, *lint[3:]], "version-src": [*other, *version[3:]]}
    cmds["python"] = [python, "-c", "pass"]
    return cmds


# `python -m agentroster ARGS` with another checkout's source first on the path
_FROM = "import sys, runpy; sys.path.insert(0, {src!r}); sys.argv[0] = 'agentroster'; "
_FROM += "runpy.run_module('agentroster', run_name='__main__', alter_sys=True)"


def _run(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one process, which must exit 0."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(
    rounds: int = 21, *, cjs: str | None = None, src: Path | None = None
) -> dict[str, float]:
    """Median wall and CPU seconds of each command over `rounds` alternating rounds (after
    one untimed warm-up round that fills the file cache), and the ratios lint /
    check-jsonschema. Keys: `<command>_s`, `<command>_cpu_s`, `ratio`, `cpu_ratio`."""
    import agentroster

    compileall.compile_dir(Path(agentroster.__file__).parent, quiet=1)
    if src is not None:
        compileall.compile_dir(src / "agentroster", quiet=1)
    cmds = commands(cjs, src)
    for cmd in cmds.values():
        _run(cmd)
    walls: dict[str, list[float]] = {name: [] for name in cmds}
    cpus: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(rounds):
        for name, cmd in cmds.items():
            wall, cpu = _run(cmd)
            walls[name].append(wall)
            cpus[name].append(cpu)
    result = {f"{name}_s": statistics.median(values) for name, values in walls.items()}
    result |= {f"{name}_cpu_s": statistics.median(values) for name, values in cpus.items()}
    result["ratio"] = result["lint_s"] / result["check-jsonschema_s"]
    result["cpu_ratio"] = result["lint_cpu_s"] / result["check-jsonschema_cpu_s"]
    if src is not None:
        result["src_ratio"] = result["lint-src_s"] / result["check-jsonschema_s"]
        result["src_cpu_ratio"] = result["lint-src_cpu_s"] / result["check-jsonschema_cpu_s"]
    return result


LABELS = {
    "lint": "agentroster lint",
    "check-jsonschema": "check-jsonschema",
    "version": "agentroster --version",
    "lint-src": "lint, --src",
    "version-src": "--version, --src",
    "python": "python -c pass",
}


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument(
        "--cjs-python", default=None, help="an interpreter with check-jsonschema installed"
    )
    parser.add_argument(
        "--src", type=Path, default=None, help="another checkout's src directory, run alongside"
    )
    args = parser.parse_args(argv)
    result = measure(args.rounds, cjs=args.cjs_python, src=args.src)
    cards = len(list(ROSTER.rglob("*.agent.yaml")))
    print(
        f"rounds: {args.rounds}, alternating, cores: {len(os.sched_getaffinity(0))}; "
        f"medians of whole processes ({cards} cards)"
    )
    print(f"  {'':24}{'wall':>9}{'cpu':>9}")
    for name, label in LABELS.items():
        if f"{name}_s" not in result:
            continue
        wall, cpu = 1000 * result[f"{name}_s"], 1000 * result[f"{name}_cpu_s"]
        print(f"  {label:24}{wall:6.1f} ms{cpu:6.1f} ms")
    verdict = "met" if result["ratio"] <= TARGET else "NOT met"
    print(
        f"  ratio lint / check-jsonschema: wall {result['ratio']:.3f}, cpu "
        f"{result['cpu_ratio']:.3f} (target wall <= {TARGET}: {verdict})"
    )
    if "src_ratio" in result:
        print(
            f"  with --src {args.src}: wall {result['src_ratio']:.3f}, cpu "
            f"{result['src_cpu_ratio']:.3f}"
        )
    return result


if __name__ == "__main__":
    main()
