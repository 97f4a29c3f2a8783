"""The one place that writes files: atomically, so a reader never sees half a file."""

from __future__ import annotations

import os
import shutil
import tempfile
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
    """The output directory holds something that is not a previous build."""


def replace_dir(out: Path, files: dict[str, str], *, marker: str) -> None:
    """Make `out` hold exactly `files`, never leaving it half-written.

    Everything is written to a temporary directory beside `out` first; then the old
    directory is moved aside and the new one moved into place, and the old one removed. An
    interruption leaves either the old build or the new one at `out` (and at worst a hidden
    temporary directory beside it). A non-empty `out` without the `marker` file is refused:
    it is not ours to replace.
    """
    if out.exists():
        if not out.is_dir():
            raise WriteRefused(f"{out} exists and is not a directory")
        if any(out.iterdir()) and not (out / marker).is_file():
            raise WriteRefused(
                f"{out} is not empty and was not made by agentroster build (no {marker} file); "
                "choose another --out or empty it"
            )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; the output is an ordinary dir
    try:
        for rel, text in sorted(files.items()):
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
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
