"""What every export reads of a roster: each agent once, in id order, with its file's path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from agentroster.context import CardContext, Roster
from agentroster.escape import yaml_string


class ExportError(Exception):
    """A value cannot be written safely in the export's format; the message names the card,
    the field and the value."""


@dataclass(frozen=True)
class Agent:
    """One exported agent: its card, and where the card file is."""

    card: CardContext
    path: str  # the card file relative to the export's base folder, forward slashes
    folder: str  # the card's folder relative to the roster root; "" at the root

    @property
    def id(self) -> str:
        return self.card.model.id


def _relative(file: Path, base: Path, root: Path) -> str:
    try:
        return file.relative_to(base).as_posix()
    except ValueError:  # a base that does not hold the roster: paths from the roster root
        return file.relative_to(root).as_posix()


def agents(roster: Roster, *, base: Path | None = None) -> list[Agent]:
    """Every card whose id is valid, sorted by id. Paths are relative to `base` (the
    repository's top, for CODEOWNERS and links), default the roster root. Of two cards with
    one id (an error lint reports, exported only with --allow-findings) the first by path is
    kept, so every export has unique names and references."""
    found: list[Agent] = []
    for card_file in roster.files:
        card = card_file.context
        if card is None or "id" in card.tainted:
            continue
        rel_root = card_file.file.relative_to(roster.root)
        folder = PurePosixPath(rel_root.as_posix()).parent.as_posix()
        found.append(
            Agent(
                card=card,
                path=_relative(card_file.file, base or roster.root, roster.root),
                folder="" if folder == "." else folder,
            )
        )
    found.sort(key=lambda a: (a.id, a.path))
    unique: dict[str, Agent] = {}
    for agent in found:
        unique.setdefault(agent.id, agent)
    return list(unique.values())


def _yaml_scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return yaml_string(value)
    raise TypeError(f"no YAML scalar for {type(value).__name__}")


def yaml_lines(value: object, indent: int = 0) -> list[str]:
    """A mapping of strings, numbers, lists and mappings as block-style YAML lines, in the
    mapping's order; empty lists and mappings as `[]` and `{}`. Every key and string goes
    through `escape.yaml_string`, so card text cannot add keys or documents."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            head = f"{pad}{yaml_string(str(key))}:"
            if isinstance(item, (dict, list)) and item:
                lines.append(head)
                lines += yaml_lines(item, indent + (2 if isinstance(item, dict) else 0))
            elif isinstance(item, (dict, list)):
                lines.append(f"{head} {'{}' if isinstance(item, dict) else '[]'}")
            else:
                lines.append(f"{head} {_yaml_scalar(item)}")
        return lines
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                nested = yaml_lines(item, indent + 2)
                lines.append(f"{pad}- {nested[0].lstrip()}")
                lines += nested[1:]
            else:
                lines.append(f"{pad}- {_yaml_scalar(item)}")
        return lines
    raise TypeError(f"yaml_lines needs a mapping or a list, not {type(value).__name__}")
