"""The card JSON Schema (draft 2020-12), generated from the pydantic model."""

from __future__ import annotations

import json
from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from agentroster.model import AgentCard

SCHEMA_ID = "https://agentroster.dev/schemas/agent-card.v1.schema.json"
SCHEMA_PATH = "schemas/agent-card.v1.schema.json"


class _CardSchema(GenerateJsonSchema):
    def generate(self, schema: Any, mode: Any = "validation") -> dict[str, Any]:
        out = super().generate(schema, mode=mode)
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": SCHEMA_ID,
            **out,
        }


def card_schema() -> dict[str, Any]:
    """The JSON Schema of an agent card, as a dict."""
    return AgentCard.model_json_schema(schema_generator=_CardSchema)


def card_schema_text() -> str:
    """The schema as written to `schemas/agent-card.v1.schema.json` (stable key order)."""
    return json.dumps(card_schema(), indent=2, ensure_ascii=False) + "\n"
