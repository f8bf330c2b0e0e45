"""Fines can be waived by a leader: the row stays, with who, when and why

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fines") as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), nullable=False, server_default="booked")
        )
        batch_op.add_column(sa.Column("waived_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("waived_by", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("waived_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("fines") as batch_op:
        for column in ("waived_reason", "waived_by", "waived_at", "status"):
            batch_op.drop_column(column)
