"""Change review against real git repositories: `lint --base`, `--new-only`, `diff`."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from agentroster.cli import main
from tests.conftest import EXAMPLES, TODAY

RA = "support/refund-assistant.agent.yaml"
FS = "risk/fraud-screener.agent.yaml"
NEW_TOOL = (
    "  - {id: orders.hold, system: oms, description: Hold an order, access: write, "
    "approval: human, rate_limit: 30/m}\n"
)
RECORD = (
    "  - version: 1.4.0\n"
    "    date: 2026-11-20\n"
    "    summary: hold suspicious orders\n"
    "    kinds: [new-tool]\n"
    "    cab: {approved: 2026-11-19, ticket: CAB-1201, approved_by: priya.raman@example.com}\n"
)


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The example roster in a git repository, committed on `main`."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "roster", root)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test Reviewer")
    git(root, "config", "user.email", "reviewer@example.com")
    git(root, "config", "commit.gpgsign", "false")
    commit(root, "base roster")
    return root


def edit(repo: Path, rel: str, change: Callable[[str], str]) -> None:
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text, "the edit changed nothing"
    path.write_text(changed, encoding="utf-8")


def replace(old: str, new: str) -> Callable[[str], str]:
    return lambda text: text.replace(old, new, 1)


def add_tool(text: str) -> str:
    return text.replace(
        "    rate_limit: 10/m\nhandoffs:", "    rate_limit: 10/m\n" + NEW_TOOL + "handoffs:"
    )


def run(repo: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(repo)
    return CliRunner().invoke(main, [*args, "--today", TODAY.isoformat()])


def lint_base(
    repo: Path, monkeypatch: pytest.MonkeyPatch, *extra: str
) -> tuple[int, list[tuple[str, str, int]]]:
    result = run(
        repo, "lint", "--base", "main", "--format", "json", *extra, monkeypatch=monkeypatch
    )
    assert result.exit_code in (0, 1), result.output
    doc = json.loads(result.stdout)
    return result.exit_code, [(f["code"], f["path"], f["line"]) for f in doc["findings"]]


def line_of(repo: Path, rel: str, needle: str) -> int:
    lines = (repo / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


# -- the reviewer's scenario ------------------------------------------------------------------
def test_new_write_tool_without_record_fails_then_passes_once_approved(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    edit(repo, RA, add_tool)
    commit(repo, "refund assistant may hold orders")
    code, found = lint_base(repo, monkeypatch)
    assert code == 1
    assert sorted(found) == [
        ("M001", RA, line_of(repo, RA, "orders.hold")),
        ("M002", RA, line_of(repo, RA, "version: 1.3.0")),
    ]

    edit(repo, RA, replace("version: 1.3.0\ndescription", "version: 1.4.0\ndescription"))
    edit(repo, RA, replace("changes:\n", "changes:\n" + RECORD))
    commit(repo, "CAB-1201 approved; version 1.4.0")
    code, found = lint_base(repo, monkeypatch)
    assert (code, found) == (0, [])

    result = run(repo, "diff", "main", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert "refund-assistant (changed, tier 1)" in result.stdout
    assert "tools[orders.hold]: (absent) -> " in result.stdout
    assert "MATERIAL (new-tool): a new tool with write access" in result.stdout
    assert "needs: change advisory board (CAB), sponsor sign-off (Priya Raman)" in result.stdout


def test_the_diff_before_approval_fails_and_names_the_findings(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(repo, RA, add_tool)
    result = run(repo, "diff", "main", "--format", "json", monkeypatch=monkeypatch)
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert doc["format"] == "agentroster-diff/1"
    assert doc["summary"]["changed"] == 1 and doc["summary"]["material"] == 1
    (agent,) = doc["agents"]
    assert agent["agent"] == "refund-assistant" and agent["status"] == "changed"
    (tool,) = [f for f in agent["fields"] if f["field"] == "tools[orders.hold]"]
    assert tool["material"] and tool["kind"] == "new-tool" and tool["old"] is None
    assert doc["approvals"] == [
        {
            "agent": "refund-assistant",
            "tier": 1,
            "needs": ["change advisory board (CAB)", "sponsor sign-off (Priya Raman)"],
        }
    ]
    assert {f["code"] for f in doc["findings"]["introduced"]} == {"M001", "M002"}
    assert doc["findings"]["resolved"] == []


def test_markdown_diff_is_a_summary_table_with_folded_details(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(repo, RA, add_tool)
    result = run(repo, "diff", "main", "--format", "markdown", monkeypatch=monkeypatch)
    lines = result.stdout.splitlines()
    assert lines[2] == "| agent | change | tier | material | needs |"
    assert lines[4].startswith("| `refund-assistant` | changed | 1 | yes | change advisory")
    assert "<details><summary>refund-assistant (changed, tier 1)</summary>" in result.stdout
    assert "| `tools[orders.hold]` | *(absent)* |" in result.stdout


# -- each material kind -----------------------------------------------------------------------
NEW_QUEUE = (
    "  - to: human:fraud-ops\n    trigger: disputed refunds\n    context: [order_id]\n"
    "    decision: refund or not\n    deadline: 4h\n    log: ticketing\n  - to: fraud-screener\n"
)
WRITE = replace("access: read, rate_limit", "access: write, approval: human, rate_limit")
WIDER = replace("eligible refunds up to", "eligible refunds and credits up to")
KINDS = {
    "new-tool": (RA, add_tool, "orders.hold"),
    "tool-access": (FS, WRITE, "risk.score"),
    "new-data": (RA, replace("classes: [pii, pci]", "classes: [pii, pci, phi]"), "classes:"),
    "scope": (RA, WIDER, "description:"),
    "model-swap": (RA, replace("claude-sonnet-4-5-20250929", "claude-sonnet-4-6"), "model:"),
    "tier": (RA, replace("tier: 1\n", "tier: 2\n"), "tier: 2"),
    "mode": (RA, replace("mode: execute", "mode: assist"), "mode: assist"),
    "handoff": (RA, replace("  - to: fraud-screener\n", NEW_QUEUE), "- to: human:fraud-ops"),
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_material_kind_needs_a_record_and_a_version(
    kind: str, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rel, change, where = KINDS[kind]
    edit(repo, rel, change)
    _, found = lint_base(repo, monkeypatch)
    m = sorted((c, line) for c, path, line in found if c in ("M001", "M002") and path == rel)
    version = _version_line(repo, rel)
    assert m == sorted([("M001", line_of(repo, rel, where)), ("M002", version)]), found


def _version_line(repo: Path, rel: str) -> int:
    lines = (repo / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith("version: "))


def test_material_kinds_are_detected_from_the_fields(repo: Path) -> None:
    from agentroster.compare import material_changes
    from agentroster.loader import load
    from agentroster.validate import validate

    def card(text: str):
        loaded = load(text.encode())
        view = validate(loaded.data, loaded.source_map).view()
        assert view is not None
        return view

    for kind, (rel, change, _) in KINDS.items():
        text = (repo / rel).read_text()
        (found,) = {c.kind for c in material_changes(card(text), card(change(text)))}
        assert found == kind


def test_an_other_change_is_not_material(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(
        repo,
        RA,
        replace("kill_switch: flag refund-assistant-enabled", "kill_switch: flag refunds-off"),
    )
    edit(repo, RA, replace("tags: [customer-facing, payments]", "tags: [customer-facing]"))
    code, found = lint_base(repo, monkeypatch)
    assert (code, found) == (0, [])


def test_a_removed_tool_is_not_material(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(
        repo,
        FS,
        replace("  - {id: risk.score, system: risk-engine, access: read, rate_limit: 120/m}\n", ""),
    )
    _, found = lint_base(repo, monkeypatch)
    assert not [f for f in found if f[0] in ("M001", "M002")]


# -- versions -------------------------------------------------------------------------------------
def test_version_going_down_is_m002_even_without_a_material_change(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(repo, RA, replace("version: 1.3.0\ndescription", "version: 1.2.9\ndescription"))
    code, found = lint_base(repo, monkeypatch)
    assert (code, found) == (1, [("M002", RA, line_of(repo, RA, "version: 1.2.9"))])


def test_a_bump_without_approval_is_still_m001(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(repo, RA, add_tool)
    edit(repo, RA, replace("version: 1.3.0\ndescription", "version: 1.4.0\ndescription"))
    _, found = lint_base(repo, monkeypatch)
    assert [c for c, _, _ in found] == ["M001"]
    message = _messages(repo, monkeypatch)["M001"]
    assert "add a `changes` entry for 1.4.0 with cab.approved" in message


def test_m001_asks_for_the_record_of_the_new_version_when_the_version_did_not_change(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # M002 asks for a new version; the record M001 asks for belongs to that version
    edit(repo, RA, add_tool)
    message = _messages(repo, monkeypatch)["M001"]
    assert "raise the version above 1.3.0 and add a `changes` entry for it" in message
    assert "entry for 1.3.0" not in message


def _messages(repo: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    result = run(repo, "lint", "--base", "main", "--format", "json", monkeypatch=monkeypatch)
    return {f["code"]: f["message"] for f in json.loads(result.stdout)["findings"]}


def test_a_record_without_approval_is_not_enough(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(repo, RA, add_tool)
    edit(repo, RA, replace("version: 1.3.0\ndescription", "version: 1.4.0\ndescription"))
    edit(
        repo, RA, replace("changes:\n", "changes:\n" + RECORD.replace("approved: 2026-11-19, ", ""))
    )
    _, found = lint_base(repo, monkeypatch)
    assert sorted(c for c, _, _ in found) == ["M001", "M004"]


def test_tier_3_cards_need_a_version_but_no_cab(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rel = next(
        str(p.relative_to(repo))
        for p in sorted(repo.rglob("*.agent.yaml"))
        if "tier: 3\n" in p.read_text()
    )
    edit(
        repo,
        rel,
        lambda t: (
            t.replace("mode: assist", "mode: execute", 1)
            if "mode: assist" in t
            else t.replace("mode: execute", "mode: assist", 1)
        ),
    )
    _, found = lint_base(repo, monkeypatch)
    assert "M001" not in [c for c, path, _ in found if path == rel]
    assert "M002" in [c for c, path, _ in found if path == rel]


def test_model_swap_soon_after_the_last_is_m003(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(
        repo,
        RA,
        replace(
            "version: claude-sonnet-4-5-20250929\n  since: 2026-10-06",
            "version: claude-sonnet-4-6\n  since: 2026-11-20",
        ),
    )
    _, found = lint_base(repo, monkeypatch)
    assert ("M003", RA, line_of(repo, RA, "model:") + 1) in found or (
        "M003",
        RA,
        line_of(repo, RA, "model:"),
    ) in found


def test_without_a_base_the_m_rules_do_not_run(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(repo, RA, add_tool)
    result = run(repo, "lint", "--format", "json", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["findings"] == []


# -- renames and deletions ----------------------------------------------------------------------
def test_a_moved_card_is_renamed_and_compared_with_its_old_self(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "payments").mkdir()
    (repo / RA).rename(repo / "payments" / "refund-assistant.agent.yaml")
    shutil.move(repo / "support" / "evals", repo / "payments" / "evals")
    shutil.move(repo / "support" / "prompts", repo / "payments" / "prompts")
    shutil.move(repo / "support" / "runbooks", repo / "payments" / "runbooks")
    result = run(repo, "diff", "main", "--format", "json", monkeypatch=monkeypatch)
    doc = json.loads(result.stdout)
    (agent,) = doc["agents"]
    assert agent["status"] == "renamed" and agent["old_path"] == RA
    assert agent["path"] == "payments/refund-assistant.agent.yaml" and not agent["material"]
    assert result.exit_code == 0, result.output

    text = run(repo, "diff", "main", monkeypatch=monkeypatch).stdout
    assert (
        "refund-assistant (renamed, tier 1)  "
        f"{RA} -> payments/refund-assistant.agent.yaml\n" in text
    )
    markdown = run(repo, "diff", "main", "--format", "markdown", monkeypatch=monkeypatch).stdout
    assert (
        f"| `refund-assistant` | renamed (`{RA}` → `payments/refund-assistant.agent.yaml`) | 1 |"
        in markdown
    )


def test_a_card_with_a_new_id_but_the_same_content_is_renamed(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rel = "knowledge/policy-guide.agent.yaml"
    text = next(p for p in (repo / "knowledge").glob("*.agent.yaml")).read_text()
    old = next(p for p in (repo / "knowledge").glob("*.agent.yaml"))
    old_id = next(line.split(": ")[1] for line in text.splitlines() if line.startswith("id: "))
    old.unlink()
    (repo / rel).write_text(text.replace(f"id: {old_id}\n", "id: policy-guide\n"))
    result = run(repo, "diff", "main", "--format", "json", monkeypatch=monkeypatch)
    doc = json.loads(result.stdout)
    renamed = [a for a in doc["agents"] if a["status"] == "renamed"]
    assert [(a["agent"], a["old_agent"]) for a in renamed] == [("policy-guide", old_id)]
    text = run(repo, "diff", "main", monkeypatch=monkeypatch).stdout
    assert f", was {old_id}  knowledge/{old.name} -> {rel}\n" in text


def test_a_deleted_card_is_removed_and_graph_changes_are_reported(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / FS).unlink()
    result = run(repo, "diff", "main", "--format", "json", monkeypatch=monkeypatch)
    doc = json.loads(result.stdout)
    assert [(a["agent"], a["status"]) for a in doc["agents"]] == [("fraud-screener", "removed")]
    assert {"from": "fraud-screener", "to": "human:fraud-ops"} in doc["graph"]["removed_edges"]
    # refund-assistant now hands work to an agent that does not exist: a new error
    assert result.exit_code == 1
    assert doc["findings"]["introduced"]


def test_a_new_handoff_from_an_agent_with_regulated_data_is_reported(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(
        repo,
        RA,
        replace(
            "  - to: fraud-screener\n",
            "  - to: close-reconciler\n    trigger: refunds to reconcile\n"
            "    context: [order_id]\n    decision: reconcile\n    deadline: 4h\n"
            "    fallback: human:finance-close\n    log: ticketing\n  - to: fraud-screener\n",
        ),
    )
    result = run(repo, "diff", "main", "--format", "json", monkeypatch=monkeypatch)
    graph = json.loads(result.stdout)["graph"]
    assert graph["added_edges"] == [
        {"from": "refund-assistant", "to": "close-reconciler"},
        {"from": "refund-assistant", "to": "human:finance-close"},
    ]
    assert graph["regulated_paths"] == [
        {"from": "refund-assistant", "to": "close-reconciler", "classes": ["pci", "pii"]}
    ]


# -- --new-only ---------------------------------------------------------------------------------
def test_new_only_hides_old_findings_even_when_their_lines_move(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an old finding: the base already lacks a kill switch on the fraud screener
    edit(
        repo,
        FS,
        lambda t: "\n".join(x for x in t.splitlines() if not x.startswith("kill_switch")) + "\n",
    )
    commit(repo, "an old finding")
    _, before = lint_base(repo, monkeypatch, "--new-only")
    old = [(c, line) for c, path, line in run_findings(repo, monkeypatch) if path == FS]
    assert old and before == []
    # the change: lines shift above the old finding, and a new defect elsewhere
    edit(repo, FS, replace("apiVersion:", "# note\n# another note\napiVersion:"))
    edit(repo, RA, replace("kill_switch: flag refund-assistant-enabled\n", ""))
    all_findings = run_findings(repo, monkeypatch)
    assert {path for _, path, _ in all_findings} == {FS, RA}
    moved = [(c, line) for c, path, line in all_findings if path == FS]
    assert [line for _, line in moved] == [line + 2 for _, line in old]
    code, found = lint_base(repo, monkeypatch, "--new-only")
    assert code == 1 and {path for _, path, _ in found} == {RA}


def run_findings(repo: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, int]]:
    result = run(repo, "lint", "--format", "json", monkeypatch=monkeypatch)
    return [(f["code"], f["path"], f["line"]) for f in json.loads(result.stdout)["findings"]]


def test_new_only_needs_a_base(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(repo, "lint", "--new-only", monkeypatch=monkeypatch)
    assert result.exit_code == 2 and "--new-only needs --base" in result.output


# -- --base-dir, --head, formats ------------------------------------------------------------------
def test_base_dir_compares_against_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, head = tmp_path / "base", tmp_path / "head"
    shutil.copytree(EXAMPLES / "roster", base)
    shutil.copytree(EXAMPLES / "roster", head)
    edit(head, RA, add_tool)
    monkeypatch.setenv("PATH", str(tmp_path / "no-git"))  # no git needed
    result = run(head, "lint", "--base-dir", str(base), "--format", "json", monkeypatch=monkeypatch)
    assert result.exit_code == 1, result.output
    assert sorted(f["code"] for f in json.loads(result.stdout)["findings"]) == ["M001", "M002"]


def test_diff_between_two_revisions_ignores_the_working_tree(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(repo, RA, add_tool)
    commit(repo, "new tool")
    (repo / FS).unlink()  # uncommitted: not part of the comparison
    result = run(
        repo, "diff", "HEAD~1", "--head", "HEAD", "--format", "json", monkeypatch=monkeypatch
    )
    doc = json.loads(result.stdout)
    assert [(a["agent"], a["status"]) for a in doc["agents"]] == [("refund-assistant", "changed")]
    assert doc["head"] == "HEAD"


@pytest.mark.parametrize("fmt", ["sarif", "github", "gitlab"])
def test_m_findings_travel_in_every_format(
    fmt: str, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(repo, RA, add_tool)
    result = run(repo, "lint", "--base", "main", "--format", fmt, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert "M001" in result.stdout and "M002" in result.stdout
    if fmt == "sarif":
        doc = json.loads(result.stdout)
        rules = {r["id"] for r in doc["runs"][0]["tool"]["driver"]["rules"]}
        assert {"M001", "M002"} <= rules


# -- the error cases ----------------------------------------------------------------------
def test_unknown_revision_exits_2_and_says_how_to_fetch(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run(repo, "lint", "--base", "origin/main", monkeypatch=monkeypatch)
    assert result.exit_code == 2
    assert "unknown revision 'origin/main'" in result.output and "fetch-depth: 0" in result.output


def test_missing_git_exits_2(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = run(repo, "diff", "main", monkeypatch=monkeypatch)
    assert result.exit_code == 2 and "git is not installed or not on PATH" in result.output


def test_shallow_clone_without_the_base_exits_2(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = git(repo, "rev-parse", "HEAD")
    edit(repo, RA, add_tool)
    commit(repo, "new tool")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    result = run(clone, "lint", "--base", base, monkeypatch=monkeypatch)
    assert result.exit_code == 2
    assert "shallow clone" in result.output and "git fetch" in result.output


def test_not_a_revision_name_is_refused(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(repo, "lint", "--base=--output=/tmp/x", monkeypatch=monkeypatch)
    assert result.exit_code == 2 and "is not a revision name" in result.output


def test_the_working_tree_and_index_are_untouched(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(repo, RA, add_tool)
    before = git(repo, "status", "--porcelain")
    index = (repo / ".git" / "index").stat().st_mtime_ns
    run(repo, "lint", "--base", "main", monkeypatch=monkeypatch)
    run(repo, "diff", "main", monkeypatch=monkeypatch)
    assert git(repo, "status", "--porcelain") == before
    assert (repo / ".git" / "index").stat().st_mtime_ns == index


# -- the rules' own snippets, run against a base ----------------------------------------------
def _snippet_repo(tmp_path: Path, snippet: str) -> Path:
    """The example roster in git, refund-assistant with the snippet's `# base:` values
    committed as the base and the snippet's own keys in the working tree."""
    from agentroster.loader import load

    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "roster", root)
    card = root / RA
    example = load(card.read_bytes()).data
    base_line = next(line for line in snippet.splitlines() if line.startswith("# base: "))
    base = load(base_line.removeprefix("# base: ").encode()).data
    head = load(snippet.encode()).data
    assert isinstance(example, dict) and isinstance(base, dict) and isinstance(head, dict)
    card.write_text(json.dumps({**example, **base}, default=str, indent=1) + "\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test Reviewer")
    git(root, "config", "user.email", "reviewer@example.com")
    commit(root, "base")
    card.write_text(json.dumps({**example, **head}, default=str, indent=1) + "\n")
    return root


@pytest.mark.parametrize("code", ["M001", "M002", "M003"])
@pytest.mark.parametrize("side", ["bad", "good"])
def test_snippets_with_their_base(
    code: str, side: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agentroster.rules import RULE_BY_CODE

    root = _snippet_repo(tmp_path, getattr(RULE_BY_CODE[code], side))
    _, found = lint_base(root, monkeypatch)
    assert [c for c, _, _ in found] == ([code] if side == "bad" else [])


# -- reading revisions --------------------------------------------------------------------------
def test_blob_names_are_checked() -> None:
    from agentroster.revision import _safe

    assert _safe("support/refund-assistant.agent.yaml")
    for name in ("/etc/passwd", "../x.agent.yaml", "a/../../x", "a//b", "./a", "node_modules/a"):
        assert not _safe(name), name


def test_an_oversized_card_at_the_base_is_reported_not_read(repo: Path, tmp_path: Path) -> None:
    from agentroster.policy import Limits
    from agentroster.revision import extract

    (repo / "big.agent.yaml").write_bytes(b"# " + b"x" * 5000 + b"\n")
    (repo / "link.agent.yaml").symlink_to("/etc/passwd")
    commit(repo, "a big card and a symlink")
    dest = tmp_path / "out"
    dest.mkdir()
    extract(repo, "HEAD", dest, limits=Limits(max_bytes=1000))
    big = dest / "big.agent.yaml"
    assert big.stat().st_size == 5003 and not (dest / "link.agent.yaml").exists()
    config = "agentroster.toml"
    assert (dest / config).read_bytes() == (repo / config).read_bytes()


def test_a_roster_in_a_subfolder_reads_only_its_folder(tmp_path: Path) -> None:
    from agentroster.policy import Limits
    from agentroster.revision import extract

    top = tmp_path / "mono"
    shutil.copytree(EXAMPLES / "roster", top / "agents")
    (top / "README.md").write_text("not the roster\n")
    git(top, "init", "-q", "-b", "main")
    git(top, "config", "user.name", "Test Reviewer")
    git(top, "config", "user.email", "reviewer@example.com")
    commit(top, "base")
    dest = tmp_path / "out"
    dest.mkdir()
    extract(top / "agents", "main", dest, limits=Limits())
    assert (dest / RA).is_file() and not (dest / "README.md").exists()
