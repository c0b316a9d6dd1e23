"""rejected changes: refusals remembered by (device, seq), told again on a resend

Revision ID: s0004
Revises: s0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0004"
down_revision = "s0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rejected_change",
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("device_seq", sa.BigInteger(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("message_id", sa.String(length=500), nullable=False),
        sa.Column("message_en", sa.String(length=500), nullable=False),
        sa.Column("rejected_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "device_seq", name=op.f("pk_rejected_change")),
    )


def downgrade() -> None:
    op.drop_table("rejected_change")
