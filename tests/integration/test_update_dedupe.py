"""A Telegram update handled before a restart is ignored when Telegram delivers it again."""

from __future__ import annotations

from tests.builders import LEADER, Chat
from tests.support import new_service


def test_an_update_seen_before_a_restart_is_ignored_after_it(db_url):
    service, engine = new_service(db_url)
    assert service.seen_update(41) is False
    service.handle_message(Chat().msg(LEADER, "@zhangsan 把报表发我 #任务"))
    service.commit()  # the update id is stored with the work it caused
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
