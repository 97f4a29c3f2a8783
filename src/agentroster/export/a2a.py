"""A2A AgentCards (protocol v1.0): one per agent that declares an `endpoint`.

The card says how to reach the agent and what it does: its name, description and version;
the endpoint as its one interface (JSON-RPC binding, protocol version 1.0); the owner's team as
provider; one skill, the agent's job, tagged with its pattern and its tools. Capabilities and
security schemes are not in the agent card format, so none are claimed. docs/exports.md maps
every field.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from agentroster.context import Roster
from agentroster.export.base import Agent, agents
from agentroster.export.jsondoc import dumps

PROTOCOL_VERSION = "1.0"
PROTOCOL_BINDING = "JSONRPC"  # the binding A2A servers must offer
TEXT = "text/plain"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def agent_card(agent: Agent) -> dict[str, Any] | None:
    """The A2A AgentCard of one agent, None without an endpoint."""
    card = agent.card
    endpoint = card.get("endpoint")
    if not endpoint:
        return None
    name = card.get("name") or agent.id
    description = " ".join((card.get("description") or "").split()) or name
    tags = [card.get("pattern") or "agent"]
    tags += sorted({tool.id for tool in card.get("tools") or ()})
    doc: dict[str, Any] = {
        "name": name,
        "description": description,
        "supportedInterfaces": [
            {
                "url": endpoint,
                "protocolBinding": PROTOCOL_BINDING,
                "protocolVersion": PROTOCOL_VERSION,
            }
        ],
    }
    owner = card.get("owner")
    if owner is not None:
        doc["provider"] = {"organization": owner.team or owner.name, "url": _origin(endpoint)}
    doc |= {
        "version": card.get("version") or "0.0.0",
        "capabilities": {},
        "defaultInputModes": [TEXT],
        "defaultOutputModes": [TEXT],
        "skills": [{"id": agent.id, "name": name, "description": description, "tags": tags}],
    }
    return doc


def cards(roster: Roster) -> dict[str, dict[str, Any]]:
    """Agent id -> AgentCard, for every agent with an endpoint, by id."""
    found = {}
    for agent in agents(roster):
        doc = agent_card(agent)
        if doc is not None:
            found[agent.id] = doc
    return found


def array(roster: Roster) -> str:
    """Every AgentCard as one JSON array."""
    return dumps(list(cards(roster).values()))


def files(roster: Roster) -> dict[str, str]:
    """`<id>.json` -> that agent's AgentCard, for `--split`: what each agent would serve at
    `/.well-known/agent-card.json`."""
    return {f"{agent_id}.json": dumps(doc) for agent_id, doc in cards(roster).items()}
