"""`agentroster.toml` or `[tool.agentroster]` in `pyproject.toml` -> Config.

The table is validated by a pydantic model (ConfigTable): an unknown key, a value of the
wrong type or an invalid path pattern raises ConfigError, which the CLI turns into exit code 2.
The message has one line per problem, each naming the file and the key. Rule selectors
(`select`, `ignore`, `severity`, `per-path-ignores`) are kept as written; the rule registry, a
layer above, checks that each names a rule (rules.check_selectors).

Path patterns (`exclude`, `per-path-ignores`) use gitignore syntax (pathspec's GitIgnoreSpec);
each one is checked here, and matched against paths relative to the roster root by discover
(`exclude`) and the pipeline (`per-path-ignores`).
"""

from __future__ import annotations

import difflib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from agentroster.findings import Severity
from agentroster.policy import DURATION_PATTERN, Limits, Policy

if TYPE_CHECKING:
    import pathspec

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_FILE = "agentroster.toml"


class ConfigError(Exception):
    """A configuration problem; the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    """Resolved configuration of one roster."""

    root: Path = field(default_factory=Path.cwd)
    source: Path | None = None  # the file it came from, if any
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()  # (selector as written, level)
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (pattern, selectors)
    fail_on: Severity = Severity.ERROR
    exclude: tuple[str, ...] = ()  # gitignore patterns
    policy: Policy = field(default_factory=Policy)
    limits: Limits = field(default_factory=Limits)
    human_queues: str = "agentroster.queues.yaml"
    tool_catalogue: str = "agentroster.tools.yaml"
    people: str = "agentroster.people.yaml"
    baseline: str | None = None  # a baseline file, relative to the roster root
    build_out: str = "build/agentroster"
    build_html: bool = False  # also write the portfolio site, <out>/html/
    cache: bool = True  # keep per-card results in the user's cache directory (cache.py)


# -- path patterns ---------------------------------------------------------------------------
def path_spec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    """Compiled gitignore patterns; `match_file(path)` takes a path relative to the roster
    root with forward slashes. Compile once per run and reuse: one regex per pattern."""
    # deferred: start-up time (pathspec takes ~15 ms to import; most rosters set no pattern)
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(patterns)


def _pattern(value: str) -> str:
    """A gitignore pattern that can match something under the roster root."""
    try:
        compiled = path_spec((value,)).patterns
    except ValueError:  # pathspec's GitIgnorePatternError, e.g. '!' or a trailing '\'
        raise ValueError(f"{value!r} is not a valid gitignore pattern") from None
    if not any(p.include is not None for p in compiled):  # e.g. '' or a '#' comment
        raise ValueError(f"{value!r} is not a valid gitignore pattern: it can match no path")
    if ".." in value.lstrip("!").split("/"):
        raise ValueError(f"{value!r} leaves the roster root; patterns are relative to it")
    return value


def _hiding_pattern(value: str) -> str:
    """A per-path-ignores key: a pattern of the paths whose findings are hidden."""
    if value.startswith("!"):
        raise ValueError(
            f"{value!r}: a '!' pattern means nothing on its own; name the paths to hide "
            "findings in (negation works in the `exclude` list)"
        )
    return _pattern(value)


# -- the model of the table ------------------------------------------------------------------
# `description` is what a key holds, as error messages say it ("expected a whole number").
Strings = Annotated[list[str], Field(description="a list of strings")]
Patterns = Annotated[
    list[Annotated[str, AfterValidator(_pattern)]], Field(description="a list of strings")
]
Level = Annotated[Severity, Strict(False)]  # the TOML string 'error' -> Severity.ERROR
RelativePath = Annotated[str, Field(description="a path")]
Count = Annotated[int, Field(ge=0, description="a whole number")]
AtLeastOne = Annotated[int, Field(ge=1, description="a whole number")]
Duration = Annotated[str, Field(pattern=DURATION_PATTERN, description="a duration such as '15m'")]

_POLICY, _LIMITS, _CONFIG = Policy(), Limits(), Config(root=Path())


class _Table(BaseModel):
    """A TOML table: only known keys, each with a value of exactly the type asked for (no
    coercion: `max-depth = "3"` or `= true` is an error, not 3 or 1)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class PolicyTable(_Table):
    """`[policy]`: the numbers the rules use (policy.Policy)."""

    min_golden_cases: Count = Field(_POLICY.min_golden_cases, alias="min-golden-cases")
    source_freshness_days: Count = Field(
        _POLICY.source_freshness_days, alias="source-freshness-days"
    )
    max_handoff_depth: Count = Field(_POLICY.max_handoff_depth, alias="max-handoff-depth")
    external_incident_response: Duration = Field(
        _POLICY.external_incident_response, alias="external-incident-response"
    )
    judge_calibration_days: Count = Field(
        _POLICY.judge_calibration_days, alias="judge-calibration-days"
    )
    postmortem_days: Count = Field(_POLICY.postmortem_days, alias="postmortem-days")
    required_metrics: Strings = Field(list(_POLICY.required_metrics), alias="required-metrics")
    ad_hoc_review_days: Count = Field(_POLICY.ad_hoc_review_days, alias="ad-hoc-review-days")
    due_within: Count = Field(_POLICY.due_within, alias="due-within")


class LimitsTable(_Table):
    """`[limits]`: reading limits (policy.Limits)."""

    max_bytes: AtLeastOne = Field(_LIMITS.max_bytes, alias="max-bytes")
    max_depth: AtLeastOne = Field(_LIMITS.max_depth, alias="max-depth")
    max_nodes: AtLeastOne = Field(_LIMITS.max_nodes, alias="max-nodes")


class BuildTable(_Table):
    """`[build]`: what `agentroster build` writes."""

    out: RelativePath = _CONFIG.build_out
    html: bool = Field(_CONFIG.build_html, description="true or false")


class ConfigTable(_Table):
    """The whole `agentroster.toml` (or `[tool.agentroster]`) table."""

    select: Strings = []
    ignore: Strings = []
    severity: dict[str, Level] = Field({}, description="a table of rule = level")
    per_path_ignores: dict[Annotated[str, AfterValidator(_hiding_pattern)], list[str]] = Field(
        {}, alias="per-path-ignores", description="a table of glob = [codes]"
    )
    fail_on: Level = Field(_CONFIG.fail_on, alias="fail-on")
    exclude: Patterns = []
    policy: PolicyTable = Field(PolicyTable(), description="a table")
    limits: LimitsTable = Field(LimitsTable(), description="a table")
    human_queues: RelativePath = Field(_CONFIG.human_queues, alias="human-queues")
    tool_catalogue: RelativePath = Field(_CONFIG.tool_catalogue, alias="tool-catalogue")
    people: RelativePath = _CONFIG.people
    baseline: RelativePath | None = _CONFIG.baseline
    build: BuildTable = Field(BuildTable(), description="a table")
    cache: bool = Field(_CONFIG.cache, description="true or false")

    def to_config(self, *, root: Path, source: Path | None) -> Config:
        return Config(
            root=root,
            source=source,
            select=tuple(self.select),
            ignore=tuple(self.ignore),
            severity=tuple(self.severity.items()),
            per_path_ignores=tuple((k, tuple(v)) for k, v in self.per_path_ignores.items()),
            fail_on=self.fail_on,
            exclude=tuple(self.exclude),
            policy=Policy(
                **{
                    **self.policy.model_dump(),
                    "required_metrics": tuple(self.policy.required_metrics),
                }
            ),
            limits=Limits(**self.limits.model_dump()),
            human_queues=self.human_queues,
            tool_catalogue=self.tool_catalogue,
            people=self.people,
            baseline=self.baseline,
            build_out=self.build.out,
            build_html=self.build.html,
            cache=self.cache,
        )


# -- pydantic errors -> agentroster's messages -----------------------------------------------
def _walk(loc: tuple[int | str, ...]) -> tuple[type[_Table], FieldInfo | None, int]:
    """The innermost table model along `loc`, the key it names there, and how many parts of
    `loc` lie below that key (list indices, per-path-ignores patterns)."""
    model: type[_Table] = ConfigTable
    info = None
    for depth, part in enumerate(loc):
        info = {f.alias or name: f for name, f in model.model_fields.items()}[str(part)]
        inner = info.annotation
        if not (isinstance(inner, type) and issubclass(inner, _Table)):
            return model, info, len(loc) - depth - 1
        model = inner
    return model, info, 0


def _message(error: ErrorDetails) -> str:
    """One validation error as `key.path: what is wrong` (list indices left out)."""
    loc, kind, value = error["loc"], error["type"], error["input"]
    ctx = error.get("ctx", {})
    if loc[-1:] == ("[key]",):  # a per-path-ignores pattern: the message quotes it already
        loc = loc[:-2]
    if kind == "extra_forbidden":
        loc, key = loc[:-1], str(loc[-1])
        known = [f.alias or name for name, f in _walk(loc)[0].model_fields.items()]
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(known)}"
        text = f"unknown key '{key}'; {hint}"
    elif kind == "enum":
        text = f"{value!r} is not one of {', '.join(s.value for s in Severity)}"
    elif kind == "greater_than_equal":
        text = "must not be negative" if ctx["ge"] == 0 else f"must be at least {ctx['ge']}"
    elif kind == "value_error":  # raised by _pattern: says it all
        text = str(ctx["error"])
    else:
        _, info, below = _walk(loc)
        # below a key there are only lists of strings (per-path-ignores values, list items)
        expected = "a list of strings" if below else info.description if info else "a table"
        if kind == "string_pattern_mismatch":
            text = f"{value!r} is not {expected}"
        else:
            text = f"expected {expected}, got {value!r}"
    path = ".".join(str(part) for part in loc if not isinstance(part, int))
    return f"{path}: {text}" if path else text


def _position(table: Any, loc: tuple[int | str, ...]) -> tuple[int, ...]:
    """Where `loc` is in the file: TOML tables keep their keys in the order written."""
    out: list[int] = []
    for part in loc:
        if isinstance(table, dict) and part in table:
            out.append(list(table).index(part))
        elif isinstance(table, list) and isinstance(part, int):
            out.append(part)
        else:
            break
        table = table[part]
    return tuple(out)


def parse(table: dict[str, Any], *, root: Path, source: Path | None) -> Config:
    """Build a Config from the `[tool.agentroster]` (or agentroster.toml) table. Raises
    ConfigError with one line per problem, in the order the keys are written."""
    try:
        model = ConfigTable.model_validate(table)
    except ValidationError as exc:
        where = str(source) if source else "configuration"
        errors = sorted(exc.errors(), key=lambda e: _position(table, e["loc"]))
        raise ConfigError("\n".join(f"{where}: {_message(e)}" for e in errors)) from None
    return model.to_config(root=root, source=source)


# -- finding and reading the file ------------------------------------------------------------
def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data: dict[str, Any] = tomllib.load(fh)
            return data
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError:  # tomllib decodes the whole file first and lets this through
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 text") from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise ConfigError(f"{path}: invalid TOML: arrays or tables nested too deep") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def _stays_in(path: Path, directory: Path) -> bool:
    """Whether `path` (in `directory`) resolves inside it: the repository put the config
    files there, and agentroster reads nothing outside the roster (SECURITY.md)."""
    real, top = os.path.realpath(path), os.path.realpath(directory)
    return real == top or real.startswith(os.path.join(top, ""))


def _tool_table(pyproject: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    """`[tool.agentroster]` of a pyproject.toml, if it has one."""
    tool = data.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        raise ConfigError(f"{pyproject}: [tool] must be a table")
    table = tool.get("agentroster")
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.agentroster] must be a table")
    return table


def config_table(directory: Path) -> tuple[Path, dict[str, Any]] | None:
    """The config file in `directory` and its agentroster table, if it has one. A symlink
    that leads out of `directory` is never read: an error for agentroster.toml, and no table
    for pyproject.toml (whose agentroster table is optional)."""
    own = directory / CONFIG_FILE
    if own.is_file():
        if not _stays_in(own, directory):
            raise ConfigError(
                f"{own} is a symlink that leads out of {directory}; agentroster reads only "
                "files inside the roster"
            )
        return own, _read_toml(own)
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file() and _stays_in(pyproject, directory):
        table = _tool_table(pyproject, _read_toml(pyproject))
        if table is not None:
            return pyproject, table
    return None


def is_roster_root(directory: Path) -> bool:
    """Whether `directory` holds agentroster configuration: an agentroster.toml, or a
    pyproject.toml with a [tool.agentroster] table (a broken one counts, so that its error is
    reported where it is)."""
    if (directory / CONFIG_FILE).is_file():
        return True
    pyproject = directory / "pyproject.toml"
    try:
        if not pyproject.is_file() or not _stays_in(pyproject, directory):
            return False
        if b"agentroster" not in pyproject.read_bytes():
            return False
    except OSError:
        return False
    try:
        return config_table(directory) is not None
    except ConfigError:
        return True


def find_root(start: Path) -> Path | None:
    """The nearest directory at or above `start` that holds agentroster configuration."""
    directory = start if start.is_dir() else start.parent
    for candidate in (directory, *directory.parents):
        if is_roster_root(candidate):
            return candidate
    return None


def load_config(root: Path, explicit: Path | None = None) -> Config:
    """Configuration for the roster at `root` (or from an explicit `--config` file)."""
    if explicit is not None:
        if explicit.name == "pyproject.toml":
            table = _tool_table(explicit, _read_toml(explicit)) or {}
        else:
            table = _read_toml(explicit)
        return parse(table, root=explicit.parent.resolve(), source=explicit)
    found = config_table(root)
    if found is None:
        return Config(root=root)
    source, table = found
    return parse(table, root=root, source=source)


def describe(config: Config) -> str:
    """How messages name the configuration: its file, or 'configuration'."""
    return str(config.source) if config.source else "configuration"
