"""The head of each chat's outbox queue and a board's newer edit, found without scanning
what was already sent

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")
PENDING_EDIT = sa.text("status = 'pending' AND kind = 'status_edit'")


def upgrade() -> None:
    op.create_index(
        "ix_outbox_pending_chat",
        "outbox",
        ["target_chat_id", "id"],
        sqlite_where=PENDING,
        postgresql_where=PENDING,
    )
    op.create_index(
        "ix_outbox_pending_edits",
        "outbox",
        ["source_chat_id", "reply_to_message_id", "id"],
        sqlite_where=PENDING_EDIT,
        postgresql_where=PENDING_EDIT,
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_pending_edits", table_name="outbox")
    op.drop_index("ix_outbox_pending_chat", table_name="outbox")
