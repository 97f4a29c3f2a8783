"""Plain card data -> AgentCard, with every pydantic error mapped to a located problem.

A card with schema errors is still checked by the rules, on what could be read: the
top-level fields at fault are *tainted*, the card is validated again without them, and rules
that read a tainted field are skipped on that card (see `CardView`). The schema error is the
finding; no rule adds a second, derived one.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from agentroster import model as m
from agentroster.findings import KeyPath
from agentroster.problems import C002, C003, C007, Problem
from agentroster.sourcemap import SourceMap
from agentroster.spelling import closest

# Valid stand-ins for required header fields that are tainted, so the rest of the card can
# still be validated. Rules never see them: a tainted field raises on access.
_STAND_INS: dict[str, Any] = {
    "apiVersion": m.API_VERSION,
    "kind": m.KIND,
    "id": "tainted",
    "name": "tainted",
    "version": "0.0.0",
    "description": "tainted field stand-in",
    "status": "proposed",
    "pattern": "employee-enablement",
    "mode": "assist",
    "tier": 3,
    "owner": {"name": "tainted", "email": "tainted@example.invalid"},
}


_TYPE_WORDS = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "int_from_float": "an integer",
}


class FieldUnavailable(Exception):
    """A rule read a field whose value failed validation; the rule is skipped on this card."""


class CardView:
    """An AgentCard whose tainted top-level fields raise `FieldUnavailable` when read."""

    __slots__ = ("_card", "_tainted")

    def __reduce__(self) -> tuple[Any, ...]:
        return (CardView, (self._card, self._tainted))

    def __init__(self, card: m.AgentCard, tainted: frozenset[str]) -> None:
        self._card = card
        self._tainted = tainted

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # pickle probes dunders before the slots are set
            raise AttributeError(name)
        if name in self._tainted:
            raise FieldUnavailable(name)
        return getattr(self._card, name)


@dataclass
class Validated:
    """The result of validating one card's data."""

    card: m.AgentCard | None  # None when nothing could be read as a card
    problems: list[Problem] = field(default_factory=list)
    tainted: frozenset[str] = frozenset()

    def view(self) -> m.AgentCard | None:
        """The card as rules should see it: tainted fields raise when read."""
        if self.card is None or not self.tainted:
            return self.card
        return typing.cast(m.AgentCard, CardView(self.card, self.tainted))


def dotted(path: KeyPath) -> str:
    """`('tools', 1, 'access')` -> `tools[1].access`."""
    out = ""
    for seg in path:
        out += f"[{seg}]" if isinstance(seg, int) else (f".{seg}" if out else str(seg))
    return out or "the card"


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"integer {value}"
    if isinstance(value, float):
        return f"number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return repr(shown)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _members(tp: Any) -> list[Any]:
    """The concrete types inside Annotated / Optional / Union wrappers."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _members(typing.get_args(tp)[0])
    if origin is typing.Union or origin is types.UnionType:
        out: list[Any] = []
        for arg in typing.get_args(tp):
            out.extend(_members(arg))
        return out
    return [tp]


def _model_at(loc: tuple[Any, ...], root: type[BaseModel]) -> type[BaseModel] | None:
    """The model class that owns the last segment of a pydantic `loc`."""
    current: list[Any] = [root]
    for seg in loc:
        nxt: list[Any] = []
        for tp in current:
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                if isinstance(seg, str) and seg in tp.model_fields:
                    nxt.extend(_members(tp.model_fields[seg].annotation))
                elif seg == tp.__name__:
                    nxt.append(tp)
            elif typing.get_origin(tp) is list and isinstance(seg, int):
                nxt.extend(_members(typing.get_args(tp)[0]))
        if not nxt:
            return None
        current = nxt
    for tp in current:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return tp
    return None


def _resolve(data: Any, loc: tuple[Any, ...]) -> tuple[KeyPath, Any, bool]:
    """Follow a pydantic loc through the data: (key path, node, whether a union tag was skipped)."""
    path: list[str | int] = []
    node = data
    skipped = False
    for seg in loc:
        in_dict = isinstance(node, dict) and isinstance(seg, str) and seg in node
        in_list = isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node)
        if in_dict or in_list:
            path.append(seg)
            node = node[seg]
        else:
            skipped = True
    return tuple(path), node, skipped


def _pattern_message(where: str, value: Any, pattern: str) -> str:
    hint = m.PATTERN_HINTS.get(pattern, f"a string matching {pattern}")
    return f"{where}: {_describe(value)} is not {hint}"


def _message(error: Any, where: str, value: Any) -> str:
    """One plain sentence for one pydantic error: what is wrong and what would fix it."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "literal_error":
        return f"{where}: {_describe(value)} is not allowed; use one of {ctx.get('expected')}"
    if kind == "string_pattern_mismatch":
        return _pattern_message(where, value, str(ctx.get("pattern", "")))
    if kind in _TYPE_WORDS:
        want = _TYPE_WORDS[kind]
        msg = f"{where}: expected {want}, got {_describe(value)}"
        if want == "a string" and isinstance(value, (int, float)) and not isinstance(value, bool):
            msg += f" (quote it: '{value}')"
        return msg
    if kind == "string_too_short":
        limit = ctx.get("min_length")
        got = len(value) if isinstance(value, str) else 0
        if limit == 1:
            return f"{where}: must not be empty"
        return f"{where}: {got} characters, write at least {limit}"
    if kind == "string_too_long":
        return f"{where}: longer than {ctx.get('max_length')} characters"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{where}: {_describe(value)} is below the minimum {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"{where}: {_describe(value)} is above the maximum {ctx.get('le', ctx.get('lt'))}"
    if kind == "finite_number":
        return f"{where}: must be a finite number, got {_describe(value)}"
    if kind == "iso_date":
        return f"{where}: {_describe(value)} is not a date; write it as YYYY-MM-DD"
    if kind == "path_or_url":
        return f"{where}: a runbook needs exactly one of 'path' or 'url'"
    return f"{where}: {error['msg']}"


def _unknown_message(path: KeyPath, key: str, loc: tuple[Any, ...], root: type[BaseModel]) -> str:
    where = "at the top level" if len(path) == 1 else f"in {dotted(path[:-1])}"
    if key == "<<":
        return (
            f"merge key '<<' {where} is not supported (YAML 1.2 dropped merge keys); write the "
            "fields out"
        )
    owner = _model_at(loc[:-1], root)
    allowed = sorted(owner.model_fields) if owner else []
    close = closest(key, owner.model_fields, cutoff=0.6) if owner else None
    hint = f"; did you mean '{close}'?" if close else ""
    if not close and allowed:
        hint = f"; allowed: {', '.join(allowed)}" if len(allowed) <= 8 else ""
    return f"unknown field '{key}' {where}{hint}"


def _without(data: Any, paths: list[KeyPath]) -> Any:
    """A copy of `data` with the entries at `paths` removed (copies only along the paths,
    each once: a card with 50,000 unknown keys is not copied 50,000 times)."""
    rests: dict[Any, list[KeyPath]] = {}
    for path in paths:
        if path:
            rests.setdefault(path[0], []).append(path[1:])
    if isinstance(data, dict):
        copy = dict(data)
        for head, below in rests.items():
            if head not in copy:
                continue
            if not all(below):
                del copy[head]
            else:
                copy[head] = _without(copy[head], below)
        return copy if rests else data
    if isinstance(data, list):
        copy_list = list(data)
        for head, below in rests.items():
            deeper = [rest for rest in below if rest]
            if isinstance(head, int) and deeper and 0 <= head < len(data):
                copy_list[head] = _without(data[head], deeper)
        return copy_list if rests else data
    return data


def validate(data: Any, smap: SourceMap, *, damaged: set[KeyPath] | None = None) -> Validated:
    """Validate one card's plain data; every problem is located through `smap`."""
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"{_describe(data)}, not a mapping"
        return Validated(
            None,
            [
                Problem(
                    C002,
                    *smap.value(()),
                    f"the card is {kind}; a card is a mapping with apiVersion, kind, id, name, "
                    "version, description, status, pattern, mode, tier and owner",
                )
            ],
        )
    problems: list[Problem] = []
    for field_name, expected in (("apiVersion", m.API_VERSION), ("kind", m.KIND)):
        value = data.get(field_name)
        if field_name in data and value != expected:
            problems.append(
                Problem(
                    C007,
                    *smap.value((field_name,)),
                    f"{field_name} {_describe(value)} is not supported; this version of "
                    f"agentroster reads {field_name}: {expected}",
                    (field_name,),
                )
            )
    if problems:  # another format: its fields mean something else, so check nothing more
        return Validated(None, problems)

    tainted = {path[0] for path in (damaged or ()) if path and isinstance(path[0], str)}
    cleaned = {k: v for k, v in data.items() if k not in tainted}
    cleaned.update({k: _STAND_INS[k] for k in tainted if k in _STAND_INS})
    try:
        card = m.AgentCard.model_validate(cleaned)
        if not tainted:
            return Validated(card, problems)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        cleaned = _map_errors(errors, data, cleaned, smap, problems, tainted)
        if "apiVersion" not in data and "kind" not in data:
            # Not written as an agent card at all: say so once (the C002 above lists what is
            # missing) and check nothing else on it.
            return Validated(None, problems, frozenset(tainted))
    for name in tainted:
        if name in _STAND_INS:
            cleaned[name] = _STAND_INS[name]
    try:
        card = m.AgentCard.model_validate(cleaned)
    except ValidationError:  # pragma: no cover - every error above tainted its field
        return Validated(None, problems, frozenset(tainted))
    return Validated(card, problems, frozenset(tainted))


def _problem(error: Any, path: KeyPath, node: Any, smap: SourceMap) -> Problem:
    """The located problem for one error whose value sits at `path` in the data."""
    if error["type"] == "missing":
        missing = error["loc"][-1]
        where = dotted(path) if path else "the card"
        return Problem(
            C002,
            *smap.locate(path),
            f"{where}: missing required field '{missing}'",
            (*path, missing),
        )
    return Problem(C002, *smap.locate(path), _message(error, dotted(path), node), path)


def _map_errors(
    errors: list[Any],
    data: dict[str, Any],
    cleaned: dict[str, Any],
    smap: SourceMap,
    problems: list[Problem],
    tainted: set[str],
    root: type[BaseModel] = m.AgentCard,
) -> dict[str, Any]:
    """Append one problem per error (union alternatives merged); return the cleaned data."""
    by_node: dict[KeyPath, list[tuple[Any, Any]]] = {}
    missing: dict[KeyPath, list[str]] = {}  # parent mapping -> its missing required fields
    unknown: list[KeyPath] = []  # removed from `cleaned` at the end, all in one copy
    for error in errors:
        loc = tuple(error["loc"])
        kind = error["type"]
        # A missing key is not in the data: resolve its parent, the mapping that lacks it.
        path, node, skipped = _resolve(data, loc[:-1] if kind == "missing" else loc)
        if kind == "string_unicode" and isinstance(node, dict) and error.get("input") in node:
            # a key that is not Unicode text (a lone surrogate): an unknown field like any other
            path, loc, kind = (*path, error["input"]), (*loc, error["input"]), "extra_forbidden"
        if kind == "extra_forbidden":
            key = str(path[-1]) if path else str(loc[-1])
            problems.append(
                Problem(C003, *smap.key(path), _unknown_message(path, key, loc, root), path)
            )
            unknown.append(path)
            continue
        if skipped:  # one alternative of a union: decide once all alternatives are in
            by_node.setdefault(path, []).append((error, node))
            continue
        if kind == "missing":  # one finding per mapping, naming every missing field
            missing.setdefault(path, []).append(str(loc[-1]))
            tainted.add(str(path[0]) if path else str(loc[-1]))
            continue
        problems.append(_problem(error, path, node, smap))
        tainted.add(str(path[0]) if path else str(loc[0]))
    for path, names in missing.items():
        where = dotted(path) if path else "the card"
        if len(names) == 1:
            text = f"{where}: missing required field '{names[0]}'"
        else:
            listed = ", ".join(f"'{n}'" for n in names)
            text = f"{where}: missing required fields {listed}"
            if not path and len(names) >= 8:
                text += " (is this an agent card? see docs/card-format.md)"
        problems.append(Problem(C002, *smap.locate(path), text, (*path, names[0])))
    for path, group in by_node.items():
        # If the value has the right type for one alternative, report that alternative's
        # complaint; otherwise one "expected X or Y" message.
        specific = [(e, n) for e, n in group if e["type"] not in _TYPE_WORDS]
        if specific:
            problems.append(_problem(specific[0][0], path, specific[0][1], smap))
        else:
            wants = sorted({_TYPE_WORDS[e["type"]] for e, _ in group})
            message = f"{dotted(path)}: expected {' or '.join(wants)}, got {_describe(group[0][1])}"
            problems.append(Problem(C002, *smap.locate(path), message, path))
        tainted.add(str(path[0]) if path else str(group[0][0]["loc"][0]))
    cleaned = _without(cleaned, unknown)
    return {k: v for k, v in cleaned.items() if k not in tainted}


def located_errors(
    exc: ValidationError, data: Any, smap: SourceMap, model: type[BaseModel]
) -> list[Problem]:
    """The problems of a ValidationError of any model, located like a card's."""
    problems: list[Problem] = []
    cleaned = dict(data) if isinstance(data, dict) else {}
    _map_errors(exc.errors(include_url=False), data, cleaned, smap, problems, set(), model)
    return problems
