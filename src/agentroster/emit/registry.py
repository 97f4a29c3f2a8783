"""The agent registry: `registry.json`, its JSON Schema, and `registry.csv`.

One entry per agent whose card could be read, with every field an agent registry needs (name
and version, owner team and individual, use case, risk tier, data and tool access scope,
deployment date, last review date, status; docs/governance.md#the-registry) plus what the
review cadence and findings say, and the agent's lifecycle as the card records it: the pinned
model, eval refresh and metric review dates, incidents, the change log with its CAB records,
cost, service levels, rollback and retirement.

Pure functions of the roster and the lint report: no clock, no file access. What depends on
the date (whether a review is overdue, which findings a card has, whether a waiver is still in
force) is filled in only for a dated build (`today` given, `build --today`); an undated build
sets those fields to null, so its bytes depend on the cards alone and a committed registry
stays fresh until a card changes. The lifecycle fields are the card's own values and what
follows from them alone, never from today.

Every string of the document is Unicode text (`escape.json_string`: a non-UTF-8 file name's
lone surrogates become the text `\\udcff`), so it can be written as UTF-8 and parsed by any
JSON parser; every CSV cell goes through `escape.csv_cell`, so no cell starts a formula.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from agentroster import __version__
from agentroster.catalogues import DirectoryPerson
from agentroster.context import CardContext, Roster
from agentroster.escape import csv_cell, json_string
from agentroster.findings import Report, Severity
from agentroster.lazycard import release
from agentroster.model import Change, Incident
from agentroster.rules import lookup
from agentroster.rules.change import cab_gaps, material_kinds
from agentroster.rules.helpers import CADENCE_MONTHS, add_months, review_cadence
from agentroster.rules.waiver import active_waivers
from agentroster.validate import FieldUnavailable

REGISTRY_SCHEMA_PATH = "schemas/registry.schema.json"
REGISTRY_SCHEMA_ID = "https://agentroster.dev/schemas/registry.schema.json"
People = Mapping[str, DirectoryPerson] | None  # the roster's people directory, if it has one


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RegPerson(_Out):
    name: str = Field(description="Full name.")
    email: str = Field(description="Email address.")
    team: str | None = Field(description="Team, if given.")


class RegSponsor(RegPerson):
    role: str = Field(description="executive, manager or team.")


class RegTool(_Out):
    id: str = Field(description="Tool id.")
    system: str | None = Field(description="System the tool acts on.")
    access: str = Field(description="read, recommend, write or trigger.")
    approval: str | None = Field(description="'human' when each call is approved by a person.")


class RegHandoff(_Out):
    to: str = Field(description="Receiver: agent id or human:<queue>.")
    fallback: str | None = Field(description="Where the work goes if the receiver does nothing.")


class RegEscalation(_Out):
    to: str = Field(description="Escalation target.")
    incident_response: str | None = Field(description="Time to first incident response.")


class RegReview(_Out):
    last: str | None = Field(description="Date of the last governance review.")
    cadence: str | None = Field(description="Cadence in force (the tier's, or a stricter one).")
    next_due: str | None = Field(description="last + cadence, in calendar months.")
    overdue: bool | None = Field(
        description="True when next_due is before generated_for; null in an undated build "
        "(no --today) or without next_due."
    )
    metrics_last: str | None = Field(description="Date of the last metric review.")


class RegEvals(_Out):
    golden_set: str | None = Field(description="Path of the golden set, relative to the card.")
    cases: int | None = Field(description="Cases in the golden set.")
    metric: str | None = Field(description="Metric the threshold applies to.")
    threshold: float | None = Field(description="Minimum score to deploy.")
    refreshed: str | None = Field(description="When the golden set was last refreshed.")


class RegModel(_Out):
    provider: str = Field(description="Model provider.")
    name: str = Field(description="Model name.")
    version: str | None = Field(description="The pinned snapshot; null when not pinned.")
    since: str | None = Field(description="When this model was set.")
    fallback: str | None = Field(description="Fallback model as provider/name.")


class RegReleaseGate(_Out):
    requires: list[str] = Field(description="Reviews a release needs.")
    rollout: str | None = Field(description="shadow, canary, gradual or full.")
    rollback: str | None = Field(description="How to go back to the previous version.")


class RegSlo(_Out):
    availability: float | None = Field(description="Availability target, percent.")
    latency_p95: str | int | None = Field(description="95th-percentile latency: duration or ms.")
    success_rate: float | None = Field(description="Target success rate, 0..1.")


class RegCost(_Out):
    per_interaction: float | None = Field(description="Target cost per interaction, USD.")
    alert_above: float | None = Field(description="Alert threshold per interaction, USD.")
    monthly_budget: float | None = Field(description="Budget per month, USD.")
    monthly_volume: int | None = Field(description="Expected interactions per month.")
    projected_monthly: float | None = Field(
        description="per_interaction x monthly_volume, USD, when both are given."
    )


class RegIncident(_Out):
    id: str = Field(description="Incident id.")
    date: str = Field(description="When it began.")
    severity: str = Field(description="sev1, sev2 or sev3.")
    summary: str = Field(description="What happened.")
    resolved: str | None = Field(description="When it was resolved; null while open.")
    postmortem: str | None = Field(description="Postmortem path or URL.")


class RegIncidents(_Out):
    total: int = Field(description="Incidents in the card's log.")
    open: list[RegIncident] = Field(description="Unresolved incidents, oldest first.")
    last: RegIncident | None = Field(description="The most recent incident, by date.")


class RegCab(_Out):
    approved: str | None = Field(description="Date of the change advisory board's approval.")
    ticket: str | None = Field(description="The CAB ticket.")
    approved_by: str | None = Field(description="Who approved it (email, or name <email>).")


class RegChange(_Out):
    version: str = Field(description="The agent version the change shipped in.")
    date: str = Field(description="When the change was made.")
    summary: str | None = Field(description="What changed.")
    kinds: list[str] = Field(description="Kinds of change.")
    material: bool = Field(description="True when a kind other than 'other' is listed.")
    cab: RegCab | None = Field(description="The CAB record, if any.")
    unapproved: bool = Field(
        description="True for a material change of a tier 1 or 2 agent whose CAB record lacks "
        "the approval date, or both ticket and approver (M004)."
    )


class RegRetirement(_Out):
    date: str | None = Field(description="When the agent was retired.")
    reason: str | None = Field(description="Why.")
    successor: str | None = Field(description="The agent that took over.")


WaiverState = Literal["active", "expired", "invalid"]


class RegWaiver(_Out):
    rule: str = Field(description="The rule the waiver names, as the card writes it.")
    code: str | None = Field(description="That rule's code; null when no rule has that name.")
    reason: str | None = Field(description="Why the exception is acceptable.")
    approved_by: str | None = Field(description="Who approved it (email, or name <email>).")
    expires: str | None = Field(description="Last day the waiver applies.")
    state: WaiverState | None = Field(
        description="On generated_for: 'active' when the waiver hides findings, 'expired' when "
        "its expiry is before that day (W001), 'invalid' otherwise (W002, W003). Null in an "
        "undated build (no --today): whether a waiver is in force depends on the date."
    )


class RegFindings(_Out):
    errors: int = Field(description="Error findings on the card (after waivers).")
    warnings: int = Field(description="Warning findings on the card.")
    infos: int = Field(description="Info findings on the card.")
    waived: int = Field(description="Findings hidden by the card's waivers.")


class RegAgent(_Out):
    id: str = Field(description="Agent id.")
    name: str | None = Field(description="Human title.")
    version: str | None = Field(description="Agent version.")
    description: str | None = Field(description="The job, its trigger, input and output.")
    status: str | None = Field(description="proposed, pilot, production, paused or retired.")
    pattern: str | None = Field(description="One of the six agent patterns.")
    mode: str | None = Field(description="assist or execute.")
    tier: int | None = Field(description="Risk tier, 1 highest.")
    owner: RegPerson | None = Field(description="Accountable person.")
    sponsor: RegSponsor | None = Field(description="Business sponsor.")
    technical_owner: RegPerson | None = Field(description="Technical owner.")
    data_classes: list[str] = Field(description="Data classes the agent touches.")
    tools: list[RegTool] = Field(description="Tools with their access.")
    handoffs: list[RegHandoff] = Field(description="Handoff targets and fallbacks.")
    escalation: RegEscalation | None = Field(description="Escalation path.")
    deployed: str | None = Field(description="Date of first production deploy.")
    review: RegReview = Field(description="Review record and the computed next due date.")
    evals: RegEvals | None = Field(description="Eval gate.")
    model: RegModel | None = Field(description="The model, its pinned version and since when.")
    release_gate: RegReleaseGate | None = Field(description="Release gate, rollout, rollback.")
    slo: RegSlo | None = Field(description="Service level objectives.")
    cost: RegCost | None = Field(description="Cost target, alert, budget and volume.")
    incidents: RegIncidents = Field(description="Open incidents and the last incident.")
    changes: list[RegChange] = Field(description="The change log, as written, with CAB records.")
    retirement: RegRetirement | None = Field(description="Retirement record.")
    waivers: list[RegWaiver] = Field(description="Every waiver the card declares, in its order.")
    path: str = Field(description="The card's file, relative to the roster root.")
    findings: RegFindings | None = Field(
        description="Finding counts on the card on generated_for. Null in an undated build (no "
        "--today): which findings a card has depends on the date (reviews fall due, waivers "
        "expire); `agentroster lint` reports them."
    )


class Registry(_Out):
    """The agent registry generated by `agentroster build`."""

    model_config = ConfigDict(title="agentroster registry")

    tool: str = Field(description="Always 'agentroster'.")
    version: str = Field(description="agentroster version that generated the registry.")
    generated_for: str | None = Field(
        description="The date given with `build --today`: overdue reviews, findings and waiver "
        "states are as of that day. Null for an undated build, which holds nothing that "
        "depends on the date."
    )
    agents: list[RegAgent] = Field(description="Every agent whose card could be read, by id.")


def registry_schema_text() -> str:
    schema = Registry.model_json_schema()
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": REGISTRY_SCHEMA_ID,
        **schema,
    }
    return json.dumps(schema, indent=2) + "\n"


def _person(person: Any) -> dict[str, Any] | None:
    if person is None:
        return None
    return {"name": person.name, "email": person.email, "team": person.team}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _text_only(value: Any) -> Any:
    """`value` (plain JSON data) with every string, keys included, through `json_string`."""
    if isinstance(value, str):
        return json_string(value)
    if isinstance(value, dict):
        return {_text_only(k): _text_only(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_text_only(v) for v in value]
    return value


def review_of(card: CardContext, today: date | None = None) -> dict[str, Any]:
    """The review record with its computed next due date (calendar months by cadence), and
    whether it is overdue on `today` (None: undated, not said)."""
    review = card.get("review")
    last = review.last if review is not None else None
    metrics_last = _iso(review.metrics_last) if review is not None else None
    try:
        cadence: str | None = review_cadence(card.model)
    except FieldUnavailable:
        cadence = None
    if last is None or cadence is None:
        return {
            "last": _iso(last),
            "cadence": cadence,
            "next_due": None,
            "overdue": None,
            "metrics_last": metrics_last,
        }
    due = add_months(last, CADENCE_MONTHS[cadence])
    return {
        "last": last.isoformat(),
        "cadence": cadence,
        "next_due": due.isoformat(),
        "overdue": today > due if today is not None else None,
        "metrics_last": metrics_last,
    }


def _approver(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return f"{value.name} <{value.email}>"


def model_of(card: CardContext) -> dict[str, Any] | None:
    model = card.get("model")
    if model is None:
        return None
    fallback = model.fallback
    return {
        "provider": model.provider,
        "name": model.name,
        "version": model.version,
        "since": _iso(model.since),
        "fallback": f"{fallback.provider}/{fallback.name}" if fallback else None,
    }


def release_gate_of(card: CardContext) -> dict[str, Any] | None:
    gate = card.get("release_gate")
    if gate is None:
        return None
    return {"requires": list(gate.requires), "rollout": gate.rollout, "rollback": gate.rollback}


def cost_of(card: CardContext) -> dict[str, Any] | None:
    cost = card.get("cost")
    if cost is None:
        return None
    projected = None
    if cost.per_interaction is not None and cost.monthly_volume is not None:
        # as K002 computes it: the written amount, without binary floating-point error
        projected = float(Decimal(repr(cost.per_interaction)) * cost.monthly_volume)
    return {
        "per_interaction": cost.per_interaction,
        "alert_above": cost.alert_above,
        "monthly_budget": cost.monthly_budget,
        "monthly_volume": cost.monthly_volume,
        "projected_monthly": projected,
    }


def _incident(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.id,
        "date": incident.date.isoformat(),
        "severity": incident.severity,
        "summary": " ".join(incident.summary.split()),
        "resolved": _iso(incident.resolved),
        "postmortem": incident.postmortem,
    }


def incidents_of(card: CardContext) -> dict[str, Any]:
    """The open incidents (oldest first) and the most recent one (by date; the later-listed
    of two on one day)."""
    log = list(card.get("incidents") or ())
    open_ = sorted((i for i in log if i.resolved is None), key=lambda i: i.date)
    last = max(reversed(log), key=lambda i: i.date, default=None)
    return {
        "total": len(log),
        "open": [_incident(i) for i in open_],
        "last": _incident(last) if last is not None else None,
    }


def _change(change: Change, tier: int | None) -> dict[str, Any]:
    cab = change.cab
    return {
        "version": change.version,
        "date": change.date.isoformat(),
        "summary": " ".join(change.summary.split()) if change.summary else None,
        "kinds": list(change.kinds),
        "material": bool(material_kinds(change)),
        "cab": (
            {
                "approved": _iso(cab.approved),
                "ticket": cab.ticket,
                "approved_by": _approver(cab.approved_by),
            }
            if cab
            else None
        ),
        "unapproved": tier is not None and bool(cab_gaps(change, tier)),
    }


def changes_of(card: CardContext) -> list[dict[str, Any]]:
    tier = card.get("tier")
    return [_change(change, tier) for change in card.get("changes") or ()]


def retirement_of(card: CardContext) -> dict[str, Any] | None:
    record = card.get("retirement")
    if record is None:
        return None
    return {"date": _iso(record.date), "reason": record.reason, "successor": record.successor}


def _waiver_state(expires: date | None, index: int, active: set[int], today: date) -> WaiverState:
    if expires is not None and expires < today:
        return "expired"
    return "active" if index in active else "invalid"


def waivers_of(
    card: CardContext, today: date | None, people: People = None
) -> list[dict[str, Any]]:
    """Every waiver the card declares, in its order; with `today`, whether it is in force then
    (as lint decides it: `active_waivers`, with the roster's people directory)."""
    waivers = card.get("waivers") or []
    active = {w.index for w in active_waivers(card, people=people)} if today is not None else set()
    out = []
    for index, waiver in enumerate(waivers):
        rule = lookup(waiver.rule)
        out.append(
            {
                "rule": waiver.rule,
                "code": rule.code if rule is not None else None,
                "reason": " ".join(waiver.reason.split()) if waiver.reason else None,
                "approved_by": _approver(waiver.approved_by) or None,
                "expires": _iso(waiver.expires),
                "state": (
                    _waiver_state(waiver.expires, index, active, today)
                    if today is not None
                    else None
                ),
            }
        )
    return out


def agent_entry(
    card: CardContext,
    counts: dict[str, int] | None,
    root_rel: str,
    *,
    today: date | None = None,
    people: People = None,
) -> dict[str, Any]:
    """One agent's registry entry. Date-dependent values (review overdue, waiver states) only
    with `today`; `counts` is None in an undated build."""
    data = card.get("data")
    sponsor = card.get("sponsor")
    escalation = card.get("escalation")
    evals = card.get("evals")
    slo = card.get("slo")
    return {
        "id": card.model.id,
        "name": card.get("name"),
        "version": card.get("version"),
        "description": " ".join((card.get("description") or "").split()) or None,
        "status": card.get("status"),
        "pattern": card.get("pattern"),
        "mode": card.get("mode"),
        "tier": card.get("tier"),
        "owner": _person(card.get("owner")),
        "sponsor": (
            {
                "name": sponsor.name,
                "email": sponsor.email,
                "team": sponsor.team,
                "role": sponsor.role,
            }
            if sponsor
            else None
        ),
        "technical_owner": _person(card.get("technical_owner")),
        "data_classes": sorted(data.classes) if data else [],
        "tools": [
            {"id": t.id, "system": t.system, "access": t.access, "approval": t.approval}
            for t in card.get("tools") or []
        ],
        "handoffs": [{"to": h.to, "fallback": h.fallback} for h in card.get("handoffs") or []],
        "escalation": (
            {"to": escalation.to, "incident_response": escalation.incident_response}
            if escalation
            else None
        ),
        "deployed": _iso(card.get("deployed")),
        "review": review_of(card, today),
        "evals": (
            {
                "golden_set": evals.golden_set,
                "cases": evals.cases,
                "metric": evals.metric,
                "threshold": evals.threshold,
                "refreshed": _iso(evals.refreshed),
            }
            if evals
            else None
        ),
        "model": model_of(card),
        "release_gate": release_gate_of(card),
        "slo": (
            {
                "availability": slo.availability,
                "latency_p95": slo.latency_p95,
                "success_rate": slo.success_rate,
            }
            if slo
            else None
        ),
        "cost": cost_of(card),
        "incidents": incidents_of(card),
        "changes": changes_of(card),
        "retirement": retirement_of(card),
        "waivers": waivers_of(card, today, people),
        "path": root_rel,
        "findings": counts,
    }


def finding_counts(report: Report, path: str) -> dict[str, int]:
    own = report.by_path.get(path, [])
    return {
        "errors": sum(1 for f in own if f.severity is Severity.ERROR),
        "warnings": sum(1 for f in own if f.severity is Severity.WARNING),
        "infos": sum(1 for f in own if f.severity is Severity.INFO),
        "waived": report.waived_by_path.get(path, 0),
    }


def registry(roster: Roster, report: Report, today: date | None) -> dict[str, Any]:
    """The registry document, agents sorted by id (then path, for duplicate ids).

    `today` None is an undated build: no finding counts, overdue flags or waiver states,
    nothing that changes while the cards do not. With a date, they are as of that day."""
    people = roster.catalogues.people if roster.catalogues is not None else None
    agents = []
    for card_file in roster.files:
        card = card_file.context
        if card is None or "id" in card.tainted:
            continue
        rel = card_file.file.relative_to(roster.root).as_posix()
        counts = finding_counts(report, card_file.path) if today is not None else None
        entry = agent_entry(card, counts, rel, today=today, people=people)
        agents.append(_text_only(entry))
        release(card.model)  # a roster never holds every card's model at once
    agents.sort(key=lambda a: (a["id"], a["path"]))
    return {
        "tool": "agentroster",
        "version": __version__,
        "generated_for": _iso(today),
        "agents": agents,
    }


CSV_COLUMNS = (
    "id", "name", "version", "status", "tier", "pattern", "mode", "owner_name", "owner_email",
    "owner_team", "sponsor_name", "sponsor_role", "technical_owner", "data_classes", "tools",
    "handoff_targets", "escalation", "deployed", "review_last", "review_next_due",
    "review_overdue", "eval_threshold", "eval_cases", "path", "errors", "warnings", "infos",
    # v1.1 lifecycle, after the v1 columns so that spreadsheets reading by position still work
    "model_version", "model_since", "evals_refreshed", "metrics_review_last", "open_incidents",
    "last_incident", "changes", "unapproved_changes", "cab_tickets", "cost_per_interaction",
    "cost_alert_above", "monthly_budget", "monthly_volume", "slo_availability",
    "slo_latency_p95", "slo_success_rate", "rollout", "rollback", "retired_on",
    "retirement_reason", "successor",
    # waivers, after the lifecycle columns for the same reason
    "waivers",
)  # fmt: skip


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return csv_cell(str(value))


def _csv_row(a: dict[str, Any]) -> list[str]:
    owner, sponsor, tech = a["owner"] or {}, a["sponsor"] or {}, a["technical_owner"] or {}
    review, evals, counts = a["review"], a["evals"] or {}, a["findings"] or {}
    values = [
        a["id"], a["name"], a["version"], a["status"], a["tier"], a["pattern"], a["mode"],
        owner.get("name"), owner.get("email"), owner.get("team"), sponsor.get("name"),
        sponsor.get("role"), tech.get("name"), ";".join(a["data_classes"]),
        ";".join(f"{t['id']}:{t['access']}" for t in a["tools"]),
        ";".join(h["to"] for h in a["handoffs"]),
        (a["escalation"] or {}).get("to"), a["deployed"], review["last"], review["next_due"],
        review["overdue"], evals.get("threshold"), evals.get("cases"), a["path"],
        counts.get("errors"), counts.get("warnings"), counts.get("infos"),
        *lifecycle_row(a), waivers_cell(a["waivers"]),
    ]  # fmt: skip
    return [_cell(v) for v in values]


def lifecycle_row(a: dict[str, Any]) -> list[Any]:
    """The v1.1 lifecycle columns of one agent's CSV row."""
    model, evals, cost = a["model"] or {}, a["evals"] or {}, a["cost"] or {}
    slo, gate, retirement = a["slo"] or {}, a["release_gate"] or {}, a["retirement"] or {}
    incidents, last = a["incidents"], a["incidents"]["last"]
    changes = a["changes"]
    return [
        model.get("version"), model.get("since"), evals.get("refreshed"),
        a["review"]["metrics_last"],
        ";".join(f"{i['id']} ({i['severity']})" for i in incidents["open"]),
        f"{last['id']} {last['date']} {last['severity']}" if last else "",
        len(changes), ";".join(c["version"] for c in changes if c["unapproved"]),
        ";".join(c["cab"]["ticket"] for c in changes if c["cab"] and c["cab"]["ticket"]),
        cost.get("per_interaction"), cost.get("alert_above"),
        cost.get("monthly_budget"), cost.get("monthly_volume"),
        slo.get("availability"), slo.get("latency_p95"),
        slo.get("success_rate"), gate.get("rollout"), gate.get("rollback"),
        retirement.get("date"), retirement.get("reason"),
        retirement.get("successor"),
    ]  # fmt: skip


def waivers_cell(waivers: list[dict[str, Any]]) -> str:
    """The `waivers` column: `RULE until DATE, approved by WHO: REASON` per waiver, `; `
    between them, and the state in brackets in a dated build (`[expired]`)."""
    items = []
    for w in waivers:
        text = f"{w['rule']} until {w['expires'] or '(no expiry)'}"
        if w["approved_by"]:
            text += f", approved by {w['approved_by']}"
        if w["reason"]:
            text += f": {w['reason']}"
        if w["state"]:
            text += f" [{w['state']}]"
        items.append(text)
    return "; ".join(items)


def registry_csv(doc: dict[str, Any]) -> str:
    """One row per agent, for people who live in spreadsheets. Lists are `;`-separated; every
    cell is one line (`escape.csv_cell`), and one that would start a formula starts with a
    single quote."""
    return "".join(registry_csv_pieces(doc))


def registry_csv_pieces(doc: dict[str, Any], rows: int = 1000) -> Iterator[str]:
    """registry_csv in pieces of `rows` rows, for writing without the whole text in memory."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for number, agent in enumerate(doc["agents"], 1):
        writer.writerow(_csv_row(agent))
        if number % rows == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def registry_json(doc: dict[str, Any], pieces: int = 4096) -> Iterator[str]:
    """`json.dumps(doc, indent=2, ensure_ascii=False) + "\\n"` in pieces of about `pieces` of
    the encoder's small strings: the encoder's own output, joined a little at a time, so
    neither the whole text nor its millions of small strings are in memory at once. (One
    encoder for the whole document: each `json.dumps` call leaves a reference cycle behind,
    which a build, run with the collector paused, would keep.)"""
    batch: list[str] = []
    for chunk in json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(doc):
        batch.append(chunk)
        if len(batch) >= pieces:
            yield "".join(batch)
            batch.clear()
    batch.append("\n")
    yield "".join(batch)
