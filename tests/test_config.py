from __future__ import annotations

import pytest

from agentroster.config import ConfigError, find_root, load_config
from agentroster.findings import Severity
from agentroster.pipeline import configure
from agentroster.policy import Policy


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
        ("[severity]\nC006 = 'loud'", "'loud' is not one of"),
        ("[limits]\nmax-depth = 0", "must be at least 1"),
        ("select = [", "invalid TOML"),
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
