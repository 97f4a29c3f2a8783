"""revision.py's listings and identities, against real git repositories."""

from __future__ import annotations

import os
from pathlib import Path

from agentroster.policy import Limits
from agentroster.revision import Blob, identity, list_tree, resolve, work_tree
from tests.test_review import RA, commit, git
from tests.test_review import repo as repo  # the fixture


def test_the_working_tree_hashes_as_git_lists(repo: Path) -> None:
    top, prefix, head = resolve(repo, "HEAD")
    blobs, plain = list_tree(top, head, prefix)
    assert plain
    work = work_tree(repo, Limits())
    assert work is not None
    assert not any(rel.startswith(".git") for rel in work)  # the repository folder is skipped
    assert {b.path: b.oid for b in blobs} == work


def test_a_committed_symlink_makes_the_listing_not_plain(repo: Path) -> None:
    (repo / "link.md").symlink_to("agentroster.toml")
    top, prefix, head = resolve(repo, commit(repo, "a link"))
    blobs, plain = list_tree(top, head, prefix)
    assert not plain and "link.md" not in {b.path for b in blobs}
    (repo / ".venv").mkdir()
    assert work_tree(repo, Limits()) is None  # the link is in the working tree too


def test_a_symlink_in_a_skipped_folder_keeps_the_listing_plain(repo: Path) -> None:
    (repo / "node_modules").mkdir()
    (repo / "node_modules" / "link").symlink_to("../agentroster.toml")
    git(repo, "add", "-f", "node_modules/link")
    top, prefix, head = resolve(repo, commit(repo, "a link where nobody looks"))
    assert list_tree(top, head, prefix)[1]
    assert work_tree(repo, Limits()) is not None


def test_a_fifo_ends_the_comparison(repo: Path) -> None:
    os.mkfifo(repo / "pipe")
    assert work_tree(repo, Limits()) is None


def test_a_card_over_the_limit_is_known_by_its_size(repo: Path) -> None:
    size = (repo / RA).stat().st_size
    limits = Limits(max_bytes=100)
    work = work_tree(repo, limits)
    assert work is not None and work[RA] == f"size:{size}"
    assert identity(Blob(RA, "0" * 40, size), limits) == f"size:{size}"
    assert identity(Blob("big.jsonl", "0" * 40, 65 * 1024 * 1024), limits) is None
    assert identity(Blob("small.jsonl", "ab" * 20, 10), limits) == "ab" * 20
