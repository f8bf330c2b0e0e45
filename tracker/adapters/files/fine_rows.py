"""The rows of the finance export: a month's fines read from the database in booking order,
streamed, with each chat's zone, department pattern and name applied."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from sqlalchemy import Engine, String, and_, func, select, type_coerce

from tracker.adapters.db import orm
from tracker.domain.chat_ids import export_id, is_supergroup
from tracker.domain.departments import department_of
from tracker.domain.rules import ChatRules, ChatSettings
from tracker.texts.common import RULE_CN
from tracker.texts.export import APPEAL_STATUS, FINE_STATUS, IN_DOUBT, MEMBER_LEFT

_F, _D, _C = orm.Fine.__table__, orm.Directive.__table__, orm.Chat.__table__
_P, _M = orm.Appeal.__table__, orm.Member.__table__
SettingsOf = Callable[[int], ChatSettings | None]


def message_link(chat_id: int, message_id: int) -> str:
    """t.me link to a supergroup message; basic groups have none."""
    if is_supergroup(chat_id):
        return f"https://t.me/c/{export_id(chat_id)}/{message_id}"
    return ""


def fine_rows(
    engine: Engine, month: str, chat_ids: list[int] | None, settings_of: SettingsOf
) -> Iterator[tuple]:
    """(booked local, period, chat, member, department, rule, text, link, fen, status, reason,
    appeal, member left, id, user id, status key) in booking order."""
    columns, query = _fines_query(month, chat_ids)
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # stored UTC text, parsed here: SQLAlchemy's per-row conversion costs 3x
            query = query.with_only_columns(
                *(
                    type_coerce(c, String).label(c.name) if c is _F.c.booked_at else c
                    for c in columns
                )
            )
        chats: dict[int, tuple] = {}
        result = conn.execution_options(stream_results=True, yield_per=5_000).execute(query)
        for (
            fine_id,
            chat_id,
            message_id,
            user_id,
            name,
            rule,
            fen,
            status,
            reason,
            booked,
            period,
            text,
            title,
            appealed_at,
            decision,
            left_chat,
            doubt,
        ) in result:
            chat = chats.get(chat_id)
            if chat is None:
                chat = chats[chat_id] = _chat_context(settings_of, chat_id, title)
            zone, pattern, chat_name = chat
            if sqlite:
                booked = datetime.fromisoformat(booked).replace(tzinfo=UTC)
            yield (
                booked.astimezone(zone).replace(tzinfo=None, microsecond=0),
                period,
                chat_name,
                name,
                department_of(name, pattern),
                RULE_CN.get(rule, rule),
                text,
                message_link(chat_id, message_id),
                fen,
                FINE_STATUS.get(status, status) + (IN_DOUBT if doubt else ""),
                reason,
                "" if appealed_at is None else APPEAL_STATUS.get(decision, decision),
                MEMBER_LEFT if left_chat else "",
                fine_id,
                user_id,
                status,
            )


def _fines_query(month: str, chat_ids: list[int] | None):
    """The month's fines with their directive's text (a conduct fine: its evidence) and chat's
    title, in booking order."""
    columns = [
        _F.c.id,
        _F.c.chat_id,
        _F.c.message_id,
        _F.c.user_id,
        _F.c.name,
        _F.c.rule,
        _F.c.amount_fen,
        _F.c.status,
        _F.c.waived_reason,
        _F.c.booked_at,
        _F.c.period,
        func.coalesce(_D.c.text, _F.c.evidence).label("text"),  # a conduct fine's words
        _C.c.title,
        _P.c.at,
        _P.c.decision,
        _M.c.left_chat,
        _F.c.doubt,
    ]
    where = [_F.c.period == month]
    if chat_ids is not None:
        where.append(_F.c.chat_id.in_(chat_ids))
    query = (
        select(*columns)
        .select_from(
            _F.outerjoin(
                _D, and_(_D.c.chat_id == _F.c.chat_id, _D.c.message_id == _F.c.message_id)
            )
            .outerjoin(_C, _C.c.id == _F.c.chat_id)
            .outerjoin(_P, _P.c.fine_id == _F.c.id)
            .outerjoin(_M, and_(_M.c.chat_id == _F.c.chat_id, _M.c.user_id == _F.c.user_id))
        )
        .where(*where)
        .order_by(_F.c.booked_at, _F.c.id)
    )
    return columns, query


def _chat_context(settings_of: SettingsOf, chat_id: int, title: str | None) -> tuple:
    """(zone, department pattern, name) of a chat, from its settings or what is stored."""
    settings = settings_of(chat_id)
    rules = settings.rules if settings else ChatRules()  # not even adopted
    chat_name = settings.name if settings else (title or str(chat_id))
    return rules.timezone, rules.department_pattern, chat_name
