"""One card file: read, load, validate, run the card rules, slim. Never raises on bad input.

This is the per-card step of the pipeline; the parallel reader (parallel.py) runs it in worker
processes, the pipeline (pipeline.py) in this one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

from agentroster.cache import digest, observe
from agentroster.catalogues import CatalogueTool, DirectoryPerson
from agentroster.config import Config
from agentroster.context import CardContext, CardFile
from agentroster.findings import E000, Finding, Rule
from agentroster.loader import load, read_file
from agentroster.problems import Problem
from agentroster.sourcemap import SourceMap
from agentroster.validate import FieldUnavailable, validate


def display_path(file: Path, cwd: Path) -> str:
    """Path as reported: relative to the working directory, with forward slashes."""
    try:
        rel = os.path.relpath(file, cwd)
    except ValueError:  # another drive on Windows
        rel = str(file)
    return rel.replace(os.sep, "/")


def display_paths(files: Sequence[Path], cwd: Path) -> list[str]:
    """display_path of each file; those under `cwd` (usually all) by cutting off its prefix."""
    prefix = os.path.join(os.path.abspath(cwd), "")
    out = []
    for file in files:
        text = os.fspath(file)
        if text.startswith(prefix) and os.path.normpath(text) == text:
            out.append(text[len(prefix) :].replace(os.sep, "/"))
        else:
            out.append(display_path(file, cwd))
    return out


def read_card(
    file: Path,
    *,
    path: str,
    config: Config,
    today: date,
    tool_catalogue: Mapping[str, CatalogueTool] | None = None,
    people: Mapping[str, DirectoryPerson] | None = None,
    rules: Sequence[Rule] | None = None,
) -> CardFile:
    """Read, load and validate one file into a CardFile. Never raises on bad input.

    With `rules`, the card rules run at once and the card is slimmed (CardFile.slim), so a
    roster of any size holds only what roster-wide rules and the build need. An exception
    while reading (a bug in agentroster, not in the card) is an E000 finding on the file;
    the rest of the roster is still linted."""
    try:
        return _read_card(
            file,
            path=path,
            config=config,
            today=today,
            tool_catalogue=tool_catalogue,
            people=people,
            rules=rules,
        )
    except Exception as exc:
        card = CardFile(file, path, None, SourceMap(), [internal_error(exc, path=path)])
        card.checked = rules is not None
        return card


def internal_error(exc: BaseException, *, path: str, during: str = "reading this file") -> Finding:
    """E000 at the top of a file whose reading raised: a bug in agentroster."""
    return Finding(
        path,
        1,
        1,
        E000.code,
        E000.name,
        E000.severity,
        f"{during} crashed with {type(exc).__name__}: {exc}; this is a bug in agentroster, "
        "please report it with this file",
    )


def _read_card(
    file: Path,
    *,
    path: str,
    config: Config,
    today: date,
    tool_catalogue: Mapping[str, CatalogueTool] | None,
    people: Mapping[str, DirectoryPerson] | None,
    rules: Sequence[Rule] | None,
) -> CardFile:
    limits = config.limits
    raw = read_file(file, limits)
    if isinstance(raw, Problem):
        return CardFile(file, path, None, SourceMap(), [raw.finding(path, None)])
    result = load(raw, limits=limits)
    card = CardFile(file, path, result.data, result.source_map, digest=digest(raw))
    problems = list(result.problems)
    validated = None
    if result.data is not None or not problems:
        validated = validate(result.data, result.source_map, damaged=result.damaged)
        problems.extend(validated.problems)
    if validated is not None and validated.card is not None:
        view = validated.view()
        assert view is not None
        card.context = CardContext(
            path=path,
            file=file,
            root=config.root,
            data=result.data,
            model=view,
            source_map=result.source_map,
            config=config,
            today=today,
            tainted=validated.tainted,
            tool_catalogue=tool_catalogue,
            people=people,
            strings=result.strings,
        )
    agent = card.agent_id
    card.findings = [p.finding(path, agent) for p in problems]
    if rules is not None:
        if card.context is not None:
            card.findings.extend(run_card_rules(card.context, rules))
            card.observed = observe(card.context)  # what the result depends on (cache.py)
        card.checked = True
        card.slim()
    return card


def crash_finding(
    rule: Rule, exc: Exception, *, path: str, agent: str | None, smap: SourceMap
) -> Finding:
    """E000 for a rule that raised: at the card's id, naming the rule and the exception."""
    line, column = smap.value(("id",))
    return Finding(
        path,
        line,
        column,
        E000.code,
        E000.name,
        E000.severity,
        f"rule {rule.code} ({rule.name}) crashed with {type(exc).__name__}: {exc}; this is a "
        "bug in agentroster, please report it with this card",
        agent,
    )


def run_card_rules(card: CardContext, rules: Iterable[Rule]) -> list[Finding]:
    """Findings of every card rule on one card; a crashing rule becomes an E000 finding."""
    out: list[Finding] = []
    for rule in rules:
        assert rule.check is not None
        try:
            out.extend(rule.check(card))
        except FieldUnavailable:
            continue  # the rule reads a field with a schema error, already reported
        except Exception as exc:
            out.append(
                crash_finding(rule, exc, path=card.path, agent=card.agent, smap=card.source_map)
            )
    return out
