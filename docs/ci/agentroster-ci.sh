#!/usr/bin/env bash
# Any CI: run from the repository root with agentroster installed (pip install agentroster).
# Exits non-zero when a card has an error finding or the committed registry is stale.
set -euo pipefail

agentroster lint                  # text report; exit 1 on error findings, 2 on a config error
agentroster lint --format json --output agentroster-report.json --exit-zero   # for dashboards
agentroster build --check         # only if you commit the generated registry and docs
