"""What kind of message an outbox row is. The sender decides how to send a row (its lane, a
board edit folded into the newest, a chart drawn, an answer never held for quiet hours) by
this kind, never by the wording of its text."""

from __future__ import annotations

from enum import StrEnum

from tracker.domain.model import Rule


class MessageKind(StrEnum):
    STATUS = "status"  # a directive's status board, a reply to the directive
    STATUS_EDIT = "status_edit"  # the board's new text: edits of one board fold into the newest
    REMINDER = "reminder"  # to the members who still owe an acknowledgement
    DONE_REMINDER = "done_reminder"  # a completion deadline is near: who has not reported done
    LEADER_NOTICE = "leader_notice"  # privately to the leader: who still has not answered
    APPEAL = "appeal"  # an appeal (申诉) for the leaders, with 免除 / 维持; their decision
    LEAVE = "leave"  # leave asked for (with 批准 / 驳回), recorded, approved or refused
    MEMBER_LEFT = "member_left"  # privately to the leader: a member left with tasks open
    ACK_REJECTED = "ack_rejected"  # a leader's 不算 on a reply, inside the window
    FINE_NO_ACK = "fine_no_ack"  # fines booked for no acknowledgement in time
    FINE_UNRESOLVED = "fine_unresolved"  # fines booked for a task past its deadline
    FINE_CONDUCT = "fine_conduct"  # a conduct fine (a rule's, or a leader's /fine)
    UNRESOLVED_MENTIONS = "unresolved_mentions"  # a directive named people the bot cannot tell
    EDITED = "edited"  # a leader's edit added members or moved the deadline (live)
    REPLY = "reply"  # the answer to a command, never held for quiet hours
    DIGEST = "digest"  # the daily overdue digest, in the chat
    DIGEST_LEADER = "digest_leader"  # the same, to each leader privately
    CHART = "chart"  # the weekly reply chart, drawn when it is sent
    WAIVED = "waived"  # a leader waived fines
    PAID = "paid"  # a payment was recorded
    OFFLINE = "offline"  # the bot was away: how long, and that it caught up
    WELCOME = "welcome"  # the bot was added to a group
    WARNING = "warning"  # a member warned (a conduct rule or a leader's /warn), or one revoked
    MODERATION = "moderation"  # an act first (delete, mute, remove: `attachment`), then its words
    REMOVAL = "removal"  # a removal proposed (移出 / 保留), confirmed in part, kept or lapsed

    @classmethod
    def fine(cls, rule: Rule) -> MessageKind:
        return cls(f"fine_{rule.value}")


BOARD_KINDS = (MessageKind.STATUS, MessageKind.STATUS_EDIT)
