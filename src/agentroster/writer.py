"""The one place that writes files: atomically, so a reader never sees half a file."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path


def write_text_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` via a temporary file in the same directory and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class WriteRefused(Exception):
    """The output directory may not be replaced: it holds something that is not a previous
    build, or files the roster needs."""


def _plain(rel: str) -> bool:
    parts = rel.split("/")
    return (
        not os.path.isabs(rel) and "\\" not in rel and all(p not in ("", ".", "..") for p in parts)
    )


# A file's text, whole or as an iterable of pieces (written one after the other).
Content = str | Iterable[str]


def replace_dir(
    out: Path,
    files: Mapping[str, str] | Iterable[tuple[str, Content]],
    *,
    check: Callable[[Path], str | None],
) -> int:
    """Make `out` hold exactly `files`, never leaving it half-written; returns how many files
    it wrote. `files` is a mapping, or pairs of path and content made one at a time (each is
    written before the next is made, so they need not all be in memory).

    `check(out)` says why `out` may not be replaced (None when it may); it is asked before
    anything is written and again under the lock, and a reason is raised as WriteRefused.
    Builds to one directory take turns (_locked), so concurrent builds all succeed.
    Everything is written to a temporary directory beside `out` first; then the old
    directory is moved aside and the new one moved into place, and the old one removed. An
    interruption leaves either the old build or the new one at `out` (and at worst a hidden
    temporary directory beside it). A path that is not plain and relative is refused before
    anything is written for a mapping; in a stream, before that file is written, and the
    temporary directory is removed.
    """
    if isinstance(files, Mapping):
        unsafe = sorted(rel for rel in files if not _plain(rel))
        if unsafe:
            raise WriteRefused(f"refusing to write {unsafe[0]!r}: not a plain relative path")
        files = sorted(files.items())
    # Asked first so that a refused build creates nothing; but another build may be swapping
    # `out` at this moment, so only the answer given under the lock is final.
    early = check(out)
    if early is not None and not out.parent.is_dir():
        raise WriteRefused(early)
    out.parent.mkdir(parents=True, exist_ok=True)
    with _locked(out):
        reason = check(out)  # another build may have finished meanwhile
        if reason is not None:
            raise WriteRefused(reason)
        return _swap_in(out, files)


def _swap_in(out: Path, files: Iterable[tuple[str, Content]]) -> int:
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; the output is an ordinary dir
    count = 0
    folders: set[Path] = {tmp}
    try:
        for rel, content in files:
            if not _plain(rel):
                raise WriteRefused(f"refusing to write {rel!r}: not a plain relative path")
            target = tmp / rel
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            with target.open("w", encoding="utf-8", newline="\n") as fh:
                if isinstance(content, str):
                    fh.write(content)
                else:
                    for piece in content:
                        fh.write(piece)
            count += 1
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            old.rmdir()
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old)
        else:
            os.replace(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return count


_LOCK_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Hold the lock of `out`: the file `.<name>.lock` beside it, removed on release.

    Whoever removes the file holds the lock, so a waiter that then gets it checks that the
    file it locked is still the one at that path, and starts over if not."""
    path = out.parent / f".{out.name}.lock"
    while True:
        fd = os.open(path, _LOCK_FLAGS, 0o644)
        try:
            _lock(fd)
            current = os.stat(path, follow_symlinks=False)
        except FileNotFoundError:
            os.close(fd)
            continue
        except BaseException:
            os.close(fd)
            raise
        if os.path.samestat(os.fstat(fd), current):
            break
        os.close(fd)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):  # Windows cannot remove a file others hold open
            os.unlink(path)
        os.close(fd)


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # gives up after 10 s: wait on
                return
            except OSError:
                continue

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)
