from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

from agentroster.emit.schema import SCHEMA_PATH, card_schema, card_schema_text
from agentroster.loader import load_text
from agentroster.validate import validate
from tests.conftest import CLEAN_CARD, EXAMPLES, REPO


def test_checked_in_schema_is_fresh():
    committed = (REPO / SCHEMA_PATH).read_text()
    assert committed == card_schema_text(), (
        "schemas/agent-card.v1.schema.json is stale: run "
        "`agentroster schema -o schemas/agent-card.v1.schema.json`"
    )


def _walk(schema, path="#"):
    if isinstance(schema, dict):
        for name, prop in schema.get("properties", {}).items():
            yield f"{path}/{name}", prop
        for key, value in schema.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            yield from _walk(value, f"{path}/{i}")


def test_every_field_has_a_description():
    missing = [path for path, prop in _walk(card_schema()) if not prop.get("description")]
    assert missing == []


def test_schema_is_draft_2020_12_and_valid():
    schema = card_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def _check_jsonschema(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_jsonschema_metaschema():
    result = _check_jsonschema("--check-metaschema", str(REPO / SCHEMA_PATH))
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_jsonschema_accepts_every_example_card():
    cards = sorted(str(p) for p in (EXAMPLES / "roster").rglob("*.agent.yaml"))
    assert len(cards) >= 8
    result = _check_jsonschema("--schemafile", str(REPO / SCHEMA_PATH), *cards)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_jsonschema_rejects_a_bad_card(tmp_path):
    card = tmp_path / "notes-helper.agent.yaml"
    card.write_text(CLEAN_CARD.replace("tier: 3", "tier: 4"))
    result = _check_jsonschema("--schemafile", str(REPO / SCHEMA_PATH), str(card))
    assert result.returncode == 1


VARIANTS = [
    ("tier: 3", "tier: 4"),
    ("tier: 3", "tier: '3'"),
    ("status: proposed", "status: live"),
    ("version: 1.0.0", "version: 1.0"),
    ("version: 1.0.0", "version: v1"),
    ("id: notes-helper", "id: Notes_Helper"),
    ("audit: {enabled: true}", "audit: {enabled: 'yes'}"),
    ("audit: {enabled: true}", "audit: {enabled: true, extra: 1}"),
    ("owner:", "ownr:"),
    ("escalation: {to: human:workplace-it}", "escalation: {to: 'Human Ops'}"),
    ("escalation: {to: human:workplace-it}", "escalation: {to: human:ops, incident_response: 15s}"),
    ("description: Drafts meeting notes for employees to edit and send.", "description: short"),
]


@pytest.mark.parametrize(("old", "new"), VARIANTS)
def test_schema_and_model_agree(old, new):
    """The JSON Schema and the pydantic model give the same verdict on every variant."""
    validator = jsonschema.Draft202012Validator(card_schema())
    for text in (CLEAN_CARD, CLEAN_CARD.replace(old, new)):
        loaded = load_text(text)
        by_model = not validate(loaded.data, loaded.source_map).problems
        by_schema = validator.is_valid(json.loads(json.dumps(loaded.data)))
        assert by_model == by_schema, text
    assert by_model is False
