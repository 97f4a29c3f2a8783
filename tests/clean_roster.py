"""The clean example roster in a temporary folder, and one-defect edits to it.

Rule tests start from `examples/roster` (nine realistic cards that lint clean on TODAY), make
one edit and compare every finding of the roster with what the test expects:

    def test_audit_switched_off(clean):
        clean.edit("meeting-notes", put("audit.enabled", False), expect="B002")
        assert clean.found() == clean.expected()

An edit is a text replacement (`sub`), or a key path set (`put`) or deleted (`drop`) through a
round trip that keeps the rest of the file byte for byte. `expect="CODE"` (or a `# expect: CODE`
comment in replacement text) marks the edited line; `clean.expected()` collects the marks of
every card, plus any (card, code, line) given to it for findings that land elsewhere (a
missing field is reported at its parent mapping). `found()` and `expected()` are sorted lists
of (card, code, line), the card named by its file name without `.agent.yaml`.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from agentroster.config import load_config
from agentroster.findings import Finding, Report
from agentroster.pipeline import lint_roster
from tests.conftest import EXAMPLES, TODAY

CLEAN = EXAMPLES / "roster"
MARKER = re.compile(r"#\s*expect:\s*([A-Z][0-9]{3}(?:\s*,\s*[A-Z][0-9]{3})*)")
CARD_SUFFIXES = (".agent.yaml", ".agent.yml")

Triple = tuple[str, str, int]
Path_ = tuple["str | int", ...]


def card_name(path: str) -> str:
    """`support/refund-assistant.agent.yaml` -> `refund-assistant`; other files keep their name."""
    name = path.rsplit("/", 1)[-1]
    for suffix in CARD_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


# -- edits ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Edit:
    """One change to a card's text; `line_of` says which line it touched (for `expect=`)."""

    apply: Callable[[str], tuple[str, int | None]]
    label: str

    def __repr__(self) -> str:
        return self.label


def sub(old: str, new: str) -> Edit:
    """Replace `old`, which must occur exactly once, by `new`."""

    def apply(text: str) -> tuple[str, int | None]:
        count = text.count(old)
        assert count == 1, f"{old!r} occurs {count} times, not once"
        at = text.index(old)
        return text.replace(old, new), text.count("\n", 0, at) + 1

    return Edit(apply, f"sub({old!r}, {new!r})")


def _yaml() -> YAML:
    yaml = YAML()  # round trip: comments, flow style and quotes stay as written
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _split(path: str | Path_) -> Path_:
    if isinstance(path, tuple):
        return path
    return tuple(int(p) if p.isdigit() else p for p in path.split("."))


def _line_of(data: Any, path: Path_) -> int:
    """1-based line of the key (or list item) at `path` in round-trip data."""
    *parents, last = path
    for segment in parents:
        data = data[segment]
    line0 = data.lc.key(last)[0] if isinstance(last, str) else data.lc.item(last)[0]
    return int(line0) + 1


def _round_trip(text: str, change: Callable[[Any], Path_ | None]) -> tuple[str, int | None]:
    yaml = _yaml()
    data = yaml.load(text)
    touched = change(data)
    out = io.StringIO()
    yaml.dump(data, out)
    dumped = out.getvalue()
    return dumped, None if touched is None else _line_of(yaml.load(dumped), touched)


def _flow(value: Any) -> Any:
    """Lists and mappings written in flow style, `[a, b]` and `{k: v}`, as the cards are."""
    if isinstance(value, dict):
        out: Any = CommentedMap((k, _flow(v)) for k, v in value.items())
    elif isinstance(value, list):
        out = CommentedSeq(_flow(v) for v in value)
    else:
        return value
    out.fa.set_flow_style()
    return out


def put(path: str | Path_, value: Any) -> Edit:
    """Set the value at a key path ('audit.enabled', 'tools.0.access'), creating the last key.
    Lists and mappings are written in flow style, on one line."""
    keys = _split(path)

    def change(data: Any) -> Path_:
        node = data
        for segment in keys[:-1]:
            node = node[segment]
        node[keys[-1]] = _flow(value)
        return keys

    return Edit(lambda text: _round_trip(text, change), f"put({path!r}, {value!r})")


def drop(path: str | Path_) -> Edit:
    """Delete the entry at a key path."""
    keys = _split(path)

    def change(data: Any) -> None:
        node = data
        for segment in keys[:-1]:
            node = node[segment]
        del node[keys[-1]]

    return Edit(lambda text: _round_trip(text, change), f"drop({path!r})")


def mark(text: str, line: int, code: str) -> str:
    """`text` with `# expect: CODE` at the end of a line (after any comment already there)."""
    lines = text.split("\n")
    current = lines[line - 1]
    lines[line - 1] = (
        f"{current}, {code}" if MARKER.search(current) else f"{current}  # expect: {code}"
    )
    return "\n".join(lines)


# -- the roster ------------------------------------------------------------------------------------
class CleanRoster:
    """A writable copy of the clean example roster."""

    def __init__(self, root: Path) -> None:
        shutil.copytree(CLEAN, root)
        self.root = root

    def card(self, name: str) -> Path:
        """The file of the card named `name` (its id, as in the file name)."""
        found = [p for s in CARD_SUFFIXES for p in self.root.rglob(f"{name}{s}")]
        assert len(found) == 1, f"{len(found)} cards named {name!r}"
        return found[0]

    def edit(self, name: str, *edits: Edit, expect: str | None = None) -> CleanRoster:
        """Apply edits to a card in order; `expect` marks the line the last edit touched."""
        path = self.card(name)
        text = path.read_text(encoding="utf-8")
        line = None
        for one in edits:
            text, line = one.apply(text)
        if expect is not None:
            assert line is not None, f"{edits[-1]!r} touches no line to mark"
            text = mark(text, line, expect)
        path.write_text(text, encoding="utf-8")
        return self

    def add_card(
        self, name: str, *edits: Edit, like: str = "meeting-notes", expect: str | None = None
    ) -> CleanRoster:
        """A new card `name` beside the card `like`, a copy of it with its id changed."""
        source = self.card(like)
        text = source.read_text(encoding="utf-8").replace(f"\nid: {like}\n", f"\nid: {name}\n")
        (source.parent / f"{name}.agent.yaml").write_text(text, encoding="utf-8")
        return self.edit(name, *edits, expect=expect)

    def write(self, rel: str, text: str | bytes = "") -> CleanRoster:
        """Write a file at a path relative to the roster root."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return self

    def configure(self, change: str | Edit) -> CleanRoster:
        """Edit the roster's agentroster.toml, or add lines (a new table) at its end."""
        config = self.root / "agentroster.toml"
        text = config.read_text(encoding="utf-8")
        text = change.apply(text)[0] if isinstance(change, Edit) else f"{text}\n{change}"
        config.write_text(text, encoding="utf-8")
        return self

    def lint(self, *, today: date = TODAY, **options: Any) -> Report:
        return lint_roster(self.root, load_config(self.root), today=today, cwd=self.root, **options)

    def found(self, *, today: date = TODAY, **options: Any) -> list[Triple]:
        """Every finding of the roster as (card, code, line), sorted."""
        return triples(self.lint(today=today, **options).findings)

    def expected(self, *elsewhere: Triple) -> list[Triple]:
        """The `# expect: CODE` marks of every card, and the findings given, sorted."""
        out = list(elsewhere)
        for path in sorted(p for s in CARD_SUFFIXES for p in self.root.rglob(f"*{s}")):
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except UnicodeDecodeError:
                continue
            for number, line in enumerate(lines, 1):
                match = MARKER.search(line)
                if match:
                    name = card_name(path.name)
                    out += [(name, code.strip(), number) for code in match.group(1).split(",")]
        return sorted(out)


def triples(findings: list[Finding]) -> list[Triple]:
    return sorted((card_name(f.path), f.code, f.line) for f in findings)
