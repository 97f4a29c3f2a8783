"""The roster as a CycloneDX 1.6 bill of materials (JSON).

Each agent is an `application` component (bom-ref: its id) with its owner as author and
supplier and its governance facts as `agentroster:` properties; each model it runs on is a
`machine-learning-model` component, shared by the agents that use it; each tool is a service
with its access level; the dependency graph links the roster to its agents and each agent to
its model, its tools and the agents it hands off to. docs/exports.md maps every field.

The bytes depend on the cards alone: there is no timestamp, and the serial number is a UUID
derived (version 5) from the SHA-256 of the rest of the document, so an unchanged roster gives
an unchanged BOM, and a changed one a new serial number.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

from agentroster import __version__
from agentroster.context import Roster
from agentroster.export.base import Agent, agents
from agentroster.export.jsondoc import dumps, text_only

SPEC_VERSION = "1.6"
NAMESPACE = "agentroster"
ROSTER_REF = "agentroster:roster"  # no card id holds a colon, so no agent can take it


def _prop(name: str, value: object) -> dict[str, str]:
    return {"name": f"{NAMESPACE}:{name}", "value": str(value)}


def _model_ref(provider: str, name: str, version: str | None) -> str:
    return f"model:{provider}/{name}" + (f"@{version}" if version else "")


def _model_component(provider: str, name: str, version: str | None) -> dict[str, Any]:
    component: dict[str, Any] = {
        "type": "machine-learning-model",
        "bom-ref": _model_ref(provider, name, version),
        "supplier": {"name": provider},
        "publisher": provider,
        "name": name,
    }
    if version:
        component["version"] = version
    return component


def _agent_component(agent: Agent) -> dict[str, Any]:
    card = agent.card
    component: dict[str, Any] = {
        "type": "application",
        "bom-ref": agent.id,
        "name": card.get("name") or agent.id,
    }
    if card.get("version"):
        component["version"] = card.get("version")
    description = " ".join((card.get("description") or "").split())
    if description:
        component["description"] = description
    owner = card.get("owner")
    if owner is not None:
        contact = {"name": owner.name, "email": owner.email}
        component["authors"] = [contact]
        component["supplier"] = {"name": owner.team or owner.name, "contact": [contact]}
    properties = [_prop("id", agent.id), _prop("card", agent.path)]
    properties += [
        _prop(field.replace("_", "-"), value)
        for field in ("tier", "pattern", "mode", "status", "endpoint")
        if (value := card.get(field)) is not None
    ]
    data = card.get("data")
    properties += [_prop("data-class", c) for c in sorted(set(data.classes) if data else ())]
    properties += [
        _prop("handoff", h.to) for h in card.get("handoffs") or () if h.to.startswith("human:")
    ]
    component["properties"] = properties
    return component


def _service(agent: Agent, tool: Any) -> dict[str, Any]:
    service: dict[str, Any] = {"bom-ref": f"tool:{agent.id}/{tool.id}"}
    if tool.system:
        service["group"] = tool.system
    service["name"] = tool.id
    if tool.description:
        service["description"] = " ".join(tool.description.split())
    properties = [_prop("agent", agent.id), _prop("access", tool.access)]
    if tool.approval:
        properties.append(_prop("approval", tool.approval))
    if tool.rate_limit:
        properties.append(_prop("rate-limit", tool.rate_limit))
    if tool.reversible is not None:
        properties.append(_prop("reversible", str(tool.reversible).lower()))
    service["properties"] = properties
    return service


def _roster_name(root: Path, base: Path | None) -> str:
    """The roster's folder from the repository's top; 'agent roster' at the top itself (a
    folder name outside the repository would differ between checkouts)."""
    if base is not None and base in root.parents:
        return root.relative_to(base).as_posix()
    return "agent roster"


def bom(roster: Roster, *, base: Path | None = None) -> dict[str, Any]:
    """The BOM document; card paths relative to `base` (default: the roster root)."""
    exported = agents(roster, base=base)
    known = {agent.id for agent in exported}
    components = [_agent_component(agent) for agent in exported]
    models: dict[str, dict[str, Any]] = {}
    services: list[dict[str, Any]] = []
    dependencies = [{"ref": ROSTER_REF, "dependsOn": sorted(known)}]
    for agent in exported:
        needs: set[str] = set()
        model = agent.card.get("model")
        if model is not None:
            used = [(model.provider, model.name, model.version)]
            if model.fallback is not None:
                used.append((model.fallback.provider, model.fallback.name, None))
            for provider, name, version in used:
                ref = _model_ref(provider, name, version)
                models.setdefault(ref, _model_component(provider, name, version))
                needs.add(ref)
        seen_tools: set[str] = set()
        for tool in agent.card.get("tools") or ():
            if tool.id not in seen_tools:  # a repeated tool id is a lint error; keep the first
                seen_tools.add(tool.id)
                services.append(_service(agent, tool))
                needs.add(services[-1]["bom-ref"])
        needs |= {h.to for h in agent.card.get("handoffs") or () if h.to in known}
        dependencies.append({"ref": agent.id, "dependsOn": sorted(needs)})
    rel = _roster_name(roster.root, base)
    doc: dict[str, Any] = {
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "version": 1,
        "metadata": {
            "tools": {
                "components": [
                    {"type": "application", "name": "agentroster", "version": __version__}
                ]
            },
            "component": {
                "type": "application",
                "bom-ref": ROSTER_REF,
                "name": rel,
                "description": "The agents of this roster, from their agent cards.",
            },
        },
        "components": components + [models[ref] for ref in sorted(models)],
        "services": sorted(services, key=lambda s: s["bom-ref"]),
        "dependencies": dependencies,
    }
    body = json.dumps(text_only(doc), sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()
    serial = uuid.uuid5(uuid.NAMESPACE_URL, f"https://agentroster.dev/bom/{digest}")
    head = {"bomFormat": "CycloneDX", "specVersion": SPEC_VERSION, "serialNumber": serial.urn}
    return head | {key: value for key, value in doc.items() if key not in head}


def bom_text(roster: Roster, *, base: Path | None = None) -> str:
    """The BOM as JSON text."""
    return dumps(bom(roster, base=base))
