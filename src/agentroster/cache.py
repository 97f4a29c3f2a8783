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
the fingerprint, then one line per card, `key<TAB>meta<TAB>positions<TAB>model`, each a JSON
text (the positions as sourcemap.PackedSourceMap holds them, the model as pydantic dumps it,
held as it is by a lazycard.LazyCard: neither is parsed until a rule needs it). The first
run writes one segment; a run that read some cards afresh appends one with their entries
(the other cards are not written again), until superseded entries outnumber live ones and
the file is written anew. Entries are written as the cards are read, to a temporary file beside the
cache file, whose header (a fixed width) is filled in at the end: no run holds them all.
Reading stops at the first segment that is not authentic (forged, planted, torn, written
under another key); an entry whose meta does not decode, or whose positions are not two
lists, is a miss. Any such failure means a cold read of that card, never a different
result and never an error: tests compare the reports of cold, warm and uncached runs byte
for byte. An authentic entry's positions and model text are read only when a rule needs
them, so they are trusted as written: only this agentroster, holding the key, writes
authentic entries (and whoever holds the key can write any result anyway: SECURITY.md).

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
import tempfile
import time
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields, is_dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from agentroster import __version__
from agentroster.catalogues import CatalogueTool, DirectoryPerson
from agentroster.config import Config
from agentroster.context import CardContext, CardFile, Observed
from agentroster.findings import E000, Finding, Severity
from agentroster.lazycard import PLAIN_FIELDS, LazyCard
from agentroster.loader import read_file
from agentroster.model import AgentCard
from agentroster.references import Ref, count_nonblank_lines, resolve
from agentroster.rules.lifecycle import GOLDEN_SET_MAX_BYTES, JSONL_SUFFIXES
from agentroster.sourcemap import PackedSourceMap
from agentroster.validate import CardView, FieldUnavailable, Validated

FORMAT = 2  # bump when the file layout or the meaning of an entry changes
ENV = "AGENTROSTER_CACHE_DIR"
KEY_FILE = "key"
KEY_BYTES = 32
SUFFIX = ".cards"
MAX_FILES = 8  # cache files kept: one per roster and configuration (and day) in use
MAX_FILE_BYTES = 1 << 30  # a larger file is not read
STALE_TEMP_SECONDS = 3600  # a writer's temporary file older than this was left by a crash
_MAGIC = f"agentroster-cache {FORMAT} "
_SIZE_DIGITS = 12  # a segment's size in its header, zero-padded (MAX_FILE_BYTES has 10)


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
    line = _line(card, encode_head(card))
    return None if line is None else line.decode("utf-8")


def _lazy(card: CardFile) -> LazyCard | None:
    """The card's model as the entry holds it; None when there is none or it cannot be held."""
    if card.context is None:
        return None
    model = card.context.model
    if isinstance(model, CardView):
        model = model._card
    return model if isinstance(model, LazyCard) else LazyCard.of(model)


def encode_head(card: CardFile) -> str | None:
    """The start of a checked card's cache line, its key and meta, or None when it cannot be
    stored exactly. A pool worker makes it (CardFile.entry); the rest of the line, the
    positions and the model's text, the main process holds already (`_line`)."""
    if not card.checked or card.digest is None:
        return None
    ctx = card.context
    if ctx is not None and card.observed is None:
        return None
    if any(f.code == E000.code or f.path != card.path for f in card.findings):
        return None
    if not _plain(card.data):
        return None
    lazy = _lazy(card)
    if ctx is not None and lazy is None:
        return None
    meta = [
        [
            [f.line, f.column, f.code, f.name, f.severity.value, f.message, f.agent, list(f.key)]
            for f in card.findings
        ],
        card.data,
        sorted(ctx.tainted) if ctx is not None else None,
        None if card.observed is None else [list(o) for o in card.observed],
    ]
    if lazy is not None:
        meta += [lazy.plain, ",".join(sorted(lazy.fields_set)), sorted(lazy.classes)]
    try:
        meta_text = _dumps(meta)
    except (TypeError, ValueError, RecursionError):
        return None
    return f"{_entry_key(card.file, card.path, card.digest)}\t{meta_text}"


def _line(card: CardFile, head: str | None) -> bytes | None:
    """The whole cache line of a card from its head: then its positions and model's text."""
    if not head:
        return None
    lazy = _lazy(card)
    if card.context is not None and lazy is None:
        return None
    model = lazy.text if lazy is not None else b""
    return b"%s\t%s\t%s\n" % (head.encode("utf-8"), card.source_map.pack().encode(), model)


def _entry(card: CardFile) -> bytes | None:
    """The card's cache line: its head made by the pool worker that read it (CardFile.entry,
    dropped here so the roster does not keep it), else now."""
    head, card.entry = card.entry, None
    return _line(card, encode_head(card) if head is None else head)


_SEVERITY = {s.value: s for s in Severity}


@functools.lru_cache(maxsize=256)
def _field_names(joined: str) -> frozenset[str]:
    """The field set an entry names (comma-joined): the cards of a roster share a few."""
    return frozenset(joined.split(",")) if joined else frozenset()


def decode(
    entry: str | bytes,
    *,
    file: Path,
    path: str,
    config: Config,
    today: date,
    still_true: Callable[[Any], bool],
) -> CardFile | None:
    """The card a cache line stands for (`entry`: the line after its key), or None when its
    referenced files changed. Its positions stay JSON text until a rule asks for one."""
    raw = entry.encode() if isinstance(entry, str) else entry
    meta_text, positions, model_text = raw.split(b"\t")
    found, data, tainted, observed, *lazy = json.loads(meta_text)
    if not still_true(observed):
        return None
    if not (positions.startswith(b"[[") and positions.endswith(b"]]")):
        return None  # read when a rule asks for a position; only its shape is checked here
    smap = PackedSourceMap(positions.decode())
    findings = [
        Finding(path, line, column, code, name, _SEVERITY[sev], message, agent, tuple(key))
        for line, column, code, name, sev, message, agent, key in found
    ]
    card = CardFile(file, path, data, smap, findings, checked=True)
    if observed is not None:
        card.observed = tuple((golden, rel, ref, lines) for golden, rel, ref, lines in observed)
    if model_text:
        plain, joined, classes = lazy
        names = _field_names(joined)
        if not (isinstance(plain, dict) and plain.keys() <= names and plain.keys() <= PLAIN_FIELDS):
            return None
        stored = LazyCard(model_text, plain, names, frozenset(classes))
        view = Validated(typing.cast(AgentCard, stored), tainted=frozenset(tainted))
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
    """The cached cards of one roster under one fingerprint: `lookup` before reading, `add`
    for each card read afresh, then `finish` (or `discard`, when the run fails)."""

    def __init__(self, directory: Path, key: bytes, name: str, config: Config, today: date):
        self.directory = directory
        self.key = key
        self.name = name
        self.file = directory / f"{name}{SUFFIX}"
        self.config = config
        self.today = today
        self.lines: dict[str, bytes] = {}  # entry key -> the rest of its line, as read
        self.stored = 0  # entries in the file, superseded ones included
        self.valid = False  # the whole file was read and is authentic
        self.counts: dict[tuple[str, str], int | None] = {}  # golden sets counted this run
        # (key, the rest of its line) of each card looked up, when a hit
        self.hits: list[tuple[str, bytes] | None] = []
        # the new segment `add` writes: its temporary file, open file, MAC so far, size
        self._temp = ""
        self._out: typing.BinaryIO | None = None
        self._mac_of_new: hmac.HMAC | None = None
        self._size = 0
        self._new = 0  # entries in it
        self._failed = False

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

    def _load(self) -> None:
        """Read this fingerprint's file: its segments in order, up to the first that is not
        authentic (a later entry for the same key replaces an earlier one)."""
        raw = _read_private(self.file, MAX_FILE_BYTES)
        if raw is None:
            return
        magic, pos, name = _MAGIC.encode(), 0, self.name.encode() + b"\n"
        view = memoryview(raw)  # the segments are hashed where they lie, not copied
        while pos < len(raw):
            end = raw.find(b"\n", pos, pos + 200)
            head = raw[pos:end]
            if end < 0 or not head.startswith(magic):
                break
            size_text, _, mac = head[len(magic) :].partition(b" ")
            size = int(size_text) if size_text.isdigit() else -1
            body = view[end + 1 : end + 1 + size]
            if len(body) != size or not hmac.compare_digest(mac, self._mac(body).encode()):
                break
            if not raw.startswith(name, end + 1):  # another fingerprint's file, renamed
                break
            pos = end + 1 + size
            self._entries(raw, end + 1 + len(name), pos)
        view.release()
        self.valid = pos == len(raw)
        if pos:
            with contextlib.suppress(OSError):
                os.utime(self.file)  # recently used: kept when old files are pruned

    def _entries(self, raw: bytes, start: int, stop: int) -> None:
        """Take the entries of one authentic segment body, `raw[start:stop]`, line by line
        (each line's key as text, the rest as bytes, decoded only when looked up)."""
        while start < stop:
            end = raw.find(b"\n", start, stop)
            end = stop if end < 0 else end
            tab = raw.find(b"\t", start, end)
            if tab >= 0:
                try:
                    self.lines[raw[start:tab].decode("utf-8")] = raw[tab + 1 : end]
                except UnicodeDecodeError:  # pragma: no cover - an authentic file is UTF-8
                    pass
                else:
                    self.stored += 1
            start = end + 1

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
            try:
                card = decode(
                    rest,
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
                self.hits[index] = (key, rest)
        self.lines = {}  # the hits hold what a file written again needs
        return out

    def add(self, card: CardFile) -> None:
        """Write the entry of a card read afresh (after `lookup`) to this run's new segment
        at once, and drop it from the card, so that no run holds every entry in memory.
        Never raises: a cache that cannot be written is a miss next time."""
        line = _entry(card)
        if line and self._write(line):
            self._new += 1

    def finish(self) -> None:
        """Store what `add` wrote: appended to the file as one more segment, or, when the file
        is missing, damaged or more than half superseded entries, the file written again
        with this run's entries alone (atomically). Never raises."""
        live = self._new + sum(hit is not None for hit in self.hits)
        append = self.valid and self.stored > 0 and self.stored + self._new <= 2 * live
        try:
            if append and not self._new:
                self.discard()
                self._prune()
                return
            if not append:
                for hit in self.hits:
                    if hit is not None:
                        self._write(b"%s\t%s\n" % (hit[0].encode("utf-8"), hit[1]))
            if self._out is None and not self._failed:
                self._start()
            if self._failed or self._out is None or self._mac_of_new is None:
                return
            out, self._out = self._out, None
            with out:
                out.seek(0)
                out.write(self._header(self._size, self._mac_of_new.hexdigest()))
            if append:
                self._append_file(self._temp)
                os.unlink(self._temp)
            else:
                os.replace(self._temp, self.file)
            self._temp = ""
        except OSError:
            pass
        finally:
            self.discard()
        self._prune()

    def _write(self, line: bytes) -> bool:
        """Add one line to the new segment; False when the cache cannot be written."""
        if self._failed:
            return False
        try:
            if self._out is None:
                self._start()
            assert self._out is not None and self._mac_of_new is not None
            self._out.write(line)
        except (OSError, ValueError):
            self._fail()
            return False
        self._mac_of_new.update(line)
        self._size += len(line)
        return True

    def discard(self) -> None:
        """Drop what `add` wrote and has not been stored (on an error, or when nothing is new)."""
        out, self._out = self._out, None
        if out is not None:
            with contextlib.suppress(OSError):
                out.close()
        if self._temp:
            with contextlib.suppress(OSError):
                os.unlink(self._temp)
            self._temp = ""

    def _fail(self) -> None:
        self._failed = True
        self.discard()

    def _start(self) -> None:
        """Open the new segment: a temporary file beside the cache file (mode 0600, made
        afresh), its header left blank until `finish` knows the size and the MAC."""
        fd, self._temp = tempfile.mkstemp(
            prefix=f".{self.name}.", suffix=".tmp", dir=self.directory
        )
        self._out = os.fdopen(fd, "wb")
        first = (self.name + "\n").encode("utf-8")
        self._out.write(self._header(0, "0" * 64))
        self._out.write(first)
        self._mac_of_new = hmac.new(self.key, first, hashlib.sha256)
        self._size = len(first)

    @staticmethod
    def _header(size: int, mac: str) -> bytes:
        # a fixed width (the size zero-padded), so that `finish` can write it over the blank
        return f"{_MAGIC}{size:0{_SIZE_DIGITS}d} {mac}\n".encode("ascii")

    def _mac(self, body: bytes | memoryview) -> str:
        return hmac.new(self.key, body, hashlib.sha256).hexdigest()

    def _append_file(self, segment: str) -> None:
        """Add the segment in the file `segment` at the end of the cache file. A reader that
        meets a torn one (a crash, or another run appending at once) stops there, and the
        next run writes the file again."""
        try:
            fd = os.open(self.file, os.O_WRONLY | os.O_APPEND | _NOFOLLOW)
        except OSError:
            return
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return
            if info.st_size + os.path.getsize(segment) > MAX_FILE_BYTES:
                return
            with open(segment, "rb") as source:
                while chunk := source.read(1 << 20):
                    while chunk:
                        chunk = chunk[os.write(fd, chunk) :]
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
