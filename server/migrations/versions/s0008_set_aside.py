"""set-aside reports: pulled changes a laptop could not apply, with its reason

Revision ID: s0008
Revises: s0009
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0008"
down_revision = "s0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "set_aside_report",
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("change_id", sa.String(length=40), nullable=False),
        sa.Column("officer_id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=80), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("reported_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "change_id", name=op.f("pk_set_aside_report")),
    )
    op.create_index(op.f("ix_set_aside_report_officer_id"), "set_aside_report", ["officer_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_set_aside_report_officer_id"), table_name="set_aside_report")
    op.drop_table("set_aside_report")
