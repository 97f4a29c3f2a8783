"""Baselines, for adopting agentroster on a roster that already has findings.

`lint --write-baseline FILE` records the findings of a run; `lint --baseline FILE` (or the
config key `baseline`) hides the findings the file records and reports only new ones.

An entry is matched by its rule code, its agent (or, for a file that names no agent, its
path), the key path of the node at fault, and a fingerprint of the message with line and
column numbers taken out: never by line, so editing another part of a card does not bring a
recorded finding back, while a changed value (a different message) does. Entries that match
nothing any more are counted as fixed, so the file can shrink (`--write-baseline` again).

The file is JSON: sorted entries, two-space indentation, one trailing newline: the same
findings give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from agentroster.findings import Finding

FORMAT = "agentroster-baseline/1"
_POSITION = re.compile(r"\b(line|column)s? \d+")
# identities (code, subject, key path, fingerprint) with how many findings each records
Known = Counter[tuple[str, str, str, str]]


class BaselineError(ValueError):
    """A baseline file that cannot be used; the message says why."""


def _dotted(key: tuple[str | int, ...]) -> str:
    out = ""
    for part in key:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _identity(finding: Finding) -> tuple[str, str, str, str]:
    subject = f"agent:{finding.agent}" if finding.agent else f"path:{finding.path}"
    message = _POSITION.sub(r"\1 N", finding.message)
    digest = hashlib.sha256(
        "\x00".join((finding.code, subject, _dotted(finding.key), message)).encode(
            "utf-8", "surrogatepass"
        )
    ).hexdigest()[:16]
    return finding.code, subject, _dotted(finding.key), digest


def entries(findings: Iterable[Finding]) -> list[dict[str, str]]:
    """One entry per finding, sorted: code, subject (agent or path), key path, fingerprint,
    and the message and path for the people who read the file."""
    out = []
    for finding in findings:
        code, subject, key, digest = _identity(finding)
        out.append(
            {
                "code": code,
                "subject": subject,
                "key": key,
                "fingerprint": digest,
                "path": finding.path,
                "message": finding.message,
            }
        )
    out.sort(key=lambda e: (e["subject"], e["code"], e["key"], e["fingerprint"], e["path"]))
    return out


def dumps(findings: Iterable[Finding]) -> str:
    """The baseline file's text for `findings`."""
    doc = {"format": FORMAT, "findings": entries(findings)}
    return json.dumps(doc, indent=2, ensure_ascii=True, sort_keys=True) + "\n"


def loads(text: str, *, where: str) -> Known:
    """The entries of a baseline file, as a multiset of identities. Raises BaselineError."""
    try:
        doc: Any = json.loads(text)
    except ValueError as exc:
        raise BaselineError(f"{where}: not a baseline file: invalid JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BaselineError(f'{where}: not a baseline file: expected "format": "{FORMAT}"')
    items = doc.get("findings")
    if not isinstance(items, list):
        raise BaselineError(f'{where}: "findings" must be a list')
    known: Known = Counter()
    for index, item in enumerate(items):
        fields = ("code", "subject", "key", "fingerprint")
        if not isinstance(item, dict) or not all(isinstance(item.get(f), str) for f in fields):
            raise BaselineError(
                f"{where}: findings[{index}] needs the strings code, subject, key and fingerprint"
            )
        known[(item["code"], item["subject"], item["key"], item["fingerprint"])] += 1
    return known


def hide(findings: list[Finding], left: Known) -> list[Finding]:
    """The findings that `left` does not record. Each entry hides one finding and is used up
    (`left` is updated), so one baseline can serve several rosters and what is left over at
    the end is what was fixed."""
    kept: list[Finding] = []
    for finding in findings:
        identity = _identity(finding)
        if left[identity] > 0:
            left[identity] -= 1
        else:
            kept.append(finding)
    return kept


def known(findings: Iterable[Finding]) -> Known:
    """The identities of `findings` as a multiset, as if a baseline file recorded them: the
    findings of a base revision, for `lint --new-only` and `diff`."""
    return Counter(_identity(finding) for finding in findings)
