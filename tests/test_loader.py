from __future__ import annotations

import pytest

from agentroster.loader import load, load_text, resolve_plain
from agentroster.policy import Limits


def codes(result):
    return [(p.code, p.line, p.column) for p in result.problems]


def test_positions_of_keys_and_values_are_one_based():
    result = load_text("a: 1\nb:\n  - x\n  - {c: d}\n")
    smap = result.source_map
    assert result.data == {"a": 1, "b": ["x", {"c": "d"}]}
    assert smap.key(("a",)) == (1, 1)
    assert smap.value(("a",)) == (1, 4)
    assert smap.value(("b", 0)) == (3, 5)
    assert smap.value(("b", 1)) == (4, 5)
    assert smap.key(("b", 1, "c")) == (4, 6)
    assert smap.value(("b", 1, "c")) == (4, 9)


def test_missing_path_falls_back_to_nearest_ancestor():
    smap = load_text("owner:\n  name: X\n").source_map
    assert smap.value(("owner", "email")) == smap.value(("owner",)) == (2, 3)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", 1),
        ("-3", -3),
        ("0o17", 15),
        ("0x1f", 31),
        ("0.5", 0.5),
        ("1e3", 1000.0),
        ("true", True),
        ("False", False),
        ("null", None),
        ("~", None),
        ("", None),
        ("yes", "yes"),
        ("on", "on"),
        ("2026-01-01", "2026-01-01"),
        ("1.3.0", "1.3.0"),
        ("human:ops", "human:ops"),
    ],
)
def test_plain_scalars_follow_the_yaml_1_2_core_schema(text, value):
    assert resolve_plain(text) == value


def test_quoted_scalars_stay_strings():
    assert load_text("a: '1'\nb: \"true\"\n").data == {"a": "1", "b": "true"}


def test_flow_scalar_with_colon_is_read_as_yaml_1_2():
    # libyaml rejects this (YAML 1.1); the card format's own example relies on it.
    result = load_text("escalation: {to: human:billing, incident_response: 15m}\n")
    assert result.problems == []
    assert result.data == {"escalation": {"to": "human:billing", "incident_response": "15m"}}
    assert result.source_map.value(("escalation", "to")) == (1, 18)


def test_invalid_yaml_is_c001_at_the_parser_position():
    result = load_text("a: 1\nb: [1, 2\nc: 3\n")
    assert result.data is None
    assert [p.code for p in result.problems] == ["C001"]
    assert result.problems[0].line == 3


def test_tab_indentation_is_c001():
    assert codes(load_text("a:\n\tb: 1\n"))[0][:2] == ("C001", 2)


def test_duplicate_key_is_c004_at_the_second_key_and_keeps_the_first():
    result = load_text("a: 1\nb: 2\na: 3\n")
    assert codes(result) == [("C004", 3, 1)]
    assert "first at line 1" in result.problems[0].message
    assert result.data == {"a": 1, "b": 2}
    assert ("a",) in result.damaged


def test_nested_duplicate_key_position():
    result = load_text("o:\n  x: 1\n  x: 2\n")
    assert codes(result) == [("C004", 3, 3)]


@pytest.mark.parametrize("text", ["a: 1\na: 2\n", "a: 1\na: !!str 2\n", "? [k]\n: v\n"])
def test_a_dropped_scalar_value_has_no_position(text):
    # An untagged value is handled inline in the event loop, a tagged one by _Builder.scalar:
    # neither may record the placeholder path of a value that was thrown away.
    smap = load_text(text).source_map
    assert not [path for path in smap.values if "<skipped>" in path]


def test_second_document_is_c008():
    result = load_text("a: 1\n---\nb: 2\n")
    assert result.data is None
    assert codes(result) == [("C008", 2, 1)]


def test_utf8_bom_is_stripped():
    assert load(b"\xef\xbb\xbfa: 1\n").data == {"a": 1}


@pytest.mark.parametrize("bom", [b"\xff\xfe", b"\xfe\xff"])
def test_utf16_is_c008(bom):
    result = load(bom + "a: 1\n".encode("utf-16-le"))
    assert codes(result) == [("C008", 1, 1)]


def test_invalid_utf8_is_c008_at_the_byte():
    result = load(b"a: 1\nb: caf\xe9\n")
    assert codes(result) == [("C008", 2, 7)]
    assert "0xe9" in result.problems[0].message


def test_nul_byte_is_c001_with_a_line():
    result = load(b"a: 1\nb: x\x00y\n")
    assert codes(result)[0][:2] == ("C001", 2)


def test_python_tags_construct_nothing_and_are_reported():
    result = load_text("a: !!python/object/apply:os.system [echo]\nb: !custom x\n")
    assert [(p.code, p.line) for p in result.problems] == [("C010", 1), ("C010", 2)]
    assert result.data == {"a": ["echo"], "b": "x"}


def test_standard_tags_are_honoured():
    assert load_text("a: !!str 1\nb: !!int '2'\n").data == {"a": "1", "b": 2}
    assert [p.code for p in load_text("a: !!int x\n").problems] == ["C002"]


def test_undefined_and_recursive_aliases_are_c001():
    assert codes(load_text("a: *nope\n")) == [("C001", 1, 4)]
    result = load_text("a: &x [1, *x]\n")
    assert [p.code for p in result.problems] == ["C001"]
    assert "recursive" in result.problems[0].message


def test_an_alias_libyaml_misreads_in_a_text_it_rejects_is_named_as_yaml_1_2_reads_it():
    # libyaml ends an alias name at ':' and stops at `*c` before it rejects the line; the
    # pure YAML 1.2 parser, which has the last word on a text libyaml rejects, reads `*c:d`.
    result = load_text("a: *c:d\n")
    assert codes(result) == [("C001", 1, 4)]
    assert "alias *c:d refers to an undefined anchor" in result.problems[0].message


def test_aliases_share_values():
    assert load_text("a: &x {k: v}\nb: *x\n").data == {"a": {"k": "v"}, "b": {"k": "v"}}


def test_alias_bomb_is_stopped_by_the_node_limit():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    result = load_text("\n".join(lines) + "\n")
    assert result.data is None
    assert [p.code for p in result.problems] == ["C011"]


def test_depth_limit():
    result = load_text("a: " + "[" * 100 + "]" * 100 + "\n", limits=Limits(max_depth=64))
    assert [p.code for p in result.problems] == ["C011"]


def test_size_limit():
    result = load(b"a: " + b"x" * 50 + b"\n", limits=Limits(max_bytes=20))
    assert [p.code for p in result.problems] == ["C011"]


def test_non_string_and_complex_keys_are_c002():
    result = load_text("1: a\n? [x]\n: b\nok: c\n")
    assert [(p.code, p.line) for p in result.problems] == [("C002", 1), ("C002", 2)]
    assert result.data == {"ok": "c"}


def test_huge_integer_does_not_raise():
    result = load_text("a: " + "9" * 5000 + "\n")
    assert result.problems == []
    assert isinstance(result.data["a"], str)


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_empty_documents_load_as_none(text):
    result = load_text(text)
    assert result.data is None and result.problems == []


def test_colon_stand_in_is_invisible_in_values_tags_and_positions():
    text = 'a: {to: human:x, url: "https://h/p"}\nb: https://e.com/x\nc: !t:x v\nd: {"k":1}\n'
    result = load_text(text)
    assert result.data == {
        "a": {"to": "human:x", "url": "https://h/p"},
        "b": "https://e.com/x",
        "c": "v",
        "d": {"k": 1},
    }
    assert "'!t:x'" in result.problems[0].message
    assert result.source_map.value(("b",)) == (2, 4)
    assert result.source_map.value(("a", "url")) == (1, 23)


def test_text_holding_the_stand_in_character_is_read_as_written():
    result = load_text("a: {to: human:x}\nb: \ue000\n")
    assert result.data == {"a": {"to": "human:x"}, "b": "\ue000"}
