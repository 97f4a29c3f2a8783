"""W: waivers. A card's waivers hide its matching findings until `expires` (inclusive)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from agentroster.catalogues import DirectoryPerson, person_key
from agentroster.context import CardContext
from agentroster.findings import Finding, Rule, Severity
from agentroster.model import Person, Waiver
from agentroster.rules import families
from agentroster.rules.base import RuleIndex
from agentroster.rules.helpers import placeholder_person

MAX_WAIVER_DAYS = 365
UNWAIVABLE_FAMILIES = frozenset({"W", "E"})


def expired(card: CardContext) -> Iterator[Finding]:
    for index, waiver in enumerate(card.model.waivers):
        if waiver.expires is not None and waiver.expires < card.today:
            yield card.finding(
                W001,
                f"waiver for {waiver.rule} expired on {waiver.expires.isoformat()}; fix the "
                "finding it hid, or renew the waiver with a new approval",
                at=("waivers", index, "expires"),
            )


def _approver(value: Person | str) -> tuple[str | None, str | None]:
    """(name, email) of an approver: a Person, an email, or a bare name."""
    if isinstance(value, Person):
        return value.name, value.email
    return (None, value) if "@" in value else (value, None)


def _approver_gaps(
    waiver: Waiver, owner: Person | None, people: Mapping[str, DirectoryPerson] | None
) -> list[str]:
    """What is wrong with who approved the waiver: a placeholder, the owner, or someone the
    people directory does not list as active."""
    if waiver.approved_by is None or waiver.approved_by == "":
        return []
    name, email = _approver(waiver.approved_by)
    shown = email or name
    placeholder = placeholder_person(name, email)
    if placeholder is not None:
        return [f"approver '{placeholder[1]}' is a placeholder"]
    if "TODO" in (shown or ""):
        return []  # C009 reports the placeholder `agentroster init` writes
    if owner is not None and (
        (email is not None and person_key(email) == person_key(owner.email))
        or (email is None and name is not None and name.strip().lower() == owner.name.lower())
    ):
        return [f"approved by the card's own owner ({shown})"]
    if people is not None:
        entry = _directory_entry(people, name, email)
        if entry is None:
            return [f"approver '{shown}' is not in the people directory"]
        if entry.status != "active":
            return [f"approver '{shown}' is listed as {entry.status} in the people directory"]
    return []


def _directory_entry(
    people: Mapping[str, DirectoryPerson], name: str | None, email: str | None
) -> DirectoryPerson | None:
    if email is not None:
        return people.get(person_key(email))
    wanted = (name or "").strip().lower()
    return next((p for p in people.values() if p.name.strip().lower() == wanted), None)


def _gaps(
    waiver: Waiver,
    today: date,
    *,
    owner: Person | None = None,
    people: Mapping[str, DirectoryPerson] | None = None,
) -> list[str]:
    gaps = [
        f"no {label}"
        for label, value in (
            ("reason", waiver.reason),
            ("approved_by", waiver.approved_by),
            ("expires", waiver.expires),
        )
        if value is None or value == ""
    ]
    if waiver.expires is not None and waiver.expires > today + timedelta(days=MAX_WAIVER_DAYS):
        gaps.append(
            f"expires {waiver.expires.isoformat()}, more than {MAX_WAIVER_DAYS} days after "
            f"{today.isoformat()}"
        )
    return gaps + _approver_gaps(waiver, owner, people)


def incomplete(card: CardContext) -> Iterator[Finding]:
    owner = card.get("owner")
    for index, waiver in enumerate(card.model.waivers):
        gaps = _gaps(waiver, card.today, owner=owner, people=card.people)
        if gaps:
            yield card.finding(
                W002,
                f"waiver for {waiver.rule}: {'; '.join(gaps)}; a waiver needs a reason, an "
                "approver who is an active person other than the card's owner, and an expiry at "
                f"most {MAX_WAIVER_DAYS} days ahead",
                at=("waivers", index),
            )


def unknown_rule(card: CardContext) -> Iterator[Finding]:
    for index, waiver in enumerate(card.model.waivers):
        rule = _INDEX.lookup(waiver.rule)
        if rule is None:
            yield card.finding(
                W003,
                f"waiver names '{waiver.rule}', which is not a rule code or name; see "
                "`agentroster rules`",
                at=("waivers", index, "rule"),
            )
        elif rule.family in UNWAIVABLE_FAMILIES:
            yield card.finding(
                W003,
                f"waiver names {rule.code} ({rule.name}), which cannot be waived",
                at=("waivers", index, "rule"),
            )


@dataclass(frozen=True)
class ActiveWaiver:
    """A well-formed, unexpired waiver of one card, resolved to a rule code."""

    index: int
    code: str
    rule_text: str


def active_waivers(
    card: CardContext, *, people: Mapping[str, DirectoryPerson] | None = None
) -> list[ActiveWaiver]:
    """The card's waivers that hide findings today. `people` is the roster's people
    directory: the card itself no longer holds it once slimmed (CardFile.slim)."""
    out: list[ActiveWaiver] = []
    waivers = card.model.waivers
    if not waivers:
        return out  # before reading the owner, which would make a LazyCard's model
    owner = card.get("owner")
    for index, waiver in enumerate(waivers):
        rule = _INDEX.lookup(waiver.rule)
        if rule is None or rule.family in UNWAIVABLE_FAMILIES:
            continue
        gaps = _gaps(waiver, card.today, owner=owner, people=people)
        if gaps or waiver.expires is None or waiver.expires < card.today:
            continue
        out.append(ActiveWaiver(index, rule.code, waiver.rule))
    return out


W001 = Rule(
    code="W001",
    name="waiver-expired",
    severity=Severity.ERROR,
    scope="card",
    summary="A waiver's expiry date has passed; the finding it hid is reported again too.",
    rationale="Waivers are time-boxed exceptions; a lapsed one is a decision nobody renewed "
    "(docs/governance.md#family-w).",
    bad="waivers:\n  - {rule: L004, reason: runbooks in progress, "
    "approved_by: priya.raman@example.com, expires: 2026-01-31}",
    good="waivers:\n  - {rule: L004, reason: runbooks in progress, "
    "approved_by: priya.raman@example.com, expires: 2027-01-31}",
    fix="Fix the underlying finding and delete the waiver, or renew it with a fresh approval.",
    check=expired,
)
W002 = Rule(
    code="W002",
    name="waiver-incomplete",
    severity=Severity.ERROR,
    scope="card",
    summary="A waiver lacks a reason, an approver or an expiry, or expires more than a year "
    "ahead; or its approver is a placeholder, the card's owner, or (with a people directory) "
    "not an active person.",
    rationale="An exception without an owner and an end date becomes the rule, and one its own "
    "owner approved was never reviewed by anyone; the one-year limit is a house default that "
    "keeps every exception under review (docs/governance.md#family-w).",
    bad="waivers:\n  - {rule: L004, reason: runbooks in progress, approved_by: "
    "dana.whitfield@example.com, expires: 2027-01-31}   # the owner",
    good="waivers:\n  - {rule: L004, reason: runbooks in progress, approved_by: "
    "priya.raman@example.com, expires: 2027-01-31}",
    fix="Add `reason`, an `approved_by` who is an active person other than the owner, and an "
    "`expires` date at most 365 days ahead.",
    check=incomplete,
)
W003 = Rule(
    code="W003",
    name="waiver-unknown-rule",
    severity=Severity.ERROR,
    scope="card",
    summary="A waiver names a rule that does not exist or cannot be waived.",
    rationale="A waiver is an approved exception to a rule; one for a mistyped rule hides nothing "
    "while looking approved (docs/governance.md#family-w).",
    bad="waivers:\n  - {rule: L04, reason: x, approved_by: priya.raman@example.com, "
    "expires: 2027-01-31}",
    good="waivers:\n  - {rule: L004, reason: x, approved_by: priya.raman@example.com, "
    "expires: 2027-01-31}",
    fix="Use a rule code or name from `agentroster rules`; W and E findings cannot be waived.",
    check=unknown_rule,
)
W004 = Rule(
    code="W004",
    name="waiver-unused",
    severity=Severity.WARNING,
    scope="card",
    summary="A valid waiver suppresses nothing: the finding it was for is gone.",
    rationale="Stale waivers are noise in the governance review and would silently hide a future "
    "regression (docs/governance.md#family-w).",
    bad="waivers:   # on a card that has runbooks for every failure mode\n  - {rule: L004, reason: "
    "runbooks in progress, approved_by: priya.raman@example.com, expires: 2027-01-31}",
    good="# no waivers: the runbooks are written, so nothing is left to waive",
    fix="Delete the waiver.",
)

RULES = (W001, W002, W003, W004)
# every rule a waiver may name: the other families and these
_INDEX = RuleIndex.of((*families.RULES, *RULES))
