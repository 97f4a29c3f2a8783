"""Text from a repository made safe for where it is written: one function per destination.

Everything agentroster prints or writes repeats text an untrusted pull request controls: card
keys and values, file names, and the finding messages that quote them. Each output passes that
text through the function for its destination, once, at the point where the output is made:

- a terminal or a CI log: `terminal_text`; one line of anything: `one_line`
- GitHub workflow commands: `github_data`, `github_property`; a plain line of an Actions log:
  `github_log_line`
- Markdown: `markdown_text`, and `markdown_code`, `markdown_autolink`, `markdown_email` for
  code spans, URLs and email addresses
- Mermaid node labels: `mermaid_label`; Graphviz DOT strings: `dot_string`
- HTML: `html_text`, `html_attribute`; XML (SVG): `xml_text`, `xml_attribute`
- CSV cells: `csv_cell`
- URI paths (SARIF artifact locations, Markdown link targets): `uri_path`
- JSON: `json_string` for values, `json_text` for a whole document

Pure functions of `str`; this module imports nothing from the package, so every layer may use
it. Characters are shown, not dropped: a reader of the output sees that a card carried an
escape sequence (`\\x1b`) or a bidi override (`\\u202e`).
"""

from __future__ import annotations

import html
import json
import os
import re
import urllib.parse

# What a terminal acts on or a reader cannot see: C0 controls (newline and tab included), DEL,
# C1 controls, the bidi marks, embeddings, overrides and isolates ("Trojan Source"), the
# Unicode line and paragraph separators, and lone surrogates (non-UTF-8 bytes of a file name
# decoded with surrogateescape, or a YAML "\uDC80" escape), which no UTF-8 stream can carry.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
# In JSON text: everything above except C0 (json.dumps escapes those already) and surrogates.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(value: str) -> str:
    """`value` with every control character, bidi control, line separator and lone surrogate
    written as a visible escape (`\\x1b`, `\\x0a`, `\\u202e`, `\\udcff`); printable text,
    Unicode included, unchanged. Backslashes are left as they are, so a card that spells out
    `\\x1b` looks like one that carries the character: both are harmless, and doubling every
    backslash would make ordinary messages (regular expressions, Windows paths) hard to read.
    The result holds no line break, so it is also one line."""
    # isprintable() is False for every character _UNSAFE matches (Cc, Cf, Cs, Zl, Zp): a
    # C-speed check that settles the common case
    if value.isprintable() or _UNSAFE.search(value) is None:
        return value
    return _UNSAFE.sub(_shown, value)


def one_line(value: str) -> str:
    """`value` as one line of plain text: runs of whitespace (line breaks, tabs, the Unicode
    line separators) become one space, ends are trimmed, and any other control character is
    shown as by `terminal_text`. For labels, table cells and headings, where a line break
    would end the construct."""
    return terminal_text(" ".join(value.split()))


# ---------------------------------------------------------------------------------------------
# GitHub Actions


def github_data(value: str) -> str:
    """The data (message) of a workflow command, escaped as the Actions runner unescapes it:
    `%` -> `%25`, CR -> `%0D`, LF -> `%0A`."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(value: str) -> str:
    """A property value of a workflow command (`file=`, `title=`): as data, and also
    `:` -> `%3A` and `,` -> `%2C`, which would end the value."""
    return github_data(value).replace(":", "%3A").replace(",", "%2C")


# What the runner's TrimStart() skips (Unicode white space), and zero-width characters too, in
# case a runner version counts them.
_ZERO_WIDTH = "\u180e\u200b\u200c\u200d\u2060\ufeff"
_LEADING_SPACE = re.compile(f"[\\s{_ZERO_WIDTH}]*")


def github_log_line(line: str) -> str:
    """One plain line of an Actions log that the runner cannot take for a command.

    The runner reads a line as a workflow command when it starts with `::` after leading
    white space, and (the legacy syntax) when it holds `##[` anywhere. Such a line keeps its
    text with those colons and that bracket percent-encoded as in command data (`%3A%3A`,
    `##%5B`); control characters are shown as by `terminal_text`, so a value cannot start a
    line of its own."""
    line = terminal_text(line)
    first = line[:1]
    if first == ":" or first.isspace() or first in _ZERO_WIDTH:  # else no command can start
        leading = _LEADING_SPACE.match(line)
        start = leading.end() if leading else 0
        if line.startswith("::", start):
            line = line[:start] + "%3A%3A" + line[start + 2 :]
    return line.replace("##[", "##%5B")


# ---------------------------------------------------------------------------------------------
# Markdown and HTML

_MARKDOWN = str.maketrans(
    {
        "\\": "\\\\",  # else a trailing backslash escapes the markup that follows the value
        "&": "&amp;",  # no character references (&lt;) that turn back into markup
        "<": "&lt;",  # no raw HTML, no autolinks
        ">": "&gt;",
        "`": "\\`",  # no code spans (and no way out of ours)
        "[": "\\[",  # no links, images or reference definitions
        "]": "\\]",
        "|": "\\|",  # no cell boundaries in tables (harmless outside them)
    }
)
_CODE_UNSAFE = re.compile("[`<>&]")
# CommonMark's own grammar for URI and email autolinks, narrowed to characters that need no
# escaping anywhere we place them (no `|`, `<`, `>`, `\`, backtick or space).
_AUTOLINK_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%\[\]]+\Z")
_AUTOLINK_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_{}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\Z"
)


def markdown_text(value: str) -> str:
    """`value` as inline Markdown that renders as exactly that text, on one line.

    One line (as `one_line`), so it cannot end a table row, a heading or a list item; `&`, `<`
    and `>` as character references, so no raw HTML and no autolink; backslash, backtick,
    `[`, `]` and `|` backslash-escaped, so no code span, link, image or table cell boundary.
    Emphasis characters stay: they can only style the text. A bare `https://...` in the text
    may still be shown as a link by GitHub's autolink extension; it stays the text it was."""
    return one_line(value).translate(_MARKDOWN)


def markdown_code(value: str) -> str:
    """`value` as a Markdown code span, when it is plain: no backtick, `<`, `>` or `&`, which
    a code span can neither escape nor hide from a reader of the raw file. Any other value is
    written as escaped text (`markdown_text`) instead. `|` is escaped for table cells (GFM
    reads `\\|` as a pipe even inside code)."""
    text = one_line(value)
    if not text or _CODE_UNSAFE.search(text):
        return markdown_text(text)
    return "`" + text.replace("|", "\\|") + "`"


def markdown_autolink(url: str) -> str:
    """`<url>` (a link) for a plain http(s) URL; any other value as text (`markdown_text`), so
    no `javascript:` link and no way out of the angle brackets."""
    if _AUTOLINK_URL.match(url):
        return f"<{url}>"
    return markdown_text(url)


def markdown_email(address: str) -> str:
    """`<address>` (a mailto link) for a plain email address; any other value as the text
    `<address>`, escaped."""
    if _AUTOLINK_EMAIL.match(address):
        return f"<{address}>"
    return f"&lt;{markdown_text(address)}&gt;"


def html_text(value: str) -> str:
    """`value` as HTML element content: `&`, `<`, `>` as character references, control
    characters shown as by `terminal_text`."""
    return html.escape(terminal_text(value), quote=False)


def html_attribute(value: str) -> str:
    """`value` as a quoted HTML attribute value: as `html_text`, and both quote characters
    as character references."""
    return html.escape(terminal_text(value), quote=True)


# Characters XML 1.0 forbids even as references, which `terminal_text` leaves: the
# noncharacters U+FFFE and U+FFFF (a YAML "\uFFFE" escape can put one in a card).
_XML_NONCHARACTER = re.compile("[\ufffe\uffff]")


def xml_text(value: str) -> str:
    """`value` as the content of an XML element (an SVG `<text>` or `<title>`): as
    `html_text`, and U+FFFE and U+FFFF shown as `\\ufffe`, so the document stays well formed."""
    return _XML_NONCHARACTER.sub(_shown, html_text(value))


def xml_attribute(value: str) -> str:
    """`value` as a double-quoted XML attribute value: as `html_attribute`, and U+FFFE and
    U+FFFF shown as by `xml_text`."""
    return _XML_NONCHARACTER.sub(_shown, html_attribute(value))


# ---------------------------------------------------------------------------------------------
# Graphs: Mermaid and Graphviz

_MERMAID = str.maketrans(
    {
        "#": "#35;",  # first, in one pass: every other entity below starts with it
        '"': "#quot;",  # would end the quoted label
        "&": "#amp;",
        "<": "#lt;",  # labels are rendered as HTML
        ">": "#gt;",
        "`": "#96;",  # "`...`" labels are Markdown strings; ``` would end our code fence
    }
)


def mermaid_label(value: str) -> str:
    """`value` for a double-quoted Mermaid node label: one line (as `one_line`), with quotes,
    `#`, `&`, `<`, `>` and backticks written as Mermaid entity codes (`#quot;`, `#lt;`, ...),
    which Mermaid turns back into the characters as text."""
    return one_line(value).translate(_MERMAID)


def dot_string(value: str) -> str:
    """`value` as a double-quoted Graphviz DOT string: control characters shown as by
    `terminal_text` (so no line breaks, and the DOT text is safe to print), then backslashes
    and quotes escaped."""
    return '"' + terminal_text(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------------------------------------
# CSV

# A spreadsheet reads a cell that starts with one of these as a formula (or, for tab and CR,
# strips them and then reads the rest as one); the full-width forms are accepted by some.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value: str) -> str:
    """`value` for a CSV cell that a spreadsheet shows as text, never as a formula.

    One line (as `one_line`). A cell that would start with `=`, `+`, `-`, `@` (or a full-width
    form of them) gets a leading single quote, as OWASP recommends: spreadsheets show a cell
    `'=1+1` as the text `=1+1`, and a reader of the file sees that it was neutralised. (Tab and
    CR cannot start the cell any more: `one_line` trims them.) The cost is that a negative
    number written by a card would gain the quote too; no column of the registry holds one."""
    text = one_line(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


# ---------------------------------------------------------------------------------------------
# URIs and JSON


_URI_SAFE = re.compile(r"[A-Za-z0-9\-._~/]*")


def uri_path(path: str) -> str:
    """A relative file path as the path of a URI reference (RFC 3986): its bytes as the file
    system has them (`os.fsencode`, so a non-UTF-8 name decoded with surrogateescape gets its
    own bytes back), percent-encoded except unreserved characters and `/`. `:` is encoded too,
    so a first segment cannot be read as a scheme; `(`, `)`, `<`, `|`, `#` and spaces are
    encoded, so the result is also a safe Markdown link destination."""
    if _URI_SAFE.fullmatch(path):  # the common case: nothing to encode
        return path
    try:
        raw = os.fsencode(path)
    except UnicodeEncodeError:  # a surrogate no file system name decodes to
        raw = path.encode("utf-8", "surrogatepass")
    return urllib.parse.quote(raw, safe="/")


def _surrogate_shown(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_string(value: str) -> str:
    """`value` with each lone surrogate written as the six characters `\\udc80`.

    A lone surrogate (from a non-UTF-8 file name, or a YAML `"\\uDC80"` escape in a key) is not
    Unicode text: it cannot be written as UTF-8, and I-JSON (RFC 7493) forbids it even as a
    `\\u` escape, which strict parsers reject. agentroster writes it as visible text instead: a
    backslash, `u` and four hex digits (JSON `"\\\\udc80"`). This is not reversible (the same
    text could have been typed), which is acceptable for names that are broken already."""
    if _SURROGATE.search(value) is None:
        return value
    return _SURROGATE.sub(_surrogate_shown, value)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _json_surrogate(match: re.Match[str]) -> str:
    return f"\\\\u{ord(match.group()):04x}"  # an escaped backslash: the text \udc80


def json_text(text: str) -> str:
    """JSON text from `json.dumps(..., ensure_ascii=False)`, made safe to print and to store.

    Lone surrogates become the text `\\udc80` (as `json_string` does to values, so output and
    registry agree); DEL, C1 controls, bidi controls and U+2028/2029 become JSON `\\u` escapes,
    which any parser reads back as the same characters but a terminal never sees. (json.dumps
    escapes C0 controls itself.) Other text is kept as UTF-8, readable."""
    if text.isascii() and "\x7f" not in text:  # the common case, in two C-speed checks
        return text
    text = _SURROGATE.sub(_json_surrogate, text)
    return _JSON_UNSAFE.sub(_json_escape, text)


# ---------------------------------------------------------------------------------------------
# YAML

_YAML_NONCHARACTER = re.compile("[\ufffe\uffff]")
# A plain scalar that every YAML 1.1 and 1.2 parser reads back as this same string: a letter
# first, no `: ` or ` #`, no trailing `:`, and not a word YAML 1.1 reads as a boolean or null.
_YAML_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9._/@-]*(?::[A-Za-z0-9._/@-]+)*\Z")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def yaml_string(value: str) -> str:
    """`value` as a YAML scalar that every YAML parser reads back as exactly that string.

    A short identifier-like value (`refund-assistant`, `user:dana.whitfield`) is written
    plain; anything else double-quoted. A JSON string is a YAML double-quoted scalar, so the
    quoting is `json.dumps` (quotes, backslashes and C0 controls escaped) followed by
    `json_text` (DEL, C1 controls, bidi controls and line separators as `\\u` escapes, lone
    surrogates as visible text); U+FFFE and U+FFFF, which YAML does not allow even quoted,
    are escaped too. The result is one line."""
    if _YAML_PLAIN.match(value) and value.lower() not in _YAML_WORDS:
        return value
    text = json_text(json.dumps(value, ensure_ascii=False))
    return _YAML_NONCHARACTER.sub(_json_escape, text)
