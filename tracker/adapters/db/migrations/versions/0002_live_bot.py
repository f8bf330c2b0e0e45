"""Live bot: outbox.sent_message_id, chats.adopted_leaders, heartbeat

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("sent_message_id", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("chats") as batch_op:
        batch_op.add_column(sa.Column("adopted_leaders", sa.Text(), nullable=True))
    op.create_table(
        "heartbeat",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_heartbeat")),
    )


def downgrade() -> None:
    op.drop_table("heartbeat")
    with op.batch_alter_table("chats") as batch_op:
        batch_op.drop_column("adopted_leaders")
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("sent_message_id")
