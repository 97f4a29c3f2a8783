"""CardContext and LazyCard: what a pool worker sends the main process for each card."""

from __future__ import annotations

import pickle
from datetime import date
from pathlib import Path

import pytest
from pydantic import BaseModel, field_serializer

from agentroster import lazycard
from agentroster.config import load_config
from agentroster.context import CardContext, CardFile, data_classes
from agentroster.lazycard import LazyCard
from agentroster.loader import load
from agentroster.model import AgentCard
from agentroster.sourcemap import PackedSourceMap
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


def _slimmed(file: Path, text: str | None = None) -> CardFile:
    ctx = _context(file, text)
    card = CardFile(file, file.name, ctx.data, ctx.source_map, context=ctx, checked=True)
    card.slim()
    return card


def test_a_slimmed_card_holds_its_model_lazily_and_its_positions_packed() -> None:
    for file in _cards():
        full = _context(file)
        card = _slimmed(file)
        assert card.context is not None
        lazy = card.context.model
        assert isinstance(lazy, LazyCard) and lazy._card is None
        assert isinstance(card.source_map, PackedSourceMap)
        assert card.context.source_map is card.source_map
        assert lazy == full.model and lazy.card.model_fields_set == full.model.model_fields_set
        lazy.release()
        assert lazy._card is None
        assert card.source_map.value(("id",)) == full.source_map.value(("id",))


def test_cards_setting_the_same_fields_share_one_set() -> None:
    first, second = (_slimmed(f).context for f in _cards()[:2])
    assert first is not None and second is not None
    a, b = first.model, second.model
    assert isinstance(a, LazyCard) and isinstance(b, LazyCard)
    if a.fields_set == b.fields_set:
        assert a.fields_set is b.fields_set
    again = pickle.loads(pickle.dumps(a))
    assert again.fields_set is a.fields_set


def test_a_card_json_cannot_carry_is_kept_as_its_model() -> None:
    # validation refuses lone surrogates, so only a model made without it can hold one; the
    # slimming falls back to the model rather than store a text that would not give it back
    file = _cards()[0]
    ctx = _context(file)
    odd = ctx.model.model_copy(update={"description": "lone \udc80 surrogate"})
    assert LazyCard.of(odd) is None
    ctx.model = odd
    card = CardFile(file, file.name, ctx.data, ctx.source_map, context=ctx, checked=True)
    card.slim()
    assert card.context is not None and card.context.model is odd
    assert pickle.loads(pickle.dumps(card)).context.model == odd


def _serialisation_error_of_a_ctrl_c() -> ValueError:
    """What pydantic-core raises when a Ctrl-C comes while it runs Python code during a
    dump: a PydanticSerializationError naming the KeyboardInterrupt, without a cause."""

    class Interrupted(BaseModel):
        x: int

        @field_serializer("x")
        def _x(self, value: int) -> int:
            raise KeyboardInterrupt

    try:
        Interrupted.__pydantic_serializer__.to_json(Interrupted(x=1))
    except ValueError as exc:
        return exc
    raise AssertionError("pydantic-core let the KeyboardInterrupt through")


def test_a_ctrl_c_while_a_card_is_dumped_is_not_swallowed(monkeypatch) -> None:
    error = _serialisation_error_of_a_ctrl_c()
    ctx = _context(_cards()[0])

    def interrupted(card: AgentCard) -> bytes:
        raise error

    monkeypatch.setattr(lazycard, "_dump", interrupted)
    with pytest.raises(KeyboardInterrupt):
        LazyCard.of(ctx.model)
    with pytest.raises(KeyboardInterrupt):  # nor by slimming, nor by reading the card
        CardFile(_cards()[0], "x", ctx.data, ctx.source_map, context=ctx, checked=True).slim()
