from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from agentroster import cli, writer
from agentroster.build import MARKER, Outputs, _differs, render, shed, stale, unowned
from agentroster.cli import main
from agentroster.config import load_config
from agentroster.pipeline import lint_loaded, load_roster
from tests.build_golden import GOLDEN, rendered
from tests.conftest import CLEAN_CARD, EXAMPLES, REPO, TODAY

ROSTER = EXAMPLES / "roster"


def build(*args: str):
    return CliRunner().invoke(main, ["build", "--today", "2026-11-21", *args])


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_golden_build_of_the_example_roster():
    files = rendered()
    golden = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()}
    assert set(files) == golden
    for rel, text in files.items():
        assert (GOLDEN / rel).read_text(encoding="utf-8") == text, (
            f"{rel}: run `python -m tests.build_golden` and review the diff"
        )


def test_every_agent_has_a_page_and_the_registry_validates(tmp_path):
    out = tmp_path / "out"
    assert build(str(ROSTER), "--out", str(out)).exit_code == 0
    doc = json.loads((out / "registry.json").read_text())
    schema = json.loads((REPO / "schemas" / "registry.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(doc)
    assert (out / "registry.schema.json").read_text() == (
        REPO / "schemas" / "registry.schema.json"
    ).read_text()
    ids = [a["id"] for a in doc["agents"]]
    assert len(ids) == 9 and ids == sorted(ids)
    assert sorted(p.stem for p in (out / "agents").glob("*.md")) == ids
    rows = (out / "registry.csv").read_text().splitlines()
    assert len(rows) == 10 and rows[0].startswith("id,name,version,status,tier")


def test_relative_links_in_the_docs_resolve(tmp_path):
    out = tmp_path / "deep" / "out"
    assert build(str(ROSTER), "--out", str(out)).exit_code == 0
    link = re.compile(r"\]\(([^)]+)\)")
    checked = 0
    for page in out.rglob("*.md"):
        for target in link.findall(page.read_text()):
            if "://" in target:
                continue
            assert (page.parent / target).resolve().exists(), f"{page}: {target}"
            checked += 1
    assert checked > 50


def test_two_builds_are_identical_whatever_the_hash_seed_and_discovery_order(tmp_path):
    outs = []
    for seed, order in (("1", "sorted"), ("2", "reversed")):
        out = tmp_path / f"out-{seed}"
        code = (
            "import sys, agentroster.pipeline as e\n"
            f"if '{order}' == 'reversed':\n"
            "    real = e.discover\n"
            "    def shuffled(root, **kwargs):\n"
            "        return list(reversed(real(root, **kwargs)))\n"
            "    e.discover = shuffled\n"
            "from agentroster.cli import main\n"
            "out, roster = sys.argv[1], sys.argv[2]\n"
            "sys.argv = ['agentroster', 'build', '--today', '2026-11-21', '--out', out, roster]\n"
            "main()\n"
        )
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-c", code, str(out), str(ROSTER)],
            check=True,
            env=env,
            capture_output=True,
        )
        outs.append(tree(out))
    assert outs[0] == outs[1] and len(outs[0]) == 16


def test_refuses_with_error_findings_unless_allowed(roster, tmp_path):
    root = roster(
        {
            "notes-helper.agent.yaml": CLEAN_CARD.replace(
                "audit: {enabled: true}", "audit: {enabled: false}"
            )
        }
    )
    out = tmp_path / "out"
    result = build(str(root), "--out", str(out))
    assert result.exit_code == 1 and "B002" in result.output and not out.exists()
    result = build(str(root), "--out", str(out), "--allow-errors")
    assert result.exit_code == 0
    doc = json.loads((out / "registry.json").read_text())
    assert doc["agents"][0]["findings"]["errors"] == 1


def test_refuses_to_overwrite_a_directory_it_did_not_make(roster, tmp_path):
    root = roster({"notes-helper.agent.yaml": CLEAN_CARD})
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    result = build(str(root), "--out", str(out))
    assert result.exit_code == 2 and "not made by agentroster build" in result.output
    assert (out / "mine.txt").read_text() == "keep me"


def test_rebuild_replaces_the_previous_build(roster, tmp_path):
    root = roster(
        {
            "notes-helper.agent.yaml": CLEAN_CARD,
            "old-helper.agent.yaml": CLEAN_CARD.replace("notes-helper", "old-helper"),
        }
    )
    out = tmp_path / "out"
    assert build(str(root), "--out", str(out)).exit_code == 0
    assert (out / "agents" / "old-helper.md").exists()
    (root / "old-helper.agent.yaml").unlink()
    assert build(str(root), "--out", str(out)).exit_code == 0
    assert not (out / "agents" / "old-helper.md").exists()  # the old build listed it: removed
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_file_added_to_a_previous_build_is_never_replaced(roster, tmp_path):
    root = roster({"notes-helper.agent.yaml": CLEAN_CARD})
    out = tmp_path / "out"
    assert build(str(root), "--out", str(out)).exit_code == 0
    (out / "agents" / "mine.md").write_text("my notes")
    result = build(str(root), "--out", str(out))
    assert result.exit_code == 2 and "'agents/mine.md'" in result.output
    assert (out / "agents" / "mine.md").read_text() == "my notes"


def test_check_detects_changed_missing_and_extra_files(roster, tmp_path):
    root = roster({"notes-helper.agent.yaml": CLEAN_CARD})
    out = tmp_path / "out"
    assert build(str(root), "--out", str(out)).exit_code == 0
    assert build(str(root), "--out", str(out), "--check").exit_code == 0
    (out / "index.md").write_text("edited")
    (out / "registry.csv").unlink()
    (out / "notes.txt").write_text("extra")
    result = build(str(root), "--out", str(out), "--check")
    assert result.exit_code == 1
    for line in ("changed: index.md", "missing: registry.csv", "extra: notes.txt"):
        assert line in result.output
    # a card change makes the committed output stale too
    (out / "notes.txt").unlink()  # not the build's: a rebuild would refuse to replace it
    assert build(str(root), "--out", str(out)).exit_code == 0
    (root / "notes-helper.agent.yaml").write_text(
        CLEAN_CARD.replace("Notes Helper", "Notes Writer")
    )
    assert build(str(root), "--out", str(out), "--check").exit_code == 1


def test_an_interrupted_build_leaves_the_previous_one(roster, tmp_path, monkeypatch):
    root = roster({"notes-helper.agent.yaml": CLEAN_CARD})
    out = tmp_path / "out"
    assert build(str(root), "--out", str(out)).exit_code == 0
    before = tree(out)
    real_replace = os.replace

    def crash(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(writer.os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        writer.replace_dir(out, {"x.md": "new"}, check=unowned)
    monkeypatch.setattr(writer.os, "replace", real_replace)
    assert tree(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_overdue_review_and_next_due(roster, tmp_path):
    card = CLEAN_CARD.replace("status: proposed", "status: pilot") + "review: {last: 2026-05-21}\n"
    root = roster({"notes-helper.agent.yaml": card})
    out = tmp_path / "out"
    # tier 3: annual. Due 2027-05-21; overdue from 2027-05-22 (T004 then refuses the build)
    assert build(str(root), "--out", str(out)).exit_code == 0
    review = json.loads((out / "registry.json").read_text())["agents"][0]["review"]
    assert review == {
        "last": "2026-05-21",
        "cadence": "annual",
        "next_due": "2027-05-21",
        "overdue": False,
        "metrics_last": None,
    }
    args = ["build", "--today", "2027-05-22", "--allow-errors", "--out", str(out), str(root)]
    assert CliRunner().invoke(main, args).exit_code == 0
    review = json.loads((out / "registry.json").read_text())["agents"][0]["review"]
    assert review["overdue"] is True
    assert (
        "[notes-helper](agents/notes-helper.md) | 3 | 2026-05-21 | 2027-05-21"
        in (out / "index.md").read_text()
    )


# --- builds that age well (issue 15, point 1) ----------------------------------------------

AGING_CARD = (
    CLEAN_CARD.replace("status: proposed", "status: pilot")
    + "review: {last: 2026-05-21}\n"  # tier 3, annual: due 2027-05-21
    + "waivers:\n  - {rule: L010, reason: golden set in progress, approved_by: "
    "priya.raman@example.com, expires: 2027-01-31}\n"
)


def on(day: dt.date, monkeypatch, *args: str):
    """The CLI as it runs on `day` when no --today is given."""
    monkeypatch.setattr(cli, "_today", lambda value: value.date() if value else day)
    return CliRunner().invoke(main, list(args))


def test_an_undated_build_passes_check_400_days_later(roster, tmp_path, monkeypatch):
    root = roster({"notes-helper.agent.yaml": AGING_CARD})
    out = tmp_path / "out"
    first = dt.date(2026, 11, 21)
    assert on(first, monkeypatch, "build", "--out", str(out), str(root)).exit_code == 0
    later = first + dt.timedelta(days=400)  # the review is overdue, the waiver has expired
    lint = on(later, monkeypatch, "lint", str(root))
    assert lint.exit_code == 1 and "T004" in lint.output and "W001" in lint.output
    check = on(later, monkeypatch, "build", "--check", "--out", str(out), str(root))
    assert check.exit_code == 0, check.output
    assert "is up to date" in check.output
    # nothing in the output names either day, or says what they make of the cards
    for rel, data in tree(out).items():
        text = data.decode()
        for word in (first.isoformat(), later.isoformat(), "**overdue**", "on schedule"):
            assert word not in text, (rel, word)
        for state in ("active", "expired", "invalid"):
            for shown in (f"| {state} |", f'"state": "{state}"', f"[{state}]"):
                assert shown not in text, (rel, shown)
    doc = json.loads((out / "registry.json").read_text())
    assert doc["generated_for"] is None and doc["agents"][0]["findings"] is None
    assert doc["agents"][0]["review"]["next_due"] == "2027-05-21"
    # writing a build is still refused on an error finding, whatever the date made it
    again = on(later, monkeypatch, "build", "--out", str(out), str(root))
    assert again.exit_code == 1 and "refusing to build" in again.output


def test_a_build_given_today_shows_what_is_true_that_day(roster, tmp_path):
    root = roster({"notes-helper.agent.yaml": AGING_CARD})
    out = tmp_path / "out"
    result = build(str(root), "--out", str(out))  # 2026-11-21: on schedule, waiver active
    assert result.exit_code == 0
    doc = json.loads((out / "registry.json").read_text())
    [agent] = doc["agents"]
    assert doc["generated_for"] == "2026-11-21" and agent["review"]["overdue"] is False
    assert agent["findings"] == {"errors": 0, "warnings": 1, "infos": 0, "waived": 1}
    assert agent["waivers"][0]["state"] == "active"
    args = ["build", "--today", "2027-12-26", "--allow-errors", "--out", str(out), str(root)]
    assert CliRunner().invoke(main, args).exit_code == 0
    doc = json.loads((out / "registry.json").read_text())
    [agent] = doc["agents"]
    assert agent["review"]["overdue"] is True and agent["findings"]["errors"] == 2
    assert agent["waivers"][0]["state"] == "expired"
    index = (out / "index.md").read_text()
    assert "for 2027-12-26: overdue reviews and findings are as of that day" in index
    assert "## Overdue reviews on 2027-12-26" in index and "| errors | warnings |" in index
    page = (out / "agents" / "notes-helper.md").read_text()
    assert "next due 2027-05-21 (**overdue** on 2027-12-26)" in page
    assert "On 2027-12-26:" in page and "`T004` error" in page and "`W001` error" in page
    assert "| expired |" in page and "| expired |" in (out / "waivers.md").read_text()
    rows = list(csv.DictReader(io.StringIO((out / "registry.csv").read_text())))
    assert rows[0]["review_overdue"] == "yes" and rows[0]["errors"] == "2"
    assert rows[0]["waivers"].endswith("[expired]")
    # a dated build is checked against the same date
    args = ["build", "--check", "--today", "2027-12-26", "--out", str(out), str(root)]
    assert CliRunner().invoke(main, args).exit_code == 0
    assert build(str(root), "--out", str(out), "--check").exit_code == 1


def test_check_compares_files_made_in_pieces_byte_for_byte(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name, text in {"same": "abc", "longer": "abcd", "shorter": "ab", "other": "abd"}.items():
        (out / name).write_text(text)
    files = {name: iter(["ab", "", "c"]) for name in ("same", "longer", "shorter", "other")}
    assert stale(out, files.items()) == ["changed: longer", "changed: other", "changed: shorter"]
    assert stale(out, {"same": "abc", "longer": "abcd", "shorter": "ab", "other": "abd"}) == []


def test_check_of_a_build_reads_it_back_file_by_file(roster, tmp_path):
    root = roster({"notes-helper.agent.yaml": CLEAN_CARD})
    out = tmp_path / "out"
    assert build(str(root), "--out", str(out)).exit_code == 0
    config = load_config(root)
    roster_ = load_roster(root, config, today=TODAY, cwd=root)
    report = lint_loaded(roster_, config, today=TODAY)
    files = Outputs(roster_, report, today=TODAY, out=out)
    assert stale(out, files) == []
    assert files.made[-1] == MARKER
    assert sorted(files.made) == sorted(tree(out))
    registry = out / "registry.json"
    registry.write_bytes(registry.read_bytes().replace(b'"notes-helper"', b'"notes-helpeR"'))
    files = Outputs(roster_, report, today=TODAY, out=out)
    assert stale(out, files) == ["changed: registry.json"]


def test_a_stream_with_a_path_that_is_not_plain_writes_nothing(roster, tmp_path):
    root = roster({"notes-helper.agent.yaml": CLEAN_CARD})
    out = tmp_path / "out"
    assert build(str(root), "--out", str(out)).exit_code == 0
    before = tree(out)
    files = iter([("a.md", "a"), ("b/c.md", iter(["b", "c"])), ("../escape.md", "x")])
    with pytest.raises(writer.WriteRefused, match="not a plain relative path"):
        writer.replace_dir(out, files, check=unowned)
    assert tree(out) == before
    assert not (tmp_path / "escape.md").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    fresh = tmp_path / "fresh"
    assert writer.replace_dir(fresh, iter([("b/c.md", iter(["b", "c"]))]), check=unowned) == 1
    assert (fresh / "b" / "c.md").read_text() == "bc"


def test_shedding_what_only_lint_needed_changes_no_byte(tmp_path):
    def rendered_after(drop: bool) -> dict[str, str]:
        config = load_config(ROSTER)
        roster_ = load_roster(ROSTER, config, today=TODAY, cwd=REPO)
        report = lint_loaded(roster_, config, today=TODAY)
        if drop:
            shed(roster_)
            assert all(not f.findings and not f.source_map.values for f in roster_.files)
        return render(roster_, report, today=TODAY, out=tmp_path / "out")

    assert rendered_after(drop=True) == rendered_after(drop=False)


def test_check_reports_what_is_not_a_regular_file_and_never_opens_it(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "target").write_text("abc")
    (out / "link.md").symlink_to(tmp_path / "target")
    os.mkfifo(out / "pipe.md")
    assert stale(out, {"link.md": "abc", "pipe.md": "abc"}) == [
        "unexpected: link.md (a symlink; only regular files count)",
        "unexpected: pipe.md (a named pipe; only regular files count)",
    ]


def test_a_file_replaced_between_listing_and_reading_is_not_followed(tmp_path):
    # what _differs finds when the entry listed as a regular file has changed since
    (tmp_path / "target").write_text("abc")
    (tmp_path / "link").symlink_to(tmp_path / "target")
    (tmp_path / "folder").mkdir()
    assert _differs(str(tmp_path / "link"), 3, "abc") == ("unexpected", "a symlink")
    assert _differs(str(tmp_path / "folder"), 3, "abc") == ("unexpected", "a directory")
    word, why = _differs(str(tmp_path / "gone"), 3, "abc")
    assert (word, why.split(" (")[0]) == ("unexpected", "cannot be read")
