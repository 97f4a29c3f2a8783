"""Golden exports of examples/roster, in every format, as `agentroster export` writes them.

python -m tests.export_golden     # rewrite tests/golden/export/; review the diff
"""

from __future__ import annotations

import shutil

from agentroster.config import load_config
from agentroster.context import Roster
from agentroster.export import EXPORTER_BY_NAME
from agentroster.pipeline import load_roster
from tests.conftest import EXAMPLES, REPO, TODAY

GOLDEN = REPO / "tests" / "golden" / "export"
FILE_BY_FORMAT = {
    "a2a": "a2a.json",
    "cyclonedx": "cyclonedx.json",
    "backstage": "catalog-info.yaml",
    "codeowners": "CODEOWNERS",
}


def example_roster() -> Roster:
    root = EXAMPLES / "roster"
    return load_roster(root, load_config(root), today=TODAY, cwd=REPO)


def rendered() -> dict[str, str]:
    """File name -> the export of the example roster, card paths from the repository's top."""
    roster = example_roster()
    return {FILE_BY_FORMAT[fmt]: EXPORTER_BY_NAME[fmt](roster, REPO) for fmt in FILE_BY_FORMAT}


def main() -> None:
    shutil.rmtree(GOLDEN, ignore_errors=True)
    GOLDEN.mkdir(parents=True)
    for name, text in rendered().items():
        (GOLDEN / name).write_text(text, encoding="utf-8")
    print(f"wrote {GOLDEN.relative_to(REPO)}")


if __name__ == "__main__":
    main()
