from __future__ import annotations

from agentroster.cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
