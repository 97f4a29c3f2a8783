"""X: security hygiene in the card itself (DOMAIN.md, autonomy and tools: least privilege)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from agentroster.findings import Finding, KeyPath, Severity
from agentroster.rules import references
from agentroster.rules.base import CardContext, Rule

# Each pattern names what it found and the literal text it cannot match without: a fast
# substring test gates the regex (a regex with a leading \b scans ~30x slower than `in`).
# Literals marked lower=True are looked for in the lowercased text.
SECRET_PATTERNS: tuple[tuple[str, tuple[str, ...], bool, re.Pattern[str]], ...] = (
    ("an AWS access key id", ("AKIA", "ASIA"), False, re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    (
        "a GitHub token",
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
        False,
        re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})"),
    ),
    ("a Slack token", ("xox",), False, re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    (
        "a Slack webhook URL",
        ("hooks.slack.com",),
        False,
        re.compile(r"hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/\w+"),
    ),
    (
        "a private key",
        ("PRIVATE KEY",),
        False,
        re.compile(r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----"),
    ),
    (
        "a JWT",
        ("eyJ",),
        False,
        re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
    ),
    ("a Google API key", ("AIza",), False, re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    (
        "an OpenAI or Anthropic API key",
        ("sk-",),
        False,
        re.compile(r"\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}"),
    ),
    ("a Stripe secret key", ("k_live_",), False, re.compile(r"\b[rs]k_live_[0-9A-Za-z]{16,}")),
    (
        "a password or secret assignment",
        ("password", "passwd", "pwd", "secret", "token", "key"),
        True,
        re.compile(
            r"(?i:\b(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|"
            r"client[_-]?secret)\s*[=:]\s*['\"]?(?=[^\s'\"]*\d)(?![<{$*])[^\s'\"<>{}]{8,})"
        ),
    ),
)
_CREDENTIAL_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.IGNORECASE)
_PLAIN_HTTP = re.compile(r"\bhttp://", re.IGNORECASE)


def candidate_patterns(text: str) -> list[tuple[str, re.Pattern[str]]]:
    """The secret patterns whose literals occur in `text` (usually none)."""
    lower = text.lower()
    return [
        (what, pattern)
        for what, literals, in_lower, pattern in SECRET_PATTERNS
        if any(lit in (lower if in_lower else text) for lit in literals)
    ]


def _where(path: KeyPath) -> str:
    from agentroster.validate import dotted

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


def safe_urls(card: CardContext) -> Iterator[Finding]:
    text = card.text
    plain = "http://" in text.lower()
    if not plain and not ("@" in text and "://" in text):
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
    for at, rel in references.referenced_paths(card):
        if references.check(card, rel) is references.Ref.ESCAPES:
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
    "Tool auth is scoped to the agent's identity, not pasted into its description (DOMAIN.md, "
    "autonomy and tools).",
    bad="kill_switch: flag x (admin token: ghp_0123456789abcdefghijklmnopqrstuvwxyz)",
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
    rationale="Dashboards and runbooks carry operational data; credentials in a URL leak with "
    "the card and plain HTTP can be read in transit (DOMAIN.md, autonomy and tools).",
    bad="monitoring: {dashboard: 'http://admin:hunter2@dash.example.com/d/x'}",
    good="monitoring: {dashboard: 'https://dash.example.com/d/x'}",
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
    rationale="Everything an agent's governance relies on lives in the repository, under "
    "review (DOMAIN.md, agent-as-code); agentroster never reads files outside it.",
    bad="evals: {golden_set: ../../../shared/golden.jsonl}",
    good="evals: {golden_set: evals/golden.jsonl}",
    fix="Move the file into the repository and refer to it relative to the card.",
    check=paths_inside_root,
)

RULES = (X001, X002, X003)
