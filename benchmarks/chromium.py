"""How agentroster's browser checks start Chromium: Debian's binary (or AGENTROSTER_CHROMIUM),
headless, with nothing of its own reaching the network. Shared by the site's browser tests,
bench_site.py and scripts/screenshot.py."""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("AGENTROSTER_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
