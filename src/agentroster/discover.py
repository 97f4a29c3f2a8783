"""Which files are cards: every `*.agent.yaml` / `*.agent.yml` under a roster root."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
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


def _excluded(rel: str, patterns: Iterable[str]) -> bool:
    return any(
        fnmatch.fnmatchcase(rel, pat) or fnmatch.fnmatchcase(rel, pat.rstrip("/") + "/*")
        for pat in patterns
    )


def discover(root: Path, *, exclude: Iterable[str] = ()) -> list[Path]:
    """All card files under `root`, sorted; skips SKIP_DIRS, virtualenvs and `exclude` globs.

    Directory symlinks are not followed; a card that is a symlink to a file outside the root
    is skipped (the roster is what the repository holds).
    """
    patterns = tuple(exclude)
    found: list[Path] = []
    root_real = os.path.realpath(root)
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        kept = []
        for name in dirnames:
            if name in SKIP_DIRS:
                continue
            full = os.path.join(dirpath, name)
            if os.path.exists(os.path.join(full, "pyvenv.cfg")):
                continue  # a virtualenv under any name
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            if patterns and _excluded(rel, patterns):
                continue
            kept.append(name)
        dirnames[:] = sorted(kept)
        for name in filenames:
            if not is_card_name(name):
                continue
            full = os.path.join(dirpath, name)
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            if patterns and _excluded(rel, patterns):
                continue
            if os.path.islink(full):
                target = os.path.realpath(full)
                if os.path.commonpath([root_real, target]) != root_real:
                    continue
            found.append(Path(full))
    return sorted(found)
