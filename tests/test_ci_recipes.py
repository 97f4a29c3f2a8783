"""The CI recipes in docs/ci/ parse, are shown verbatim in docs/ci.md, and the shell one runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import EXAMPLES, REPO

RECIPES = REPO / "docs" / "ci"


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_yaml_recipes_parse_and_run_agentroster(name):
    doc = YAML(typ="safe", pure=True).load((RECIPES / name).read_text())
    commands = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("run", "script"):
                    commands.extend(value if isinstance(value, list) else [value])
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)
    assert any(c.startswith("agentroster lint") for c in commands)
    assert any(c.startswith("agentroster build") for c in commands)


def test_recipes_are_shown_verbatim_in_the_docs():
    page = (REPO / "docs" / "ci.md").read_text()
    for recipe in RECIPES.iterdir():
        assert recipe.read_text() in page, f"docs/ci.md does not show {recipe.name} as it is"


def test_the_shell_recipe_runs_on_a_clean_roster(tmp_path):
    roster = tmp_path / "roster"
    shutil.copytree(EXAMPLES / "roster", roster)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    build = ["agentroster", "build", "--today", "2026-11-21"]
    subprocess.run(build, cwd=roster, env=env, check=True, capture_output=True)
    # the recipe uses today's date; pin it for the example roster's review dates
    script = (
        (RECIPES / "agentroster-ci.sh").read_text().replace("agentroster ", "agentroster_pinned ")
    )
    wrapper = (
        'agentroster_pinned() { sub=$1; shift; agentroster "$sub" --today 2026-11-21 "$@"; }\n'
    )
    result = subprocess.run(
        ["bash", "-c", wrapper + script], cwd=roster, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (roster / "agentroster-report.json").is_file()
    assert "is up to date" in result.stdout
