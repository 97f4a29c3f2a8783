"""The shortcut of changeset.py gives the same bytes as reading the base in full.

Each case edits a committed copy of the example roster (the base is `main`), then runs
`lint --base`, `lint --base --new-only` and `diff` in every format twice: once as shipped, once
with the shortcut turned off (the base read in full, as before it existed), and compares the
outputs byte for byte. Each case also says whether the shortcut must have been taken.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from agentroster import review
from agentroster.changeset import delta
from agentroster.config import load_config
from agentroster.discover import admits, discover
from agentroster.revision import blob_id
from tests.test_review import FS, RA, add_tool, commit, edit, git, replace, run
from tests.test_review import repo as repo  # the fixture

HELPDESK = "it/it-helpdesk.agent.yaml"
PROVISIONER = "it/access-provisioner.agent.yaml"
NOTES = "productivity/meeting-notes.agent.yaml"
POLICY = "knowledge/policy-expert.agent.yaml"

COMMANDS = (
    ("lint", "--base", "main", "--format", "json"),
    ("lint", "--base", "main", "--format", "text"),
    ("lint", "--base", "main", "--new-only", "--format", "json"),
    ("lint", "--base", "main", "--new-only", "--format", "sarif"),
    ("diff", "main"),
    ("diff", "main", "--format", "json"),
    ("diff", "main", "--format", "markdown"),
)


def humans_to(target: str) -> Callable[[str], str]:
    """Every `human:<queue>` target of a card pointed at agent `target` instead."""
    return lambda text: re.sub(r"human:[a-z-]+", target, text)


def outputs(
    repo: Path, monkeypatch: pytest.MonkeyPatch, *, fast: bool
) -> tuple[dict[tuple[str, ...], tuple[int, str]], list[bool]]:
    """Each command's exit code and output, and whether the shortcut held in each run."""
    taken: list[bool] = []
    assemble = review.base_roster

    def spy(*args: object, **kwargs: object) -> object:
        result = assemble(*args, **kwargs)  # type: ignore[arg-type]
        taken.append(result is not None)
        return result

    with monkeypatch.context() as patch:
        patch.setattr(review, "base_roster", spy)
        if not fast:
            patch.setattr(review, "delta", lambda *args, **kwargs: None)
        found = {}
        for command in COMMANDS:
            result = run(repo, *command, monkeypatch=monkeypatch)
            assert result.exit_code in (0, 1), result.output
            found[command] = (result.exit_code, result.stdout)
    return found, taken


def same_either_way(repo: Path, monkeypatch: pytest.MonkeyPatch, *, shortcut: bool) -> dict:
    fast, taken = outputs(repo, monkeypatch, fast=True)
    slow, _ = outputs(repo, monkeypatch, fast=False)
    assert all(t == shortcut for t in taken) and (taken or not shortcut), taken
    for command in COMMANDS:
        assert fast[command] == slow[command], " ".join(command)
    return fast


def setup(repo: Path, change: Callable[[Path], None]) -> None:
    """A change committed on main: the base of the case."""
    change(repo)
    commit(repo, "set-up")


# -- the cases -------------------------------------------------------------------------------------
def test_a_renamed_target_breaks_an_unchanged_neighbour(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = "risk/fraud-screeners.agent.yaml"
    git(repo, "mv", FS, new)
    edit(repo, new, replace("id: fraud-screener", "id: fraud-screeners"))
    found = same_either_way(repo, monkeypatch, shortcut=True)
    text = found[("diff", "main")][1]
    assert "fraud-screeners (renamed" in text
    assert "H001" in text and "did you mean 'fraud-screeners'" in text  # on refund-assistant


def test_a_deleted_target_and_a_moved_card(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / FS).unlink()
    (repo / "payments").mkdir()
    git(repo, "mv", RA, "payments/")  # its evals and runbooks stay: L003 on both paths
    found = same_either_way(repo, monkeypatch, shortcut=True)
    summary = found[("diff", "main", "--format", "json")][1]
    assert '"removed": 1' in summary and '"renamed": 1' in summary


def test_a_changed_target_takes_an_unchanged_neighbour_s_way_to_a_person(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def base(root: Path) -> None:
        edit(
            root,
            NOTES,
            replace("escalation: {to: human:workplace-it", "escalation: {to: it-helpdesk"),
        )
        edit(root, PROVISIONER, humans_to("it-helpdesk"))
        # a waiver of H003 on meeting-notes: unused at the base (W004), used once it is a dead end
        edit(
            root,
            NOTES,
            lambda t: (
                t + "waivers:\n  - rule: H003\n    reason: the helpdesk route is being rebuilt\n"
                "    approved_by: oskar.berg@example.com\n    expires: 2027-02-28\n"
            ),
        )

    setup(repo, base)
    edit(repo, HELPDESK, humans_to("access-provisioner"))
    found = same_either_way(repo, monkeypatch, shortcut=True)
    text = found[("diff", "main")][1]
    assert "lost its way to a person: meeting-notes" in text
    assert "H004" in text and "W004" in text  # the cycle introduced; the unused waiver resolved


def test_new_only_with_old_findings_and_shifted_lines(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def base(root: Path) -> None:
        edit(root, RA, replace("    fallback: human:fraud-ops\n", ""))  # H002, a card rule
        edit(
            root,
            POLICY,
            replace("escalation: {to: human:hr-policy-team", "escalation: {to: human:hr-polcy"),
        )

    setup(repo, base)
    edit(repo, RA, lambda t: "# moved down\n# by three\n# lines\n" + t)
    edit(repo, RA, add_tool)
    found = same_either_way(repo, monkeypatch, shortcut=True)
    new_only = found[("lint", "--base", "main", "--new-only", "--format", "json")][1]
    assert '"M001"' in new_only and '"H002"' not in new_only and '"H001"' not in new_only
    assert '"H002"' in found[("lint", "--base", "main", "--format", "json")][1]


def test_an_added_card_with_the_id_of_an_unchanged_one(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = "support/refund-assistant-v2.agent.yaml"
    shutil.copy(repo / RA, repo / copy)
    edit(repo, copy, replace("    fallback: human:fraud-ops\n", ""))
    found = same_either_way(repo, monkeypatch, shortcut=True)
    assert "C005" in found[("diff", "main")][1]


def test_a_retired_target_and_a_new_agent(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(repo, FS, replace("status: production", "status: retired"))
    text = (repo / NOTES).read_text().replace("id: meeting-notes", "id: meeting-notes-2")
    (repo / "productivity" / "meeting-notes-2.agent.yaml").write_text(
        text.replace("escalation: {to: human:workplace-it", "escalation: {to: fraud-screener")
    )
    found = same_either_way(repo, monkeypatch, shortcut=True)
    assert "H005" in found[("diff", "main")][1]


def test_files_no_lint_reads_may_differ(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "NOTES.md").write_text("untracked\n")
    (repo / "build").mkdir()
    (repo / "build" / "registry.json").write_text("{}\n")
    (repo / ".venv").mkdir()
    (repo / ".venv" / "link").symlink_to(repo / "NOTES.md")  # skipped on both sides
    edit(repo, RA, add_tool)
    same_either_way(repo, monkeypatch, shortcut=True)


@pytest.mark.parametrize(
    "change",
    [
        lambda root: (root / "support/runbooks/payments-outage.md").write_text("# changed\n"),
        lambda root: (root / "support/runbooks/payments-outage.md").unlink(),
        lambda root: (root / "support/runbooks/new.md").write_text("# new\n"),
        lambda root: (root / "agentroster.queues.yaml").write_text("queues: []\n"),
        lambda root: (root / "risk" / "agentroster.toml").write_text("[policy]\n"),
        lambda root: (root / "risk" / "pyvenv.cfg").write_text("home = /usr\n"),
        lambda root: (root / "link.md").symlink_to(root / "agentroster.toml"),
    ],
    ids=["runbook-changed", "runbook-deleted", "runbook-added", "queues", "nested", "venv", "link"],
)
def test_a_change_to_a_file_lint_reads_takes_the_full_path(
    repo: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[Path], object]
) -> None:
    edit(repo, RA, add_tool)
    edit(repo, RA, replace("runbooks/payments-outage.md", "runbooks/new.md"))  # for runbook-added
    edit(repo, RA, replace("runbooks/new.md", "runbooks/payments-outage.md"))
    change(repo)
    if (repo / "support/runbooks/new.md").exists():
        edit(repo, RA, replace("runbooks/payments-outage.md", "runbooks/new.md"))
    same_either_way(repo, monkeypatch, shortcut=False)


def test_a_removed_card_is_put_back_only_where_discovery_would_find_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def base(root: Path) -> None:
        config = root / "agentroster.toml"
        config.write_text('exclude = ["drafts/"]\n' + config.read_text())
        (root / "drafts").mkdir()
        shutil.copy(root / RA, root / "drafts" / "refund-assistant.agent.yaml")

    setup(repo, base)
    (repo / "drafts" / "refund-assistant.agent.yaml").unlink()
    (repo / NOTES).unlink()
    found = same_either_way(repo, monkeypatch, shortcut=True)
    assert '"removed": 1' in found[("diff", "main", "--format", "json")][1]


# -- the parts -------------------------------------------------------------------------------------
def test_blob_id_is_git_s(repo: Path) -> None:
    data = (repo / RA).read_bytes()
    assert blob_id(data) == git(repo, "hash-object", RA)


def test_delta_names_what_changed(repo: Path) -> None:
    config = load_config(repo)
    edit(repo, RA, add_tool)
    (repo / FS).unlink()
    (repo / "README.md").write_text("hello\n")
    change = delta(repo, "main", config)
    assert change is not None
    assert sorted(b.path for b in change.base_only) == [FS, RA]
    assert change.others == {"README.md"}
    assert len(change.unchanged) == 7 and RA not in change.unchanged


def test_admits_agrees_with_discover(tmp_path: Path) -> None:
    root = tmp_path / "roster"
    for rel in (
        "a/x.agent.yaml",
        "drafts/y.agent.yaml",
        "keep/z.agent.yaml",
        "nested/w.agent.yaml",
    ):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("id: x\n")
    (root / "nested" / "agentroster.toml").write_text("")
    exclude = ("drafts/", "keep/*", "!keep/z.agent.yaml")
    found = {
        p.relative_to(root).as_posix()
        for p in discover(root, exclude=exclude, is_roster=lambda p: True)
    }
    for rel in (
        "a/x.agent.yaml",
        "drafts/y.agent.yaml",
        "keep/z.agent.yaml",
        "nested/w.agent.yaml",
    ):
        assert admits(root, rel, exclude=exclude, is_roster=lambda p: True) == (rel in found), rel
    assert admits(root, "gone/v.agent.yaml", exclude=exclude)
    assert not admits(root, "a/notes.md")
