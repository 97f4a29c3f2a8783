from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from agentroster.cli import main
from agentroster.loader import load_text
from agentroster.rules.card import todo_placeholders
from agentroster.skeleton import MAX_BYTES, ImportRefused, read_agent_card, skeleton, slug
from tests.conftest import TODAY
from tests.export_golden import GOLDEN

HOSTILE = {
    "name": 'Evil "Agent"\nkind: Other # \u202e',
    "description": "Says: yes\n---\nowner: {name: Mallory, email: m@example.com}",
    "version": "1.0",
    "supportedInterfaces": [{"url": "javascript:alert(1)"}, {"url": "https://a.example.com/x"}],
    "skills": [{"id": "s", "name": "Lookup", "description": "Finds orders."}, "junk"],
}


def test_a_skeleton_from_the_golden_agent_card_keeps_its_facts_and_leaves_todos():
    doc = json.loads((GOLDEN / "a2a.json").read_text())[2]
    agent_id, text = skeleton(
        doc, agent_id=None, pattern="external-engagement", tier=1, today=TODAY, source="x.json"
    )
    card = YAML(typ="safe", pure=True).load(text)
    assert agent_id == card["id"] == "refund-assistant"
    assert card["name"] == "Refund Assistant" and card["version"] == "1.3.0"
    assert card["endpoint"] == "https://agents.example.com/refund-assistant"
    assert "Skills: Refund Assistant: Answers" in card["description"]
    assert list(todo_placeholders(load_text(text).data))  # governance facts are TODOs


def test_hostile_text_stays_in_its_scalars():
    agent_id, text = skeleton(
        HOSTILE, agent_id=None, pattern="core-process", tier=2, today=TODAY, source="a\nb.json"
    )
    card = YAML(typ="safe", pure=True).load(text)
    assert card["name"] == " ".join(HOSTILE["name"].split())
    assert card["kind"] == "AgentCard" and card["owner"]["email"] == "TODO@example.com"
    assert card["description"].endswith("Skills: Lookup: Finds orders.")
    assert card["endpoint"] == "https://a.example.com/x"
    assert card["version"] == "0.1.0"  # "1.0" is not a semantic version
    assert agent_id == "evil-agent-kind-other"
    assert all(line.startswith("#") for line in text.splitlines()[:7])


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"[1]", "not an object"),
        (b"{nope", "not JSON"),
        (b'{"a": NaN}', "not JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[" * 100_000, "not"),
        (b" " * (MAX_BYTES + 1), "at most"),
    ],
)
def test_untrusted_input_is_refused(raw, reason):
    with pytest.raises(ImportRefused, match=reason):
        read_agent_card(raw)


def test_slug():
    assert slug("Refund Assistant v2!") == "refund-assistant-v2"
    assert slug("42") == "agent-42"
    assert slug("!!") is None
    assert slug("99 Problems") == "agent-99-problems"


def test_the_command_writes_the_card(tmp_path):
    source = tmp_path / "card.json"
    source.write_text(json.dumps(HOSTILE))
    args = ["import", "a2a", str(source), str(tmp_path), "--id", "evil-agent"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "evil-agent.agent.yaml").exists()
    assert CliRunner().invoke(main, args).exit_code == 2  # exists: --force to overwrite
    source.write_text("[]")
    refused = CliRunner().invoke(main, [*args, "--force"])
    assert refused.exit_code == 2 and "not an object" in refused.output
