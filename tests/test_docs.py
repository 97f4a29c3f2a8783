"""The documentation stands on its own.

Users get the repository, nothing else: the code and the docs must not send them to notes they
do not have, and every relative link in the Markdown must lead to a file in the repository (and
an anchor to a heading that exists there, as GitHub names it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

# Pointers to material outside the repository: the team's background notes and the articles
# behind them. docs/rules.md (lower case) is the project's own generated reference.
FORBIDDEN = {
    "DOMAIN.md": re.compile(r"\bDOMAIN\b"),
    "CARD-FORMAT.md": re.compile(r"CARD-FORMAT"),
    "RULES.md": re.compile(r"RULES\.md"),
    "a shared/ folder": re.compile(r"(?:\.\./)+shared\b|\bshared/"),
    "an article chapter": re.compile(r"\b[0-9]{3},? ch\."),
}
SKIPPED_DIRS = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}


def _text_files(root: Path) -> Iterator[Path]:
    if root.is_file():
        yield root
        return
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(REPO).parts
        if not path.is_file() or SKIPPED_DIRS.intersection(parts):
            continue
        if any(part.endswith(".egg-info") for part in parts):
            continue  # written by pip from README.md; not part of the repository
        yield path


def shipped_files(repo: Path = REPO) -> list[Path]:
    """Everything a user reads: the package, the docs, README.md and SECURITY.md."""
    roots = [repo / "src", repo / "docs", repo / "README.md", repo / "SECURITY.md"]
    return [path for root in roots if root.exists() for path in _text_files(root)]


def forbidden_mentions(paths: list[Path], root: Path = REPO) -> list[str]:
    """`path:line: what` for every pointer to material users do not have."""
    found = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            for what, pattern in FORBIDDEN.items():
                if pattern.search(line):
                    found.append(f"{path.relative_to(root)}:{number}: mentions {what}")
    return found


def test_no_pointer_to_material_outside_the_repository():
    found = forbidden_mentions(shipped_files())
    assert not found, "\n".join(found)


def test_the_check_catches_each_kind_of_pointer(tmp_path):
    lines = [
        "(DOMAIN.md, risk tiers)",
        "see CARD-FORMAT.md, Files",
        "the families, after RULES.md:",
        "read ../shared/notes",
        "(003 ch. 6)",
    ]
    for number, line in enumerate(lines):
        (tmp_path / f"{number}.py").write_text(f'"""{line}"""\n', encoding="utf-8")
    found = forbidden_mentions(sorted(tmp_path.iterdir()), tmp_path)
    assert len(found) == len(lines), found
    ok = tmp_path / "ok.md"
    ok.write_text("See [docs/rules.md](docs/rules.md) and docs/governance.md.\n", "utf-8")
    assert forbidden_mentions([ok], tmp_path) == []


# --- links -------------------------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_HTML_ANCHOR = re.compile(r"<a\s+(?:name|id)=\"([^\"]+)\"")
_INLINE_LINK = re.compile(
    r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)"
)
_REF_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of the Markdown outside fenced code blocks."""
    fence = ""
    for number, line in enumerate(text.splitlines(), start=1):
        match = _FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
            continue
        if match:
            fence = match.group(1)
            continue
        yield number, line


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: the rendered text, lower case, punctuation other
    than `-` and `_` dropped, each space a hyphen."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links: their text
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML
    text = text.replace("`", "").replace("*", "")
    text = re.sub(r"[^\w\- ]", "", text.lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every anchor of a Markdown file: its headings' slugs (repeats numbered as GitHub does)
    and explicit `<a id>` / `<a name>` anchors."""
    seen: dict[str, int] = {}
    out = set()
    for _, line in prose_lines(path.read_text(encoding="utf-8")):
        out.update(_HTML_ANCHOR.findall(line))
        match = _HEADING.match(line)
        if not match:
            continue
        slug = github_slug(match.group(2))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        out.add(slug if count == 0 else f"{slug}-{count}")
    return out


def links(path: Path) -> Iterator[tuple[int, str]]:
    """(line, target) of every link and image in a Markdown file, outside code."""
    for number, line in prose_lines(path.read_text(encoding="utf-8")):
        definition = _REF_DEFINITION.match(line)
        if definition:
            yield number, definition.group(1)
            continue
        for target in _INLINE_LINK.findall(_CODE_SPAN.sub("", line)):
            yield number, target


def broken_link(source: Path, target: str, repo: Path = REPO) -> str | None:
    """Why a relative link from `source` does not resolve, or None when it does."""
    if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("//"):
        return None  # https:, mailto: ...: not a file in the repository
    rel, _, fragment = target.partition("#")
    rel = rel.split("?", 1)[0]
    if rel.startswith("/"):
        return "absolute path: links must be relative to work on any checkout"
    resolved = (source.parent / rel).resolve() if rel else source
    if not resolved.is_relative_to(repo.resolve()):
        return "leads out of the repository"
    if not resolved.exists():
        return "no such file"
    if fragment and resolved.suffix == ".md" and fragment not in anchors(resolved):
        return f"no heading with anchor #{fragment} in {resolved.relative_to(repo.resolve())}"
    return None


def markdown_files(repo: Path = REPO) -> list[Path]:
    """README.md, SECURITY.md and the Markdown under docs/."""
    files = [repo / name for name in ("README.md", "SECURITY.md") if (repo / name).is_file()]
    return files + sorted((repo / "docs").rglob("*.md"))


def broken_links(files: list[Path], repo: Path = REPO) -> list[str]:
    found = []
    for path in files:
        for number, target in links(path):
            why = broken_link(path, target, repo)
            if why:
                found.append(f"{path.relative_to(repo)}:{number}: ({target}) {why}")
    return found


def test_relative_links_resolve():
    found = broken_links(markdown_files())
    assert not found, "\n".join(found)


# `docs/governance.md#risk-tiers` written as plain text: rule rationales, explain pages,
# docstrings. They name the file from the repository root.
_DOC_MENTION = re.compile(r"\b(docs/[\w./-]+\.md)#([\w-]+)(?![\w{-])")  # not f"#x-{y}"


def test_anchors_named_in_code_and_docs_exist():
    found = []
    for path in shipped_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            for rel, fragment in _DOC_MENTION.findall(line):
                doc = REPO / rel
                if not doc.is_file():
                    found.append(f"{path.relative_to(REPO)}:{number}: {rel} does not exist")
                elif fragment not in anchors(doc):
                    found.append(f"{path.relative_to(REPO)}:{number}: no #{fragment} in {rel}")
    assert not found, "\n".join(found)


def test_every_rule_family_has_its_governance_section():
    from agentroster.rules import RULES
    from agentroster.rules.base import FAMILIES

    governance = anchors(REPO / "docs" / "governance.md")
    for family, name in FAMILIES.items():
        assert f"family-{family.lower()}" in governance, family
        assert github_slug(f"{family}: {name}") in governance, family
    rule = RULES[0]
    assert f"docs/governance.md#family-{rule.family.lower()}" in rule.explain()


def test_governance_page_states_the_numbers_the_code_uses():
    """The page names each house default with the value and the setting the code has."""
    from agentroster.config import PolicyTable
    from agentroster.policy import Limits, Policy
    from agentroster.rules.lifecycle import JUDGE_AGREEMENT
    from agentroster.rules.waiver import MAX_WAIVER_DAYS

    text = (REPO / "docs" / "governance.md").read_text(encoding="utf-8")
    policy = Policy()
    for attr, field in PolicyTable.model_fields.items():
        key = field.alias or attr
        assert f"`[policy] {key}`" in text, key
        value = getattr(policy, attr)
        if isinstance(value, tuple):  # a list such as required-metrics, written out in full
            shown = ", ".join(value)
        else:
            shown = f"{value[:-1]} minutes" if isinstance(value, str) else str(value)
        assert shown in text, (key, shown)
    assert f"{MAX_WAIVER_DAYS} days" in text and "`MAX_WAIVER_DAYS`" in text
    assert f"{JUDGE_AGREEMENT:.0%}" in text and "`JUDGE_AGREEMENT`" in text
    limits = Limits()
    for number in (limits.max_bytes, limits.max_depth, limits.max_nodes):
        assert f"{number:,}" in text


def test_readme_links_the_governance_page():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "](docs/governance.md" in readme


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("C: card structure", "c-card-structure"),
        ("L: lifecycle, evals, runbooks", "l-lifecycle-evals-runbooks"),
        ("C001 invalid-yaml", "c001-invalid-yaml"),
        ("`agentroster init`: new cards", "agentroster-init-new-cards"),
        ("New cards: `agentroster init`", "new-cards-agentroster-init"),
        ("pre-commit and CI", "pre-commit-and-ci"),
        ("The registry and documentation", "the-registry-and-documentation"),
        ("Where the numbers come from", "where-the-numbers-come-from"),
        ("release_gate and [rules](rules.md)", "release_gate-and-rules"),
    ],
)
def test_github_slug(heading, slug):
    assert github_slug(heading) == slug


def test_link_check_catches_missing_files_and_anchors(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# Title\n\n## Risk tiers\n\n## Risk tiers\n", "utf-8")
    readme = tmp_path / "README.md"
    readme.write_text(
        "[ok](docs/a.md#risk-tiers) [ok](docs/a.md#risk-tiers-1) [ok](https://x.test/y)\n"
        "[missing](docs/b.md) [bad anchor](docs/a.md#tiers) [self](#nothing)\n"
        "```\n[in code](docs/none.md)\n```\n`[in a span](docs/none.md)`\n"
        "[ref]: docs/gone.md\n",
        "utf-8",
    )
    found = broken_links([readme], tmp_path)
    assert [line.split(" ", 1)[1] for line in found] == [
        "(docs/b.md) no such file",
        "(docs/a.md#tiers) no heading with anchor #tiers in docs/a.md",
        "(#nothing) no heading with anchor #nothing in README.md",
        "(docs/gone.md) no such file",
    ]
