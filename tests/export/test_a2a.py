from __future__ import annotations

import json

from a2a.types import AgentCard
from click.testing import CliRunner
from google.protobuf.json_format import Parse

from agentroster.cli import main
from agentroster.export.a2a import array
from tests.conftest import EXAMPLES
from tests.export.helpers import card, load
from tests.export_golden import GOLDEN


def parse(doc: dict) -> AgentCard:
    """The SDK's protocol v1.0 AgentCard; an unknown field raises."""
    return Parse(json.dumps(doc), AgentCard(), ignore_unknown_fields=False)


def test_every_golden_card_parses_with_the_a2a_sdk():
    docs = json.loads((GOLDEN / "a2a.json").read_text())
    assert [d["name"] for d in docs] == ["IT Helpdesk", "HR Policy Expert", "Refund Assistant"]
    for doc in docs:
        parsed = parse(doc)
        assert parsed.name and parsed.description and parsed.version and parsed.skills
        interface = parsed.supported_interfaces[0]
        assert interface.url.startswith("https://") and interface.protocol_version == "1.0"
        assert interface.protocol_binding == "JSONRPC"
        assert parsed.default_input_modes and parsed.default_output_modes
        assert parsed.provider.organization and parsed.provider.url
    refund = parse(docs[2])
    assert list(refund.skills[0].tags) == ["external-engagement", "orders.lookup", "refunds.issue"]


def test_only_agents_with_an_endpoint(roster):
    root = roster(
        {
            "a.agent.yaml": card("with-endpoint", endpoint="https://agents.example.com/a"),
            "b.agent.yaml": card("without-endpoint"),
        }
    )
    docs = json.loads(array(load(root)))
    assert [d["skills"][0]["id"] for d in docs] == ["with-endpoint"]
    parse(docs[0])


def test_split_writes_one_card_per_agent(tmp_path):
    out = tmp_path / "cards"
    args = ["export", "--format", "a2a", "--split", str(out), str(EXAMPLES / "roster")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["it-helpdesk.json", "policy-expert.json", "refund-assistant.json"]
    for path in out.iterdir():
        parse(json.loads(path.read_text()))
