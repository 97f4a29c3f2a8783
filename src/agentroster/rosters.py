"""Which rosters a run lints: rosters are found, not assumed.

A roster is a directory holding agentroster configuration (`agentroster.toml`, or a
`pyproject.toml` with `[tool.agentroster]`), with every card below it that is not in a roster
of its own. Linting a path lints the roster that holds it (narrowed to the path) and every
roster found below it (whole). A path in no roster belongs to the default root: the top of
the git work tree that holds it, else the current directory when it is inside it, else the
path itself. Nothing is executed to find the git work tree: it is the nearest ancestor that
holds a `.git` entry.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from agentroster.config import find_root, is_roster_root
from agentroster.discover import CONFIG_NAMES, enters


@dataclass(frozen=True)
class Target:
    """One roster to lint, and the paths whose findings are reported (empty: all)."""

    root: Path
    only: tuple[Path, ...] = ()


def default_root(start: Path, cwd: Path) -> Path:
    """The root for a path in no roster: its git work tree's top, else `cwd` when the path is
    inside it, else the path's own folder."""
    folder = start if start.is_dir() else start.parent
    top = work_tree(folder)
    if top is not None:
        return top
    if folder == cwd or cwd in folder.parents:
        return cwd
    return folder


def work_tree(folder: Path) -> Path | None:
    """The top of the git work tree holding `folder`: its nearest ancestor (itself included)
    with a `.git` entry; None outside any."""
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate / ".git"):
            return candidate
    return None


def nested_rosters(top: Path) -> list[Path]:
    """Roster roots strictly below `top`, sorted; the walk skips what discovery skips."""
    found: list[Path] = []
    pending = [os.fspath(top)]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError:
            continue
        names = {entry.name for entry in listed}
        if folder != os.fspath(top) and names & CONFIG_NAMES and is_roster_root(Path(folder)):
            found.append(Path(folder))
        pending.extend(entry.path for entry in listed if enters(entry))
    return sorted(found)


def plan(paths: Sequence[Path], *, cwd: Path, config_file: Path | None = None) -> list[Target]:
    """The rosters to lint for `paths` (default: the current directory), sorted by root.

    With an explicit config file there is one roster, at the file's folder."""
    # absolute, not resolved: a symlink named on the command line stays in its roster (where
    # it is not read, if it leads out of it)
    targets = [Path(os.path.abspath(p)) for p in paths] or [cwd]
    wanted: dict[Path, set[Path]] = {}
    whole: set[Path] = set()
    for target in targets:
        if config_file is not None:
            root = config_file.resolve().parent
        else:
            root = find_root(target) or default_root(target, cwd)
        root = root.resolve()
        if target == root:
            whole.add(root)
        else:
            wanted.setdefault(root, set()).add(target)
        if config_file is None and target.is_dir():
            whole.update(nested_rosters(target))
    roots = sorted(whole | set(wanted))
    return [
        Target(root, () if root in whole else tuple(sorted(wanted.get(root, ())))) for root in roots
    ]
