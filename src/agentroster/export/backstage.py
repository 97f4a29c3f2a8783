"""The Backstage catalog: one `Component` entity per agent, as multi-document YAML.

Register the file as a catalog location. Entity names, label values, tags and references
follow Backstage's entity rules (names `^[a-zA-Z0-9]([-_.]?[a-zA-Z0-9])*$`, at most 63
characters; tags lowercase words joined by `-`); a value that cannot be made to fit is left
out rather than written wrong. docs/exports.md maps every field.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from agentroster.context import Roster
from agentroster.export.base import Agent, agents, yaml_lines

API_VERSION = "backstage.io/v1alpha1"
ANNOTATION = "agentroster.dev"
# Backstage's well-known lifecycle values, from the card's status
LIFECYCLE = {
    "proposed": "experimental",
    "pilot": "experimental",
    "production": "production",
    "paused": "production",
    "retired": "deprecated",
}
NAME_RE = re.compile(r"[a-zA-Z0-9]([-_.]?[a-zA-Z0-9])*\Z")
TAG_RE = re.compile(r"[a-z0-9:+#]+(-[a-z0-9:+#]+)*\Z")
_NOT_NAME = re.compile(r"[^a-zA-Z0-9]+")
SYSTEM_TAG = "system:"


def entity_name(text: str) -> str | None:
    """`text` as a Backstage entity name: each run of characters other than ASCII letters and
    digits becomes one `-` (a single `.` or `_` between two of them stays), ends trimmed, at
    most 63 characters; None when nothing is left."""
    if NAME_RE.match(text) and len(text) <= 63:
        return text
    name = _NOT_NAME.sub("-", text).strip("-")[:63].rstrip("-")
    return name or None


def _tags(tags: list[str]) -> list[str]:
    found = {tag.lower() for tag in tags}
    return sorted(t for t in found if len(t) <= 63 and TAG_RE.match(t) and t != SYSTEM_TAG)


def _system(agent: Agent) -> str | None:
    for tag in agent.card.get("tags") or ():
        if tag.startswith(SYSTEM_TAG):
            return entity_name(tag[len(SYSTEM_TAG) :])
    top = agent.folder.split("/", 1)[0]
    return entity_name(top) if top else None


def _links(agent: Agent) -> list[dict[str, str]]:
    links = []
    endpoint = agent.card.get("endpoint")
    if endpoint:
        links.append({"url": endpoint, "title": "Endpoint"})
    monitoring = agent.card.get("monitoring")
    if monitoring is not None and (monitoring.dashboard or "").startswith("https://"):
        links.append({"url": monitoring.dashboard, "title": "Dashboard"})
    return links


def entity(agent: Agent, known: set[str]) -> dict[str, Any]:
    """The Component entity of one agent; `known` holds the ids exported, so `dependsOn`
    names only entities in the same catalog."""
    card = agent.card
    labels = {
        f"{ANNOTATION}/{field}": str(value)
        for field in ("status", "tier", "pattern", "mode")
        if (value := card.get(field)) is not None
    }
    metadata: dict[str, Any] = {"name": agent.id, "title": card.get("name") or agent.id}
    description = " ".join((card.get("description") or "").split())
    if description:
        metadata["description"] = description
    metadata["labels"] = labels
    metadata["annotations"] = {f"{ANNOTATION}/card": agent.path}
    tags = _tags(list(card.get("tags") or ()))
    if tags:
        metadata["tags"] = tags
    links = _links(agent)
    if links:
        metadata["links"] = links
    spec: dict[str, Any] = {
        "type": "ai-agent",
        "lifecycle": LIFECYCLE.get(card.get("status") or "", "experimental"),
    }
    owner = card.get("owner")
    user = entity_name(owner.email.split("@", 1)[0]) if owner is not None else None
    spec["owner"] = f"user:{user}" if user else "unknown"
    system = _system(agent)
    if system:
        spec["system"] = system
    targets = sorted({h.to for h in card.get("handoffs") or () if h.to in known})
    if targets:
        spec["dependsOn"] = [f"component:{target}" for target in targets]
    return {"apiVersion": API_VERSION, "kind": "Component", "metadata": metadata, "spec": spec}


def catalog(roster: Roster, *, base: Path | None = None) -> str:
    """Every agent's entity, one YAML document each, by id; card paths relative to `base`."""
    exported = agents(roster, base=base)
    known = {agent.id for agent in exported}
    documents = ["\n".join(["---", *yaml_lines(entity(a, known))]) for a in exported]
    return "\n".join(documents) + "\n" if documents else ""
