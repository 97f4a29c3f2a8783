"""CardContext and LazyCard: what a pool worker sends the main process for each card."""

from __future__ import annotations

import pickle
from datetime import date
from pathlib import Path

from agentroster.config import load_config
from agentroster.context import CardContext, LazyCard, data_classes
from agentroster.loader import load
from agentroster.model import AgentCard
from agentroster.validate import validate
from tests.clean_roster import CLEAN


def _context(file: Path, text: str | None = None) -> CardContext:
    result = load(text.encode() if text is not None else file.read_bytes())
    checked = validate(result.data, result.source_map)
    view = checked.view()
    assert view is not None
    return CardContext(
        path=file.name,
        file=file,
        root=CLEAN,
        data=result.data,
        model=view,
        source_map=result.source_map,
        config=load_config(CLEAN),
        today=date(2026, 11, 21),
        tainted=checked.tainted,
    )


def _cards() -> list[Path]:
    return sorted(CLEAN.rglob("*.agent.yaml"))


def test_a_pickled_context_carries_a_lazy_card_equal_to_the_model() -> None:
    for file in _cards():
        ctx = _context(file)
        again = pickle.loads(pickle.dumps(ctx))
        assert isinstance(again.model, LazyCard)
        assert again.model == ctx.model
        assert again.model.card.model_fields_set == ctx.model.model_fields_set
        assert again.model.model_dump() == ctx.model.model_dump()
        assert data_classes(again.model) == data_classes(ctx.model)


def test_plain_and_unset_fields_are_read_without_making_the_card() -> None:
    ctx = _context(_cards()[0])
    lazy = pickle.loads(pickle.dumps(ctx)).model
    assert (lazy.id, lazy.status, lazy.tier) == (ctx.model.id, ctx.model.status, ctx.model.tier)
    unset = [n for n in AgentCard.model_fields if n not in ctx.model.model_fields_set]
    assert unset, "the example card sets every field; pick one that leaves some unset"
    for name in unset:
        assert getattr(lazy, name) == getattr(ctx.model, name)
    assert data_classes(lazy) == data_classes(ctx.model)
    assert lazy._card is None  # nothing above needed the AgentCard
    assert lazy.owner == ctx.model.owner  # a block: the card is made, once
    assert lazy._card is not None
    assert lazy.card is lazy.card


def test_a_card_with_tainted_fields_is_sent_as_its_view() -> None:
    file = _cards()[0]
    text = file.read_text().replace("tier: ", "tier: 7  # ", 1)
    ctx = _context(file, text)
    assert "tier" in ctx.tainted
    again = pickle.loads(pickle.dumps(ctx))
    assert not isinstance(again.model, LazyCard)
    assert again.agent == ctx.agent
