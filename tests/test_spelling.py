"""Did-you-mean in bounded time: difflib's answers on small pools, one-edit typos found in
large ones, and no question costs more than a few comparisons."""

from __future__ import annotations

import difflib
import random
import string
import time

import pytest

from agentroster import spelling
from agentroster.model import AgentCard
from agentroster.spelling import MAX_WORD, Speller, closest

FIELDS = sorted(AgentCard.model_fields)


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(len(word))
    c = rng.choice(string.ascii_lowercase)
    return rng.choice(
        [
            word[:i] + c + word[i:],  # insertion
            word[:i] + word[i + 1 :],  # deletion
            word[:i] + c + word[i + 1 :],  # substitution
            word[:i] + word[i + 1 : i + 2] + word[i : i + 1] + word[i + 2 :],  # swap
        ]
    )


def test_small_pool_answers_as_difflib():
    rng = random.Random(1)
    words = [_typo(rng.choice(FIELDS), rng) for _ in range(400)] + ["oncall", "zz9", "tier"]
    speller = Speller(FIELDS, cutoff=0.6)
    for word in words:
        expected = difflib.get_close_matches(word, FIELDS, n=1, cutoff=0.6)
        assert speller.closest(word) == (expected[0] if expected else None), word


def _ids(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    words = ["refund", "fraud", "screener", "triage", "billing", "helpdesk", "access", "notes"]
    return sorted(
        {f"{rng.choice(words)}-{rng.choice(words)}-{rng.randrange(10_000)}" for _ in range(n)}
    )


def test_large_pool_finds_one_edit_typos_as_difflib_does():
    ids = _ids(3000, seed=2)
    rng = random.Random(3)
    speller = Speller(ids, cutoff=0.75)
    typos = [_typo(rng.choice(ids), rng) for _ in range(100)]
    for word in typos:
        expected = difflib.get_close_matches(word, ids, n=1, cutoff=0.75)
        got = speller.closest(word)
        assert got is not None, word
        # the same answer, or one difflib scores as high (ties among ids one edit away)
        score = difflib.SequenceMatcher(None, got, word).ratio()
        assert score == difflib.SequenceMatcher(None, expected[0], word).ratio(), word


def test_words_too_long_get_no_suggestion():
    word = "a" * (MAX_WORD + 1)
    assert Speller([word, word[:-1]]).closest(word + "b") is None


@pytest.mark.cost_bound  # about 0.2 s here
def test_3000_questions_among_1500_similar_ids_take_about_a_second():
    ids = [f"agent-{i:05d}" for i in range(1500)]
    questions = [f"ghost-{i}-{j}-xyz" for i in range(1500) for j in range(2)]
    questions[::2] = [f"agent-{i:05d}x" for i in range(1500)]  # typos, each one edit away
    speller = Speller(ids, cutoff=0.75)
    start = time.perf_counter()
    answers = [speller.closest(q) for q in questions]
    assert time.perf_counter() - start < 10  # ~55 s with get_close_matches over the pool
    assert answers[0] == "agent-00000" and answers[1] is None


def test_closest_keeps_one_speller_per_pool_and_answers_do_not_depend_on_it():
    pool = {"alpha-agent": 1, "beta-agent": 2}
    assert closest("alpha-agnet", pool) == "alpha-agent"
    kept = spelling._SPELLERS[(id(pool), 0.6)][1]
    assert closest("beta-agnet", pool) == "beta-agent"
    assert spelling._SPELLERS[(id(pool), 0.6)][1] is kept
    assert closest("alpha-agnet", list(pool)) == "alpha-agent"
