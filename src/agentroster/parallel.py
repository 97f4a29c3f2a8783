"""Reading and checking cards in a pool of processes, for large rosters.

Each worker reads, loads, validates and runs the card rules on a chunk of cards, slims them
(CardFile.slim) and sends them back; `imap` keeps the input order, so the report is the same,
byte for byte, as the serial path (a test compares them). Below MIN_CARDS the pool's start-up
costs more than it saves. If no pool can be made, the caller reads serially.

Ctrl-C: the workers ignore SIGINT (they are born with it blocked, then ignore it), so a
Ctrl-C at the terminal, which signals the whole process group, interrupts the parent alone;
the parent terminates the pool and the CLI exits 130. Without this, every worker printed its
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
WATCH_SECONDS = 0.5  # how often the parent checks, while it waits, that every worker lives
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


def _read_chunk(items: Sequence[tuple[Path, str]]) -> list[CardFile]:
    return [_read(item) for item in items]


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
    """The cards read by `jobs` processes, in order; None when no pool could be started.
    Each card is handed to `sink` as it arrives; with a sink, each worker also makes each
    card's cache line (CardFile.entry), which the sink takes."""
    # deferred: start-up time (a roster too small for a pool never needs multiprocessing)
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    codes = None if rules is None else [r.code for r in rules]
    chunk = max(16, len(items) // (jobs * 8))
    pool = None
    try:
        before = set(multiprocessing.active_children())
        with _sigint_blocked():  # no worker is born able to take a Ctrl-C meant for the parent
            try:
                pool = multiprocessing.get_context(method).Pool(
                    jobs,
                    initializer=_init,
                    initargs=(config, today, catalogue, people, codes, sink is not None),
                )
            except OSError:
                return None
        workers = [p for p in multiprocessing.active_children() if p not in before]
        cards = []
        chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
        for card in _watched(pool.imap(_read_chunk, chunks), workers):
            if sink is not None:
                sink(card)
            cards.append(card)
        return cards
    finally:  # also on a KeyboardInterrupt, even one held back until the pool was made
        if pool is not None:
            pool.terminate()
            pool.join()


def _watched(results: Any, workers: Sequence[Any]) -> Iterator[CardFile]:
    """The cards of `imap`'s results (one list per chunk) in order, raising WorkerLost when
    a worker has died: a pool replaces a dead worker but never hands out again the cards it
    held, so without this check the parent would wait for them for ever. (A pool's workers
    end only when it is terminated, so any exit while results are awaited is a death.)"""
    import multiprocessing  # deferred, as in read_all

    while True:
        try:
            yield from results.next(timeout=WATCH_SECONDS)
        except StopIteration:
            return
        except multiprocessing.TimeoutError:
            for worker in workers:
                code = worker.exitcode
                if code is not None:
                    raise WorkerLost(_how(worker.pid, code)) from None


def _how(pid: int | None, code: int) -> str:
    if code < 0:
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
    exist (Windows), nothing is blocked and the workers' initializer alone ignores SIGINT."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not on POSIX
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
