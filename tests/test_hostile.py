"""Hostile and strange files: each gets a finding at a line, exit 1, within 2 s and 200 MB,
while the rest of the roster is still linted. Every case runs as its own process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from benchmarks.peak_rss import peak_rss_mb

from tests.conftest import CLEAN_CARD

BOMB = "\n".join(
    ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
)

HOSTILE: dict[str, bytes] = {
    "billion-laughs": BOMB.encode(),
    "deep-flow": b"tags: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "deep-block": "".join(f"{'  ' * i}k{i}:\n" for i in range(5000)).encode(),
    "multi-megabyte-file": b"description: '" + b"x" * 3_000_000 + b"'\n",
    "multi-megabyte-line": b"id: long-line\ndescription: " + b"y" * 900_000 + b"\n",
    # The secret and URL prefilters look around every ':', '=' and '://': linear, or this hangs.
    "many-colons": b"description: '" + b"a:" * 450_000 + b"'\n",
    "many-urls": b"description: '" + b"x://@" * 180_000 + b"'\n",
    "spaced-keyword": b"description: 'token" + b" " * 900_000 + b": abc12345678'\n",
    "binary": bytes(range(256)) * 64,
    "invalid-utf8": b"id: caf\xe9\n",
    "utf16": "id: x\n".encode("utf-16"),
    "nul-bytes": b"id: a\x00b\n",
    "python-tag": b"kill_switch: !!python/object/apply:os.system ['echo pwned']\n",
    "unknown-tag": b"id: !secret x\n",
    "empty": b"",
    "comment-only": b"# nothing but a comment\n",
    "null-document": b"~\n",
    "scalar-document": b"just a string\n",
    "list-document": b"- a\n- b\n",
    "many-documents": b"---\na: 1\n" * 10_000,
    "merge-keys": b"base: &b {tier: 3}\n<<: *b\n",
    "non-string-keys": b"1: one\ntrue: yes\nnull: nothing\n",
    "complex-keys": b"? [a, b]\n: c\n? {x: y}\n: z\n",
    "huge-integer": b"tier: " + b"9" * 100_000 + b"\n",
    "cyclic-alias": b"a: &a [*a]\n",
    "unterminated-string": b"name: 'never closed\nid: x\n",
    "undefined-alias": b"owner: *nobody\n",
    # After a stop like this one the loader reads on to see whether libyaml rejects the rest
    # (then the pure parser decides); libyaml is quadratic in nesting depth, so that is bounded.
    "undefined-alias-then-deep-flow": b"owner: *nobody\ntags: " + b"[" * 100_000 + b"]" * 100_000,
    "tabs": b"id: x\n\tname: y\n",
}


def lint(root: Path) -> tuple[float, int, dict]:
    cmd = [sys.executable, "-m", "agentroster", "lint", "--format", "json", "--today",
           "2026-11-21", "-j", "1", str(root)]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=root, capture_output=True, timeout=60, check=False)
    return time.perf_counter() - start, proc.returncode, json.loads(proc.stdout or b"{}")


def _peak_rss_mb(root: Path) -> int:
    cmd = [sys.executable, "-m", "agentroster", "lint", "--today", "2026-11-21", "-j", "1",
           str(root)]  # fmt: skip
    return peak_rss_mb(cmd, root)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_gets_a_finding_at_a_line(tmp_path, name):
    (tmp_path / "agentroster.toml").write_text("")
    (tmp_path / "notes-helper.agent.yaml").write_text(CLEAN_CARD)
    (tmp_path / f"{name}.agent.yaml").write_bytes(HOSTILE[name])
    elapsed, code, doc = lint(tmp_path)
    assert code == 1, doc
    # a safety net against blow-ups (a second here), not a benchmark: generous for shared CI
    assert elapsed < 10.0, f"{name} took {elapsed:.2f} s"
    hostile = [f for f in doc["findings"] if f["path"] == f"{name}.agent.yaml"]
    assert hostile, f"no finding for {name}"
    assert all(f["line"] >= 1 and f["column"] >= 1 for f in hostile)
    assert [f for f in doc["findings"] if f["path"] == "notes-helper.agent.yaml"] == []
    assert doc["summary"]["files"] == 2
    assert _peak_rss_mb(tmp_path) < 200


def test_nothing_is_executed_from_a_python_tag(tmp_path):
    marker = tmp_path / "pwned"
    card = f"kill_switch: !!python/object/apply:os.system ['touch {marker}']\n"
    (tmp_path / "agentroster.toml").write_text("")
    (tmp_path / "x.agent.yaml").write_text(card)
    lint(tmp_path)
    assert not marker.exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("name", ["stuck.agent.yaml", "agentroster.queues.yaml"])
def test_a_named_pipe_is_reported_not_waited_on(tmp_path, name):
    # Nothing ever writes to the pipe: a linter that opened it for reading would hang.
    (tmp_path / "agentroster.toml").write_text("")
    (tmp_path / "notes-helper.agent.yaml").write_text(CLEAN_CARD)
    os.mkfifo(tmp_path / name)
    elapsed, code, doc = lint(tmp_path)
    assert code == 1, doc
    assert elapsed < 5.0
    found = [(f["path"], f["code"], f["line"], f["message"]) for f in doc["findings"]]
    assert (
        name,
        "C008",
        1,
        "not a regular file; agentroster reads only regular YAML files",
    ) in found


def test_a_catalogue_that_is_a_directory_is_reported(tmp_path):
    (tmp_path / "agentroster.toml").write_text("")
    (tmp_path / "notes-helper.agent.yaml").write_text(CLEAN_CARD)
    (tmp_path / "agentroster.tools.yaml").mkdir()
    _, code, doc = lint(tmp_path)
    assert code == 1, doc
    found = [(f["path"], f["code"], f["message"]) for f in doc["findings"]]
    assert found == [
        (
            "agentroster.tools.yaml",
            "C008",
            "not a regular file; agentroster reads only regular YAML files",
        )
    ]
