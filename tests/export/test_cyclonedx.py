from __future__ import annotations

import json

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from agentroster.export.cyclonedx import bom, bom_text
from tests.export.helpers import card, load
from tests.export_golden import GOLDEN


def assert_valid(text: str) -> None:
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    assert error is None, error.data.message if error else ""


def test_the_golden_bom_is_valid_cyclonedx_1_6():
    text = (GOLDEN / "cyclonedx.json").read_text()
    assert_valid(text)
    doc = json.loads(text)
    refs = {c["bom-ref"]: c for c in doc["components"]}
    refund = refs["refund-assistant"]
    assert refund["type"] == "application" and refund["version"] == "1.3.0"
    assert refund["authors"] == [{"name": "Dana Whitfield", "email": "dana.whitfield@example.com"}]
    assert refund["supplier"]["name"] == "care-platform"
    props = {(p["name"], p["value"]) for p in refund["properties"]}
    assert {("agentroster:tier", "1"), ("agentroster:data-class", "pii")} <= props
    model = refs["model:anthropic/claude-sonnet@claude-sonnet-4-5-20250929"]
    assert model["type"] == "machine-learning-model"
    services = {s["bom-ref"]: s for s in doc["services"]}
    issue = services["tool:refund-assistant/refunds.issue"]
    assert {"name": "agentroster:access", "value": "write"} in issue["properties"]
    deps = {d["ref"]: d["dependsOn"] for d in doc["dependencies"]}
    assert "fraud-screener" in deps["refund-assistant"]
    assert "tool:refund-assistant/refunds.issue" in deps["refund-assistant"]
    every_ref = set(refs) | set(services) | {"agentroster:roster"}
    assert all(set(needs) <= every_ref for needs in deps.values())


def test_the_serial_number_follows_the_content(roster):
    root = roster({"x.agent.yaml": card()})
    first, again = bom(load(root)), bom(load(root))
    assert first == again and "timestamp" not in first["metadata"]
    (root / "x.agent.yaml").write_text(card(version="1.0.1"))
    assert bom(load(root))["serialNumber"] != first["serialNumber"]


def test_hostile_text_stays_valid(roster):
    tools = 'tools:\n  - {id: "a\\u202e\\x85b", access: read, description: "x\\ny"}\n'
    root = roster({"x.agent.yaml": card(name='"\\udc80 \\u2028 ok"', extra=tools)})
    assert_valid(bom_text(load(root)))
