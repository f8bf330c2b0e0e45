"""Polite answers to the in-chat verbs (/task /notice /done /cancel /ok /warn
/unwarn) when they cannot work:
a member trying a leader's verb, or a verb used without the reply or mention it needs.

Decided from the chat's state *before* the message is handled; the engine stays silent on such
messages, so the answer here is the only one the user sees.
"""

from __future__ import annotations

from tracker.domain import real_names
from tracker.domain.absence import span_reader
from tracker.domain.chat_state import ChatState
from tracker.domain.conduct.enforce import reason, target_of
from tracker.domain.conduct.fines import amount_and_reason
from tracker.domain.inbound import IncomingMessage
from tracker.domain.leave import is_leave_message, read_request
from tracker.texts import conduct, guide, leave, names

LEADER_VERBS = ("/task", "/notice", "/cancel", "/ok", "/warn", "/unwarn", "/fine")
VERBS = ("/task", "/notice", "/done", "/cancel", "/ok", "/warn", "/unwarn", "/fine", "/name")


def feedback(chat: ChatState, msg: IncomingMessage) -> str | None:
    """The usage or refusal line for a misused verb, or None when all is well."""
    if msg.sender_id is not None and is_leave_message(msg.commands, msg.hashtags):
        return _leave(chat, msg)
    verbs = [c for c in msg.commands if c in VERBS]
    if not verbs or msg.sender_id is None:
        return None
    verb = verbs[0]
    leader = msg.sender_id in chat.settings.leaders
    if verb in LEADER_VERBS and not leader:
        return guide.leaders_only(verb)
    if verb in ("/warn", "/unwarn", "/fine"):
        return _warning(chat, msg, verb)
    if verb == "/name":
        return _name(chat, msg, leader)
    target = chat.open.get(msg.reply_to) if msg.reply_to is not None else None
    if verb in ("/cancel", "/ok") and target is None:
        return guide.usage(verb)
    if verb == "/ok" and not _confirms_someone(chat, target, msg):
        return guide.usage(verb)
    if verb == "/task" and not msg.mentions and msg.reply_to is None:
        return guide.usage(verb)
    if verb == "/done":
        mine = target is not None and (leader or msg.sender_id in target.assignments)
        if not mine and len(chat.open_by_user.get(msg.sender_id, ())) != 1:
            return guide.usage(verb)
    return None


def _warning(chat: ChatState, msg: IncomingMessage, verb: str) -> str | None:
    """/warn or /unwarn naming nobody, a leader, or (for /unwarn) a member with no warning."""
    user, _ = target_of(chat, msg)
    if user is None or user < 0:
        return guide.usage(verb)
    name = chat.roster.name(user)
    if user in chat.roster.leaders:
        return conduct.not_for_leaders(name)
    expiry = chat.settings.rules.conduct.warn_expiry
    if verb == "/unwarn" and not chat.warn_book.counting(user, msg.at, expiry):
        return conduct.nothing_to_revoke(name)
    if verb == "/fine" and amount_and_reason(reason(msg))[0] is None:
        return guide.usage(verb)
    return None


def _name(chat: ChatState, msg: IncomingMessage, leader: bool) -> str:
    """/name: the name registered, or why not (the answer is sent either way)."""
    name_format = chat.settings.rules.name_format
    if msg.mentions and not leader:
        return names.only_own()
    user, name = real_names.wanted(chat, msg)
    if user is None or user < 0:
        return names.usage(name_format, real_names.example(name_format))
    if not real_names.valid(name, name_format):
        return names.wrong_format(name, name_format, real_names.example(name_format))
    return names.registered(name, None if user == msg.sender_id else chat.roster.name(user))


def _confirms_someone(chat: ChatState, target, msg: IncomingMessage) -> bool:
    """/ok names a member still owing this directive an answer (or names nobody, and one is)."""
    awaiting = {a.user_id for a in target.assignments.values() if a.awaiting_ack}
    named = {chat.roster.find(m) for m in msg.mentions} - {None}
    return bool(named & awaiting) if named else len(awaiting) == 1


def _leave(chat: ChatState, msg: IncomingMessage) -> str | None:
    """A leave message the engine cannot record: its span unread or over, or a member naming
    someone else, or a name nobody here has."""
    rules = chat.settings.rules
    local = msg.at.astimezone(rules.timezone)
    mentions = tuple(m.text for m in msg.mentions)
    request = read_request(msg.text, mentions, local, span_reader(rules))
    if request.span is None or request.span.end <= local:
        return leave.USAGE
    named = [chat.roster.find(m) for m in msg.mentions]
    if msg.mentions and msg.sender_id not in chat.roster.leaders:
        return leave.MEMBERS_FOR_OTHERS
    if None in named or request.named:
        return leave.USAGE
    return None
