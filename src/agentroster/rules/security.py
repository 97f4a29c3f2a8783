"""X: security hygiene in the card itself (docs/governance.md#family-x)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from agentroster.findings import Finding, KeyPath, Severity
from agentroster.references import Ref
from agentroster.rules.base import CardContext, Rule
from agentroster.validate import dotted

Prefilter = Callable[[str, str], bool]
"""(text, the same text case-folded) -> whether a pattern may match somewhere in the text.

The secret regexes start with \b or a case-insensitive group, which makes the regex engine try
every position: about 20 us per pattern on a card. Each has a cheap test that every match
passes, and most cards fail; the regex runs only on the cards that pass it."""

# Card text is mostly lower-case words and a little punctuation. A literal is looked for only
# when its rarest character (by this ranking, most common first) occurs: a one-character
# search is about ten times faster than a substring search.
_COMMON = " eatoinsrhldcu-mpgfwy.b_v:/k@x0123456789jqzAEISTORNCLDMPGBHFUWKYVJXQZ"
_RANK = {ch: rank for rank, ch in enumerate(_COMMON)}


def _gate(literal: str) -> str:
    """The character of `literal` least likely in card text."""
    return max(literal, key=lambda ch: _RANK.get(ch, len(_COMMON)))


def _contains(*literals: str) -> Prefilter:
    """Some literal occurs in the text."""
    gated = tuple((_gate(literal), literal) for literal in literals)

    def test(text: str, folded: str) -> bool:
        for gate, literal in gated:  # noqa: SIM110 (a loop is cheaper than any() here)
            if gate in text and literal in text:
                return True
        return False

    return test


def _found(pattern: str) -> Prefilter:
    """A regex that starts with a literal, which the regex engine skips to quickly."""
    regex = re.compile(pattern)
    return lambda text, folded: regex.search(text) is not None


# Every keyword of the assignment pattern ends with one of these.
_KEYWORD_ENDS = ("password", "passwd", "pwd", "secret", "token", "key")


def _assignment(text: str, folded: str) -> bool:
    """Some ':' or '=' follows one of the keywords, with only whitespace between.

    Each sign looks back a fixed window, so a hostile run of signs costs linear time; when
    whitespace fills the window the keyword may lie before it, and the answer is yes."""
    for sign in ":=":
        at = folded.find(sign)
        while at != -1:
            start = max(at - 32, 0)
            before = folded[start:at].rstrip()
            if before.endswith(_KEYWORD_ENDS) or (start and len(before) < 8):
                return True
            at = folded.find(sign, at + 1)
    return False


# What each pattern finds, the cheap test every match passes, and the pattern.
SECRET_PATTERNS: tuple[tuple[str, Prefilter, re.Pattern[str]], ...] = (
    (
        "an AWS access key id",
        _contains("AKIA", "ASIA"),
        re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    ),
    (
        "a GitHub token",
        _found(r"gh[pousr]_|github_pat_"),
        re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})"),
    ),
    ("a Slack token", _contains("xox"), re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    (
        "a Slack webhook URL",
        _contains("hooks.slack.com"),
        re.compile(r"hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/\w+"),
    ),
    (
        "a private key",
        _contains("PRIVATE KEY"),
        re.compile(r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----"),
    ),
    (
        "a JWT",
        _contains("eyJ"),
        re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
    ),
    ("a Google API key", _contains("AIza"), re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    (
        "an OpenAI or Anthropic API key",
        _contains("sk-"),
        re.compile(r"\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}"),
    ),
    (
        "a Stripe secret key",
        _contains("k_live_"),
        re.compile(r"\b[rs]k_live_[0-9A-Za-z]{16,}"),
    ),
    (
        "a password or secret assignment",
        _assignment,
        re.compile(
            r"(?i:\b(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|"
            r"client[_-]?secret)\s*[=:]\s*['\"]?(?=[^\s'\"]*\d)(?![<{$*])[^\s'\"<>{}]{8,})"
        ),
    ),
)
_CREDENTIAL_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.IGNORECASE)
_PLAIN_HTTP = re.compile(r"\bhttp://", re.IGNORECASE)


def candidate_patterns(text: str) -> list[tuple[str, re.Pattern[str]]]:
    """The secret patterns that may match somewhere in `text` (usually none)."""
    folded = text.casefold()  # as re.IGNORECASE matches: 'ſ' is an 's', 'K' a 'k'
    return [
        (what, pattern) for what, may_match, pattern in SECRET_PATTERNS if may_match(text, folded)
    ]


def _where(path: KeyPath) -> str:
    return dotted(path)


def no_secrets(card: CardContext) -> Iterator[Finding]:
    patterns = candidate_patterns(card.text)
    if not patterns:
        return
    for path, text in card.strings:
        for what, pattern in patterns:
            match = pattern.search(text)
            if match:
                shown = match.group(0)[:6] + "..."
                yield card.finding(
                    X001,
                    f"{_where(path)} holds what looks like {what} ({shown}); remove it, rotate "
                    "it, and keep secrets in a secret store",
                    at=path,
                )
                break


_AUTHORITY = re.compile(r"[^/\s]*")


def _maybe_unsafe_url(text: str) -> bool:
    """Whether some URL in `text` may be plain http:// or carry credentials (a cheap test
    that lets most cards skip the per-value regexes)."""
    at = text.find("://")
    while at != -1:
        if text[max(at - 4, 0) : at].lower() == "http":
            return True
        authority = _AUTHORITY.match(text, at + 3)
        if authority is not None and "@" in authority.group():
            return True
        at = text.find("://", at + 3)
    return False


def safe_urls(card: CardContext) -> Iterator[Finding]:
    if not _maybe_unsafe_url(card.text):
        return
    for path, text in card.strings:
        if "://" not in text:
            continue
        if _CREDENTIAL_URL.search(text):
            yield card.finding(
                X002,
                f"{_where(path)} is a URL with embedded credentials; remove them and rotate them",
                at=path,
            )
        elif _PLAIN_HTTP.search(text):
            yield card.finding(X002, f"{_where(path)} uses plain http://; use https://", at=path)


def paths_inside_root(card: CardContext) -> Iterator[Finding]:
    for at, rel, ref in card.references:
        if ref is Ref.ESCAPES:
            yield card.finding(
                X003,
                f"'{rel}' leads outside the roster root; keep referenced files in the "
                "repository and use a path relative to the card",
                at=at,
            )


X001 = Rule(
    code="X001",
    name="secret-in-card",
    severity=Severity.ERROR,
    scope="card",
    summary="A value looks like a secret (API key, token, private key, password).",
    rationale="Cards are committed and published into the registry; a secret in one is leaked. "
    "Tool credentials belong to the agent's identity and a secret store "
    "(docs/governance.md#family-x).",
    bad="kill_switch: flag x (admin token ghp_0123456789abcdefghijklmnopqrstuvwxyz)",
    good="kill_switch: flag refund-assistant-enabled",
    fix="Remove the value, rotate the secret, and refer to it by its name in your secret store.",
    check=no_secrets,
)
X002 = Rule(
    code="X002",
    name="insecure-url",
    severity=Severity.ERROR,
    scope="card",
    summary="A URL with embedded credentials, or plain `http://`.",
    rationale="Dashboards and runbooks carry operational data; credentials in a URL leak with the "
    "card and plain HTTP can be read in transit (docs/governance.md#family-x).",
    bad="monitoring: {dashboard: 'http://admin:hunter2@dash.example.com/d/x', metrics: [latency]}",
    good="monitoring: {dashboard: 'https://dash.example.com/d/x', metrics: [latency]}",
    fix="Use https:// and remove user:password@ from the URL.",
    check=safe_urls,
)
X003 = Rule(
    code="X003",
    name="path-escapes-root",
    severity=Severity.ERROR,
    scope="card",
    summary="A referenced path escapes the repository root (absolute, `..` past the root, or a "
    "symlink to outside).",
    rationale="Everything an agent's governance relies on lives in the repository, under review; "
    "agentroster never reads files outside it (docs/governance.md#family-x).",
    bad="evals: {golden_set: ../../../elsewhere/golden.jsonl}",
    good="evals: {golden_set: evals/golden.jsonl}",
    fix="Move the file into the repository and refer to it relative to the card.",
    check=paths_inside_root,
)

RULES = (X001, X002, X003)
