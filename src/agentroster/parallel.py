"""Reading and checking cards in a pool of processes, for large rosters.

Each worker reads, loads, validates and runs the card rules on a chunk of cards, slims them
(CardFile.slim) and sends them back; the parent hands out the next chunk as each comes back
and yields the cards in input order, so the report is the same, byte for byte, as the serial
path (a test compares them). Below MIN_CARDS the workers' start-up costs more than they save.
If no worker can be started, the caller reads serially.

Each worker has a pipe of its own rather than the shared queues of multiprocessing.Pool: a
worker killed while it held a queue's lock (the out-of-memory killer, as it waits for its
next task) left the pool's shutdown waiting for that lock for ever, and a pool never hands
out again the cards a dead worker held. Here the parent watches every worker's exit, stops
the run with WorkerLost (exit 2) when one dies holding cards, and carries on without one
that dies idle.

Ctrl-C: the workers ignore SIGINT (they are born with it blocked, then ignore it), so a
Ctrl-C at the terminal, which signals the whole process group, interrupts the parent alone;
the parent kills the workers and the CLI exits 130. Without this, every worker printed its
own KeyboardInterrupt traceback.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from agentroster.cache import encode_head
from agentroster.catalogues import CatalogueTool, DirectoryPerson
from agentroster.config import Config
from agentroster.context import CardFile
from agentroster.findings import Rule
from agentroster.reading import read_card
from agentroster.rules import RULE_BY_CODE

MIN_CARDS = 400
_STATE: dict[str, Any] = {}


class WorkerLost(OSError):
    """A worker process died while reading cards (the system's out-of-memory killer, most
    often): the cards it held would never come back, so the run stops (exit 2)."""


def default_jobs() -> int:
    """The cores this process may use, at most 8."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def _init(
    config: Config,
    today: date,
    catalogue: Any,
    people: Any,
    codes: Sequence[str] | None,
    entries: bool,
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C (docstring)
    _STATE.update(
        config=config,
        today=today,
        catalogue=catalogue,
        people=people,
        rules=None if codes is None else [RULE_BY_CODE[c] for c in codes],
        entries=entries,
    )


def _read(item: tuple[Path, str]) -> CardFile:
    file, path = item
    card = read_card(
        file,
        path=path,
        config=_STATE["config"],
        today=_STATE["today"],
        tool_catalogue=_STATE["catalogue"],
        people=_STATE["people"],
        rules=_STATE["rules"],
    )
    if _STATE["entries"]:  # the cache line's head, made here rather than in the parent
        card.entry = encode_head(card) or ""
    return card


def _serve(conn: Any, init: tuple[Any, ...]) -> None:
    """A worker's life: take a chunk of cards from the parent, send back the cards read,
    until told to stop (None). Each worker has a pipe of its own, so a worker that dies,
    whatever it was doing, holds no lock another process waits on."""
    from multiprocessing.reduction import ForkingPickler  # deferred, as in read_all

    _init(*init)
    try:
        while (task := conn.recv()) is not None:
            index, items = task
            try:
                result = ForkingPickler.dumps((index, [_read(item) for item in items]))
            except Exception as exc:  # cards that cannot be sent: a bug, said by the parent
                result = ForkingPickler.dumps((index, f"{type(exc).__name__}: {exc}"))
            conn.send_bytes(result)
    except (EOFError, OSError):  # the parent has gone: nothing to send the cards to
        return


def read_all(
    items: Sequence[tuple[Path, str]],
    *,
    config: Config,
    today: date,
    catalogue: Mapping[str, CatalogueTool] | None,
    people: Mapping[str, DirectoryPerson] | None = None,
    rules: Sequence[Rule] | None,
    jobs: int,
    sink: Callable[[CardFile], None] | None = None,
) -> list[CardFile] | None:
    """The cards read by `jobs` processes, in order; None when no process could be started.
    Each card is handed to `sink` as it arrives; with a sink, each worker also makes each
    card's cache line (CardFile.entry), which the sink takes."""
    # deferred: start-up time (a roster too small for a pool never needs multiprocessing)
    import multiprocessing
    from multiprocessing import util

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context: Any = multiprocessing.get_context(method)
    codes = None if rules is None else [r.code for r in rules]
    size = max(16, len(items) // (jobs * 8))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    init = (config, today, catalogue, people, codes, sink is not None)
    workers: list[tuple[Any, Any]] = []  # (process, the parent's end of its pipe)
    finished = False
    try:
        with _sigint_blocked():  # no worker is born able to take a Ctrl-C meant for the parent
            try:
                for _ in range(min(jobs, len(chunks))):
                    mine, theirs = context.Pipe()
                    # a forked worker closes the copies it inherits of the parent's ends (its
                    # own and the earlier workers'), so that it sees the parent die
                    util.register_after_fork(mine, _close)
                    process = context.Process(target=_serve, args=(theirs, init), daemon=True)
                    process.start()
                    theirs.close()
                    workers.append((process, mine))
            except OSError:
                if not workers:
                    return None
        cards = []
        for card in _scheduled(chunks, workers):
            if sink is not None:
                sink(card)
            cards.append(card)
        finished = True
        return cards
    finally:  # also on a KeyboardInterrupt or a WorkerLost: no worker outlives the call
        _stop(workers, finished)


def _stop(workers: Sequence[tuple[Any, Any]], finished: bool) -> None:
    """End every worker: told to stop when all went well (each is idle then), else killed
    (busy with a chunk no one will read)."""
    for process, conn in workers:
        if finished:
            with contextlib.suppress(OSError):
                conn.send(None)
        elif process.is_alive():
            process.kill()
    for process, conn in workers:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()
        conn.close()


def _scheduled(
    chunks: Sequence[Sequence[tuple[Path, str]]], workers: Sequence[tuple[Any, Any]]
) -> Iterator[CardFile]:
    """The cards of every chunk, in order, from workers each given the next chunk as soon as
    it sends one back. A worker that dies holding a chunk raises WorkerLost (its cards
    would never come); one that dies idle is only no longer given work."""
    from multiprocessing.connection import wait  # deferred, as in read_all

    pending = list(reversed(range(len(chunks))))  # chunk indices, the next one last
    holding: dict[Any, int] = {}  # the parent's end of a busy worker's pipe -> its chunk
    alive = {conn: process for process, conn in workers}
    done: dict[int, list[CardFile]] = {}
    ready = 0  # every chunk before this one has been yielded
    while ready < len(chunks):
        for conn in alive:
            if conn not in holding:
                _give(conn, chunks, pending, holding)
        if not holding:
            raise WorkerLost("every worker process reading cards has died; run again")
        events = wait([*alive, *(p.sentinel for p in alive.values())])
        for conn, process in list(alive.items()):
            dead = False
            if conn in events:
                try:
                    index, cards = conn.recv()
                except (EOFError, OSError):  # closed, reset or cut mid-message: it has died
                    dead = True
                else:
                    if isinstance(cards, str):
                        raise RuntimeError(f"a worker process could not send its cards: {cards}")
                    done[index] = cards
                    del holding[conn]
            if dead or (process.sentinel in events and not conn.poll()):
                del alive[conn]
                if conn in holding:
                    process.join()
                    raise WorkerLost(_how(process.pid, process.exitcode))
        while ready in done:
            yield from done.pop(ready)
            ready += 1


def _close(conn: Any) -> None:
    conn.close()


def _give(
    conn: Any,
    chunks: Sequence[Sequence[tuple[Path, str]]],
    pending: list[int],
    holding: dict[Any, int],
) -> None:
    if pending:
        index = pending[-1]
        try:
            conn.send((index, chunks[index]))
        except OSError:  # it has died; the scheduler's wait notices
            return
        pending.pop()
        holding[conn] = index


def _how(pid: int | None, code: int | None) -> str:
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        death = f"was killed by {name}"
        if -code == getattr(signal, "SIGKILL", 9):
            death += " (often the system running out of memory)"
    else:
        death = f"exited with status {code}"
    return (
        f"a worker process reading cards (pid {pid}) {death}; run again, with fewer "
        "processes (--jobs) if it happens again"
    )


@contextlib.contextmanager
def _sigint_blocked() -> Iterator[None]:
    """SIGINT blocked in this thread (and so in every process and thread it starts) for the
    block; one that arrives meanwhile is delivered when it ends. Where signal masks do not
    exist (Windows), nothing is blocked and the workers ignore SIGINT once started (_init)."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not on POSIX
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
