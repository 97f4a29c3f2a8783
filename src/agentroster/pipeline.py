"""The lint pipeline, top to bottom:

    configure -> discover -> read (load, validate, card rules; reading.py, parallel.py)
    -> roster rules -> severities -> waivers -> per-path ignores -> narrow to the paths asked
    -> Report

Each step is a small function below; lint_loaded runs them in that order.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import os
import stat
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path

from agentroster import parallel
from agentroster.baseline import BaselineError, Known, hide, loads
from agentroster.cache import CardCache
from agentroster.catalogues import Catalogues, DirectoryPerson, load_catalogues
from agentroster.config import (
    Config,
    ConfigError,
    describe,
    is_roster_root,
    load_config,
    path_spec,
)
from agentroster.context import BaseCards, CardFile, Roster
from agentroster.discover import discover, inside_root
from agentroster.findings import E000, Finding, Report, Rule, Severity
from agentroster.reading import (
    crash_finding,
    display_path,
    display_paths,
    internal_error,
    read_card,
    run_card_rules,
)
from agentroster.references import forget
from agentroster.rules import RULES, check_selectors, resolve_selector, severity_overrides
from agentroster.rules.base import RosterContext
from agentroster.rules.waiver import W004, ActiveWaiver, active_waivers
from agentroster.validate import FieldUnavailable

__all__ = [
    "configure",
    "display_path",
    "gc_paused",
    "lint_loaded",
    "lint_roster",
    "load_roster",
]


People = Mapping[str, DirectoryPerson] | None  # the people directory, when the roster has one


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


def configure(root: Path, explicit: Path | None = None) -> Config:
    """The configuration of the roster at `root`, with every rule selector checked.
    Raises ConfigError (file and key named) for anything wrong."""
    config = load_config(root, explicit)
    check_selectors(config)
    return config


@dataclasses.dataclass(frozen=True)
class Selection:
    """Rule selection from the command line, over the configuration (ruff's semantics):
    `select` replaces the configured selection, `extend_select` adds to it, `ignore` adds to
    the configured ignores, `fail_on` replaces the configured level, and `due_within` the
    configured `[policy] due-within`."""

    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: Severity | None = None
    due_within: int | None = None  # replaces `[policy] due-within` (T011)

    def check(self) -> None:
        """Raise ConfigError naming the option for a selector that names no rule."""
        for option, items in (
            ("--select", self.select),
            ("--extend-select", self.extend_select),
            ("--ignore", self.ignore),
        ):
            for item in items:
                resolve_selector(item, where=option)

    def apply(self, config: Config) -> Config:
        """`config` with this selection applied."""
        select = self.select or config.select
        if self.extend_select and select:
            select = (*select, *self.extend_select)
        policy = config.policy
        if self.due_within is not None:
            policy = dataclasses.replace(policy, due_within=self.due_within)
        return dataclasses.replace(
            config,
            select=select,
            ignore=(*config.ignore, *self.ignore),
            fail_on=self.fail_on or config.fail_on,
            policy=policy,
        )


MAX_BASELINE_BYTES = 64 * 1024 * 1024


def read_baseline(config: Config) -> Known | None:
    """The configured baseline file's entries, or None when the config names none. The file
    must be a regular file inside the roster root (symlinks out of it are refused); any
    problem is a ConfigError naming the key."""
    if config.baseline is None:
        return None
    where = f"{describe(config)}: baseline"
    if "\0" in config.baseline:
        raise ConfigError(f"{where}: {config.baseline!r} holds a NUL character, which no path can")
    root = os.path.realpath(config.root)
    path = os.path.realpath(os.path.join(config.root, config.baseline))
    if os.path.commonpath([root, path]) != root:
        raise ConfigError(f"{where}: {config.baseline!r} is outside the roster root {root}")
    try:
        with open(path, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise ConfigError(f"{where}: {config.baseline!r} is not a regular file")
            data = fh.read(MAX_BASELINE_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read {config.baseline!r}: {exc.strerror}") from None
    if len(data) > MAX_BASELINE_BYTES:
        raise ConfigError(f"{where}: {config.baseline!r} is larger than 64 MiB")
    try:
        return loads(data.decode("utf-8"), where=f"{where}: {config.baseline}")
    except (UnicodeDecodeError, BaselineError) as exc:
        raise ConfigError(str(exc)) from None


def active_codes(config: Config) -> frozenset[str]:
    """Codes selected by `select` (all when empty) minus those in `ignore`."""
    selected: set[str] = set()
    for item in config.select or ("ALL",):
        selected |= resolve_selector(item)
    for item in config.ignore:
        selected -= resolve_selector(item)
    selected.add(E000.code)  # internal errors are never hidden
    return frozenset(selected)


def card_rules_of(config: Config) -> list[Rule]:
    """The active card rules, in registry order."""
    active = active_codes(config)
    return [r for r in RULES if r.scope == "card" and r.check is not None and r.code in active]


# -- load --------------------------------------------------------------------------------------
def load_roster(
    root: Path,
    config: Config,
    *,
    today: date,
    cwd: Path,
    extra: Sequence[Path] = (),
    check: bool = True,
    jobs: int = 1,
    cache: bool = False,
    unchecked: Collection[Path] = (),
) -> Roster:
    """Every card under `root` (plus explicitly named files), read and validated, with the
    repository's catalogues (queues, tool catalogue, people directory). With `check`, card
    rules run as each card is read (see read_card), except on the files in `unchecked`
    (read, validated and slimmed with no card rule: `diff` skips cards a change left alone).
    With `jobs` > 1 and a large roster, cards are read by a pool of processes (parallel.py);
    the result is the same, in the same order. With `cache` (and `check`, unless the config
    says `cache = false`), cards unchanged since an earlier run are taken from the user's
    cache (cache.py): the result is the same."""
    root = root.resolve()
    forget()
    files = discover(root, exclude=config.exclude, is_roster=is_roster_root)
    if extra:
        found = set(files)
        named = [p.resolve() for p in extra if p.is_file() and inside_root(root, p)]
        named = [p for p in named if p not in found]
        files = sorted({*files, *named})
    catalogues = read_catalogues(root, config, cwd=cwd)
    rules = card_rules_of(config) if check else None
    items = list(zip(files, display_paths(files, cwd), strict=True))
    if unchecked and rules is not None:
        skip = frozenset(unchecked)
        first = [i for i in items if i[0] not in skip]
        rest = [i for i in items if i[0] in skip]
        read = dict(zip(first, _read(first, config, today, catalogues, rules, jobs), strict=True))
        read.update(zip(rest, _read(rest, config, today, catalogues, [], jobs), strict=True))
        return Roster(root, [read[i] for i in items], catalogues)
    store = None
    if cache and check:
        store = CardCache.open(
            root, config, today=today, tools=catalogues.tools, people=catalogues.people
        )
    if store is None:
        return Roster(root, _read(items, config, today, catalogues, rules, jobs), catalogues)
    hits = store.lookup(items)
    misses = [i for i, hit in zip(items, hits, strict=True) if hit is None]
    try:  # each card's entry goes to the cache file as the card arrives (CardCache.add)
        fresh = iter(_read(misses, config, today, catalogues, rules, jobs, sink=store.add))
    except BaseException:
        store.discard()
        raise
    store.finish()
    cards = [hit if hit is not None else next(fresh) for hit in hits]
    return Roster(root, cards, catalogues)


def _read(
    items: Sequence[tuple[Path, str]],
    config: Config,
    today: date,
    catalogues: Catalogues,
    rules: Sequence[Rule] | None,
    jobs: int,
    *,
    sink: Callable[[CardFile], None] | None = None,
) -> list[CardFile]:
    """The cards of `items` read in order: by a pool of processes when there are many. Each
    card is handed to `sink` as it is read (the cache's writer; the pool's workers then
    also make each card's cache line, CardFile.entry)."""
    cards = None
    if jobs > 1 and len(items) >= parallel.MIN_CARDS:
        cards = parallel.read_all(
            items,
            config=config,
            today=today,
            catalogue=catalogues.tools,
            people=catalogues.people,
            rules=rules,
            jobs=jobs,
            sink=sink,
        )
    if cards is None:
        read = functools.partial(
            read_card,
            config=config,
            today=today,
            tool_catalogue=catalogues.tools,
            people=catalogues.people,
            rules=rules,
        )
        cards = []
        for file, path in items:
            card = read(file, path=path)
            if sink is not None:
                sink(card)
            cards.append(card)
    return cards


def read_catalogues(root: Path, config: Config, *, cwd: Path) -> Catalogues:
    """The repository's queues and tool catalogue. An exception while reading them (a bug
    in agentroster, not in the files) is an E000 finding, and the roster is linted as if
    neither file existed; a ConfigError (a path the config may not name) goes on up."""
    try:
        return load_catalogues(
            root,
            queues=config.human_queues,
            tools=config.tool_catalogue,
            people=config.people,
            display=lambda p: display_path(p, cwd),
            limits=config.limits,
        )
    except ConfigError:
        raise
    except Exception as exc:
        files = [root / config.human_queues, root / config.tool_catalogue, root / config.people]
        where = next((f for f in files if os.path.lexists(f)), files[0])
        finding = internal_error(
            exc, path=display_path(where, cwd), during="reading the queues and tool catalogues"
        )
        return Catalogues(findings=[finding])


# -- the steps of lint_loaded --------------------------------------------------------------------
def collect(roster: Roster, active: frozenset[str], card_rules: Sequence[Rule]) -> list[Finding]:
    """Findings of the catalogues and of each card (running card rules not yet run)."""
    assert roster.catalogues is not None
    findings = [f for f in roster.catalogues.findings if f.code in active]
    for card_file in roster.files:
        findings.extend(f for f in card_file.findings if f.code in active)
        if card_file.context is not None and not card_file.checked:
            findings.extend(run_card_rules(card_file.context, card_rules))
    return findings


def run_roster_rules(ctx: RosterContext, rules: Iterable[Rule]) -> list[Finding]:
    """Findings of every roster rule; a crashing rule becomes E000 at the first card."""
    out: list[Finding] = []
    for rule in rules:
        assert rule.check is not None
        try:
            out.extend(rule.check(ctx))
        except Exception as exc:
            first = ctx.roster.files[0] if ctx.roster.files else None
            if first is not None:
                out.append(
                    crash_finding(rule, exc, path=first.path, agent=None, smap=first.source_map)
                )
    return out


def with_severities(findings: list[Finding], config: Config) -> list[Finding]:
    """Findings with the severities `[severity]` sets."""
    overrides = severity_overrides(config)
    if not overrides:
        return findings
    return [
        dataclasses.replace(f, severity=overrides[f.code]) if f.code in overrides else f
        for f in findings
    ]


def _unused_waivers(
    card_file: CardFile, own: list[Finding], active: frozenset[str], people: People
) -> list[Finding]:
    """W004 for each active waiver of the card that hides none of its findings."""
    card = card_file.context
    if card is None or W004.code not in active:
        return []
    used = {f.code for f in own}
    return [
        card.finding(
            W004,
            f"waiver for {waiver.rule_text} suppresses nothing: this card has no "
            f"{waiver.code} finding; delete the waiver",
            at=("waivers", waiver.index),
        )
        for waiver in _waivers_of(card_file, people)
        if waiver.code in active and waiver.code not in used
    ]


def _waivers_of(card_file: CardFile, people: People) -> list[ActiveWaiver]:
    card = card_file.context
    if card is None:
        return []
    try:
        return active_waivers(card, people=people)
    except FieldUnavailable:
        return []


def apply_waivers(
    roster: Roster, findings: list[Finding], active: frozenset[str], *, use_waivers: bool
) -> tuple[list[Finding], dict[str, int]]:
    """Hide findings matched by a card's active waivers; report unused waivers (W004)."""
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    kept: list[Finding] = []
    waived: dict[str, int] = {}
    people = roster.catalogues.people if roster.catalogues is not None else None
    for card_file in roster.files:
        own = by_path.pop(card_file.path, [])
        hidden_codes = {w.code for w in _waivers_of(card_file, people)}
        for finding in own:
            if use_waivers and finding.code in hidden_codes:
                waived[card_file.path] = waived.get(card_file.path, 0) + 1
            else:
                kept.append(finding)
        kept.extend(_unused_waivers(card_file, own, active, people))
    for rest in by_path.values():
        kept.extend(rest)
    return kept, waived


def drop_per_path_ignores(roster: Roster, findings: list[Finding], config: Config) -> list[Finding]:
    """Findings minus those `per-path-ignores` hides (never E000). Each pattern is a
    gitignore pattern matched against the card's path relative to the roster root; each is
    compiled once, and each path matched once however many findings it has."""
    if not config.per_path_ignores:
        return findings
    rel_by_path = {
        f.path: os.path.relpath(f.file, roster.root).replace(os.sep, "/") for f in roster.files
    }
    ignored = [
        (path_spec((pattern,)), frozenset().union(*map(resolve_selector, selectors)) - {E000.code})
        for pattern, selectors in config.per_path_ignores
    ]

    @functools.cache
    def hidden_codes(path: str) -> frozenset[str]:
        rel = rel_by_path.get(path, path)  # a catalogue's finding: its path as displayed
        return frozenset().union(*(codes for spec, codes in ignored if spec.match_file(rel)))

    return [f for f in findings if f.code not in hidden_codes(f.path)]


def reported_files(roster: Roster, only: Sequence[Path]) -> list[CardFile]:
    """The card files whose findings are reported: all, or those under the paths asked for."""
    if not only:
        return roster.files
    wanted = [p.resolve() for p in only]
    return [f for f in roster.files if any(f.file == w or w in f.file.parents for w in wanted)]


def make_report(
    findings: list[Finding],
    reported: list[CardFile],
    waived_by_path: dict[str, int],
    config: Config,
    *,
    narrowed: bool,
    baseline: Known | None = None,
) -> Report:
    """The Report of the reported files: their findings sorted, counts, waived findings.
    With `narrowed`, findings of other files (and of the catalogues) are left out, except
    internal errors (E000)."""
    keep = {f.path for f in reported}
    if narrowed:  # an internal error is never left out: it may have hidden any finding
        findings = [f for f in findings if f.path in keep or f.code == E000.code]
    findings.sort(key=Finding.sort_key)
    baselined = 0
    if baseline is not None:
        before = len(findings)
        findings = hide(findings, baseline)
        baselined = before - len(findings)
    waived = {p: n for p, n in waived_by_path.items() if p in keep}
    return Report(
        findings,
        files=len(reported),
        agents=sum(1 for f in reported if f.context is not None),
        waived=sum(waived.values()),
        failing=sum(1 for f in findings if f.severity.rank >= config.fail_on.rank),
        waived_by_path=waived,
        baselined=baselined,
    )


# -- the pipeline ----------------------------------------------------------------------------
def lint_loaded(
    roster: Roster,
    config: Config,
    *,
    today: date,
    only: Sequence[Path] = (),
    use_waivers: bool = True,
    baseline: Known | None = None,
    base: BaseCards | None = None,
) -> Report:
    """Run every active rule on a loaded roster (see lint_roster). With `baseline`, the
    findings it records are hidden and its entries used up (baseline.hide). With `base` (the
    cards of a base revision), the change review rules M001-M003 run too."""
    active = active_codes(config)
    card_rules = card_rules_of(config)
    roster_rules = [r for r in RULES if r.scope == "roster" and r.code in active]

    findings = collect(roster, active, card_rules)
    ctx = RosterContext(roster.cards, roster, config, today, base=base)
    findings += run_roster_rules(ctx, roster_rules)
    findings = with_severities(findings, config)
    findings, waived_by_path = apply_waivers(roster, findings, active, use_waivers=use_waivers)
    findings = drop_per_path_ignores(roster, findings, config)
    reported = reported_files(roster, only)
    return make_report(
        findings, reported, waived_by_path, config, narrowed=bool(only), baseline=baseline
    )


def lint_roster(
    root: Path,
    config: Config,
    *,
    today: date,
    cwd: Path,
    only: Sequence[Path] = (),
    use_waivers: bool = True,
    jobs: int = 1,
    baseline: Known | None = None,
    base: BaseCards | None = None,
    cache: bool = False,
) -> Report:
    """Lint every card under `root`; report findings only for files under `only` (if given).
    With `base`, compare each card with its version there too (M001-M003). With `cache`, see
    load_roster."""
    with gc_paused():
        roster = load_roster(root, config, today=today, cwd=cwd, extra=only, jobs=jobs, cache=cache)
        report = lint_loaded(
            roster,
            config,
            today=today,
            only=only,
            use_waivers=use_waivers,
            baseline=baseline,
            base=base,
        )
        del roster  # freed while the collector is paused (see gc_paused)
    return report
