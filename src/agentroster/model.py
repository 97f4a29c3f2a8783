"""The agent card format v1 as pydantic v2 models. No I/O, no printing.

Models are strict (a string is never silently turned into a number or a boolean) and forbid
unknown keys, so the model and the generated JSON Schema give the same verdict on a card.
Dates are ISO `YYYY-MM-DD` strings in YAML (as JSON Schema tools read them) and `date` here.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from agentroster.policy import DURATION_PATTERN

API_VERSION = "agentroster/v1"
KIND = "AgentCard"

ID_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
QUEUE_PATTERN = r"^human:[A-Za-z0-9][A-Za-z0-9._-]*$"
TARGET_PATTERN = r"^(human:[A-Za-z0-9][A-Za-z0-9._-]*|[a-z][a-z0-9]*(-[a-z0-9]+)*)$"
RATE_PATTERN = r"^[0-9]+/[smhd]$"
SEMVER_PATTERN = (
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
HTTPS_PATTERN = r"^https://[^\s/?#]+[^\s]*$"

# Plain words for each pattern, for messages and docs.
PATTERN_HINTS: dict[str, str] = {
    ID_PATTERN: "kebab-case: lowercase letters and digits in words joined by single hyphens, "
    "starting with a letter (e.g. 'refund-assistant')",
    TARGET_PATTERN: "an agent id (kebab-case) or a human queue 'human:<queue>'",
    DURATION_PATTERN: "a duration: a number and a unit m, h, d or w (e.g. '15m', '4h', '3d')",
    RATE_PATTERN: "a rate '<n>/<s|m|h|d>' (e.g. '10/m')",
    SEMVER_PATTERN: "a semantic version such as '1.3.0'",
    EMAIL_PATTERN: "an email address",
    HTTPS_PATTERN: "an https URL (e.g. 'https://agents.example.com/refunds')",
}

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_MINUTES = {"m": 1, "h": 60, "d": 60 * 24, "w": 60 * 24 * 7}


def _iso_date(value: Any) -> date:
    if isinstance(value, date):  # a caller building models in Python
        return value
    if isinstance(value, str) and _DATE_RE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("iso_date", "expected a date written as YYYY-MM-DD")


IsoDate = Annotated[
    date,
    PlainValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]
Duration = Annotated[str, Field(pattern=DURATION_PATTERN)]
Target = Annotated[str, Field(pattern=TARGET_PATTERN)]
Fraction = Annotated[float, Field(ge=0, le=1)]

Status = Literal["proposed", "pilot", "production", "paused", "retired"]
Pattern = Literal[
    "employee-enablement",
    "business-expert",
    "workplace-services",
    "core-process",
    "external-engagement",
    "ai-first",
]
Mode = Literal["assist", "execute"]
Tier = Literal[1, 2, 3]
DataClass = Literal["public", "internal", "confidential", "pii", "phi", "pci"]
Access = Literal["read", "recommend", "write", "trigger"]
Approval = Literal["none", "human"]
EvalCadence = Literal["every-deploy", "daily", "weekly"]
FailureMode = Literal[
    "provider-outage",
    "tool-outage",
    "stuck-loop",
    "cost-anomaly",
    "quality-regression",
    "knowledge-staleness",
    "other",
]
Review = Literal[
    "eval-threshold",
    "security-review",
    "privacy-impact",
    "cost-approval",
    "legal-review",
    "compliance-attestation",
    "red-team",
    "executive-signoff",
    "security-audit",
]
Rollout = Literal["shadow", "canary", "gradual", "full"]
ReviewCadence = Literal["quarterly", "semiannual", "annual"]
SponsorRole = Literal["executive", "manager", "team"]
IncidentSeverity = Literal["sev1", "sev2", "sev3"]
ChangeKind = Literal[
    "new-tool",
    "tool-access",
    "new-data",
    "scope",
    "model-swap",
    "tier",
    "mode",
    "handoff",
    "other",
]
# every change kind but `other` is material: tiers 1-2 need the change advisory board for it
MATERIAL_KINDS: frozenset[str] = frozenset(
    {"new-tool", "tool-access", "new-data", "scope", "model-swap", "tier", "mode", "handoff"}
)

REGULATED: frozenset[str] = frozenset({"pii", "phi", "pci"})
ACCESS_RANK: dict[str, int] = {"read": 0, "recommend": 1, "write": 2, "trigger": 3}


def duration_minutes(value: str) -> float:
    """Minutes in a duration string such as `15m`, `4h`, `3d`, `1w` (already validated)."""
    return float(value[:-1]) * _MINUTES[value[-1]]


class _Block(BaseModel):
    # defer_build: a model's validator is made when a card is first validated, not at import;
    # a run whose cards all come from the cache never makes them (about 40 ms of start-up)
    model_config = ConfigDict(
        extra="forbid", strict=True, allow_inf_nan=False, frozen=True, defer_build=True
    )


class Person(_Block):
    """An accountable individual: a named person, not a team or a mailbox."""

    name: str = Field(min_length=1, description="Full name of the person, e.g. 'Dana Whitfield'.")
    email: str = Field(pattern=EMAIL_PATTERN, description="The person's own work email address.")
    team: str | None = Field(default=None, description="The team the person belongs to.")


class Sponsor(Person):
    """The business sponsor; the tier decides the role it needs."""

    role: SponsorRole = Field(
        description="Sponsor level: executive (tier 1), manager (tier 2) or team (tier 3)."
    )


class KnowledgeSource(_Block):
    """A document set the agent answers from."""

    name: str = Field(min_length=1, description="Name of the knowledge source.")
    owner: str | None = Field(
        default=None, description="Who keeps the source correct: a person's name or email."
    )
    authoritative: bool | None = Field(
        default=None, description="True when the source is the authoritative record."
    )
    refreshed: IsoDate | None = Field(
        default=None, description="When the source was last refreshed."
    )


class Data(_Block):
    """Data the agent reads or writes."""

    classes: list[DataClass] = Field(
        default_factory=list,
        description="Data classes the agent touches; pii, phi and pci are regulated.",
    )
    sources: list[KnowledgeSource] = Field(
        default_factory=list, description="Knowledge sources the agent answers from."
    )


class ModelRef(_Block):
    """A model by provider and name."""

    provider: str = Field(min_length=1, description="Model provider, e.g. 'openai'.")
    name: str = Field(min_length=1, description="Model name as the provider calls it.")


class Model(ModelRef):
    """The model behind the agent, with an optional fallback."""

    version: str | None = Field(
        default=None,
        min_length=1,
        description="The pinned model snapshot, e.g. 'claude-sonnet-4-5-20250929' (quote "
        "date-like values).",
    )
    since: IsoDate | None = Field(
        default=None, description="When this model (provider, name, version) was set."
    )
    fallback: ModelRef | None = Field(
        default=None, description="The model used when the primary provider is down."
    )


class Tool(_Block):
    """A tool the agent can call."""

    id: str = Field(
        min_length=1, description="Tool id, unique within the card (e.g. 'refunds.issue')."
    )
    system: str | None = Field(default=None, description="The system the tool acts on.")
    description: str | None = Field(default=None, description="What the tool does.")
    access: Access = Field(
        description="Highest access the tool gives: read, recommend, write or trigger."
    )
    approval: Approval | None = Field(
        default=None, description="'human' when a person approves each call before it acts."
    )
    rate_limit: str | None = Field(
        default=None,
        pattern=RATE_PATTERN,
        description="Calls allowed per period, '<n>/<s|m|h|d>' (e.g. '10/m').",
    )
    reversible: bool | None = Field(
        default=None, description="Whether the tool's effect can be undone."
    )


class Handoff(_Block):
    """A transfer of context, responsibility and next action to another agent or a human."""

    to: Target = Field(description="Receiver: an agent id or 'human:<queue>'.")
    trigger: str | None = Field(default=None, description="When the handoff happens.")
    context: list[str] | None = Field(
        default=None, description="What travels with the handoff (identifiers, summaries)."
    )
    decision: str | None = Field(default=None, description="The decision the receiver makes.")
    deadline: Duration | None = Field(
        default=None, description="How long the receiver has, as a duration ('15m', '4h')."
    )
    fallback: Target | None = Field(
        default=None,
        description="Where the work goes when the receiver does nothing by the deadline.",
    )
    log: str | None = Field(default=None, description="Where the decision is recorded.")


class Escalation(_Block):
    """Where failures and incidents go."""

    to: Target = Field(description="Escalation target: an agent id or 'human:<queue>'.")
    incident_response: Duration | None = Field(
        default=None, description="Time to first response to an incident, as a duration."
    )


class Judge(_Block):
    """An LLM used as judge in evals."""

    model: str = Field(min_length=1, description="The judge model.")
    human_agreement: Fraction | None = Field(
        default=None, description="Agreement with human ratings, 0..1 (trust it at 0.8 or more)."
    )
    calibrated: IsoDate | None = Field(
        default=None, description="When agreement with human ratings was last measured."
    )


class Evals(_Block):
    """The golden-set evaluation that gates each deploy."""

    golden_set: str | None = Field(
        default=None, description="Path of the golden set, relative to the card's file."
    )
    cases: int | None = Field(default=None, ge=0, description="Number of cases in the golden set.")
    metric: str | None = Field(default=None, description="The metric the threshold applies to.")
    threshold: Fraction | None = Field(
        default=None, description="Minimum score, 0..1, for a deploy to pass."
    )
    cadence: EvalCadence | None = Field(
        default=None, description="How often the evals run: every-deploy, daily or weekly."
    )
    judge: Judge | None = Field(default=None, description="LLM judge, when one scores the evals.")
    refreshed: IsoDate | None = Field(
        default=None, description="When the golden set was last refreshed (quarterly)."
    )


class Runbook(_Block):
    """A runbook for one failure mode; give a path or a URL."""

    failure_mode: FailureMode = Field(description="The failure mode the runbook handles.")
    path: str | None = Field(default=None, description="Runbook file, relative to the card's file.")
    url: str | None = Field(
        default=None, description="Runbook URL, when it lives outside the repository."
    )

    @model_validator(mode="after")
    def _path_or_url(self) -> Runbook:
        if (self.path is None) == (self.url is None):
            raise PydanticCustomError(
                "path_or_url", "a runbook needs exactly one of 'path' or 'url'"
            )
        return self


class Monitoring(_Block):
    """How the agent is watched in operation."""

    dashboard: str | None = Field(default=None, description="URL of the agent's dashboard.")
    metrics: list[str] = Field(
        default_factory=list, description="Metrics tracked (success_rate, latency_p95, ...)."
    )
    alerts: list[str] = Field(default_factory=list, description="Alerts that page someone.")
    on_call: str | None = Field(
        default=None, description="The on-call rotation that answers alerts."
    )


class Audit(_Block):
    """The audit trail of model and tool calls."""

    enabled: bool = Field(description="True when every model call and tool call is logged.")
    retention_days: int | None = Field(default=None, ge=0, description="How long logs are kept.")
    tamper_evident: bool | None = Field(
        default=None, description="True when the log cannot be altered unnoticed."
    )


class ReleaseGate(_Block):
    """What must pass before a release."""

    requires: list[Review] = Field(
        default_factory=list, description="Reviews and checks a release needs."
    )
    rollout: Rollout | None = Field(
        default=None, description="Rollout strategy: shadow, canary, gradual or full."
    )
    rollback: str | None = Field(
        default=None,
        min_length=1,
        description="How to go back to the previous version: a flag, a procedure or a runbook.",
    )


class Budgets(_Block):
    """Per-session runtime limits."""

    max_steps: int | None = Field(default=None, ge=1, description="Most steps in one session.")
    max_cost_per_session: float | None = Field(
        default=None, ge=0, description="Cost ceiling for one session, in USD."
    )
    timeout: Duration | None = Field(default=None, description="Longest a session may run.")


class Slo(_Block):
    """Service level objectives."""

    availability: float | None = Field(
        default=None, ge=0, le=100, description="Availability target in percent (e.g. 99.5)."
    )
    latency_p95: Duration | int | None = Field(
        default=None, description="95th-percentile latency: a duration or a number of milliseconds."
    )
    success_rate: Fraction | None = Field(default=None, description="Target success rate, 0..1.")


class Disclosure(_Block):
    """How people are told they are talking to an AI."""

    ai_disclosed: bool = Field(description="True when users are told they deal with an AI agent.")
    consent: str | None = Field(default=None, description="How consent is obtained.")


class ReviewRecord(_Block):
    """The governance review schedule."""

    last: IsoDate | None = Field(default=None, description="Date of the last governance review.")
    cadence: ReviewCadence | None = Field(
        default=None,
        description="Review cadence; defaults by tier (1 quarterly, 2 semiannual, 3 annual).",
    )
    metrics_last: IsoDate | None = Field(
        default=None,
        description="Date of the last metric review (tiers 1-2 monthly, tier 3 quarterly).",
    )


class Oversight(_Block):
    """When a human reviews the agent's work."""

    confidence_threshold: Fraction | None = Field(
        default=None, description="Below this confidence, 0..1, a human reviews the output."
    )
    human_review_for: list[str] = Field(
        default_factory=list,
        description="Topics a human always reviews (e.g. billing, legal, cancellation).",
    )


class Cost(_Block):
    """Cost targets and budget, in USD."""

    per_interaction: float | None = Field(
        default=None, ge=0, description="Target cost of one interaction."
    )
    alert_above: float | None = Field(
        default=None, ge=0, description="Cost per interaction above which an alert fires."
    )
    monthly_budget: float | None = Field(default=None, ge=0, description="Budget per month.")
    monthly_volume: int | None = Field(
        default=None, ge=0, description="Expected interactions per month."
    )


class Incident(_Block):
    """One incident of the agent."""

    id: str = Field(min_length=1, description="Incident id, e.g. 'INC-2041'.")
    date: IsoDate = Field(description="When the incident began.")
    severity: IncidentSeverity = Field(description="sev1 (worst), sev2 or sev3.")
    summary: str = Field(min_length=1, description="What happened, in one sentence.")
    resolved: IsoDate | None = Field(
        default=None, description="When it was resolved; absent while the incident is open."
    )
    postmortem: str | None = Field(
        default=None, min_length=1, description="The postmortem: a path or a URL."
    )


class Cab(_Block):
    """The change advisory board's approval of a change."""

    approved: IsoDate | None = Field(default=None, description="Date of the approval.")
    ticket: str | None = Field(default=None, min_length=1, description="The CAB ticket.")
    approved_by: Union[Person, str, None] = Field(  # noqa: UP007 - keeps the schema's order
        default=None, description="Who approved it: a person or an email address."
    )


class Change(_Block):
    """One entry of the change log."""

    version: str = Field(
        pattern=SEMVER_PATTERN, description="The agent version the change shipped in."
    )
    date: IsoDate = Field(description="When the change was made.")
    summary: str | None = Field(default=None, description="What changed.")
    kinds: list[ChangeKind] = Field(
        min_length=1,
        description="What kind of change: new-tool, tool-access, new-data, scope, model-swap, "
        "tier, mode, handoff (all material) or other.",
    )
    cab: Cab | None = Field(
        default=None, description="The change advisory board's approval (tiers 1-2, material)."
    )


class Retirement(_Block):
    """How and why the agent was retired."""

    date: IsoDate | None = Field(default=None, description="When the agent was retired.")
    reason: str | None = Field(default=None, min_length=1, description="Why it was retired.")
    successor: str | None = Field(
        default=None, pattern=ID_PATTERN, description="The agent that took over its work."
    )


class Waiver(_Block):
    """A time-boxed, approved exception to one rule on this card."""

    rule: str = Field(min_length=1, description="Rule code or name the waiver suppresses.")
    reason: str | None = Field(default=None, description="Why the exception is acceptable.")
    approved_by: Union[Person, str, None] = Field(  # noqa: UP007 - keeps the schema's order
        default=None, description="Who approved it: a person or an email address."
    )
    expires: IsoDate | None = Field(
        default=None, description="Last day the waiver applies (at most a year ahead)."
    )


class AgentCard(_Block):
    """An AI agent described as code: format agentroster/v1."""

    model_config = ConfigDict(
        title="agentroster agent card v1",
        json_schema_extra={"additionalProperties": False},
    )

    apiVersion: Literal["agentroster/v1"] = Field(description="Card format version.")
    kind: Literal["AgentCard"] = Field(description="Always 'AgentCard'.")
    id: str = Field(
        min_length=3,
        max_length=63,
        pattern=ID_PATTERN,
        description="Kebab-case id, unique in the repository; the file is named <id>.agent.yaml.",
    )
    name: str = Field(min_length=1, description="Human title of the agent.")
    version: str = Field(
        pattern=SEMVER_PATTERN,
        description="Semantic version of the agent (prompts, tools, model), e.g. '1.3.0'.",
    )
    description: str = Field(
        min_length=20, description="One paragraph: the job, its trigger, input and output."
    )
    status: Status = Field(description="Lifecycle status.")
    pattern: Pattern = Field(description="Which of the six agent patterns this is.")
    mode: Mode = Field(description="assist: a human executes; execute: the agent acts.")
    tier: Tier = Field(description="Risk tier: 1 is the highest risk, 3 the lowest.")
    owner: Person = Field(description="The accountable individual.")
    sponsor: Sponsor | None = Field(default=None, description="Business sponsor.")
    technical_owner: Person | None = Field(default=None, description="Technical owner.")
    data: Data | None = Field(default=None, description="Data classes and knowledge sources.")
    model: Model | None = Field(default=None, description="The model behind the agent.")
    tools: list[Tool] = Field(default_factory=list, description="Tools the agent can call.")
    handoffs: list[Handoff] = Field(
        default_factory=list, description="Handoffs to other agents or human queues."
    )
    escalation: Escalation | None = Field(default=None, description="Escalation path.")
    evals: Evals | None = Field(default=None, description="Evaluation that gates each deploy.")
    runbooks: list[Runbook] = Field(default_factory=list, description="Runbooks by failure mode.")
    monitoring: Monitoring | None = Field(default=None, description="Monitoring in operation.")
    audit: Audit | None = Field(default=None, description="Audit trail.")
    release_gate: ReleaseGate | None = Field(default=None, description="Release gate.")
    budgets: Budgets | None = Field(default=None, description="Per-session runtime limits.")
    slo: Slo | None = Field(default=None, description="Service level objectives.")
    kill_switch: str | None = Field(
        default=None, min_length=1, description="Flag or procedure that stops the agent at once."
    )
    disclosure: Disclosure | None = Field(default=None, description="AI disclosure and consent.")
    review: ReviewRecord | None = Field(default=None, description="Governance review schedule.")
    deployed: IsoDate | None = Field(default=None, description="Date of first production deploy.")
    tags: list[str] = Field(default_factory=list, description="Free-form tags.")
    prompts: list[str] = Field(
        default_factory=list,
        description="Prompt and instruction files, relative to the card's file.",
    )
    oversight: Oversight | None = Field(default=None, description="When a human reviews.")
    cost: Cost | None = Field(default=None, description="Cost target, alert and budget (USD).")
    incidents: list[Incident] = Field(default_factory=list, description="The incident log.")
    changes: list[Change] = Field(default_factory=list, description="The change log.")
    retirement: Retirement | None = Field(
        default=None, description="Retirement record, once the status is retired."
    )
    endpoint: str | None = Field(
        default=None, pattern=HTTPS_PATTERN, description="The https URL the agent is served at."
    )
    waivers: list[Waiver] = Field(
        default_factory=list, description="Approved, time-boxed exceptions to rules."
    )
