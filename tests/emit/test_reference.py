from __future__ import annotations

import pytest

from agentroster.emit.reference import generated
from tests.conftest import REPO


@pytest.mark.parametrize("rel", sorted(generated(REPO)))
def test_generated_file_is_fresh(rel):
    expected = generated(REPO)[rel]
    assert (REPO / rel).read_text(encoding="utf-8") == expected, (
        f"{rel} is stale: run `python -m agentroster.emit.reference` and commit the result"
    )


def test_card_format_documents_every_field():
    from agentroster.model import AgentCard

    text = generated(REPO)["docs/card-format.md"]
    for name in AgentCard.model_fields:
        assert f"| `{name}` |" in text
