"""Optional repository files beside the cards: human queues, tool catalogue, people directory.

`agentroster.queues.yaml` (key `human-queues` in the config) declares human queues; when it
exists, a handoff, fallback or escalation to an undeclared `human:` queue is H001.
`agentroster.tools.yaml` (key `tool-catalogue`) lists the tools agents may use; when it exists,
an unknown tool is A005 and a tool used above its allowed access, or touching data classes the
card does not declare, is A007.
`agentroster.people.yaml` (key `people`) is the directory of people, as HR or the identity
provider exports it; when it exists, an owner, sponsor or technical owner who is not an active
person in it is B006, and so is a waiver approver (W002).
All three are read with the card loader, so their problems are findings at a line too.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agentroster.config import ConfigError
from agentroster.findings import Finding
from agentroster.loader import load, read_file
from agentroster.model import EMAIL_PATTERN, Access, DataClass, Duration, Person
from agentroster.policy import Limits
from agentroster.problems import C002, Problem
from agentroster.sourcemap import SourceMap
from agentroster.validate import located_errors


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Queue(_Strict):
    """A human queue or role that agents hand work to."""

    id: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", description="Queue id, as in human:<id>."
    )
    owner: Person = Field(description="The person accountable for the queue.")
    response_time: Duration | None = Field(default=None, description="Time to first response.")
    description: str | None = Field(default=None, description="Who works the queue.")


class QueuesFile(_Strict):
    queues: list[Queue] = Field(description="Every human queue of the repository.")


class CatalogueTool(_Strict):
    """A tool agents may use, with the most it may be used for."""

    id: str = Field(min_length=1, description="Tool id, as cards list it.")
    system: str | None = Field(default=None, description="The system the tool acts on.")
    access: Access = Field(description="Highest access any agent may use the tool with.")
    data: list[DataClass] = Field(
        default_factory=list, description="Data classes the tool touches."
    )
    description: str | None = Field(default=None, description="What the tool does.")


class ToolsFile(_Strict):
    tools: list[CatalogueTool] = Field(description="Every tool agents may use.")


PersonStatus = Literal["active", "departed"]


class DirectoryPerson(_Strict):
    """One person of the organisation, as HR or the identity provider lists them."""

    email: str = Field(pattern=EMAIL_PATTERN, description="The person's work email address.")
    name: str = Field(min_length=1, description="Full name.")
    status: PersonStatus = Field(description="active, or departed once the person has left.")


class PeopleFile(_Strict):
    people: list[DirectoryPerson] = Field(description="Every person who may own or approve.")


def person_key(email: str) -> str:
    """How the directory matches an email address: case does not matter."""
    return email.strip().lower()


@dataclass
class Catalogues:
    """What the optional files declare; None where a file does not exist or did not validate."""

    queues: dict[str, Queue] | None = None
    tools: dict[str, CatalogueTool] | None = None
    people: dict[str, DirectoryPerson] | None = None  # by person_key(email)
    findings: list[Finding] = field(default_factory=list)


def _read(
    path: Path, display: str, model: type[BaseModel], limits: Limits
) -> tuple[BaseModel | None, SourceMap, list[Finding]]:
    raw = read_file(path, limits)
    if isinstance(raw, Problem):
        return None, SourceMap(), [raw.finding(display, None)]
    result = load(raw, limits=limits)
    problems = list(result.problems)
    parsed = None
    if not isinstance(result.data, (dict, type(None))) and not problems:
        kind = "a list" if isinstance(result.data, list) else "a single value"
        key = next(iter(model.model_fields))
        problems.append(
            Problem(
                C002,
                *result.source_map.value(()),
                f"{path.name} holds {kind}, not a mapping; write `{key}:` and a list under it",
            )
        )
    if result.data is not None and not problems:
        try:
            parsed = model.model_validate(result.data)
        except ValidationError as exc:
            problems.extend(located_errors(exc, result.data, result.source_map, model))
    elif result.data is None and not problems:
        problems.append(Problem(C002, 1, 1, f"{display} is empty"))
    return parsed, result.source_map, [p.finding(display, None) for p in problems]


def _directory(
    parsed: PeopleFile, smap: SourceMap, display: str
) -> tuple[dict[str, DirectoryPerson], list[Finding]]:
    """The people by email; a second entry for an email is reported (C002) and ignored."""
    people: dict[str, DirectoryPerson] = {}
    first: dict[str, int] = {}
    findings = []
    for index, person in enumerate(parsed.people):
        key = person_key(person.email)
        if key not in people:
            people[key] = person
            first[key] = index
            continue
        line, column = smap.locate(("people", index, "email"))
        first_line, _ = smap.locate(("people", first[key], "email"))
        problem = Problem(
            C002,
            line,
            column,
            f"'{person.email}' is listed twice in the people directory (first at line "
            f"{first_line}, which is the entry used); keep one entry per person",
            ("people", index, "email"),
        )
        findings.append(problem.finding(display, None))
    return people, findings


def load_catalogues(
    root: Path,
    *,
    queues: str,
    tools: str,
    people: str | None = None,
    display: Callable[[Path], str],
    limits: Limits,
) -> Catalogues:
    """Read whichever of the files exist under `root`. A path that could lead out of the
    root is never opened: ConfigError naming its key (see confined)."""
    out = Catalogues()
    queues_path = confined(root, queues, key="human-queues")
    tools_path = confined(root, tools, key="tool-catalogue")
    if queues_path.exists():  # a directory or a pipe of that name is reported, not skipped
        parsed, _, findings = _read(queues_path, display(queues_path), QueuesFile, limits)
        out.findings.extend(findings)
        # An unreadable file is reported once, here; the queues then count as undeclared
        # (any human: target is accepted) rather than turning every handoff into an H001.
        if isinstance(parsed, QueuesFile):
            out.queues = {q.id: q for q in parsed.queues}
    if tools_path.exists():
        parsed, _, findings = _read(tools_path, display(tools_path), ToolsFile, limits)
        out.findings.extend(findings)
        if isinstance(parsed, ToolsFile):
            out.tools = {t.id: t for t in parsed.tools}
    people_path = root / people if people is not None else None
    if people_path is not None and people_path.exists():
        shown = display(people_path)
        parsed, smap, findings = _read(people_path, shown, PeopleFile, limits)
        out.findings.extend(findings)
        # Like the queues: a directory that does not validate is reported once, and B006 and
        # W002's directory check then do not run, rather than flagging every person.
        if isinstance(parsed, PeopleFile):
            out.people, duplicates = _directory(parsed, smap, shown)
            out.findings.extend(duplicates)
    return out


def confined(root: Path, value: str, *, key: str) -> Path:
    """`value`, the config key `key`, as a path under `root`. The repository chooses it, so it
    must stay inside the root: an absolute path, a `..` part, or a path that leads out through
    a symlink (even a dangling one, and even the default name) is a ConfigError."""
    where = f"{key}: {value!r}"
    if "\0" in value:
        raise ConfigError(f"{where} holds a NUL character, which no path can")
    if os.path.isabs(value) or PurePosixPath(value).is_absolute() or PureWindowsPath(value).anchor:
        raise ConfigError(f"{where} is an absolute path; give a path inside the roster root")
    if ".." in PurePosixPath(value.replace("\\", "/")).parts:
        raise ConfigError(f"{where} climbs out with '..'; give a path inside the roster root")
    path = root / value
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    if not (real == real_root or real.startswith(os.path.join(real_root, ""))):
        raise ConfigError(
            f"{where} leads out of the roster root through a symlink; agentroster reads only "
            "files inside the roster"
        )
    return path
