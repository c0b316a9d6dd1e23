"""assignments: the visits the office gave to the officers who sign in here
(pulled from the server, never pushed); an account's deactivation

Revision ID: 0011
Revises: 0009
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop_app.models.types import UTCDateTime

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assignment",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("officer_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target_table", sa.String(length=40), nullable=False),
        sa.Column("target_id", sa.String(length=36), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("plan_year", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("assigned_at", UTCDateTime(), nullable=False),
        sa.Column("pulled_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment")),
    )
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.create_index("ix_assignment_officer_due", ["officer_id", "due_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignment_target_id"), ["target_id"], unique=False)
    with op.batch_alter_table("officer_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deactivated_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("officer_account", schema=None) as batch_op:
        batch_op.drop_column("deactivated_at")
    op.drop_table("assignment")
