from __future__ import annotations

import sys

try:
    from agentroster.cli import main
except KeyboardInterrupt:  # pragma: no cover - a Ctrl-C while starting up: no traceback
    exec("")  # see cli._interrupted: else `python -m` ends by SIGINT, not with this status
    sys.exit(130)

if __name__ == "__main__":  # pragma: no cover
    main()
