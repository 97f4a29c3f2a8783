"""Helpers for the portfolio site's tests: build a roster's site into a folder, read the links
of its pages, and a roster whose cards carry markup, scripts and control characters."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from agentroster.build import render
from agentroster.config import load_config
from agentroster.pipeline import lint_loaded, load_roster
from tests.conftest import CLEAN_CARD, TODAY


def site_files(root: Path, *, today: dt.date | None = None) -> dict[str, str]:
    """Every file `build --html` makes for the roster at `root` (dated when `today`)."""
    config = load_config(root)
    roster = load_roster(root, config, today=today or TODAY, cwd=root)
    report = lint_loaded(roster, config, today=today or TODAY)
    return render(roster, report, today=today, out=root / config.build_out, html=True)


def write_site(root: Path, out: Path, *, today: dt.date | None = None) -> Path:
    """Build the roster at `root` into `out`; the site's folder (`out/html`)."""
    return write_pages(site_files(root, today=today), out)


def write_pages(files: dict[str, str], out: Path) -> Path:
    """Write a build's files into `out`; the site's folder (`out/html`)."""
    for rel, text in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return out / "html"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.repeated: list[str] = []  # ids given to more than one element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            ident = values["id"] or ""
            if ident in self.ids:
                self.repeated.append(ident)
            self.ids.add(ident)
        for name in ("href", "src"):
            if values.get(name) is not None:
                self.links.append(values[name] or "")


def parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def broken_links(site: Path, pattern: str = "*.html") -> list[str]:
    """`page: link (why)` for every href or src in the site's pages (those matching
    `pattern`) that does not resolve to a file of the site (and, for a fragment that is not
    table state, an element of that page)."""
    parsed: dict[Path, _Links] = {}

    def read(page: Path) -> _Links:
        if page not in parsed:
            parsed[page] = parse(page.read_text(encoding="utf-8"))
        return parsed[page]

    found = []
    for page in sorted(site.rglob(pattern)):
        for link in read(page).links:
            parts = urlsplit(link)
            if parts.scheme == "data" and link == "data:,":
                continue  # the empty favicon
            if parts.scheme or parts.netloc:
                found.append(f"{page.relative_to(site)}: {link} (leaves the site)")
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_relative_to(site.resolve()) or not target.is_file():
                found.append(f"{page.relative_to(site)}: {link} (no such file in the site)")
                continue
            fragment = unquote(parts.fragment)
            state = "=" in fragment or target.suffix != ".html"  # table state, not an element
            if fragment and not state and fragment not in read(target).ids:
                found.append(f"{page.relative_to(site)}: {link} (no element #{fragment})")
    return found


# -- a roster an attacker wrote -------------------------------------------------------------

SCRIPT = "<script>alert('name')</script>"
BREAKOUT = "</script><img src=x onerror=alert(1)>"
ATTRIBUTE = '"><img src=x onerror=alert(2)>'
CONTROLS = "bell\x07 escape\x1b[31m bidi\u202eexe.txt"
# (the text as the card holds it, as a page must show it)
HOSTILE_TEXT = [
    (SCRIPT, SCRIPT),
    (BREAKOUT, BREAKOUT),
    (ATTRIBUTE, ATTRIBUTE),
    (CONTROLS, "bell\\x07 escape\\x1b[31m bidi\\u202eexe.txt"),
]


def _yaml(text: str) -> str:
    """`text` as a YAML double-quoted scalar, control characters as escapes."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif not char.isprintable():
            out.append(f"\\u{ord(char):04x}" if ord(char) > 0xFF else f"\\x{ord(char):02x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


HOSTILE_CARD = (
    CLEAN_CARD.replace("name: Notes Helper", f"name: {_yaml(SCRIPT + ' ' + CONTROLS)}")
    .replace(
        "description: Drafts meeting notes for employees to edit and send.",
        f"description: {_yaml(BREAKOUT + ' ' + ATTRIBUTE)}",
    )
    .replace(
        "owner: {name: Dana Whitfield, email: dana.whitfield@example.com}",
        f"owner: {{name: {_yaml(ATTRIBUTE)}, email: dana.whitfield@example.com, "
        f"team: {_yaml(SCRIPT)}}}",
    )
    .replace("escalation: {to: human:workplace-it}", "escalation: {to: next-helper}")
    + f"tags: [{_yaml(CONTROLS)}]\n"
    + "handoffs:\n"
    + f"  - {{to: next-helper, trigger: {_yaml(BREAKOUT)}, decision: {_yaml(CONTROLS)}, "
    + "fallback: human:workplace-it}\n"
    + "incidents:\n"
    + f"  - {{id: {_yaml(SCRIPT)}, date: 2026-10-01, severity: sev1, "
    + f"summary: {_yaml('</td></tr></table>' + BREAKOUT)}}}\n"
    + "waivers:\n"
    + f"  - {{rule: {_yaml(ATTRIBUTE)}, reason: {_yaml(SCRIPT + CONTROLS)}, "
    + "approved_by: priya.raman@example.com, expires: 2027-01-31}\n"
)
NEXT_CARD = CLEAN_CARD.replace("id: notes-helper", "id: next-helper").replace(
    "escalation: {to: human:workplace-it}", f"escalation: {{to: {_yaml('human:' + SCRIPT)}}}"
)
# a card whose id fails validation: it has no page, but its targets are still in the graph
BROKEN_CARD = CLEAN_CARD.replace("id: notes-helper", f"id: {_yaml(BREAKOUT)}").replace(
    "escalation: {to: human:workplace-it}", f"escalation: {{to: {_yaml(ATTRIBUTE)}}}"
)
HOSTILE_ROSTER = {
    "notes-helper.agent.yaml": HOSTILE_CARD,
    "next-helper.agent.yaml": NEXT_CARD,
    "broken.agent.yaml": BROKEN_CARD,
}
# markup a hostile card would inject if its text were not escaped (escaped, `onerror=` is text)
RAW_MARKUP = re.compile(r"<(?:img|iframe|svg onload)\b|<script>alert", re.I)
