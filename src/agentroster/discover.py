"""Which files are cards: every `*.agent.yaml` / `*.agent.yml` under a roster root."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

CARD_SUFFIXES = (".agent.yaml", ".agent.yml")

# Never descended into: version control, virtualenvs, dependency and tool caches.
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".agentroster_cache",
        "site-packages",
    }
)


def is_card_name(name: str) -> bool:
    return name.endswith(CARD_SUFFIXES)


def card_stem(name: str) -> str:
    """`refund-assistant.agent.yaml` -> `refund-assistant` (other names: up to the first dot)."""
    for suffix in CARD_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name.split(".", 1)[0]


def _exclusion(patterns: tuple[str, ...]) -> tuple[Callable[[str], bool], bool]:
    """`exclude` compiled once for the whole walk: whether a path is excluded, and whether an
    excluded folder may be skipped whole. Not when a `!` pattern might bring back a card in it:
    git would not look inside, pathspec (and so agentroster) decides card by card."""
    if not patterns:
        return (lambda rel: False), False
    # deferred: start-up time (pathspec takes ~15 ms to import; most rosters exclude nothing)
    import pathspec

    spec = pathspec.GitIgnoreSpec.from_lines(patterns)
    return spec.match_file, all(p.include is not False for p in spec.patterns)


def _under(real: str, root_real: str) -> bool:
    return os.path.commonpath([root_real, real]) == root_real


def inside_root(root: Path, path: Path) -> bool:
    """Whether `path` lies under `root` once symlinks are resolved: a file named on the
    command line is read as a card only then, like a discovered one."""
    return _under(os.path.realpath(path), os.path.realpath(root))


# A folder holding one of these may be a roster of its own (see `is_roster`).
CONFIG_NAMES = frozenset({"agentroster.toml", "pyproject.toml"})


def enters(entry: os.DirEntry[str]) -> bool:
    """Whether a walk of the roster goes into this entry: a folder itself (a link to a folder
    is never followed), not version control, a cache or a virtualenv under any name."""
    try:
        if not entry.is_dir(follow_symlinks=False):
            return False
    except OSError:
        return False
    return entry.name not in SKIP_DIRS and not os.path.exists(
        os.path.join(entry.path, "pyvenv.cfg")
    )


def discover(
    root: Path,
    *,
    exclude: Iterable[str] = (),
    is_roster: Callable[[Path], bool] | None = None,
) -> list[Path]:
    """All card files under `root`, sorted as paths sort; skips SKIP_DIRS, virtualenvs and
    cards matched by the `exclude` gitignore patterns. Unreadable folders are skipped.

    A card's path relative to the root, with `/`, is matched as pathspec's GitIgnoreSpec does:
    a pattern matching the path itself outranks one matching only a folder above it, and the
    last of equal rank wins (`!` brings a card back). Directory symlinks are not followed; a
    card that is a symlink to a file outside the root is skipped (the roster is what the
    repository holds).
    With `is_roster`, a folder below the root for which it is true holds a roster of its own
    and is skipped: its cards belong to that roster (see rosters.py).
    """
    excluded, prune = _exclusion(tuple(exclude))
    found: list[tuple[tuple[str, ...], str]] = []  # (sort key: path parts, full path)
    root_real = os.path.realpath(root)
    pending: list[tuple[str, tuple[str, ...]]] = [(os.fspath(root), ())]
    while pending:
        folder, parts = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError:
            continue
        names = {entry.name for entry in listed}
        if parts and is_roster is not None and names & CONFIG_NAMES and is_roster(Path(folder)):
            continue  # a roster of its own
        for entry in listed:
            name = entry.name
            try:
                is_dir = entry.is_dir()  # a link to a folder is a folder, never entered
            except OSError:
                is_dir = False
            rel = "/".join((*parts, name))
            if is_dir:
                if enters(entry) and not (prune and excluded(rel + "/")):
                    pending.append((entry.path, (*parts, name)))
            elif is_card_name(name):
                if excluded(rel):
                    continue
                if entry.is_symlink() and not _under(os.path.realpath(entry.path), root_real):
                    continue
                key = tuple(os.path.normcase(part) for part in (*parts, name))
                found.append((key, entry.path))
    found.sort()
    return [Path(full) for _, full in found]


def admits(
    root: Path,
    rel: str,
    *,
    exclude: Iterable[str] = (),
    is_roster: Callable[[Path], bool] | None = None,
) -> bool:
    """Whether discover(root) would list a card at `rel` (relative, with `/`) were it there:
    the same folder checks (a virtualenv, an excluded folder, a roster of its own) and the same
    exclusions, made on the folders that are there. For a card a base revision has and the
    working tree does not (review): a folder the working tree lacks held no other file."""
    excluded, prune = _exclusion(tuple(exclude))
    parts = rel.split("/")
    folder = os.fspath(root)
    for index, name in enumerate(parts[:-1]):
        folder = os.path.join(folder, name)
        if name in SKIP_DIRS or os.path.exists(os.path.join(folder, "pyvenv.cfg")):
            return False
        if prune and excluded("/".join(parts[: index + 1]) + "/"):
            return False
        markers = any(os.path.exists(os.path.join(folder, n)) for n in CONFIG_NAMES)
        if markers and is_roster is not None and is_roster(Path(folder)):
            return False
    return is_card_name(parts[-1]) and not excluded(rel)


def relative(file: Path | str, root: Path | str) -> str:
    """`file` relative to `root`, with `/`: by cutting off the root's prefix when the path lies
    under it as written (the case of every discovered card; os.path.relpath costs ten times
    as much, which counts when a run asks for each of 10,000 cards)."""
    text, prefix = os.fspath(file), os.path.join(os.fspath(root), "")
    if text.startswith(prefix) and os.path.normpath(text) == text:
        return text[len(prefix) :].replace(os.sep, "/")
    return os.path.relpath(text, root).replace(os.sep, "/")
