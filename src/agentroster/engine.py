"""load -> validate -> card rules -> roster rules -> severities -> waivers -> filters -> sorted."""

from __future__ import annotations

import contextlib
import dataclasses
import fnmatch
import functools
import gc
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from agentroster import parallel
from agentroster.catalogues import CatalogueTool, load_catalogues
from agentroster.config import Config
from agentroster.discover import discover, inside_root
from agentroster.findings import Finding, Severity
from agentroster.loader import LoadProblem, load, read_file
from agentroster.roster import CardFile, Roster
from agentroster.rules import RULE_BY_CODE, RULES, references, resolve_selector
from agentroster.rules.base import CardContext, RosterContext, Rule
from agentroster.rules.internal import E000
from agentroster.rules.waiver import W004, active_waivers
from agentroster.sourcemap import SourceMap
from agentroster.validate import FieldUnavailable, validate


@dataclass
class Report:
    """The outcome of linting one or more rosters."""

    findings: list[Finding]
    files: int = 0
    agents: int = 0
    waived: int = 0
    failing: int = 0  # findings at or above their roster's `fail-on` level
    waived_by_path: dict[str, int] = dataclasses.field(default_factory=dict)

    @functools.cached_property
    def by_path(self) -> dict[str, list[Finding]]:
        """The findings of each file, grouped once (pages and registry entries ask per card)."""
        grouped: dict[str, list[Finding]] = {}
        for finding in self.findings:
            grouped.setdefault(finding.path, []).append(finding)
        return grouped

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def internal_errors(self) -> int:
        return sum(1 for f in self.findings if f.code == E000.code)

    def merge(self, other: Report) -> Report:
        return Report(
            sorted([*self.findings, *other.findings], key=Finding.sort_key),
            self.files + other.files,
            self.agents + other.agents,
            self.waived + other.waived,
            self.failing + other.failing,
            {**self.waived_by_path, **other.waived_by_path},
        )


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration of a run.

    A run builds tens of thousands of long-lived objects (data, source maps, models) and no
    reference cycles that matter; every collection would rescan all of them, which made
    linting 10,000 cards about 1.5 times slower. Nested use is fine; the previous state is
    restored.

    Drop the roster before the block ends: the first collection after it rescans every object
    still alive that was made during the run (0.45 s for 10,000 cards, against 0.1 s to free
    them).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def active_codes(config: Config) -> frozenset[str]:
    """Codes selected by `select` (all when empty) minus those in `ignore`."""
    selected: set[str] = set()
    for item in config.select or ("ALL",):
        selected |= resolve_selector(item)
    for item in config.ignore:
        selected -= resolve_selector(item)
    selected.add(E000.code)  # internal errors are never hidden
    return frozenset(selected)


def display_path(file: Path, cwd: Path) -> str:
    """Path as reported: relative to the working directory, with forward slashes."""
    try:
        rel = os.path.relpath(file, cwd)
    except ValueError:  # another drive on Windows
        rel = str(file)
    return rel.replace(os.sep, "/")


def display_paths(files: Sequence[Path], cwd: Path) -> list[str]:
    """display_path of each file; those under `cwd` (usually all) by cutting off its prefix."""
    prefix = os.path.join(os.path.abspath(cwd), "")
    out = []
    for file in files:
        text = os.fspath(file)
        if text.startswith(prefix) and os.path.normpath(text) == text:
            out.append(text[len(prefix) :].replace(os.sep, "/"))
        else:
            out.append(display_path(file, cwd))
    return out


def problem_finding(problem: LoadProblem, path: str, agent: str | None) -> Finding:
    """A loader or validation problem as a finding of its rule."""
    rule = RULE_BY_CODE[problem.code]
    return Finding(
        path,
        problem.line,
        problem.column,
        rule.code,
        rule.name,
        rule.severity,
        problem.message,
        agent,
        problem.key,
    )


def read_card(
    file: Path,
    *,
    path: str,
    config: Config,
    today: date,
    tool_catalogue: Mapping[str, CatalogueTool] | None = None,
    rules: Sequence[Rule] | None = None,
) -> CardFile:
    """Read, load and validate one file into a CardFile. Never raises on bad input.

    With `rules`, the card rules run at once and the card is slimmed (CardFile.slim), so a
    roster of any size holds only what roster-wide rules and the build need."""
    limits = config.limits
    raw = read_file(file, limits)
    if isinstance(raw, LoadProblem):
        return CardFile(file, path, None, SourceMap(), [problem_finding(raw, path, None)])
    result = load(raw, limits=limits)
    card = CardFile(file, path, result.data, result.source_map)
    problems = list(result.problems)
    validated = None
    if result.data is not None or not problems:
        validated = validate(result.data, result.source_map, damaged=result.damaged)
        problems.extend(validated.problems)
    agent = card.agent_id
    if validated is not None and validated.card is not None:
        view = validated.view()
        assert view is not None
        card.context = CardContext(
            path=path,
            file=file,
            root=config.root,
            data=result.data,
            model=view,
            source_map=result.source_map,
            config=config,
            today=today,
            tainted=validated.tainted,
            tool_catalogue=tool_catalogue,
            strings=result.strings,
        )
        agent = card.agent_id
    card.findings = [problem_finding(p, path, agent) for p in problems]
    if rules is not None:
        if card.context is not None:
            card.findings.extend(run_card_rules(card.context, rules))
        card.checked = True
        card.slim()
    return card


def _crash(rule: Rule, exc: Exception, *, path: str, agent: str | None, smap: SourceMap) -> Finding:
    line, column = smap.value(("id",))
    return Finding(
        path,
        line,
        column,
        E000.code,
        E000.name,
        E000.severity,
        f"rule {rule.code} ({rule.name}) crashed with {type(exc).__name__}: {exc}; this is a "
        "bug in agentroster, please report it with this card",
        agent,
    )


def run_card_rules(card: CardContext, rules: Iterable[Rule]) -> list[Finding]:
    """Findings of every card rule on one card; a crashing rule becomes an E000 finding."""
    out: list[Finding] = []
    for rule in rules:
        assert rule.check is not None
        try:
            out.extend(rule.check(card))
        except FieldUnavailable:
            continue  # the rule reads a field with a schema error, already reported
        except Exception as exc:
            out.append(_crash(rule, exc, path=card.path, agent=card.agent, smap=card.source_map))
    return out


def run_roster_rules(ctx: RosterContext, rules: Iterable[Rule]) -> list[Finding]:
    out: list[Finding] = []
    for rule in rules:
        assert rule.check is not None
        try:
            out.extend(rule.check(ctx))
        except Exception as exc:
            first = ctx.roster.files[0] if ctx.roster.files else None
            if first is not None:
                out.append(_crash(rule, exc, path=first.path, agent=None, smap=first.source_map))
    return out


def _with_severities(findings: list[Finding], config: Config) -> list[Finding]:
    overrides = dict(config.severity)
    if not overrides:
        return findings
    return [
        dataclasses.replace(f, severity=overrides[f.code]) if f.code in overrides else f
        for f in findings
    ]


def _apply_waivers(
    roster: Roster, findings: list[Finding], active: frozenset[str], *, use_waivers: bool
) -> tuple[list[Finding], dict[str, int]]:
    """Hide findings matched by a card's active waivers; report unused waivers (W004)."""
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    kept: list[Finding] = []
    waived: dict[str, int] = {}
    for card_file in roster.files:
        own = by_path.pop(card_file.path, [])
        card = card_file.context
        waivers = []
        if card is not None:
            try:
                waivers = active_waivers(card)
            except FieldUnavailable:
                waivers = []
        hidden_codes = {w.code for w in waivers}
        for finding in own:
            if use_waivers and finding.code in hidden_codes:
                waived[card_file.path] = waived.get(card_file.path, 0) + 1
            else:
                kept.append(finding)
        if card is not None and W004.code in active:
            used = {f.code for f in own}
            for waiver in waivers:
                if waiver.code in active and waiver.code not in used:
                    kept.append(
                        card.finding(
                            W004,
                            f"waiver for {waiver.rule_text} suppresses nothing: this card has no "
                            f"{waiver.code} finding; delete the waiver",
                            at=("waivers", waiver.index),
                        )
                    )
    for rest in by_path.values():
        kept.extend(rest)
    return kept, waived


def _ignored_by_path(finding: Finding, rel: str, config: Config) -> bool:
    for glob, selectors in config.per_path_ignores:
        if fnmatch.fnmatchcase(rel, glob):
            for selector in selectors:
                if finding.code in resolve_selector(selector):
                    return True
    return False


def card_rules_of(config: Config) -> list[Rule]:
    active = active_codes(config)
    return [r for r in RULES if r.scope == "card" and r.check is not None and r.code in active]


def load_roster(
    root: Path,
    config: Config,
    *,
    today: date,
    cwd: Path,
    extra: Sequence[Path] = (),
    check: bool = True,
    jobs: int = 1,
) -> Roster:
    """Every card under `root` (plus explicitly named files), read and validated, with the
    repository's queues and tool catalogue. With `check`, card rules run as each card is
    read (see read_card). With `jobs` > 1 and a large roster, cards are read by a pool of
    processes (parallel.py); the result is the same, in the same order."""
    root = root.resolve()
    references.forget()
    files = discover(root, exclude=config.exclude)
    if extra:
        found = set(files)
        named = [p.resolve() for p in extra if p.is_file() and inside_root(root, p)]
        named = [p for p in named if p not in found]
        files = sorted({*files, *named})
    catalogues = load_catalogues(
        root,
        queues=config.human_queues,
        tools=config.tool_catalogue,
        display=lambda p: display_path(p, cwd),
        limits=config.limits,
    )
    rules = card_rules_of(config) if check else None
    items = list(zip(files, display_paths(files, cwd), strict=True))
    cards = None
    if jobs > 1 and len(items) >= parallel.MIN_CARDS:
        cards = parallel.read_all(
            items, config=config, today=today, catalogue=catalogues.tools, rules=rules, jobs=jobs
        )
    if cards is None:
        read = functools.partial(
            read_card, config=config, today=today, tool_catalogue=catalogues.tools, rules=rules
        )
        cards = [read(f, path=path) for f, path in items]
    return Roster(root, cards, catalogues)


def lint_roster(
    root: Path,
    config: Config,
    *,
    today: date,
    cwd: Path,
    only: Sequence[Path] = (),
    use_waivers: bool = True,
    jobs: int = 1,
) -> Report:
    """Lint every card under `root`; report findings only for files under `only` (if given)."""
    with gc_paused():
        roster = load_roster(root, config, today=today, cwd=cwd, extra=only, jobs=jobs)
        report = lint_loaded(roster, config, today=today, only=only, use_waivers=use_waivers)
        del roster  # freed while the collector is paused (see gc_paused)
    return report


def lint_loaded(
    roster: Roster,
    config: Config,
    *,
    today: date,
    only: Sequence[Path] = (),
    use_waivers: bool = True,
) -> Report:
    """Run every active rule on a loaded roster (see lint_roster)."""
    catalogues = roster.catalogues
    assert catalogues is not None
    root = roster.root
    active = active_codes(config)
    card_rules = [
        r for r in RULES if r.scope == "card" and r.check is not None and r.code in active
    ]
    roster_rules = [r for r in RULES if r.scope == "roster" and r.code in active]

    findings: list[Finding] = [f for f in catalogues.findings if f.code in active]
    for card_file in roster.files:
        findings.extend(f for f in card_file.findings if f.code in active)
        if card_file.context is not None and not card_file.checked:
            findings.extend(run_card_rules(card_file.context, card_rules))
    ctx = RosterContext(roster.cards, roster, config, today)
    findings.extend(run_roster_rules(ctx, roster_rules))

    findings = _with_severities(findings, config)
    findings, waived_by_path = _apply_waivers(roster, findings, active, use_waivers=use_waivers)

    if config.per_path_ignores:
        rel_by_path = {
            f.path: os.path.relpath(f.file, root).replace(os.sep, "/") for f in roster.files
        }
        findings = [
            f for f in findings if not _ignored_by_path(f, rel_by_path.get(f.path, f.path), config)
        ]
    reported = roster.files
    if only:
        wanted = [p.resolve() for p in only]
        reported = [
            f for f in roster.files if any(f.file == w or w in f.file.parents for w in wanted)
        ]
        keep = {f.path for f in reported}
        findings = [f for f in findings if f.path in keep]
    findings.sort(key=Finding.sort_key)
    agents = sum(1 for f in reported if f.context is not None)
    failing = sum(1 for f in findings if f.severity.rank >= config.fail_on.rank)
    reported_paths = {f.path for f in reported}
    waived_by_path = {p: n for p, n in waived_by_path.items() if p in reported_paths}
    return Report(
        findings,
        files=len(reported),
        agents=agents,
        waived=sum(waived_by_path.values()),
        failing=failing,
        waived_by_path=waived_by_path,
    )
