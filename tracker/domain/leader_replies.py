"""A leader's reply to a directive: /cancel (or #取消, 取消), /ok for a member, /done."""

from __future__ import annotations

from tracker.domain.chat_state import ChatState
from tracker.domain.inbound import IncomingMessage
from tracker.domain.replies import acks
from tracker.domain.transitions import cancel, complete, confirm_for

DONE_COMMANDS = frozenset({"/done"})
OK_COMMANDS = frozenset({"/ok"})  # a leader records a member's acknowledgement
CANCEL_COMMANDS = frozenset({"/cancel"})
CANCEL_TAGS = frozenset({"#取消", "#cancel"})


def leader_reply(chat: ChatState, msg: IncomingMessage, events: list) -> bool:
    """/cancel, /ok or /done from a leader in reply to a directive. True when handled."""
    directive = chat.open.get(msg.reply_to) if msg.reply_to is not None else None
    if directive is None:
        return False
    commands, tags = set(msg.commands), set(msg.hashtags)
    if commands & CANCEL_COMMANDS or tags & CANCEL_TAGS or acks.is_cancel(msg.text):
        events += cancel(chat, directive, msg.sender_id, msg.at)
        return True
    if commands & OK_COMMANDS:
        confirm_for(chat, directive, msg, events)
        return True
    if commands & DONE_COMMANDS or acks.is_done(msg.text):
        named = {chat.roster.find(m) for m in msg.mentions}
        for assignment in list(directive.assignments.values()):
            if not named - {None} or assignment.user_id in named:
                complete(chat, directive, assignment, msg, events)
        return True
    return False
