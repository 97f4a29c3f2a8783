"""Reference documents generated from code: `docs/card-format.md` and `docs/rules.md`.

Generated, checked in, and compared by a test, so the docs cannot drift from the model or the
rule registry. Regenerate with `python -m agentroster.emit.reference`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from agentroster.emit.registry import REGISTRY_SCHEMA_PATH, registry_schema_text
from agentroster.emit.schema import SCHEMA_PATH, card_schema, card_schema_text
from agentroster.findings import FAMILIES
from agentroster.model import PATTERN_HINTS
from agentroster.rules import RULES
from agentroster.writer import write_text_atomic

CARD_FORMAT_PATH = "docs/card-format.md"
RULES_PATH = "docs/rules.md"

_EXAMPLE = "examples/roster/support/refund-assistant.agent.yaml"

_INTRO = """\
# Agent card format v1

<!-- Generated from the pydantic model by `python -m agentroster.emit.reference`; do not edit. -->

One agent per file, named `<id>.agent.yaml` (or `.agent.yml`) anywhere in the repository; the
file name without the suffix equals the card's `id`. Files are UTF-8, one YAML document, with
unique keys. Values are read with the YAML 1.2 core schema: `yes`/`no` are strings, not
booleans, and a version such as `1.0` must be quoted (`'1.0'`) or it is a number.

- **Durations** are strings `<number><unit>` with unit `m`, `h`, `d` or `w` (`15m`, `4h`, `3d`).
- **Dates** are ISO `YYYY-MM-DD`.
- **Paths** (golden sets, runbooks) are relative to the card's own file and must stay inside
  the roster.
- **Targets** (handoff `to` and `fallback`, `escalation.to`) are an agent `id` or
  `human:<queue>`.
- Optional blocks may be left out; their absence is what the linter reports, by tier and
  pattern (see [rules.md](rules.md), and [governance.md](governance.md) for why). An empty
  value (`sponsor:`) counts as absent.

The JSON Schema of this format is `schemas/agent-card.v1.schema.json` (print it with
`agentroster schema`). For completion and checks while typing in editors that use the YAML
language server (VS Code's YAML extension, Neovim, Helix), save the schema in your repository
and start each card with a modeline pointing at it, relative to the card:

```yaml
# yaml-language-server: $schema=../schemas/agent-card.v1.schema.json
```
"""


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _type_of(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        name = _ref_name(prop["$ref"])
        return f"[{name}](#{name.lower()})"
    if "anyOf" in prop:
        parts = [_type_of(p) for p in prop["anyOf"] if p.get("type") != "null"]
        return " or ".join(parts)
    if "enum" in prop:
        return " \\| ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    kind = prop.get("type")
    if kind == "array":
        return f"list of {_type_of(prop.get('items', {}))}"
    words = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}
    text = words.get(str(kind), str(kind))
    if prop.get("format") == "date":
        text = "date"
    bounds = []
    for key, sym in (("minimum", ">="), ("maximum", "<="), ("minLength", "length >=")):
        if key in prop:
            bounds.append(f"{sym} {prop[key]}")
    if "pattern" in prop:
        bounds.append(PATTERN_HINTS.get(prop["pattern"], f"pattern `{prop['pattern']}`"))
    return text + (f" ({', '.join(bounds)})" if bounds else "")


def _table(schema: dict[str, Any]) -> list[str]:
    required = set(schema.get("required", ()))
    lines = ["| field | type | required | meaning |", "|---|---|---|---|"]
    for name, prop in schema.get("properties", {}).items():
        desc = str(prop.get("description", "")).replace("|", "\\|")
        typ = _type_of(prop).replace("|", "\\|").replace("\\\\|", "\\|")
        lines.append(f"| `{name}` | {typ} | {'yes' if name in required else ''} | {desc} |")
    return lines


def card_format_markdown(repo: Path) -> str:
    """The users' reference of the card format, from the JSON Schema and the example card."""
    schema = card_schema()
    out = [_INTRO, "## Card (top level)", "", *_table(schema), ""]
    for name in sorted(schema.get("$defs", {})):
        sub = schema["$defs"][name]
        out += [f"## {name}", "", str(sub.get("description", "")), "", *_table(sub), ""]
    example = (repo / _EXAMPLE).read_text(encoding="utf-8")
    out += [
        "## Example",
        "",
        f"From `{_EXAMPLE}`:",
        "",
        "```yaml",
        example.rstrip("\n"),
        "```",
        "",
    ]
    return "\n".join(out)


def _linked(text: str) -> str:
    """A rationale's pointers into docs/governance.md, as links that work from docs/rules.md."""
    return re.sub(
        r"\bdocs/governance\.md#([a-z0-9-]+)", r"[governance.md#\1](governance.md#\1)", text
    )


def rules_markdown() -> str:
    """`docs/rules.md`: every rule with what, why, a bad and a good snippet, and the fix."""
    out = [
        "# Rules",
        "",
        "<!-- Generated from the rule registry by `python -m agentroster.emit.reference`; "
        "do not edit. -->",
        "",
        "Every rule has a code and a kebab-case name; either can be used in `select`, `ignore`,",
        "`severity`, `per-path-ignores` and waivers, as can a family letter. Severities are the",
        "defaults. `agentroster explain CODE` prints the same text in the terminal. Why each",
        "family exists, and where each number comes from, is in [governance.md](governance.md).",
        "",
        "| code | name | severity | summary |",
        "|---|---|---|---|",
    ]
    for rule in RULES:
        out.append(
            f"| [{rule.code}](#{rule.code.lower()}-{rule.name}) | `{rule.name}` | "
            f"{rule.severity.value} | {rule.summary} |"
        )
    family = ""
    for rule in RULES:
        if rule.family != family:
            family = rule.family
            anchor = f"family-{family.lower()}"
            out += [
                "",
                f"## {family}: {FAMILIES[family]}",
                "",
                f"Why these rules exist: [governance.md#{anchor}](governance.md#{anchor}).",
            ]
        out += [
            "",
            f"### {rule.code} {rule.name}",
            "",
            f"**Severity:** {rule.severity.value}. {rule.summary}",
            "",
            f"**Why:** {_linked(rule.rationale)}",
            "",
            "Fails:",
            "",
            "```yaml",
            rule.bad,
            "```",
            "",
            "Passes:",
            "",
            "```yaml",
            rule.good,
            "```",
            "",
            f"**Fix:** {rule.fix}",
        ]
    return "\n".join(out) + "\n"


def generated(repo: Path) -> dict[str, str]:
    """Every generated reference file by its path relative to the repository."""
    return {
        SCHEMA_PATH: card_schema_text(),
        REGISTRY_SCHEMA_PATH: registry_schema_text(),
        CARD_FORMAT_PATH: card_format_markdown(repo),
        RULES_PATH: rules_markdown(),
    }


def _main(argv: list[str]) -> int:
    """Write the generated files, or with --check report the stale ones (exit 1)."""
    repo = Path.cwd()
    stale = []
    for rel, text in generated(repo).items():
        path = repo / rel
        if "--check" in argv:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(rel)
        else:
            write_text_atomic(path, text)
            print(f"wrote {rel}")
    for rel in stale:
        print(f"stale: {rel} (run `python -m agentroster.emit.reference`)")
    return 1 if stale else 0


if __name__ == "__main__":
    import sys

    sys.exit(_main(sys.argv[1:]))
