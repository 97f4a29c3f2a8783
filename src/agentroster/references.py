"""Files a card refers to (golden sets, runbooks, prompts), resolved once per card for L003 and
X003 (CardContext.references). Resolving a path opens nothing: it only learns where the path
leads. One function reads a referenced file, count_nonblank_lines (for L009), and only a regular
file that resolves inside the roster root, streamed and capped in size."""

from __future__ import annotations

import functools
import os
import stat
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
    it exists. Symlinks are resolved as the file system would (a `..` after a symlinked
    folder climbs from its target), so a link inside the roster to a file outside it
    escapes. Only the path is examined (realpath, stat): no referenced file is ever opened."""
    if os.path.isabs(rel) or rel.startswith("~"):
        return Ref.ESCAPES
    joined = os.path.join(card_dir, rel)
    if not _inside(os.path.normpath(joined), root):
        return Ref.ESCAPES
    return _target(joined, root)


@functools.lru_cache(maxsize=65536)
def _target(path: str, root: str) -> Ref:
    real = _real(path)
    if not _inside(real, _realpath(root)):
        return Ref.ESCAPES
    return Ref.OK if os.path.isfile(real) else Ref.MISSING


_realpath = functools.lru_cache(maxsize=64)(os.path.realpath)
# where a referenced path leads, shared by resolve() and count_nonblank_lines(), so the file
# counted is the one that was checked (a `..` after a symlink climbs from its target in both)
_real = functools.lru_cache(maxsize=65536)(os.path.realpath)


def forget() -> None:
    """Drop what was learnt about the file system; called at the start of every run."""
    for cached in (resolve, _target, _realpath, _real, _count_file):
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


_CHUNK = 1 << 16


def count_nonblank_lines(card_dir: str, rel: str, root: str, *, max_bytes: int) -> int | None:
    """Lines holding anything but whitespace in the file `rel` (written in a card in
    `card_dir`) leads to; None when it does not resolve to a regular file inside `root`
    (resolve() is not Ref.OK), cannot be opened, or is over `max_bytes`.

    The file is read in chunks, never whole; the path opened is the resolved one, with no
    symlink left to follow, and O_NOFOLLOW and O_NONBLOCK guard against a link or a pipe put
    in its place after resolving."""
    if resolve(card_dir, rel, root) is not Ref.OK:
        return None
    return _count_file(_real(os.path.join(card_dir, rel)), max_bytes)


@functools.lru_cache(maxsize=4096)  # cards share golden sets; forget() clears it per run
def _count_file(real: str, max_bytes: int) -> int | None:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(real, flags | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return None
        return _count(fd, max_bytes)
    except OSError:
        return None
    finally:
        os.close(fd)


def _count(fd: int, max_bytes: int) -> int | None:
    count, pending, total = 0, False, 0  # pending: the current line has content so far
    while chunk := os.read(fd, _CHUNK):
        total += len(chunk)
        if total > max_bytes:  # the file grew after fstat
            return None
        *ended, last = chunk.split(b"\n")
        for line in ended:
            if pending or line.strip():
                count += 1
            pending = False
        pending = pending or bool(last.strip())
    return count + pending
