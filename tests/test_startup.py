"""Start-up import budget: `agentroster --version` and a lint of a small roster import only
what they use.

Each case runs agentroster in a fresh interpreter under `python -X importtime` and reads the
names of the modules it imported. Budgets are by name, not by time (times on a shared machine
are noise; benchmarks/bench_startup.py measures them): no third-party package beyond the ones
the command needs, none of agentroster's modules that serve other commands or other formats,
and no standard-library module that only a feature the run does not use needs.

When a change makes one of these fail, import the module inside the function that needs it
(see the docstring of agentroster.cli), or, if the command really needs it now, widen the
budget here and say why in the commit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CLEAN_CARD, EXAMPLES, TODAY

# Third-party distributions a lint runs on: click parses the command line, pydantic validates
# (with its own dependencies), ruamel.yaml parses. `--version` needs click alone.
LINT_PACKAGES = {
    "click",
    "pydantic",
    "pydantic_core",
    "annotated_types",
    "typing_extensions",
    "typing_inspection",
    "ruamel",
    "_ruamel_yaml",  # ruamel.yaml.clib, the older C parser, where installed
    "_ruamel_yaml_clibz",
    "tomli",  # tomllib on Python 3.10
}
VERSION_PACKAGES = {"click"}

# agentroster's modules that serve other commands, or formats a text lint does not print
OTHER_COMMANDS = (
    "agentroster.build",
    "agentroster.emit",
    "agentroster.export",
    "agentroster.init",
    "agentroster.skeleton",
    "agentroster.review",
    "agentroster.report.diff",
    "agentroster.report.json_report",
    "agentroster.report.sarif",
    "agentroster.report.github",
    "agentroster.report.gitlab",
)
# standard-library modules only some runs need: a worker pool (400 cards or more), git
# (--base), and what no command of agentroster needs (hashlib is not here: pydantic.types
# imports it, through secrets)
STDLIB_UNUSED = (
    "multiprocessing",
    "concurrent",
    "subprocess",
    "asyncio",
    "sqlite3",
    "ssl",
    "http",
    "urllib.request",
    "xml",
    "unittest",
    "doctest",
    "pdb",
)
# Ceilings on the number of modules imported after the interpreter's own start-up, about 15 %
# above the counts of today (lint: 295 with pydantic 2.14; --version: 77): a coarse net for a
# dependency pulled in whole, below the names above.
MAX_MODULES = {"version": 90, "lint": 340}


def imported_modules(args: list[str], *, cwd: Path) -> tuple[list[str], int]:
    """The modules `python -X importtime -m agentroster ARGS` imports after the interpreter's
    start-up (`site` and what it loads: .pth hooks, sitecustomize), in order; and the exit
    code."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("COV_CORE_", "COVERAGE_"))
    }  # a coverage tracer started in the child would count as an import of the command's
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "agentroster", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    names = [
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "[us]" not in line
    ]
    assert "site" in names, done.stderr[-2000:]
    return names[names.index("site") + 1 :], done.returncode


def top_packages(names: list[str]) -> set[str]:
    """Top-level packages that are neither the standard library nor agentroster."""
    tops = {name.split(".")[0] for name in names}
    return {
        t
        for t in tops
        if t not in sys.stdlib_module_names
        and t != "agentroster"
        and t != "org"  # copy.py's probe for Jython's org.python.core, which fails
        and not t.startswith("_sysconfigdata_")  # sysconfig's data for this platform
    }


def under(names: list[str], prefixes: tuple[str, ...]) -> list[str]:
    return [n for n in names if any(n == p or n.startswith(p + ".") for p in prefixes)]


def test_version_imports_click_and_the_cli_alone(tmp_path):
    names, code = imported_modules(["--version"], cwd=tmp_path)
    assert code == 0
    assert top_packages(names) <= VERSION_PACKAGES
    # (`-m` runs agentroster.__main__ as a script: not an import)
    assert [n for n in names if n.startswith("agentroster")] == ["agentroster", "agentroster.cli"]
    assert len(names) <= MAX_MODULES["version"], names


def _tiny(tmp_path: Path) -> Path:
    (tmp_path / "notes-helper.agent.yaml").write_text(CLEAN_CARD, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "make_roster",
    [_tiny, lambda tmp_path: EXAMPLES / "roster"],
    ids=["one card, no config", "the example roster"],
)
def test_a_text_lint_imports_only_what_it_uses(tmp_path, make_roster):
    roster = make_roster(tmp_path)
    names, code = imported_modules(["lint", "--today", TODAY.isoformat(), str(roster)], cwd=roster)
    assert code in (0, 1)  # findings or none: what is measured is the start-up
    assert "agentroster.pipeline" in names  # it did lint
    assert top_packages(names) <= LINT_PACKAGES
    assert under(names, OTHER_COMMANDS) == []
    assert under(names, STDLIB_UNUSED) == []
    # networkx: only when the handoff graph has a closed cycle (graph.py); pathspec: only
    # for `exclude` and `per-path-ignores` patterns, which neither roster sets
    assert len(names) <= MAX_MODULES["lint"], names


def test_the_budget_sees_a_forbidden_import(tmp_path):
    """The check above can fail: a lint asked for SARIF imports the SARIF reporter."""
    roster = _tiny(tmp_path)
    args = ["lint", "--today", TODAY.isoformat(), "--format", "sarif", str(roster)]
    names, _ = imported_modules(args, cwd=roster)
    assert under(names, OTHER_COMMANDS) == ["agentroster.report.sarif"]
    assert under(names, STDLIB_UNUSED) == []
