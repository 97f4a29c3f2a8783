"""Golden build output of examples/roster, rendered in memory for its default output dir:
an undated build (no --today), as a repository would commit it.

python -m tests.build_golden     # rewrite tests/golden/build/; review the diff
"""

from __future__ import annotations

import shutil

from agentroster.build import render
from agentroster.config import load_config
from agentroster.pipeline import lint_loaded, load_roster
from tests.conftest import EXAMPLES, REPO, TODAY

GOLDEN = REPO / "tests" / "golden" / "build"


def rendered() -> dict[str, str]:
    root = EXAMPLES / "roster"
    config = load_config(root)
    roster = load_roster(root, config, today=TODAY, cwd=REPO)
    report = lint_loaded(roster, config, today=TODAY)
    return render(roster, report, today=None, out=root / config.build_out)


def main() -> None:
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for rel, text in rendered().items():
        path = GOLDEN / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"wrote {GOLDEN.relative_to(REPO)}")


if __name__ == "__main__":
    main()
