"""The real command line in a real process, as a user runs it: `python -m tracker ARGS`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_tracker(
    *args, cwd: Path = ROOT, columns: int = 160, timeout: float = 120, **env: str
) -> subprocess.CompletedProcess:
    """`python -m tracker ARGS` from `cwd` (where config/ is looked for), its output captured
    as text, the terminal `columns` wide; `env` adds environment variables."""
    return subprocess.run(
        [sys.executable, "-m", "tracker", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": str(columns), **env},
        timeout=timeout,
    )
