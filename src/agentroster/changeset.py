"""The base roster of a change, built from the working tree's cards (docs/governance.md).

A change touches a few cards of many. A card whose file has the same git object id at the base
revision as in the working tree reads the same on both sides: the same data, the same source
map, the same card-rule findings, since a card rule sees only its card, the configuration (the
head's, for both sides), the catalogues and the files the card refers to, and those are the
same on both sides whenever this shortcut is taken (below). So the base roster is the working
tree's roster with the changed cards swapped for their base versions, the added cards left out
and the removed ones put back. Only those are read out of git (one `git cat-file --batch`) and
parsed; the other cards are the very CardFile objects the working tree's roster holds.

Roster-wide rules then run on the whole base roster, as they would on a base read in full: its
handoff graph, ids, statuses and data classes are the base's (a changed card's base version,
every other card's shared data). That is what makes the findings on unchanged cards right
where a changed neighbour moves them: a handoff target that loses its way to a person makes
every agent that hands work to it a dead end (H003) on one side and not the other, a renamed id
turns a neighbour's handoff into an unknown target (H001) whose did-you-mean names the nearest
id of that side's roster, a status change brings H005, H010 or L007 to the agents that hand to
it. Running the roster rules on the full graph costs little next to parsing (the graph and
every roster rule: about 1.3 s of a 10,000-card lint) and leaves nothing to argue about; the
parsing and the card rules of unchanged cards, the bulk of a lint, are what is saved.

The comparison covers every file under the roster root: at the base from `git ls-tree` (object
ids), in the working tree by hashing each file as git would (`blob <size>\\0<bytes>`). The
shortcut is not taken, and the base is read in full as before, when:

- either side holds something the other cannot match: a symlink, a submodule, a fifo, a name
  that is not UTF-8, a file other than a card over its size limit, more than 1 GiB to hash;
- a file that lint reads, other than a card, differs (changed, added or removed): a catalogue
  (queues, tool catalogue, people directory), an `agentroster.toml` or `pyproject.toml` (a
  nested roster, or the configuration), a `pyvenv.cfg` (discovery skips its folder), or a
  file that a card on either side refers to (golden set, runbook, prompt). Other files (a
  README, an untracked build folder, the `.git` file of a worktree) may differ freely: nothing
  in a lint reads them.

A card removed in the change is put back in the base roster only where discovery would have
found it (discover.admits: the same exclusions and folder checks).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from agentroster.catalogues import Catalogues
from agentroster.config import Config, is_roster_root
from agentroster.context import CardContext, CardFile, Roster
from agentroster.discover import CONFIG_NAMES, admits, discover, is_card_name, relative
from agentroster.findings import Rule
from agentroster.reading import display_path, read_card
from agentroster.references import referenced_paths
from agentroster.revision import (
    Blob,
    check_total,
    identity,
    list_tree,
    resolve,
    work_tree,
    write_blobs,
)
from agentroster.validate import FieldUnavailable

__all__ = ["Delta", "base_roster", "delta", "rel_path"]

_MISSING = "-"  # no file at this path on one side


@dataclass(frozen=True)
class Delta:
    """What a change did to the files under the roster root, from the base revision to the
    working tree."""

    top: Path  # the repository's top folder, where git reads the blobs
    unchanged: frozenset[str]  # cards (relative paths) with the same identity on both sides
    base_only: tuple[Blob, ...]  # the base versions of changed and removed cards
    others: frozenset[str]  # other files that differ (may be harmless: see the module docs)


def rel_path(file: Path, root: Path) -> str:
    """`file` relative to the roster root, with `/`."""
    return relative(file, root)


def delta(root: Path, rev: str, config: Config) -> Delta | None:
    """The cards `rev` and the working tree under `root` share, and the base versions of the
    others; None when no comparison by identity holds (see the module docstring). Raises
    RevisionError as revision.extract does."""
    top, prefix, commit = resolve(root, rev)
    blobs, plain = list_tree(top, commit, prefix)
    check_total(blobs, rev, limits=config.limits)
    if not plain:
        return None
    work = work_tree(root, config.limits)
    if work is None:
        return None
    cards = {
        rel_path(f, root) for f in discover(root, exclude=config.exclude, is_roster=is_roster_root)
    }
    base = {blob.path: blob for blob in blobs}
    unchanged: set[str] = set()
    base_only: list[Blob] = []
    others: set[str] = set()
    for rel in sorted(base.keys() | work.keys()):
        blob = base.get(rel)
        old = identity(blob, config.limits) if blob is not None else _MISSING
        new = work.get(rel, _MISSING)
        same = old is not None and old == new
        if rel in cards:
            if blob is None:
                continue  # added in the change
            if same:
                unchanged.add(rel)
            else:
                base_only.append(blob)  # changed
        elif blob is not None and rel not in work and is_card_name(rel):
            if admits(root, rel, exclude=config.exclude, is_roster=is_roster_root):
                base_only.append(blob)  # removed
            else:
                others.add(rel)
        elif not same:
            others.add(rel)
    return Delta(top, frozenset(unchanged), tuple(base_only), frozenset(others))


def _read_base(
    folder: Path,
    blob: Blob,
    *,
    root: Path,
    cwd: Path,
    config: Config,
    today: date,
    catalogues: Catalogues,
) -> CardFile:
    """A base card written to `folder`, read as if it were at its path in the working tree:
    its findings show that path, and the files it refers to are looked up there (they are the
    same on both sides when the shortcut is taken). Card rules run later, in lint_loaded."""
    where = root.joinpath(*blob.path.split("/"))
    card = read_card(
        folder.joinpath(*blob.path.split("/")),
        path=display_path(where, cwd),
        config=config,
        today=today,
        tool_catalogue=catalogues.tools,
        people=catalogues.people,
        rules=None,
    )
    card.file = where
    if card.context is not None:
        card.context.file = where
    return card


def _read_by_lint(
    others: frozenset[str], config: Config, root: Path, cards: Iterable[CardContext]
) -> bool:
    """Whether a lint reads one of the files in `others` (see the module docstring)."""
    catalogues = {
        os.path.normpath(name).replace(os.sep, "/")
        for name in (config.human_queues, config.tool_catalogue, config.people)
        if name
    }
    for rel in others:
        name = rel.rsplit("/", 1)[-1]
        if name in CONFIG_NAMES or name == "pyvenv.cfg" or rel in catalogues:
            return True
    for card in cards:
        folder = os.path.dirname(rel_path(card.file, root))
        try:
            for _, text in referenced_paths(card.model):
                target = os.path.normpath(os.path.join(folder, text)).replace(os.sep, "/")
                if target in others:
                    return True
        except FieldUnavailable:
            return True  # cannot tell what the card refers to
    return False


def _sort_key(rel: str) -> tuple[str, ...]:
    return tuple(os.path.normcase(part) for part in rel.split("/"))  # as discover sorts


def base_roster(
    head: Roster,
    change: Delta,
    folder: Path,
    config: Config,
    *,
    today: date,
    cwd: Path,
    recheck: Sequence[Rule] | None = None,
) -> Roster | None:
    """The base roster of `change`: the cards of `head` that did not change, and the base
    versions of the others (written to the empty folder `folder` and read from there); None
    when a file that a lint reads, other than a card, changed too (read the base in full).

    With `recheck` (the card rules), `head`'s unchanged cards were read without card rules
    (`diff`: their findings are the same on both sides, so neither introduced nor resolved).
    One that shares its id with a changed, added or removed card is read again with the rules
    in `head`: findings are matched by agent, and its findings could stand in for the other
    card's on one side."""
    catalogues = head.catalogues or Catalogues()
    write_blobs(change.top, change.base_only, folder, limits=config.limits)
    read = [
        _read_base(
            folder, blob, root=head.root, cwd=cwd, config=config, today=today, catalogues=catalogues
        )
        for blob in change.base_only
    ]
    if recheck is not None:
        _recheck(head, change, read, recheck, config=config, today=today)
    if change.others:
        contexts = [*head.cards, *(c.context for c in read if c.context is not None)]
        if _read_by_lint(change.others, config, head.root, contexts):
            return None
    rels = {id(f): rel_path(f.file, head.root) for f in [*head.files, *read]}
    shared = [f for f in head.files if rels[id(f)] in change.unchanged]
    files = sorted([*shared, *read], key=lambda f: _sort_key(rels[id(f)]))
    return Roster(head.root, files, head.catalogues)


def _recheck(
    head: Roster,
    change: Delta,
    read: list[CardFile],
    rules: Sequence[Rule],
    *,
    config: Config,
    today: date,
) -> None:
    unchanged = [rel_path(f.file, head.root) in change.unchanged for f in head.files]
    touched = {f.agent_id for f, same in zip(head.files, unchanged, strict=True) if not same}
    touched |= {f.agent_id for f in read}
    touched.discard(None)
    catalogues = head.catalogues or Catalogues()
    for index, (card, same) in enumerate(zip(head.files, unchanged, strict=True)):
        if same and card.agent_id in touched:
            head.files[index] = read_card(
                card.file,
                path=card.path,
                config=config,
                today=today,
                tool_catalogue=catalogues.tools,
                people=catalogues.people,
                rules=rules,
            )
