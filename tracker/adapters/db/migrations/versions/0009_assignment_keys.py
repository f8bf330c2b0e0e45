"""Assignments are found by their key alone: drop ix_assignments_open

No query reads assignments by (chat_id, status). The index only lured PostgreSQL's planner: a
plan made while the table was empty took it for the unit of work's conditional
`UPDATE assignments … WHERE chat_id, message_id, user_id, status` and then read every assignment
of that status per row (2,763 index entries for one update in a 200,000-message replay, 2 ms
instead of 0.04 ms), and each status change had to write it (docs/performance.md).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index("ix_assignments_open")


def downgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index("ix_assignments_open", ["chat_id", "status"], unique=False)
