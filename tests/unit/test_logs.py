"""The bot token never reaches a log line."""

from __future__ import annotations

import logging

from tracker.logs import RedactToken

TOKEN = "123456:AAE-secret-token"


def test_the_token_is_redacted_from_messages_and_arguments(caplog):
    logger = logging.getLogger("tracker.test")
    logger.addFilter(RedactToken(TOKEN))
    with caplog.at_level(logging.INFO, logger="tracker.test"):
        logger.info("POST https://api.telegram.org/bot%s/getMe failed", TOKEN)
        logger.info(f"url https://api.telegram.org/bot{TOKEN}/sendMessage")
    assert TOKEN not in caplog.text
    assert caplog.text.count("<token>") == 2
