"""The card model's own behaviour: pickling (pool workers send validated cards back)."""

from __future__ import annotations

import pickle

import pydantic
import pytest

from agentroster.loader import load
from agentroster.model import AgentCard
from agentroster.validate import validate
from tests.clean_roster import CLEAN


def _cards() -> list[AgentCard]:
    cards = []
    for file in sorted(CLEAN.rglob("*.agent.yaml")):
        result = load(file.read_bytes())
        checked = validate(result.data, result.source_map)
        assert checked.card is not None, file
        cards.append(checked.card)
    return cards


def test_a_pickled_card_comes_back_equal_with_the_same_fields_set() -> None:
    for card in _cards():
        again = pickle.loads(pickle.dumps(card, protocol=pickle.HIGHEST_PROTOCOL))
        assert again == card
        assert again.model_dump() == card.model_dump()
        assert again.model_fields_set == card.model_fields_set
        assert again.model_dump(exclude_unset=True) == card.model_dump(exclude_unset=True)


def test_a_pickled_card_is_still_frozen_and_typed() -> None:
    card = _cards()[0]
    again = pickle.loads(pickle.dumps(card))
    assert type(again) is AgentCard
    assert type(again.owner) is type(card.owner)
    with pytest.raises(pydantic.ValidationError):
        again.id = "other"  # type: ignore[misc]
    assert hash(again.owner) == hash(card.owner)
