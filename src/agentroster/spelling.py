"""Did-you-mean suggestions in bounded time, whatever the size of the pool or the number of
questions.

`difflib.get_close_matches` compares a word with every candidate: a Python-level comparison
per candidate and, where its quick bounds pass, a full O(n·m) match. 3,000 unknown handoff
targets among 1,500 similar agent ids took 20 to 55 s. A Speller asks difflib the same
question about a few candidates only:

1. words longer than MAX_WORD get no suggestion (a comparison costs the product of the lengths);
2. only candidates whose length allows the cutoff are looked at (difflib's own first bound,
   applied to buckets by length instead of to each candidate);
3. in a large pool, the candidates are those one deletion away from the word, or with one
   deletion in each (an insertion, deletion, substitution or swap of neighbours), found in an
   index of each candidate with one character deleted, built once on first use; a pool of
   at most SCAN candidates in the length window is scanned whole instead;
4. a cheap shared-character bound (a character of one word that the other lacks can never
   match) drops candidates that cannot reach the cutoff, and at most NEAR of the rest, best
   bound first, are compared by difflib with the caller's cutoff.

So each question costs O(len(word) + SCAN) dictionary and set operations and at most NEAR
difflib comparisons of words of at most MAX_WORD characters. On a small pool (field names,
config keys) the answer is difflib's whenever the best match is among the NEAR best bounds,
which a typo's nearly always is.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable

MAX_WORD = 40  # longer words and candidates get no suggestion (as in CPython's NameError hints)
SCAN = 64  # a length window of at most this many candidates is scanned whole
NEAR = 4  # at most this many candidates are compared by difflib per question


class Speller:
    """Close matches for words among a fixed pool of candidates, in bounded time."""

    def __init__(self, pool: Iterable[str], *, cutoff: float = 0.6) -> None:
        self.cutoff = cutoff
        words = sorted({w for w in pool if 0 < len(w) <= MAX_WORD})
        # each character of the pool is a bit; a word's characters are an int of those bits
        self._bit = {c: 1 << i for i, c in enumerate(sorted({c for w in words for c in w}))}
        self._by_length: dict[int, list[tuple[str, int]]] = {}
        for word in words:
            self._by_length.setdefault(len(word), []).append((word, self._mask(word)[0]))
        self._deleted: dict[str, list[tuple[str, int]]] | None = None  # built on first need
        self._windows: dict[int, tuple[frozenset[int], list[tuple[str, int]] | None]] = {}

    def _mask(self, word: str) -> tuple[int, int]:
        """The bits of the word's characters, and how many of them the pool never uses."""
        mask = outside = 0
        for char in set(word):
            bit = self._bit.get(char)
            if bit is None:
                outside += 1
            else:
                mask |= bit
        return mask, outside

    def _window(self, size: int) -> tuple[frozenset[int], list[tuple[str, int]] | None]:
        """The lengths a candidate may have to reach the cutoff for a word of `size`
        characters (2·min / sum >= cutoff), and all candidates of those lengths if there
        are at most SCAN of them (else None: too many to scan)."""
        window = self._windows.get(size)
        if window is None:
            lengths = frozenset(
                n for n in self._by_length if 2 * min(n, size) >= self.cutoff * (n + size)
            )
            pool: list[tuple[str, int]] | None = [
                entry for n in sorted(lengths) for entry in self._by_length[n]
            ]
            window = self._windows[size] = (lengths, pool if len(pool or ()) <= SCAN else None)
        return window

    def _index(self) -> dict[str, list[tuple[str, int]]]:
        if self._deleted is None:
            index: dict[str, list[tuple[str, int]]] = {}
            for entries in self._by_length.values():
                for entry in entries:
                    for variant in (entry[0], *_deletions(entry[0])):
                        index.setdefault(variant, []).append(entry)
            self._deleted = index
        return self._deleted

    def _near(self, word: str, lengths: frozenset[int]) -> list[tuple[str, int]]:
        """Candidates within one deletion on each side of `word`, at most SCAN, in a fixed
        order (the word's own variants first, then one deletion from the word)."""
        index = self._index()
        found: dict[tuple[str, int], None] = {}
        for variant in (word, *_deletions(word)):
            for entry in index.get(variant, ()):
                if len(entry[0]) in lengths:
                    found[entry] = None
                    if len(found) >= SCAN:
                        return list(found)
        return list(found)

    def closest(self, word: str) -> str | None:
        """The closest candidate with difflib ratio >= cutoff, or None."""
        if not word or len(word) > MAX_WORD:
            return None
        lengths, pool = self._window(len(word))
        if pool is None:
            pool = self._near(word, lengths)
        # An upper bound of the characters difflib can match, from character sets: a
        # character one word has and the other lacks occurs at least once and never matches.
        mask, outside = self._mask(word)
        size, cutoff = len(word), self.cutoff
        mine = size - outside
        bounds = []
        for candidate, theirs in pool:
            length = len(candidate)
            lost_here, lost_there = (mask & ~theirs).bit_count(), (theirs & ~mask).bit_count()
            matched = min(mine - lost_here, length - lost_there)
            if 2 * matched >= cutoff * (size + length):
                bounds.append((-matched / (size + length), candidate))
        if not bounds:
            return None
        best = [candidate for _, candidate in sorted(bounds)[:NEAR]]
        close = difflib.get_close_matches(word, best, n=1, cutoff=cutoff)
        return close[0] if close else None


def _deletions(word: str) -> Iterable[str]:
    return (word[:i] + word[i + 1 :] for i in range(len(word)))


_SPELLERS: dict[tuple[int, float], tuple[Collection[str], Speller]] = {}


def closest(word: str, pool: Collection[str], *, cutoff: float = 0.6) -> str | None:
    """The closest word of `pool` to `word` (see Speller). The Speller of a pool object is
    kept while it is asked again (a catalogue asked by every card is indexed once), so the
    pool must not change meanwhile; a Speller holds no other state, so answers never depend
    on what was asked before."""
    key = (id(pool), cutoff)
    kept = _SPELLERS.get(key)
    if kept is None or kept[0] is not pool:
        if len(_SPELLERS) >= 32:
            _SPELLERS.pop(next(iter(_SPELLERS)))
        kept = _SPELLERS[key] = (pool, Speller(pool, cutoff=cutoff))
    return kept[1].closest(word)
