"""K: cost (docs/governance.md#family-k)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from agentroster.findings import Finding, Severity
from agentroster.rules.base import CardContext, Rule


def _usd(amount: float | Decimal) -> str:
    return f"{amount:,.2f} USD"


def production_has_cost_target(card: CardContext) -> Iterator[Finding]:
    model = card.model
    if model.status != "production":
        return
    cost = model.cost
    missing = [
        f"cost.{name}"
        for name in ("per_interaction", "alert_above")
        if cost is None or getattr(cost, name) is None
    ]
    if missing:
        yield card.finding(
            K001,
            f"production agent has no {' and no '.join(missing)}; set a target cost per "
            "interaction and the cost at which an alert fires",
            at=("id",),
        )


def cost_within_budget(card: CardContext) -> Iterator[Finding]:
    cost = card.model.cost
    if cost is None or cost.per_interaction is None:
        return
    per = Decimal(repr(cost.per_interaction))  # the written value, without float error
    if cost.monthly_volume is not None and cost.monthly_budget is not None:
        projected = per * cost.monthly_volume
        if projected > Decimal(repr(cost.monthly_budget)):
            yield card.finding(
                K002,
                f"{cost.monthly_volume:,} interactions a month at {_usd(per)} cost "
                f"{_usd(projected)}, over the monthly_budget of {_usd(cost.monthly_budget)}; "
                "raise the budget, lower the cost per interaction, or cap the volume",
                at=("cost", "monthly_volume"),
            )
    if cost.alert_above is not None and cost.alert_above < cost.per_interaction:
        yield card.finding(
            K002,
            f"cost.alert_above ({_usd(cost.alert_above)}) is below per_interaction "
            f"({_usd(per)}), so the alert fires on every interaction; set it above the target",
            at=("cost", "alert_above"),
        )


K001 = Rule(
    code="K001",
    name="no-cost-target",
    severity=Severity.WARNING,
    scope="card",
    summary="A production agent without `cost.per_interaction` and `cost.alert_above`.",
    rationale="Cost per interaction is tracked like any other metric: a target, and a threshold "
    "at which someone is alerted, before a loop or a price change shows up on the invoice "
    "(docs/governance.md#cost-targets).",
    bad="status: production\ncost: {monthly_budget: 8000, monthly_volume: 12000}",
    good="status: production\ncost: {per_interaction: 0.6, alert_above: 0.9, monthly_budget: "
    "8000, monthly_volume: 12000}",
    fix="Add `cost.per_interaction` (the target, in USD) and `cost.alert_above` (the alert "
    "threshold).",
    check=production_has_cost_target,
)
K002 = Rule(
    code="K002",
    name="cost-over-budget",
    severity=Severity.ERROR,
    scope="card",
    summary="`per_interaction` × `monthly_volume` exceeds `monthly_budget`, or `alert_above` is "
    "below `per_interaction`.",
    rationale="A small cost per interaction becomes a large monthly bill at volume: 0.50 USD at "
    "100,000 interactions is 50,000 USD a month. A budget the expected volume cannot fit, or "
    "an alert set below the target, is a plan that fails on day one "
    "(docs/governance.md#cost-targets).",
    bad="cost: {per_interaction: 0.6, alert_above: 0.9, monthly_budget: 5000, "
    "monthly_volume: 12000}   # 7,200 USD",
    good="cost: {per_interaction: 0.6, alert_above: 0.9, monthly_budget: 8000, "
    "monthly_volume: 12000}",
    fix="Raise `monthly_budget` to cover the volume, lower the cost per interaction, or set "
    "`alert_above` above `per_interaction`.",
    check=cost_within_budget,
)

RULES = (K001, K002)
