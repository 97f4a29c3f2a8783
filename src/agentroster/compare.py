"""Two versions of one card, compared field by field (docs/governance.md#change-review).

`material_changes` finds the changes the change advisory board reviews, from the values
themselves, never from the card's change log: a new tool or wider tool access, a new data class
or knowledge source, a scope change (description or pattern), a model swap, a tier or mode
change, a new handoff or escalation target. `field_changes` lists every changed field, old ->
new, each marked material or not and why (for `agentroster diff`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel

from agentroster.findings import KeyPath
from agentroster.lazycard import LazyCard
from agentroster.model import ACCESS_RANK, AgentCard

# Lists whose items are told apart by a key: compared item by item, not as a whole.
_ITEM_KEYS = {
    "tools": "id",
    "handoffs": "to",
    "data.sources": "name",
    "incidents": "id",
    "changes": "version",
    "runbooks": "failure_mode",
    "waivers": "rule",
}
_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$")


@dataclass(frozen=True)
class Change:
    """One changed field: `field` as people read it (`tools[refunds.issue].access`), the old
    and new values as text (None: absent), the material kind (model.MATERIAL_KINDS; None when
    not material), why it is or is not material, and where it is in the new card."""

    field: str
    old: str | None
    new: str | None
    kind: str | None
    why: str
    at: KeyPath

    @property
    def material(self) -> bool:
        return self.kind is not None


def version_key(version: str) -> tuple[Any, ...]:
    """A sort key for a semantic version: releases after their pre-releases, pre-release
    identifiers compared as semver says (numbers numerically, below words)."""
    match = _SEMVER.match(version)
    if match is None:
        return (-1,)
    major, minor, patch, pre = match.groups()
    if pre is None:
        rest: tuple[Any, ...] = (1,)
    else:
        rest = (0, *((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")))
    return (int(major), int(minor), int(patch), *rest)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _model_id(card: AgentCard) -> tuple[str, str, str | None] | None:
    m = card.model
    return None if m is None else (m.provider, m.name, m.version)


def _model_text(ident: tuple[str, str, str | None] | None) -> str | None:
    if ident is None:
        return None
    provider, name, version = ident
    return f"{provider}/{name}" + (f"@{version}" if version else "")


def material_changes(old: AgentCard, new: AgentCard) -> list[Change]:
    """The material changes from `old` to `new`, in the order of the checks above."""
    return list(_material(old, new))


def _material(old: AgentCard, new: AgentCard) -> Iterator[Change]:
    old_tools = {t.id: t for t in old.tools}
    for i, tool in enumerate(new.tools):
        was = old_tools.get(tool.id)
        label = f"tools[{tool.id}]"
        if was is None:
            yield Change(
                label,
                None,
                tool.access,
                "new-tool",
                f"a new tool with {tool.access} access",
                ("tools", i, "id"),
            )
            continue
        if ACCESS_RANK[tool.access] > ACCESS_RANK[was.access]:
            yield Change(
                f"{label}.access",
                was.access,
                tool.access,
                "tool-access",
                f"tool access raised from {was.access} to {tool.access}",
                ("tools", i, "access"),
            )
        if was.approval == "human" and tool.approval != "human":
            yield Change(
                f"{label}.approval",
                "human",
                tool.approval,
                "tool-access",
                "calls no longer need a person's approval",
                ("tools", i),
            )
    old_data, new_data = old.data, new.data
    old_classes = set(old_data.classes) if old_data else set()
    added = [c for c in (new_data.classes if new_data else []) if c not in old_classes]
    if added:
        index = new_data.classes.index(added[0]) if new_data else 0
        yield Change(
            "data.classes",
            _text(sorted(old_classes)) if old_data else None,
            _text(new_data.classes if new_data else None),
            "new-data",
            f"new data class {', '.join(added)}",
            ("data", "classes", index),
        )
    old_sources = {s.name for s in old_data.sources} if old_data else set()
    for i, source in enumerate(new_data.sources if new_data else []):
        if source.name not in old_sources:
            yield Change(
                f"data.sources[{source.name}]",
                None,
                source.name,
                "new-data",
                "a new knowledge source",
                ("data", "sources", i, "name"),
            )
    if " ".join(old.description.split()) != " ".join(new.description.split()):
        yield Change(
            "description",
            old.description.strip(),
            new.description.strip(),
            "scope",
            "the agent's job (scope) is described differently",
            ("description",),
        )
    if old.pattern != new.pattern:
        yield Change(
            "pattern",
            old.pattern,
            new.pattern,
            "scope",
            f"pattern changed from {old.pattern} to {new.pattern}",
            ("pattern",),
        )
    if _model_id(old) != _model_id(new):
        yield Change(
            "model",
            _model_text(_model_id(old)),
            _model_text(_model_id(new)),
            "model-swap",
            "a different model (provider, name or version)",
            ("model",),
        )
    if old.tier != new.tier:
        yield Change(
            "tier",
            str(old.tier),
            str(new.tier),
            "tier",
            f"risk tier changed from {old.tier} to {new.tier}",
            ("tier",),
        )
    if old.mode != new.mode:
        yield Change(
            "mode",
            old.mode,
            new.mode,
            "mode",
            f"mode changed from {old.mode} to {new.mode}",
            ("mode",),
        )
    targets = {h.to for h in old.handoffs}
    for i, handoff in enumerate(new.handoffs):
        if handoff.to not in targets:
            yield Change(
                f"handoffs[{handoff.to}]",
                None,
                handoff.to,
                "handoff",
                f"a new handoff target {handoff.to}",
                ("handoffs", i, "to"),
            )
    old_esc = old.escalation.to if old.escalation else None
    new_esc = new.escalation.to if new.escalation else None
    if new_esc is not None and new_esc != old_esc:
        yield Change(
            "escalation.to",
            old_esc,
            new_esc,
            "handoff",
            f"escalations go to {new_esc} instead",
            ("escalation", "to"),
        )


def _items(label: str, value: Any) -> dict[str, Any] | None:
    """A list of mappings by their key (see _ITEM_KEYS), or None when it cannot be keyed."""
    key = _ITEM_KEYS.get(label)
    if key is None or not isinstance(value, list):
        return None
    if not all(isinstance(item, dict) and isinstance(item.get(key), str) for item in value):
        return None
    keyed = {item[key]: item for item in value}
    return keyed if len(keyed) == len(value) else None


def _leaves(old: Any, new: Any, label: str) -> Iterator[tuple[str, Any, Any]]:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for name in [*old, *(k for k in new if k not in old)]:
            yield from _leaves(old.get(name), new.get(name), f"{label}.{name}" if label else name)
        return
    old_items, new_items = _items(label, old), _items(label, new)
    if old_items is not None and new_items is not None:
        for name in [*old_items, *(k for k in new_items if k not in old_items)]:
            yield from _leaves(old_items.get(name), new_items.get(name), f"{label}[{name}]")
        return
    yield label, old, new


def plain(value: Any) -> Any:
    """A model as plain data (dates as ISO text), leaving out absent fields and empty lists.
    (Validated views may hold values as loaded, so pydantic's own dump is not used.)"""
    if isinstance(value, LazyCard):
        value = value.card
    if isinstance(value, BaseModel):
        out = {}
        for name in type(value).model_fields:
            item = plain(getattr(value, name, None))
            if item is not None and item != []:
                out[name] = item
        return out
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _related(a: str, b: str) -> bool:
    """Whether one field label is the other or lies inside it."""
    short, long = sorted((a, b), key=len)
    return long == short or long.startswith((short + ".", short + "["))


def field_changes(old: AgentCard, new: AgentCard) -> list[Change]:
    """Every changed field from `old` to `new`, in the new card's order, each marked material
    (with the kind and why of the material changes inside it) or not."""
    material = material_changes(old, new)
    out = []
    old_dump, new_dump = plain(old), plain(new)
    seen: set[int] = set()
    for label, was, now in _leaves(old_dump, new_dump, ""):
        hits = [i for i, m in enumerate(material) if _related(m.field, label)]
        seen.update(hits)
        top = label.split(".")[0].split("[")[0]
        at: KeyPath = material[hits[0]].at if hits else (top,)
        if hits:
            kinds = list(dict.fromkeys(k for i in hits if (k := material[i].kind) is not None))
            why = "; ".join(material[i].why for i in hits)
            out.append(Change(label, _text(was), _text(now), ", ".join(kinds), why, at))
        else:
            out.append(Change(label, _text(was), _text(now), None, _not_material(label), at))
    # a material change no field entry covers (cannot happen with the dumps above, but the
    # list must never lose one)
    out.extend(m for i, m in enumerate(material) if i not in seen)
    return out


def _not_material(label: str) -> str:
    if label == "version":
        return "the version number"
    if label.startswith("changes"):
        return "the change log"
    if label.startswith("tools"):
        return "less or the same tool access"
    if label.startswith(("data", "handoffs", "escalation")):
        return "nothing added"
    return "not a material kind"
