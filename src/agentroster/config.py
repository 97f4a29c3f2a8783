"""`agentroster.toml` or `[tool.agentroster]` in `pyproject.toml` -> Config.

Every key is checked: an unknown key or a value of the wrong type raises ConfigError, which
the CLI turns into exit code 2 with the file and the key named. Rule selectors (`select`,
`ignore`, `severity`, `per-path-ignores`) are kept as written; the rule registry, a layer
above, checks that each names a rule (rules.check_selectors).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentroster.findings import Severity
from agentroster.policy import DURATION_PATTERN, Limits, Policy
from agentroster.spelling import closest

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
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fail_on: Severity = Severity.ERROR
    exclude: tuple[str, ...] = ()
    policy: Policy = field(default_factory=Policy)
    limits: Limits = field(default_factory=Limits)
    human_queues: str = "agentroster.queues.yaml"
    tool_catalogue: str = "agentroster.tools.yaml"
    build_out: str = "build/agentroster"


def _want(value: Any, kind: type | tuple[type, ...], where: str, what: str) -> Any:
    if isinstance(value, bool) and kind is not bool:
        raise ConfigError(f"{where}: expected {what}, got {value!r}")
    if not isinstance(value, kind):
        raise ConfigError(f"{where}: expected {what}, got {value!r}")
    return value


def _str_list(value: Any, where: str) -> tuple[str, ...]:
    _want(value, list, where, "a list of strings")
    for item in value:
        _want(item, str, where, "a list of strings")
    return tuple(value)


def _severity(value: Any, where: str) -> Severity:
    names = [s.value for s in Severity]
    if value not in names:
        raise ConfigError(f"{where}: {value!r} is not one of {', '.join(names)}")
    return Severity(value)


def _reject_unknown(table: dict[str, Any], known: list[str], where: str) -> None:
    for key in table:
        if key not in known:
            close = closest(key, known)
            hint = f"; did you mean '{close}'?" if close else f"; known keys: {', '.join(known)}"
            raise ConfigError(f"{where}: unknown key '{key}'{hint}")


_TOP = [
    "select",
    "ignore",
    "severity",
    "per-path-ignores",
    "fail-on",
    "exclude",
    "policy",
    "limits",
    "human-queues",
    "tool-catalogue",
    "build",
]
_POLICY = {
    "min-golden-cases": "min_golden_cases",
    "source-freshness-days": "source_freshness_days",
    "max-handoff-depth": "max_handoff_depth",
    "external-incident-response": "external_incident_response",
}
_LIMITS = {"max-bytes": "max_bytes", "max-depth": "max_depth", "max-nodes": "max_nodes"}


def parse(table: dict[str, Any], *, root: Path, source: Path | None) -> Config:
    """Build a Config from the `[tool.agentroster]` (or agentroster.toml) table."""
    where = str(source) if source else "configuration"
    _reject_unknown(table, _TOP, where)
    kwargs: dict[str, Any] = {"root": root, "source": source}

    for key in ("select", "ignore"):
        if key in table:
            kwargs[key] = _str_list(table[key], f"{where}: {key}")
    if "exclude" in table:
        kwargs["exclude"] = _str_list(table["exclude"], f"{where}: exclude")
    if "fail-on" in table:
        kwargs["fail_on"] = _severity(table["fail-on"], f"{where}: fail-on")
    if "severity" in table:
        sev = _want(table["severity"], dict, f"{where}: severity", "a table of rule = level")
        pairs = []
        for rule, level in sev.items():
            pairs.append((rule, _severity(level, f"{where}: severity.{rule}")))
        kwargs["severity"] = tuple(pairs)
    if "per-path-ignores" in table:
        ppi = _want(
            table["per-path-ignores"],
            dict,
            f"{where}: per-path-ignores",
            "a table of glob = [codes]",
        )
        entries = []
        for glob, codes in ppi.items():
            entries.append((glob, _str_list(codes, f"{where}: per-path-ignores.{glob}")))
        kwargs["per_path_ignores"] = tuple(entries)
    for key, attr in (("human-queues", "human_queues"), ("tool-catalogue", "tool_catalogue")):
        if key in table:
            kwargs[attr] = _want(table[key], str, f"{where}: {key}", "a path")
    if "build" in table:
        build = _want(table["build"], dict, f"{where}: build", "a table")
        _reject_unknown(build, ["out"], f"{where}: build")
        if "out" in build:
            kwargs["build_out"] = _want(build["out"], str, f"{where}: build.out", "a path")
    if "policy" in table:
        pol = _want(table["policy"], dict, f"{where}: policy", "a table")
        _reject_unknown(pol, list(_POLICY), f"{where}: policy")
        values: dict[str, Any] = {}
        for key, attr in _POLICY.items():
            if key not in pol:
                continue
            if key == "external-incident-response":
                value = _want(pol[key], str, f"{where}: policy.{key}", "a duration such as '15m'")
                if not re.match(DURATION_PATTERN, value):
                    raise ConfigError(
                        f"{where}: policy.{key}: {value!r} is not a duration such as '15m'"
                    )
                values[attr] = value
            else:
                value = _want(pol[key], int, f"{where}: policy.{key}", "a whole number")
                if value < 0:
                    raise ConfigError(f"{where}: policy.{key}: must not be negative")
                values[attr] = value
        kwargs["policy"] = Policy(**values)
    if "limits" in table:
        lim = _want(table["limits"], dict, f"{where}: limits", "a table")
        _reject_unknown(lim, list(_LIMITS), f"{where}: limits")
        lvalues: dict[str, int] = {}
        for key, attr in _LIMITS.items():
            if key in lim:
                value = _want(lim[key], int, f"{where}: limits.{key}", "a whole number")
                if value < 1:
                    raise ConfigError(f"{where}: limits.{key}: must be at least 1")
                lvalues[attr] = value
        kwargs["limits"] = Limits(**lvalues)
    return Config(**kwargs)


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


def _tool_table(data: dict[str, Any], path: Path) -> Any:
    """`[tool.agentroster]` of a pyproject.toml, None when absent."""
    tool = data.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: [tool] must be a table")
    return tool.get("agentroster")


def config_table(directory: Path) -> tuple[Path, dict[str, Any]] | None:
    """The config file in `directory` and its agentroster table, if it has one."""
    own = directory / CONFIG_FILE
    if own.is_file():
        return own, _read_toml(own)
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        table = _tool_table(_read_toml(pyproject), pyproject)
        if table is not None:
            if not isinstance(table, dict):
                raise ConfigError(f"{pyproject}: [tool.agentroster] must be a table")
            return pyproject, table
    return None


def find_root(start: Path) -> Path | None:
    """The nearest directory at or above `start` that holds agentroster configuration."""
    directory = start if start.is_dir() else start.parent
    for candidate in (directory, *directory.parents):
        if (candidate / CONFIG_FILE).is_file():
            return candidate
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and b"agentroster" in pyproject.read_bytes():
            found = config_table(candidate)
            if found is not None:
                return candidate
    return None


def load_config(root: Path, explicit: Path | None = None) -> Config:
    """Configuration for the roster at `root` (or from an explicit `--config` file)."""
    if explicit is not None:
        if explicit.name == "pyproject.toml":
            table = _tool_table(_read_toml(explicit), explicit)
            if table is None:
                table = {}
            elif not isinstance(table, dict):
                raise ConfigError(f"{explicit}: [tool.agentroster] must be a table")
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
