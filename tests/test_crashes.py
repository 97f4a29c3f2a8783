"""No crash reaches the user (issue 14, part 6): an exception while loading, checking or
reporting is an E000 finding or one line on standard error, exit 2, never a traceback; the
rest of the report is still printed; Ctrl-C exits 130 and a closed pipe 141, quietly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from agentroster import reading
from agentroster.cli import main
from agentroster.graph import HandoffGraph
from tests.conftest import CLEAN_CARD, EXAMPLES

BROKEN = CLEAN_CARD.replace("notes-helper", "broken-card").replace("tier: 3", "tier: 9")
FORMATS = ["text", "json", "sarif", "github", "gitlab"]


def cli(*args: str):
    """The command run in-process; an exception escaping it fails the test."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def run(root: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "agentroster", *args]
    return subprocess.run(
        cmd, cwd=root, capture_output=True, text=True, timeout=timeout, check=False
    )


def _one_quiet_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) <= 1, stderr
    return lines[0] if lines else ""


# -- catalogues --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "text", "kind", "key"),
    [
        ("agentroster.queues.yaml", "just a string\n", "a single value", "queues"),
        ("agentroster.queues.yaml", "- a\n- b\n", "a list", "queues"),
        ("agentroster.tools.yaml", "42\n", "a single value", "tools"),
        ("agentroster.tools.yaml", "- {id: x, access: read}\n", "a list", "tools"),
    ],
)
def test_a_catalogue_that_is_not_a_mapping_is_a_finding(roster, name, text, kind, key):
    root = roster({"notes-helper.agent.yaml": CLEAN_CARD, name: text})
    result = cli("lint", "--format", "json", str(root))
    assert result.exit_code == 1
    [finding] = json.loads(result.output)["findings"]
    assert (finding["code"], finding["line"], finding["message"]) == (
        "C002",
        1,
        f"{name} holds {kind}, not a mapping; write `{key}:` and a list under it",
    )


def test_a_crash_while_reading_the_catalogues_is_e000_and_the_roster_is_still_linted(
    roster, monkeypatch
):
    def boom(*args, **kwargs):
        raise IndexError("tuple index out of range")

    monkeypatch.setattr("agentroster.pipeline.load_catalogues", boom)
    root = roster({"notes-helper.agent.yaml": CLEAN_CARD, "broken-card.agent.yaml": BROKEN})
    result = cli("lint", "--format", "json", str(root))
    assert result.exit_code == 2
    found = [(Path(f["path"]).name, f["code"]) for f in json.loads(result.output)["findings"]]
    assert found == [("agentroster.queues.yaml", "E000"), ("broken-card.agent.yaml", "C002")]


# -- cards -------------------------------------------------------------------------------------
def test_a_crash_while_reading_a_card_is_e000_on_that_card_only(roster, monkeypatch):
    real = reading._read_card

    def crash_on_notes(file, **kwargs):
        if file.name == "notes-helper.agent.yaml":
            raise RecursionError("maximum recursion depth exceeded")
        return real(file, **kwargs)

    monkeypatch.setattr(reading, "_read_card", crash_on_notes)
    monkeypatch.chdir(roster({"notes-helper.agent.yaml": CLEAN_CARD, "b.agent.yaml": BROKEN}))
    result = cli("lint", ".")
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "b.agent.yaml:3:5: warning C006 file is named 'b.agent.yaml' but the id is 'broken-card'; "
        "rename it to 'broken-card.agent.yaml' (file-name-mismatch)",
        "b.agent.yaml:10:7: error   C002 tier: integer 9 is not allowed; use one of 1, 2 or 3 "
        "(schema-violation)",
        "notes-helper.agent.yaml:1:1: error   E000 reading this file crashed with RecursionError: "
        "maximum recursion depth exceeded; this is a bug in agentroster, please report it with "
        "this file (internal-error)",
        "Found 2 errors, 1 warning (2 files, 1 agent).",
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_lone_surrogate_in_a_key_crashes_no_format(roster, fmt):
    root = roster(
        {
            "notes-helper.agent.yaml": CLEAN_CARD + '"\\uDC80key": 1\n',
            "broken-card.agent.yaml": BROKEN,
        }
    )
    proc = run(root, "lint", "--format", fmt, "--today", "2026-11-21", "-j", "1", ".")
    _one_quiet_line(proc.stderr)
    assert proc.returncode in (1, 2), proc.stderr  # a finding (C003) or an internal error
    assert "broken-card.agent.yaml" in proc.stdout  # the rest of the report is there
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(proc.stdout)


def _crashing_roster(roster, monkeypatch) -> Path:
    """Two cards; H007 crashes (E000 at the first card, a-one) and per-path-ignores hides
    everything it can."""

    def boom(self):
        raise ValueError("boom")

    monkeypatch.setattr(HandoffGraph, "distance", boom)  # H007 needs it
    chain = CLEAN_CARD.replace("escalation: {to: human:workplace-it}", "escalation: {to: b-two}")
    config = '[per-path-ignores]\n"*.agent.yaml" = ["ALL"]\n"*" = ["E000", "E"]\n'
    files = {
        "a-one.agent.yaml": chain.replace("notes-helper", "a-one"),
        "b-two.agent.yaml": CLEAN_CARD.replace("notes-helper", "b-two"),
    }
    return roster(files, config=config)


def _internal_errors(result) -> list[tuple[str, str]]:
    findings = json.loads(result.output)["findings"]
    return [(Path(f["path"]).name, f["code"]) for f in findings if f["code"] == "E000"]


def test_per_path_ignores_never_hide_an_internal_error(roster, monkeypatch):
    root = _crashing_roster(roster, monkeypatch)
    result = cli("lint", "--format", "json", str(root))
    assert result.exit_code == 2
    assert _internal_errors(result) == [("a-one.agent.yaml", "E000")]


def test_linting_some_paths_never_hides_an_internal_error(roster, monkeypatch):
    root = _crashing_roster(roster, monkeypatch)
    result = cli("lint", "--format", "json", str(root / "b-two.agent.yaml"))
    assert result.exit_code == 2  # the crash may have hidden a finding of b-two
    assert _internal_errors(result) == [("a-one.agent.yaml", "E000")]


# -- configuration -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("pyproject", "message"),
    [
        ("[tool.agentroster\nselect = [", "invalid TOML: Expected ']' at the end of a table"),
        ("tool = 1\n# agentroster\n", "[tool] must be a table"),
        ("[[tool.agentroster]]\nselect = []\n", "[tool.agentroster] must be a table"),
        (b"# agentroster\nx = '\xff'\n", "invalid TOML: not UTF-8 text"),
        ("# agentroster\nx = " + "[" * 5000 + "]" * 5000, "nested too deep"),
    ],
)
@pytest.mark.parametrize("command", ["lint", "graph", "build"])
def test_a_broken_pyproject_is_one_line_and_exit_2(tmp_path, pyproject, message, command):
    path = tmp_path / "pyproject.toml"
    if isinstance(pyproject, bytes):
        path.write_bytes(pyproject)
    else:
        path.write_text(pyproject)
    (tmp_path / "notes-helper.agent.yaml").write_text(CLEAN_CARD)
    result = cli(command, str(tmp_path))
    assert result.exit_code == 2
    [line] = result.output.splitlines()
    assert line.startswith(f"agentroster: error: {path}: ") and message in line


# -- reporting and output ------------------------------------------------------------------------
def test_a_crashing_reporter_is_one_line_with_its_text_made_harmless(roster, monkeypatch):
    def reporter(name):
        def render(report, options):
            raise ValueError("bad\n::error::forged\x1b]52;c;eA==\x07")

        return render

    monkeypatch.setattr("agentroster.report.reporter", reporter)
    root = roster({"notes-helper.agent.yaml": CLEAN_CARD})
    result = cli("lint", str(root))
    assert result.exit_code == 2
    assert result.output == (
        "agentroster: internal error: ValueError: bad\\n::error::forged\\x1b]52;c;eA==\\x07; "
        "this is a bug in agentroster, please report it\n"
    )


def test_an_output_file_that_cannot_be_written_is_one_line(roster, tmp_path):
    root = roster({"notes-helper.agent.yaml": CLEAN_CARD})
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = cli("lint", "-o", str(blocker / "report.txt"), str(root))
    assert result.exit_code == 2
    [line] = result.output.splitlines()
    assert line.startswith("agentroster: error: ") and str(blocker) in line


def test_a_closed_pipe_exits_141_quietly(roster):
    root = roster({f"agent-{i}.agent.yaml": CLEAN_CARD for i in range(30)})
    cmd = [sys.executable, "-m", "agentroster", "lint", "-j", "1", str(root)]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # as `| head -1` does, before anything was written
        stderr = proc.stderr.read()
        assert proc.wait(timeout=60) == 141
    assert stderr == b""


# -- Ctrl-C --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def large_roster(tmp_path_factory) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from generate import generate

    root = tmp_path_factory.mktemp("interrupt") / "roster"
    generate(root, 2000)
    return root


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are POSIX")
@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("whom", ["the process group", "the parent"])
def test_ctrl_c_exits_130_without_a_traceback(large_roster, jobs, whom):
    # A Ctrl-C at a terminal signals the whole foreground process group: parent and workers.
    cmd = [sys.executable, "-m", "agentroster", "lint", "-j", jobs, "--today", "2026-11-21",
           str(large_roster)]  # fmt: skip
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    time.sleep(1.0)  # started and reading cards: the lint takes several seconds
    if whom == "the parent":
        proc.send_signal(signal.SIGINT)
    else:
        os.killpg(proc.pid, signal.SIGINT)
    try:
        _, stderr = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:  # pragma: no cover - the failure this test is for
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("agentroster hung after Ctrl-C")
    assert proc.returncode == 130, stderr
    assert _one_quiet_line(stderr.decode()) == "agentroster: interrupted"


def test_a_ctrl_c_that_pydantic_reports_as_a_serialisation_error_exits_130(monkeypatch):
    # a Ctrl-C while pydantic-core dumps a model reaches us as a PydanticSerializationError
    # that only names the KeyboardInterrupt (tests/test_context.py makes a real one)
    from agentroster import pipeline
    from tests.test_context import _serialisation_error_of_a_ctrl_c

    error = _serialisation_error_of_a_ctrl_c()

    def interrupted(*args: object, **kwargs: object) -> object:
        raise RuntimeError("while loading") from error

    monkeypatch.setattr(pipeline, "load_roster", interrupted)
    result = cli("lint", str(EXAMPLES / "roster"))
    assert result.exit_code == 130
    assert result.output.strip() == "agentroster: interrupted"
