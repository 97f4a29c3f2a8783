"""Peak memory of a command, measured the only way that is right for a child process.

A child's ru_maxrss counts the memory of the process it was forked from (Linux records the
old address space at exec), and the measuring process, pytest or a benchmark holding 10,000
cards, can hold hundreds of MB. So a small Python in between starts the command and reports
the command's own peak. Used by bench_lint.py and by the hostile-file tests.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_PROBE = """
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
proc.returncode = os.waitstatus_to_exitcode(status)
print(usage.ru_maxrss // 1024)
"""


def peak_rss_mb(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> int:
    """Peak RSS in MB of the process `cmd` starts (not of processes it starts in turn)."""
    probe = [sys.executable, "-c", _PROBE, *cmd]
    return int(subprocess.run(probe, cwd=cwd, env=env, capture_output=True, check=True).stdout)
