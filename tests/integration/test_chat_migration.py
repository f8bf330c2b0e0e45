"""A group that becomes a supergroup moves everything to its new id, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.builders import CHAT, LEADER, LI, T0, ZHANG, Chat
from tests.support import new_service
from tracker.adapters.db import orm
from tracker.domain.rules import ChatRules
from tracker.services.tracker import TrackerService

NEW = -1009999000111


def test_migration_moves_directives_fines_and_keeps_fine_ids(db_url):
    service, engine = new_service(db_url)
    chat = Chat()
    service.handle_message(chat.msg(LEADER, "@zhangsan @lisi 把报表发我 #任务", 0))
    service.handle_message(chat.msg(ZHANG, "收到", 1))
    service.tick(T0 + timedelta(minutes=31))
    with engine.connect() as conn:
        (fine_id,) = conn.execute(select(orm.Fine.id)).scalars().all()

    service.migrate_chat(CHAT, NEW)
    new_chat = Chat(chat_id=NEW)
    service.handle_message(new_chat.msg(LI, "收到", 40))  # new chat, message ids from 1 again

    with engine.connect() as conn:
        fines = conn.execute(select(orm.Fine.id, orm.Fine.chat_id)).all()
        assignments = conn.execute(
            select(orm.Assignment.chat_id, orm.Assignment.user_id, orm.Assignment.status).order_by(
                orm.Assignment.user_id
            )
        ).all()
        old_rows = conn.execute(select(orm.Directive).where(orm.Directive.chat_id == CHAT)).all()
    assert fines == [(fine_id, NEW)]
    assert assignments == [(NEW, ZHANG, "acked"), (NEW, LI, "late")]
    assert old_rows == []

    # a restart finds the chat under its new id, with the configured leaders
    engine.dispose()
    again, engine = new_service(db_url)
    again.catch_up(T0 + timedelta(hours=1), [], ChatRules())
    assert isinstance(again, TrackerService) and again.knows(NEW)
    assert again.chat(NEW).settings.leaders == frozenset({LEADER})
    engine.dispose()
