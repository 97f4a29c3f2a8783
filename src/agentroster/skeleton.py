"""`agentroster import a2a`: a card skeleton from a published A2A AgentCard.

The AgentCard is untrusted input (it may come from any server): at most 1 MiB of UTF-8 JSON,
an object at the top, and only string values are taken from it, each cut to a sane length.
What it says (name, description and skills, version, endpoint) fills those fields of the card
`agentroster init` would write; everything governance needs stays a TODO placeholder. Every
value is written through `escape.yaml_string`, so no text can add a key to the card.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from agentroster.init import Facts, card_text
from agentroster.model import HTTPS_PATTERN, ID_PATTERN, SEMVER_PATTERN

MAX_BYTES = 1 << 20
MAX_TEXT = 2000  # characters kept of the description (skills included)
MAX_NAME = 200


class ImportRefused(Exception):
    """The file is not an A2A AgentCard this command can read; the message says why."""


def _reject_constant(name: str) -> Any:
    raise ImportRefused(f"not JSON: {name} is not a JSON number")


def read_agent_card(raw: bytes) -> dict[str, Any]:
    """The AgentCard object in `raw`: UTF-8 JSON, at most MAX_BYTES."""
    if len(raw) > MAX_BYTES:
        raise ImportRefused(f"the file is {len(raw)} bytes; an AgentCard is at most {MAX_BYTES}")
    try:
        doc = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, RecursionError) as exc:
        raise ImportRefused(f"not UTF-8 JSON: {exc.__class__.__name__}") from None
    except json.JSONDecodeError as exc:
        raise ImportRefused(f"not JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(doc, dict):
        raise ImportRefused("not an AgentCard: the JSON is not an object")
    return doc


def _text(value: Any, limit: int) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return (text[: limit - 1] + "…" if len(text) > limit else text) or None


def slug(name: str) -> str | None:
    """`name` as a card id (kebab-case, 3 to 63 characters), None when nothing fits."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    candidate = "-".join(words)[:63].strip("-")
    if candidate[:1].isdigit():
        candidate = "agent-" + candidate
    if 3 <= len(candidate) <= 63 and re.match(ID_PATTERN, candidate):
        return candidate
    return None


def _endpoint(doc: dict[str, Any]) -> str | None:
    interfaces = doc.get("supportedInterfaces")
    urls = (
        [i.get("url") for i in interfaces if isinstance(i, dict)]
        if isinstance(interfaces, list)
        else []
    )
    urls.append(doc.get("url"))  # protocol v0.3 cards name one URL at the top
    for url in urls:
        if isinstance(url, str) and len(url) <= 2000 and re.match(HTTPS_PATTERN, url):
            return url
    return None


def _description(doc: dict[str, Any]) -> str | None:
    parts = [_text(doc.get("description"), MAX_TEXT) or ""]
    skills = doc.get("skills")
    described = []
    for skill in skills if isinstance(skills, list) else ():
        if not isinstance(skill, dict):
            continue
        name = _text(skill.get("name"), MAX_NAME) or _text(skill.get("id"), MAX_NAME)
        about = _text(skill.get("description"), MAX_TEXT)
        if name or about:
            about = about.rstrip(".") if about else about
            described.append(f"{name}: {about}" if name and about else str(name or about))
    if described:
        parts.append("Skills: " + "; ".join(described) + ".")
    text = _text(" ".join(p for p in parts if p), MAX_TEXT)
    return text if text and len(text) >= 20 else None


def skeleton(
    doc: dict[str, Any],
    *,
    agent_id: str | None,
    pattern: str,
    tier: int,
    today: date,
    source: str,
) -> tuple[str, str]:
    """(id, card YAML) for the AgentCard `doc`; `source` names the file in a comment."""
    name = _text(doc.get("name"), MAX_NAME)
    agent_id = agent_id or (slug(name) if name else None)
    if agent_id is None:
        raise ImportRefused("the AgentCard has no name to make an id of; pass --id")
    version = _text(doc.get("version"), 64)
    notes = [
        f"Imported from the A2A AgentCard {json.dumps(source, ensure_ascii=True)[1:-1]}; "
        f"pattern {pattern} and tier {tier} are",
        "assumptions (--pattern, --tier): confirm them before the governance review.",
    ]
    if version and not re.match(SEMVER_PATTERN, version):
        notes.append(f"The AgentCard's version {json.dumps(version)} is not semantic: 0.1.0.")
    facts = Facts(
        name=name,
        description=_description(doc),
        version=version if version and re.match(SEMVER_PATTERN, version) else "0.1.0",
        endpoint=_endpoint(doc),
        writer="agentroster import a2a",
        notes=tuple(notes),
    )
    return agent_id, card_text(agent_id, pattern=pattern, tier=tier, today=today, facts=facts)
