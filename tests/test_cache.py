"""The cache of unchanged cards: the same report, byte for byte, cold, warm and uncached; every
input a card's result depends on invalidates it; a damaged, forged or misplaced cache is never
trusted and never an error."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os
import pickle
import shutil
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from agentroster import cache, parallel, pipeline, rules
from agentroster.cache import ENV, KEY_FILE, MAX_FILES, SUFFIX, CardCache, cache_dir
from agentroster.cli import main
from agentroster.context import CardFile
from agentroster.findings import E000, Finding, Severity
from agentroster.lazycard import LazyCard
from agentroster.model import AgentCard
from agentroster.pipeline import configure, lint_roster, load_roster
from agentroster.report import RenderOptions, reporter
from agentroster.sourcemap import SourceMap
from tests.conftest import EXAMPLES, TODAY

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import generate

_MAGIC = f"agentroster-cache {cache.FORMAT} ".encode()
REAL_OPEN = CardCache.__dict__["open"]  # conftest turns the cache off in every other test
CARDS = len(list((EXAMPLES / "roster").rglob("*.agent.yaml")))  # in the example roster


@pytest.fixture
def user_cache(tmp_path_factory, monkeypatch) -> Path:
    """The cache on, in a folder of this test's own."""
    folder = tmp_path_factory.mktemp("home") / "cache" / "agentroster"
    monkeypatch.setenv(ENV, str(folder))
    monkeypatch.setattr(CardCache, "open", REAL_OPEN)
    return folder


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The paths of the cards read (not taken from the cache) on the serial path."""
    seen: list[str] = []
    real = pipeline.read_card

    def counting(file: Path, **kwargs: Any) -> CardFile:
        seen.append(kwargs["path"])
        return real(file, **kwargs)

    monkeypatch.setattr(pipeline, "read_card", counting)
    return seen


@pytest.fixture
def example(tmp_path) -> Path:
    root = tmp_path / "roster"
    shutil.copytree(EXAMPLES / "roster", root)
    return root


def rendered(root: Path, *, use_cache: bool = True, today=TODAY, cwd: Path | None = None) -> str:
    report = lint_roster(
        root, configure(root), today=today, cwd=cwd or root, cache=use_cache, jobs=1
    )
    return reporter("json")(report, RenderOptions())


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{SUFFIX}")) if folder.is_dir() else []


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["lint", "--today", TODAY.isoformat(), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


# -- the same bytes, cold and warm, with any -j ------------------------------------------------
@pytest.mark.parametrize("name", ["roster", "broken"])
@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_reports_are_identical_cold_warm_uncached_and_across_jobs(
    name, fmt, user_cache, reads, monkeypatch
):
    root = str(EXAMPLES / name)
    uncached = cli("--no-cache", "-j", "1", "--format", fmt, root)
    assert not user_cache.exists()  # --no-cache neither reads nor writes the cache
    cold = cli("-j", "1", "--format", fmt, root)
    cards = len(reads)
    assert cards > 5 and len(cache_files(user_cache)) == 1
    reads.clear()
    warm = cli("-j", "1", "--format", fmt, root)
    assert reads == []  # every card came from the cache
    monkeypatch.setattr(parallel, "MIN_CARDS", 1)  # the examples are small: force the pool
    warm_pool = cli("-j", "2", "--format", fmt, root)
    shutil.rmtree(user_cache)
    cold_pool = cli("-j", "2", "--format", fmt, root)  # entries made by the workers
    warm_after_pool = cli("-j", "1", "--format", fmt, root)
    assert reads == []
    assert uncached == cold == warm == warm_pool == cold_pool == warm_after_pool
    if name == "broken":
        assert uncached[0] == 1 and "C002" in uncached[1]


def test_generated_roster_with_defects_is_identical_warm(tmp_path, user_cache, reads):
    root = tmp_path / "gen"
    cards = generate(root, 60)
    cards[3].write_text(cards[3].read_text().replace("tier: ", "tier: [", 1))
    cards[7].write_text(cards[7].read_text().replace("audit: {enabled: true", "audit: {x: 1"))
    cold = rendered(root)
    assert '"C001"' in cold and '"C003"' in cold
    reads.clear()
    assert rendered(root) == cold == rendered(root, use_cache=False)
    assert len(reads) == 60  # 60 of 61 were hits: the card with invalid YAML is stored too
    assert '"path": "' in cold


# -- what invalidates an entry -----------------------------------------------------------------
def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write(text)


NOTES = "productivity/meeting-notes.agent.yaml"


def _drop_audit(r: Path) -> None:
    _edit(r / NOTES, "audit: {enabled: true, retention_days: 90}\n", "")


def _raise_golden_minimum(r: Path) -> None:
    _edit(r / "agentroster.toml", "min-golden-cases = 100", "min-golden-cases = 200")


def _rename_tool(r: Path) -> None:
    _edit(r / "agentroster.tools.yaml", "id: transcripts.read,", "id: transcripts.list,")


def _owner_departs(r: Path) -> None:
    _edit(r / "agentroster.people.yaml", "Patel, status: active", "Patel, status: departed")


def _remove_runbook(r: Path) -> None:
    (r / "productivity/runbooks/stuck-loop.md").unlink()


def _grow_golden_set(r: Path) -> None:
    _append(r / "productivity/evals/notes-golden.jsonl", '{"x": 1}\n')


def _rename_card(r: Path) -> None:
    (r / NOTES).rename(r / "productivity/notes.agent.yaml")


@pytest.mark.parametrize(
    ("change", "appears"),
    [
        (_drop_audit, "B"),
        (_raise_golden_minimum, "L002"),
        (_rename_tool, "A005"),
        (_owner_departs, "B006"),
        (_remove_runbook, "L003"),
        (_grow_golden_set, "L009"),
        (_rename_card, "C006"),
    ],
)
def test_each_input_of_a_card_invalidates_it(example, user_cache, change, appears):
    before = rendered(example)
    assert rendered(example) == before
    change(example)
    warm = rendered(example)
    assert warm == rendered(example, use_cache=False)
    assert warm != before and f'"code": "{appears}' in warm


def test_a_runbook_that_appears_again_clears_the_finding(example, user_cache):
    runbook = example / "productivity/runbooks/stuck-loop.md"
    text = runbook.read_text()
    runbook.unlink()
    missing = rendered(example)
    assert '"L003"' in missing
    runbook.write_text(text)
    assert rendered(example) == rendered(example, use_cache=False)
    assert '"L003"' not in rendered(example)


def test_a_runbook_replaced_by_a_link_out_of_the_roster(example, user_cache, tmp_path):
    rendered(example)
    outside = tmp_path / "outside.md"
    outside.write_text("# elsewhere\n")
    runbook = example / "productivity/runbooks/stuck-loop.md"
    runbook.unlink()
    runbook.symlink_to(outside)
    warm = rendered(example)
    assert '"X003"' in warm and warm == rendered(example, use_cache=False)


def test_another_day_and_another_working_directory(example, user_cache, reads):
    rendered(example)
    later = TODAY.replace(year=TODAY.year + 1)
    reads.clear()
    warm = rendered(example, today=later)
    assert len(reads) == CARDS  # a new day reads every card again
    assert warm == rendered(example, use_cache=False, today=later)
    assert '"T004"' in warm and '"T004"' not in rendered(example)
    broken = EXAMPLES / "broken"
    rendered(broken, cwd=broken)
    shown = rendered(broken, cwd=EXAMPLES)  # findings carry the path as reported
    assert '"path": "broken/' in shown
    assert shown == rendered(broken, use_cache=False, cwd=EXAMPLES)


def test_the_selection_is_part_of_the_key(example, user_cache):
    config = configure(example)
    full = lint_roster(example, config, today=TODAY, cwd=example, cache=True)
    narrow = dataclasses.replace(config, ignore=("L",))
    once = lint_roster(example, narrow, today=TODAY, cwd=example, cache=True)
    again = lint_roster(example, narrow, today=TODAY, cwd=example, cache=True)
    assert once == again and len(cache_files(user_cache)) == 2
    assert full != once or not any(f.code.startswith("L") for f in full.findings)


def test_code_changes_are_part_of_the_key(example, user_cache, reads, monkeypatch):
    rendered(example)
    reads.clear()
    monkeypatch.setattr(cache, "code_hash", lambda: "edited")
    rendered(example)
    assert len(reads) == CARDS


# -- a cache that is damaged, forged or in the wrong place -----------------------------------
def _tamper(folder: Path, edit) -> None:
    (entries,) = cache_files(folder)
    entries.write_bytes(edit(entries.read_bytes()))


def _forged_line(raw: bytes) -> bytes:
    """Every entry claims the card is clean: a finding-free meta with a valid shape, under
    the old HMAC and the new length."""
    head, body = raw.split(b"\n", 1)
    lines = body.split(b"\n")
    out = [lines[0]]
    for line in lines[1:-1]:
        key, meta, *rest = line.split(b"\t")
        parts = json.loads(meta)
        parts[0] = []
        out.append(b"\t".join([key, json.dumps(parts).encode(), *rest]))
    body = b"\n".join([*out, b""])
    magic, _, mac = head.rpartition(b" ")
    magic = magic[: magic.rindex(b" ") + 1]
    return magic + str(len(body)).encode() + b" " + mac + b"\n" + body


def _resigned(folder: Path, edit) -> None:
    """Edit the body and sign it again with the real key: an authentic but broken file."""
    key = (folder / KEY_FILE).read_bytes()

    def change(raw: bytes) -> bytes:
        head, body = raw.split(b"\n", 1)
        body = edit(body)
        magic = head[: head.rindex(b" ")]
        magic = magic[: magic.rindex(b" ") + 1]
        mac = hmac.new(key, body, hashlib.sha256).hexdigest().encode()
        return magic + str(len(body)).encode() + b" " + mac + b"\n" + body

    _tamper(folder, change)


@pytest.mark.parametrize(
    "damage",
    [
        _forged_line,
        lambda raw: raw[: len(raw) // 2],
        lambda raw: b"\x00\xff garbage \x89PNG" * 50,
        lambda raw: b"",
        lambda raw: raw.replace(_MAGIC, b"agentroster-cache 9 ", 1),
    ],
    ids=["forged", "truncated", "garbage", "empty", "other-format"],
)
def test_a_damaged_or_forged_file_is_a_cold_run(damage, user_cache):
    root = EXAMPLES / "broken"
    cold = rendered(root, use_cache=False)
    assert rendered(root) == cold
    _tamper(user_cache, damage)
    assert rendered(root) == cold
    assert rendered(root) == cold  # and the file written again is good


def _each_line(body: bytes, field: Callable[[list[bytes]], bytes]) -> bytes:
    """`body` with the positions of each entry (its third field) made by `field`."""
    name, *lines = body.split(b"\n")
    out = [name]
    for line in lines:
        fields = line.split(b"\t")
        if len(fields) == 4:
            fields[2] = field(fields)
        out.append(b"\t".join(fields))
    return b"\n".join(out)


@pytest.mark.parametrize(
    "edit",
    [
        lambda body: body.replace(b"\t[[", b"\t[7,[", 1),  # the wrong shape
        lambda body: _each_line(body, lambda fields: fields[2].replace(b"[", b"{", 1)),
        lambda body: b"0" * 64 + body[64:],  # another fingerprint's file
    ],
    ids=["shape", "positions", "fingerprint"],
)
def test_an_authentic_entry_that_does_not_rebuild_is_read_again(edit, user_cache):
    root = EXAMPLES / "broken"
    cold = rendered(root, use_cache=False)
    rendered(root)
    _resigned(user_cache, edit)
    assert rendered(root) == cold


def test_the_hmac_is_what_makes_an_entry_trusted(user_cache):
    # so the key must stay private (SECURITY.md): whoever holds it can write any result
    root = EXAMPLES / "broken"
    rendered(root)
    _resigned(user_cache, lambda body: body.replace(b"cannot be undone", b"FORGED"))
    assert "FORGED" in rendered(root)


def test_another_key_makes_every_entry_a_miss(user_cache, reads):
    root = EXAMPLES / "roster"
    cold = rendered(root)
    (user_cache / KEY_FILE).write_bytes(os.urandom(32))
    reads.clear()
    assert rendered(root) == cold and len(reads) == CARDS
    reads.clear()
    assert rendered(root) == cold and reads == []  # written again under the new key


def _open_to_others(key: Path) -> None:
    key.chmod(0o644)


def _wrong_size(key: Path) -> None:
    key.write_bytes(b"short")


def _a_link(key: Path) -> None:
    elsewhere = key.with_name("elsewhere")
    elsewhere.write_bytes(os.urandom(32))
    elsewhere.chmod(0o600)
    key.unlink()
    key.symlink_to(elsewhere)


def _a_folder(key: Path) -> None:
    key.unlink()
    key.mkdir()


@pytest.mark.parametrize("spoil", [_open_to_others, _wrong_size, _a_link, _a_folder])
def test_a_key_we_did_not_make_turns_the_cache_off(spoil, user_cache, reads):
    root = EXAMPLES / "roster"
    cold = rendered(root)
    spoil(user_cache / KEY_FILE)
    (entries,) = cache_files(user_cache)
    entries.unlink()
    reads.clear()
    assert rendered(root) == cold and len(reads) == CARDS
    assert cache_files(user_cache) == []  # nothing written either


@pytest.mark.parametrize("kind", ["file", "writable-by-others", "inside-the-roster"])
def test_an_unusable_cache_folder_is_a_cold_run(kind, example, monkeypatch, tmp_path, user_cache):
    cold = rendered(example, use_cache=False)
    if kind == "file":
        folder = tmp_path / "not-a-folder"
        folder.write_text("")
    elif kind == "writable-by-others":
        folder = tmp_path / "shared"
        folder.mkdir()
        folder.chmod(0o777)
    else:
        folder = example / ".cache" / "agentroster"
    monkeypatch.setenv(ENV, str(folder))
    assert rendered(example) == cold
    assert not (example / ".cache").exists()  # never made inside the roster
    assert cache_files(folder) == []


def test_a_link_to_the_roster_counts_as_inside(example, monkeypatch, tmp_path, user_cache):
    link = tmp_path / "link"
    link.symlink_to(example)
    monkeypatch.setenv(ENV, str(link / "cache"))
    rendered(example)
    assert not (example / "cache").exists()


def test_the_folder_and_the_key_are_private(user_cache):
    rendered(EXAMPLES / "roster")
    assert stat.S_IMODE(user_cache.stat().st_mode) == 0o700
    key = user_cache / KEY_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and key.stat().st_size == 32
    (entries,) = cache_files(user_cache)
    assert stat.S_IMODE(entries.stat().st_mode) == 0o600
    first = key.read_bytes()
    rendered(EXAMPLES / "broken")
    assert key.read_bytes() == first  # made once, then reused


def test_config_cache_false_turns_it_off(example, user_cache, reads):
    config = example / "agentroster.toml"
    config.write_text("cache = false\n" + config.read_text())
    rendered(example)
    rendered(example)
    assert len(reads) == 2 * CARDS and not user_cache.exists()


def test_where_the_cache_lives(monkeypatch, tmp_path):
    home = {"HOME": str(tmp_path)}
    assert cache_dir({**home, ENV: "/x/y", "XDG_CACHE_HOME": "/c"}) == Path("/x/y")
    assert cache_dir({**home, "XDG_CACHE_HOME": "/c"}) == Path("/c/agentroster")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_dir({"XDG_CACHE_HOME": "relative"}) == tmp_path / ".cache" / "agentroster"
    assert cache_dir({ENV: ""}) == tmp_path / ".cache" / "agentroster"
    monkeypatch.delenv("HOME")
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: (_ for _ in ()).throw(RuntimeError)))
    assert cache_dir({}) is None


def test_old_files_are_pruned(user_cache, example):
    rendered(example)
    for n in range(MAX_FILES + 3):
        stale = user_cache / f"{n:064d}{SUFFIX}"
        stale.write_text("old")
        os.utime(stale, (1000 + n, 1000 + n))
    crashed = user_cache / ".left-by-a-crash.tmp"
    crashed.write_text("")
    os.utime(crashed, (1000, 1000))
    _edit(example / NOTES, "tier: 3", "tier: 2")  # something to write
    rendered(example)
    assert len(cache_files(user_cache)) == MAX_FILES and not crashed.exists()


# -- entries ---------------------------------------------------------------------------------
def _fields_set(model: Any) -> Any:
    if hasattr(model, "model_fields_set"):
        return (
            type(model).__name__,
            sorted(model.model_fields_set),
            {name: _fields_set(getattr(model, name)) for name in type(model).model_fields},
        )
    if isinstance(model, list):
        return [_fields_set(v) for v in model]
    return (type(model).__name__, model)


@pytest.mark.parametrize("name", ["roster", "broken", "generated"])
def test_every_card_reads_back_exactly(name, tmp_path):
    root = EXAMPLES / name if name != "generated" else tmp_path / "gen"
    if name == "generated":
        generate(root, 40)
    config = configure(root)
    roster = load_roster(root, config, today=TODAY, cwd=root)
    stored = 0
    for card in roster.files:
        line = cache.encode(card)
        if line is None:
            continue
        stored += 1
        _, _, rest = line.rstrip("\n").partition("\t")
        back = cache.decode(
            rest, file=card.file, path=card.path, config=config, today=TODAY,
            still_true=lambda observed: True,
        )  # fmt: skip
        assert back is not None
        assert [dataclasses.astuple(f) for f in back.findings] == [
            dataclasses.astuple(f) for f in card.findings
        ]
        assert back.source_map == card.source_map and back.data == card.data
        assert back.observed == card.observed and back.checked
        if card.context is None:
            assert back.context is None
            continue
        assert back.context is not None and back.context.tainted == card.context.tainted
        for field in AgentCard.model_fields if not card.context.tainted else ():
            assert _fields_set(getattr(back.context.model, field)) == _fields_set(
                getattr(card.context.model, field)
            )
        assert back.context.agent == card.context.agent
    assert stored >= len(roster.files) - 2


def _card(findings: list[Finding], data: Any = None) -> CardFile:
    card = CardFile(Path("/r/a.agent.yaml"), "a.agent.yaml", data, SourceMap(), findings)
    card.checked, card.digest = True, "0" * 64
    return card


def test_what_is_never_stored():
    ok = Finding("a.agent.yaml", 1, 1, "C002", "schema", Severity.ERROR, "m")
    assert cache.encode(_card([ok], {"id": "a"})) is not None
    crash = dataclasses.replace(ok, code=E000.code)
    assert cache.encode(_card([crash])) is None  # an internal error may be gone next run
    assert cache.encode(_card([dataclasses.replace(ok, path="other")])) is None
    assert cache.encode(_card([], {1: "int key"})) is None  # JSON would make it "1"
    assert cache.encode(_card([], {"x": (1, 2)})) is None  # ... and this a list
    assert cache.encode(_card([], {"x": float("nan")})) is None
    unchecked = _card([])
    unchecked.checked = False
    assert cache.encode(unchecked) is None


def _boom(card: Any) -> Any:
    raise ZeroDivisionError("division by zero")
    yield  # pragma: no cover


def test_a_card_with_an_internal_error_is_read_every_time(example, user_cache, reads, monkeypatch):
    patched = tuple(
        dataclasses.replace(r, check=_boom) if r.code == "B002" else r for r in rules.RULES
    )
    monkeypatch.setattr(pipeline, "RULES", patched)
    first = rendered(example)
    assert '"E000"' in first
    reads.clear()
    assert rendered(example) == first == rendered(example, use_cache=False)
    assert len(reads) == 2 * CARDS  # a crash may be gone next run: never stored


def test_lint_base_and_build_use_the_cache_with_the_same_result(example, user_cache, tmp_path):
    base = tmp_path / "base"
    shutil.copytree(example, base)
    _edit(example / NOTES, "tier: 3", "tier: 2")
    args = ["--base-dir", str(base), "--format", "json", str(example)]
    assert cli(*args) == cli(*args) == cli("--no-cache", *args)
    outs = []
    for n, flags in enumerate([[], [], ["--no-cache"]]):
        out = tmp_path / f"out{n}"
        args = ["build", "--allow-errors", "--out", str(out), *flags, str(example)]
        run = CliRunner().invoke(main, args)
        assert run.exit_code == 0, run.output
        outs.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert outs[0] == outs[1] == outs[2]


def test_a_warm_lint_validates_only_the_fields_roster_rules_read(tmp_path, user_cache, monkeypatch):
    root = tmp_path / "gen"
    generate(root, 30)
    cold = rendered(root)
    built: list[bytes] = []
    real = LazyCard.card.fget
    assert real is not None

    def counting(self: LazyCard) -> Any:
        built.append(self.text)
        return real(self)

    monkeypatch.setattr(LazyCard, "card", property(counting))
    assert rendered(root) == cold
    assert built == []


def test_a_stored_card_behaves_as_the_card(example):
    config = configure(example)
    roster = load_roster(example, config, today=TODAY, cwd=example)
    card = roster.files[0]
    assert card.context is not None
    _, _, rest = cache.encode(card).rstrip("\n").partition("\t")
    stored = cache.decode(
        rest, file=card.file, path=card.path, config=config, today=TODAY,
        still_true=lambda observed: True,
    ).context.model  # fmt: skip
    original = card.context.model
    assert isinstance(stored, LazyCard) and stored._card is None  # decoding made no model
    assert stored == original
    assert repr(stored) == repr(original)
    for card_model in (stored, original):
        with pytest.raises(TypeError):
            hash(card_model)
    assert pickle.loads(pickle.dumps(stored)) == original
    assert stored.model_copy(update={"id": "x"}).id == "x"
    with pytest.raises(AttributeError):
        stored.__wrapped__  # noqa: B018 - a dunder the card does not have


def _segments(folder: Path) -> int:
    (entries,) = cache_files(folder)
    return entries.read_bytes().count(f"agentroster-cache {cache.FORMAT} ".encode())


def test_changed_cards_are_appended_and_the_file_compacted(example, user_cache, reads):
    cold = rendered(example, use_cache=False)
    assert rendered(example) == cold and _segments(user_cache) == 1
    assert rendered(example) == cold and _segments(user_cache) == 1  # nothing to write
    notes = example / NOTES
    text = notes.read_text()
    for n in range(3):
        notes.write_text(text + f"# edit {n}\n")
        reads.clear()
        warm = rendered(example)
        assert reads == [NOTES]
        assert warm == rendered(example, use_cache=False)
        assert _segments(user_cache) == 2 + n  # one more segment with the edited card
    for card in example.rglob("*.agent.yaml"):  # every card changed: more stale than live
        card.write_text(card.read_text() + "# again\n")
    assert rendered(example) == rendered(example, use_cache=False)
    assert _segments(user_cache) == 1  # written again, with the live entries alone


def test_a_torn_append_keeps_the_segments_before_it(example, user_cache, reads):
    rendered(example)
    _append(example / NOTES, "# edited\n")
    rendered(example)
    (entries,) = cache_files(user_cache)
    raw = entries.read_bytes()
    entries.write_bytes(raw[:-10])  # the second segment cut short
    reads.clear()
    warm = rendered(example)
    assert reads == [NOTES]  # the first segment still served the other cards
    assert warm == rendered(example, use_cache=False)
    assert _segments(user_cache) == 1  # and the file was written again


def test_a_card_whose_references_failed_validation(roster, user_cache, reads):
    from tests.conftest import CLEAN_CARD

    root = roster({"notes-helper.agent.yaml": CLEAN_CARD + "runbooks: 3\n"})
    cold = rendered(root)
    assert '"C002"' in cold
    reads.clear()
    assert rendered(root) == cold and reads == []  # stored: its rules saw no reference


def test_canonical_forms_and_what_has_none(user_cache, example):
    assert cache.canonical(frozenset({"b", "a"})) == ["a", "b"]
    assert cache.canonical({"z": 1, "a": (2,)}) == [["a", [2]], ["z", 1]]
    assert cache.canonical(Severity.ERROR) == "error"
    with pytest.raises(TypeError):
        cache.canonical(object())
    config = configure(example)
    assert cache.fingerprint(config, today=TODAY, tools={"t": object()}, people=None) is None
    opened = CardCache.open(example, config, today=TODAY, tools={"t": object()}, people=None)
    assert opened is None  # no fingerprint, no cache


def test_a_card_from_a_pool_worker_is_stored_as_the_card_itself_is(tmp_path: Path) -> None:
    # a pool worker sends the model as a lazycard.LazyCard; the entry made from it in the
    # main process, without making the model, is the line the worker made
    generate(tmp_path / "generated", 30)
    compared = 0
    for root in (EXAMPLES / "roster", tmp_path / "generated"):
        roster = load_roster(root, configure(root), today=TODAY, cwd=tmp_path)
        for card in roster.files:
            sent = pickle.loads(pickle.dumps(card))
            if type(sent.context.model).__name__ != "LazyCard":
                continue  # a card with tainted fields goes as its view
            assert cache.encode(sent) == cache.encode(card)
            assert sent.context.model._card is None  # encoding did not make the model
            compared += 1
    assert compared == 39


# -- entries are written as the cards are read -------------------------------------------------
def test_each_entry_is_written_as_its_card_is_read(example, user_cache, monkeypatch):
    written: list[int] = []
    real = CardCache.add

    def spy(self: CardCache, card: CardFile) -> None:
        real(self, card)
        assert card.entry is None  # taken from the card at once
        written.append(os.path.getsize(self._temp))  # and on disk before the next is read

    monkeypatch.setattr(CardCache, "add", spy)
    cold = rendered(example)
    assert len(written) == CARDS and written == sorted(written) and written[0] < written[-1]
    assert list(user_cache.glob("*.tmp")) == [] and len(cache_files(user_cache)) == 1
    monkeypatch.setattr(CardCache, "add", real)
    assert rendered(example) == cold == rendered(example, use_cache=False)


def test_an_interrupted_run_leaves_no_entries_behind(example, user_cache, monkeypatch):
    real = pipeline.read_card
    count = 0

    def interrupted(file: Path, **kwargs: Any) -> CardFile:
        nonlocal count
        count += 1
        if count == 4:
            raise KeyboardInterrupt
        return real(file, **kwargs)

    monkeypatch.setattr(pipeline, "read_card", interrupted)
    with pytest.raises(KeyboardInterrupt):
        rendered(example)
    assert sorted(p.name for p in user_cache.iterdir()) == [KEY_FILE]  # no segment, no .tmp


def test_an_unwritable_cache_is_a_miss_next_time(example, user_cache, reads, monkeypatch):
    def full_disk(self: CardCache) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(CardCache, "_start", full_disk)
        cold = rendered(example)
    assert cache_files(user_cache) == [] and list(user_cache.glob("*.tmp")) == []
    reads.clear()
    assert rendered(example) == cold and len(reads) == CARDS  # nothing was stored
    reads.clear()
    assert rendered(example) == cold and reads == []


def test_a_segment_header_has_a_fixed_width(example, user_cache):
    rendered(example)
    (entries,) = cache_files(user_cache)
    head, _, body = entries.read_bytes().partition(b"\n")
    magic, size, mac = head.rsplit(b" ", 2)
    assert magic == f"agentroster-cache {cache.FORMAT}".encode()
    assert len(size) == 12 and int(size) == len(body) and len(mac) == 64
