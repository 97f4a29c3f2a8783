from __future__ import annotations

import os

from agentroster.discover import card_stem, discover


def test_finds_cards_and_skips_vcs_venvs_and_excluded(tmp_path):
    for rel in [
        "a.agent.yaml",
        "nested/deep/b.agent.yml",
        "notes.yaml",
        ".git/c.agent.yaml",
        "node_modules/d.agent.yaml",
        "env1/e.agent.yaml",
        "drafts/f.agent.yaml",
    ]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    (tmp_path / "env1" / "pyvenv.cfg").write_text("home = /usr")
    found = [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path, exclude=["drafts"])]
    assert found == ["a.agent.yaml", "nested/deep/b.agent.yml"]


def test_symlink_out_of_the_root_is_skipped(tmp_path):
    outside = tmp_path / "outside.agent.yaml"
    outside.write_text("x")
    root = tmp_path / "root"
    root.mkdir()
    os.symlink(outside, root / "link.agent.yaml")
    assert discover(root) == []


def test_card_stem():
    assert card_stem("refund-assistant.agent.yaml") == "refund-assistant"
    assert card_stem("x.agent.yml") == "x"
    assert card_stem("x.yaml") == "x"


def test_relative_cuts_the_root_or_falls_back_to_relpath(tmp_path):
    from agentroster.discover import relative

    root = tmp_path / "roster"
    assert relative(root / "a" / "b.agent.yaml", root) == "a/b.agent.yaml"
    assert relative(f"{root}/a/../c.agent.yaml", root) == "c.agent.yaml"
    assert relative(tmp_path / "other" / "d.agent.yaml", root) == "../other/d.agent.yaml"
