"""One loader truth: the fast path and the fallback read every card alike.

`load_text` normally reads a card with ruamel's C parser (libyaml; first with same-width
stand-ins for the colons it rejects in flow scalars) and handles the common events inline in
`_Builder.run`. Its fallback is ruamel's pure-Python YAML 1.2 parser, and the reference for the
inline code is the `_Builder` methods. This test generates card-shaped YAML, reads each text
every way and asserts the same result: plain data (types and key order included), every key
and value position, every problem (code, line, column, message, key path), the damaged paths
and the collected strings.

The reference is the pure parser with every event through the methods (`_CParser` unset,
`_INLINE` off). The inline code must match the methods under either parser, always. The C
parser must match the pure one unless the two parsers themselves read a text differently:
libyaml follows YAML 1.1 in places, and each parser has its own quirks. That is decided on the
parsers' own events, for each text the fast path gives libyaml (the text as written and with
stand-ins), so a fault in the loader's stand-in handling is never excused as one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, note, settings
from hypothesis import strategies as st
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import DocumentStartEvent, NodeEvent, StreamEndEvent

from agentroster import loader
from agentroster.loader import LoadResult, load_text

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- reading a text every way -----------------------------------------------------------------


@contextmanager
def _mode(*, c_parser: bool, inline: bool) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        if not c_parser:
            patch.setattr(loader, "_CParser", None)
        patch.setattr(loader, "_INLINE", inline)
        yield


def _typed(value: Any) -> Any:
    """`value` with every scalar's type spelled out (1, 1.0 and True compare equal) and NaN
    made comparable; mappings as item lists, so key order counts."""
    if isinstance(value, dict):
        return ("map", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [_typed(v) for v in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def read(text: str, *, c_parser: bool, inline: bool) -> dict[str, Any]:
    """Everything `load_text` makes of `text` in one mode, in comparable form."""
    with _mode(c_parser=c_parser, inline=inline):
        result: LoadResult = load_text(text)
    return {
        "data": _typed(result.data),
        "key positions": result.source_map.keys,
        "value positions": result.source_map.values,
        "problems": [(p.code, p.line, p.column, p.message, p.key) for p in result.problems],
        "damaged": result.damaged,
        "strings": result.strings,
    }


def _assert_same(facts: dict[str, Any], expected: dict[str, Any], what: str) -> None:
    for name, value in expected.items():
        assert facts[name] == value, f"{name} differ: {what}"


def _events(get_event: Callable[[], Any]) -> tuple[list[tuple[Any, ...]], bool]:
    """The parser's events as far as the loader reads them (where a node or a document
    starts, not where one ends), and whether the parser read to the end."""
    events: list[tuple[Any, ...]] = []
    try:
        while True:
            e = get_event()
            style = getattr(e, "style", None) or None  # plain: '' from C, None from pure
            tag, value = getattr(e, "tag", None), getattr(e, "value", None)
            events.append((type(e).__name__, getattr(e, "anchor", None), tag, value, style))
            if isinstance(e, (NodeEvent, DocumentStartEvent)):
                events.append((e.start_mark.line, e.start_mark.column))
            if isinstance(e, StreamEndEvent):
                return events, True
    except YAMLError:
        return events, False


def parsers_differ(text: str) -> bool:
    """Whether libyaml accepts a text the fast path gives it but reads it otherwise than the
    pure parser reads the same text (or rejects it)."""
    texts = [text]
    if loader._COLON_STAND_IN not in text:
        texts.append(loader._INNER_COLON_RE.sub(loader._COLON_STAND_IN, text))
    for source in texts:
        c_read = _events(loader._c_events(source))
        if c_read[1] and c_read != _events(loader._pure_events(source)):
            return True
    return False


def assert_one_truth(text: str) -> None:
    reference = read(text, c_parser=False, inline=False)
    pure_inline = read(text, c_parser=False, inline=True)
    _assert_same(pure_inline, reference, "pure parser, inline code against the methods")
    c_methods = read(text, c_parser=True, inline=False)
    fast = read(text, c_parser=True, inline=True)
    _assert_same(fast, c_methods, "C parser, inline code against the methods")
    if parsers_differ(text):
        event("libyaml and the pure parser read the text differently")
    else:
        _assert_same(fast, reference, "the fast path against the pure fallback")


# -- card-shaped YAML -------------------------------------------------------------------------

KEYS = [
    "apiVersion", "id", "name", "to", "owner", "email", "tools", "access", "tier", "escalation",
    "handoffs", "metrics", "description", "évaluation", "日本", "x-y", "<key>",
]  # fmt: skip
# Keys that need something of their own: quotes, a non-string value, properties, an alias.
ODD_KEYS = ["'id'", '"na me"', '"é"', "1", "true", "~", "&k id", "!!str 2", "!x tag"]
FLOW_ONLY_KEYS = ["human:x", "a:b", "[a, b]", "{c: d}"]  # YAML 1.2 keys, inside { } only
BLOCK_KEYS = [*KEYS, *ODD_KEYS]
FLOW_KEYS = [*BLOCK_KEYS, *FLOW_ONLY_KEYS]
PLAIN = [
    "agentroster/v1", "AgentCard", "incident-sentinel", "Incident Sentinel", "0.1.0", "1", "-3",
    "+7", "0x1f", "0o17", "1e3", "0.5", ".inf", "-.inf", ".nan", "true", "False", "null", "~",
    "yes", "2026-01-01", "human:sre-oncall", "https://dash.example.com/d/x", "120/m", "café",
    "日本語", "😀 smile", "x#y", "a-b", "9" * 25, "a:b", "x'y", 'x"y', "a\u00a0b", "",
]  # fmt: skip
PLAIN_BLOCK_ONLY = ["score 0.7, or any", "a [b] {c}", "flag x (falls back)"]
SINGLE = ["it''s", "x: y", "#", "", "1", "true", "a, b", "[x]", "é", "human:q", "😀"]
DOUBLE = [r"a\tb", r"\u00e9", r"line1\nline2", "x: y", "", "1", r"\"q\"", r"\x41", "😀", r"\/"]
WORDS = ["alpha", "béta", "1", "x:y", "w", "😀"]
SCALAR_TAGS = [
    "!!str", "!!int", "!!float", "!!bool", "!!null", "!custom", "!t:x", "!",
    "!!python/name:os.system", "!<tag:yaml.org,2002:str>", "!!binary",
]  # fmt: skip
COLLECTION_TAGS = ["!!map", "!!seq", "!!str", "!x", "!!python/object/apply:os.system"]
ANCHORS = ["a", "b", "k"]
COMMENTS = ["", "", "", " # note", " #: x", "  # é 😀"]
BLOCK_HEADERS = ["|", "|-", "|+", ">", ">-", ">+", "|2"]
JUNK = [
    "{", "}", "[", "]", ": ", " :", "\t", '"', "'", "&", "*", "!", "%", "@", "`", "- ", "? ",
    "|", ">", "#", ",", "\n", "\n  ", "---\n", "...\n", "&a ", "*a ", "*nope", "!!int ", "\r",
    "\x00", "\x85", "\u2028", "\ufeff", "\ue000", "::", "a: b: c", "é", "😀",
]  # fmt: skip


@dataclass(frozen=True)
class Scalar:
    props: str
    style: str  # plain, single, double, multi-plain, multi-single, multi-double, or a block header
    words: tuple[str, ...]


@dataclass(frozen=True)
class Alias:
    name: str


@dataclass(frozen=True)
class Entry:
    key: str
    value: Any
    comment: str
    explicit: bool  # written `? key` / `: value`


@dataclass(frozen=True)
class Collection:
    props: str
    flow: bool
    wrap: bool  # a flow collection broken over lines
    entries: tuple[Entry, ...] | None  # a mapping
    items: tuple[tuple[Any, str], ...] | None  # a sequence: (node, comment)


# The tree is drawn by plain recursion over a few strategies built once: composite strategies
# nested per node made drawing cost several times the loads it feeds.
_ONE_IN = {n: st.integers(0, n - 1) for n in (2, 3, 4, 5, 6, 8, 10, 30)}
_SIZE = {n: st.integers(0, n) for n in (3, 4, 5, 8)}
_PICK: dict[int, st.SearchStrategy[Any]] = {}


def _one_in(draw: st.DrawFn, n: int) -> bool:
    return draw(_ONE_IN[n]) == 0


def _pick(draw: st.DrawFn, options: list[Any]) -> Any:
    strategy = _PICK.get(id(options))
    if strategy is None:
        strategy = _PICK[id(options)] = st.sampled_from(options)
    return draw(strategy)


def _props(draw: st.DrawFn, tags: list[str]) -> str:
    # Anchor first: written tag first, a node starts at its anchor for ruamel's pure parser
    # (see test_known_parser_differences_are_recognised), and the text would be excused.
    parts = []
    if _one_in(draw, 5):
        parts.append("&" + _pick(draw, ANCHORS))
    if _one_in(draw, 8):
        parts.append(_pick(draw, tags))
    return " ".join(parts)


SCALAR_STYLES = ["plain"] * 4 + ["single", "double", "multi-plain", "multi-single", "multi-double"]
BLOCK_SCALAR_STYLES = [*SCALAR_STYLES, "plain-block", *BLOCK_HEADERS]


def _scalar(draw: st.DrawFn, *, flow: bool) -> Scalar:
    props = _props(draw, SCALAR_TAGS)
    style = _pick(draw, SCALAR_STYLES if flow else BLOCK_SCALAR_STYLES)
    if style == "plain":
        return Scalar(props, style, (_pick(draw, PLAIN),))
    if style == "plain-block":
        return Scalar(props, "plain", (_pick(draw, PLAIN_BLOCK_ONLY),))
    if style in ("single", "double"):
        return Scalar(props, style, (_pick(draw, SINGLE if style == "single" else DOUBLE),))
    words = [_pick(draw, WORDS) for _ in range(2 + draw(_SIZE[4]) // 2)]
    if style in BLOCK_HEADERS and _one_in(draw, 2):
        words.insert(1, "")  # a blank line inside the block scalar
    return Scalar(props, style, tuple(words))


def _node(draw: st.DrawFn, *, flow: bool, depth: int) -> Any:
    if depth < 4 and _one_in(draw, 3):
        return _collection(draw, flow=flow, depth=depth)
    if _one_in(draw, 30):  # an alias to an anchor not yet defined stops the load: rare
        return Alias(_pick(draw, ANCHORS))
    return _scalar(draw, flow=flow)


def _collection(draw: st.DrawFn, *, flow: bool, depth: int, card: bool = False) -> Collection:
    """A mapping or a sequence; with `card`, a block mapping without properties."""
    flow = not card and (flow or _one_in(draw, 3))
    props = "" if card else _props(draw, COLLECTION_TAGS)
    wrap = flow and _one_in(draw, 4)
    if not card and _one_in(draw, 2):
        items = tuple(
            (_node(draw, flow=flow, depth=depth + 1), _pick(draw, COMMENTS))
            for _ in range(draw(_SIZE[4]))
        )
        return Collection(props, flow, wrap, None, items)
    keys = FLOW_KEYS if flow else BLOCK_KEYS
    entries = []
    for _ in range(draw(_SIZE[8] if card else _SIZE[5])):
        key = _pick(draw, KEYS[:4] if _one_in(draw, 2) else keys)  # few keys often: duplicates
        value = _node(draw, flow=flow, depth=depth + 1)
        entries.append(Entry(key, value, _pick(draw, COMMENTS), not flow and _one_in(draw, 10)))
    return Collection(props, flow, wrap, tuple(entries), None)


# -- rendering --------------------------------------------------------------------------------


def _with(props: str, text: str) -> str:
    return f"{props} {text}" if props and text else props or text


def _flow(node: Any, indent: int) -> str:
    """`node` written in flow style (possibly over several lines indented past `indent`)."""
    if isinstance(node, Alias):
        return f"*{node.name}"
    if isinstance(node, Scalar):
        return _with(node.props, _scalar_text(node, indent))
    # (an empty block collection is written in flow style too: `{}`, `[]`)
    sep = ",\n" + " " * (indent + 2) if node.wrap else ", "
    if node.entries is not None:
        parts = [f"{e.key}: {_flow(e.value, indent + 2)}" for e in node.entries]
        return _with(node.props, "{" + sep.join(parts) + "}")
    assert node.items is not None
    return _with(node.props, "[" + sep.join(_flow(n, indent + 2) for n, _ in node.items) + "]")


def _scalar_text(node: Scalar, indent: int) -> str:
    style, words = node.style, node.words
    if style == "plain":
        return words[0]
    if style == "single":
        return f"'{words[0]}'"
    if style == "double":
        return f'"{words[0]}"'
    assert style.startswith("multi-"), style
    quote = {"multi-plain": "", "multi-single": "'", "multi-double": '"'}[style]
    text = ("\n" + " " * (indent + 2)).join(w.replace("'", "''") for w in words)
    return quote + text + quote


def _after(node: Any, indent: int, comment: str) -> tuple[str, list[str]]:
    """What follows `key:` or `-` on its line for a node whose children sit at `indent`, and
    the lines below it."""
    if isinstance(node, Scalar) and node.style in BLOCK_HEADERS:
        lines = [" " * indent + w if w else "" for w in node.words]
        return " " + _with(node.props, node.style) + comment, lines
    if isinstance(node, Collection) and not node.flow and (node.entries or node.items):
        head = " " + node.props if node.props else ""
        return head + comment, _block(node, indent)
    return " " + _flow(node, indent - 2) + comment, []


def _block(node: Collection, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if node.items is not None:
        for item, comment in node.items:
            head, below = _after(item, indent + 2, comment)
            if not head and below:  # compact: `- key: value` or `- - x`, the rest below
                lines.append(pad + "- " + below[0][indent + 2 :])
                lines.extend(below[1:])
            else:
                lines.append(pad + "-" + head)
                lines.extend(below)
        return lines
    assert node.entries is not None
    for entry in node.entries:
        head, below = _after(entry.value, indent + 2, entry.comment)
        if entry.explicit and not below:
            lines += [f"{pad}? {entry.key}", f"{pad}:{head}"]
        else:
            lines.append(f"{pad}{entry.key}:{head}")
            lines.extend(below)
    return lines


def _document(root: Any) -> str:
    if isinstance(root, Collection) and not root.flow and (root.entries or root.items):
        head = [root.props] if root.props else []
        return "\n".join([*head, *_block(root, 0)]) + "\n"
    head, below = _after(root, 2, "")
    return "\n".join([head.strip(), *below]) + "\n"


@dataclass(frozen=True)
class Edit:
    kind: str  # junk, delete, duplicate line, comment line
    at: float  # where, as a fraction of the text or of its lines
    junk: str


@st.composite
def cards(draw: st.DrawFn) -> str:
    """Card-shaped YAML: mostly a block mapping of card fields, with comment lines, a document
    marker or LF or CRLF line ends, and sometimes edited into invalid or odd YAML."""
    if _one_in(draw, 6):
        root = _node(draw, flow=False, depth=0)
    else:
        root = _collection(draw, flow=False, depth=0, card=True)
    text = _document(root)
    for _ in range(draw(_SIZE[3])):
        change = Edit(_pick(draw, EDITS), draw(_FRACTION), _pick(draw, JUNK))
        # Comment lines keep the YAML valid; the other edits mostly do not, so they are rarer.
        if change.kind == "comment line" or _one_in(draw, 4):
            text = _edit(text, change)
    text = _pick(draw, DOCUMENT_STARTS) + text
    if _one_in(draw, 5):
        text = text.replace("\n", "\r\n")
    if _one_in(draw, 10):
        text = text.rstrip("\n")
    note(text)
    return text


EDITS = ["comment line", "comment line", "junk", "delete", "duplicate line"]
DOCUMENT_STARTS = ["", "", "", "---\n", "--- # card\n"]
_FRACTION = st.floats(0, 1)


def _edit(text: str, edit: Edit) -> str:
    if edit.kind in ("junk", "delete"):
        index = int(edit.at * len(text))
        tail = text[index + 1 :] if edit.kind == "delete" else text[index:]
        return text[:index] + (edit.junk if edit.kind == "junk" else "") + tail
    lines = text.split("\n")
    index = int(edit.at * (len(lines) - 1))
    if edit.kind == "duplicate line":
        lines.insert(index, lines[index])
    else:
        indent = len(lines[index]) - len(lines[index].lstrip(" "))
        lines.insert(index, " " * indent + "# " + edit.junk.strip())
    return "\n".join(lines)


# -- the tests --------------------------------------------------------------------------------


@SETTINGS
@given(cards())
@example("escalation: {to: human:billing, url: https://h/p}\nid: x\n")  # stand-in colons
@example("a: 1\na: !!str 2\n")  # a dropped value: the methods once gave it a position
@example("a: *c:d\n")  # libyaml stops at `*c` in a text it rejects; YAML 1.2 reads `*c:d`
def test_fast_path_and_fallback_agree(text):
    assert_one_truth(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: !!str &x v\n",  # ruamel's pure parser starts the node at the anchor, not the tag
        "a:\nb: 1\n",  # an empty value: after the ':' (libyaml), at the next key (pure)
        "a: !!str\tv\n",  # a tab after a tag: YAML 1.2 allows it, the pure parser does not
        "*a: b\n",  # libyaml ends the alias at ':', YAML 1.2 reads the alias `a:`
    ],
)
def test_known_parser_differences_are_recognised(text):
    # The texts the test above excuses from the fast-path-against-fallback comparison.
    assert parsers_differ(text)


@pytest.mark.parametrize("text", ["a: {to: human:x}\n", 'd: {"k":1}\n', "a: [1, 2\n"])
def test_the_parsers_agree_on_stand_ins_and_errors(text):
    assert not parsers_differ(text)


def test_inline_off_sends_every_node_through_the_methods(monkeypatch):
    calls: list[str] = []
    for name in ("scalar", "start"):
        method = getattr(loader._Builder, name)
        monkeypatch.setattr(
            loader._Builder,
            name,
            lambda self, *args, _m=method, _n=name: calls.append(_n) or _m(self, *args),
        )
    text = "a: {b: [c]}\n"
    read(text, c_parser=True, inline=True)
    assert calls == []  # every node inline
    calls.clear()
    read(text, c_parser=True, inline=False)
    assert calls == ["start", "scalar", "start", "scalar", "start", "scalar"]
