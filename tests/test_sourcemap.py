from __future__ import annotations

import pytest

from agentroster.sourcemap import PackedSourceMap, SourceMap


def test_converts_zero_based_marks_once():
    smap = SourceMap()
    smap.add_value((), 0, 0)
    smap.add_value(("a",), 2, 4)
    smap.add_key(("a",), 2, 0)
    assert smap.value(("a",)) == (3, 5)
    assert smap.key(("a",)) == (3, 1)


def test_nearest_ancestor_fallback():
    smap = SourceMap()
    smap.add_value((), 0, 0)
    smap.add_value(("tools",), 4, 2)
    assert smap.value(("tools", 3, "access")) == (5, 3)
    assert smap.key(("tools", 3, "access")) == (5, 3)
    assert smap.value(("nothing",)) == (1, 1)


def test_empty_map_defaults_to_line_one():
    assert SourceMap().value(("x",)) == (1, 1)


def _sample() -> SourceMap:
    smap = SourceMap()
    smap.add_value((), 0, 0)
    smap.add_value(("id",), 1, 4)
    smap.add_key(("id",), 1, 0)
    smap.add_value(("handoffs",), 3, 2)
    smap.add_key(("handoffs",), 2, 0)
    smap.add_value(("handoffs", 0, "to"), 3, 8)
    smap.add_value(("tools", 0), 9, 4)  # not kept below
    return smap


def test_a_packed_map_answers_as_the_subset_it_packs():
    smap = _sample()
    kept = [(), ("id",), ("handoffs",), ("handoffs", 0, "to"), ("missing",)]
    packed = smap.packed(kept)
    assert isinstance(packed, PackedSourceMap) and "values" not in packed.__dict__
    subset = smap.subset(kept)
    assert packed.value(("handoffs", 0, "to")) == (4, 9)  # the int in the path survives
    assert packed.locate(("handoffs",)) == subset.locate(("handoffs",)) == (3, 1)
    assert packed.key(("id",)) == (2, 1)
    assert packed.value(("tools", 0)) == (1, 1)  # not kept: the root
    assert packed.values == subset.values and packed.keys == subset.keys


def test_pack_gives_a_packed_map_its_text_back_unread():
    packed = _sample().packed([("id",)])
    assert packed.pack() == packed.text and "values" not in packed.__dict__
    again = PackedSourceMap(_sample().pack())
    assert again.values == _sample().values and again.keys == _sample().keys
    with pytest.raises(AttributeError):
        packed.anything  # noqa: B018 - only values and keys are made on demand
