"""The three readings the engine asks of a chat reply: ack, done, cancel.

`replies` reads acknowledgements (and says which words decided); `closings` reads done and
cancel. This module is their one entry point for the engine and the rest of the code.
"""

from __future__ import annotations

from tracker.domain.closings import is_cancel, is_done, names_the_task
from tracker.domain.replies.reading import ChatWords, read_reply

__all__ = ["is_ack", "is_cancel", "is_done", "names_the_task"]


def is_ack(text: str, extra_words: tuple[str, ...] = (), not_words: tuple[str, ...] = ()) -> bool:
    """True when the reply acknowledges a directive: 收到, 好的, 1, 👍, 下班前发你."""
    return read_reply(text, ChatWords(tuple(extra_words), tuple(not_words))).acknowledges
