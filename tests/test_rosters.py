"""Rosters are found, not assumed: monorepos with several rosters, cards outside any roster."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from agentroster.cli import main
from agentroster.rosters import Target, default_root, nested_rosters, plan
from tests.conftest import CLEAN_CARD

TODAY = ["--today", "2026-11-21"]


def card(agent_id: str, **edits: str) -> str:
    text = CLEAN_CARD.replace("id: notes-helper", f"id: {agent_id}")
    for old, new in edits.items():
        text = text.replace(old, new)
    return text


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def lint_json(*args: str, cwd: Path) -> tuple[int, dict]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, ["lint", "--format", "json", *TODAY, *args])
    finally:
        os.chdir(old)
    return result.exit_code, json.loads(result.stdout) if result.stdout.startswith("{") else {}


def monorepo(tmp_path: Path) -> Path:
    """Two team rosters, each with its own config and queues; equal ids in both."""
    (tmp_path / ".git").mkdir()
    for team in ("a", "b"):
        root = tmp_path / "teams" / team
        write(root / "agentroster.toml", "")
        write(
            root / "agentroster.queues.yaml",
            "queues:\n  - {id: workplace-it, owner: {name: Dana Whitfield, "
            "email: dana.whitfield@example.com}}\n",
        )
        write(root / "notes-helper.agent.yaml", card("notes-helper"))
    return tmp_path


def test_each_roster_is_linted_with_its_own_config_and_ids_are_unique_per_roster(tmp_path):
    repo = monorepo(tmp_path)
    code, doc = lint_json(cwd=repo)
    assert code == 0, doc
    assert doc["findings"] == []  # no C005 for the equal ids of two rosters
    assert doc["summary"]["files"] == 2


def test_a_typo_in_one_team_roster_is_caught_by_its_own_queues_file(tmp_path):
    repo = monorepo(tmp_path)
    bad = repo / "teams" / "a" / "notes-helper.agent.yaml"
    bad.write_text(card("notes-helper", **{"human:workplace-it": "human:workplace-itt"}))
    code, doc = lint_json(cwd=repo)
    assert code == 1
    assert [(f["path"], f["code"]) for f in doc["findings"]] == [
        ("teams/a/notes-helper.agent.yaml", "H001")
    ]


def test_linting_a_subdirectory_without_config_loads_the_whole_work_tree(tmp_path):
    """No config anywhere: the git work tree's top is the root, so a handoff to an agent in
    another folder is not a false H001 when only one folder is linted."""
    (tmp_path / ".git").mkdir()
    write(
        tmp_path / "a" / "front-desk.agent.yaml",
        card(
            "front-desk",
            **{"escalation: {to: human:workplace-it}": "escalation: {to: back-office}"},
        ),
    )
    write(tmp_path / "b" / "back-office.agent.yaml", card("back-office"))
    code, doc = lint_json("a", cwd=tmp_path)
    assert code == 0, doc["findings"]
    assert doc["summary"]["files"] == 1  # only the folder asked for is reported
    code, doc = lint_json(".", cwd=tmp_path / "a")
    assert code == 0, doc["findings"]


def test_plan_finds_nested_rosters_and_narrows_the_enclosing_one(tmp_path):
    repo = monorepo(tmp_path)
    write(repo / "agentroster.toml", "")
    write(repo / "platform" / "router.agent.yaml", card("router"))
    a, b = repo / "teams" / "a", repo / "teams" / "b"
    assert nested_rosters(repo) == [a, b]
    assert plan([], cwd=repo) == [Target(repo), Target(a), Target(b)]
    assert plan([repo / "teams"], cwd=repo) == [
        Target(repo, (repo / "teams",)),
        Target(a),
        Target(b),
    ]
    assert plan([a / "notes-helper.agent.yaml"], cwd=repo) == [
        Target(a, (a / "notes-helper.agent.yaml",))
    ]


def test_the_enclosing_roster_does_not_read_the_cards_of_a_nested_one(tmp_path):
    repo = monorepo(tmp_path)
    write(repo / "agentroster.toml", "")
    code, doc = lint_json(cwd=repo)
    assert code == 0, doc
    assert doc["summary"]["files"] == 2  # each card once, in its own roster


def test_default_root(tmp_path):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    deep = tmp_path / "repo" / "x" / "y"
    deep.mkdir(parents=True)
    assert default_root(deep, tmp_path) == tmp_path / "repo"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    assert default_root(outside, tmp_path) == tmp_path  # inside the current directory
    assert default_root(outside, deep) == outside  # neither: the path's own folder


def test_init_writes_a_commented_config_when_the_repository_has_none(tmp_path):
    (tmp_path / ".git").mkdir()
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        args = ["init", "--id", "notes-helper", "--pattern", "employee-enablement", "--tier", "3"]
        first = CliRunner().invoke(main, args)
        assert first.exit_code == 0, first.output
        config = (tmp_path / "agentroster.toml").read_text()
        assert config.startswith("# agentroster configuration")
        assert "Wrote agentroster.toml" in first.output
        (tmp_path / "agentroster.toml").write_text("# mine\n")
        second = CliRunner().invoke(main, [*args[:2], "other-agent", *args[3:]])
        assert second.exit_code == 0, second.output
        assert (tmp_path / "agentroster.toml").read_text() == "# mine\n"  # never overwritten
    finally:
        os.chdir(old)
