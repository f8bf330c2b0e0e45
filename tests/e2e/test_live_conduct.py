"""Conduct live, through the real PTB Application and the fake Bot API: a link deleted with a
warning, a flood, a leader's /warn making the third, the removal two leaders confirm with the
buttons (the member is removed and the chat told why), and a bot without admin rights saying
what it could not do."""

from __future__ import annotations

import copy

from tests.live_support import CHAT, CONFIG, LEADER, ZHANG, Running, sent_result

LEADER2 = 1005


def conduct_config(**conduct) -> dict:
    config = copy.deepcopy(CONFIG)
    chat = config["chats"][0]
    chat["leaders"] = [LEADER, LEADER2]
    chat["conduct"] = {"link": "delete", "remove_confirmations": 2} | conduct
    return config


async def test_a_third_warning_leads_to_a_removal_two_leaders_confirm(fake, sqlite_url):
    fake.make_user(LEADER2, "李总", "lizong")
    fake.set_member_status(CHAT, LEADER2, "administrator")
    fake.set_member_status(CHAT, fake.bot_id, "administrator")
    async with Running(fake, sqlite_url, conduct_config()):
        fake.push_message(CHAT, LEADER2, "大家好")  # the roster learns 李总's name
        link = fake.push_message(CHAT, ZHANG, "看看这个 https://shop.example.top/sale")
        for _ in range(3):
            fake.push_message(CHAT, ZHANG, "老板们看过来")
        chatter = fake.push_message(CHAT, ZHANG, "周末去钓鱼不")
        fake.push_message(CHAT, LEADER, "/warn 工作群不闲聊", reply_to=chatter["message"])
        await fake.wait_for(lambda f: any("请 2 位负责人确认" in t for t in f.sent_texts(CHAT)))
        proposal = sent_result(fake, "按群规应予清退。请")
        buttons = proposal["reply_markup"]["inline_keyboard"][0]
        remove = next(b["callback_data"] for b in buttons if b["text"] == "移出")
        fake.push_callback_query(ZHANG, proposal, remove)  # a member cannot decide
        fake.push_callback_query(LEADER, proposal, remove)
        await fake.wait_for(lambda f: any("同意移出" in t for t in f.sent_texts(CHAT)))
        fake.push_callback_query(LEADER, proposal, remove)  # twice by the same leader
        fake.push_callback_query(LEADER2, proposal, remove)
        await fake.wait_for(lambda f: any("已被移出本群" in t for t in f.sent_texts(CHAT)))

    texts = fake.sent_texts(CHAT)
    assert (CHAT, link["message"]["message_id"]) in fake.deleted
    deleted = next(t for t in texts if "发链接" in t)
    assert "已删除该消息" in deleted and "累计 1/3 次" in deleted
    assert any("刷屏（同一内容连发）" in t and "累计 2/3 次" in t for t in texts)
    assert any("负责人警告：工作群不闲聊" in t and "累计 3/3 次" in t for t in texts)
    assert sum("同意移出" in t for t in texts) == 1
    removed = next(t for t in texts if "已被移出本群" in t)
    assert (
        "发链接、刷屏（同一内容连发）、负责人警告" in removed and "确认人：王总、李总" in removed
    )
    assert fake.members[CHAT][ZHANG] == "left"  # removed, free to be invited back


async def test_a_bot_without_admin_rights_says_what_it_could_not_do(fake, sqlite_url):
    async with Running(fake, sqlite_url, conduct_config(remove_at_limit="auto", warn_limit=1)):
        link = fake.push_message(CHAT, ZHANG, "资料在 www.example.com/a 自取")
        await fake.wait_for(lambda f: any("权限" in t for t in f.sent_texts(CHAT)), timeout=10)
        await fake.wait_for(lambda f: sum("权限" in t for t in f.sent_texts(CHAT)) == 2)
    texts = fake.sent_texts(CHAT)
    assert fake.deleted == [] and (CHAT, link["message"]["message_id"]) in fake.messages
    assert any("我没有删除消息的权限，未能删除" in t for t in texts)
    assert any("我没有移出成员的权限，未能移出 销售部-张三" in t for t in texts)
    assert fake.members[CHAT].get(ZHANG, "member") == "member"


async def test_a_member_registers_a_real_name_and_is_told_when_it_is_out_of_format(
    fake, sqlite_url
):
    async with Running(fake, sqlite_url, conduct_config()):
        fake.push_message(CHAT, ZHANG, "/name 张三")
        fake.push_message(CHAT, ZHANG, "/name 华东区-张小三")
        await fake.wait_for(lambda f: any("已登记群名片" in t for t in f.sent_texts(CHAT)))
        fake.push_message(CHAT, LEADER, "@zhangsan 把报价单发我 #任务")
        await fake.wait_for(lambda f: any("华东区-张小三" in t for t in f.sent_texts(CHAT)[2:]))
    texts = fake.sent_texts(CHAT)
    assert (
        texts[0]
        == "名片「张三」不符合本群格式「部门-姓名」（例如 销售部-张三），请重新发送 /name 名片。"
    )
    assert texts[1].startswith("✅ 已登记群名片：华东区-张小三。")
