"""Every status board waiting in the outbox carries its buttons

Boards written before 0007 stored no buttons, and the sender told a cancelled board (no 收到
button) from an open one by its wording. The boards still waiting get the buttons the sender
would have given them, so it now decides by the row alone.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

WAITING_BOARDS = (
    "status IN ('pending', 'failed') AND kind IN ('status', 'status_edit') AND buttons IS NULL"
)


def upgrade() -> None:
    op.execute(
        f"UPDATE outbox SET buttons = '[]' WHERE {WAITING_BOARDS} "
        "AND (reply_to_message_id IS NULL OR text LIKE '📋 任务已取消%')"
    )
    op.execute(
        'UPDATE outbox SET buttons = \'[["收到", "ack:\' || '
        f"CAST(reply_to_message_id AS VARCHAR) || '\"]]' WHERE {WAITING_BOARDS}"
    )


def downgrade() -> None:
    pass  # the buttons stay: older code reads them as well
