"""The package's shape: layers that import only downward, and no import cycle at all."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"


def _lint_imports(src: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    exe = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(exe), "--no-cache", "--config", str(REPO / "pyproject.toml")],
        capture_output=True,
        text=True,
        env=env,
        cwd=src,
        check=False,
    )


_EDGES = """
import json, grimp
graph = grimp.build_graph("agentroster", cache_dir=None)
print(json.dumps({m: sorted(graph.find_modules_directly_imported_by(m)) for m in graph.modules}))
"""


def _import_graph(src: Path) -> nx.DiGraph:
    """Every import between modules of the package under `src`, as grimp reads them (in a
    fresh interpreter, so the package is found under `src` and nowhere else)."""
    result = subprocess.run(
        [sys.executable, "-c", _EDGES],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(src)},
        cwd=src,
        check=True,
    )
    out = nx.DiGraph()
    for module, imported in json.loads(result.stdout).items():
        out.add_node(module)
        out.add_edges_from((module, target) for target in imported)
    return out


def test_no_import_cycle_counting_every_import():
    """Deferred imports and TYPE_CHECKING imports count too (grimp reads them all)."""
    cycles = [sorted(c) for c in nx.strongly_connected_components(_import_graph(SRC)) if len(c) > 1]
    assert cycles == []


def test_findings_imports_nothing_from_the_package():
    graph = _import_graph(SRC)
    assert sorted(graph.successors("agentroster.findings")) == []


def test_the_layer_contract_holds():
    result = _lint_imports(SRC)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KEPT" in result.stdout


def test_the_layer_contract_fails_on_an_upward_import(tmp_path):
    """The contract bites: a bottom-layer module that imports the CLI breaks it."""
    copy = tmp_path / "src"
    shutil.copytree(SRC / "agentroster", copy / "agentroster")
    loader = copy / "agentroster" / "loader.py"
    loader.write_text(loader.read_text() + "\nif False:\n    import agentroster.pipeline\n")
    result = _lint_imports(copy)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert "agentroster.loader -> agentroster.pipeline" in result.stdout


def test_a_deferred_import_cycle_is_found(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(SRC / "agentroster", copy / "agentroster")
    sourcemap = copy / "agentroster" / "sourcemap.py"
    sourcemap.write_text(
        sourcemap.read_text() + "\n\ndef _late():\n    from agentroster import loader  # noqa\n"
    )
    graph = _import_graph(copy)
    cycles = [c for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert any({"agentroster.loader", "agentroster.sourcemap"} <= c for c in cycles)
