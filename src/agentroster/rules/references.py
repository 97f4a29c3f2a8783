"""Files a card refers to (golden sets, runbooks), resolved once for L003 and X003."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from enum import Enum

from agentroster.findings import KeyPath
from agentroster.rules.base import CardContext


class Ref(Enum):
    OK = "ok"
    MISSING = "missing"
    ESCAPES = "escapes"


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
    real = os.path.realpath(lexical)
    if not _inside(real, os.path.realpath(root)):
        return Ref.ESCAPES
    return Ref.OK if os.path.isfile(real) else Ref.MISSING


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def referenced_paths(card: CardContext) -> Iterator[tuple[KeyPath, str]]:
    """(key path, path text) of every file the card refers to."""
    evals = card.model.evals
    if evals is not None and evals.golden_set:
        yield ("evals", "golden_set"), evals.golden_set
    for index, runbook in enumerate(card.model.runbooks):
        if runbook.path:
            yield ("runbooks", index, "path"), runbook.path


def check(card: CardContext, rel: str) -> Ref:
    return resolve(str(card.file.parent), rel, str(card.root))
