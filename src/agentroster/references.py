"""Files a card refers to (golden sets, runbooks, prompts), resolved once per card for L003 and X003
(CardContext.references). Nothing here opens a file: it only learns where a path leads."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from enum import Enum
from pathlib import Path

from agentroster.findings import KeyPath
from agentroster.model import AgentCard


class Ref(Enum):
    OK = "ok"
    MISSING = "missing"
    ESCAPES = "escapes"


# Many cards share a folder and refer to the same few files: both steps are memoised, for one
# run at a time (forget() is called as a run starts, so no run sees an earlier one's files).
@functools.lru_cache(maxsize=65536)
def resolve(card_dir: str, rel: str, root: str) -> Ref:
    """Where `rel`, written in a card in `card_dir`, leads: inside `root` or not, and whether
    it exists. Symlinks are resolved, so a link inside the roster to a file outside it
    escapes (and is never read)."""
    if os.path.isabs(rel) or rel.startswith("~"):
        return Ref.ESCAPES
    lexical = os.path.normpath(os.path.join(card_dir, rel))
    if not _inside(lexical, root):
        return Ref.ESCAPES
    return _target(lexical, root)


@functools.lru_cache(maxsize=65536)
def _target(lexical: str, root: str) -> Ref:
    real = os.path.realpath(lexical)
    if not _inside(real, _realpath(root)):
        return Ref.ESCAPES
    return Ref.OK if os.path.isfile(real) else Ref.MISSING


_realpath = functools.lru_cache(maxsize=64)(os.path.realpath)


def forget() -> None:
    """Drop what was learnt about the file system; called at the start of every run."""
    for cached in (resolve, _target, _realpath):
        cached.cache_clear()


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def referenced_paths(card: AgentCard) -> Iterator[tuple[KeyPath, str]]:
    """(key path, path text) of every file the card refers to."""
    evals = card.evals
    if evals is not None and evals.golden_set:
        yield ("evals", "golden_set"), evals.golden_set
    for index, runbook in enumerate(card.runbooks):
        if runbook.path:
            yield ("runbooks", index, "path"), runbook.path
    for index, prompt in enumerate(card.prompts):
        if prompt:
            yield ("prompts", index), prompt


def resolve_all(card: AgentCard, *, file: Path, root: Path) -> list[tuple[KeyPath, str, Ref]]:
    """(key path, path text, where it leads) of every file the card in `file` refers to."""
    card_dir, top = os.path.dirname(os.fspath(file)), os.fspath(root)
    return [(at, rel, resolve(card_dir, rel, top)) for at, rel in referenced_paths(card)]
