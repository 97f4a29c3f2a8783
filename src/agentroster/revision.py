"""A roster as it was at a git revision, read from git's objects (docs/governance.md#change-review).

Three kinds of git process, each with a fixed argument list and never a shell: `git rev-parse`
resolves the revision, `git ls-tree -r -z -l` lists the files under the roster's folder with
their object ids and sizes, and one `git cat-file --batch` process streams every blob. The
working tree and the index are never read or written (GIT_OPTIONAL_LOCKS=0 keeps even the
index's stat refresh away).

The files are copied into a private temporary folder, so the rest of agentroster reads the
base roster as it reads any roster. Blob contents and names are the repository's, so they are
untrusted: names are checked (no absolute path, no `.`, `..` or empty part, no folder that
discovery skips), only regular files are copied (never symlinks or submodules), and a blob
over its size limit is not read at all: a sparse file of the same size stands in for it, so the
loader reports it as too large, exactly as it would in the working tree.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from agentroster.discover import SKIP_DIRS, is_card_name
from agentroster.policy import Limits

if TYPE_CHECKING:
    import subprocess

FETCH_HINT = (
    "fetch the base revision first: in GitHub Actions give actions/checkout `fetch-depth: 0` "
    "(or run `git fetch --depth=1 origin +refs/heads/main:refs/remotes/origin/main`), in GitLab "
    "CI set `GIT_DEPTH: 0` (or run "
    "`git fetch origin $CI_MERGE_REQUEST_DIFF_BASE_SHA`); or compare against a folder with "
    "--base-dir"
)
OTHER_MAX_BYTES = 64 * 1024 * 1024  # a file that is not a card: the golden-set limit (L009)
TOTAL_MAX_BYTES = 1024 * 1024 * 1024  # all blobs of one revision together
_REGULAR_MODES = frozenset({"100644", "100755"})


class RevisionError(Exception):
    """A revision that cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class Blob:
    """One regular file of the roster at the revision."""

    path: str  # relative to the roster root, with `/`
    oid: str
    size: int


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    return env


def _git(args: Sequence[str], *, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    import subprocess  # deferred: start-up time (a lint without --base runs no git)

    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, env=_env())
    except FileNotFoundError:
        raise RevisionError(
            "git is not installed or not on PATH: --base REV reads the base revision with git; "
            "install git, or compare against a folder with --base-dir"
        ) from None


def _out(proc: subprocess.CompletedProcess[bytes]) -> str:
    return proc.stdout.decode("utf-8", "replace").strip()


def _err(proc: subprocess.CompletedProcess[bytes]) -> str:
    text = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    return text[-1] if text else f"git exited with {proc.returncode}"


def resolve(root: Path, rev: str) -> tuple[Path, str, str]:
    """(top folder of the repository, roster root's prefix in it with a trailing `/` or "",
    commit id) for `rev` as seen from `root`. Raises RevisionError."""
    if not rev or rev.startswith("-") or any(c in rev for c in "\x00\n\r"):
        raise RevisionError(f"{rev!r} is not a revision name")
    top = _git(["rev-parse", "--show-toplevel"], cwd=root)
    if top.returncode:
        raise RevisionError(f"{root} is not inside a git repository ({_err(top)}); use --base-dir")
    prefix = _out(_git(["rev-parse", "--show-prefix"], cwd=root))
    commit = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd=root)
    if commit.returncode:
        shallow = _out(_git(["rev-parse", "--is-shallow-repository"], cwd=root)) == "true"
        where = "in this shallow clone" if shallow else "in this repository"
        raise RevisionError(f"unknown revision {rev!r} {where}: {FETCH_HINT}")
    return Path(_out(top)), prefix, _out(commit)


def _safe(path: str) -> bool:
    parts = path.split("/")
    return (
        not path.startswith("/")
        and all(part not in ("", ".", "..") for part in parts)
        and not any(part in SKIP_DIRS for part in parts[:-1])
    )


def list_blobs(root: Path, commit: str, prefix: str) -> list[Blob]:
    """The regular files under the roster's folder at `commit` (none when the folder did not
    exist), names checked (see the module docstring)."""
    return list_tree(root, commit, prefix)[0]


def list_tree(root: Path, commit: str, prefix: str) -> tuple[list[Blob], bool]:
    """list_blobs, and whether the listing is plain: nothing was left out but what a walk of
    the working tree leaves out too (folders in SKIP_DIRS). Symlinks, submodules and names
    that are not UTF-8 make it not plain."""
    tree = f"{commit}:{prefix.rstrip('/')}"  # `commit:` is the root tree
    kind = _git(["cat-file", "-t", tree], cwd=root)  # `rev:path^{tree}` would be a path
    if kind.returncode or _out(kind) != "tree":
        return [], True
    listed = _git(["ls-tree", "-r", "-z", "-l", "--full-tree", tree], cwd=root)
    if listed.returncode:
        raise RevisionError(f"cannot list {tree}: {_err(listed)}: {FETCH_HINT}")
    out = []
    plain = True
    for record in listed.stdout.split(b"\x00"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        fields = meta.split()
        try:
            path = raw_path.decode("utf-8")
        except UnicodeDecodeError:
            plain = False
            continue
        if prefix and path.startswith(prefix):  # --full-name with a tree: never, but be sure
            path = path[len(prefix) :]
        skipped = any(part in SKIP_DIRS for part in path.split("/")[:-1])
        if len(fields) != 4 or fields[1] != b"blob" or fields[0].decode() not in _REGULAR_MODES:
            plain = plain and skipped  # symlinks, submodules
            continue
        if _safe(path):
            out.append(Blob(path, fields[2].decode("ascii"), int(fields[3])))
        else:
            plain = plain and skipped
    return out, plain


def blob_id(data: bytes) -> str:
    """The object id git gives a file with these bytes (`git hash-object`)."""
    return hashlib.sha1(b"blob %d\x00" % len(data) + data, usedforsecurity=False).hexdigest()


def identity(blob: Blob, limits: Limits) -> str | None:
    """What decides how agentroster reads the file: its object id, or for a card over the
    size limit only its size (it is reported as too large, never read). None for another
    file over its limit: the base copy is a stand-in (see extract), so no comparison holds."""
    if blob.size <= _limit(blob, limits):
        return blob.oid
    return f"size:{blob.size}" if is_card_name(blob.path) else None


def work_tree(root: Path, limits: Limits) -> dict[str, str | None] | None:
    """Every file under `root` as list_tree would list it from a commit, by path relative to
    the root (with `/`), with its identity (see identity). None when the folder holds what a
    commit's listing cannot match (a symlink, a fifo, a name that is not UTF-8) or more than
    TOTAL_MAX_BYTES to read: then no comparison by identity holds."""
    out: dict[str, str | None] = {}
    total = 0
    pending: list[tuple[str, str]] = [(os.fspath(root), "")]
    while pending:
        folder, rel = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError:
            return None
        for entry in listed:
            name = f"{rel}{entry.name}"
            try:
                name.encode("utf-8")
                info = entry.stat(follow_symlinks=False)
            except (OSError, UnicodeEncodeError):
                return None
            if stat.S_ISDIR(info.st_mode):
                if entry.name not in SKIP_DIRS:
                    pending.append((entry.path, f"{name}/"))
                continue
            if not stat.S_ISREG(info.st_mode):
                return None  # a symlink or a special file
            blob = Blob(name, "", info.st_size)
            if blob.size > _limit(blob, limits):
                out[name] = identity(blob, limits)
                continue
            total += blob.size
            if total > TOTAL_MAX_BYTES:
                return None
            data = _read_regular(entry.path, blob.size + 1)
            if data is None:
                return None
            out[name] = blob_id(data)
    return out


def _read_regular(path: str, most: int) -> bytes | None:
    """Up to `most` bytes of a regular file; None for anything else (a file swapped for a fifo
    or a link since it was listed is not waited on or followed)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks = []
        while most > 0 and (chunk := os.read(fd, min(most, 1 << 20))):
            chunks.append(chunk)
            most -= len(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def _limit(blob: Blob, limits: Limits) -> int:
    return limits.max_bytes if is_card_name(blob.path) else OTHER_MAX_BYTES


def _feed(stdin: IO[bytes], oids: Iterable[str]) -> None:
    try:
        for oid in oids:
            stdin.write(oid.encode("ascii") + b"\n")
    except OSError:
        pass  # git stopped reading; its exit is reported by the reader
    finally:
        with contextlib.suppress(OSError):
            stdin.close()


def _create(dest: Path, rel: str) -> int:
    target = dest.joinpath(*rel.split("/"))
    target.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    return os.open(target, flags | getattr(os, "O_BINARY", 0), 0o600)


def extract(root: Path, rev: str, dest: Path, *, limits: Limits) -> str:
    """Copy the roster under `root` as it was at `rev` into the empty folder `dest`; returns
    the commit id. Raises RevisionError (unknown revision, shallow clone, no git, ...)."""
    top, prefix, commit = resolve(root, rev)
    blobs = list_blobs(top, commit, prefix)
    check_total(blobs, rev, limits=limits)
    write_blobs(top, blobs, dest, limits=limits)
    return commit


def check_total(blobs: Sequence[Blob], rev: str, *, limits: Limits) -> None:
    """Raise RevisionError when the files to read at `rev` hold more than TOTAL_MAX_BYTES."""
    if sum(b.size for b in blobs if b.size <= _limit(b, limits)) > TOTAL_MAX_BYTES:
        raise RevisionError(f"the roster at {rev} holds more than 1 GiB of files")


def write_blobs(top: Path, blobs: Sequence[Blob], dest: Path, *, limits: Limits) -> None:
    """Write `blobs` under `dest` at their paths: each within its size limit read from one
    `git cat-file --batch`, each over it as a sparse file of its size (the loader sees the
    size and reads nothing)."""
    wanted: dict[str, list[str]] = {}
    for blob in blobs:
        if blob.size > _limit(blob, limits):
            fd = _create(dest, blob.path)
            try:
                os.ftruncate(fd, blob.size)
            finally:
                os.close(fd)
        else:
            wanted.setdefault(blob.oid, []).append(blob.path)
    if wanted:
        _cat(top, wanted, dest)


def _cat(top: Path, wanted: dict[str, list[str]], dest: Path) -> None:
    """Stream every wanted blob out of one `git cat-file --batch` into its paths."""
    import subprocess  # deferred: start-up time (a lint without --base runs no git)

    try:
        proc = subprocess.Popen(
            ["git", "cat-file", "--batch"],
            cwd=top,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_env(),
        )
    except FileNotFoundError:
        raise RevisionError("git is not installed or not on PATH; use --base-dir") from None
    assert proc.stdin is not None and proc.stdout is not None
    feeder = threading.Thread(target=_feed, args=(proc.stdin, list(wanted)), daemon=True)
    feeder.start()
    try:
        for _ in range(len(wanted)):
            header = proc.stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob":
                name = header[0].decode("ascii", "replace") if header else "?"
                raise RevisionError(f"git has no object {name}: {FETCH_HINT}")
            oid, size = header[0].decode("ascii"), int(header[2])
            paths = wanted.get(oid)
            if paths is None:
                raise RevisionError(f"git answered with an object not asked for: {oid}")
            content = proc.stdout.read(size)
            proc.stdout.read(1)  # the newline after each blob
            if len(content) != size:
                raise RevisionError(f"git stopped while reading {paths[0]}")
            for rel in paths:
                fd = _create(dest, rel)
                try:
                    view = memoryview(content)
                    while view:
                        view = view[os.write(fd, view) :]
                finally:
                    os.close(fd)
    finally:
        proc.stdout.close()
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        feeder.join()
