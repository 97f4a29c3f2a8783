"""Every output escaped for where it goes (issue 14, part 4).

Unit tests per helper of `agentroster.escape`, hypothesis properties over any string (lone
surrogates and control characters included), reporters fed findings that carry attacks, and
end-to-end runs of `lint` (every format), `build` and `graph` over a roster whose card keys,
values and file names are hostile: nothing a terminal, a CI log, a Markdown page or a
spreadsheet would act on comes out, and nothing crashes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import urllib.parse
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentroster import escape
from agentroster.cli import main
from agentroster.findings import Finding, Report, Severity
from agentroster.report import RenderOptions, reporter
from tests.conftest import CLEAN_CARD

PAYLOADS = [
    "\n::stop-commands::x",
    "\n::error::forged",
    "\x1b]52;c;ZXZpbA==\x07",  # OSC 52: write the clipboard
    "\x1b]0;pwned\x07",  # OSC 0: window title
    "\x1b[2J",  # clear the screen
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '=HYPERLINK("http://x")',
    "+cmd|' /C calc'!A0",
]
EVIL = "".join(PAYLOADS)
NON_UTF8_NAME = os.fsdecode(b"card\xff.agent.yaml")

# Characters nothing we print may carry raw: C0 but newline, DEL, C1, bidi controls, the
# Unicode line separators, lone surrogates.
RAW_CONTROL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]"
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

# Any character at all, lone surrogates included, with the interesting ones made likely.
INTERESTING = st.sampled_from(
    [*"\x00\x07\x1b\x7f\x85\x9b\t\n\r\u2028\u2029\u202e\u2066\u200f\ud800\udc80\udcff",
     *"<>&\"'`[]()|!#%:,\\=+-@ ", "::", "##[", "\uff1d", "é", "日", "🎉"]
)  # fmt: skip
ANY_CHAR = st.one_of(INTERESTING, st.characters(exclude_categories=()))
ANY_TEXT = st.lists(ANY_CHAR, max_size=40).map("".join)


# --- one helper at a time -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("\x1b]52;c;ZXZpbA==\x07", "\\x1b]52;c;ZXZpbA==\\x07"),
        ("\x1b[2J", "\\x1b[2J"),
        ("a\nb\r\tc", "a\\x0ab\\x0d\\x09c"),
        ("\x7f\x85\x9b", "\\x7f\\x85\\x9b"),
        ("admin\u202egnp.exe", "admin\\u202egnp.exe"),
        ("\u2066\u2069\u200e\u061c", "\\u2066\\u2069\\u200e\\u061c"),
        ("one\u2028two\u2029", "one\\u2028two\\u2029"),
        ("\udc80key", "\\udc80key"),
        ("Dana Whitfield, café 日本 🎉 \\x1b", "Dana Whitfield, café 日本 🎉 \\x1b"),
    ],
)
def test_terminal_text_shows_controls_and_keeps_printable_text(value, shown):
    assert escape.terminal_text(value) == shown


def test_one_line_folds_whitespace_and_shows_the_rest():
    assert escape.one_line("  a\n\tb\u2028c   d \r\n") == "a b c d"
    assert escape.one_line("a\x1b[2Jb") == "a\\x1b[2Jb"


def test_github_data_and_property_follow_the_workflow_command_rules():
    assert escape.github_data("50% done\nnext\r") == "50%25 done%0Anext%0D"
    assert escape.github_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert escape.github_data("::error::x") == "::error::x"  # harmless after `::cmd ...::`


@pytest.mark.parametrize(
    ("line", "safe"),
    [
        ("::error::forged", "%3A%3Aerror::forged"),
        ("  ::stop-commands::token", "  %3A%3Astop-commands::token"),
        ("\u3000::warning::x", "\u3000%3A%3Awarning::x"),
        ("\u200b::warning::x", "\u200b%3A%3Awarning::x"),
        ("x\n::error::forged", "x\\x0a::error::forged"),
        ("log ##[error]forged", "log ##%5Berror]forged"),
        ("a.agent.yaml:3:5: error   C003 field 'a::b'",
         "a.agent.yaml:3:5: error   C003 field 'a::b'"),
    ],
)  # fmt: skip
def test_github_log_line_never_starts_a_command(line, safe):
    assert escape.github_log_line(line) == safe


@pytest.mark.parametrize(
    ("value", "markdown"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("[click](javascript:alert(1))", "\\[click\\](javascript:alert(1))"),
        ("![x](https://evil/p.png)", "!\\[x\\](https://evil/p.png)"),
        ("a | b", "a \\| b"),
        ("`code` \\", "\\`code\\` \\\\"),
        ("&lt;b&gt; R&D", "&amp;lt;b&amp;gt; R&amp;D"),
        ("line\n# heading\n| a |", "line # heading \\| a \\|"),
        ("Dana Whitfield, success_rate, 1.3.0", "Dana Whitfield, success_rate, 1.3.0"),
    ],
)
def test_markdown_text(value, markdown):
    assert escape.markdown_text(value) == markdown


def test_markdown_code_spans_only_plain_values():
    assert escape.markdown_code("refund-assistant") == "`refund-assistant`"
    assert escape.markdown_code("a|b") == "`a\\|b`"
    assert escape.markdown_code("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    assert escape.markdown_code("a`b") == "a\\`b"
    assert escape.markdown_code("") == ""


def test_markdown_autolink_and_email_only_for_plain_values():
    assert escape.markdown_autolink("https://dash.example.com/d/x?a=1") == (
        "<https://dash.example.com/d/x?a=1>"
    )
    assert escape.markdown_autolink("javascript:alert(1)") == "javascript:alert(1)"
    assert "<" not in escape.markdown_autolink("https://x.com/><img src=x onerror=alert(1)>")
    assert escape.markdown_email("dana@example.com") == "<dana@example.com>"
    assert escape.markdown_email("x@y.z><script>") == "&lt;x@y.z&gt;&lt;script&gt;&gt;"


def test_mermaid_label():
    assert escape.mermaid_label('a "b" <c> & #d `e`\nf') == (
        "a #quot;b#quot; #lt;c#gt; #amp; #35;d #96;e#96; f"
    )
    assert escape.mermaid_label("human:fraud-ops") == "human:fraud-ops"


def test_dot_string():
    assert escape.dot_string('a "b" \\ c\nd\x1b') == '"a \\"b\\" \\\\ c\\\\x0ad\\\\x1b"'
    assert escape.dot_string("human:fraud-ops") == '"human:fraud-ops"'


def test_html_text_and_attribute():
    assert escape.html_text("<a href='x'>&</a>") == "&lt;a href='x'&gt;&amp;&lt;/a&gt;"
    assert escape.html_attribute("\"'<") == "&quot;&#x27;&lt;"
    assert escape.html_text("a\x1bb") == "a\\x1bb"


def test_xml_text_and_attribute_are_well_formed_xml():
    assert escape.xml_text("<b>&\ufffe\uffff\x00") == "&lt;b&gt;&amp;\\ufffe\\uffff\\x00"
    assert escape.xml_attribute("\"'\uffff") == "&quot;&#x27;\\uffff"
    assert escape.xml_text("tier 1 \u2192 human:ops") == "tier 1 \u2192 human:ops"


@settings(deadline=None)  # a loaded CI machine is not a failure
@given(ANY_TEXT)
def test_xml_of_any_string_parses_back_as_that_text_shown(value):
    text = escape.xml_text(value)
    element = ElementTree.fromstring(f'<t a="{escape.xml_attribute(value)}">{text}</t>')
    shown = escape.terminal_text(value).replace("\ufffe", "\\ufffe").replace("\uffff", "\\uffff")
    assert (element.text or "") == shown == element.get("a")


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'=1+1"),
        ("\r\n=1+1", "'=1+1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("a=b", "a=b"),
        ("Dana\nWhitfield", "Dana Whitfield"),
    ],
)
def test_csv_cell_never_starts_a_formula(value, cell):
    assert escape.csv_cell(value) == cell


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("support/refund-assistant.agent.yaml", "support/refund-assistant.agent.yaml"),
        ("a b/c:d#e?f.yaml", "a%20b/c%3Ad%23e%3Ff.yaml"),
        ("x\n::error::y)<img>", "x%0A%3A%3Aerror%3A%3Ay%29%3Cimg%3E"),
        ("café.agent.yaml", "caf%C3%A9.agent.yaml"),
        (NON_UTF8_NAME, "card%FF.agent.yaml"),
        ("\ud800", "%ED%A0%80"),
    ],
)
def test_uri_path_percent_encodes_the_file_system_bytes(path, uri):
    assert escape.uri_path(path) == uri


def test_json_string_and_json_text():
    assert escape.json_string("\udc80key") == "\\udc80key"
    assert escape.json_string("plain") == "plain"
    text = escape.json_text(json.dumps({"\udc80k": "a\x9bb\u2028c\u202e"}, ensure_ascii=False))
    assert text == '{"\\\\udc80k": "a\\u009bb\\u2028c\\u202e"}'
    assert json.loads(text) == {"\\udc80k": "a\x9bb\u2028c\u202e"}


# --- any string -----------------------------------------------------------------------------


@settings(deadline=None)  # a loaded CI machine is not a failure
@given(ANY_TEXT)
def test_terminal_text_of_any_string_is_inert_utf8(value):
    shown = escape.terminal_text(value)
    assert RAW_CONTROL.search(shown) is None and "\n" not in shown
    shown.encode("utf-8")
    assert escape.terminal_text(shown) == shown
    if RAW_CONTROL.search(value) is None and "\n" not in value:
        assert shown == value


def _markdown_is_inert(text: str) -> bool:
    """No raw `<`, `>`, line break, unescaped `[ ] | \\``, or `&` but the three we write."""
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            if text[i + 1 : i + 2] not in ("\\", "`", "[", "]", "|"):
                return False
            i += 2
        elif char == "&":
            entity = re.match("&(amp|lt|gt);", text[i:])
            if entity is None:
                return False
            i += entity.end()
        elif char in "<>[]|`\n\r" or RAW_CONTROL.match(char):
            return False
        else:
            i += 1
    return True


@settings(deadline=None)  # a loaded CI machine is not a failure
@given(ANY_TEXT)
def test_markdown_of_any_string_has_no_markup_from_the_string(value):
    assert _markdown_is_inert(escape.markdown_text(value))
    code = escape.markdown_code(value)
    if code.startswith("`"):
        assert code.count("`") == 2 and not re.search("[<>&\n\r]", code)
    else:
        assert _markdown_is_inert(code)
    assert "<" not in escape.markdown_autolink(value) or re.fullmatch(
        r"<https?://[^\s<>`|\\]+>", escape.markdown_autolink(value)
    )


@settings(deadline=None)  # a loaded CI machine is not a failure
@given(ANY_TEXT)
def test_mermaid_dot_csv_html_of_any_string(value):
    label = escape.mermaid_label(value)
    assert not re.search('["<>`\n\r]', label) and RAW_CONTROL.search(label) is None
    assert "#" not in re.sub("#(quot|amp|lt|gt|35|96);", "", label)
    cell = escape.csv_cell(value)
    assert not cell.startswith(FORMULA_START) and not re.search("[\n\r]", cell)
    assert "<" not in escape.html_text(value) and '"' not in escape.html_attribute(value)
    dot = escape.dot_string(value)
    assert RAW_CONTROL.search(dot) is None and "\n" not in dot
    assert re.fullmatch(r'"(?:[^"\\]|\\.)*"', dot)


@settings(deadline=None)  # a loaded CI machine is not a failure
@given(ANY_TEXT)
def test_uri_path_of_any_string_is_a_uri_path_of_its_bytes(value):
    uri = escape.uri_path(value)
    assert re.fullmatch(r"[A-Za-z0-9\-._~/%]*", uri)
    try:
        raw = os.fsencode(value)
    except UnicodeEncodeError:
        raw = value.encode("utf-8", "surrogatepass")
    assert urllib.parse.unquote_to_bytes(uri) == raw


@settings(deadline=None)  # a loaded CI machine is not a failure
@given(st.dictionaries(ANY_TEXT, st.lists(ANY_TEXT, max_size=3), max_size=4))
def test_json_text_of_any_document_is_utf8_i_json(document):
    text = escape.json_text(json.dumps(document, ensure_ascii=False))
    text.encode("utf-8")
    assert RAW_CONTROL.search(text) is None
    expected = {
        escape.json_string(k): [escape.json_string(v) for v in vs] for k, vs in document.items()
    }
    assert json.loads(text) == expected


# --- reporters fed hostile findings ---------------------------------------------------------

COLOR = re.compile(r"\x1b\[(0|1|2|31|33|36)m")
FINDING_TEXT = st.one_of(st.sampled_from(PAYLOADS), ANY_TEXT)


def _report(parts: list[tuple[str, str]]) -> Report:
    findings = [
        Finding(path, 1 + i, 1, "C003", "unknown-field", severity, message)
        for i, ((path, message), severity) in enumerate(
            zip(parts, [Severity.ERROR, Severity.WARNING, Severity.INFO] * len(parts), strict=False)
        )
    ]
    return Report(sorted(findings), files=1, agents=1)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(FINDING_TEXT, FINDING_TEXT), max_size=4), st.booleans())
def test_text_output_has_no_control_character_but_its_own_colours(parts, color):
    report = _report(parts)
    out = reporter("text")(report, RenderOptions(color=color))
    out.encode("utf-8")
    bare = COLOR.sub("", out)
    assert RAW_CONTROL.search(bare) is None
    assert bare.count("\n") == len(report.findings) + 1
    if not color:
        assert bare == out


ANNOTATION = re.compile(
    r"::(error|warning|notice) file=[^:,\n]*,line=\d+,col=\d+,title=[^:,\n]*::[^\n]*\Z"
)
# What the runner's TrimStart skips, and more.
LEADING = re.compile(r"[\s\u180e\u200b-\u200d\u2060\ufeff]*")


def _assert_github_log_is_safe(out: str, annotations: int) -> None:
    out.encode("utf-8")
    assert RAW_CONTROL.search(out) is None
    lines = out.split("\n")
    assert all(ANNOTATION.match(line) for line in lines[:annotations])
    for line in lines[annotations:]:
        assert not line[LEADING.match(line).end() :].startswith("::"), line
        assert "##[" not in line


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(FINDING_TEXT, FINDING_TEXT), max_size=4))
def test_github_output_starts_no_command_but_its_annotations(parts):
    report = _report(parts)
    _assert_github_log_is_safe(reporter("github")(report, RenderOptions()), len(report.findings))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(FINDING_TEXT, FINDING_TEXT), min_size=1, max_size=3))
@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_json_formats_never_crash_and_are_utf8_i_json(fmt, parts):
    out = reporter(fmt)(_report(parts), RenderOptions())
    assert RAW_CONTROL.search(out) is None
    _assert_i_json(json.loads(out.encode("utf-8")))


def _assert_i_json(value: object) -> None:
    if isinstance(value, str):
        value.encode("utf-8")
    elif isinstance(value, dict):
        for key, item in value.items():
            _assert_i_json(key)
            _assert_i_json(item)
    elif isinstance(value, list):
        for item in value:
            _assert_i_json(item)


def test_sarif_uris_are_percent_encoded_file_bytes():
    report = _report([(f"roster/{NON_UTF8_NAME}", "m"), ("a b/\n::error::x.agent.yaml", "m")])
    doc = json.loads(reporter("sarif")(report, RenderOptions()))
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in doc["runs"][0]["results"]
    ]
    assert uris == ["a%20b/%0A%3A%3Aerror%3A%3Ax.agent.yaml", "roster/card%FF.agent.yaml"]


# --- a hostile roster, end to end -----------------------------------------------------------


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text)


VALUES_CARD = f"""\
apiVersion: agentroster/v1
kind: AgentCard
id: values-card
name: {_q(EVIL)}
version: 1.0.0
description: {_q(EVIL)}
status: pilot
pattern: employee-enablement
mode: assist
tier: 3
owner: {{name: {_q(EVIL)}, email: dana.whitfield@example.com, team: {_q(EVIL)}}}
tools:
  - {{id: {_q("tool" + EVIL)}, system: {_q(EVIL)}, access: read}}
handoffs:
  - to: human:workplace-it
    trigger: {_q(EVIL)}
    context: [{_q(EVIL)}]
    decision: {_q(EVIL)}
    log: {_q(EVIL)}
escalation: {{to: human:workplace-it}}
monitoring:
  dashboard: {_q("javascript:alert(1)" + EVIL)}
  metrics: [{_q(EVIL)}]
  on_call: {_q(EVIL)}
audit: {{enabled: true}}
release_gate: {{requires: [eval-threshold, security-review, privacy-impact, cost-approval]}}
kill_switch: {_q(EVIL)}
"""
KEYS_CARD = CLEAN_CARD.replace("id: notes-helper", "id: keys-card").replace(
    "pattern: employee-enablement", f"pattern: {_q(EVIL)}"
).replace("email: dana.whitfield@example.com", f"email: {_q('x@y.z' + EVIL)}") + "".join(
    f"{_q(p)}: 1\n" for p in PAYLOADS
)
SURROGATE_KEY_CARD = CLEAN_CARD.replace("id: notes-helper", "id: surrogate-key") + (
    '"\\uDC80key": 2\n'
)
BAD_ID_CARD = CLEAN_CARD.replace("id: notes-helper", f"id: {_q(EVIL)}").replace(
    "escalation: {to: human:workplace-it}", 'escalation: {to: "human:it\\n"}'
)
QUEUES = f"""\
queues:
  - {{id: workplace-it, owner: {{name: {_q(EVIL)}, email: ravi.patel@example.com}}}}
"""


def hostile_roster(root: Path, *, broken_unicode: bool = True) -> Path:
    """Cards whose values, keys and file names carry every payload; with `broken_unicode`, also
    a key with a lone surrogate and a file name that is not UTF-8 (without them, each
    injection test fails on its own assertion, not on the crash they caused)."""
    root.mkdir()
    (root / "agentroster.toml").write_text("")
    (root / "agentroster.queues.yaml").write_text(QUEUES)
    files = {
        "values-card.agent.yaml": VALUES_CARD,
        "keys-card.agent.yaml": KEYS_CARD,
        "bad-id.agent.yaml": BAD_ID_CARD,
        "::error::forged.agent.yaml": CLEAN_CARD.replace("id: notes-helper", "id: colons"),
        " ::warning::lead.agent.yaml": CLEAN_CARD.replace("id: notes-helper", "id: lead"),
    }
    if broken_unicode:
        files["surrogate-key.agent.yaml"] = SURROGATE_KEY_CARD
        files[NON_UTF8_NAME] = CLEAN_CARD.replace("id: notes-helper", "id: bytes-card")
    for i, payload in enumerate(p for p in PAYLOADS if "/" not in p):
        files[f"{payload}.agent.yaml"] = CLEAN_CARD.replace("id: notes-helper", f"id: name-{i}")
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(params=["injections", "broken-unicode"])
def hostile(request, tmp_path, monkeypatch):
    root = hostile_roster(tmp_path / "roster", broken_unicode=request.param == "broken-unicode")
    monkeypatch.chdir(root)  # paths in reports start with the file names themselves
    return root


def run(*args: str):
    result = CliRunner().invoke(main, [*args])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{args}: {result.exception!r}"
    )
    assert "Traceback" not in result.output
    return result


def lint(fmt: str):
    result = run("lint", "--format", fmt, "--today", "2026-11-21", "-j", "1", ".")
    assert result.exit_code == 1, result.output
    return result.stdout_bytes.decode("utf-8")  # strict: a lone surrogate would not encode


def test_hostile_roster_has_the_attacks_where_expected(hostile):
    """The end-to-end tests below test something: the attacks reach the findings."""
    doc = json.loads(lint("json"))
    paths = {f["path"] for f in doc["findings"]}
    messages = " ".join(f["message"] for f in doc["findings"])
    assert "\n::error::forged.agent.yaml" in paths and "::error::forged.agent.yaml" in paths
    if (hostile / "surrogate-key.agent.yaml").exists():
        assert "card\\udcff.agent.yaml" in paths
        assert "unknown field '\\udc80key'" in messages
    for payload in PAYLOADS:
        assert f"unknown field '{payload}'" in messages
    assert "\x1b]52;c;ZXZpbA==\x07" in messages


def test_text_output_of_a_hostile_roster(hostile):
    out = lint("text")
    assert RAW_CONTROL.search(out) is None
    assert "\\x1b]52;c;ZXZpbA==\\x07" in out and "\\x0a::error::forged" in out
    lines = out.splitlines()
    assert len(lines) == len(json.loads(lint("json"))["findings"]) + 1


def test_github_output_of_a_hostile_roster(hostile):
    out = lint("github")
    annotations = len(json.loads(lint("json"))["findings"])
    _assert_github_log_is_safe(out, annotations)
    assert "%3A%3Aerror::forged.agent.yaml:" in out  # the file named like a command


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_json_outputs_of_a_hostile_roster(hostile, fmt):
    out = lint(fmt)
    assert RAW_CONTROL.search(out) is None
    doc = json.loads(out)
    _assert_i_json(doc)
    if fmt == "sarif":
        uris = {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in doc["runs"][0]["results"]
        }
        assert "card%FF.agent.yaml" in uris or not (hostile / "surrogate-key.agent.yaml").exists()
        assert all(re.fullmatch(r"[A-Za-z0-9\-._~/%]+", uri) for uri in uris)


OUR_MARKUP = re.compile(
    r"<!-- Generated by agentroster build; do not edit\. -->|<https://[^\s<>]+>|<[\w.+-]+@[\w.-]+>"
)


def _assert_markdown_is_safe(rel: str, text: str) -> None:
    """No control character, no `<` but our own markup, no javascript: link, Mermaid labels
    without markup."""
    assert RAW_CONTROL.search(text) is None, rel
    assert "<" not in OUR_MARKUP.sub("", text), rel
    assert "](javascript:" not in text and "<javascript:" not in text, rel
    for block in re.findall(r"```mermaid\n(.*?)```", text, re.S):
        for label in re.findall(r'"([^"\n]*)"', block):
            assert not re.search("[<>`]", label), (rel, label)


def test_build_of_a_hostile_roster(hostile, tmp_path):
    out = tmp_path / "out"
    result = run("build", "--today", "2026-11-21", "-j", "1", "--allow-errors", "--out", str(out))
    assert result.exit_code == 0, result.output
    files = {p.relative_to(out).as_posix(): p for p in out.rglob("*") if p.is_file()}
    assert {"agents/values-card.md", "index.md", "handoffs.md"} <= set(files)
    doc = json.loads(files["registry.json"].read_bytes().decode("utf-8"))
    _assert_i_json(doc)
    rows = list(csv.reader(io.StringIO(files["registry.csv"].read_text(encoding="utf-8"))))
    assert len(rows) == len(doc["agents"]) + 1
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START) and RAW_CONTROL.search(cell) is None
    for rel, path in files.items():
        if rel.endswith(".md"):
            _assert_markdown_is_safe(rel, path.read_bytes().decode("utf-8"))
    page = files["agents/values-card.md"].read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    if (hostile / "surrogate-key.agent.yaml").exists():
        assert "card\\udcff.agent.yaml" in {a["path"] for a in doc["agents"]}
        bytes_page = files["agents/bytes-card.md"].read_text(encoding="utf-8")
        assert "](../../roster/card%FF.agent.yaml)" in bytes_page


@pytest.mark.parametrize("fmt", ["mermaid", "dot", "json"])
def test_graph_of_a_hostile_roster(hostile, fmt):
    result = run("graph", "--format", fmt, ".")
    assert result.exit_code == 0, result.output
    out = result.stdout_bytes.decode("utf-8")
    assert RAW_CONTROL.search(out) is None
    if fmt == "mermaid":
        for label in re.findall(r'"([^"\n]*)"', out):
            assert not re.search("[<>`]", label), label
    if fmt == "json":
        _assert_i_json(json.loads(out))


def test_config_errors_are_shown_escaped(tmp_path):
    """agentroster.toml comes from the pull request too, and its errors quote its keys."""
    (tmp_path / "agentroster.toml").write_text(f"{_q('x' + EVIL)} = 1\n")
    result = CliRunner().invoke(main, ["lint", str(tmp_path)])
    assert result.exit_code == 2 and "unknown key" in result.stderr
    assert RAW_CONTROL.search(result.stderr) is None
    assert "\\x1b]0;pwned\\x07" in result.stderr
    _assert_github_log_is_safe(result.stderr, 0)


def test_yaml_string_reads_back_exactly_in_yaml_1_1_and_1_2():
    import yaml
    from ruamel.yaml import YAML

    from agentroster.escape import yaml_string

    values = ["refund-assistant", "user:a.b", "yes", "No", "1.0", "a: b", "#x", "x\ny", "- a"]
    values += ["\u202e\x85\u2028\ufffe", "\"'\\", "", " lead", "a:", "null", "~", "é"]
    for value in values:
        text = f"key: {yaml_string(value)}\n"
        assert "\n" not in text[:-1]
        assert YAML(typ="safe", pure=True).load(text) == {"key": value}, value
        assert yaml.safe_load(text) == {"key": value}, value
