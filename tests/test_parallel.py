"""The worker pool gives the same report, byte for byte, as the serial path."""

from __future__ import annotations

import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from agentroster import parallel
from agentroster.cli import main
from tests.conftest import EXAMPLES

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import generate


def report(root: Path, jobs: int, fmt: str) -> str:
    args = ["lint", "--today", "2026-11-21", "--format", fmt, "-j", str(jobs), str(root)]
    return CliRunner().invoke(main, args).output


@pytest.fixture(scope="module")
def defective_roster(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("parallel") / "roster"
    cards = generate(root, parallel.MIN_CARDS + 100)
    # defects of every kind: schema, YAML, baseline, graph, a duplicate id, a secret
    cards[3].write_text(re.sub(r"(?m)^tier: \d", "tier: 7", cards[3].read_text()))
    cards[10].write_text(cards[10].read_text().replace("mode: ", "mode: [oops", 1))
    cards[20].write_text(
        cards[20].read_text().replace("audit: {enabled: true", "audit: {enabled: false")
    )
    cards[30].write_text(
        cards[30].read_text() + "kill_switch_token: ghp_0123456789abcdefghijklmnopqrstuvwxyzAB\n"
    )
    cards[40].write_text(
        cards[40]
        .read_text()
        .replace("escalation: {to: human:", "escalation: {to: agent-00000-x, x: human:")
    )
    shutil.copy(cards[50], cards[50].with_name("copy-of-50.agent.yaml"))
    return root


@pytest.mark.parametrize("fmt", ["json", "sarif", "text"])
def test_parallel_equals_serial_on_a_roster_with_defects(defective_roster, fmt):
    serial = report(defective_roster, 1, fmt)
    assert "C002" in serial and "C001" in serial and "B002" in serial and "C005" in serial
    assert report(defective_roster, 2, fmt) == serial


def test_parallel_equals_serial_on_the_examples(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_CARDS", 1)  # the examples are small: force the pool
    for name in ("roster", "broken"):
        assert report(EXAMPLES / name, 2, "json") == report(EXAMPLES / name, 1, "json")


def _dies_on_the_fifth_card(item: tuple[Path, str]) -> object:
    if item[1].endswith("agent-00004.agent.yaml"):
        os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer does
    return REAL_READ(item)


REAL_READ = parallel._read


def test_a_worker_that_dies_stops_the_run_instead_of_hanging(defective_roster, monkeypatch):
    monkeypatch.setattr(parallel, "_read", _dies_on_the_fifth_card)  # forked workers see it
    started = time.monotonic()
    result = CliRunner().invoke(main, ["lint", "-j", "2", "--no-cache", str(defective_roster)])
    assert time.monotonic() - started < 60
    assert result.exit_code == 2
    [line] = [text for text in result.output.splitlines() if text]
    assert line.startswith("agentroster: error: a worker process reading cards (pid ")
    assert "was killed by SIGKILL (often the system running out of memory)" in line


def _slow_first_card(item: tuple[Path, str]) -> object:
    marks = Path(os.environ["WORKER_MARKS"])
    if item[1].endswith("agent-00000.agent.yaml"):  # the first chunk's worker: busy a while
        (marks / "slow").write_text(str(os.getpid()))
        time.sleep(8)
    card = REAL_READ(item)
    if item[1] == os.environ["LAST_CARD"]:  # the other worker has read every other chunk
        (marks / "last").write_text(str(os.getpid()))
    return card


def _wait_for(path: Path) -> str:
    deadline = time.monotonic() + 30
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return path.read_text()


def test_a_worker_that_dies_idle_costs_nothing(defective_roster, monkeypatch, tmp_path):
    # the other worker reads every other chunk, then waits for work: killed there (as the
    # out-of-memory killer might), it held no cards, and it must not hang the run or fail it
    cards = sorted(defective_roster.rglob("*.agent.yaml"))
    monkeypatch.setenv("WORKER_MARKS", str(tmp_path))
    monkeypatch.setenv("LAST_CARD", os.path.relpath(cards[-1]).replace(os.sep, "/"))
    monkeypatch.setattr(parallel, "_read", _slow_first_card)

    def kill_the_idle_one() -> None:
        slow = int(_wait_for(tmp_path / "slow"))
        other = int(_wait_for(tmp_path / "last"))
        assert other != slow
        time.sleep(0.5)  # it sends its last chunk back and waits for the next task
        os.kill(other, signal.SIGKILL)

    killer = threading.Thread(target=kill_the_idle_one)
    killer.start()
    started = time.monotonic()
    found = report(defective_roster, 2, "json")
    killer.join()
    assert time.monotonic() - started < 60
    monkeypatch.setattr(parallel, "_read", REAL_READ)
    assert found == report(defective_roster, 1, "json")


# -- the workers at the level of read_all: items are names, _read gives them back -------------
ITEMS = [(Path(f"/nowhere/c{i}"), f"c{i}") for i in range(64)]  # 4 chunks of 16 for 2 jobs


def _read_all(**kwargs: object) -> object:
    return parallel.read_all(
        ITEMS, config=None, today=None, catalogue=None, rules=None, jobs=2, **kwargs
    )  # type: ignore[arg-type]


class _Unpicklable:
    def __reduce__(self) -> object:
        raise RecursionError("maximum recursion depth exceeded while pickling an object")


def test_cards_a_worker_cannot_send_are_one_error_in_the_parent(monkeypatch):
    monkeypatch.setattr(parallel, "_init", lambda *args: None)
    monkeypatch.setattr(parallel, "_read", lambda i: _Unpicklable() if i[1] == "c20" else i[1])
    with pytest.raises(RuntimeError, match="could not send its cards: RecursionError"):
        _read_all()
    monkeypatch.setattr(parallel, "_read", lambda item: item[1])
    assert _read_all() == [name for _, name in ITEMS]


_ORPHANS = """
import os, signal, sys
from datetime import date
from pathlib import Path
from agentroster import parallel
pids = sys.argv[1]
real_init = parallel._init
def init(*args):
    with open(pids, "a") as fh:
        fh.write(f"{os.getpid()}\\n")
parallel._init = init
parallel._read = lambda item: item[1]
def sink(card):
    if card == "c40":
        os.kill(os.getpid(), signal.SIGKILL)  # the parent, as the out-of-memory killer might
items = [(Path(f"/nowhere/c{i}"), f"c{i}") for i in range(64)]
parallel.read_all(items, config=None, today=date(2026, 1, 1), catalogue=None, people=None,
                  rules=None, jobs=2, sink=sink)
"""


def test_workers_end_when_the_parent_is_killed(tmp_path):
    pids = tmp_path / "workers"
    subprocess.run([sys.executable, "-c", _ORPHANS, str(pids)], check=False, timeout=60)
    workers = [int(line) for line in pids.read_text().split()]
    assert len(workers) == 2
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_running(pid) for pid in workers):
        time.sleep(0.1)
    assert not any(_running(pid) for pid in workers)


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_worker_killed_half_way_through_sending_is_named(monkeypatch):
    from multiprocessing import connection

    parent, real = os.getpid(), connection.Connection._send_bytes

    def half_then_killed(self: connection.Connection, buf: bytes) -> None:
        if os.getpid() != parent:  # a worker: the out-of-memory killer strikes mid-message
            data = bytes(buf)
            self._send(struct.pack("!i", len(data)) + data[: len(data) // 2])  # type: ignore[attr-defined]
            os.kill(os.getpid(), signal.SIGKILL)
        real(self, buf)

    monkeypatch.setattr(connection.Connection, "_send_bytes", half_then_killed)
    monkeypatch.setattr(parallel, "_init", lambda *args: None)
    monkeypatch.setattr(parallel, "_read", lambda item: item[1])
    with pytest.raises(parallel.WorkerLost, match=r"\(pid \d+\) was killed by SIGKILL"):
        _read_all()
