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
_STATE: dict[str, Any] = {}


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
        with _sigint_blocked():  # no worker is born able to take a Ctrl-C meant for the parent
            try:
                pool = multiprocessing.get_context(method).Pool(
                    jobs,
                    initializer=_init,
                    initargs=(config, today, catalogue, people, codes, sink is not None),
                )
            except OSError:
                return None
        cards = []
        for card in pool.imap(_read, items, chunksize=chunk):
            if sink is not None:
                sink(card)
            cards.append(card)
        return cards
    finally:  # also on a KeyboardInterrupt, even one held back until the pool was made
        if pool is not None:
            pool.terminate()
            pool.join()


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
