"""Security hygiene: agentroster opens no sockets, starts no processes, writes nowhere but the
build output, and never follows a referenced path out of the roster."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from agentroster.cli import main
from tests.conftest import CLEAN_CARD, EXAMPLES


@pytest.fixture
def no_network_no_processes(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("agentroster tried to use the network or start a process")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
    monkeypatch.setattr(os, "system", refuse)
    monkeypatch.setattr(os, "execv", refuse)


def snapshot(root: Path) -> dict[str, float]:
    return {str(p): p.stat().st_mtime_ns for p in root.rglob("*")}


def test_lint_graph_and_build_touch_nothing_but_the_output(tmp_path, no_network_no_processes):
    roster = tmp_path / "roster"
    shutil.copytree(EXAMPLES / "roster", roster)
    before = snapshot(tmp_path)
    for args in (
        ["lint", "--today", "2026-11-21", "-j", "1", str(roster)],
        ["lint", "--format", "sarif", "-j", "1", "--today", "2026-11-21", str(roster)],
        ["graph", "--format", "json", str(roster)],
        ["rules"],
        ["explain", "X001"],
    ):
        result = CliRunner().invoke(main, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    assert snapshot(tmp_path) == before
    out = tmp_path / "out"
    args = ["build", "--today", "2026-11-21", "-j", "1", "--out", str(out), str(roster)]
    assert CliRunner().invoke(main, args, catch_exceptions=False).exit_code == 0
    after = snapshot(tmp_path)
    changed = {p for p in after if after[p] != before.get(p)}
    assert changed and all(Path(p).is_relative_to(out) for p in changed)


def test_referenced_symlink_out_of_the_roster_is_x003_and_not_read(tmp_path):
    secret = tmp_path / "outside.md"
    secret.write_text("not part of the roster")
    root = tmp_path / "roster"
    (root / "runbooks").mkdir(parents=True)
    os.symlink(secret, root / "runbooks" / "provider.md")
    card = (
        CLEAN_CARD + "runbooks:\n  - {failure_mode: provider-outage, path: runbooks/provider.md}\n"
    )
    (root / "agentroster.toml").write_text("")
    (root / "notes-helper.agent.yaml").write_text(card)
    result = CliRunner().invoke(main, ["lint", "--format", "json", str(root)])
    assert '"code": "X003"' in result.output and '"code": "L003"' not in result.output
