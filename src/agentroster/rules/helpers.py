"""Small facts about cards that several rules share."""

from __future__ import annotations

import calendar
import functools
import re
from datetime import date

from agentroster.model import AgentCard, Person

WRITE_ACCESS = frozenset({"write", "trigger"})
CADENCE_MONTHS = {"quarterly": 3, "semiannual": 6, "annual": 12}
TIER_CADENCE = {1: "quarterly", 2: "semiannual", 3: "annual"}

# Mailbox local parts that belong to a function, not a person.
ROLE_MAILBOXES = frozenset(
    [
        "team",
        "teams",
        "support",
        "help",
        "helpdesk",
        "servicedesk",
        "service-desk",
        "desk",
        "admin",
        "admins",
        "administrator",
        "info",
        "contact",
        "hello",
        "ops",
        "operations",
        "platform",
        "ai",
        "ai-platform",
        "ai-team",
        "ml",
        "mlops",
        "sales",
        "billing",
        "noreply",
        "no-reply",
        "donotreply",
        "do-not-reply",
        "security",
        "it",
        "hr",
        "finance",
        "legal",
        "compliance",
        "engineering",
        "eng",
        "dev",
        "devops",
        "sre",
        "oncall",
        "on-call",
        "all",
        "staff",
        "office",
        "feedback",
        "marketing",
        "press",
        "webmaster",
        "postmaster",
        "root",
        "abuse",
        "alerts",
        "notifications",
        "bot",
        "bots",
        "service",
        "services",
        "group",
        "governance",
    ]
)
_ROLE_AFFIXES = re.compile(
    r"^(team|teams|group|all|dl|list)-|-(team|teams|ops|support|platform|oncall|on-call|group|"
    r"squad|desk|admins|help|all|eng|alerts|dl|list|bot|office)$"
)
TEAM_WORDS = frozenset(
    [
        "team",
        "teams",
        "squad",
        "group",
        "department",
        "dept",
        "platform",
        "committee",
        "operations",
        "ops",
        "guild",
        "crew",
        "helpdesk",
        "desk",
        "office",
        "unit",
    ]
)


_SEPARATORS = re.compile(r"[\s._]+")


def _norm(text: str) -> str:
    return _SEPARATORS.sub("-", text.strip().lower())


def not_a_person(person: Person) -> tuple[str, str] | None:
    """(field at fault, reason) when `person` is a team or a mailbox, else None.

    A name with a space and a personal mailbox is a person. Role mailboxes (team@, support@,
    ai-platform@, names like *-team@), a mailbox equal to the team name, or a name made of
    team words ('AI Platform Team') are not.
    """
    return _not_a_person(person.name, person.email, person.team)


@functools.lru_cache(maxsize=4096)  # one person usually owns several agents
def _not_a_person(name: str, email: str, team: str | None) -> tuple[str, str] | None:
    local = _norm(email.split("@", 1)[0])
    if local in ROLE_MAILBOXES or _ROLE_AFFIXES.search(local):
        return "email", f"'{email}' is a role mailbox"
    if team and _norm(team) == local:
        return "email", f"'{email}' is the mailbox of team '{team}'"
    words = set(_norm(name).split("-"))
    if words & TEAM_WORDS:
        return "name", f"'{name}' names a team"
    return None


# Words that stand for "nobody yet" where a person belongs. `TODO` is not here: it is what
# `agentroster init` writes, and C009 reports it.
PLACEHOLDER_PEOPLE = frozenset(
    ["n/a", "na", "tbd", "tba", "unknown", "none", "nobody", "-", "x", "test", "changeme"]
)


def is_placeholder(text: str) -> bool:
    """True when a name, or an email's local part, is a placeholder word (any case)."""
    return text.strip().lower() in PLACEHOLDER_PEOPLE


def placeholder_person(name: str | None, email: str | None) -> tuple[str, str] | None:
    """(field at fault, value) when the name or the email's local part is a placeholder word;
    the email's domain is ignored."""
    if name is not None and is_placeholder(name):
        return "name", name
    if email is not None and is_placeholder(email.split("@", 1)[0]):
        return "email", email
    return None


def add_months(day: date, months: int) -> date:
    """Calendar-month arithmetic; the day is clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_cadence(card: AgentCard) -> str:
    """The cadence in force: the tier's, or the card's own when it is stricter."""
    tier_cadence = TIER_CADENCE[card.tier]
    own = card.review.cadence if card.review else None
    if own and CADENCE_MONTHS[own] < CADENCE_MONTHS[tier_cadence]:
        return own
    return tier_cadence


def classes(card: AgentCard) -> frozenset[str]:
    return frozenset(card.data.classes) if card.data else frozenset()


IN_USE = frozenset({"pilot", "production"})  # statuses in which an agent serves people


def days_since(day: date, today: date) -> int:
    """Whole days from `day` to `today` (negative for a day after today). A date is "older
    than N days" when this is more than N."""
    return (today - day).days
