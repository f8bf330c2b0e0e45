"""A member's own acknowledgement window, deferred past their leave: assignments.ack_from and
assignments.ack_until

With a chat's absent = "defer", a directive reaching a member on approved leave (or open when
their leave begins) waits for them: the window starts at the first working moment after the
leave and runs a full window. Null for everyone else (the directive's window holds).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ack_from", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("ack_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_column("ack_until")
        batch_op.drop_column("ack_from")
