"""The portfolio site that `agentroster build --html` writes under `html/`: static pages a
governance board opens from a CI artifact, a static host or the disk.

- `html/index.html`: the portfolio. Counts by tier, status and pattern; what needs attention
  first (open sev1 and sev2 incidents, material changes without CAB approval, waivers by
  expiry, and in a dated build error findings, overdue reviews and reviews falling due); a
  table of every agent with text search, filters and sortable columns (`site.js`), their
  state kept in the URL fragment (`#q=refund&tier=1&sort=next_due`).
- `html/agents/<id>.html`: every fact of one card in plain language, handoffs in and out as
  links, where its work goes when it fails, the lifecycle, waivers, and (dated) its findings
  with file and line.
- `html/graph.html`: the handoff graph as SVG laid out here at build time (`emit.svg`), and
  the human queues. A graph too large for one picture is split as the Markdown docs split it
  (`emit.graph.split`): `graph.html` indexes `graph-<n>.html`.
- `html/site.css`, `html/site.js`: the site's own style and script, the only files the pages
  load. Nothing else is requested: no CDN, no web font, and no value from a card is ever a
  link (URLs and repository paths are shown as text); the pages link only one another.

Every value from a card, a catalogue or a file name reaches a page through a Jinja2 template
with autoescape, after `_shown` (the environment's `finalize`) has made control characters,
bidi controls and lone surrogates visible (`escape.terminal_text`). A Content-Security-Policy
meta tag (`CSP`) lets the pages load only their own files, so even markup that slipped through
could run no script. Pure function of the roster, the report and the registry document:
same input, same bytes; an undated build shows nothing that depends on the date.
"""

from __future__ import annotations

import functools
import re
import typing
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from agentroster import __version__
from agentroster.context import CardContext, CardFile, Roster
from agentroster.emit.docs import CADENCE, EMPTY, TIER_WORDS
from agentroster.emit.graph import Part, split
from agentroster.emit.svg import handoff_svg
from agentroster.escape import json_string, terminal_text
from agentroster.findings import Finding, Report
from agentroster.graph import HUMAN, HandoffGraph, handoff_graph
from agentroster.lazycard import release
from agentroster.model import ID_PATTERN, SponsorRole, Status
from agentroster.rules.tier import BASE_REVIEWS, METRICS_REVIEW_DAYS, SPONSOR_ROLES, TIER1_REVIEWS

SITE = "html"
# The site's own files only: its script and style sheet, no inline script or style, no
# request anywhere else; `img-src data:` for the empty favicon that stops a browser asking
# the server for /favicon.ico. Chromium treats `'self'` on a file:// page as file: URLs, so
# the site works opened from disk.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'"
)
STATIC = ("site.css", "site.js", "nojs.css")
# The table of agents shows this many rows at first (and a button for the rest): a browser
# lays out 2,000 rows in about a second, which is the whole load time of a large portfolio.
# site.css and nojs.css name the row after it (`nth-child(n+201)`).
PAGE_ROWS = 200
_PAGE_NAME = re.compile(ID_PATTERN)
_STATUS_ORDER = {status: n for n, status in enumerate(typing.get_args(Status))}
TIER_LABEL = {1: "Tier 1, highest risk", 2: "Tier 2, medium risk", 3: "Tier 3, low risk"}
REVIEW_STATES = {
    "overdue": "overdue",
    "due-soon": "due soon",
    "on-schedule": "on schedule",
    "never": "never reviewed",
    "unscheduled": "no schedule",
}
EDGE_WORDS = {"handoff": "hands work to", "fallback": "falls back to", "escalation": "escalates to"}


def _usd(amount: float | None) -> str | None:
    return None if amount is None else f"{amount:,.2f} USD"


def _count(number: int | None) -> str | None:
    return None if number is None else f"{number:,}"


def _shown(value: Any) -> Any:
    """What `{{ value }}` prints, before autoescape: markup built here as it is; text with
    control characters made visible; None and an empty list as a dash; booleans as yes/no;
    lists comma-separated."""
    if isinstance(value, Markup):
        return value
    if value is None or value == [] or value == ():
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(terminal_text(str(v)) for v in value)
    if isinstance(value, str):
        return terminal_text(value)
    return value


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The templates under `emit/templates`, with autoescape on and `_shown` as finalize."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("agentroster.emit", "templates"),
        autoescape=True,
        finalize=_shown,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["usd"] = _usd
    env.filters["count"] = _count
    return env


def static_file(name: str) -> str:
    """The text of one of the site's own files (`STATIC`), from the package."""
    return (resources.files("agentroster.emit") / "templates" / name).read_text("utf-8")


def page_name(agent: str) -> str | None:
    """The agent's page under `html/agents/`, or None when its id could not name a file
    safely (ids are validated, so only a card read with errors has none)."""
    return f"{agent}.html" if _PAGE_NAME.fullmatch(agent) else None


@dataclass
class _Agent:
    """One agent with a page: its registry entry and the card it came from."""

    entry: dict[str, Any]
    card: CardContext
    file: CardFile
    page: str  # relative to html/agents/


@dataclass(frozen=True)
class Tiered:
    """What a tier demands, as the rules of family T check it."""

    words: str
    sponsor: str
    review: str
    metrics_days: int
    gate: tuple[str, ...]
    audit: bool


def tier_demands(tier: int | None) -> Tiered | None:
    if tier is None:
        return None
    roles = SPONSOR_ROLES[tier]
    any_role = set(roles) == set(typing.get_args(SponsorRole))
    return Tiered(
        words=TIER_WORDS[tier],
        sponsor="any role; a team-level sponsor is enough" if any_role else " or ".join(roles),
        review=CADENCE[tier],
        metrics_days=METRICS_REVIEW_DAYS[tier],
        gate=BASE_REVIEWS + (TIER1_REVIEWS if tier == 1 else ()),
        audit=tier == 1,
    )


class _Site:
    """What every page needs: the agents with pages, the graph and its diagrams, the date."""

    def __init__(self, roster: Roster, report: Report, doc: dict[str, Any]) -> None:
        self.roster = roster
        self.report = report
        self.dated: str | None = doc["generated_for"]
        self.today = date.fromisoformat(self.dated) if self.dated else None
        entries = {(a["id"], a["path"]): a for a in doc["agents"]}
        found: list[_Agent] = []
        for card_file in roster.files:
            card = card_file.context
            if card is None or "id" in card.tainted:
                continue
            rel = json_string(card_file.file.relative_to(roster.root).as_posix())
            entry = entries[(card.model.id, rel)]
            page = page_name(entry["id"])
            if page is not None:
                found.append(_Agent(entry, card, card_file, page))
        found.sort(key=lambda a: (a.entry["id"], a.entry["path"]))
        # duplicate ids (C005, built with --allow-errors): the first card by path has the page
        self.agents: dict[str, _Agent] = {}
        for agent in found:
            self.agents.setdefault(agent.entry["id"], agent)
        self.entries = [a.entry for a in found]

    @functools.cached_property
    def graph(self) -> HandoffGraph:
        return handoff_graph(self.roster)

    @functools.cached_property
    def parts(self) -> list[Part]:
        """The handoff graph's pictures, split as the Markdown docs split it."""
        folders: dict[str, str] = {}
        teams: dict[str, str] = {}
        for agent, info in self.graph.agents.items():
            folders[agent] = info.card.file.parent.relative_to(self.roster.root).as_posix()
            owner = info.card.context.get("owner") if info.card.context else None
            teams[agent] = (owner.team or "") if owner is not None else ""
        return split(self.graph, keys=(("folder", folders), ("team", teams)))

    @functools.cached_property
    def home(self) -> dict[str, int]:
        """Node -> the picture drawing its own edges; empty when there is one picture."""
        out: dict[str, int] = {}
        if len(self.parts) > 1:
            for number, part in enumerate(self.parts, 1):
                for member in part.members:
                    out.setdefault(member, number)
        return out

    @functools.cached_property
    def incoming(self) -> dict[str, set[tuple[str, str]]]:
        """Node -> (source, kind) of every edge into it."""
        out: dict[str, set[tuple[str, str]]] = {}
        for ref in self.graph.refs:
            out.setdefault(ref.target, set()).add((ref.source, ref.kind))
        return out

    def href(self, agent: str, root: str) -> str | None:
        """The link to an agent's page from a page `root` below html/, or None."""
        known = self.agents.get(agent)
        return f"{root}agents/{known.page}" if known is not None else None

    def review_state(self, entry: dict[str, Any], due_within: int) -> str | None:
        """overdue, due-soon, on-schedule, never or unscheduled; None in an undated build."""
        if self.today is None:
            return None
        review = entry["review"]
        if review["last"] is None:
            return "never"
        if review["next_due"] is None:
            return "unscheduled"
        if review["overdue"]:
            return "overdue"
        days = (date.fromisoformat(review["next_due"]) - self.today).days
        return "due-soon" if days <= due_within else "on-schedule"

    def findings(self, agent: _Agent) -> list[Finding]:
        return self.report.by_path.get(agent.file.path, []) if self.dated else []


def _common(s: _Site, root: str, page: str) -> dict[str, Any]:
    return {
        "root": root,
        "page": page,
        "csp": CSP,
        "version": __version__,
        "dated": s.dated,
        "tier_label": TIER_LABEL,
        "review_states": REVIEW_STATES,
        "href": lambda agent: s.href(agent, root),
        "human": HUMAN,
    }


# --- index.html ----------------------------------------------------------------------------


def _counts(entries: list[dict[str, Any]], key: str) -> list[tuple[Any, int]]:
    counts = Counter(e[key] for e in entries if e[key] is not None)
    order: Callable[[Any], Any] = (
        (lambda v: _STATUS_ORDER.get(v, 99)) if key == "status" else (lambda v: v)
    )
    return sorted(counts.items(), key=lambda item: order(item[0]))


def _row(s: _Site, agent: _Agent) -> dict[str, Any]:
    entry = agent.entry
    owner = entry["owner"] or {}
    due_within = agent.card.config.policy.due_within
    return {
        "entry": entry,
        "href": f"agents/{agent.page}",
        "owner": owner.get("name"),
        "team": owner.get("team"),
        "review": s.review_state(entry, due_within),
        "search": " ".join(
            str(v) for v in (entry["description"], owner.get("email")) if v is not None
        ),
    }


def _attention(s: _Site) -> dict[str, Any]:
    entries = s.entries
    incidents = sorted(
        ((i, a) for a in entries for i in a["incidents"]["open"] if i["severity"] != "sev3"),
        key=lambda pair: (pair[0]["severity"], pair[0]["date"], pair[1]["id"]),
    )  # sev1 first, then the oldest
    changes = [(c, a) for a in entries for c in a["changes"] if c["unapproved"]]
    waivers = sorted(
        ((w, a) for a in entries for w in a["waivers"]),
        key=lambda pair: (pair[0]["expires"] or "9999-12-31", pair[1]["id"], pair[1]["path"]),
    )  # soonest first; a waiver without an expiry (W002) last
    out: dict[str, Any] = {"incidents": incidents, "changes": changes, "waivers": waivers}
    if s.today is not None:
        rows = {a.entry["id"]: _row(s, a) for a in s.agents.values()}
        tiered = sorted(rows.values(), key=lambda r: (r["entry"]["tier"] or 9, r["entry"]["id"]))
        out["errors"] = [r for r in tiered if (r["entry"]["findings"] or {}).get("errors")]
        out["overdue"] = [r for r in tiered if r["review"] == "overdue"]
        out["due_soon"] = sorted(
            (r for r in tiered if r["review"] == "due-soon"),
            key=lambda r: (r["entry"]["review"]["next_due"], r["entry"]["id"]),
        )
    return out


def _options(rows: list[dict[str, Any]]) -> dict[str, list[tuple[str, str]]]:
    """(value, label) of each filter, for the values the table holds."""

    def values(get: Callable[[dict[str, Any]], Any], key: Callable[[Any], Any] = str) -> list[Any]:
        return sorted({get(r) for r in rows if get(r) is not None}, key=key)

    return {
        "tier": [(str(t), TIER_LABEL.get(t, str(t))) for t in values(lambda r: r["entry"]["tier"])],
        "status": [
            (v, v)
            for v in values(lambda r: r["entry"]["status"], lambda v: _STATUS_ORDER.get(v, 99))
        ],
        "pattern": [(v, v) for v in values(lambda r: r["entry"]["pattern"])],
        "team": [(v, v) if v else ("-", "(no team)") for v in values(lambda r: r["team"] or "")],
        "review": [
            (key, label)
            for key, label in REVIEW_STATES.items()
            if any(r["review"] == key for r in rows)
        ],
    }


def _index(s: _Site) -> dict[str, Any]:
    rows = [_row(s, a) for a in s.agents.values()]
    entries = s.entries
    return {
        **_common(s, "", "index"),
        "count": len(rows),
        "rows": rows,
        "page_rows": PAGE_ROWS,
        "options": _options(rows),
        "by": {
            "tier": _counts(entries, "tier"),
            "status": _counts(entries, "status"),
            "pattern": _counts(entries, "pattern"),
        },
        "attention": _attention(s),
        "due_within": sorted({a.card.config.policy.due_within for a in s.agents.values()}),
    }


# --- agents/<id>.html ----------------------------------------------------------------------


def _agent_page(s: _Site, agent: _Agent) -> dict[str, Any]:
    entry, card = agent.entry, agent.card
    ident = entry["id"]
    distance = s.graph.distance().get(ident)
    return {
        **_common(s, "../", "agent"),
        "entry": entry,
        "get": card.get,
        "demands": tier_demands(entry["tier"]),
        "handoffs_in": sorted(s.incoming.get(ident, ())),
        "edge_words": EDGE_WORDS,
        "distance": distance,
        "diagram": s.home.get(ident),
        "review": s.review_state(entry, card.config.policy.due_within),
        "findings": s.findings(agent),
        "incidents": sorted(card.get("incidents") or (), key=lambda i: i.date, reverse=True),
    }


# --- graph.html ----------------------------------------------------------------------------


def _queue_rows(s: _Site) -> list[dict[str, Any]]:
    """One row per human queue: declared in the catalogue, or handed work by some card."""
    queues = (s.roster.catalogues.queues if s.roster.catalogues else None) or {}
    senders = {node: edges for node, edges in s.incoming.items() if node.startswith(HUMAN)}
    rows = []
    for name in sorted(set(senders) | {HUMAN + q for q in queues}):
        queue = queues.get(name[len(HUMAN) :])
        rows.append(
            {
                "name": name,
                "owner": queue.owner if queue else None,
                "response": queue.response_time if queue else None,
                "senders": sorted(senders.get(name, ())),
            }
        )
    return rows


def _graph_problems(s: _Site) -> dict[str, Any]:
    """Agents from which no human can be reached, and closed cycles, for the text beside
    the picture (the picture highlights them too)."""
    graph = s.graph
    live = graph.reaches_human_or_unknown()
    return {
        "dead_ends": sorted(a for a in graph.agents if a not in live),
        "cycles": [c.cycle for c in graph.closed_cycles()],
    }


def _svg(s: _Site, keep: set[str] | None) -> Markup:
    """The picture of the graph, or of `keep` only, for a page in html/ (`emit.svg` escapes
    every label; its agents link to their pages)."""
    return Markup(handoff_svg(s.graph, keep, lambda agent: s.href(agent, "")))


def _graph_pages(s: _Site) -> dict[str, str]:
    env = environment()
    parts = s.parts
    common = _common(s, "", "graph")
    problems = _graph_problems(s)
    queues = _queue_rows(s)
    pages: dict[str, str] = {}
    if len(parts) == 1:
        pages["graph.html"] = env.get_template("graph.html").render(
            **common, svg=_svg(s, None), parts=[], queues=queues, **problems
        )
        return pages
    listing = [
        {
            "number": n,
            "agents": sum(1 for m in part.members if m in s.graph.agents),
            "edges": len(part.edges),
            "first": part.members[:3],
            "more": max(0, len(part.members) - 3),
        }
        for n, part in enumerate(parts, 1)
    ]
    pages["graph.html"] = env.get_template("graph.html").render(
        **common, svg=None, parts=listing, queues=queues, **problems
    )
    for number, part in enumerate(parts, 1):
        pages[f"graph-{number}.html"] = env.get_template("graph_part.html").render(
            **common,
            number=number,
            total=len(parts),
            svg=_svg(s, set(part.nodes)),
            members=[m for m in part.members if m in s.graph.agents],
        )
    return pages


def site(roster: Roster, report: Report, doc: dict[str, Any]) -> dict[str, str]:
    """Every file of the site by its path relative to the build's output directory."""
    return dict(sorted(pages(roster, report, doc)))


def pages(roster: Roster, report: Report, doc: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Every file of the site with its path relative to the build's output directory, one
    at a time (a build writes each agent's page before the next is made)."""
    s = _Site(roster, report, doc)
    env = environment()
    for name in STATIC:
        yield f"{SITE}/{name}", static_file(name)
    yield f"{SITE}/index.html", env.get_template("index.html").render(_index(s))
    for rel, text in _graph_pages(s).items():
        yield f"{SITE}/{rel}", text
    agent_template = env.get_template("agent.html")
    for agent in s.agents.values():
        yield f"{SITE}/agents/{agent.page}", agent_template.render(_agent_page(s, agent))
        release(agent.card.model)
