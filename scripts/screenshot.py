"""Regenerate the README's screenshot of the portfolio site: the example roster's
`html/index.html`, as `agentroster build examples/roster --html` writes it, in Chromium.

    python scripts/screenshot.py [--out docs/portfolio.png] [--width 1280] [--chromium PATH]

Needs the test extra (`pip install -e ".[test]"`, which brings Playwright) and a Chromium
binary (Debian: `apt-get install chromium`); nothing is downloaded. The build goes to a
temporary folder; only the PNG is written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from agentroster.build import render
from agentroster.config import load_config
from agentroster.pipeline import lint_loaded, load_roster

REPO = Path(__file__).resolve().parent.parent
ROSTER = REPO / "examples" / "roster"
sys.path.insert(0, str(REPO / "benchmarks"))
from chromium import ARGS, CHROMIUM  # noqa: E402


def build_site(out: Path) -> Path:
    """The example roster's undated site, written under `out`; its index page."""
    config = load_config(ROSTER)
    today = dt.date.today()  # for lint only: an undated build does not depend on it
    roster = load_roster(ROSTER, config, today=today, cwd=REPO)
    report = lint_loaded(roster, config, today=today)
    for rel, text in render(roster, report, today=None, out=out, html=True).items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return out / "html" / "index.html"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "portfolio.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--chromium", default=CHROMIUM)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        index = build_site(Path(tmp))
        browser = playwright.chromium.launch(
            executable_path=args.chromium, args=[*ARGS, "--hide-scrollbars"]
        )
        page = browser.new_page(viewport={"width": args.width, "height": 800})
        page.goto(index.as_uri(), wait_until="load")
        page.screenshot(path=str(args.out), full_page=True)
        browser.close()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
