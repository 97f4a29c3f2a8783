"""End to end: another repository uses this checkout's hooks through pre-commit, by path and
commit, as it would by URL and rev. pre-commit clones the checkout and installs it into its own
environment (from the package registry), then runs the hooks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import CLEAN_CARD, REPO


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def pre_commit(
    repo: Path, env: dict[str, str], *, all_files: bool = True
) -> subprocess.CompletedProcess[str]:
    scope = ["--all-files"] if all_files else []
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", *scope, "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_hooks_from_this_checkout_pass_then_fail_with_the_location(tmp_path):
    head = git("rev-parse", "HEAD", cwd=REPO)
    repo = tmp_path / "team-repo"
    (repo / "agents").mkdir(parents=True)
    git("init", "-q", cwd=repo)
    git("config", "user.email", "ci@example.com", cwd=repo)
    git("config", "user.name", "CI", cwd=repo)
    (repo / "agentroster.toml").write_text("[build]\nout = 'registry'\n")
    card = CLEAN_CARD + "runbooks:\n  - {failure_mode: provider-outage, path: runbooks/outage.md}\n"
    (repo / "agents" / "notes-helper.agent.yaml").write_text(card)
    (repo / "agents" / "runbooks").mkdir()
    (repo / "agents" / "runbooks" / "outage.md").write_text("# Provider outage\n")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n"
        f"  - repo: {REPO}\n"
        f"    rev: {head}\n"
        f"    hooks:\n"
        f"      - id: agentroster\n"
        f"        args: [--today, '2026-11-21']\n"
        f"      - id: agentroster-build-check\n"
        f"        args: [--today, '2026-11-21']\n"
    )
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    env.pop("PRE_COMMIT_COLOR", None)

    # the committed registry is built by the same agentroster the hook runs
    build = subprocess.run(
        [sys.executable, "-m", "agentroster", "build", "--today", "2026-11-21"],
        cwd=repo, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert build.returncode == 0, build.stdout + build.stderr
    git("add", "-A", cwd=repo)
    clean = pre_commit(repo, env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "agentroster lint" in clean.stdout and "Passed" in clean.stdout

    # a change that deletes a file a card refers to runs the hook too (always_run), even
    # though no card, config or catalogue is among the changed files
    git("commit", "-q", "-m", "roster", cwd=repo)
    git("rm", "-q", "agents/runbooks/outage.md", cwd=repo)
    deleted = pre_commit(repo, env, all_files=False)
    assert deleted.returncode == 1, deleted.stdout + deleted.stderr
    assert "L003" in deleted.stdout and "runbooks/outage.md" in deleted.stdout
    git("reset", "-q", "--hard", cwd=repo)

    broken = card.replace("tier: 3", "tier: 4")
    (repo / "agents" / "notes-helper.agent.yaml").write_text(broken)
    git("add", "-A", cwd=repo)
    failed = pre_commit(repo, env)
    assert failed.returncode == 1
    assert (
        "agents/notes-helper.agent.yaml:10:7: error   C002 tier: integer 4 is not allowed"
        in failed.stdout
    )
    # the build check fails too: the committed registry no longer matches the cards
    assert "changed: registry.json" in failed.stdout


def test_hooks_run_on_every_commit():
    """A deleted runbook, a changed people directory or a broken pyproject.toml can break the
    roster without touching a card: the hooks always run and never filter by file name."""
    from agentroster.loader import load_text

    hooks = load_text((REPO / ".pre-commit-hooks.yaml").read_text()).data
    for hook in hooks:
        assert hook["always_run"] is True, hook["id"]
        assert "files" not in hook and hook["pass_filenames"] is False, hook["id"]
