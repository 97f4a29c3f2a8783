"""L: lifecycle, evals and runbooks (docs/governance.md#family-l)."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Container, Iterator

from agentroster.findings import Finding, Severity, listing
from agentroster.model import Retirement
from agentroster.references import Ref, count_nonblank_lines
from agentroster.rules.base import CardContext, RosterContext, Rule
from agentroster.rules.helpers import IN_USE, days_since

REQUIRED_RUNBOOKS = ("provider-outage", "tool-outage")
ACTIVE_ROLLOUTS = frozenset({"shadow", "canary", "gradual"})
JUDGE_AGREEMENT = 0.8
GOLDEN_SET_REFRESH_DAYS = 92  # quarterly
GOLDEN_SET_MAX_BYTES = 64 * 1024 * 1024  # L009 does not count a larger golden set
JSONL_SUFFIXES = (".jsonl", ".ndjson")


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


def golden_set_fresh(card: CardContext) -> Iterator[Finding]:
    model = card.model
    evals = model.evals
    if model.status not in IN_USE or evals is None or evals.golden_set is None:
        return  # L001 and L010 ask for a golden set first
    if evals.refreshed is None:
        yield card.finding(
            L008,
            f"{model.status} agent's golden set has no evals.refreshed date; refresh it every "
            "quarter and record the date",
            at=("evals",),
        )
        return
    age = days_since(evals.refreshed, card.today)
    if age > GOLDEN_SET_REFRESH_DAYS:
        yield card.finding(
            L008,
            f"golden set last refreshed {evals.refreshed.isoformat()}, {age} days ago, over the "
            f"{GOLDEN_SET_REFRESH_DAYS}-day limit; refresh it and update evals.refreshed",
            at=("evals", "refreshed"),
        )


def golden_set_count_matches(card: CardContext) -> Iterator[Finding]:
    evals = card.model.evals
    if evals is None or evals.golden_set is None or evals.cases is None:
        return
    rel = evals.golden_set
    if not rel.lower().endswith(JSONL_SUFFIXES):
        return  # only JSON Lines has one case per line
    if not any(at == ("evals", "golden_set") and ref is Ref.OK for at, _, ref in card.references):
        return  # missing (L003) or outside the roster (X003): never read
    lines = count_nonblank_lines(
        os.path.dirname(card.file), rel, os.fspath(card.root), max_bytes=GOLDEN_SET_MAX_BYTES
    )
    if lines is not None and lines != evals.cases:
        yield card.finding(
            L009,
            f"evals.cases is {evals.cases} but {rel} has {lines} non-blank lines; set cases to "
            f"{lines} or fix the golden set",
            at=("evals", "cases"),
        )


def pilot_has_golden_set(card: CardContext) -> Iterator[Finding]:
    model = card.model
    if model.status == "pilot" and (model.evals is None or model.evals.golden_set is None):
        yield card.finding(
            L010,
            "pilot agent has no golden set; build one now and name it in evals.golden_set, so "
            "it gates every change before production",
            at=("id",),
        )


def judge_recently_calibrated(card: CardContext) -> Iterator[Finding]:
    evals = card.model.evals
    judge = evals.judge if evals else None
    if judge is None:
        return
    limit = card.config.policy.judge_calibration_days
    if judge.calibrated is None:
        yield card.finding(
            L011,
            f"LLM judge '{judge.model}' has no calibrated date; measure its agreement with human "
            "ratings and record the date",
            at=("evals", "judge"),
        )
        return
    age = days_since(judge.calibrated, card.today)
    if age > limit:
        yield card.finding(
            L011,
            f"LLM judge '{judge.model}' was last calibrated {judge.calibrated.isoformat()}, "
            f"{age} days ago, over the {limit}-day limit; measure it against human ratings again",
            at=("evals", "judge", "calibrated"),
        )


def model_pinned(card: CardContext) -> Iterator[Finding]:
    model = card.model
    if model.status not in IN_USE:
        return
    if model.model is None:
        yield card.finding(
            L012,
            f"{model.status} agent names no model; add model: {{provider, name, version}} with "
            "the snapshot it runs on",
            at=("id",),
        )
    elif model.model.version is None:
        yield card.finding(
            L012,
            f"model '{model.model.name}' is not pinned; set model.version to the snapshot in use "
            "(quote date-like values)",
            at=("model",),
        )


_SEPARATORS = re.compile(r"[\s.-]+")


@functools.lru_cache(maxsize=4096)  # cards name the same few metrics
def _metric_key(name: str) -> str:
    return _SEPARATORS.sub("_", name.strip().lower())


def standard_metrics_tracked(card: CardContext) -> Iterator[Finding]:
    model = card.model
    monitoring = model.monitoring
    if model.status != "production" or monitoring is None or not monitoring.metrics:
        return  # B004 reports monitoring without metrics
    have = {_metric_key(m) for m in monitoring.metrics}
    missing = [m for m in card.config.policy.required_metrics if _metric_key(m) not in have]
    if missing:
        yield card.finding(
            L013,
            f"monitoring.metrics lack {', '.join(missing)}; a production agent tracks "
            f"{', '.join(card.config.policy.required_metrics)}",
            at=("monitoring", "metrics"),
        )


def production_has_slo(card: CardContext) -> Iterator[Finding]:
    model = card.model
    if model.status == "production" and model.tier in (1, 2) and model.slo is None:
        yield card.finding(
            L014,
            f"tier {model.tier} production agent has no slo; add slo: {{availability, "
            "latency_p95, success_rate}",
            at=("id",),
        )


def execute_has_rollback(card: CardContext) -> Iterator[Finding]:
    model = card.model
    gate = model.release_gate
    if model.mode != "execute" or model.status not in IN_USE or gate is None:
        return  # no release gate at all is B003
    if gate.rollback is None:
        yield card.finding(
            L015,
            f"execute-mode agent in {model.status} has no release_gate.rollback; say how to go "
            "back to the previous version (a flag, a procedure or a runbook)",
            at=("release_gate",),
        )


def _retirement_problems(record: Retirement | None, agents: Container[str]) -> list[str]:
    """What is wrong with a retired agent's record, each with its fix in parentheses."""
    if record is None:
        return ["has no retirement record (add retirement: {date, reason, successor})"]
    out = []
    absent = [name for name in ("date", "reason") if getattr(record, name) is None]
    if absent:
        out.append(f"has no retirement.{' or '.join(absent)} (record when and why it was retired)")
    if record.successor is not None and record.successor not in agents:
        out.append(
            f"names successor '{record.successor}', which is not an agent in this roster (name "
            "the agent that took over its work, or leave successor out)"
        )
    return out


def retirement_recorded(roster: RosterContext) -> Iterator[Finding]:
    agents = roster.graph.agents
    for card in roster.cards:
        if card.get("status") != "retired" or "retirement" in card.tainted:
            continue
        problems = _retirement_problems(card.get("retirement"), agents)
        if problems:
            yield card.finding(L016, f"retired agent {' and '.join(problems)}", at=("status",))


L001 = Rule(
    code="L001",
    name="production-no-evals",
    severity=Severity.ERROR,
    scope="card",
    summary="A production agent without evals (golden set and threshold).",
    rationale="Evals come before production, not after: a golden set gates every deploy on a "
    "threshold (docs/governance.md#evals).",
    bad="status: production\n# no evals",
    good="status: production\nevals: {golden_set: evals/golden.jsonl, cases: 120, threshold: 0.9, "
    "refreshed: 2026-11-02}",
    fix="Add `evals` with `golden_set` and `threshold`.",
    check=production_has_evals,
)
L002 = Rule(
    code="L002",
    name="golden-set-small",
    severity=Severity.WARNING,
    scope="card",
    summary="The golden set of a production agent has under 100 cases (policy `min-golden-cases`).",
    rationale="A golden set of 100 to 500 cases, refreshed regularly, is what makes a threshold "
    "meaningful; 100 is the low end of common practice (docs/governance.md#evals).",
    bad="evals: {golden_set: evals/golden.jsonl, cases: 25, threshold: 0.9, refreshed: 2026-11-02}",
    good="evals: {golden_set: evals/golden.jsonl, cases: 120, threshold: 0.9, "
    "refreshed: 2026-11-02}",
    fix="Grow the golden set to 100 cases or more and update `evals.cases`.",
    check=golden_set_large_enough,
)
L003 = Rule(
    code="L003",
    name="missing-file",
    severity=Severity.ERROR,
    scope="card",
    summary="A referenced file (golden set, runbook path, prompt file) does not exist.",
    rationale="Documentation is a deployment gate: a runbook or golden set that is not there does "
    "not exist when it is needed, and a prompt kept outside the repository escapes review "
    "(docs/governance.md#documentation-as-a-deployment-gate).",
    bad="prompts: [prompts/system.md]   # no such file beside the card",
    good="prompts: [prompts/refund-assistant.md]",
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
    "runbook before it happens (docs/governance.md#runbooks).",
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
    rationale="The registry records each agent's deployment date "
    "(docs/governance.md#the-registry).",
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
    rationale="LLM-as-judge must be validated against human ratings; below 80% agreement, do not "
    "trust it (docs/governance.md#evals).",
    bad="evals:\n  golden_set: evals/golden.jsonl\n  refreshed: 2026-11-02\n"
    "  judge: {model: claude-opus, human_agreement: 0.7, calibrated: 2026-10-20}",
    good="evals:\n  golden_set: evals/golden.jsonl\n  refreshed: 2026-11-02\n"
    "  judge: {model: claude-opus, human_agreement: 0.86, calibrated: 2026-10-20}",
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
    rationale="Retirement is part of the lifecycle: a paused or retired agent should neither roll "
    "out nor receive work (docs/governance.md#retirement).",
    bad="status: paused\nrelease_gate:\n"
    "  requires: [eval-threshold, security-review, privacy-impact, cost-approval]\n"
    "  rollout: canary",
    good="status: paused\nrelease_gate:\n"
    "  requires: [eval-threshold, security-review, privacy-impact, cost-approval]",
    fix="Remove `release_gate.rollout`, and repoint handoffs to an active agent or a human.",
    check=inactive_agents_idle,
)

L008 = Rule(
    code="L008",
    name="golden-set-stale",
    severity=Severity.WARNING,
    scope="card",
    summary="A pilot or production agent's golden set has no `evals.refreshed` date, or was "
    "refreshed more than 92 days ago.",
    rationale="A golden set is refreshed every quarter so it keeps testing what users actually "
    "ask; 92 days is a quarter, as practice in the field has it (docs/governance.md#evals).",
    bad="evals:\n  golden_set: evals/refund-golden.jsonl\n  cases: 120\n  threshold: 0.92\n"
    "  refreshed: 2026-05-04   # 201 days before 2026-11-21",
    good="evals:\n  golden_set: evals/refund-golden.jsonl\n  cases: 120\n  threshold: 0.92\n"
    "  refreshed: 2026-11-02",
    fix="Refresh the golden set with recent cases and set `evals.refreshed` to the date.",
    check=golden_set_fresh,
)
L009 = Rule(
    code="L009",
    name="golden-set-count-mismatch",
    severity=Severity.ERROR,
    scope="card",
    summary="`evals.cases` differs from the number of non-blank lines of the local JSON Lines "
    "golden set.",
    rationale="The registry and the review read the case count from the card; a count that "
    "does not match the file misstates how well the agent is tested. Only a local `.jsonl` or "
    "`.ndjson` file inside the roster is counted, up to 64 MiB, a house default "
    "(docs/governance.md#golden-set-checks).",
    bad="evals:\n  golden_set: evals/refund-golden.jsonl   # 120 lines\n  cases: 240\n"
    "  threshold: 0.92\n  refreshed: 2026-11-02",
    good="evals:\n  golden_set: evals/refund-golden.jsonl   # 120 lines\n  cases: 120\n"
    "  threshold: 0.92\n  refreshed: 2026-11-02",
    fix="Set `evals.cases` to the number of cases in the file, or restore the missing cases.",
    check=golden_set_count_matches,
)
L010 = Rule(
    code="L010",
    name="pilot-without-golden-set",
    severity=Severity.WARNING,
    scope="card",
    summary="A pilot agent has no golden set.",
    rationale="The golden set is built as soon as there is a pilot, not on the way to "
    "production: the pilot is where its cases come from, and every change from then on is "
    "tested against it (docs/governance.md#evals).",
    bad="status: pilot\nevals: {metric: exact_match_precision, threshold: 0.99}",
    good="status: pilot\nevals: {golden_set: evals/close-golden.jsonl, cases: 200, "
    "threshold: 0.99, refreshed: 2026-11-02}",
    fix="Collect cases from the pilot into a golden set and name it in `evals.golden_set`.",
    check=pilot_has_golden_set,
)
L011 = Rule(
    code="L011",
    name="judge-calibration-stale",
    severity=Severity.WARNING,
    scope="card",
    summary="A declared LLM judge has no `calibrated` date, or was calibrated more than 92 days "
    "ago (policy `judge-calibration-days`).",
    rationale="A judge's agreement with human ratings drifts as models and cases change, so it "
    "is measured again on a schedule; the 92 days is a house default "
    "(docs/governance.md#evals).",
    bad="evals:\n  golden_set: evals/refund-golden.jsonl\n  cases: 120\n  threshold: 0.92\n"
    "  refreshed: 2026-11-02\n"
    "  judge: {model: claude-opus, human_agreement: 0.86, calibrated: 2026-03-02}",
    good="evals:\n  golden_set: evals/refund-golden.jsonl\n  cases: 120\n  threshold: 0.92\n"
    "  refreshed: 2026-11-02\n"
    "  judge: {model: claude-opus, human_agreement: 0.86, calibrated: 2026-10-20}",
    fix="Measure the judge against fresh human ratings and set `judge.calibrated` to the date.",
    check=judge_recently_calibrated,
)
L012 = Rule(
    code="L012",
    name="model-not-pinned",
    severity=Severity.WARNING,
    scope="card",
    summary="A pilot or production agent without `model.version` (no `model` block counts as "
    "unpinned).",
    rationale="A model name without a snapshot changes under the agent when the provider "
    "updates it, and a regression is then impossible to trace; pin the version and keep it "
    "(docs/governance.md#model-pinning).",
    bad="model: {provider: anthropic, name: claude-sonnet}",
    good="model: {provider: anthropic, name: claude-sonnet, version: claude-sonnet-4-5-20250929, "
    "since: 2026-06-01}",
    fix="Set `model.version` to the exact snapshot the agent runs on, and `model.since` to when "
    "it was set.",
    check=model_pinned,
)
L013 = Rule(
    code="L013",
    name="standard-metrics-missing",
    severity=Severity.WARNING,
    scope="card",
    summary="A production agent's `monitoring.metrics` lack the required metrics (policy "
    "`required-metrics`: success_rate, latency_p95, cost_per_interaction, escalation_rate).",
    rationale="Every production agent reports the same few numbers, so that quality, speed, "
    "cost and hand-offs to people can be compared across the roster; the list is a house "
    "default (docs/governance.md#standard-metrics).",
    bad="monitoring:\n  dashboard: https://dash.example.com/d/refunds\n"
    "  metrics: [success_rate, latency_p95]",
    good="monitoring:\n  dashboard: https://dash.example.com/d/refunds\n"
    "  metrics: [success_rate, latency_p95, cost_per_interaction, escalation_rate]",
    fix="Track the missing metrics and list them in `monitoring.metrics`, or set your own list "
    "in `[policy] required-metrics`.",
    check=standard_metrics_tracked,
)
L014 = Rule(
    code="L014",
    name="no-slo",
    severity=Severity.WARNING,
    scope="card",
    summary="A tier 1 or 2 production agent without `slo`.",
    rationale="An agent people depend on needs stated service levels, so that monitoring has "
    "something to alert on and a review something to measure against; asking it of tiers 1 and "
    "2 is a house default (docs/governance.md#service-levels-and-rollback).",
    bad="tier: 1\nstatus: production\nslo:   # empty, or left out",
    good="tier: 1\nstatus: production\nslo: {availability: 99.5, latency_p95: 4000, "
    "success_rate: 0.9}",
    fix="Add `slo` with availability, latency_p95 and success_rate targets.",
    check=production_has_slo,
)
L015 = Rule(
    code="L015",
    name="no-rollback",
    severity=Severity.WARNING,
    scope="card",
    summary="An execute-mode agent in pilot or production without `release_gate.rollback`.",
    rationale="An agent that acts must be able to go back to its previous version the day a "
    "release goes wrong; the rollback path is ready from the first rollout "
    "(docs/governance.md#service-levels-and-rollback).",
    bad="release_gate:\n  requires: [eval-threshold, security-review, privacy-impact, "
    "cost-approval]\n  rollout: canary",
    good="release_gate:\n  requires: [eval-threshold, security-review, privacy-impact, "
    "cost-approval]\n  rollout: canary\n  rollback: flag it-helpdesk-release pinned to the "
    "previous version",
    fix="Set `release_gate.rollback` to the flag, procedure or runbook that restores the "
    "previous version.",
    check=execute_has_rollback,
)
L016 = Rule(
    code="L016",
    name="retired-without-record",
    severity=Severity.WARNING,
    scope="roster",
    summary="A retired agent without a `retirement` date and reason, or whose successor is not "
    "a known agent.",
    rationale="Retiring an agent is a decision someone should be able to look up: when, why, "
    "and where its work went (docs/governance.md#retirement).",
    bad="status: retired\nretirement: {date: 2026-09-30}   # no reason",
    good="status: retired\nretirement: {date: 2026-09-30, reason: replaced by the v2 "
    "assistant, successor: refund-assistant}",
    fix="Add `retirement` with `date`, `reason` and, when another agent took over, `successor` "
    "(an agent id in this roster).",
    check=retirement_recorded,
)

RULES = (
    *(L001, L002, L003, L004, L005, L006, L007, L008),
    *(L009, L010, L011, L012, L013, L014, L015, L016),
)
