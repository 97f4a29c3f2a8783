"""Resolving and counting files that cards refer to."""

from __future__ import annotations

import os
from pathlib import Path

from agentroster.references import Ref, count_nonblank_lines, forget, resolve


def test_the_file_counted_is_the_file_resolved_when_a_dotdot_follows_a_symlink(
    tmp_path: Path,
) -> None:
    # a/link -> b/c; "link/../golden.jsonl" written in a/ leads to b/golden.jsonl (the file
    # system climbs from the link's target), not to a/golden.jsonl (as text would say)
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "c").mkdir(parents=True)
    os.symlink(tmp_path / "b" / "c", tmp_path / "a" / "link")
    (tmp_path / "a" / "golden.jsonl").write_text("x\n" * 5)
    (tmp_path / "b" / "golden.jsonl").write_text("x\n" * 120)
    forget()
    card_dir, root = str(tmp_path / "a"), str(tmp_path)
    assert resolve(card_dir, "link/../golden.jsonl", root) is Ref.OK
    assert count_nonblank_lines(card_dir, "link/../golden.jsonl", root, max_bytes=1 << 20) == 120
    assert count_nonblank_lines(card_dir, "golden.jsonl", root, max_bytes=1 << 20) == 5


def test_forget_drops_what_was_learnt(tmp_path: Path) -> None:
    (tmp_path / "golden.jsonl").write_text("x\n")
    forget()
    root = str(tmp_path)
    assert count_nonblank_lines(root, "golden.jsonl", root, max_bytes=100) == 1
    (tmp_path / "golden.jsonl").write_text("x\ny\n")
    assert count_nonblank_lines(root, "golden.jsonl", root, max_bytes=100) == 1  # memoised
    forget()
    assert count_nonblank_lines(root, "golden.jsonl", root, max_bytes=100) == 2
