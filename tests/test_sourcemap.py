from __future__ import annotations

from agentroster.sourcemap import SourceMap


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
