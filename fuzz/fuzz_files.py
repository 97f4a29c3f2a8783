"""Coverage-guided fuzzing of the repository files beside the cards: the queues file, the
tool catalogue and the configuration. The first byte picks the file, the rest is its content.
A catalogue must give findings at a line (never E000); a configuration must give a Config or a
ConfigError. Any other exception escaping is a crash. See docs/fuzzing.md.

    pip install atheris
    fuzz/seed-corpus.sh /tmp/corpus-files files
    python fuzz/fuzz_files.py /tmp/corpus-files -runs=100000 -max_len=4096
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["agentroster"]):
    from agentroster.catalogues import load_catalogues
    from agentroster.config import ConfigError
    from agentroster.pipeline import configure
    from agentroster.policy import Limits

ROOT = Path(tempfile.mkdtemp(prefix="agentroster-fuzz-"))
NAMES = ("agentroster.queues.yaml", "agentroster.tools.yaml", "agentroster.toml")


def test_one_input(raw: bytes) -> None:
    if not raw:
        return
    name = NAMES[raw[0] % len(NAMES)]
    for other in NAMES:
        (ROOT / other).unlink(missing_ok=True)
    (ROOT / name).write_bytes(raw[1:])
    if name == "agentroster.toml":
        with contextlib.suppress(ConfigError):
            configure(ROOT)
        return
    catalogues = load_catalogues(
        ROOT, queues=NAMES[0], tools=NAMES[1], display=lambda p: p.name, limits=Limits()
    )
    for finding in catalogues.findings:
        assert finding.code != "E000", finding.message
        assert finding.line >= 1 and finding.column >= 1, finding


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
