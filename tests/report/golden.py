"""Golden reports of examples/broken, one per format whose bytes are the contract (SARIF is
checked against its schema instead: tests/report/test_sarif.py).

python -m tests.report.golden      # rewrite them; review the diff before committing
"""

from __future__ import annotations

import os
from pathlib import Path

from agentroster.config import load_config
from agentroster.findings import Report
from agentroster.pipeline import lint_roster
from agentroster.report import REPORTER_NAMES, RenderOptions, reporter
from tests.conftest import EXAMPLES, REPO, TODAY

GOLDEN = Path(__file__).parent / "golden"
SUFFIX = {
    "text": "txt",
    "json": "json",
    "github": "github.txt",
    "gitlab": "gitlab.json",
}


def broken_report() -> Report:
    old = Path.cwd()
    os.chdir(REPO)  # paths in reports are relative to the working directory
    try:
        root = EXAMPLES / "broken"
        return lint_roster(root, load_config(root), today=TODAY, cwd=REPO)
    finally:
        os.chdir(old)


def rendered() -> dict[str, str]:
    report = broken_report()
    return {fmt: reporter(fmt)(report, RenderOptions()) for fmt in REPORTER_NAMES}


def main() -> None:
    for fmt, text in rendered().items():
        if fmt not in SUFFIX:
            continue
        (GOLDEN / f"broken.{SUFFIX[fmt]}").write_text(text, encoding="utf-8")
        print(f"wrote tests/report/golden/broken.{SUFFIX[fmt]}")


if __name__ == "__main__":
    main()
