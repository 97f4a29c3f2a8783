"""Per-card results kept between runs, so a re-lint reads, loads and checks only the cards that
changed; roster-wide rules, waivers and the report are recomputed every run.

What a card's result depends on, and how each is covered:

- the card's bytes, its absolute path (rules read the file name and the folder references
  resolve from) and its path as reported (findings carry it): the entry's key, a line of
  the cache file;
- everything the same for every card of a run: agentroster's own source files (a hash of
  every .py file of the package, so an edited checkout never reads another code's
  results) and version, the versions of Python, pydantic, pydantic-core and ruamel.yaml,
  the effective configuration (selection, policy, limits, paths; command-line options
  included, since they are applied to it), `--today` (date rules: a new day reads every
  card again, once), and the tool catalogue and people directory as loaded: the
  *fingerprint*, which names the cache file and is its first line;
- the files a card refers to (golden sets, runbooks, prompts: L003, X003, L009): the entry
  records where each path led and, for a JSON Lines golden set, its count of non-blank
  lines, as the rules saw them (`observe`, called in the worker right after the card
  rules); a hit is taken only when every one is still the same.

Where it lives: `AGENTROSTER_CACHE_DIR`, else `$XDG_CACHE_HOME/agentroster`, else
`~/.cache/agentroster`; never inside the roster root (the cache is then off), since the
repository is untrusted. The folder is made with mode 0700 and refused when someone else
owns it or others may write to it. It holds `key`, 32 random bytes made once per machine
(mode 0600), and one file per fingerprint, at most MAX_FILES (the least recently used are
deleted). Each file is plain text, never code: segments, each a line
`agentroster-cache FORMAT <bytes> <HMAC-SHA256 of the body under the key>` and its body:
the fingerprint, then one line per card, `key<TAB>meta<TAB>model`, each a JSON text (the
model as pydantic dumps it; StoredCard rebuilds it). The first run writes one segment; a
run that read some cards afresh appends one with their entries (the other cards are not
written again), until superseded entries outnumber live ones and the file is written anew.
Reading stops at the first segment that is not authentic (forged, planted, torn, written
under another key); an entry that does not rebuild is a miss. Any failure means a cold
read of that card, never a different result and never an error: tests compare the reports
of cold, warm and uncached runs byte for byte.

A card is stored only when its entry reads back exactly (JSON types included); cards with
an internal error (E000) or unreadable files are never stored.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import os
import stat
import sys
import time
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields, is_dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

import pydantic_core
from pydantic import TypeAdapter

from agentroster import __version__
from agentroster.catalogues import CatalogueTool, DirectoryPerson
from agentroster.config import Config
from agentroster.context import CardContext, CardFile, LazyCard, Observed
from agentroster.findings import E000, Finding, Severity
from agentroster.loader import read_file
from agentroster.model import AgentCard
from agentroster.references import Ref, count_nonblank_lines, resolve
from agentroster.rules.lifecycle import GOLDEN_SET_MAX_BYTES, JSONL_SUFFIXES
from agentroster.sourcemap import SourceMap
from agentroster.validate import CardView, FieldUnavailable, Validated
from agentroster.writer import write_text_atomic

FORMAT = 1  # bump when the file layout or the meaning of an entry changes
ENV = "AGENTROSTER_CACHE_DIR"
KEY_FILE = "key"
KEY_BYTES = 32
SUFFIX = ".cards"
MAX_FILES = 8  # cache files kept: one per roster and configuration (and day) in use
MAX_FILE_BYTES = 1 << 30  # a larger file is not read
STALE_TEMP_SECONDS = 3600  # a writer's temporary file older than this was left by a crash
_MAGIC = f"agentroster-cache {FORMAT} "


# -- what the card step records (called in reading.py) --------------------------------------
def digest(raw: bytes) -> str:
    """The content address of a card's bytes."""
    return hashlib.blake2b(raw, digest_size=32).hexdigest()


def observe(card: CardContext) -> Observed:
    """Where each file the card refers to led, as the card rules saw it (the references are
    memoised for the run, so this asks the file system nothing new)."""
    try:
        refs = card.references
    except FieldUnavailable:  # a tainted field: no rule looked at the references either
        return ()
    card_dir, root = os.path.dirname(os.fspath(card.file)), os.fspath(card.root)
    out = []
    for at, rel, ref in refs:
        golden = at == ("evals", "golden_set")
        lines = None
        if golden and ref is Ref.OK and rel.lower().endswith(JSONL_SUFFIXES):
            lines = count_nonblank_lines(card_dir, rel, root, max_bytes=GOLDEN_SET_MAX_BYTES)
        out.append((golden, rel, ref.value, lines))
    return tuple(out)


# -- where the cache lives -------------------------------------------------------------------
def cache_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """The cache folder the environment names (not yet checked or made); None when no
    home directory can be found."""
    env = os.environ if environ is None else environ
    if env.get(ENV):
        return Path(env[ENV]).absolute()
    xdg = env.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # the XDG spec: a relative value is ignored
        return Path(xdg) / "agentroster"
    try:
        return Path.home() / ".cache" / "agentroster"
    except RuntimeError:  # no home directory
        return None


def _inside(path: str, root: str) -> bool:
    return os.path.commonpath([path, root]) == root


def usable_dir(directory: Path, root: Path) -> Path | None:
    """`directory`, made if missing (mode 0700), when it may hold the cache of the roster at
    `root`: outside the roster, a folder this user owns that no one else may write to."""
    real = os.path.realpath(directory)
    if _inside(real, os.path.realpath(root)):
        return None
    try:
        os.makedirs(real, mode=0o700, exist_ok=True)
        info = os.stat(real)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_mode & 0o022:
        return None
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return None
    return Path(real)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _read_private(path: Path, most: int) -> bytes | None:
    """A regular file's bytes, when this user owns it, no one else may read or write it, and
    it holds at most `most` bytes; None otherwise (symlinks are not followed)."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > most:
            return None
        if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o077):
            return None
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(most + 1)
        return data if len(data) <= most else None
    except OSError:
        return None
    finally:
        os.close(fd)


def machine_key(directory: Path) -> bytes | None:
    """The key entries are authenticated with, made on first use: 32 bytes from os.urandom
    in `key` (mode 0600). None when it cannot be made, or the file there is not one we made
    (wrong size, owner or mode): the cache is then off rather than trusting it."""
    path = directory / KEY_FILE
    if not os.path.lexists(path):
        tmp = directory / f".key.{os.getpid()}.{time.monotonic_ns()}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(os.urandom(KEY_BYTES))
            with contextlib.suppress(FileExistsError):  # another run made it first: use theirs
                os.link(tmp, path)  # never replaces a key another run already uses
        except OSError:
            return None
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    key = _read_private(path, KEY_BYTES)
    return key if key is not None and len(key) == KEY_BYTES else None


# -- the fingerprint -------------------------------------------------------------------------
def canonical(value: Any) -> Any:
    """`value` as JSON data that is equal for equal values (dataclasses by field, mappings
    sorted by key, sets sorted); TypeError for a type it does not know."""
    if isinstance(value, Enum):
        return canonical(value.value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (Path, date)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((canonical(v) for v in value), key=json.dumps)
    if isinstance(value, Mapping):
        return sorted(([canonical(k), canonical(v)] for k, v in value.items()), key=json.dumps)
    if is_dataclass(value) and not isinstance(value, type):
        fields_ = {f.name: canonical(getattr(value, f.name)) for f in fields(value)}
        return [type(value).__name__, fields_]
    if hasattr(value, "model_dump"):  # a pydantic model (catalogue entries)
        return [type(value).__name__, canonical(value.model_dump(mode="json"))]
    raise TypeError(f"no canonical form for {type(value).__name__}")


@functools.cache
def code_hash() -> str | None:
    """A hash of agentroster's own .py files and the libraries that shape a card's result;
    None when the package's files cannot be read (the cache is then off)."""
    import pydantic
    import pydantic_core
    import ruamel.yaml

    package = Path(__file__).resolve().parent
    h = hashlib.sha256()
    versions = (__version__, sys.version, pydantic.VERSION, pydantic_core.__version__)
    h.update(json.dumps([*versions, ruamel.yaml.__version__]).encode())
    try:
        for path in sorted(package.rglob("*.py")):
            h.update(path.relative_to(package).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    except OSError:
        return None
    return h.hexdigest()


def fingerprint(
    config: Config,
    *,
    today: date,
    tools: Mapping[str, CatalogueTool] | None,
    people: Mapping[str, DirectoryPerson] | None,
) -> str | None:
    """What every card's result in one run depends on besides the card, as one hash; None
    when it cannot be computed (the cache is then off)."""
    code = code_hash()
    if code is None:
        return None
    try:
        text = json.dumps(
            [
                FORMAT,
                code,
                canonical(config),
                today.isoformat(),
                canonical(tools),
                canonical(people),
            ]
        )
    except (TypeError, ValueError):
        return None
    return hashlib.sha256(text.encode()).hexdigest()


# -- entries ---------------------------------------------------------------------------------
def _plain(value: Any) -> bool:
    """Whether JSON gives `value` back as it is: no tuples, no mapping keys but strings
    (json.dumps would quietly turn both into something else). Other types json.dumps
    refuses, and so do NaN and infinities (allow_nan=False)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if not all(type(k) is str for k in item):
                return False
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, tuple):
            return False
    return True


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, allow_nan=False, separators=(",", ":"))


def _entry_key(file: Path, path: str, address: str) -> str:
    return _dumps([os.fspath(file), path, address])


def encode(card: CardFile) -> str | None:
    """The cache line of a checked card, or None when it cannot be stored exactly."""
    if not card.checked or card.digest is None:
        return None
    ctx = card.context
    if ctx is not None and card.observed is None:
        return None
    if any(f.code == E000.code or f.path != card.path for f in card.findings):
        return None
    meta = [
        [
            [f.line, f.column, f.code, f.name, f.severity.value, f.message, f.agent, list(f.key)]
            for f in card.findings
        ],
        _positions(card.source_map),
        card.data,
        sorted(ctx.tainted) if ctx is not None else None,
        None if card.observed is None else [list(o) for o in card.observed],
    ]
    if not _plain(card.data):
        return None
    try:
        model_text = ""
        if ctx is not None:
            model = ctx.model
            if isinstance(model, CardView):
                model = model._card
            if isinstance(model, LazyCard):  # from a pool worker: its values, as dumped there
                values = model.values
                model_text = pydantic_core.to_json(values).decode()
                meta.append(
                    pydantic_core.to_jsonable_python({k: values[k] for k in QUICK if k in values})
                )
            else:
                model_text = model.model_dump_json(exclude_unset=True, warnings=False)
                meta.append(
                    model.model_dump(
                        mode="json", include=set(QUICK), exclude_unset=True, warnings=False
                    )
                )
        meta_text = _dumps(meta)
    except (TypeError, ValueError, RecursionError):  # pydantic's errors are ValueErrors
        return None
    return f"{_entry_key(card.file, card.path, card.digest)}\t{meta_text}\t{model_text}\n"


def _entry(card: CardFile) -> str | None:
    """The card's cache line: made by the pool worker that read it (CardFile.entry, dropped
    here so the roster does not keep it), else now."""
    line, card.entry = card.entry, None
    return encode(card) if line is None else line or None


def _positions(smap: SourceMap) -> list[list[Any]]:
    """A source map as four lists: key paths and positions of values, then of keys."""
    return [
        list(map(list, smap.values)),
        list(map(list, smap.values.values())),
        list(map(list, smap.keys)),
        list(map(list, smap.keys.values())),
    ]


def _source_map(rows: list[list[Any]]) -> SourceMap:
    value_paths, value_positions, key_paths, key_positions = rows
    return SourceMap(
        dict(zip(map(tuple, value_paths), map(tuple, value_positions), strict=True)),
        dict(zip(map(tuple, key_paths), map(tuple, key_positions), strict=True)),
    )


_SEVERITY = {s.value: s for s in Severity}


# The fields roster-wide rules and waivers read of every card (graph, W001-W004, H rules): an
# entry holds them apart, so a warm lint validates these few and never the whole card.
QUICK = ("id", "status", "tier", "owner", "data", "waivers")


@functools.cache
def _field_adapters() -> dict[str, tuple[TypeAdapter[Any], Callable[[], Any]]]:
    """(validator, default) of each QUICK field, made on first use (start-up time)."""
    out = {}
    for name in QUICK:
        info = AgentCard.model_fields[name]
        assert info.annotation is not None
        # the type alone: the constraints (patterns, lengths) passed when the card was made
        adapter: TypeAdapter[Any] = TypeAdapter(info.annotation)
        # called directly: FieldInfo.get_default inspects the factory's signature every time
        factory = typing.cast("Callable[[], Any] | None", info.default_factory)
        out[name] = (adapter, factory or functools.partial(lambda v: v, info.default))
    return out


class StoredCard:
    """An AgentCard read back from the cache. The QUICK fields are validated one by one from
    the entry; reading anything else validates the whole card, once, from the JSON pydantic
    dumped, and reads it there (so `build`, `export` and the change review see a full model,
    equal to the one the cold run made: tests/test_cache.py compares every field)."""

    # a slot per QUICK field: rules read them without a __getattr__ call
    __slots__ = ("_card", "_text", *QUICK)

    def __init__(self, fields: dict[str, Any], text: str) -> None:
        self._text = text
        self._card: AgentCard | None = None
        for name, (adapter, default) in _field_adapters().items():
            if name in fields:
                setattr(self, name, adapter.validate_python(fields[name]))
            else:
                setattr(self, name, default())

    def full(self) -> AgentCard:
        """The whole card, validated on first use."""
        if self._card is None:
            self._card = AgentCard.model_validate_json(self._text)
        return self._card

    def __getattr__(self, name: str) -> Any:
        # only for what the slots do not hold; dunders and private names are probed by copy
        # and pickle, and are never the card's fields
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.full(), name)

    def __eq__(self, other: object) -> bool:
        return self.full() == (other.full() if isinstance(other, StoredCard) else other)

    __hash__ = None  # type: ignore[assignment]  # as the card's: it holds lists

    def __repr__(self) -> str:
        return repr(self.full())

    def __reduce__(self) -> tuple[Any, ...]:
        return (AgentCard.model_validate_json, (self._text,))


def decode(
    meta_text: str,
    model_text: str,
    *,
    file: Path,
    path: str,
    config: Config,
    today: date,
    still_true: Callable[[Any], bool],
) -> CardFile | None:
    """The card a cache line stands for, or None when its referenced files changed."""
    found, rows, data, tainted, observed, *quick = json.loads(meta_text)
    if not still_true(observed):
        return None
    smap = _source_map(rows)
    findings = [
        Finding(path, line, column, code, name, _SEVERITY[sev], message, agent, tuple(key))
        for line, column, code, name, sev, message, agent, key in found
    ]
    card = CardFile(file, path, data, smap, findings, checked=True)
    if observed is not None:
        card.observed = tuple((golden, rel, ref, lines) for golden, rel, ref, lines in observed)
    if model_text:
        stored = typing.cast(AgentCard, StoredCard(quick[0], model_text))
        view = Validated(stored, tainted=frozenset(tainted))
        model = view.view()
        assert model is not None
        card.context = CardContext(
            path=path,
            file=file,
            root=config.root,
            data=data if isinstance(data, dict) else {},
            model=model,
            source_map=smap,
            config=config,
            today=today,
            tainted=view.tainted,
        )
    return card


# -- the cache of one run --------------------------------------------------------------------
class CardCache:
    """The cached cards of one roster under one fingerprint: `lookup` before reading,
    `save` after."""

    def __init__(self, directory: Path, key: bytes, name: str, config: Config, today: date):
        self.directory = directory
        self.key = key
        self.name = name
        self.file = directory / f"{name}{SUFFIX}"
        self.config = config
        self.today = today
        self.lines: dict[str, str] = {}  # entry key -> the rest of its line, as read
        self.stored = 0  # entries in the file, superseded ones included
        self.valid = False  # the whole file was read and is authentic
        self.counts: dict[tuple[str, str], int | None] = {}  # golden sets counted this run
        self.hits: list[str | None] = []  # the line of each card looked up, when a hit

    @classmethod
    def open(
        cls,
        root: Path,
        config: Config,
        *,
        today: date,
        tools: Mapping[str, CatalogueTool] | None,
        people: Mapping[str, DirectoryPerson] | None,
        environ: Mapping[str, str] | None = None,
    ) -> CardCache | None:
        """The cache for this run, or None when it is off or cannot be used safely."""
        if not config.cache:
            return None
        wanted = cache_dir(environ)
        directory = usable_dir(wanted, root) if wanted is not None else None
        if directory is None:
            return None
        key = machine_key(directory)
        name = fingerprint(config, today=today, tools=tools, people=people)
        if key is None or name is None:
            return None
        return cls(directory, key, name, config, today)

    def _still_true(self, observed: Any, file: Path) -> bool:
        """Whether each file the card refers to still leads where it led when the entry was
        made (and a JSON Lines golden set still has as many non-blank lines)."""
        card_dir, root = os.path.dirname(os.fspath(file)), os.fspath(self.config.root)
        for golden, rel, ref, lines in observed or ():
            if resolve(card_dir, rel, root).value != ref:
                return False
            if golden and ref == Ref.OK.value and rel.lower().endswith(JSONL_SUFFIXES):
                now = self.counts.get((card_dir, rel), -1)
                if now == -1:
                    now = count_nonblank_lines(card_dir, rel, root, max_bytes=GOLDEN_SET_MAX_BYTES)
                    self.counts[card_dir, rel] = now
                if now != lines:
                    return False
        return True

    def _mac(self, body: bytes) -> str:
        return hmac.new(self.key, body, hashlib.sha256).hexdigest()

    def _load(self) -> None:
        """Read this fingerprint's file: its segments in order, up to the first that is not
        authentic (a later entry for the same key replaces an earlier one)."""
        raw = _read_private(self.file, MAX_FILE_BYTES)
        if raw is None:
            return
        magic, pos = _MAGIC.encode(), 0
        while pos < len(raw):
            end = raw.find(b"\n", pos, pos + 200)
            head = raw[pos:end]
            if end < 0 or not head.startswith(magic):
                break
            size_text, _, mac = head[len(magic) :].partition(b" ")
            size = int(size_text) if size_text.isdigit() else -1
            body = raw[end + 1 : end + 1 + size]
            if len(body) != size or not hmac.compare_digest(mac, self._mac(body).encode()):
                break
            try:
                first, _, text = body.decode("utf-8").partition("\n")
            except UnicodeDecodeError:  # pragma: no cover - an authentic file is UTF-8
                break
            if first != self.name:  # another fingerprint's file, renamed
                break
            pos = end + 1 + size
            for line in text.split("\n"):
                key, tab, rest = line.partition("\t")
                if tab:
                    self.lines[key] = rest
                    self.stored += 1
        self.valid = pos == len(raw)
        if pos:
            with contextlib.suppress(OSError):
                os.utime(self.file)  # recently used: kept when old files are pruned

    def lookup(self, items: Sequence[tuple[Path, str]]) -> list[CardFile | None]:
        """The cached card of each (file, path as reported), None for a miss."""
        self._load()
        self.hits = [None] * len(items)
        out: list[CardFile | None] = [None] * len(items)
        if not self.lines:
            return out
        limits = self.config.limits
        for index, (file, path) in enumerate(items):
            raw = read_file(file, limits)
            if not isinstance(raw, bytes):
                continue
            address = digest(raw)
            key = _entry_key(file, path, address)
            rest = self.lines.get(key)
            if rest is None:
                continue
            meta_text, _, model_text = rest.partition("\t")
            try:
                card = decode(
                    meta_text,
                    model_text,
                    file=file,
                    path=path,
                    config=self.config,
                    today=self.today,
                    still_true=functools.partial(self._still_true, file=file),
                )
            except Exception:  # a broken entry is a miss, whatever it raises
                card = None
            if card is not None:
                card.digest = address
                out[index] = card
                self.hits[index] = f"{key}\t{rest}\n"
        return out

    def save(self, cards: Sequence[CardFile]) -> None:
        """Store the entries of the cards read since `lookup`: appended to the file as one
        more segment, or, when the file is missing, damaged or more than half superseded
        entries, the file written again with the entries of `cards` alone (atomically).
        Never raises: a cache that cannot be written is a miss next time."""
        hits = self.hits if len(self.hits) == len(cards) else [None] * len(cards)
        new = [
            line
            for card, hit in zip(cards, hits, strict=True)
            if hit is None and (line := _entry(card))
        ]
        live = len(new) + sum(hit is not None for hit in hits)
        if self.valid and self.stored and self.stored + len(new) <= 2 * live:
            if new:
                self._append(self._segment(new))
                self._prune()
            return
        try:
            write_text_atomic(self.file, self._segment([h for h in hits if h] + new))
        except OSError:
            return
        self._prune()

    def _segment(self, lines: list[str]) -> str:
        body = self.name + "\n" + "".join(lines)
        size = len(body.encode("utf-8"))
        return f"{_MAGIC}{size} {self._mac(body.encode('utf-8'))}\n{body}"

    def _append(self, segment: str) -> None:
        """Add a segment at the end of the file in one write; a reader that meets a torn
        one stops there, and the next save writes the file again."""
        data = segment.encode("utf-8")
        try:
            fd = os.open(self.file, os.O_WRONLY | os.O_APPEND | _NOFOLLOW)
        except OSError:
            return
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size + len(data) > MAX_FILE_BYTES:
                return
            while data:
                data = data[os.write(fd, data) :]
        except OSError:
            return
        finally:
            os.close(fd)

    def _prune(self) -> None:
        """Keep the MAX_FILES most recently used cache files; drop temporary files that a
        crashed writer left."""
        now = time.time()
        kept: list[tuple[float, Path]] = []
        with contextlib.suppress(OSError), os.scandir(self.directory) as entries:
            for entry in entries:
                with contextlib.suppress(OSError):
                    info = entry.stat(follow_symlinks=False)
                    if entry.name.endswith(SUFFIX) and stat.S_ISREG(info.st_mode):
                        kept.append((info.st_mtime, Path(entry.path)))
                    elif entry.name.endswith(".tmp") and now - info.st_mtime > STALE_TEMP_SECONDS:
                        os.unlink(entry.path)
        kept.sort(reverse=True)
        for _, path in kept[MAX_FILES:]:
            with contextlib.suppress(OSError):
                os.unlink(path)
