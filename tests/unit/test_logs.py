"""The bot token never reaches a log line."""

from __future__ import annotations

import io
import logging
import sys

from tracker.logs import RedactingFormatter, RefusedWebhooks, redact

TOKEN = "123456:AAE-secret-token"


def test_the_token_is_redacted_from_messages_and_arguments():
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(RedactingFormatter("%(message)s", TOKEN))
    logger = logging.getLogger("tracker.test")
    logger.addHandler(handler)
    try:
        logger.warning("POST https://api.telegram.org/bot%s/getMe failed", TOKEN)
        logger.warning(f"url https://api.telegram.org/bot{TOKEN}/sendMessage")
    finally:
        logger.removeHandler(handler)
    assert TOKEN not in lines.getvalue()
    assert lines.getvalue().count("<token>") == 2


def test_a_traceback_is_redacted_too():
    formatter = RedactingFormatter("%(message)s", TOKEN)
    try:
        raise ValueError(f"Invalid port: '8081{TOKEN}'")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    line = formatter.format(record)
    assert "Traceback" in line and TOKEN not in line and "AAE-secret-token" not in line


def test_the_secret_half_alone_is_redacted():
    assert redact("token AAE-secret-token was rejected", TOKEN) == "token <token> was rejected"
    assert redact("bot 123456 is fine", TOKEN) == "bot 123456 is fine"


def test_refused_webhooks_are_one_warning_a_minute_with_a_count():
    now = [0.0]
    refused = RefusedWebhooks(every=60, clock=lambda: now[0])

    def note(msg: str, *args) -> logging.LogRecord:
        return logging.LogRecord("telegram.ext.Updater", logging.DEBUG, "", 1, msg, args, None)

    first = note("Request did not include the secret token")
    assert refused.filter(first) and first.levelno == logging.WARNING
    assert "refused 1 request(s)" in first.getMessage()
    now[0] = 30
    assert not refused.filter(note("Request had the wrong secret token: %s", "guess"))
    assert not refused.filter(note("The webhook server has a secret token, expecting it"))
    now[0] = 61
    later = note("Request did not include the secret token")
    assert refused.filter(later) and "refused 2 request(s)" in later.getMessage()
