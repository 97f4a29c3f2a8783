"""Every rule's `bad` and `good` snippets, as `explain` and docs/rules.md print them, run as tests.

A snippet is a fragment of a card. It becomes a card in a copy of the clean example roster:

- The fragment goes into a clean base card (meeting-notes, or the card SETUP names): every
  top-level key the fragment sets replaces the base card's, and the fragment is appended as
  written, comments included, so a finding can be traced back to the fragment's lines.
- A comment line `# no KEY ...` means the card has no KEY.
- A comment line `# file: NAME` starts a card written as NAME beside the base card; a snippet
  may describe several cards this way. Otherwise the card is written as `<id>.agent.yaml`.
- The roster's queue and tool catalogues are left out: only the rules about them (SETUP)
  bring them back, so the other snippets can name any queue or tool.

The `bad` snippet must yield findings of its rule and nothing else, on the snippet's lines
(or at the card's top-level mapping, for a snippet that removes a key, or at its `id`, for
a finding about what the card lacks as a whole), besides what SETUP
lists as the other findings that necessarily come with it. The `good` snippet must yield no
finding at all, besides what SETUP lists. SETUP holds each rule's extra context: the base
card, files on disk, other cards, configuration.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from agentroster.cli import main
from agentroster.findings import Rule
from agentroster.rules import RULE_BY_CODE, RULES
from tests.clean_roster import CleanRoster, card_name
from tests.conftest import REPO

NOT_RUNNABLE = {"E000": "an internal error has no card that causes it, only a bug"}
# the change review rules compare a card with its base revision: tests/test_review.py runs these
# snippets against a git base built from their `# base:` line, with the same strict assertion
NEEDS_BASE = {"M001", "M002", "M003"}
CATALOGUES = {"queues": "agentroster.queues.yaml", "tools": "agentroster.tools.yaml"}


@dataclass(frozen=True)
class Setup:
    """What a rule's snippets need besides themselves."""

    base: str = "meeting-notes"  # the clean card the snippet goes into
    catalogues: tuple[str, ...] = ()  # "queues", "tools": catalogues kept in the roster
    # files beside the card: runbooks, and golden sets holding as many cases as the snippet's
    # `cases:` says (one, if it says nothing)
    files: tuple[str, ...] = ()
    cards: Mapping[str, str] = field(default_factory=dict)  # other cards: id -> fragment
    config: str = ""  # added to agentroster.toml
    remove: tuple[str, ...] = ()  # keys removed from the base card first
    # (card, code) findings that necessarily come with the bad snippet's, and the good one's
    bad_also: tuple[tuple[str, str], ...] = ()
    good_also: tuple[tuple[str, str], ...] = ()
    # the bad snippet's finding is on another card, at a line holding this text
    elsewhere: tuple[str, str] | None = None
    reported_after: bool = False  # the finding may be on the line after the snippet


TIER_1 = "refund-assistant"  # tier 1, external-engagement, execute, production
TIER_1_QUIET = "fraud-screener"  # tier 1, core-process, production, no incidents
PILOT = "access-provisioner"  # tier 2, workplace-services, execute, pilot: no production rules
NO_RUNBOOKS = ("runbooks",)  # a production card with an L004 finding for a waiver to hide
SETUP: dict[str, Setup] = {
    # the parser meets the unclosed mapping at the end of the file, the line after the snippet
    "C001": Setup(reported_after=True),
    "B004": Setup(base=PILOT),  # a production card also needs the metrics L013 names
    "C002": Setup(base=TIER_1),
    "C004": Setup(base=TIER_1),
    "C005": Setup(base="campaign-drafter"),  # no evals or runbooks to move with the cards
    "C006": Setup(base=TIER_1),
    "T001": Setup(base=TIER_1),
    "T002": Setup(base="policy-expert"),  # tier 2 in assist mode: no rollback needed (L015)
    "T003": Setup(base=TIER_1),
    "T004": Setup(base=TIER_1_QUIET),
    "T006": Setup(base=TIER_1),
    "T007": Setup(base=TIER_1_QUIET),
    "T008": Setup(base=TIER_1_QUIET),
    "T011": Setup(base=TIER_1_QUIET),
    "P001": Setup(base="policy-expert"),
    "P002": Setup(base="policy-expert"),
    "P003": Setup(base=TIER_1),
    "P004": Setup(base=TIER_1),
    "P005": Setup(base="fraud-screener"),
    "A002": Setup(base=TIER_1),
    "A003": Setup(base=TIER_1),
    "A004": Setup(base="fraud-screener"),
    "A006": Setup(base=TIER_1),
    "A007": Setup(base=TIER_1, catalogues=("tools",)),
    "A008": Setup(base="it-helpdesk"),
    "A009": Setup(base=TIER_1),
    "I001": Setup(base=TIER_1_QUIET),  # reviewed after the incident: no T009
    "M004": Setup(base=TIER_1_QUIET),
    "K001": Setup(base=TIER_1_QUIET),
    "L001": Setup(files=("evals/golden.jsonl",)),
    "L002": Setup(files=("evals/golden.jsonl",)),
    "L003": Setup(base=PILOT, files=("prompts/refund-assistant.md",)),
    "L004": Setup(files=("runbooks/loop.md", "runbooks/provider.md", "runbooks/tools.md")),
    "L006": Setup(base=PILOT, files=("evals/golden.jsonl",)),
    "L007": Setup(base="campaign-drafter"),
    "L008": Setup(base=TIER_1),
    "L009": Setup(base=TIER_1),
    "L010": Setup(base="close-reconciler"),
    "L011": Setup(base=TIER_1),
    "L014": Setup(base=TIER_1_QUIET),
    "L015": Setup(base="it-helpdesk"),
    "H009": Setup(catalogues=("queues",)),
    "X002": Setup(base=PILOT),  # a production card also needs the metrics L013 names
    # classifier escalates nowhere: its own finding is B005, the summariser's dead end H003
    "H003": Setup(
        cards={"classifier": "# no escalation"},
        bad_also=(("classifier", "B005"),),
        good_also=(("classifier", "B005"),),
    ),
    # a retired agent that still receives work is also L007's, on its own card
    "H005": Setup(
        cards={
            "legacy-triage": "status: retired\nretirement: {date: 2026-09-30, reason: replaced, "
            "successor: triage}",
            "triage": "",
        },
        bad_also=(("legacy-triage", "L007"),),
    ),
    "H007": Setup(
        cards={
            "triage": "escalation: {to: billing}",
            "billing": "escalation: {to: refunds}",
            "refunds": "escalation: {to: human:billing-escalations}",
        }
    ),
    "H008": Setup(base="fraud-screener", elsewhere=("refund-assistant", "to: fraud-screener")),
    "X003": Setup(base="campaign-drafter", files=("evals/golden.jsonl",)),  # paused: no L008
    # an expired, incomplete or misspelt waiver hides nothing: the L004 it was for shows
    "W001": Setup(remove=NO_RUNBOOKS, bad_also=(("meeting-notes", "L004"),)),
    # refund-assistant's owner approves the waiver
    "W002": Setup(base=TIER_1, remove=NO_RUNBOOKS, bad_also=(("refund-assistant", "L004"),)),
    "W003": Setup(remove=NO_RUNBOOKS, bad_also=(("meeting-notes", "L004"),)),
}


# -- building the roster ----------------------------------------------------------------------
TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
NO_KEY = re.compile(r"^#\s*no\s+([a-z_]+)")
FILE = re.compile(r"^#\s*file:\s*(\S+)")


@dataclass
class Built:
    """One card made from a snippet: where it is and which of its lines the snippet holds."""

    path: Path
    lines: range
    removes: bool  # the snippet removes a key (its finding may be at the top-level mapping)
    first_key_line: int
    id_line: int | None


def without_keys(text: str, keys: set[str]) -> str:
    """A card's text without the top-level entries named (each key line and what it holds)."""
    out: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        match = TOP_KEY.match(line)
        if match or (line.strip() and not line[0].isspace() and not line.startswith("-")):
            skipping = bool(match) and match.group(1) in keys
        if not skipping:
            out.append(line)
    return "".join(out)


def sections(snippet: str) -> list[tuple[str | None, str]]:
    """The snippet split at `# file: NAME` lines: (file name or None, fragment)."""
    parts: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in snippet.splitlines():
        match = FILE.match(line)
        if match:
            parts.append((match.group(1), [line]))
        else:
            parts[-1][1].append(line)
    return [(name, "\n".join(lines)) for name, lines in parts if name or any(lines)]


def merge(base: str, fragment: str, *, remove: tuple[str, ...] = ()) -> tuple[str, range, bool]:
    """The base card with the fragment's top-level keys replaced by the fragment."""
    lines = fragment.splitlines()
    keys = {m.group(1) for m in map(TOP_KEY.match, lines) if m}
    gone = {m.group(1) for m in map(NO_KEY.match, lines) if m}
    text = without_keys(base, keys | gone | set(remove))
    if not text.endswith("\n"):
        text += "\n"
    start = text.count("\n") + 1
    return text + fragment + "\n", range(start, start + len(lines)), bool(gone)


def fragment_id(fragment: str) -> str | None:
    match = re.search(r"^id:\s*([\w-]+)", fragment, re.MULTILINE)
    return match.group(1) if match else None


def build(rule: Rule, snippet: str, tmp_path: Path) -> tuple[CleanRoster, list[Built]]:
    """The clean roster with the snippet's card(s) in place of the base card."""
    setup = SETUP.get(rule.code, Setup())
    roster = CleanRoster(tmp_path / "roster")
    for name, file in CATALOGUES.items():
        if name not in setup.catalogues:
            (roster.root / file).unlink()
    if setup.config:
        roster.configure(setup.config)
    base_file = roster.card(setup.base)
    base = base_file.read_text(encoding="utf-8")
    folder = base_file.parent
    base_file.unlink()
    cases = re.search(r"\bcases: (\d+)", snippet)
    for rel in setup.files:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        golden = "{}\n" * (int(cases.group(1)) if cases else 1)
        (folder / rel).write_text(golden if rel.endswith(".jsonl") else "# runbook\n")
    for agent, fragment in setup.cards.items():
        text, _, _ = merge(base, f"id: {agent}\n{fragment}")
        (folder / f"{agent}.agent.yaml").write_text(text, encoding="utf-8")
    built = []
    for name, fragment in sections(snippet):
        text, lines, removes = merge(base, fragment, remove=setup.remove)
        path = folder / (name or f"{fragment_id(fragment) or setup.base}.agent.yaml")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        first = next(i for i, line in enumerate(text.splitlines(), 1) if TOP_KEY.match(line))
        id_line = next((i for i, x in enumerate(text.splitlines(), 1) if x.startswith("id:")), None)
        built.append(Built(path, lines, removes, first, id_line))
    return roster, built


def runnable(rules: tuple[Rule, ...]) -> list[Rule]:
    return [r for r in rules if r.code not in NOT_RUNNABLE and r.code not in NEEDS_BASE]


# -- the tests ---------------------------------------------------------------------------------
def where(roster: CleanRoster, built: list[Built]) -> dict[str, Built]:
    return {card_name(b.path.relative_to(roster.root).as_posix()): b for b in built}


@pytest.mark.parametrize("rule", runnable(RULES), ids=lambda r: r.code)
def test_bad_snippet_yields_its_rule_there(rule: Rule, tmp_path: Path) -> None:
    setup = SETUP.get(rule.code, Setup())
    roster, built = build(rule, rule.bad, tmp_path)
    findings = roster.lint().findings
    cards = where(roster, built)
    own = [f for f in findings if f.code == rule.code]
    others = sorted((card_name(f.path), f.code) for f in findings if f.code != rule.code)
    assert own, f"the bad snippet of {rule.code} yields no {rule.code}"
    assert others == sorted(setup.bad_also), "findings besides the rule's"
    for finding in own:
        if setup.elsewhere is not None:
            card, text = setup.elsewhere
            line = roster.card(card).read_text().splitlines()[finding.line - 1]
            assert card_name(finding.path) == card and text in line, finding
            continue
        made = cards.get(card_name(finding.path))
        assert made is not None, f"{rule.code} on {finding.path}, not on the snippet's card"
        on_root = made.removes and finding.line == made.first_key_line
        # what a card lacks as a whole (an slo, a cost target) is reported at its id
        on_id = finding.key == ("id",) and finding.line == made.id_line
        after = setup.reported_after and finding.line == made.lines.stop
        assert finding.line in made.lines or on_root or on_id or after, (
            f"{rule.code} at line {finding.line}, outside the snippet (lines "
            f"{made.lines.start}-{made.lines.stop - 1})"
        )


@pytest.mark.parametrize("rule", runnable(RULES), ids=lambda r: r.code)
def test_good_snippet_passes(rule: Rule, tmp_path: Path) -> None:
    setup = SETUP.get(rule.code, Setup())
    roster, _ = build(rule, rule.good, tmp_path)
    findings = roster.lint().findings
    assert sorted((card_name(f.path), f.code) for f in findings) == sorted(setup.good_also)


def test_only_internal_errors_have_no_runnable_snippet() -> None:
    assert set(NOT_RUNNABLE) == {"E000"}
    assert all("\n# base: " in f"\n{RULE_BY_CODE[c].bad}" for c in NEEDS_BASE)
    assert set(SETUP) <= {r.code for r in runnable(RULES)}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_explain_and_docs_show_these_snippets(rule: Rule) -> None:
    shown = CliRunner().invoke(main, ["explain", rule.code]).output
    for snippet in (rule.bad, rule.good):
        assert "\n".join("    " + line for line in snippet.splitlines()) in shown
        assert f"```yaml\n{snippet}\n```" in (REPO / "docs" / "rules.md").read_text()
