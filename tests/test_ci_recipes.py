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


def _load(name):
    return YAML(typ="safe", pure=True).load((RECIPES / name).read_text())


def test_the_github_change_review_fetches_the_base_and_posts_the_report():
    doc = _load("github-change-review.yml")
    assert doc["on"] == "pull_request"
    assert doc["permissions"]["pull-requests"] == "write"
    steps = doc["jobs"]["change-review"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@") and steps[0]["with"]["fetch-depth"] == 0
    runs = [step["run"] for step in steps if "run" in step]
    base = '"origin/${{ github.base_ref }}"'
    assert any(r.startswith(f"agentroster diff {base} --format markdown") for r in runs)
    assert any(r.endswith('>> "$GITHUB_STEP_SUMMARY"') for r in runs)
    assert any(r.startswith("gh pr comment") and "--body-file change-review.md" in r for r in runs)
    gate = f"agentroster lint --base {base} --new-only --format github"
    assert runs[-1] == gate  # the step that fails the job
    comment = next(s for s in steps if s.get("run", "").startswith("gh pr comment"))
    assert comment["env"] == {"GH_TOKEN": "${{ github.token }}"}


def test_the_gitlab_change_review_compares_with_the_merge_request_base():
    job = _load("gitlab-change-review.yml")["agent-change-review"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert job["variables"]["GIT_DEPTH"] == 0
    base = '"$CI_MERGE_REQUEST_DIFF_BASE_SHA"'
    assert job["script"][1].startswith(f"agentroster diff {base} --format markdown")
    assert job["script"][2].startswith(f"agentroster lint --base {base} --new-only --format gitlab")
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert job["artifacts"]["when"] == "always"


def test_the_pre_commit_change_review_runs_before_a_push():
    (repo,) = _load("pre-commit-change-review.yaml")["repos"]
    lint, review = repo["hooks"]
    assert lint == {"id": "agentroster"}
    assert review["id"] == "agentroster" and review["stages"] == ["pre-push"]
    assert review["args"] == ["--base", "origin/main", "--new-only"]
    hooks = YAML(typ="safe", pure=True).load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert next(h for h in hooks if h["id"] == "agentroster")["entry"] == "agentroster lint"


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
