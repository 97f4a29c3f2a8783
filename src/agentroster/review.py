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
from agentroster.compare import Change, field_changes
from agentroster.config import Config
from agentroster.context import BaseCards, CardFile, Roster
from agentroster.findings import Finding, Report
from agentroster.graph import handoff_graph, regulated
from agentroster.model import AgentCard
from agentroster.pipeline import display_path, gc_paused, lint_loaded, load_roster
from agentroster.revision import RevisionError, extract
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
    are shown as (the working tree's), and a label ("origin/main", "working tree")."""

    folder: Path
    shown_as: Path
    label: str


@contextlib.contextmanager
def side_at(
    root: Path,
    *,
    rev: str | None = None,
    folder: Path | None = None,
    config: Config,
) -> Iterator[Side]:
    """The roster at `root` as it is at `rev` (copied out of git into a temporary folder,
    removed afterwards), in `folder`, or (neither) in the working tree. Raises RevisionError."""
    if rev is None:
        where = (folder or root).resolve()
        label = "working tree" if folder is None else os.fspath(folder)
        yield Side(where, root.resolve(), label)
        return
    with tempfile.TemporaryDirectory(prefix="agentroster-base-") as tmp:
        dest = Path(tmp) / "roster"
        dest.mkdir()
        extract(root, rev, dest, limits=config.limits)
        yield Side(dest, root.resolve(), rev)


def _config_for(side: Side, config: Config) -> Config:
    return config if side.folder == config.root else dataclasses.replace(config, root=side.folder)


def _load(side: Side, config: Config, *, today: date, jobs: int, check: bool) -> Roster:
    return load_roster(
        side.folder, _config_for(side, config), today=today, cwd=side.folder, check=check, jobs=jobs
    )


def _rel(card_file: CardFile, folder: Path) -> str:
    return os.path.relpath(card_file.file, folder).replace(os.sep, "/")


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


def _lint_side(
    side: Side, config: Config, *, today: date, cwd: Path, jobs: int, use_waivers: bool
) -> tuple[Roster, Report]:
    roster = _load(side, config, today=today, jobs=jobs, check=True)
    report = lint_loaded(roster, _config_for(side, config), today=today, use_waivers=use_waivers)
    report.findings = _shown(report.findings, side, cwd)
    return roster, report


def only_new(report: Report, base: Known, config: Config) -> Report:
    """`report` without the findings the base revision already had (matched by code, agent
    and key path: baseline.hide)."""
    kept = hide(report.findings, base)
    return dataclasses.replace(
        report,
        findings=kept,
        failing=sum(1 for f in kept if f.severity.rank >= config.fail_on.rank),
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
    only the findings the change introduces. With `cache`, the head's unchanged cards come
    from the cache (pipeline.load_roster); the base, read from a temporary folder, never."""
    with gc_paused():
        base_roster = _load(base, config, today=today, jobs=jobs, check=new_only)
        cards = base_cards(base_roster, base)
        before = None
        if new_only:
            report = lint_loaded(
                base_roster, _config_for(base, config), today=today, use_waivers=use_waivers
            )
            before = known(_shown(report.findings, base, cwd))
        del base_roster
        head = load_roster(root, config, today=today, cwd=cwd, extra=only, jobs=jobs, cache=cache)
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
    for card_file in roster.files:
        ctx = card_file.context
        if ctx is not None and ctx.agent is not None and ctx.agent not in out:
            rel = _rel(card_file, side.folder)
            out[ctx.agent] = (ctx.model, rel, display_path(side.shown_as / rel, cwd))
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
    """The change report from `base` to `head` (see ChangeReport)."""
    with gc_paused():
        base_roster, base_report = _lint_side(
            base, config, today=today, cwd=cwd, jobs=jobs, use_waivers=True
        )
        cards = base_cards(base_roster, base)
        head_roster = _load(head, config, today=today, jobs=jobs, check=True)
        head_report = lint_loaded(head_roster, _config_for(head, config), today=today, base=cards)
        head_report.findings = _shown(head_report.findings, head, cwd)
        agents, unchanged = agent_diffs(
            _cards(base_roster, base, cwd), _cards(head_roster, head, cwd)
        )
        graph = graph_diff(base_roster, head_roster)
        del base_roster, head_roster
    introduced = hide(head_report.findings, known(base_report.findings))
    resolved = hide(base_report.findings, known(head_report.findings))
    failing = any(f.code.startswith("M") for f in introduced) or any(
        f.severity.rank >= config.fail_on.rank for f in introduced
    )
    return ChangeReport(
        base.label, head.label, agents, graph, introduced, resolved, unchanged, failing
    )
