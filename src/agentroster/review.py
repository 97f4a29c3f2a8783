"""Change review: a roster compared with its base revision (docs/governance.md#change-review).

    base (git revision via revision.py, or a folder) -> load the base roster -> BaseCards
    -> lint the head with M001-M003 -> (--new-only) hide what the base already had
    -> (diff) per-agent field changes, graph changes, findings introduced and resolved

The base is linted with the head's configuration, so a finding is "new" because the cards
changed, not because the settings did. Findings of the two sides are matched as baselines
match them (baseline.py): by code, agent and key path, never by line.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from agentroster.baseline import Known, hide, known
from agentroster.changeset import base_roster, delta
from agentroster.compare import Change, field_changes
from agentroster.config import Config
from agentroster.context import BaseCards, CardFile, Roster
from agentroster.discover import relative
from agentroster.findings import Finding, Report
from agentroster.graph import handoff_graph, regulated
from agentroster.model import AgentCard
from agentroster.pipeline import card_rules_of, display_path, gc_paused, lint_loaded, load_roster
from agentroster.revision import RevisionError, extract, resolve
from agentroster.rules.change import CAB_TIERS

__all__ = [
    "AgentDiff",
    "ChangeReport",
    "GraphDiff",
    "RevisionError",
    "Side",
    "compare_sides",
    "lint_against_base",
    "side_at",
]


@dataclass(frozen=True)
class Side:
    """One side of a comparison: the folder its files are read from, the roster root they
    are shown as (the working tree's), and a label ("origin/main", "working tree"). A side at
    a git revision (`rev`) starts as an empty folder: read_all copies the roster into it when
    it is read in full; changeset.py reads only the cards a change touched."""

    folder: Path
    shown_as: Path
    label: str
    rev: str | None = None


@contextlib.contextmanager
def side_at(
    root: Path,
    *,
    rev: str | None = None,
    folder: Path | None = None,
    config: Config,
) -> Iterator[Side]:
    """The roster at `root` as it is at `rev` (read out of git into a temporary folder when
    needed, removed afterwards), in `folder`, or (neither) in the working tree. Raises
    RevisionError for a revision git cannot resolve."""
    if rev is None:
        where = (folder or root).resolve()
        label = "working tree" if folder is None else os.fspath(folder)
        yield Side(where, root.resolve(), label)
        return
    resolve(root, rev)  # an unknown revision is an error before anything is read
    with tempfile.TemporaryDirectory(prefix="agentroster-base-") as tmp:
        dest = Path(tmp) / "roster"
        dest.mkdir()
        yield Side(dest, root.resolve(), rev, rev=rev)


def read_all(side: Side, config: Config) -> None:
    """Copy a side at a git revision into its folder, once."""
    if side.rev is not None and not any(side.folder.iterdir()):
        extract(side.shown_as, side.rev, side.folder, limits=config.limits)


def _scratch(side: Side) -> Path:
    """An empty folder beside a git side's, for the few cards changeset.py reads."""
    folder = side.folder.parent / "changed"
    folder.mkdir()
    return folder


def _config_for(side: Side, config: Config) -> Config:
    return config if side.folder == config.root else dataclasses.replace(config, root=side.folder)


def _load(side: Side, config: Config, *, today: date, jobs: int, check: bool) -> Roster:
    read_all(side, config)
    return load_roster(
        side.folder, _config_for(side, config), today=today, cwd=side.folder, check=check, jobs=jobs
    )


def _rel(card_file: CardFile, folder: Path) -> str:
    return relative(card_file.file, folder)


def base_cards(roster: Roster, side: Side) -> BaseCards:
    """The cards of a loaded base roster by agent id and by path."""
    by_agent: dict[str, AgentCard] = {}
    by_path: dict[str, AgentCard] = {}
    for card_file in roster.files:
        ctx = card_file.context
        if ctx is None:
            continue
        if ctx.agent is not None:
            by_agent.setdefault(ctx.agent, ctx.model)
        by_path[_rel(card_file, side.folder)] = ctx.model
    return BaseCards(by_agent, by_path, side.label)


def _shown(findings: Sequence[Finding], side: Side, cwd: Path) -> list[Finding]:
    """Findings of a side read with cwd = its folder, with the paths the working tree's files
    have (so both sides' findings compare)."""
    if side.folder == side.shown_as:
        return list(findings)
    out = []
    for finding in findings:
        path = display_path(side.shown_as / finding.path, cwd)
        out.append(dataclasses.replace(finding, path=path))
    return out


def only_new(report: Report, base: Known, config: Config) -> Report:
    """`report` without the findings the base revision already had (matched by code, agent
    and key path: baseline.hide)."""
    kept = hide(report.findings, base)
    return dataclasses.replace(
        report,
        findings=kept,
        failing=sum(1 for f in kept if f.severity.rank >= config.fail_on.rank),
    )


def _fast_base(
    head: Roster,
    base: Side,
    config: Config,
    *,
    today: date,
    cwd: Path,
    recheck: bool = False,
) -> Roster | None:
    """The base roster assembled from `head` and the cards the change touched (changeset.py),
    or None when that shortcut does not hold: a base that is not a git revision, or a change to
    a file other than a card that lint reads."""
    if base.rev is None or head.root != base.shown_as:
        return None
    change = delta(head.root, base.rev, config)
    if change is None:
        return None
    return base_roster(
        head,
        change,
        _scratch(base),
        config,
        today=today,
        cwd=cwd,
        recheck=card_rules_of(config) if recheck else None,
    )


def lint_against_base(
    root: Path,
    config: Config,
    *,
    base: Side,
    today: date,
    cwd: Path,
    only: Sequence[Path] = (),
    use_waivers: bool = True,
    jobs: int = 1,
    baseline: Known | None = None,
    new_only: bool = False,
    cache: bool = False,
) -> Report:
    """Lint the roster at `root` as usual plus M001-M003 against `base`; with `new_only`,
    only the findings the change introduces.

    The base roster is the working tree's with the cards the change touched swapped for their
    base versions (changeset.py): only those are read out of git and parsed. M001-M003 need the
    base version of each card; `--new-only` needs the base's findings, which lint_loaded finds
    on that roster, running the card rules on the base versions of the changed cards only (the
    other cards' findings are shared) and every roster rule on the base's own handoff graph.
    Where the shortcut does not hold, the base is read in full. With `cache`, the head's
    unchanged cards come from the cache (pipeline.load_roster); base versions never do."""
    with gc_paused():
        head = load_roster(root, config, today=today, cwd=cwd, extra=only, jobs=jobs, cache=cache)
        fast = _fast_base(head, base, config, today=today, cwd=cwd)
        side = base if fast is None else dataclasses.replace(base, folder=head.root)
        if fast is None:
            base_roster_ = _load(base, config, today=today, jobs=jobs, check=new_only)
        else:
            base_roster_ = fast
        cards = base_cards(base_roster_, side)
        before = None
        if new_only:
            report = lint_loaded(
                base_roster_, _config_for(side, config), today=today, use_waivers=use_waivers
            )
            before = known(_shown(report.findings, side, cwd))
        del base_roster_, fast
        result = lint_loaded(
            head,
            config,
            today=today,
            only=only,
            use_waivers=use_waivers,
            baseline=baseline,
            base=cards,
        )
        del head
    return result if before is None else only_new(result, before, config)


# -- diff ----------------------------------------------------------------------------------------
Status = Literal["added", "removed", "renamed", "changed"]


@dataclass(frozen=True)
class AgentDiff:
    """What happened to one agent between the two sides."""

    agent: str  # its id on the new side (the old side's, when removed)
    status: Status
    path: str  # as shown (the old path, when removed)
    tier: int
    old_agent: str | None = None  # renamed or moved: the old id
    old_path: str | None = None  # renamed or moved: the old path
    fields: tuple[Change, ...] = ()
    approvals: tuple[str, ...] = ()  # who must approve it, by tier

    @property
    def material(self) -> bool:
        return any(c.material for c in self.fields)


@dataclass(frozen=True)
class GraphDiff:
    """Changes to the handoff graph."""

    added: tuple[tuple[str, str], ...] = ()  # edges (from, to)
    removed: tuple[tuple[str, str], ...] = ()
    lost_human: tuple[str, ...] = ()  # agents that reached a person before and do not now
    regulated: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # new edges from regulated data
    new_cycles: tuple[tuple[str, ...], ...] = ()  # closed cycles (no way to a person) now

    def __bool__(self) -> bool:
        return bool(
            self.added or self.removed or self.lost_human or self.regulated or self.new_cycles
        )


@dataclass
class ChangeReport:
    """Everything `agentroster diff` reports."""

    base: str
    head: str
    agents: list[AgentDiff]
    graph: GraphDiff
    introduced: list[Finding]
    resolved: list[Finding]
    unchanged: int = 0
    failing: bool = field(default=False)  # M findings or new errors: the diff exits 1

    def count(self, status: Status) -> int:
        return sum(1 for a in self.agents if a.status == status)


def approvals_for(old_tier: int | None, tier: int, sponsor: str | None) -> tuple[str, ...]:
    """Who must approve a material change of an agent at `tier` (was `old_tier`): the change
    advisory board at tiers 1-2, and the sponsor's sign-off at tier 1."""
    tiers = {tier} | ({old_tier} if old_tier is not None else set())
    out = []
    if tiers & CAB_TIERS:
        out.append("change advisory board (CAB)")
    if 1 in tiers:
        out.append(f"sponsor sign-off ({sponsor})" if sponsor else "sponsor sign-off")
    return tuple(out)


def _cards(roster: Roster, side: Side, cwd: Path) -> dict[str, tuple[AgentCard, str, str]]:
    """agent id -> (model, path relative to the root, path as shown); the first card of an id."""
    out: dict[str, tuple[AgentCard, str, str]] = {}
    same = side.folder == side.shown_as
    for card_file in roster.files:
        ctx = card_file.context
        if ctx is not None and ctx.agent is not None and ctx.agent not in out:
            rel = _rel(card_file, side.folder)
            # a card read where it is shown already carries its path as shown
            shown = card_file.path if same else display_path(side.shown_as / rel, cwd)
            out[ctx.agent] = (ctx.model, rel, shown)
    return out


def _same_but_id(a: AgentCard, b: AgentCard) -> bool:
    return a.model_copy(update={"id": b.id}) == b


def _changed(
    agent: str, old: tuple[AgentCard, str, str], new: tuple[AgentCard, str, str], renamed: bool
) -> AgentDiff | None:
    fields = tuple(field_changes(old[0], new[0])) if old[0] != new[0] else ()
    moved = old[1] != new[1] or old[0].id != new[0].id
    if not fields and not moved:
        return None
    status: Status = "renamed" if (renamed or moved) and not _beyond_id(fields) else "changed"
    material = any(c.material for c in fields)
    sponsor = new[0].sponsor.name if new[0].sponsor else None
    return AgentDiff(
        agent,
        status,
        new[2],
        new[0].tier,
        old_agent=old[0].id if moved else None,
        old_path=old[2] if moved else None,
        fields=fields,
        approvals=approvals_for(old[0].tier, new[0].tier, sponsor) if material else (),
    )


def _beyond_id(fields: Sequence[Change]) -> bool:
    return any(c.field not in ("id", "name") for c in fields)


def agent_diffs(
    base: dict[str, tuple[AgentCard, str, str]], head: dict[str, tuple[AgentCard, str, str]]
) -> tuple[list[AgentDiff], int]:
    """Per agent: added, removed, renamed (same content under a new id or path), changed;
    and how many agents did not change."""
    out: list[AgentDiff] = []
    unchanged = 0
    gone = {a: v for a, v in base.items() if a not in head}
    new = {a: v for a, v in head.items() if a not in base}
    by_path = {v[1]: a for a, v in gone.items()}
    for agent in sorted(head):
        now = head[agent]
        if agent in base:
            diff = _changed(agent, base[agent], now, renamed=False)
        else:
            old_id = by_path.get(now[1]) or next(
                (a for a, v in gone.items() if _same_but_id(v[0], now[0])), None
            )
            if old_id is None:
                continue
            diff = _changed(agent, gone.pop(old_id), now, renamed=True)
            by_path = {v[1]: a for a, v in gone.items()}
            new.pop(agent)
        if diff is None:
            unchanged += 1
        else:
            out.append(diff)
    for agent, (model, _, shown) in sorted(new.items()):
        out.append(AgentDiff(agent, "added", shown, model.tier))
    for agent, (model, _, shown) in sorted(gone.items()):
        out.append(AgentDiff(agent, "removed", shown, model.tier))
    order = {"changed": 0, "renamed": 1, "added": 2, "removed": 3}
    out.sort(key=lambda d: (order[d.status], d.agent))
    return out, unchanged


def graph_diff(base: Roster, head: Roster) -> GraphDiff:
    """Handoff edges added and removed, agents that lost their way to a person, new edges out
    of agents that handle regulated data, and new closed cycles."""
    old, new = handoff_graph(base), handoff_graph(head)
    old_edges, new_edges = set(old.kinds), set(new.kinds)
    added = tuple(sorted(new_edges - old_edges))
    old_reach, new_reach = old.distance(), new.distance()
    lost = tuple(
        sorted(a for a in new.agents if a in old.agents and a in old_reach and a not in new_reach)
    )
    carrying = []
    for source, target in added:
        info = new.agents.get(source)
        classes = regulated(info.classes if info else None)
        if classes and not target.startswith("human:"):
            carrying.append((source, target, tuple(sorted(classes))))
    known_cycles = {c.component for c in old.closed_cycles()}
    cycles = tuple(tuple(c.cycle) for c in new.closed_cycles() if c.component not in known_cycles)
    return GraphDiff(added, tuple(sorted(old_edges - new_edges)), lost, tuple(carrying), cycles)


def compare_sides(
    base: Side,
    head: Side,
    config: Config,
    *,
    today: date,
    cwd: Path,
    jobs: int = 1,
) -> ChangeReport:
    """The change report from `base` to `head` (see ChangeReport).

    From a git revision to the working tree, only the cards the change touched are read on the
    base side and card-checked on either side (changeset.py): a card the change left alone
    has the same card-rule findings on both sides, so they are neither introduced nor resolved.
    Every roster rule runs on each side's whole handoff graph, so findings that a changed card
    brings to or takes from its neighbours are found. Otherwise both sides are read in full."""
    with gc_paused():
        sides = _fast_sides(base, head, config, today=today, cwd=cwd, jobs=jobs)
        if sides is None:
            base_roster_ = _load(base, config, today=today, jobs=jobs, check=True)
            head_roster = _load(head, config, today=today, jobs=jobs, check=True)
            shown = base
        else:
            base_roster_, head_roster = sides
            shown = dataclasses.replace(base, folder=head_roster.root)
        base_report = lint_loaded(base_roster_, _config_for(shown, config), today=today)
        base_report.findings = _shown(base_report.findings, shown, cwd)
        cards = base_cards(base_roster_, shown)
        head_report = lint_loaded(head_roster, _config_for(head, config), today=today, base=cards)
        head_report.findings = _shown(head_report.findings, head, cwd)
        agents, unchanged = agent_diffs(
            _cards(base_roster_, shown, cwd), _cards(head_roster, head, cwd)
        )
        graph = graph_diff(base_roster_, head_roster)
        del base_roster_, head_roster, sides
    introduced = hide(head_report.findings, known(base_report.findings))
    resolved = hide(base_report.findings, known(head_report.findings))
    failing = any(f.code.startswith("M") for f in introduced) or any(
        f.severity.rank >= config.fail_on.rank for f in introduced
    )
    return ChangeReport(
        base.label, head.label, agents, graph, introduced, resolved, unchanged, failing
    )


def _fast_sides(
    base: Side, head: Side, config: Config, *, today: date, cwd: Path, jobs: int
) -> tuple[Roster, Roster] | None:
    """Both rosters of a change from a git revision to the working tree, the unchanged cards
    read once, without card rules (see compare_sides); None when the shortcut does not hold."""
    if base.rev is None or head.rev is not None or head.folder != base.shown_as:
        return None
    change = delta(head.folder, base.rev, config)
    if change is None:
        return None
    unchecked = [head.folder.joinpath(*rel.split("/")) for rel in change.unchanged]
    head_roster = load_roster(
        head.folder, config, today=today, cwd=cwd, jobs=jobs, unchecked=unchecked
    )
    fast = base_roster(
        head_roster,
        change,
        _scratch(base),
        config,
        today=today,
        cwd=cwd,
        recheck=card_rules_of(config),
    )
    return None if fast is None else (fast, head_roster)
