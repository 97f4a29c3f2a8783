"""Bytes -> (plain data, SourceMap), in one pass over the C parser's events.

Round-trip loading costs ~50x the C event parse, so the loader never builds ruamel nodes or
round-trip objects: it walks the event stream once and builds dicts, lists and scalars while
recording the position of every key and value. Every problem becomes a `Problem` with a
line and column; nothing here raises on bad input.

Scalars are resolved with the YAML 1.2 core schema (null, bool, int, float; everything else is
a string, dates included, as check-jsonschema reads them). Tags never construct objects: the
standard scalar and collection tags are honoured, any other tag is reported and ignored.
"""

from __future__ import annotations

import operator
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import events as ev
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from agentroster.findings import KeyPath, Rule
from agentroster.policy import Limits
from agentroster.problems import C001, C002, C004, C008, C010, C011, Problem
from agentroster.sourcemap import SourceMap

try:  # ruamel's C parser (ruamel.yaml.clibz or ruamel.yaml.clib)
    from ruamel.yaml.cyaml import CParser as _CParser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - exercised only where the C extension is missing
    _CParser = None


@dataclass
class LoadResult:
    """What the loader made of one file. `data` is None when nothing usable was read."""

    data: Any
    source_map: SourceMap
    problems: list[Problem] = field(default_factory=list)
    # Key paths whose value was dropped or altered by a reported problem (duplicate key,
    # non-string key, ignored tag): rules reading them are skipped, the problem is the finding.
    damaged: set[KeyPath] = field(default_factory=set)
    # Every string value with its key path, in document order, collected while loading so
    # the rules that scan text (C009, X001, X002) need not walk the data again.
    strings: list[tuple[KeyPath, str]] = field(default_factory=list)


_BOM_UTF8 = b"\xef\xbb\xbf"
_OTHER_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}

_CORE = "tag:yaml.org,2002:"
_INT_RE = re.compile(r"[-+]?[0-9]+\Z")
_OCT_RE = re.compile(r"0o[0-7]+\Z")
_HEX_RE = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT_RE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INF = frozenset({".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})
_NINF = frozenset({"-.inf", "-.Inf", "-.INF"})
_NAN = frozenset({".nan", ".NaN", ".NAN"})
# libyaml (YAML 1.1) rejects a ':' followed by a non-blank inside a plain scalar in a flow
# collection, as in `{to: human:queue}`, which YAML 1.2 allows. Such a ':' can never be a
# mapping indicator in 1.2 either, so it is swapped for a private-use character of the same
# width (positions stay exact), parsed by C, and swapped back in every scalar and tag.
# ruamel's ScalarEvent.tag and CollectionStartEvent.tag are Python properties over the slot
# `ctag` (in recent versions); the event loop reads the slot, through a C-level getter, once
# per node. (Only "is it None" is asked of it: the pure parser may put a Tag object there.)
_event_tag = operator.attrgetter(
    "ctag"
    if hasattr(ev.ScalarEvent, "ctag") and hasattr(ev.CollectionStartEvent, "ctag")
    else "tag"
)
_COLON_STAND_IN = "\ue000"
_INNER_COLON_RE = re.compile(r":(?=[^\s,\[\]{}])")
_SCALAR_TAGS = frozenset({_CORE + t for t in ("str", "int", "float", "bool", "null")})
_COLLECTION_TAGS = frozenset({_CORE + "map", _CORE + "seq"})

# Tests turn _INLINE off to send every scalar and collection start through the _Builder
# methods: the reference the inline code in _Builder.run is checked against
# (tests/test_loader_differential.py). Read once per run, so it costs nothing per event.
_INLINE = True


def _as_tagged(event: Any) -> str:
    """Stands in for _event_tag when _INLINE is off: every node looks tagged."""
    return "!"


# Keys and short values repeat across cards ("id", "tier", "true", "read"); their resolved
# values are immutable, so the loader memoises them (bounded).
_RESOLVED: dict[str, Any] = {}
_RESOLVED_MAX = 50_000
_MISSING = object()


def resolve_cached(text: str) -> Any:
    """resolve_plain, memoised for short texts."""
    try:
        return _RESOLVED[text]
    except KeyError:
        value = resolve_plain(text)
        if len(text) <= 40 and len(_RESOLVED) < _RESOLVED_MAX:
            _RESOLVED[text] = value
        return value


def resolve_plain(text: str) -> Any:
    """The value of an untagged plain scalar under the YAML 1.2 core schema."""
    if not text:
        return None
    first = text[0]
    if first.isalpha() or first == "~":
        if text in _NULLS:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        return text
    if _INT_RE.match(text):
        try:
            return int(text)
        except ValueError:  # more digits than Python converts: keep the text
            return text
    if _FLOAT_RE.match(text):
        return float(text)
    if _OCT_RE.match(text):
        return int(text[2:], 8)
    if _HEX_RE.match(text):
        return int(text[2:], 16)
    if text in _INF:
        return float("inf")
    if text in _NINF:
        return float("-inf")
    if text in _NAN:
        return float("nan")
    return text


def _resolve_tagged(tag: str, text: str) -> tuple[Any, bool]:
    """(value, ok) for a scalar with an explicit standard tag."""
    kind = tag[len(_CORE) :]
    if kind == "str":
        return text, True
    value: Any = resolve_plain(text)
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    ok = {
        "int": number and isinstance(value, int),
        "float": number,
        "bool": isinstance(value, bool),
        "null": value is None,
    }[kind]
    if ok:
        return (float(value) if kind == "float" else value), True
    return text, False


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "a string"


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of character `index` in `text`."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _syntax_problem(exc: MarkedYAMLError) -> Problem:
    """C001 at the parser's problem mark, saying where the enclosing construct began."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    message = f"invalid YAML: {exc.problem or exc.context or 'syntax error'}"
    cm = exc.context_mark
    if exc.context and exc.problem and cm is not None:
        message += f" ({exc.context} that starts at line {cm.line + 1}, column {cm.column + 1})"
    return Problem(C001, line, column, message)


def _c_events(text: str) -> Callable[[], Any]:
    return _CParser(text).get_event  # type: ignore[no-any-return]


def _pure_events(text: str) -> Callable[[], Any]:
    from ruamel.yaml import YAML  # deferred: start-up time; only the rare fallback needs it

    events: Iterator[Any] = iter(YAML(typ="safe", pure=True).parse(text))
    return events.__next__


def _rejects_the_rest(get_event: Callable[[], Any], max_depth: int) -> bool:
    """Whether the C parser fails on the rest of a stream whose walk a problem stopped. It
    reads no more than `max_depth` levels deeper (libyaml slows down with every level of
    nesting, quadratically) and says no beyond."""
    depth = 0
    try:
        while depth <= max_depth:
            kind = type(get_event())
            if kind is ev.StreamEndEvent:
                return False
            if kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
                depth += 1
            elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                depth -= 1
    except YAMLError:
        return True
    return False


class _Abort(Exception):
    """Stops the event walk after a fatal problem has been recorded."""


_SKIP = object()  # pending-key marker: the entry's value is read and thrown away
_NO_KEY = object()  # pending-key marker: the next node is a key


class _Frame:
    __slots__ = (
        "anchor",
        "container",
        "is_key",
        "mark",
        "path",
        "pending",
        "pending_path",
        "start",
    )

    def __init__(self, container: Any, path: KeyPath, anchor: str | None, is_key: bool) -> None:
        self.container = container
        self.path = path
        self.anchor = anchor
        self.is_key = is_key
        self.pending: Any = _NO_KEY
        self.pending_path: KeyPath = ()  # (*path, pending) while a key awaits its value
        self.mark: Any = None
        self.start = 0  # nodes counted before this collection began: its weight is the rest


class _Builder:
    """Turns one event stream into plain data, a SourceMap and problems."""

    def __init__(self, text: str, limits: Limits, *, restore_colons: bool = False) -> None:
        self.text = text
        self.restore_colons = restore_colons
        self.limits = limits
        self.smap = SourceMap()
        self.problems: list[Problem] = []
        self.damaged: set[KeyPath] = set()
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.stack: list[_Frame] = []
        self.strings: list[tuple[KeyPath, str]] = []
        self.expanded = 0
        self.documents = 0
        self.root: Any = None

    def result(self) -> LoadResult:
        return LoadResult(self.root, self.smap, self.problems, self.damaged, self.strings)

    # -- problems -------------------------------------------------------------------------
    def problem(self, rule: Rule, mark: Any, message: str, key: KeyPath = ()) -> None:
        self.problems.append(Problem(rule, mark.line + 1, mark.column + 1, message, key))

    def too_many(self, mark: Any) -> _Abort:
        return self.fatal(
            C011,
            mark,
            f"the document expands to more than {self.limits.max_nodes} nodes (alias "
            "expansion or sheer size); agent cards need no aliases, write values out",
        )

    def fatal(self, rule: Rule, mark: Any, message: str, key: KeyPath = ()) -> _Abort:
        self.problem(rule, mark, message, key)
        return _Abort()

    # -- placing nodes --------------------------------------------------------------------
    def path_for_next(self) -> tuple[KeyPath, bool]:
        """Key path of the node about to start, and whether it is a mapping key."""
        if not self.stack:
            return (), False
        top = self.stack[-1]
        if type(top.container) is list:
            return (*top.path, len(top.container)), False
        if top.pending is _NO_KEY:
            return (*top.path, "<key>"), True
        if top.pending is _SKIP:
            return (*top.path, "<skipped>"), False
        return top.pending_path, False

    def count(self, weight: int, mark: Any) -> None:
        """Count nodes as they would be if aliases were expanded; C011 past the limit."""
        self.expanded += weight
        if self.expanded > self.limits.max_nodes:
            raise self.too_many(mark)

    def place(self, value: Any, mark: Any, is_key: bool) -> None:
        """Attach a finished node to its parent (or make it the document root)."""
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if type(top.container) is list:
            top.container.append(value)
        elif is_key:
            self.take_key(top, value, mark)
        else:
            if top.pending is not _SKIP:
                top.container[top.pending] = value
            top.pending = _NO_KEY

    def take_key(self, top: _Frame, key: Any, mark: Any) -> None:
        if isinstance(key, (dict, list)):
            self.problem(
                C002,
                mark,
                f"a {'mapping' if isinstance(key, dict) else 'list'} is used as a mapping key; "
                "agent card keys are plain strings",
                top.path,
            )
            self.damaged.add(top.path)
            top.pending = _SKIP
        elif not isinstance(key, str):
            shown = self.text_at(mark)
            self.problem(
                C002,
                mark,
                f"mapping key {shown!r} is {_type_name(key)}, not a string; agent card keys are "
                f"field names (quote it if it is meant as text: '{shown}')",
                top.path,
            )
            self.damaged.add(top.path)
            top.pending = _SKIP
        elif key in top.container:
            first = self.smap.keys.get((*top.path, key))
            where = f" (first at line {first[0]})" if first else ""
            self.problem(
                C004,
                mark,
                f"duplicate key {key!r}{where}; YAML keys must be unique, keep one of them",
                (*top.path, key),
            )
            self.damaged.add((*top.path, key))
            top.pending = _SKIP
        else:
            top.pending = key
            top.pending_path = key_path = (*top.path, key)
            self.smap.add_key(key_path, mark.line, mark.column)

    def text_at(self, mark: Any) -> str:
        line = self.text.splitlines()[mark.line] if self.text else ""
        token = line[mark.column :].split(":", 1)[0].strip()
        return token or "?"

    # -- events ---------------------------------------------------------------------------
    def check_tag(self, tag: str | None, allowed: frozenset[str], mark: Any, path: KeyPath) -> None:
        if tag is None or tag == "!" or tag in allowed:
            return
        shown = tag.replace(_CORE, "!!")
        self.problem(
            C010,
            mark,
            f"YAML tag {shown!r} is not allowed in an agent card; remove it (agentroster never "
            "constructs objects from tags, the value is read as plain YAML)",
            path,
        )
        self.damaged.add(path)

    def scalar(self, event: Any) -> None:
        """Any scalar; `run` handles the common untagged, unanchored ones inline."""
        path, is_key = self.path_for_next()
        mark = event.start_mark
        tag = event.tag
        text = event.value
        if self.restore_colons:
            text = text.replace(_COLON_STAND_IN, ":")
            tag = tag.replace(_COLON_STAND_IN, ":") if tag else tag
        if tag is None or tag == "!":
            value = (
                resolve_plain(text)
                if (event.style is None or event.style == "") and tag is None
                else text
            )
        elif tag in _SCALAR_TAGS:
            value, ok = _resolve_tagged(tag, text)
            if not ok:
                self.problem(
                    C002,
                    mark,
                    f"{text!r} is not a valid {tag.replace(_CORE, '!!')} value",
                    path,
                )
                self.damaged.add(path)
        else:
            self.check_tag(tag, _SCALAR_TAGS, mark, path)
            value = text
        if not is_key and path[-1:] != ("<skipped>",):  # as in run: a dropped value has no place
            self.smap.add_value(path, mark.line, mark.column)
            if isinstance(value, str):
                self.strings.append((path, value))
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        self.count(1, mark)
        self.place(value, mark, is_key)

    def start(self, event: Any, container: Any) -> None:
        path, is_key = self.path_for_next()
        mark = event.start_mark
        if len(self.stack) >= self.limits.max_depth:
            raise self.fatal(
                C011,
                mark,
                f"nesting deeper than {self.limits.max_depth} levels; an agent card is a few "
                "levels deep",
                path,
            )
        tag = event.tag
        if self.restore_colons and tag:
            tag = tag.replace(_COLON_STAND_IN, ":")
        self.check_tag(tag, _COLLECTION_TAGS, mark, path)
        if not is_key:
            self.smap.add_value(path, mark.line, mark.column)
        frame = _Frame(container, path, event.anchor, is_key)
        frame.mark = mark
        frame.start = self.expanded
        self.count(1, mark)
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        self.stack.append(frame)

    def end(self) -> None:
        frame = self.stack.pop()
        if frame.anchor is not None:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (frame.container, self.expanded - frame.start)
        self.place(frame.container, frame.mark, frame.is_key)

    def alias(self, event: Any) -> None:
        path, is_key = self.path_for_next()
        mark = event.start_mark
        name = event.anchor
        if name in self.open_anchors:
            raise self.fatal(
                C001,
                mark,
                f"alias *{name} refers to the node that contains it (a recursive alias)",
                path,
            )
        target = self.anchors.get(name)
        if target is None:
            raise self.fatal(
                C001, mark, f"alias *{name} refers to an undefined anchor &{name}", path
            )
        value, weight = target
        if not is_key:
            self.smap.add_value(path, mark.line, mark.column)
        self.count(weight, mark)
        self.place(value, mark, is_key)

    def run(self, get_event: Callable[[], Any]) -> None:
        """Consume events from `get_event` until the end of the stream.

        The loop handles untagged, unanchored scalars inside a collection (nearly every event
        of a card) inline, with what they touch bound to locals; everything else goes through
        the methods above. Both give the same result. (Key paths are built as `path + (x,)`,
        which is about 30% cheaper than `(*path, x)`.)
        """
        scalar_event, stream_end = ev.ScalarEvent, ev.StreamEndEvent
        stack = self.stack
        values, keys = self.smap.values, self.smap.keys
        add_string = self.strings.append
        cached = _RESOLVED.get
        restore = self.restore_colons
        max_nodes, max_depth = self.limits.max_nodes, self.limits.max_depth
        mapping_start, mapping_end = ev.MappingStartEvent, ev.MappingEndEvent
        sequence_start, sequence_end = ev.SequenceStartEvent, ev.SequenceEndEvent
        expanded = self.expanded  # kept in a local here, in self.expanded for the methods
        event_tag = _event_tag if _INLINE else _as_tagged
        while True:
            event = get_event()
            kind = type(event)
            if kind is scalar_event and event_tag(event) is None and event.anchor is None and stack:
                expanded += 1
                mark = event.start_mark
                if expanded > max_nodes:
                    raise self.too_many(mark)
                text = event.value
                if restore and _COLON_STAND_IN in text:
                    text = text.replace(_COLON_STAND_IN, ":")
                if event.style:
                    value = text
                else:
                    value = cached(text, _MISSING)
                    if value is _MISSING:
                        value = resolve_cached(text)
                top = stack[-1]
                container = top.container
                if type(container) is list:
                    path = top.path + (len(container),)  # noqa: RUF005
                    values[path] = (mark.line + 1, mark.column + 1)
                    if type(value) is str:
                        add_string((path, value))
                    container.append(value)
                    continue
                pending = top.pending
                if pending is _NO_KEY:
                    if type(value) is str and value not in container:
                        top.pending = value
                        top.pending_path = path = top.path + (value,)  # noqa: RUF005
                        keys[path] = (mark.line + 1, mark.column + 1)
                    else:
                        self.take_key(top, value, mark)  # a problem: duplicate or not a string
                    continue
                if pending is not _SKIP:
                    path = top.pending_path
                    values[path] = (mark.line + 1, mark.column + 1)
                    if type(value) is str:
                        add_string((path, value))
                    container[pending] = value
                top.pending = _NO_KEY
                continue
            if (
                (kind is mapping_start or kind is sequence_start)
                and event_tag(event) is None
                and event.anchor is None
                and len(stack) < max_depth
            ):
                at: KeyPath | None = ()
                if stack:
                    top = stack[-1]
                    container = top.container
                    if type(container) is list:
                        at = top.path + (len(container),)  # noqa: RUF005
                    elif top.pending is _NO_KEY:
                        at = None  # a collection as a mapping key: a problem, see start()
                    elif top.pending is _SKIP:
                        at = top.path + ("<skipped>",)  # noqa: RUF005
                    else:
                        at = top.pending_path
                if at is not None:
                    mark = event.start_mark
                    frame = _Frame({} if kind is mapping_start else [], at, None, False)
                    frame.mark = mark
                    frame.start = expanded
                    expanded += 1
                    if expanded > max_nodes:
                        raise self.too_many(mark)
                    values[at] = (mark.line + 1, mark.column + 1)
                    stack.append(frame)
                    continue
            if (kind is mapping_end or kind is sequence_end) and stack[-1].anchor is None:
                frame = stack.pop()
                self.place(frame.container, frame.mark, frame.is_key)
                continue
            self.expanded = expanded
            if kind is scalar_event:
                self.scalar(event)
            elif kind is stream_end:
                return
            elif kind is mapping_start:
                self.start(event, {})
            elif kind is sequence_start:
                self.start(event, [])
            elif kind is mapping_end or kind is sequence_end:
                self.end()
            elif kind is ev.AliasEvent:
                self.alias(event)
            elif kind is ev.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    raise self.fatal(
                        C008,
                        event.start_mark,
                        "a second YAML document starts here; a card file holds exactly one "
                        "document (remove the '---' and what follows, or split the file)",
                    )
            expanded = self.expanded


def too_large(size: int, limits: Limits) -> Problem:
    """The problem for a file over the size limit (checked before reading it, too)."""
    return Problem(
        C011,
        1,
        1,
        f"file is {size} bytes, over the {limits.max_bytes}-byte limit for a card (raise "
        "[limits] max-bytes if this really is one agent)",
    )


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_file(file: Path, limits: Limits) -> bytes | Problem:
    """A file's bytes, or the problem that keeps it from being read: it cannot be opened, it
    is not a regular file (a FIFO would block the run), or it is over the size limit (checked
    before reading). Opened without blocking, so a FIFO is reported, not waited on."""
    try:
        fd = os.open(file, _OPEN_FLAGS)
    except OSError as exc:
        return Problem(C008, 1, 1, f"cannot read the file: {exc.strerror or exc}")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return Problem(
                C008, 1, 1, "not a regular file; agentroster reads only regular YAML files"
            )
        if info.st_size > limits.max_bytes:
            return too_large(info.st_size, limits)
        chunks, total, want = [], 0, info.st_size + 1
        while chunk := os.read(fd, want):  # until end of file: it may have grown since fstat
            chunks.append(chunk)
            total += len(chunk)
            if total > limits.max_bytes:
                return too_large(total, limits)
            want = 65536
        return b"".join(chunks)
    except OSError as exc:
        return Problem(C008, 1, 1, f"cannot read the file: {exc.strerror or exc}")
    finally:
        os.close(fd)


def load(raw: bytes, *, limits: Limits | None = None) -> LoadResult:
    """Read one card file's bytes. Never raises on bad input."""
    limits = limits or Limits()
    smap = SourceMap()
    if len(raw) > limits.max_bytes:
        return LoadResult(None, smap, [too_large(len(raw), limits)])
    if raw.startswith(_BOM_UTF8):
        raw = raw[3:]
    else:
        for bom, name in _OTHER_BOMS.items():
            if raw.startswith(bom):
                return LoadResult(
                    None,
                    smap,
                    [Problem(C008, 1, 1, f"file is {name}-encoded; save it as UTF-8")],
                )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8", errors="replace")
        line, column = _position(good, len(good))
        return LoadResult(
            None,
            smap,
            [
                Problem(
                    C008,
                    line,
                    column,
                    f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
                )
            ],
        )
    return load_text(text, limits=limits)


def load_text(text: str, *, limits: Limits | None = None) -> LoadResult:
    """Read one card from text (already decoded). Never raises on bad input.

    libyaml (the C parser) follows YAML 1.1 where 1.2 differs, and rejects for instance
    `{to: human:queue}` (a ':' inside a plain scalar in a flow mapping), which YAML 1.2 and
    the card format allow. So the C parser reads the text with such colons stood in for (see
    _COLON_STAND_IN), then as written; a file it rejects both ways is read again by ruamel's
    pure-Python YAML 1.2 parser, whose verdict (and error position) is final.
    """
    limits = limits or Limits()
    if _CParser is not None:
        # Stand-ins first: valid either way for every card but a JSON-like `{"a":1}`, which
        # fails there and is then read as written.
        attempts = [(text, False)]
        if _COLON_STAND_IN not in text and _INNER_COLON_RE.search(text):
            attempts.insert(0, (_INNER_COLON_RE.sub(_COLON_STAND_IN, text), True))
        for source, restore in attempts:
            builder = _Builder(text, limits, restore_colons=restore)
            get_event = _c_events(source)
            try:
                builder.run(get_event)
            except _Abort:
                if _rejects_the_rest(get_event, limits.max_depth):
                    continue  # what stopped the walk may be libyaml misreading what it rejects
                return LoadResult(None, builder.smap, builder.problems)
            except YAMLError:
                continue  # next attempt; the pure YAML 1.2 parser has the last word
            else:
                return builder.result()
    builder = _Builder(text, limits)
    try:
        builder.run(_pure_events(text))
    except _Abort:
        return LoadResult(None, builder.smap, builder.problems)
    except MarkedYAMLError as exc:
        builder.problems.append(_syntax_problem(exc))
        return LoadResult(None, builder.smap, builder.problems)
    except YAMLError as exc:  # reader errors carry a character index, not a mark
        index = getattr(exc, "position", 0) or 0
        line, column = _position(text, index)
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        builder.problems.append(Problem(C001, line, column, f"invalid YAML: {reason}"))
        return LoadResult(None, builder.smap, builder.problems)
    return builder.result()
