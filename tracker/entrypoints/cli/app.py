"""The `tracker` command: every command module registered on the one typer app, and the
last line of defence (an unexpected error is one line, exit 70, its trace on request)."""

from __future__ import annotations

import os
import sys
import traceback

from tracker.entrypoints.cli import bot, ledger, replay, reports  # noqa: F401  (register commands)
from tracker.entrypoints.cli.common import app


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        print("tracker: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # a bug: one line for the user, the trace on request
        from tracker.logs import redact

        token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
        if os.environ.get("TRACKER_DEBUG"):
            print(redact(traceback.format_exc(), token), file=sys.stderr, end="")
        print(
            redact(f"tracker: internal error: {type(exc).__name__}: {exc} ", token)
            + "(run with TRACKER_DEBUG=1 for details)",
            file=sys.stderr,
        )
        sys.exit(70)
