"""The portfolio site of a large roster in a real browser (issue target: the portfolio loads in
under a second from disk).

    python benchmarks/bench_site.py [N_AGENTS] [--rounds R] [--chromium PATH]

Generates a roster of N agents (generate.py), builds it with `--html` in memory and writes the
files, then opens `html/index.html` from file:// in Chromium (Debian's `chromium`, driven by
Playwright) R times, alternately with the example roster's portfolio, and prints medians:
until the `load` event (HTML parsed, style sheet and script run: the table is searchable), and
one search input on the whole table (filtering and the status line). Also the build's own
time for the site. The ratio to the 9-agent example is what the machine's noise moves least.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from agentroster.build import render
from agentroster.config import load_config
from agentroster.emit.registry import registry
from agentroster.emit.site import site
from agentroster.pipeline import lint_loaded, load_roster

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from chromium import ARGS, CHROMIUM  # noqa: E402
from generate import generate  # noqa: E402

TODAY = dt.date(2026, 11, 21)
TARGET_S = 1.0


def build(root: Path, out: Path) -> tuple[Path, float, int]:
    """Write the site of the roster at `root` into `out`: its folder, the seconds the site's
    pages took to render, and the portfolio's size in bytes."""
    config = load_config(root)
    roster = load_roster(root, config, today=TODAY, cwd=root)
    report = lint_loaded(roster, config, today=TODAY)
    files = render(roster, report, today=None, out=out, html=True)
    start = time.perf_counter()
    site(roster, report, registry(roster, report, None))
    site_s = time.perf_counter() - start
    for rel, text in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return out / "html", site_s, (out / "html" / "index.html").stat().st_size


def load_once(browser: Browser, site: Path) -> tuple[float, float, int]:
    """Seconds until `load`, seconds for one search keystroke, and the rows shown after it."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        start = time.perf_counter()
        page.goto((site / "index.html").as_uri(), wait_until="load")
        loaded = time.perf_counter() - start
        search = page.locator("#q")
        search.focus()
        start = time.perf_counter()
        search.fill("agent-0000")  # one input event: the whole table filtered once
        shown = page.evaluate("document.querySelectorAll('#agents tbody tr:not([hidden])').length")
        typed = time.perf_counter() - start
        return loaded, typed, shown
    finally:
        page.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--chromium", default=CHROMIUM)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "roster"
        generate(root, args.n)
        large, site_s, size = build(root, Path(tmp) / "large")
        small, _, small_size = build(REPO / "examples" / "roster", Path(tmp) / "small")
        timings: dict[str, list[tuple[float, float, int]]] = {"large": [], "small": []}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=ARGS)
            load_once(browser, small)  # start-up of the browser's own caches, not measured
            for _ in range(args.rounds):
                timings["small"].append(load_once(browser, small))
                timings["large"].append(load_once(browser, large))
            browser.close()
    medians = {
        name: (statistics.median(t[0] for t in runs), statistics.median(t[1] for t in runs))
        for name, runs in timings.items()
    }
    load_l, type_l = medians["large"]
    load_s, type_s = medians["small"]
    print(f"{args.n} agents, median of {args.rounds} rounds (alternating with the 9-agent example)")
    print(f"  site rendering (build --html)  {site_s:6.2f} s   index.html {size / 1e6:.1f} MB")
    print(
        f"  portfolio load (file://)       {load_l:6.3f} s   9 agents {load_s:6.3f} s "
        f"({small_size / 1e3:.0f} KB)  ratio {load_l / load_s:5.1f}"
    )
    print(
        f"  one search input               {type_l:6.3f} s   9 agents {type_s:6.3f} s  "
        f"rows shown after it: {timings['large'][-1][2]}"
    )
    verdict = "met" if load_l < TARGET_S else "NOT met"
    print(f"target: {verdict}: portfolio of {args.n} agents loads in under {TARGET_S:.0f} s")


if __name__ == "__main__":
    main()
