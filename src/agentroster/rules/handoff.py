"""H: the handoff graph across all cards (docs/governance.md#family-h)."""

from __future__ import annotations

from collections.abc import Iterator

from agentroster.findings import Finding, KeyPath, Severity
from agentroster.graph import HUMAN, AgentInfo, ClosedCycle, EdgeRef, HandoffGraph, regulated
from agentroster.model import duration_minutes
from agentroster.rules.base import CardContext, RosterContext, Rule

INACTIVE = frozenset({"paused", "retired"})
_WHAT = {"handoff": "handoff target", "fallback": "fallback", "escalation": "escalation target"}


def ref_finding(rule: Rule, ref: EdgeRef, message: str) -> Finding:
    """A finding at the `to:` / `fallback:` / `escalation.to` value of one edge."""
    line, column = ref.position
    return Finding(
        ref.path,
        line,
        column,
        rule.code,
        rule.name,
        rule.severity,
        message,
        ref.source,
        ref.key,
    )


def agent_finding(rule: Rule, info: AgentInfo, message: str) -> Finding:
    """A finding at the card's `id`."""
    line, column = info.card.source_map.value(("id",))
    return Finding(
        info.path, line, column, rule.code, rule.name, rule.severity, message, info.id, ("id",)
    )


def _suggest(target: str, graph: HandoffGraph) -> str:
    close = graph.closest(target)
    return f"; did you mean '{close}'?" if close else ""


def targets_exist(roster: RosterContext) -> Iterator[Finding]:
    graph = roster.graph
    for ref in graph.refs:
        if graph.is_known(ref.target) or "TODO" in ref.target:
            continue  # a TODO placeholder is C009's
        what = _WHAT[ref.kind]
        if ref.target.startswith(HUMAN):
            message = (
                f"{what} '{ref.target}' is not a queue declared in "
                f"{roster.config.human_queues}{_suggest(ref.target, graph)}"
            )
        else:
            message = (
                f"{what} '{ref.target}' is not an agent in this roster{_suggest(ref.target, graph)}"
            )
        yield ref_finding(H001, ref, message)


def handoff_has_fallback(card: CardContext) -> Iterator[Finding]:
    for index, handoff in enumerate(card.model.handoffs):
        if handoff.fallback is None:
            yield card.finding(
                H002,
                f"handoff to '{handoff.to}' has no fallback: say where the work goes if the "
                "receiver does nothing by the deadline (usually a human queue)",
                at=("handoffs", index),
            )


def _declares_escalation(info: AgentInfo) -> bool:
    data = info.card.data
    return isinstance(data, dict) and data.get("escalation") is not None


def _live(info: AgentInfo) -> bool:
    return info.status != "retired"


def no_dead_ends(roster: RosterContext) -> Iterator[Finding]:
    graph = roster.graph
    live = graph.reaches_human_or_unknown()
    cycles = graph.closed_cycles()
    in_cycles = {agent for closed in cycles for agent in closed.component}
    for agent, info in sorted(graph.agents.items()):
        if agent in live or agent in in_cycles or not _live(info):
            continue
        if not _declares_escalation(info):
            continue  # B005: no escalation path is the defect, reported once there
        reach = graph.reachable_agents(agent)
        if reach:
            more = "" if len(reach) < 6 else ", ..."
            detail = f"its handoffs and escalation reach only {', '.join(reach)}{more}"
        else:
            detail = "it escalates only to itself"
        yield agent_finding(
            H003,
            info,
            f"dead end: no path from '{agent}' to a human; {detail}; escalate to a human:<queue>",
        )


def _show_cycle(closed: ClosedCycle, most: int = 12) -> str:
    cycle = closed.cycle
    text = " -> ".join(cycle)
    if len(cycle) > most:
        text = f"{' -> '.join(cycle[:10])} -> ... -> {cycle[-1]} ({len(cycle) - 1} agents)"
    if len(closed.component) > len(cycle) - 1:
        text += f", one loop among {len(closed.component)} agents that hand work only to each other"
    return text


def no_closed_cycles(roster: RosterContext) -> Iterator[Finding]:
    graph = roster.graph
    for closed in graph.closed_cycles():
        info = graph.agents[closed.cycle[0]]
        if not _live(info):
            continue
        yield agent_finding(
            H004,
            info,
            f"circular delegation with no exit to a human: {_show_cycle(closed)}; give one of "
            "them an escalation or fallback to a human queue",
        )


def no_inactive_targets(roster: RosterContext) -> Iterator[Finding]:
    graph = roster.graph
    for ref in graph.refs:
        target = graph.agents.get(ref.target)
        if target is None or target.status not in INACTIVE or ref.target == ref.source:
            continue
        yield ref_finding(
            H005,
            ref,
            f"{_WHAT[ref.kind]} '{ref.target}' is {target.status}; route the work to an active "
            "agent or a human queue",
        )


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def handoff_complete(card: CardContext) -> Iterator[Finding]:
    for index, handoff in enumerate(card.model.handoffs):
        missing = [
            name
            for name in ("trigger", "context", "decision", "deadline", "log")
            if not getattr(handoff, name)
        ]
        if missing:
            yield card.finding(
                H006,
                f"handoff to '{handoff.to}' has no {_either(missing)}; a handoff names its "
                "trigger, context, decision, deadline, fallback and log",
                at=("handoffs", index),
            )


def short_path_to_human(roster: RosterContext) -> Iterator[Finding]:
    graph = roster.graph
    limit = roster.config.policy.max_handoff_depth
    distance = graph.distance()
    for agent, info in sorted(graph.agents.items()):
        depth = distance.get(agent)
        if depth is None or depth <= limit or not _live(info) or graph.optimistic(agent):
            continue
        yield agent_finding(
            H007,
            info,
            f"the shortest path to a human takes {depth:,} handoffs, over the limit of {limit}: "
            f"{_show_path(graph, agent, depth)}; add a shorter route to a human",
        )


def _show_path(graph: HandoffGraph, agent: str, depth: int, most: int = 8) -> str:
    """The path from `agent` to its nearest human: whole when short, else its first hops, a
    count of the rest and the human (a 6,000-agent chain would print 6,000 ids per finding,
    one finding per agent)."""
    if depth < most:
        return " -> ".join(graph.path_to_human(agent))
    hops = graph.path_to_human(agent, most=most - 1)
    rest = depth - len(hops)  # agents between the last hop shown and the human
    return f"{' -> '.join(hops)} -> ... and {rest:,} more -> {graph.nearest_human(agent)}"


def regulated_data_declared(roster: RosterContext) -> Iterator[Finding]:
    graph = roster.graph
    for ref in graph.refs:
        source, target = graph.agents.get(ref.source), graph.agents.get(ref.target)
        if source is None or target is None or target.classes is None or ref.source == ref.target:
            continue
        leaked = sorted(regulated(source.classes) - target.classes)
        if leaked:
            classes = ", ".join(leaked)
            yield ref_finding(
                H008,
                ref,
                f"'{ref.source}' handles {classes} and hands work to '{ref.target}', which does "
                f"not declare {classes}; declare it in {ref.target}'s data.classes or stop "
                "passing it",
            )


def _promises(card: CardContext) -> Iterator[tuple[str, str, KeyPath, str]]:
    """(queue, promised duration, key path, what) of each deadline the card sets a human
    queue: its handoffs' deadlines and its escalation's incident response."""
    for index, handoff in enumerate(card.get("handoffs") or ()):
        if handoff.to.startswith(HUMAN) and handoff.deadline:
            at: KeyPath = ("handoffs", index, "deadline")
            yield handoff.to, handoff.deadline, at, "handoff deadline"
    escalation = card.get("escalation")
    if escalation and escalation.to.startswith(HUMAN) and escalation.incident_response:
        at = ("escalation", "incident_response")
        yield escalation.to, escalation.incident_response, at, "escalation.incident_response"


def queues_answer_in_time(roster: RosterContext) -> Iterator[Finding]:
    catalogues = roster.roster.catalogues
    queues = catalogues.queues if catalogues else None
    if not queues:
        return  # no queues file: no declared response times
    for card in roster.cards:
        for target, promised, at, what in _promises(card):
            queue = queues.get(target[len(HUMAN) :])
            if queue is None or queue.response_time is None:
                continue  # an undeclared queue is H001
            if duration_minutes(promised) < duration_minutes(queue.response_time):
                yield card.finding(
                    H009,
                    f"{what} {promised} to {target} is shorter than the queue's declared "
                    f"response time of {queue.response_time}; allow the queue its response time, "
                    "or agree a faster one with the queue's owner",
                    at=at,
                )


UNPROVEN = {"proposed": "only proposed", "pilot": "still in pilot"}


def production_hands_to_proven(roster: RosterContext) -> Iterator[Finding]:
    graph = roster.graph
    for ref in graph.refs:
        if ref.kind != "handoff" or ref.source == ref.target:
            continue
        source, target = graph.agents.get(ref.source), graph.agents.get(ref.target)
        if source is None or target is None or source.status != "production":
            continue
        if target.status is not None and target.status in UNPROVEN:
            yield ref_finding(
                H010,
                ref,
                f"production agent hands work to '{ref.target}', which is "
                f"{UNPROVEN[target.status]}; route it to a production agent or a human queue "
                "until the receiver is in production",
            )


H001 = Rule(
    code="H001",
    name="unknown-target",
    severity=Severity.ERROR,
    scope="roster",
    summary="A handoff, fallback or escalation target is not a known agent or declared human "
    "queue.",
    rationale="A handoff into nothing loses the work; every target must be an agent or a human "
    "queue that exists (docs/governance.md#every-path-ends-at-a-person).",
    bad="escalation: {to: fraud-screenr}   # no agent has this id",
    good="escalation: {to: fraud-screener}",
    fix="Point the target at an existing agent id, or declare the human queue in "
    "agentroster.queues.yaml.",
    check=targets_exist,
)
H002 = Rule(
    code="H002",
    name="handoff-no-fallback",
    severity=Severity.ERROR,
    scope="card",
    summary="A handoff without a fallback.",
    rationale="A handoff names what happens if the receiver does nothing; without a fallback, "
    "ignored work is lost (docs/governance.md#what-a-handoff-is).",
    bad="handoffs:\n  - to: fraud-screener\n    trigger: fraud score above 0.7\n    context: "
    "[order_id]\n    decision: clear or hold\n    deadline: 15m\n    log: ticketing",
    good="handoffs:\n  - to: fraud-screener\n    trigger: fraud score above 0.7\n    context: "
    "[order_id]\n    decision: clear or hold\n    deadline: 15m\n    log: ticketing\n"
    "    fallback: human:fraud-ops",
    fix="Add `fallback`, usually a human queue.",
    check=handoff_has_fallback,
)
H003 = Rule(
    code="H003",
    name="dead-end",
    severity=Severity.ERROR,
    scope="roster",
    summary="Dead end: no path from this agent to any human (via handoffs, fallbacks, escalation).",
    rationale="A failing agent must fail visibly and route the person to a human "
    "(docs/governance.md#every-path-ends-at-a-person).",
    bad="id: summariser\nescalation: {to: classifier}   # and classifier escalates nowhere",
    good="id: summariser\nescalation: {to: human:support-leads}",
    fix="Give the agent, or one it hands to, an escalation or fallback to a human queue.",
    check=no_dead_ends,
)
H004 = Rule(
    code="H004",
    name="closed-cycle",
    severity=Severity.ERROR,
    scope="roster",
    summary="A cycle of agents with no exit to a human (circular delegation); the message "
    "lists the cycle.",
    rationale="Multi-agent graphs add deadlocks and circular delegations; a loop with a way out "
    "to a human is fine, one without traps the work "
    "(docs/governance.md#every-path-ends-at-a-person).",
    bad="# file: intake.agent.yaml\nid: intake\nescalation: {to: specialist}\n"
    "# file: specialist.agent.yaml\nid: specialist\nescalation: {to: intake}   # neither reaches "
    "a human",
    good="# file: intake.agent.yaml\nid: intake\nescalation: {to: specialist}\n"
    "# file: specialist.agent.yaml\nid: specialist\nescalation: {to: human:support-leads}",
    fix="Give one agent of the cycle an escalation or fallback to a human queue.",
    check=no_closed_cycles,
)
H005 = Rule(
    code="H005",
    name="inactive-target",
    severity=Severity.ERROR,
    scope="roster",
    summary="A handoff, fallback or escalation to a retired or paused agent.",
    rationale="Work handed to an agent that is not running has nowhere to go "
    "(docs/governance.md#every-path-ends-at-a-person).",
    bad="escalation: {to: legacy-triage}   # legacy-triage is retired",
    good="escalation: {to: triage}   # triage is in production",
    fix="Route the work to an active agent or a human queue.",
    check=no_inactive_targets,
)
H006 = Rule(
    code="H006",
    name="handoff-incomplete",
    severity=Severity.WARNING,
    scope="card",
    summary="A handoff without trigger, context, decision, deadline or log.",
    rationale="A handoff is a transfer of context, responsibility and next action, not a "
    "notification: it names trigger, context, decision, deadline, fallback and log "
    "(docs/governance.md#what-a-handoff-is).",
    bad="handoffs:\n  - {to: fraud-screener, fallback: human:fraud-ops}",
    good="handoffs:\n  - to: fraud-screener\n    trigger: fraud score above 0.7\n    context: "
    "[order_id]\n    decision: clear or hold\n    deadline: 15m\n    fallback: human:fraud-ops\n"
    "    log: ticketing",
    fix="Add the missing parts to the handoff.",
    check=handoff_complete,
)
H007 = Rule(
    code="H007",
    name="human-too-far",
    severity=Severity.WARNING,
    scope="roster",
    summary="The shortest path to a human is longer than the configured limit (default 3 "
    "handoffs, policy `max-handoff-depth`).",
    rationale="Every hop adds delay and loses context before a person can act; the limit of 3 is a "
    "house default (docs/governance.md#every-path-ends-at-a-person).",
    bad="id: intake\nescalation: {to: triage}   # then billing, refunds, "
    "human:billing-escalations: 4 handoffs",
    good="id: intake\nescalation: {to: human:billing-escalations}",
    fix="Give the agent an escalation or fallback closer to a human.",
    check=short_path_to_human,
)
H008 = Rule(
    code="H008",
    name="regulated-data-leak",
    severity=Severity.ERROR,
    scope="roster",
    summary="Regulated data (pii, phi, pci) of this agent is handed to an agent that does not "
    "declare that data class.",
    rationale="Regulated data is governed where it goes: an agent receiving PII, PHI or PCI data "
    "must declare it, so its tier and reviews account for it "
    "(docs/governance.md#regulated-data-across-handoffs).",
    bad="# fraud-screener.agent.yaml; refund-assistant (pii, pci) hands it work\n"
    "data: {classes: [pii]}",
    good="# fraud-screener.agent.yaml\ndata: {classes: [pii, pci]}",
    fix="Declare the data class on the receiving card (and meet its tier), or stop passing it.",
    check=regulated_data_declared,
)

H009 = Rule(
    code="H009",
    name="queue-slower-than-promise",
    severity=Severity.WARNING,
    scope="roster",
    summary="A handoff `deadline` or `escalation.incident_response` to a human queue is shorter "
    "than the queue's declared response time.",
    rationale="A deadline the receiving people cannot meet is a promise nobody keeps: the work "
    "waits, and the fallback fires every time (docs/governance.md#queues-that-keep-the-promise).",
    bad="# agentroster.queues.yaml: {id: fraud-ops, ..., response_time: 30m}\n"
    "escalation: {to: human:fraud-ops, incident_response: 15m}",
    good="# agentroster.queues.yaml: {id: billing-escalations, ..., response_time: 15m}\n"
    "escalation: {to: human:billing-escalations, incident_response: 15m}",
    fix="Give the handoff a deadline the queue can meet, pick a faster queue, or agree a "
    "faster response time with the queue's owner and declare it.",
    check=queues_answer_in_time,
)
H010 = Rule(
    code="H010",
    name="production-hands-to-unproven",
    severity=Severity.WARNING,
    scope="roster",
    summary="A production agent hands work (`handoffs[].to`) to a proposed or pilot agent.",
    rationale="Work from a production agent reaches real users; an agent still in pilot has "
    "not passed the gate that production did, so it should not receive that work "
    "(docs/governance.md#production-hands-work-to-production).",
    bad="status: production\nhandoffs:\n  - to: access-provisioner   # a pilot agent\n"
    "    trigger: an action item asks for access to a shared drive\n"
    "    context: [meeting_id, requester]\n    decision: grant or refuse the access\n"
    "    deadline: 1d\n    fallback: human:identity-team\n    log: servicedesk ticket",
    good="status: production\nhandoffs:\n  - to: human:identity-team\n"
    "    trigger: an action item asks for access to a shared drive\n"
    "    context: [meeting_id, requester]\n    decision: grant or refuse the access\n"
    "    deadline: 1d\n    fallback: human:it-service-desk\n    log: servicedesk ticket",
    fix="Hand the work to a production agent or a human queue until the receiver reaches "
    "production, or waive H010 for the pilot's duration.",
    check=production_hands_to_proven,
)

RULES = (H001, H002, H003, H004, H005, H006, H007, H008, H009, H010)
