from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from agentroster import pipeline
from agentroster.config import Config, ConfigError, find_root, load_config, parse
from agentroster.discover import discover
from agentroster.findings import Severity
from agentroster.pipeline import configure, lint_roster
from agentroster.policy import Limits, Policy
from tests.conftest import CLEAN_CARD, REPO, TODAY


def write(tmp_path, text, name="agentroster.toml"):
    (tmp_path / name).write_text(text)
    return tmp_path


def test_defaults_without_a_file(tmp_path):
    config = load_config(tmp_path)
    assert config.policy == Policy() and config.fail_on is Severity.ERROR


def test_every_key(tmp_path):
    write(
        tmp_path,
        """
select = ["C", "E000"]
ignore = ["file-name-mismatch"]
fail-on = "warning"
exclude = ["drafts/*"]
human-queues = "queues.yaml"
tool-catalogue = "tools.yaml"
cache = false
[severity]
C006 = "error"
[per-path-ignores]
"legacy/*" = ["C009"]
[policy]
min-golden-cases = 50
source-freshness-days = 30
max-handoff-depth = 4
external-incident-response = "10m"
[limits]
max-bytes = 5000
[build]
out = "site/registry"
""",
    )
    config = load_config(tmp_path)
    assert config.cache is False
    assert config.select == ("C", "E000") and config.fail_on is Severity.WARNING
    assert config.severity == (("C006", Severity.ERROR),)
    assert config.per_path_ignores == (("legacy/*", ("C009",)),)
    assert config.policy == Policy(50, 30, 4, "10m")
    assert config.limits.max_bytes == 5000 and config.build_out == "site/registry"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("selct = []", "unknown key 'selct'; did you mean 'select'?"),
        ("select = 'B'", "select: expected a list of strings"),
        ("ignore = ['Z999']", "'Z999' is not a rule code"),
        ("fail-on = 'fatal'", "fail-on: 'fatal' is not one of"),
        ("[policy]\nmin-golden = 3", "unknown key 'min-golden'"),
        ("[policy]\nmax-handoff-depth = 'x'", "expected a whole number"),
        ("[policy]\nexternal-incident-response = '15s'", "is not a duration"),
        ("[policy]\npostmortem-days = -1", "policy.postmortem-days: must not be negative"),
        ("[policy]\njudge-calibration-days = '92'", "expected a whole number"),
        ("[policy]\nrequired-metrics = 'success_rate'", "expected a list of strings"),
        ("[policy]\nrequired-metrics = ['success_rate', 3]", "expected a list of strings"),
        ("[severity]\nC006 = 'loud'", "'loud' is not one of"),
        ("[limits]\nmax-depth = 0", "must be at least 1"),
        ("select = [", "invalid TOML"),
        ("bogus = 1", "unknown key 'bogus'; known keys: select, ignore, severity,"),
        ("select = ['B', 3]", "select: expected a list of strings, got 3"),
        ("severity = ['C006']", "severity: expected a table of rule = level, got ['C006']"),
        ("per-path-ignores = 1", "per-path-ignores: expected a table of glob = [codes], got 1"),
        ("[per-path-ignores]\n'legacy/' = 'C009'", "per-path-ignores.legacy/: expected a list"),
        ("policy = 3", "policy: expected a table, got 3"),
        ("[policy]\nsource-freshness-days = -1", "source-freshness-days: must not be negative"),
        ("[policy]\nmax-handoff-depth = 2.0", "max-handoff-depth: expected a whole number"),
        ("[policy]\nexternal-incident-response = 15", "expected a duration such as '15m'"),
        ("[limits]\nmax-depth = '64'", "limits.max-depth: expected a whole number, got '64'"),
        ("[limits]\nmax-nodes = true", "limits.max-nodes: expected a whole number, got True"),
        ("fail-on = 2", "fail-on: 2 is not one of info, warning, error"),
        ("human-queues = ['q.yaml']", "human-queues: expected a path, got ['q.yaml']"),
        ("[build]\noutput = 'site'", "build: unknown key 'output'; did you mean 'out'?"),
        ("[build]\nout = 3", "build.out: expected a path, got 3"),
        ("fail_on = 'info'", "unknown key 'fail_on'; did you mean 'fail-on'?"),
        ("cache = 'no'", "cache: expected true or false, got 'no'"),
        ("cache = 0", "cache: expected true or false, got 0"),
    ],
)
def test_bad_config_names_file_and_key(tmp_path, text, needle):
    write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        configure(tmp_path)  # load_config, then the registry checks the rule selectors
    assert needle in str(info.value)
    assert "agentroster.toml" in str(info.value)


def test_pyproject_table(tmp_path):
    write(tmp_path, "[tool.agentroster]\nfail-on = 'info'\n", "pyproject.toml")
    assert find_root(tmp_path / "a" / "b") == tmp_path
    assert load_config(tmp_path).fail_on is Severity.INFO


def test_pyproject_without_table_is_not_a_root(tmp_path):
    write(tmp_path, "[project]\nname = 'agentroster-user'\n", "pyproject.toml")
    sub = tmp_path / "cards"
    sub.mkdir()
    assert find_root(sub) != tmp_path


def test_find_root_walks_up(tmp_path):
    write(tmp_path, "")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_root(deep) == tmp_path


def test_every_problem_on_its_own_line_in_file_order(tmp_path):
    write(tmp_path, "fail-on = 'fatal'\nselct = []\n[limits]\nmax-depth = 0\nmax-byte = 1\n")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    where = str(tmp_path / "agentroster.toml")
    assert str(info.value).splitlines() == [
        f"{where}: fail-on: 'fatal' is not one of info, warning, error",
        f"{where}: unknown key 'selct'; did you mean 'select'?",
        f"{where}: limits.max-depth: must be at least 1",
        f"{where}: limits: unknown key 'max-byte'; did you mean 'max-bytes'?",
    ]


def test_an_empty_table_gives_the_defaults_of_the_dataclasses():
    # the model's defaults are read from Config, Policy and Limits, never written twice
    assert parse({}, root=Path("r"), source=None) == Config(root=Path("r"))
    config = parse({"policy": {}, "limits": {}, "build": {}}, root=Path("r"), source=None)
    assert config.policy == Policy() and config.limits == Limits()


def test_explicit_config_file_and_pyproject(tmp_path):
    own = tmp_path / "elsewhere.toml"
    own.write_text("fail-on = 'warning'\n")
    assert load_config(tmp_path / "x", own).fail_on is Severity.WARNING
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[tool.agentroster]\n[tool.agentroster.limits]\nmax-depth = 0\n")
    with pytest.raises(ConfigError, match=r"pyproject.toml: limits.max-depth: must be at least 1"):
        load_config(tmp_path, pyproject)
    pyproject.write_text("[project]\nname = 'x'\n")  # no table: the defaults
    assert load_config(tmp_path, pyproject).fail_on is Severity.ERROR
    pyproject.write_text("[tool]\nagentroster = 3\n")
    with pytest.raises(ConfigError, match=r"\[tool.agentroster\] must be a table"):
        load_config(tmp_path)


def test_the_readme_example_is_valid_and_shows_the_defaults(tmp_path):
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("## Configuration") :]
    example = re.search(r"```toml\n(.*?)```", section, re.S)
    assert example is not None
    config = configure(write(tmp_path, example.group(1)))
    assert config.policy == Policy() and config.limits == Limits()  # it shows the defaults


# -- path patterns: `exclude` and `per-path-ignores` ------------------------------------------
TREE = [
    "top.agent.yaml",
    "legacy/a.agent.yaml",
    "legacy/sub/b.agent.yaml",
    "teams/pay/legacy/c.agent.yaml",
    "drafts/d.agent.yaml",
    "teams/pay/drafts/e.agent.yaml",
    "teams/pay/f.draft.agent.yaml",
    "teams/pay/old/g.agent.yaml",
    "teams/pay/old/deep/h.agent.yaml",
    "teams/pay/eu/old/i.agent.yaml",
    "archive/j.agent.yaml",
    "archive/keep.agent.yaml",
    "archive/sub/keep.agent.yaml",
]

# (one pattern, the cards of TREE it matches)
PATTERNS = [
    # the README's examples
    ("**/legacy/**", {"legacy/a", "legacy/sub/b", "teams/pay/legacy/c"}),
    ("drafts/", {"drafts/d", "teams/pay/drafts/e"}),
    ("*.draft.agent.yaml", {"teams/pay/f.draft"}),
    ("drafts", {"drafts/d", "teams/pay/drafts/e"}),  # no slash: a name at any depth
    ("/drafts", {"drafts/d"}),  # a leading slash anchors at the root
    # globs written for fnmatch
    ("legacy/*", {"legacy/a", "legacy/sub/b"}),  # as before
    ("drafts/*", {"drafts/d"}),  # as before
    ("teams/*/old/**", {"teams/pay/old/g", "teams/pay/old/deep/h"}),  # fnmatch: also eu/old/i
    ("legacy/*.agent.yaml", {"legacy/a"}),  # fnmatch: also legacy/sub/b
]


def cards(names):
    return {name.removesuffix(".agent.yaml") for name in names}


def make_tree(root: Path) -> None:
    for number, rel in enumerate(TREE):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        # each card's id differs from its file name: one C006 (file-name-mismatch) per card
        path.write_text(CLEAN_CARD.replace("id: notes-helper", f"id: card-{number}"))


def found(root: Path, exclude) -> set[str]:
    return cards(p.relative_to(root).as_posix() for p in discover(root, exclude=exclude))


@pytest.mark.parametrize(("pattern", "matched"), PATTERNS)
def test_exclude_pattern(tmp_path, pattern, matched):
    make_tree(tmp_path)
    assert found(tmp_path, [pattern]) == cards(TREE) - matched


@pytest.mark.parametrize(("pattern", "matched"), PATTERNS)
def test_per_path_ignores_pattern(tmp_path, pattern, matched):
    make_tree(tmp_path)
    write(tmp_path, f"[per-path-ignores]\n'{pattern}' = ['file-name-mismatch']\n")
    report = lint_roster(tmp_path, configure(tmp_path), today=TODAY, cwd=tmp_path)
    flagged = cards(f.path for f in report.findings if f.code == "C006")
    assert flagged == cards(TREE) - matched


def test_negation_brings_cards_back_even_inside_an_excluded_folder(tmp_path):
    make_tree(tmp_path)
    kept = found(tmp_path, ["archive/*", "!keep.agent.yaml"])
    assert kept == cards(TREE) - {"archive/j"}  # git would leave out archive/sub/keep too
    kept = found(tmp_path, ["drafts/", "**/legacy/**", "!teams/pay/legacy/c.agent.yaml"])
    assert kept == cards(TREE) - {"drafts/d", "teams/pay/drafts/e", "legacy/a", "legacy/sub/b"}


def test_an_excluded_folder_is_not_read_unless_a_negation_may_need_it(tmp_path, monkeypatch):
    make_tree(tmp_path)
    read: list[str] = []
    scandir = os.scandir

    def spy(path):
        read.append(Path(path).relative_to(tmp_path).as_posix())
        return scandir(path)

    monkeypatch.setattr(os, "scandir", spy)
    discover(tmp_path, exclude=["legacy/", "teams/*/old/"])
    assert "teams/pay/eu/old" in read  # not matched: `*` is one folder
    assert not {"legacy", "legacy/sub", "teams/pay/legacy", "teams/pay/old"} & set(read)
    read.clear()
    discover(tmp_path, exclude=["legacy/", "!legacy/a.agent.yaml"])
    assert "legacy" in read


def test_per_path_ignores_compiles_each_pattern_once(tmp_path, monkeypatch):
    make_tree(tmp_path)
    write(tmp_path, "[per-path-ignores]\n'drafts/' = ['C006']\n'**/old/**' = ['C']\n")
    compiled: list[tuple[str, ...]] = []
    real = pipeline.path_spec

    def counting(patterns):
        compiled.append(patterns)
        return real(patterns)

    monkeypatch.setattr(pipeline, "path_spec", counting)
    report = lint_roster(tmp_path, configure(tmp_path), today=TODAY, cwd=tmp_path)
    assert compiled == [("drafts/",), ("**/old/**",)]
    assert len([f for f in report.findings if f.code == "C006"]) == len(TREE) - 5


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("exclude = ['!']", "exclude: '!' is not a valid gitignore pattern"),
        ("exclude = ['ok/', 'bad\\']", "exclude: 'bad\\\\' is not a valid gitignore pattern"),
        ("exclude = ['']", "exclude: '' is not a valid gitignore pattern: it can match no path"),
        ("exclude = ['# notes']", "exclude: '# notes' is not a valid gitignore pattern"),
        ("exclude = ['../shared/*']", "exclude: '../shared/*' leaves the roster root"),
        ("exclude = 'drafts/'", "exclude: expected a list of strings, got 'drafts/'"),
        ("[per-path-ignores]\n'!' = ['C009']", "per-path-ignores: '!': a '!' pattern means"),
        ("[per-path-ignores]\n'' = ['C009']", "per-path-ignores: '' is not a valid"),
        ("[per-path-ignores]\n'!keep.agent.yaml' = ['C009']", "per-path-ignores: '!keep.agent"),
    ],
)
def test_invalid_pattern_names_the_key(tmp_path, text, needle):
    write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        configure(tmp_path)
    assert needle in str(info.value)


def test_v11_policy_keys(tmp_path):
    write(
        tmp_path,
        """
[policy]
judge-calibration-days = 30
postmortem-days = 7
required-metrics = ["success_rate", "p99_latency"]
""",
    )
    policy = load_config(tmp_path).policy
    assert policy.judge_calibration_days == 30 and policy.postmortem_days == 7
    assert policy.required_metrics == ("success_rate", "p99_latency")
    assert Policy().required_metrics == (
        "success_rate",
        "latency_p95",
        "cost_per_interaction",
        "escalation_rate",
    )
    assert (Policy().judge_calibration_days, Policy().postmortem_days) == (92, 14)


def test_required_metrics_may_be_empty(tmp_path):
    write(tmp_path, "[policy]\nrequired-metrics = []\n")
    assert load_config(tmp_path).policy.required_metrics == ()


def test_ad_hoc_review_days(tmp_path):
    assert Policy().ad_hoc_review_days == 30
    write(tmp_path, "[policy]\nad-hoc-review-days = 14\n")
    assert load_config(tmp_path).policy.ad_hoc_review_days == 14
    write(tmp_path, "[policy]\nad-hoc-review-days = -1\n")
    with pytest.raises(ConfigError, match="ad-hoc-review-days: must not be negative"):
        load_config(tmp_path)
    write(tmp_path, "[policy]\nad-hoc-review-days = '30d'\n")
    with pytest.raises(ConfigError, match="expected a whole number"):
        load_config(tmp_path)
