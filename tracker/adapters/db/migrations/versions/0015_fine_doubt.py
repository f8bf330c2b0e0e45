"""Why a replay cannot be sure of a fine (待核实): fines.doubt

A replayed export names only the latest few reactors of an emoji and may give a reaction no
date: a no_ack fine such a reaction may contradict is booked and marked ("reaction_unlisted",
"reaction_untimed") for a leader to check. Null for every other fine.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("doubt", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("fines", schema=None) as batch_op:
        batch_op.drop_column("doubt")
