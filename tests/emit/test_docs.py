"""emit/docs.py stays readable (issue 13, point 8): pages from small functions, and Markdown
escaping done only by agentroster.escape."""

from __future__ import annotations

import ast
import inspect

from agentroster.emit import docs, graph, registry


def test_no_function_in_docs_is_over_60_lines():
    tree = ast.parse(inspect.getsource(docs))
    lengths = {
        node.name: node.end_lineno - node.lineno + 1
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
    }
    assert max(lengths.values()) <= 60, sorted(lengths.items(), key=lambda kv: -kv[1])[:3]


def test_emitters_escape_only_through_the_escape_module():
    for module in (docs, graph, registry):
        source = inspect.getsource(module)
        for own_escaping in ('.replace("|"', ".replace('\"'", '"#quot;"', "html.escape"):
            assert own_escaping not in source, (module.__name__, own_escaping)
