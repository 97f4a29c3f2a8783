"""JSON documents as every export writes them: stable bytes, Unicode text only."""

from __future__ import annotations

import json
from typing import Any

from agentroster.escape import json_string, json_text


def text_only(value: Any) -> Any:
    """`value` (plain JSON data) with every string, keys included, through `json_string`."""
    if isinstance(value, str):
        return json_string(value)
    if isinstance(value, dict):
        return {text_only(k): text_only(v) for k, v in value.items()}
    if isinstance(value, list):
        return [text_only(v) for v in value]
    return value


def dumps(value: Any) -> str:
    """`value` as indented JSON text with a final newline; keys in the order given."""
    return json_text(json.dumps(text_only(value), indent=2, ensure_ascii=False)) + "\n"
