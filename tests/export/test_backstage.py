from __future__ import annotations

import re

import yaml
from ruamel.yaml import YAML

from agentroster.export.backstage import catalog, entity_name
from tests.export.helpers import card, load
from tests.export_golden import GOLDEN

# Backstage's entity rules (catalog-model): names, label values, tags
NAME = re.compile(r"^[a-zA-Z0-9]([-_.]?[a-zA-Z0-9])*$")
TAG = re.compile(r"^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$")
PREFIX = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


def _is_name(value: str) -> bool:
    return bool(NAME.match(value)) and len(value) <= 63


def _key_ok(key: str) -> bool:
    prefix, _, name = key.rpartition("/")
    return _is_name(name) and (not prefix or (bool(PREFIX.match(prefix)) and len(prefix) <= 253))


def check_entities(text: str) -> list[dict]:
    docs = list(YAML(typ="safe", pure=True).load_all(text))
    assert docs == list(yaml.safe_load_all(text))  # a YAML 1.1 reader agrees
    names = {d["metadata"]["name"] for d in docs}
    assert len(names) == len(docs)
    for doc in docs:
        assert doc["apiVersion"] == "backstage.io/v1alpha1" and doc["kind"] == "Component"
        meta, spec = doc["metadata"], doc["spec"]
        assert _is_name(meta["name"])
        for key, value in meta.get("labels", {}).items():
            assert _key_ok(key) and isinstance(value, str) and _is_name(value)
        for key, value in meta.get("annotations", {}).items():
            assert _key_ok(key) and isinstance(value, str)
        assert all(TAG.match(t) and len(t) <= 63 for t in meta.get("tags", []))
        assert all(set(link) <= {"url", "title"} for link in meta.get("links", []))
        assert spec["type"] == "ai-agent"
        assert spec["lifecycle"] in {"experimental", "production", "deprecated"}
        assert spec["owner"].startswith("user:") and _is_name(spec["owner"][5:])
        assert "system" not in spec or _is_name(spec["system"])
        for ref in spec.get("dependsOn", []):
            kind, _, name = ref.partition(":")
            assert kind == "component" and name in names
    return docs


def test_the_golden_catalog_follows_the_entity_rules():
    docs = check_entities((GOLDEN / "catalog-info.yaml").read_text())
    by_name = {d["metadata"]["name"]: d for d in docs}
    refund = by_name["refund-assistant"]
    assert refund["spec"] == {
        "type": "ai-agent",
        "lifecycle": "production",
        "owner": "user:dana.whitfield",
        "system": "support",
        "dependsOn": ["component:fraud-screener"],
    }
    assert refund["metadata"]["annotations"] == {
        "agentroster.dev/card": "examples/roster/support/refund-assistant.agent.yaml"
    }
    assert refund["metadata"]["labels"]["agentroster.dev/tier"] == "1"
    assert by_name["campaign-drafter"]["spec"]["lifecycle"] == "production"  # paused


def test_hostile_text_reads_back_exactly(roster):
    name = 'Notes: "x"\n---\nkind: User # \u202e yes'
    root = roster(
        {
            "odd dir/x.agent.yaml": card(
                name=YAML_QUOTE(name),
                tags="['system:Back Office!', 'Bad Tag', ok-tag, '---']",
            )
        }
    )
    docs = check_entities(catalog(load(root)))
    assert docs[0]["metadata"]["title"] == name
    assert docs[0]["metadata"]["tags"] == ["ok-tag"]
    assert docs[0]["spec"]["system"] == "Back-Office"


def YAML_QUOTE(value: str) -> str:
    import json

    return json.dumps(value)


def test_entity_names():
    assert entity_name("refund-assistant") == "refund-assistant"
    assert entity_name("Back Office!") == "Back-Office"
    assert entity_name("a" * 70) == "a" * 63
    assert entity_name("!!!") is None
