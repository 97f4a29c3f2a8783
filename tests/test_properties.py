"""Property-based tests: no input crashes the pipeline, reports are stable and sorted, and a
valid card stays valid when its keys are reordered."""

from __future__ import annotations

import io
import random
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from agentroster.config import load_config
from agentroster.findings import Finding
from agentroster.loader import load, load_text
from agentroster.pipeline import lint_roster
from agentroster.validate import validate
from tests.conftest import EXAMPLES, TODAY

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CARDS = sorted((EXAMPLES / "roster").rglob("*.agent.yaml"))
_YAML = YAML(typ="safe", pure=True)
_YAML.default_flow_style = False


def dump(data: Any) -> str:
    out = io.StringIO()
    _YAML.dump(data, out)
    return out.getvalue()


def check_text(text: str) -> None:
    loaded = load_text(text)
    for problem in loaded.problems:
        assert problem.line >= 1 and problem.column >= 1
    if loaded.data is not None or not loaded.problems:
        validated = validate(loaded.data, loaded.source_map, damaged=loaded.damaged)
        assert all(p.line >= 1 and p.column >= 1 for p in validated.problems)


@SETTINGS
@given(st.text())
def test_random_text_never_raises(text):
    check_text(text)


@SETTINGS
@given(st.binary())
def test_random_bytes_never_raise(raw):
    load(raw)


YAMLISH = st.lists(
    st.sampled_from(
        ["a:", " b: 1", "- x", "  - [1, {c: d}]", "&x y", "*x", "!!str z", "? k", ": v", "---",
         "'q", '"r"', "{", "}", "[", "]", "#c", "\t", "key: value", "<<: *x", "~", "|", ">"]
    ),
    max_size=30,
).map("\n".join)  # fmt: skip


@SETTINGS
@given(YAMLISH)
def test_yaml_like_fragments_never_raise(text):
    check_text(text)


def _mutate(data: dict[str, Any], rng: random.Random) -> str:
    """One of: delete a key, retype a value, reorder keys, duplicate a key, inject a tag."""
    data = dict(data)
    keys = list(data)
    key = rng.choice(keys)
    action = rng.choice(["delete", "retype", "reorder", "duplicate", "tag", "nest"])
    if action == "delete":
        del data[key]
    elif action == "retype":
        data[key] = rng.choice([None, 0, -1, 1.5, True, "", "x" * 70, [], [1, None], {"k": "v"}])
    elif action == "reorder":
        rng.shuffle(keys)
        data = {k: data[k] for k in keys}
    elif action == "nest":
        data[key] = {"inner": data[key]}
    text = dump(data)
    lines = text.splitlines()
    if action == "duplicate" and lines:
        line = rng.choice([ln for ln in lines if ln and not ln.startswith(" ")] or lines)
        lines.insert(rng.randrange(len(lines) + 1), line)
    elif action == "tag" and lines:
        index = rng.randrange(len(lines))
        if ": " in lines[index]:
            head, tail = lines[index].split(": ", 1)
            lines[index] = (
                f"{head}: {rng.choice(['!x', '!!python/name:os.system', '!!int'])} {tail}"
            )
    return "\n".join(lines) + "\n"


def _lint(files: dict[str, str]) -> list[Finding]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "agentroster.toml").write_text("")
        for name, text in files.items():
            (root / name).write_text(text)
        report = lint_roster(root, load_config(root), today=TODAY, cwd=root)
        again = lint_roster(root, load_config(root), today=TODAY, cwd=root)
    assert report.findings == again.findings  # stable
    assert [f.sort_key() for f in report.findings] == sorted(f.sort_key() for f in report.findings)
    assert "E000" not in {f.code for f in report.findings}, [
        f.message for f in report.findings if f.code == "E000"
    ]
    assert all(f.line >= 1 and f.column >= 1 for f in report.findings)
    return report.findings


def _card_data(index: int) -> dict[str, Any]:
    data = _YAML.load(CARDS[index % len(CARDS)].read_text())
    assert isinstance(data, dict)
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 2**32)), min_size=1, max_size=4))
def test_random_rosters_of_mutated_cards_never_crash(specs):
    files = {}
    for n, (index, seed) in enumerate(specs):
        files[f"card-{n}.agent.yaml"] = _mutate(_card_data(index), random.Random(seed))
    _lint(files)


def _shuffled(node: Any, rng: random.Random) -> Any:
    if isinstance(node, dict):
        keys = list(node)
        rng.shuffle(keys)
        return {k: _shuffled(node[k], rng) for k in keys}
    if isinstance(node, list):
        return [_shuffled(x, rng) for x in node]
    return node


@settings(max_examples=40, deadline=None)
@given(st.integers(0, len(CARDS) - 1), st.integers(0, 2**32))
def test_a_valid_card_stays_valid_after_reordering_keys(index, seed):
    data = _shuffled(_card_data(index), random.Random(seed))
    text = dump(data)
    loaded = load_text(text)
    assert loaded.problems == []
    assert validate(loaded.data, loaded.source_map).problems == []
