"""Problems found while reading and validating a file, before any rule runs, and the rules
they belong to (scope "file": no check function, the loader and validator report them).

A Problem names its rule object, never a bare code string, so renaming or re-severitying a
rule is one edit here.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentroster.findings import Finding, KeyPath, Rule, Severity

E, W = Severity.ERROR, Severity.WARNING

C001 = Rule(
    code="C001",
    name="invalid-yaml",
    severity=E,
    scope="file",
    summary="The file is not valid YAML.",
    rationale="A card that does not parse cannot be governed; the parser's position is reported "
    "so the fix is one jump away (docs/governance.md#family-c).",
    bad="owner: {name: Dana Whitfield, email: dana.whitfield@example.com",
    good="owner: {name: Dana Whitfield, email: dana.whitfield@example.com}",
    fix="Correct the YAML at the reported line and column (unclosed brackets and quotes, tabs "
    "for indentation and undefined aliases are the usual causes).",
)
C002 = Rule(
    code="C002",
    name="schema-violation",
    severity=E,
    scope="file",
    summary="A required field is missing, a value has the wrong type, or an enum value is not "
    "allowed.",
    rationale="Card fields are a contract read by people and tools; a value of the wrong shape "
    "means the governance question it answers has no answer (docs/governance.md#family-c).",
    bad="tier: high",
    good="tier: 1",
    fix="Give the field a value of the type the message names; for enums use one of the listed "
    "values.",
)
C003 = Rule(
    code="C003",
    name="unknown-field",
    severity=E,
    scope="file",
    summary="A field the card format does not define (often a typo).",
    rationale="A misspelt field is silently ignored by every other tool, so the information it "
    "was meant to carry is lost (docs/governance.md#family-c).",
    bad="ownr: {name: Dana Whitfield, email: dana.whitfield@example.com}",
    good="owner: {name: Dana Whitfield, email: dana.whitfield@example.com}",
    fix="Rename the field to the one suggested, or remove it; put free-form labels in `tags`.",
)
C004 = Rule(
    code="C004",
    name="duplicate-key",
    severity=E,
    scope="file",
    summary="The same key appears twice in one mapping.",
    rationale="YAML requires unique keys; parsers disagree on which duplicate wins, so the card "
    "means different things to different tools (docs/governance.md#family-c).",
    bad="tier: 2\ntier: 1",
    good="tier: 1",
    fix="Keep one of the two entries.",
)
C007 = Rule(
    code="C007",
    name="unsupported-version",
    severity=E,
    scope="file",
    summary="`apiVersion` or `kind` is not one this agentroster reads.",
    rationale="Fields mean different things in other format versions; checking a card against the "
    "wrong version gives wrong answers (docs/governance.md#family-c).",
    bad="apiVersion: agentroster/v2",
    good="apiVersion: agentroster/v1\nkind: AgentCard",
    fix="Use `apiVersion: agentroster/v1` and `kind: AgentCard`, or upgrade agentroster.",
)
C008 = Rule(
    code="C008",
    name="not-one-utf8-document",
    severity=E,
    scope="file",
    summary="The file is not UTF-8, cannot be read, or holds more than one YAML document.",
    rationale="One agent per file, in UTF-8, as one YAML document: every tool then reads the same "
    "card (docs/governance.md#family-c).",
    bad="id: triage\n---\nid: billing",
    good="id: triage   # and billing gets its own file",
    fix="Save the file as UTF-8 and keep one card per file.",
)
C010 = Rule(
    code="C010",
    name="yaml-tag",
    severity=E,
    scope="file",
    summary="A YAML tag other than the standard scalar and collection tags.",
    rationale="Tags such as `!!python/object` ask a loader to construct objects; agentroster "
    "never does, and a card needs none (docs/governance.md#family-c).",
    bad="kill_switch: !!python/object/apply:os.system [halt]",
    good="kill_switch: flag refund-assistant-enabled",
    fix="Remove the tag; write the value as plain YAML.",
)
C011 = Rule(
    code="C011",
    name="yaml-limit",
    severity=E,
    scope="file",
    summary="The file exceeds a reading limit: size, nesting depth or alias expansion.",
    rationale="A card is a small document; limits keep a hostile or broken file from stalling "
    "every pre-commit run (docs/governance.md#reading-limits).",
    bad="a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]   # 100,000 values once expanded",
    good="tags: [x, y]",
    fix="Write values out instead of aliasing them, or raise the limit in [limits] if the card "
    "is genuinely that large.",
)


@dataclass(frozen=True)
class Problem:
    """A located problem of one file: which rule, where, and what is wrong."""

    rule: Rule
    line: int
    column: int
    message: str
    key: KeyPath = ()

    @property
    def code(self) -> str:
        return self.rule.code

    def finding(self, path: str, agent: str | None) -> Finding:
        """This problem as a finding of its rule, in the file reported as `path`."""
        rule = self.rule
        return Finding(
            path,
            self.line,
            self.column,
            rule.code,
            rule.name,
            rule.severity,
            self.message,
            agent,
            self.key,
        )
