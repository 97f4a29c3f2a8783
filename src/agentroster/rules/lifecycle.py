"""L: lifecycle, evals and runbooks (DOMAIN.md, evals, observability, runbooks; lifecycle)."""

from __future__ import annotations

from collections.abc import Iterator

from agentroster.findings import Finding, Severity, listing
from agentroster.references import Ref
from agentroster.rules.base import CardContext, RosterContext, Rule

REQUIRED_RUNBOOKS = ("provider-outage", "tool-outage")
ACTIVE_ROLLOUTS = frozenset({"shadow", "canary", "gradual"})
JUDGE_AGREEMENT = 0.8


def production_has_evals(card: CardContext) -> Iterator[Finding]:
    model = card.model
    if model.status != "production":
        return
    evals = model.evals
    if evals is None:
        yield card.finding(
            L001,
            "production agent has no evals; add `evals: {golden_set: ..., threshold: ...}`",
        )
        return
    missing = [n for n in ("golden_set", "threshold") if getattr(evals, n) is None]
    if missing:
        yield card.finding(
            L001, f"production agent's evals have no {' and no '.join(missing)}", at=("evals",)
        )


def golden_set_large_enough(card: CardContext) -> Iterator[Finding]:
    model = card.model
    if model.status != "production" or model.evals is None or model.evals.golden_set is None:
        return
    minimum = card.config.policy.min_golden_cases
    cases = model.evals.cases
    if cases is None:
        yield card.finding(
            L002,
            f"evals do not say how many cases the golden set has (at least {minimum})",
            at=("evals",),
        )
    elif cases < minimum:
        yield card.finding(
            L002,
            f"golden set has {cases} cases; a production agent needs at least {minimum}",
            at=("evals", "cases"),
        )


def referenced_files_exist(card: CardContext) -> Iterator[Finding]:
    for at, rel, ref in card.references:
        if ref is Ref.MISSING:
            yield card.finding(
                L003,
                f"'{rel}' does not exist (paths are relative to the card's folder)",
                at=at,
            )


def production_has_runbooks(card: CardContext) -> Iterator[Finding]:
    model = card.model
    if model.status != "production":
        return
    have = {r.failure_mode for r in model.runbooks}
    missing = [mode for mode in REQUIRED_RUNBOOKS if mode not in have]
    if missing:
        yield card.finding(
            L004,
            f"production agent has no runbook for {' or '.join(missing)}",
            at=("runbooks",) if model.runbooks else (),
        )


def production_has_deployed(card: CardContext) -> Iterator[Finding]:
    if card.model.status == "production" and card.model.deployed is None:
        yield card.finding(L005, "production agent has no `deployed` date")


def judge_calibrated(card: CardContext) -> Iterator[Finding]:
    evals = card.model.evals
    judge = evals.judge if evals else None
    if judge is None:
        return
    if judge.human_agreement is None:
        yield card.finding(
            L006,
            f"LLM judge '{judge.model}' has no human_agreement; measure it against human ratings",
            at=("evals", "judge"),
        )
    elif judge.human_agreement < JUDGE_AGREEMENT:
        yield card.finding(
            L006,
            f"LLM judge agrees with humans {judge.human_agreement:.0%} of the time, under "
            f"{JUDGE_AGREEMENT:.0%}; do not trust its scores",
            at=("evals", "judge", "human_agreement"),
        )


def inactive_agents_idle(roster: RosterContext) -> Iterator[Finding]:
    graph = roster.graph
    senders: dict[str, set[str]] = {}
    for ref in graph.refs:
        if ref.target != ref.source:
            senders.setdefault(ref.target, set()).add(ref.source)
    for card in roster.cards:
        status = card.get("status")
        if status not in ("paused", "retired"):
            continue
        gate = card.get("release_gate")
        if gate is not None and gate.rollout in ACTIVE_ROLLOUTS:
            yield card.finding(
                L007,
                f"{status} agent still declares a {gate.rollout} rollout; remove "
                "release_gate.rollout",
                at=("release_gate", "rollout"),
            )
        targeted_by = sorted(senders.get(card.agent or "", ()))
        if targeted_by:
            yield card.finding(
                L007,
                f"{status} agent is still a handoff target of {listing(targeted_by)} (see H005)",
                at=("status",),
            )


L001 = Rule(
    code="L001",
    name="production-no-evals",
    severity=Severity.ERROR,
    scope="card",
    summary="A production agent without evals (golden set and threshold).",
    rationale="Evals come before production, not after: a golden set gates every deploy on a "
    "threshold (DOMAIN.md, evals; 003 ch. 8 and anti-pattern 4).",
    bad="status: production\n# no evals",
    good="status: production\nevals: {golden_set: evals/golden.jsonl, cases: 120, threshold: 0.9}",
    fix="Add `evals` with `golden_set` and `threshold`.",
    check=production_has_evals,
)
L002 = Rule(
    code="L002",
    name="golden-set-small",
    severity=Severity.WARNING,
    scope="card",
    summary="The golden set of a production agent has under 100 cases (policy `min-golden-cases`).",
    rationale="A golden set of 100 to 500 cases, refreshed quarterly, is what makes a threshold "
    "meaningful (DOMAIN.md, evals).",
    bad="evals: {golden_set: evals/golden.jsonl, cases: 25, threshold: 0.9}",
    good="evals: {golden_set: evals/golden.jsonl, cases: 120, threshold: 0.9}",
    fix="Grow the golden set to 100 cases or more and update `evals.cases`.",
    check=golden_set_large_enough,
)
L003 = Rule(
    code="L003",
    name="missing-file",
    severity=Severity.ERROR,
    scope="card",
    summary="A referenced file (golden set, runbook path) does not exist.",
    rationale="Documentation is a deployment gate: a runbook or golden set that is not there "
    "does not exist when it is needed (DOMAIN.md, lifecycle).",
    bad="runbooks:\n  - {failure_mode: tool-outage, path: runbooks/tool-outage.md}  # no such file",
    good="runbooks:\n  - {failure_mode: tool-outage, path: runbooks/payments-outage.md}",
    fix="Create the file, or correct the path (relative to the card's folder).",
    check=referenced_files_exist,
)
L004 = Rule(
    code="L004",
    name="production-no-runbooks",
    severity=Severity.WARNING,
    scope="card",
    summary="A production agent without runbooks for provider-outage and tool-outage.",
    rationale="Provider and tool outages are the failure modes every agent meets; each needs a "
    "runbook before it happens (DOMAIN.md, runbooks; 003 ch. 11).",
    bad="status: production\nrunbooks:\n  - {failure_mode: stuck-loop, path: runbooks/loop.md}",
    good="status: production\nrunbooks:\n  - {failure_mode: provider-outage, path: "
    "runbooks/provider.md}\n  - {failure_mode: tool-outage, path: runbooks/tools.md}",
    fix="Write the missing runbooks and list them in `runbooks`.",
    check=production_has_runbooks,
)
L005 = Rule(
    code="L005",
    name="production-no-deployed-date",
    severity=Severity.WARNING,
    scope="card",
    summary="A production agent without a `deployed` date.",
    rationale="The registry records each agent's deployment date (DOMAIN.md, lifecycle: "
    "registry fields).",
    bad="status: production\n# no deployed",
    good="status: production\ndeployed: 2026-03-01",
    fix="Add `deployed: YYYY-MM-DD`.",
    check=production_has_deployed,
)
L006 = Rule(
    code="L006",
    name="judge-uncalibrated",
    severity=Severity.WARNING,
    scope="card",
    summary="An LLM judge's agreement with human ratings is below 0.8, or not measured.",
    rationale="LLM-as-judge must be validated against human ratings; below 80% agreement, do "
    "not trust it (DOMAIN.md, evals; 003 ch. 8).",
    bad="judge: {model: claude-opus, human_agreement: 0.7}",
    good="judge: {model: claude-opus, human_agreement: 0.86, calibrated: 2026-10-20}",
    fix="Calibrate the judge against human ratings until agreement is 0.8 or more, or score "
    "with people.",
    check=judge_calibrated,
)
L007 = Rule(
    code="L007",
    name="inactive-still-active",
    severity=Severity.INFO,
    scope="roster",
    summary="A retired or paused agent still declares an active rollout, or is still a handoff "
    "target (see H005).",
    rationale="Retirement is part of the lifecycle: a paused or retired agent should neither "
    "roll out nor receive work (DOMAIN.md, lifecycle).",
    bad="status: paused\nrelease_gate: {requires: [...], rollout: canary}",
    good="status: paused\nrelease_gate: {requires: [...]}",
    fix="Remove `release_gate.rollout`, and repoint handoffs to an active agent or a human.",
    check=inactive_agents_idle,
)

RULES = (L001, L002, L003, L004, L005, L006, L007)
