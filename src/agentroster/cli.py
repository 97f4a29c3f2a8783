"""The command line: click only. Options -> one engine call -> exit code.

Exit codes: 0 no finding at the fail level, 1 findings at the fail level, 2 usage, config,
I/O or internal error, 130 interrupted (Ctrl-C), 141 standard output closed early (`| head`).
Heavy modules are imported inside the commands, so `--help` and `--version` stay instant and
pre-commit start-up stays small. Every exception meets the user in one place,
`GuardedGroup.invoke`: as one line on standard error, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from agentroster import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# As a shell reports a process ended by SIGINT or SIGPIPE (128 + the signal number), which is
# what a Ctrl-C or a closed pipe ends most command-line tools with.
EXIT_INTERRUPTED, EXIT_CLOSED_PIPE = 130, 141
# The six patterns, for --pattern; the model's Literal is the source (checked by a test).
PATTERN_CHOICES = (
    "employee-enablement",
    "business-expert",
    "workplace-services",
    "core-process",
    "external-engagement",
    "ai-first",
)


def _today(value: dt.datetime | None) -> dt.date:
    return value.date() if value is not None else dt.date.today()


def _fail(message: str) -> click.exceptions.Exit:
    # Messages quote config keys, values and file names from the repository: shown visibly.
    from agentroster.escape import terminal_text  # deferred, like every import here

    click.echo(f"agentroster: error: {terminal_text(message)}", err=True)
    return click.exceptions.Exit(EXIT_ERROR)


def _write(text: str, output: Path | None, *, color: bool = False) -> None:
    if output is None:
        # click strips ANSI codes off a non-terminal unless told; `color` is the decision
        # already taken by _use_color (so --color always works in CI logs too)
        click.echo(text, nl=False, color=color)
        return
    # deferred: start-up time (see the module docstring)
    from agentroster.writer import write_text_atomic

    try:
        write_text_atomic(output, text)
    except OSError as exc:
        raise _fail(f"cannot write {output}: {exc.strerror or exc}") from None


def _use_color(choice: str, output: Path | None) -> bool:
    if choice == "always":
        return True
    if choice == "never" or output is not None or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _one_line(text: str) -> str:
    """`text` on one line of printable characters (an exception's text can hold a
    repository's bytes: newlines, terminal escape sequences), at most about 500 of them."""
    shown = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text[:2000])
    return shown if len(shown) <= 500 else f"{shown[:497]}..."


class GuardedGroup(click.Group):
    """The command group, and the one place where any exception becomes an exit code.

    A configuration error or an I/O error is one line `agentroster: error: ...` and exit 2;
    any other exception (a bug) is one line `agentroster: internal error: ...` and exit 2;
    Ctrl-C exits 130 and a closed standard output (`agentroster lint | head -1`) 141, both
    quietly. Rules that crash do not get here: they are E000 findings in the report.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            raise _interrupted() from None
        except BrokenPipeError:
            _silence_stdout()
            raise click.exceptions.Exit(EXIT_CLOSED_PIPE) from None
        except Exception as exc:
            if _caused_by_ctrl_c(exc):
                raise _interrupted() from None
            raise _fail_for(exc) from None


def _interrupted() -> click.exceptions.Exit:
    _quietly(lambda: click.echo("agentroster: interrupted", err=True))
    # Under `python -m`, CPython ends the process by SIGINT instead of with its exit status
    # when the last code it ran from a string (a dataclass's generated methods, an annotation
    # pydantic evaluates) was interrupted, even though the KeyboardInterrupt was handled
    # (Modules/main.c, _Py_UnhandledKeyboardInterrupt). Running a string that does not raise
    # clears that note, so the exit status is 130 however the program was started.
    exec("")
    return click.exceptions.Exit(EXIT_INTERRUPTED)


def _caused_by_ctrl_c(exc: BaseException) -> bool:
    """Whether a KeyboardInterrupt is behind `exc` (a Ctrl-C while a class is being made
    comes out as RuntimeError: Error calling __set_name__ ...; one while pydantic-core dumps
    a model, as a PydanticSerializationError that only names it)."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        if type(cause).__name__ == "PydanticSerializationError" and "KeyboardInterrupt" in str(
            cause
        ):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def _fail_for(exc: Exception) -> click.exceptions.Exit:
    """Say on one line what stopped the run; exit 2."""
    # deferred: start-up time (see the module docstring)
    from agentroster.config import ConfigError

    if isinstance(exc, ConfigError):
        message = f"error: {exc}"
    elif isinstance(exc, OSError):
        where = f"{os.fsdecode(exc.filename)}: " if exc.filename else ""
        message = f"error: {where}{exc.strerror or exc}"
    else:
        message = (
            f"internal error: {type(exc).__name__}: {exc}; this is a bug in agentroster, "
            "please report it"
        )
    _quietly(lambda: click.echo(f"agentroster: {_one_line(message)}", err=True))
    return click.exceptions.Exit(EXIT_ERROR)


def _quietly(action: Callable[[], Any]) -> Any:
    """`action()`, or None when standard error is gone too."""
    try:
        return action()
    except (OSError, ValueError):
        return None


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's last flush of what the closed
    pipe did not take fails no more (it would print 'Exception ignored ... BrokenPipeError')."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (CliRunner) or no /dev/null
        pass


@click.group(cls=GuardedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="agentroster")
def main() -> None:
    """Governance for AI agents as code: lint agent cards and their handoff graph."""


TODAY = click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The date every date rule uses (YYYY-MM-DD). Default: today.",
)


def output_option(what: str) -> Callable[[Any], Any]:
    """`-o/--output FILE`: write `what` to FILE instead of standard output."""
    return click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=f"Write the {what} to this file instead of standard output.",
    )


JOBS = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Processes that read cards; 0: one per available core. Only rosters of 400 cards or "
    "more use more than one.",
)
CONFIG = click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Use this agentroster.toml (or pyproject.toml); its directory is the roster root.",
)
NO_CACHE = click.option(
    "--no-cache",
    is_flag=True,
    help="Read every card afresh, neither using nor updating the cache of unchanged cards' "
    "results (also config `cache = false`).",
)


def _jobs(value: int) -> int:
    if value:
        return value
    # deferred: start-up time (see the module docstring)
    from agentroster.parallel import default_jobs

    return default_jobs()


def _roster_config(path: Path | None, config_file: Path | None, cwd: Path) -> tuple[Path, Any]:
    """The roster root for PATH (or the config file's folder) and its configuration."""
    # deferred: start-up time (see the module docstring)
    from agentroster.config import find_root
    from agentroster.pipeline import configure

    target = (path or cwd).resolve()
    root = config_file.resolve().parent if config_file else (find_root(target) or cwd)
    return root, configure(root, config_file)  # a ConfigError: see GuardedGroup


def run_lint(
    paths: Sequence[Path],
    *,
    config_file: Path | None,
    today: dt.date,
    use_waivers: bool,
    jobs: int = 1,
    selection: Any = None,
    baseline: Any = None,
    base: str | None = None,
    base_dir: Path | None = None,
    new_only: bool = False,
    cache: bool = False,
) -> Any:
    """Lint every roster the paths lead to (rosters.plan) and merge the reports. With
    `baseline` (a baseline.Known shared by all rosters) or a roster's configured baseline,
    recorded findings are hidden; returns the report and the number of baseline entries that
    matched nothing (fixed). With `base` (a git revision) or `base_dir`, each roster is also
    compared with its base version (review.lint_against_base)."""
    # deferred: start-up time (see the module docstring)
    from agentroster.findings import Report
    from agentroster.pipeline import configure, lint_roster, read_baseline
    from agentroster.rosters import plan

    cwd = Path.cwd()
    report = Report([])
    fixed = 0
    first: Path | None = None
    for target in plan(paths, cwd=cwd, config_file=config_file):
        config = configure(target.root, config_file)
        if selection is not None:
            config = selection.apply(config)
        own = read_baseline(config) if baseline is None else None
        known = baseline if baseline is not None else own
        first = first or target.root
        if base is None and base_dir is None:
            one = lint_roster(
                target.root,
                config,
                today=today,
                cwd=cwd,
                only=target.only,
                use_waivers=use_waivers,
                jobs=jobs,
                baseline=known,
                cache=cache,
            )
        else:
            from agentroster.review import lint_against_base, side_at

            folder = None if base_dir is None else base_dir / os.path.relpath(target.root, first)
            with side_at(target.root, rev=base, folder=folder, config=config) as side:
                one = lint_against_base(
                    target.root,
                    config,
                    base=side,
                    today=today,
                    cwd=cwd,
                    only=target.only,
                    use_waivers=use_waivers,
                    jobs=jobs,
                    baseline=known,
                    new_only=new_only,
                    cache=cache,
                )
        report = report.merge(one)
        if own is not None:
            fixed += sum(own.values())
    if baseline is not None:
        fixed += sum(baseline.values())
    return report, fixed


def _selectors(values: tuple[str, ...]) -> tuple[str, ...]:
    """Repeated and comma-separated selectors, as one tuple."""
    return tuple(item.strip() for value in values for item in value.split(",") if item.strip())


SEVERITY_CHOICE = click.Choice(["error", "warning", "info"])


SELECT = click.option(
    "--select",
    multiple=True,
    metavar="RULES",
    help="Only these rules (codes, names, family letters, ALL; comma-separated or repeated), "
    "instead of the configured `select`.",
)
EXTEND_SELECT = click.option(
    "--extend-select",
    multiple=True,
    metavar="RULES",
    help="Add these rules to the selection.",
)
IGNORE = click.option(
    "--ignore",
    multiple=True,
    metavar="RULES",
    help="Leave these rules out, on top of the configured `ignore`.",
)
FAIL_ON = click.option(
    "--fail-on",
    type=SEVERITY_CHOICE,
    default=None,
    help="Lowest severity that fails the run (exit 1), instead of the configured `fail-on`.",
)
BASE = click.option(
    "--base",
    "base_rev",
    metavar="REV",
    default=None,
    help="Compare with the roster at this git revision (branch, tag, commit, origin/main, "
    "HEAD~1): adds the change review rules M001-M003.",
)
BASE_DIR = click.option(
    "--base-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Like --base, with the base roster in this folder (no git needed).",
)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "github", "gitlab"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@TODAY
@CONFIG
@JOBS
@NO_CACHE
@SELECT
@EXTEND_SELECT
@IGNORE
@FAIL_ON
@click.option(
    "--due-within",
    type=click.IntRange(min=0),
    default=None,
    metavar="DAYS",
    help="Announce governance reviews falling due within DAYS (T011, info), instead of the "
    "configured `[policy] due-within` (30).",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Hide the findings this baseline file records; report only new ones.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Record every finding of this run in a baseline file, and exit 0.",
)
@BASE
@BASE_DIR
@click.option(
    "--new-only",
    is_flag=True,
    help="With --base or --base-dir: report only the findings the change introduces (matched "
    "by code, agent and field, not by line).",
)
@click.option("--no-waivers", is_flag=True, help="Show findings that waivers would hide.")
@output_option("report")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour in text output (auto: only on a terminal, and never when NO_COLOR is set).",
)
def lint(
    paths: tuple[Path, ...],
    fmt: str,
    today: dt.datetime | None,
    config_file: Path | None,
    jobs: int,
    no_cache: bool,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    due_within: int | None,
    baseline_file: Path | None,
    write_baseline: Path | None,
    base_rev: str | None,
    base_dir: Path | None,
    new_only: bool,
    no_waivers: bool,
    output: Path | None,
    exit_zero: bool,
    color: str,
) -> None:
    """Check the agent cards of the roster(s) holding PATHS (default: the current directory).

    The whole roster is always loaded, since handoff rules need every card; PATHS only narrow
    which cards' findings are reported. Rosters below PATHS with their own configuration are
    linted too, each on its own.

    With --base REV (or --base-dir DIR), each card is also compared with its version at REV:
    the change review rules M001-M003 run, and --new-only keeps only the findings the change
    introduces.
    """
    # deferred: start-up time (see the module docstring)
    from agentroster import baseline as baselines
    from agentroster.config import ConfigError
    from agentroster.revision import RevisionError

    if base_rev is not None and base_dir is not None:
        raise click.UsageError("give --base or --base-dir, not both")
    if new_only and base_rev is None and base_dir is None:
        raise click.UsageError("--new-only needs --base REV or --base-dir DIR")
    selection = _selection(select, extend_select, ignore, fail_on, due_within)
    try:
        selection.check()
        known = None
        if baseline_file is not None and write_baseline is None:
            known = baselines.loads(_read_text(baseline_file), where=str(baseline_file))
        report, fixed = run_lint(
            paths,
            config_file=config_file,
            today=_today(today),
            use_waivers=not no_waivers,
            jobs=_jobs(jobs),
            selection=selection,
            # writing a baseline: an empty one, so configured baselines hide nothing
            baseline=known if write_baseline is None else Counter(),
            base=base_rev,
            base_dir=base_dir,
            new_only=new_only,
            cache=not no_cache,
        )
    except (ConfigError, baselines.BaselineError, RevisionError) as exc:
        raise _fail(str(exc)) from None
    if not report.files:
        _no_cards(paths)
    if write_baseline is not None:
        _write(baselines.dumps(report.findings), write_baseline)
        count = len(report.findings)
        click.echo(
            f"Wrote {count} finding{'s' if count != 1 else ''} to the baseline {write_baseline}.",
            err=True,
        )
        return
    # deferred: start-up time (see the module docstring)
    from agentroster.report import RenderOptions, reporter

    use_color = fmt == "text" and _use_color(color, output)
    _write(reporter(fmt)(report, RenderOptions(color=use_color)), output, color=use_color)
    if fixed:
        click.echo(
            f"agentroster: {fixed} baseline entr{'ies' if fixed != 1 else 'y'} matched no finding "
            "(fixed); write the baseline again (--write-baseline) to drop "
            f"{'them' if fixed != 1 else 'it'}",
            err=True,
        )
    if report.internal_errors:
        raise click.exceptions.Exit(EXIT_ERROR)
    if report.failing and not exit_zero:
        raise click.exceptions.Exit(EXIT_FINDINGS)


def _selection(
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    due_within: int | None = None,
) -> Any:
    # deferred: start-up time (see the module docstring)
    from agentroster.findings import Severity
    from agentroster.pipeline import Selection

    return Selection(
        select=_selectors(select),
        extend_select=_selectors(extend_select),
        ignore=_selectors(ignore),
        fail_on=Severity(fail_on) if fail_on else None,
        due_within=due_within,
    )


@main.command()
@click.argument("rev")
@click.option(
    "--head",
    "head_rev",
    metavar="REV2",
    default=None,
    help="Compare REV with this revision instead of the working tree.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="Text, a Markdown pull-request comment, or JSON (docs/diff.md).",
)
@TODAY
@CONFIG
@JOBS
@SELECT
@EXTEND_SELECT
@IGNORE
@FAIL_ON
@output_option("change report")
def diff(
    rev: str,
    head_rev: str | None,
    fmt: str,
    today: dt.datetime | None,
    config_file: Path | None,
    jobs: int,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    output: Path | None,
) -> None:
    """The change report from the roster at git revision REV to the working tree (or REV2).

    Per agent: added, removed, renamed, changed, with each changed field old -> new, marked
    material or not; handoff graph changes; findings introduced and resolved; the approvals
    the change needs by tier. Exits 1 when the change brings M findings or new findings at the
    fail level.
    """
    # deferred: start-up time (see the module docstring)
    from agentroster.config import ConfigError
    from agentroster.report.diff import DIFF_RENDERERS
    from agentroster.review import compare_sides, side_at
    from agentroster.revision import RevisionError

    cwd = Path.cwd()
    selection = _selection(select, extend_select, ignore, fail_on)
    root, config = _roster_config(None, config_file, cwd)
    try:
        selection.check()
        config = selection.apply(config)
        with (
            side_at(root, rev=rev, config=config) as base,
            side_at(root, rev=head_rev, config=config) as head,
        ):
            change = compare_sides(
                base, head, config, today=_today(today), cwd=cwd, jobs=_jobs(jobs)
            )
    except (ConfigError, RevisionError) as exc:
        raise _fail(str(exc)) from None
    _write(DIFF_RENDERERS[fmt](change), output)
    if change.failing:
        raise click.exceptions.Exit(EXIT_FINDINGS)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"{path}: cannot read: {exc}") from None


def _no_cards(paths: tuple[Path, ...]) -> None:
    """No card in the input: an error for paths named on the command line (exit 2), a note
    on standard error for the default (the current directory)."""
    if paths:
        named = ", ".join(str(p) for p in paths)
        raise _fail(f"no agent cards (*.agent.yaml, *.agent.yml) in {named}")
    click.echo("agentroster: no agent cards (*.agent.yaml, *.agent.yml) here", err=True)


@main.command()
@output_option("schema")
def schema(output: Path | None) -> None:
    """Print the JSON Schema (draft 2020-12) of the agent card format v1."""
    # deferred: start-up time (see the module docstring)
    from agentroster.emit.schema import card_schema_text

    _write(card_schema_text(), output)


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Table or JSON.",
)
def rules(fmt: str) -> None:
    """List every rule: code, name, default severity and summary."""
    # deferred: start-up time (see the module docstring)
    import json

    from agentroster.findings import FAMILIES
    from agentroster.rules import RULES

    if fmt == "json":
        doc = [
            {
                "code": r.code,
                "name": r.name,
                "family": FAMILIES[r.family],
                "severity": r.severity.value,
                "scope": r.scope,
                "summary": r.summary,
            }
            for r in RULES
        ]
        click.echo(json.dumps(doc, indent=2))
        return
    width = max(len(r.name) for r in RULES)
    for r in RULES:
        click.echo(f"{r.code}  {r.name:<{width}}  {r.severity.value:<7}  {r.summary}")


@main.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Explain a rule given by code or name: what, why, a failing and a passing snippet, the fix."""
    # deferred: start-up time (see the module docstring)
    from agentroster.rules import RULE_BY_CODE, RULE_BY_NAME, lookup
    from agentroster.spelling import closest

    found = lookup(rule)
    if found is None:
        known = [*RULE_BY_CODE, *RULE_BY_NAME]
        close = closest(rule.upper() if len(rule) == 4 else rule.lower(), known)
        hint = f"; did you mean '{close}'?" if close else "; see `agentroster rules`"
        raise _fail(f"no rule '{rule}'{hint}")
    click.echo(found.explain(), nl=False)


@main.command()
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path), default=None)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mermaid", "dot", "json"]),
    default="mermaid",
    show_default=True,
    help="Mermaid flowchart (renders on GitHub), Graphviz DOT, or JSON.",
)
@click.option("--agent", default=None, help="Only this agent's neighbourhood.")
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="With --agent: how many handoffs away, in either direction.",
)
@CONFIG
@output_option("graph")
def graph(
    path: Path | None,
    fmt: str,
    agent: str | None,
    depth: int,
    config_file: Path | None,
    output: Path | None,
) -> None:
    """Print the handoff graph of the roster holding PATH (default: the current directory)."""
    # deferred: start-up time (see the module docstring)
    from agentroster.emit.graph import EXPORTERS
    from agentroster.graph import handoff_graph
    from agentroster.pipeline import load_roster
    from agentroster.spelling import closest

    cwd = Path.cwd()
    root, config = _roster_config(path, config_file, cwd)
    roster = load_roster(root, config, today=dt.date.today(), cwd=cwd, check=False)
    handoffs = handoff_graph(roster)
    keep = None
    if agent is not None:
        if agent not in handoffs.graph:
            close = closest(agent, handoffs.agents)
            hint = f"; did you mean '{close}'?" if close else ""
            raise _fail(f"no agent '{agent}' in the roster at {root}{hint}")
        keep = handoffs.neighbourhood(agent, depth)
    _write(EXPORTERS[fmt](handoffs, keep), output)


@main.command()
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path), default=None)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output directory (default: `build.out` from the config, else build/agentroster "
    "under the roster root).",
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date the output (YYYY-MM-DD): it then also shows overdue reviews, findings and "
    "waiver states as of that day, for a published artifact. Default: an undated build, "
    "whose files depend on the cards only (the error gate still lints as of today).",
)
@click.option(
    "--html/--no-html",
    default=None,
    help="Also write the portfolio site, a static HTML site under <out>/html/ (default: "
    "`build.html` from the config, else no).",
)
@CONFIG
@JOBS
@NO_CACHE
@click.option("--allow-errors", is_flag=True, help="Build even when the roster has error findings.")
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 when the output on disk differs from what the cards give. "
    "Findings do not stop it: `agentroster lint` reports them.",
)
def build(
    path: Path | None,
    out: Path | None,
    today: dt.datetime | None,
    html: bool | None,
    config_file: Path | None,
    jobs: int,
    no_cache: bool,
    allow_errors: bool,
    check: bool,
) -> None:
    """Generate the agent registry and documentation from the cards of the roster at PATH,
    and with --html the portfolio site.

    Without --today the files hold nothing that depends on the date, so a committed build
    stays fresh (`build --check`) until a card changes.

    The output directory is replaced as a whole; `build` refuses (exit 2) a `[build] out`
    outside the roster root, a directory holding the cards, the config or `.git`, and a
    non-empty directory holding anything its previous build's manifest does not list.
    """
    # deferred: start-up time (see the module docstring)
    from agentroster.build import Outputs, guard, output_dir, shed, stale, unowned
    from agentroster.config import ConfigError
    from agentroster.findings import Severity
    from agentroster.pipeline import display_path, gc_paused, lint_loaded, load_roster
    from agentroster.report import RenderOptions, reporter
    from agentroster.writer import WriteRefused, replace_dir

    cwd = Path.cwd()
    root, config = _roster_config(path, config_file, cwd)
    day = _today(today)
    try:
        destination = output_dir(config, out)
    except (ConfigError, WriteRefused) as exc:
        raise _fail(str(exc)) from None
    shown = display_path(destination, cwd)
    with gc_paused():
        try:
            roster = load_roster(
                root, config, today=day, cwd=cwd, jobs=_jobs(jobs), cache=not no_cache
            )
        except ConfigError as exc:  # a catalogue path that leads out of the roster
            raise _fail(str(exc)) from None
        report = lint_loaded(roster, config, today=day)
        errors = report.count(Severity.ERROR)
        # --check compares bytes only: findings are lint's to report, and one that appears
        # with time (a review falls due) must not make an unchanged committed build fail
        building = not report.internal_errors and (check or allow_errors or not errors)
        problems: list[str] = []
        made = 0
        if building:
            dated = day if today is not None else None
            shed(roster)
            # each file is made as it is compared or written (build.Outputs)
            site = config.build_html if html is None else html
            files = Outputs(roster, report, today=dated, out=destination, html=site)
            if check:
                problems = stale(destination, files)
            else:
                cards = [card_file.file for card_file in roster.files]
                try:
                    guard(destination, root=root, config_file=config.source, cards=cards)
                    replace_dir(destination, files, check=unowned)
                except WriteRefused as exc:
                    raise _fail(str(exc)) from None
                except OSError as exc:
                    raise _fail(f"cannot write {shown}: {exc.strerror or exc}") from None
            made = len(files.made)
            del files
        del roster  # freed while the collector is paused (see gc_paused)
    if not building:
        click.echo(reporter("text")(report, RenderOptions()), nl=False)
        if report.internal_errors:
            raise click.exceptions.Exit(EXIT_ERROR)
        click.echo(
            f"agentroster: refusing to build: {errors} error finding{'s' if errors != 1 else ''}; "
            "fix them, or pass --allow-errors",
            err=True,
        )
        raise click.exceptions.Exit(EXIT_FINDINGS)
    if check:
        for problem in problems:
            click.echo(f"{shown}: {problem}")
        if problems:
            click.echo(f"{shown} is stale: run `agentroster build` and commit the result", err=True)
            raise click.exceptions.Exit(EXIT_FINDINGS)
        click.echo(f"{shown} is up to date ({made} files).")
        return
    click.echo(f"Wrote {made} files to {shown}.")


EXPORT_FORMATS = ("a2a", "cyclonedx", "backstage", "codeowners")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    required=True,
    help="A2A AgentCards (JSON array), CycloneDX 1.6 BOM (JSON), Backstage catalog (YAML) or "
    "a CODEOWNERS section.",
)
@TODAY
@CONFIG
@JOBS
@NO_CACHE
@click.option(
    "--allow-findings", is_flag=True, help="Export even when the roster has error findings."
)
@output_option("export")
@click.option(
    "--split",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="a2a only: write one <id>.json per agent into this directory instead of an array.",
)
@click.option(
    "--check",
    "check_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="codeowners only: write nothing; exit 1 when the section between the markers in this "
    "CODEOWNERS file is stale.",
)
def export(
    paths: tuple[Path, ...],
    fmt: str,
    today: dt.datetime | None,
    config_file: Path | None,
    jobs: int,
    no_cache: bool,
    allow_findings: bool,
    output: Path | None,
    split: Path | None,
    check_file: Path | None,
) -> None:
    """Export the roster holding PATHS (default: the current directory) for other tools.

    Lints first and refuses (exit 1) when the exported cards have error findings. Card paths
    (CODEOWNERS, Backstage annotations) are relative to the top of the git work tree holding
    the roster. PATHS narrow which cards are exported; they must lie in one roster.
    See docs/exports.md for every field.
    """
    # deferred: start-up time (see the module docstring)
    import dataclasses

    from agentroster.config import ConfigError
    from agentroster.export import EXPORTER_BY_NAME, a2a, codeowners
    from agentroster.export.base import ExportError
    from agentroster.findings import Severity
    from agentroster.pipeline import display_path, lint_loaded, load_roster, reported_files
    from agentroster.report import RenderOptions, reporter
    from agentroster.rosters import work_tree

    if split is not None and fmt != "a2a":
        raise click.UsageError("--split works with --format a2a only")
    if check_file is not None and fmt != "codeowners":
        raise click.UsageError("--check works with --format codeowners only")
    if (split or check_file) and output is not None:
        raise click.UsageError("-o/--output cannot be combined with --split or --check")
    cwd = Path.cwd()
    root, config = _roster_config(paths[0] if paths else None, config_file, cwd)
    outside = [p for p in paths if not _within(p.resolve(), root)]
    if outside:
        raise _fail(f"{outside[0]} is not in the roster at {root}; export one roster at a time")
    day = _today(today)
    try:
        roster = load_roster(root, config, today=day, cwd=cwd, jobs=_jobs(jobs), cache=not no_cache)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    only = tuple(p.resolve() for p in paths)
    report = lint_loaded(roster, config, today=day, only=only)
    errors = report.count(Severity.ERROR)
    if report.internal_errors or (errors and not allow_findings):
        click.echo(reporter("text")(report, RenderOptions()), nl=False, err=True)
        if report.internal_errors:
            raise click.exceptions.Exit(EXIT_ERROR)
        click.echo(
            f"agentroster: refusing to export: {errors} error finding{'s' if errors != 1 else ''}"
            "; fix them, or pass --allow-findings",
            err=True,
        )
        raise click.exceptions.Exit(EXIT_FINDINGS)
    if only:
        roster = dataclasses.replace(roster, files=reported_files(roster, only))
    base = work_tree(root) or root
    try:
        if split is not None:
            files = a2a.files(roster)
            for name, text in files.items():
                _write(text, split / name)
            click.echo(f"Wrote {len(files)} A2A cards to {display_path(split, cwd)}.", err=True)
            return
        text = EXPORTER_BY_NAME[fmt](roster, base)
    except ExportError as exc:
        raise _fail(str(exc)) from None
    if check_file is not None:
        problem = codeowners.stale(_read_text(check_file), text)
        shown = display_path(check_file, cwd)
        if problem is not None:
            click.echo(f"{shown}: {problem}")
            click.echo(
                f"{shown} is stale: run `agentroster export --format codeowners` and replace "
                "the section between the markers",
                err=True,
            )
            raise click.exceptions.Exit(EXIT_FINDINGS)
        click.echo(f"{shown} is up to date.")
        return
    _write(text, output)


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


@main.command()
@click.argument(
    "directory", required=False, type=click.Path(file_okay=False, path_type=Path), default=None
)
@click.option("--id", "agent_id", default=None, help="The agent's kebab-case id.")
@click.option(
    "--pattern",
    type=click.Choice(PATTERN_CHOICES),
    default=None,
    help="Which of the six agent patterns.",
)
@click.option("--tier", type=click.IntRange(1, 3), default=None, help="Risk tier, 1 highest.")
@click.option(
    "--mode",
    type=click.Choice(["assist", "execute"]),
    default=None,
    help="Default: assist for employee-enablement and business-expert, else execute.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing card file.")
def init(
    directory: Path | None,
    agent_id: str | None,
    pattern: str | None,
    tier: int | None,
    mode: str | None,
    force: bool,
) -> None:
    """Write a new agent card into DIRECTORY (default: the current one).

    Without --id, --pattern and --tier on a terminal, asks for them. The card passes every rule
    that needs no human facts; the facts are TODO placeholders that lint reports until filled.
    """
    # deferred: start-up time (see the module docstring)
    from agentroster.init import PATTERNS, card_text

    missing = [
        name for name, value in (("--id", agent_id), ("--pattern", pattern), ("--tier", tier))
        if value is None
    ]  # fmt: skip
    if missing:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise click.UsageError(f"missing {', '.join(missing)} (not a terminal, so no prompts)")
        agent_id = agent_id or click.prompt("Agent id (kebab-case)")
        pattern = pattern or click.prompt("Pattern", type=click.Choice(PATTERNS))
        tier = tier or click.prompt("Tier (1 highest risk)", type=click.IntRange(1, 3))
    assert agent_id is not None and pattern is not None and tier is not None
    try:
        text = card_text(agent_id, pattern=pattern, tier=tier, mode=mode, today=dt.date.today())
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    target = (directory or Path.cwd()) / f"{agent_id}.agent.yaml"
    if target.exists() and not force:
        raise _fail(f"{target} exists; pass --force to overwrite it")
    from agentroster.config import CONFIG_FILE, find_root
    from agentroster.init import CONFIG_TEMPLATE
    from agentroster.loader import load_text
    from agentroster.rosters import default_root
    from agentroster.rules.card import todo_placeholders
    from agentroster.writer import write_text_atomic

    write_text_atomic(target, text)
    todos = len(list(todo_placeholders(load_text(text).data)))
    click.echo(f"Wrote {target}. Fill in its {todos} TODO placeholders, then `agentroster lint`.")
    folder = target.parent.resolve()
    if find_root(folder) is None:  # the repository has no configuration yet: start one
        config = default_root(folder, Path.cwd().resolve()) / CONFIG_FILE
        write_text_atomic(config, CONFIG_TEMPLATE)
        click.echo(f"Wrote {CONFIG_FILE} at {config.parent}: the roster's root and settings.")


@main.group(name="import")
def import_() -> None:
    """Start cards from descriptions published elsewhere."""


@import_.command(name="a2a")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument(
    "directory", required=False, type=click.Path(file_okay=False, path_type=Path), default=None
)
@click.option("--id", "agent_id", default=None, help="The card's id (default: from the name).")
@click.option(
    "--pattern",
    type=click.Choice(PATTERN_CHOICES),
    default="external-engagement",
    show_default=True,
    help="Which of the six agent patterns (an A2A agent serves other parties).",
)
@click.option(
    "--tier",
    type=click.IntRange(1, 3),
    default=1,
    show_default=True,
    help="Risk tier; the default assumes the highest risk until a review says otherwise.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing card file.")
def import_a2a(
    file: Path,
    directory: Path | None,
    agent_id: str | None,
    pattern: str,
    tier: int,
    force: bool,
) -> None:
    """Write a card skeleton into DIRECTORY (default: the current one) from the A2A AgentCard
    in FILE (JSON): its name, description, skills, version and endpoint, with TODO
    placeholders for every governance fact. FILE is read as untrusted: at most 1 MiB."""
    # deferred: start-up time (see the module docstring)
    from agentroster.skeleton import MAX_BYTES, ImportRefused, read_agent_card, skeleton
    from agentroster.writer import write_text_atomic

    try:
        with file.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise _fail(f"{file}: cannot read: {exc.strerror or exc}") from None
    try:
        new_id, text = skeleton(
            read_agent_card(raw),
            agent_id=agent_id,
            pattern=pattern,
            tier=tier,
            today=dt.date.today(),
            source=file.name,
        )
    except ImportRefused as exc:
        raise _fail(f"{file}: {exc}") from None
    except ValueError as exc:  # an --id that is not kebab-case
        raise click.UsageError(str(exc)) from None
    target = (directory or Path.cwd()) / f"{new_id}.agent.yaml"
    if target.exists() and not force:
        raise _fail(f"{target} exists; pass --force to overwrite it")
    write_text_atomic(target, text)
    click.echo(f"Wrote {target}. Fill in its TODO placeholders, then `agentroster lint`.")
