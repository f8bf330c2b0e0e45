"""Which update goes to which callback: the bot's routing table, in one place.

Commands go first (group 0), one short callback per verb; every other update the rules read
(messages, migrations, members joining and leaving, reactions, buttons, the bot's own
membership) goes to the `LiveBot` in group 1."""

from __future__ import annotations

from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    MessageReactionHandler,
    filters,
)


def add_handlers(app: Application, live, commands, reports, appeals, conduct) -> None:
    verbs = {
        "help": commands.help,
        "status": commands.status,
        "mine": commands.mine,
        "away": commands.away,
        "overdue": commands.overdue,
        "fines": commands.month_fines,
        "why": commands.why,
        "waive": commands.waive,
        "settings": commands.settings,
        "id": commands.ids,
        "digest": reports.digest,
        "stats": reports.stats,
        "export": reports.export,
        "paid": reports.paid,
        "appeal": appeals.appeal,
        "appeals": appeals.open_appeals,
        "warns": conduct.warns,
    }
    for name, callback in verbs.items():
        # an export takes seconds to build: it must not hold up the updates behind it
        app.add_handler(CommandHandler(name, callback, block=name != "export"), group=0)
    # "申诉 理由" in reply to a fine notice: the same as /appeal
    appealed = filters.ChatType.GROUPS & filters.REPLY & filters.Regex(r"^\s*申诉(\s|$)")
    app.add_handler(MessageHandler(appealed, appeals.appeal), group=0)
    everything = filters.ChatType.GROUPS & ~filters.StatusUpdate.ALL & ~filters.UpdateType.EDITED
    app.add_handler(MessageHandler(everything, live.on_message), group=1)
    edited = filters.ChatType.GROUPS & filters.UpdateType.EDITED_MESSAGE
    app.add_handler(MessageHandler(edited, live.on_edit), group=1)
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, live.on_migrate), group=1)
    members_changed = filters.StatusUpdate.NEW_CHAT_MEMBERS | filters.StatusUpdate.LEFT_CHAT_MEMBER
    app.add_handler(MessageHandler(members_changed, live.members.on_members_changed), group=1)
    app.add_handler(MessageReactionHandler(live.on_reaction), group=1)
    app.add_handler(CallbackQueryHandler(appeals.on_button, pattern=r"^appeal:"), group=1)
    app.add_handler(CallbackQueryHandler(live.buttons.on_button), group=1)
    app.add_handler(
        ChatMemberHandler(live.members.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER),
        group=1,
    )
    app.add_handler(
        ChatMemberHandler(live.members.on_chat_member, ChatMemberHandler.CHAT_MEMBER), group=1
    )
    app.add_error_handler(live.on_error)
