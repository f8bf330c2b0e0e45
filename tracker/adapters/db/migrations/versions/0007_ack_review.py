"""Acknowledgements given the benefit of the doubt (待确认): the reply, the leader's ruling and
the buttons that ask for it; a completion deadline an assignee promised

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assignments") as batch_op:
        batch_op.add_column(sa.Column("ack_review", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("ack_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("reviewed_by", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
        # A completion deadline the assignee promised ("下班前发群里") when the directive had none.
        batch_op.add_column(sa.Column("done_due_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("outbox") as batch_op:
        # The inline keyboard a message carries (the leader's 算作收到 / 不算 under a board).
        batch_op.add_column(sa.Column("buttons", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("buttons")
    with op.batch_alter_table("assignments") as batch_op:
        batch_op.drop_column("done_due_at")
        batch_op.drop_column("reviewed_at")
        batch_op.drop_column("reviewed_by")
        batch_op.drop_column("ack_text")
        batch_op.drop_column("ack_review")
