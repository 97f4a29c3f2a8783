"""Property-based tests: no input crashes the pipeline, reports are stable and sorted, and a
valid card stays valid when its keys are reordered."""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from agentroster.config import ConfigError, load_config
from agentroster.findings import Finding
from agentroster.loader import load, load_text
from agentroster.pipeline import configure, lint_roster
from agentroster.report import RenderOptions, reporter
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


# -- catalogue files, configuration files, file names (issue 14, part 7) ----------------------
# Each runs in a few seconds: they run with every pytest run, and so in .ci/run.
QUICK = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(["read", "write", "admin", "pii", "pci", "15m", "x@example.com", "TODO"]),
)


def _data(keys: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    """Nested YAML-like data: scalars, lists and mappings with keys drawn from `keys`."""
    return st.recursive(
        SCALARS,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=5)
        ),
        max_leaves=16,
    )


CATALOGUE_KEYS = st.one_of(
    st.sampled_from(["queues", "tools", "id", "owner", "name", "email", "access", "data",
                     "system", "description", "response_time", "classes"]),
    st.text(max_size=8),
)  # fmt: skip
CATALOGUE = st.one_of(
    _data(CATALOGUE_KEYS),
    st.fixed_dictionaries(
        {"queues": st.lists(st.dictionaries(CATALOGUE_KEYS, _data(CATALOGUE_KEYS), max_size=5))}
    ),
    st.fixed_dictionaries(
        {"tools": st.lists(st.dictionaries(CATALOGUE_KEYS, _data(CATALOGUE_KEYS), max_size=5))}
    ),
)
A_TOOL_USER = (
    "apiVersion: agentroster/v1\nkind: AgentCard\nid: tool-user\nname: Tool User\n"
    "version: 1.0.0\ndescription: Uses tools and hands work to a human queue.\n"
    "status: proposed\npattern: employee-enablement\nmode: assist\ntier: 3\n"
    "owner: {name: Dana Whitfield, email: dana.whitfield@example.com}\n"
    "escalation: {to: human:ops}\ntools:\n  - {id: crm.read, access: read}\n"
)


@QUICK
@given(CATALOGUE, st.sampled_from(["agentroster.queues.yaml", "agentroster.tools.yaml"]))
def test_random_catalogue_files_never_crash(data, name):
    findings = _lint({"tool-user.agent.yaml": A_TOOL_USER, name: dump(data)})
    assert all(f.line >= 1 for f in findings)


def _toml_value(value: Any) -> str:
    """`value` as TOML (inline tables and arrays; strings as JSON, which TOML reads)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value).lower()  # inf, -inf and nan are TOML too
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"


TOML_SCALARS = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(),
    st.text(max_size=10),
    st.sampled_from(["ALL", "B", "H007", "human-too-far", "error", "warning", "15m", "*.yaml"]),
)
CONFIG_KEYS = st.one_of(
    st.sampled_from(["select", "ignore", "severity", "per-path-ignores", "fail-on", "exclude",
                     "policy", "limits", "human-queues", "tool-catalogue", "build", "out",
                     "max-handoff-depth", "min-golden-cases", "source-freshness-days",
                     "external-incident-response", "max-bytes", "max-depth", "max-nodes"]),
    st.text(max_size=8),
)  # fmt: skip
TOML_DATA = st.recursive(
    TOML_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(CONFIG_KEYS, inner, max_size=5)
    ),
    max_leaves=16,
)
PATHLIKE = st.from_regex(r"\A[a-z][a-z0-9_-]{0,8}(\.ya?ml)?\Z")  # inside the roster
SELECTORS = st.lists(st.sampled_from(["ALL", "B", "H", "E", "E000", "H007", "C005", "b001",
                                      "human-too-far", "X", "Z999"]), max_size=3)  # fmt: skip
LEVELS = st.sampled_from(["error", "warning", "info", "fatal"])
NUMBERS = st.one_of(st.integers(-2, 12), st.integers(0, 2**64), st.floats(0, 10))
PLAUSIBLE = st.fixed_dictionaries(
    {},
    optional={
        "select": SELECTORS,
        "ignore": SELECTORS,
        "fail-on": LEVELS,
        "exclude": st.lists(st.sampled_from(["*", "a/*", "**/x.agent.yaml", "[", ""])),
        "severity": st.dictionaries(st.sampled_from(["H007", "B", "ALL", "E000"]), LEVELS),
        "per-path-ignores": st.dictionaries(st.sampled_from(["*", "*.yaml", "a/*"]), SELECTORS),
        "policy": st.dictionaries(
            st.sampled_from(["max-handoff-depth", "min-golden-cases", "source-freshness-days"]),
            NUMBERS,
        ),
        "limits": st.dictionaries(
            st.sampled_from(["max-bytes", "max-depth", "max-nodes"]), NUMBERS
        ),
    },
)


def _config_text(table: dict[str, Any]) -> str:
    return "".join(f"{json.dumps(k)} = {_toml_value(v)}\n" for k, v in table.items())


@QUICK
@given(
    st.one_of(st.dictionaries(CONFIG_KEYS, TOML_DATA, max_size=6), PLAUSIBLE),
    st.dictionaries(st.sampled_from(["human-queues", "tool-catalogue"]), PATHLIKE),
    st.booleans(),
)
def test_random_config_tables_give_a_config_or_a_config_error(table, paths, in_pyproject):
    text = _config_text({**table, **paths})
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if in_pyproject:
            (root / "pyproject.toml").write_text("[tool.agentroster]\n" + text)
        else:
            (root / "agentroster.toml").write_text(text)
        (root / "tool-user.agent.yaml").write_text(A_TOOL_USER)
        try:
            config = configure(root)
        except ConfigError:
            event("ConfigError")
            return
        event("a Config")
        report = lint_roster(root, config, today=TODAY, cwd=root)
    assert "E000" not in {f.code for f in report.findings}


@QUICK
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
def test_random_bytes_as_a_config_file_give_a_config_or_a_config_error(raw):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "agentroster.toml").write_bytes(raw)
        with contextlib.suppress(ConfigError):
            configure(root)


# Names as a repository can hold them: any bytes but '/' and NUL, read back through
# surrogateescape when they are not UTF-8; newlines and terminal escapes included.
NAME_BYTES = st.one_of(
    st.binary(min_size=1, max_size=40),
    st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=20).map(
        lambda s: s.encode("utf-8")
    ),
    st.sampled_from([b"\n", b"a\nb", b"\x1b[31mred", b"\x1b]52;c;eA==\x07", b"\xff\xfe", b"-",
                     b"::error::x", b" ", b"\t", b"\r", b".", b"..x"]),
).map(lambda b: b.replace(b"/", b"_").replace(b"\0", b"_"))  # fmt: skip


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(NAME_BYTES, min_size=1, max_size=3, unique=True))
def test_card_file_names_of_any_bytes_never_crash(names):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "agentroster.toml").write_text("")
        written = set()
        for raw in names:
            path = os.path.join(os.fsencode(root), raw + b".agent.yaml")
            try:
                with open(path, "wb") as fh:
                    fh.write(A_TOOL_USER.encode())
            except OSError:  # too long for this file system
                continue
            written.add(os.fsdecode(raw + b".agent.yaml"))
        report = lint_roster(root, load_config(root), today=TODAY, cwd=root)
        reporter("text")(report, RenderOptions())
    assert report.files == len(written)
    assert {f.path for f in report.findings} <= written
    assert "E000" not in {f.code for f in report.findings}
    assert all(f.line >= 1 and f.column >= 1 for f in report.findings)
