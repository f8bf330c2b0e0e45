"""A Telegram update handled before a restart is ignored when Telegram delivers it again."""

from __future__ import annotations

import pytest

from tests.builders import LEADER, Chat
from tests.support import ALLOW_OUTBOX, REFUSE_OUTBOX, new_service, run_sql
from tracker.errors import DatabaseError


def test_an_update_seen_before_a_restart_is_ignored_after_it(db_url):
    service, engine = new_service(db_url)
    assert service.seen_update(41) is False
    service.handle_message(Chat().msg(LEADER, "@zhangsan 把报表发我 #任务"), update_id=41)
    assert service.seen_update(41) is True
    engine.dispose()

    again, engine = new_service(db_url)
    assert again.seen_update(41) is True
    assert again.seen_update(40) is True
    assert again.seen_update(42) is False
    engine.dispose()


def test_an_update_whose_work_was_not_committed_is_handled_again(db_url):
    service, engine = new_service(db_url)
    assert service.seen_update(7) is False  # crash before the commit
    engine.dispose()
    again, engine = new_service(db_url)
    assert again.seen_update(7) is False
    engine.dispose()


def test_an_update_whose_commit_failed_is_not_remembered(db_url):
    """The update id is written with the work it caused: when that work is refused, the
    update stays unseen (Telegram's redelivery is handled), here and after a restart."""
    service, engine = new_service(db_url)
    run_sql(engine, REFUSE_OUTBOX[engine.dialect.name])
    chat = Chat()
    with pytest.raises(DatabaseError):
        service.handle_message(chat.msg(LEADER, "@zhangsan 把报表发我 #任务"), 9, answer="收到")
    assert service.seen_update(9) is False
    run_sql(engine, ALLOW_OUTBOX[engine.dialect.name])
    service.handle_message(chat.msg(LEADER, "@zhangsan 把报表发我 #任务"), 9, answer="收到")
    assert service.seen_update(9) is True
    engine.dispose()
    again, engine = new_service(db_url)
    assert again.seen_update(9) is True
    engine.dispose()
