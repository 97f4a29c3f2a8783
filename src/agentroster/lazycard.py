"""A validated card held as the JSON text of the fields it sets (LazyCard): how a roster keeps
its cards once their card rules have run, how a pool worker sends them, and what the cache
stores. Only the model layer is below it, so the comparison of two cards can read one too.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from typing import Any

from agentroster.model import AgentCard


def _plain(annotation: Any) -> bool:
    """True for a field type whose values are the same in plain data, in JSON and in the
    model."""
    if annotation in (str, int, bool, type(None)):
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return all(type(arg) in (str, int, bool) for arg in typing.get_args(annotation))
    if origin in (typing.Union, types.UnionType):
        return all(_plain(arg) for arg in typing.get_args(annotation))
    return False


# top-level fields a LazyCard keeps apart from its text and answers without making the card
# (in the card's order: same card, same bytes); not the description, long and read by few
_PLAIN_ORDER = tuple(
    n for n, f in AgentCard.model_fields.items() if _plain(f.annotation) and n != "description"
)
PLAIN_FIELDS = frozenset(_PLAIN_ORDER)
# (default, default factory) of each optional top-level field: a LazyCard answers an unset one
_DEFAULTS: dict[str, tuple[Any, Callable[[], Any] | None]] = {
    name: (info.default, typing.cast("Callable[[], Any] | None", info.default_factory))
    for name, info in AgentCard.model_fields.items()
    if not info.is_required()
}
# every distinct set of top-level field names seen in this process: the cards of a roster
# share a handful, so each card holds a reference rather than a set of its own
_FIELD_SETS: dict[frozenset[str], frozenset[str]] = {}
_NO_CLASSES: frozenset[str] = frozenset()


def _dump(card: AgentCard) -> bytes:
    """The JSON of the fields the card sets."""
    return AgentCard.__pydantic_serializer__.to_json(card, exclude_unset=True, warnings=False)


class LazyCard:
    """A validated card held as the JSON text pydantic dumps of the fields it sets, with its
    plain top-level values (id, status, tier, ...) and its data classes kept apart: those,
    and any field it leaves unset, are answered without making the AgentCard; reading
    anything else makes it from the text, once (`release` drops it again).

    Each card is held this way once its card rules have run (CardFile.slim): a pool worker
    sends it so (a text and a small dict pickle and unpickle at C speed, where a model
    cost about as much as a card's parse), the cache stores the text as it is, and a
    roster holds about a fifth of the memory its cards' models took (benchmarks/README.md).
    Roster-wide rules read only plain fields of most cards. The values were valid when
    made, so validating the text again cannot fail: it gives a card equal to the one the
    card rules checked."""

    def __init__(
        self,
        text: bytes,
        plain: dict[str, Any],
        fields_set: frozenset[str],
        classes: frozenset[str] = _NO_CLASSES,
    ) -> None:
        attributes = self.__dict__
        attributes.update(plain)  # the plain values as attributes: read without __getattr__
        attributes["_text"] = text  # JSON, the card's `model_dump(exclude_unset=True)`
        attributes["_fields"] = _FIELD_SETS.setdefault(fields_set, fields_set)
        attributes["_classes"] = classes or _NO_CLASSES
        attributes["_card"] = None

    @property
    def text(self) -> bytes:
        """The JSON text of the fields the card sets."""
        return self._text  # type: ignore[no-any-return]

    @property
    def fields_set(self) -> frozenset[str]:
        """The names of the top-level fields the card sets."""
        return self._fields  # type: ignore[no-any-return]

    @property
    def classes(self) -> frozenset[str]:
        """The card's data classes (`data.classes`), empty when it has none."""
        return self._classes  # type: ignore[no-any-return]

    @property
    def plain(self) -> dict[str, Any]:
        """The plain top-level values the card sets, in the card's field order."""
        attributes = self.__dict__
        return {name: attributes[name] for name in _PLAIN_ORDER if name in attributes}

    @classmethod
    def of(cls, card: AgentCard) -> LazyCard | None:
        """The card held lazily; None when its JSON would not give it back (a string with a
        lone surrogate, which no UTF-8 text can carry)."""
        try:
            text = _dump(card)
        except ValueError as exc:  # pydantic's serialisation errors are ValueErrors
            if "KeyboardInterrupt" in str(exc):
                # a Ctrl-C that came while pydantic-core ran Python code (a validator it
                # calls) comes out as a serialisation error with only its name in the text
                raise KeyboardInterrupt from exc
            return None
        names = card.model_fields_set
        plain = {name: getattr(card, name) for name in _PLAIN_ORDER if name in names}
        classes = frozenset(card.data.classes) if card.data else _NO_CLASSES
        return cls(text, plain, frozenset(names), classes)

    def __reduce__(self) -> tuple[Any, ...]:
        return (LazyCard, (self.text, self.plain, self.fields_set, self.classes))

    def __getattr__(self, name: str) -> Any:
        # called only for what the instance does not hold: a field it leaves unset, or one
        # that is not plain (a plain one it sets is an attribute of its own)
        if name.startswith("_"):  # pickle and copy probe dunders before __init__ has run
            raise AttributeError(name)
        card = self._card
        if card is None:
            if name not in self._fields and name in _DEFAULTS:
                default, factory = _DEFAULTS[name]
                return default if factory is None else factory()
            card = self.card
        return getattr(card, name)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyCard):
            other = other.card
        return self.card == other

    def __hash__(self) -> int:
        return hash(self.card)

    def __repr__(self) -> str:
        return repr(self.card)

    @property
    def card(self) -> AgentCard:
        """The AgentCard itself, made on first use and kept until `release`."""
        card: AgentCard | None = self._card
        if card is None:
            card = self.__dict__["_card"] = AgentCard.model_validate_json(self._text)
        return card

    def release(self) -> None:
        """Drop the AgentCard made from the text (a build does, once a card's pages are
        made, so that a roster never holds every model at once)."""
        self.__dict__["_card"] = None


def release(model: object) -> None:
    """LazyCard.release for a card held lazily; nothing for any other."""
    if isinstance(model, LazyCard):
        model.release()
