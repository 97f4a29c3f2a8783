from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from agentroster.cli import main
from agentroster.report.github import escape_data, escape_property
from tests.conftest import EXAMPLES
from tests.report.golden import GOLDEN, SUFFIX, broken_report, rendered


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_golden(fmt):
    golden = (GOLDEN / f"broken.{SUFFIX[fmt]}").read_text(encoding="utf-8")
    assert rendered()[fmt] == golden, "run `python -m tests.report.golden` and review the diff"


def test_broken_shows_every_family():
    families = {f.code[0] for f in broken_report().findings}
    assert {"C", "B", "T", "P", "A", "L", "X", "W"} <= families


def test_github_escaping():
    assert escape_data("50% done\nnext\r") == "50%25 done%0Anext%0D"
    assert escape_property("a:b,c") == "a%3Ab%2Cc"


def test_github_format_annotations_then_text():
    out = rendered()["github"].splitlines()
    assert out[0].startswith("::error file=examples/broken/autonomy/account-cleaner.agent.yaml,")
    assert any(line.startswith("::error ") for line in out)
    assert out[-1].startswith("Found ")


def test_color_only_when_asked(monkeypatch):
    args = ["lint", "--today", "2026-11-21", str(EXAMPLES / "broken" / "tier")]
    plain = CliRunner().invoke(main, args).output
    assert "\x1b[" not in plain  # not a terminal
    colored = CliRunner().invoke(main, [*args, "--color", "always"]).output
    assert "\x1b[33mwarning\x1b[0m \x1b[1mT003" in colored
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in CliRunner().invoke(main, [*args, "--color", "auto"]).output


def test_sarif_output_file_keeps_stdout_empty(tmp_path):
    out = tmp_path / "report.sarif"
    args = ["lint", "--format", "sarif", "-o", str(out), str(EXAMPLES / "broken")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and result.output == ""
    assert json.loads(out.read_text())["version"] == "2.1.0"


def test_repo_paths_are_posix(monkeypatch):
    monkeypatch.chdir(EXAMPLES.parent)
    result = CliRunner().invoke(main, ["lint", "--format", "json", "examples/broken"])
    assert all("\\" not in f["path"] for f in json.loads(result.output)["findings"])
