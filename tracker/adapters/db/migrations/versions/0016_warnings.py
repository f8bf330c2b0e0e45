"""The warnings ledger (one row per warning a member got), removals after the limit, and
members' registered names; conduct fines in the fines ledger

A leader's /warn or a conduct rule (flooding, ads, links, banned words, posting hours), with
the message that shows it, the words or reason, who warned (null for a rule), and who revoked it
when (/unwarn). Keyed by (chat, message, member, rule): the same evidence counts once.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "warnings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("rule", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.BigInteger(), nullable=True),
        sa.Column("words", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warnings")),
        sa.UniqueConstraint(
            "chat_id", "message_id", "user_id", "rule", name=op.f("uq_warnings_chat_id")
        ),
    )

    op.create_table(
        "removals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("proposal_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("needed", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("confirmed_by", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_removals")),
        sa.UniqueConstraint("chat_id", "proposal_id", "user_id", name=op.f("uq_removals_chat_id")),
    )

    # One ledger for every penalty: a conduct fine (a rule's or a leader's /fine) points at the
    # message that shows it, not at an assignment, and keeps its words as the evidence.
    with op.batch_alter_table("fines") as batch:
        batch.drop_constraint("fk_fines_chat_id_assignments", type_="foreignkey")
        batch.add_column(sa.Column("evidence", sa.Text(), nullable=True))
        batch.add_column(sa.Column("booked_by", sa.BigInteger(), nullable=True))
    # a name the member registered with /name (群名片) wins over the config's and Telegram's
    with op.batch_alter_table("members") as batch:
        batch.add_column(
            sa.Column("registered", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("registered")
    with op.batch_alter_table("fines") as batch:
        batch.drop_column("evidence")
        batch.drop_column("booked_by")
        batch.create_foreign_key(
            "fk_fines_chat_id_assignments",
            "assignments",
            ["chat_id", "message_id", "user_id"],
            ["chat_id", "message_id", "user_id"],
        )
    op.drop_table("removals")
    op.drop_table("warnings")
