"""Ledger and digests: fine periods, payments, reversals, closed months; digest watermark;
directive cancel time (digests are rebuilt as of an instant); outbox attachments

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fines") as batch_op:
        # The ledger month ("2026-11") the fine counts in: the month of booked_at in the chat's
        # zone, or the first open month after it when that month was already closed.
        batch_op.add_column(sa.Column("period", sa.String(length=7), nullable=True))
        batch_op.add_column(sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("paid_by", sa.BigInteger(), nullable=True))
        # A reversal entry (negative amount) names the fine it reverses; at most one each.
        batch_op.add_column(sa.Column("reverses", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint("uq_fines_reverses", ["reverses"])
        batch_op.create_index("ix_fines_period", ["period", "chat_id"])
        batch_op.create_index("ix_fines_booked", ["chat_id", "booked_at"])
    # Rows from before this revision: the month in the default zone, Asia/Shanghai (the schema
    # does not know chat zones; new fines take their chat's), the same whatever the server's
    # session time zone.
    if op.get_bind().dialect.name == "postgresql":
        month = "to_char(booked_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')"
    else:  # SQLite keeps UTC text
        month = "strftime('%Y-%m', booked_at, '+8 hours')"
    op.execute(f"UPDATE fines SET period = {month} WHERE period IS NULL")
    op.create_table(
        "closed_months",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("month", name=op.f("pk_closed_months")),
    )
    with op.batch_alter_table("chats") as batch_op:
        batch_op.add_column(sa.Column("digest_through", sa.Date(), nullable=True))
    with op.batch_alter_table("directives") as batch_op:
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("attachment", sa.Text(), nullable=True))
    with op.batch_alter_table("assignments") as batch_op:
        batch_op.create_index("ix_assignments_acked", ["chat_id", "acked_at"])


def downgrade() -> None:
    with op.batch_alter_table("assignments") as batch_op:
        batch_op.drop_index("ix_assignments_acked")
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("attachment")
    with op.batch_alter_table("directives") as batch_op:
        batch_op.drop_column("cancelled_at")
    with op.batch_alter_table("chats") as batch_op:
        batch_op.drop_column("digest_through")
    op.drop_table("closed_months")
    with op.batch_alter_table("fines") as batch_op:
        batch_op.drop_index("ix_fines_booked")
        batch_op.drop_index("ix_fines_period")
        batch_op.drop_constraint("uq_fines_reverses", type_="unique")
        for column in ("reverses", "paid_by", "paid_at", "period"):
            batch_op.drop_column(column)
