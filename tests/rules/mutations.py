"""One-defect mutations of a copy of examples/roster, for rules whose cases need a whole,
realistic roster around them (the v1.1 lifecycle rules).

A Mutation edits one card of the example roster (each `old` text must occur exactly once) and
may add or replace files. Every finding it should produce is marked `# expect: CODE` on the
edited line; the roster is clean before the edit, so the marks are all the findings there are.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from agentroster.config import load_config
from agentroster.pipeline import lint_roster
from tests.conftest import EXAMPLES, TODAY

MARKER = re.compile(r"#\s*expect:\s*([A-Z][0-9]{3}(?:\s*,\s*[A-Z][0-9]{3})*)")


@dataclass(frozen=True)
class Mutation:
    """`card` (relative to the roster) with each (old, new) edit applied, plus `files`."""

    rule: str  # the rule the case is about: a bad case expects it, a good case does not
    card: str
    edits: tuple[tuple[str, str], ...]
    files: dict[str, str] = field(default_factory=dict)
    config: str = ""  # appended to the roster's agentroster.toml (its last table is [policy])
    note: str = ""

    @property
    def bad(self) -> bool:
        return self.rule in {code for _, _, code in self.marked()}

    def apply(self, root: Path) -> Path:
        """Copy the example roster to `root`/roster, apply the mutation, return the copy."""
        roster = root / "roster"
        shutil.copytree(EXAMPLES / "roster", roster, symlinks=True)
        path = roster / self.card
        text = path.read_text(encoding="utf-8")
        for old, new in self.edits:
            assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {self.card}"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
        for rel, content in self.files.items():
            target = roster / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        if self.config:
            with (roster / "agentroster.toml").open("a", encoding="utf-8") as fh:
                fh.write(self.config)
        return roster

    def marked(self) -> Counter[tuple[str, int, str]]:
        """(card, line, code) of every `# expect:` mark in the edited card."""
        text = (EXAMPLES / "roster" / self.card).read_text(encoding="utf-8")
        for old, new in self.edits:
            text = text.replace(old, new)
        out: Counter[tuple[str, int, str]] = Counter()
        for number, line in enumerate(text.splitlines(), 1):
            match = MARKER.search(line)
            if match:
                for code in match.group(1).split(","):
                    out[(self.card, number, code.strip())] += 1
        return out


def found(roster: Path) -> Counter[tuple[str, int, str]]:
    """(path, line, code) of every finding in `roster`, linted on the tests' day."""
    report = lint_roster(roster, load_config(roster), today=TODAY, cwd=roster)
    return Counter((f.path, f.line, f.code) for f in report.findings)
