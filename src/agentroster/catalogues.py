"""Optional repository files beside the cards: the human queues and the tool catalogue.

`agentroster.queues.yaml` (key `human-queues` in the config) declares human queues; when it
exists, a handoff, fallback or escalation to an undeclared `human:` queue is H001.
`agentroster.tools.yaml` (key `tool-catalogue`) lists the tools agents may use; when it exists,
an unknown tool is A005 and a tool used above its allowed access, or touching data classes the
card does not declare, is A007. Both are read with the card loader, so their problems are
findings at a line too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agentroster.findings import Finding
from agentroster.loader import load, read_file
from agentroster.model import Access, DataClass, Duration, Person
from agentroster.policy import Limits
from agentroster.problems import C002, Problem
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


@dataclass
class Catalogues:
    """What the optional files declare; None where a file does not exist or did not validate."""

    queues: dict[str, Queue] | None = None
    tools: dict[str, CatalogueTool] | None = None
    findings: list[Finding] = field(default_factory=list)


def _read(
    path: Path, display: str, model: type[BaseModel], limits: Limits
) -> tuple[BaseModel | None, list[Finding]]:
    raw = read_file(path, limits)
    if isinstance(raw, Problem):
        return None, [raw.finding(display, None)]
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
    return parsed, [p.finding(display, None) for p in problems]


def load_catalogues(
    root: Path, *, queues: str, tools: str, display: Callable[[Path], str], limits: Limits
) -> Catalogues:
    """Read whichever of the two files exist under `root`."""
    out = Catalogues()
    queues_path, tools_path = root / queues, root / tools
    if queues_path.exists():  # a directory or a pipe of that name is reported, not skipped
        parsed, findings = _read(queues_path, display(queues_path), QueuesFile, limits)
        out.findings.extend(findings)
        # An unreadable file is reported once, here; the queues then count as undeclared
        # (any human: target is accepted) rather than turning every handoff into an H001.
        if isinstance(parsed, QueuesFile):
            out.queues = {q.id: q for q in parsed.queues}
    if tools_path.exists():
        parsed, findings = _read(tools_path, display(tools_path), ToolsFile, limits)
        out.findings.extend(findings)
        if isinstance(parsed, ToolsFile):
            out.tools = {t.id: t for t in parsed.tools}
    return out
