"""upload state: which attachment files the server has confirmed complete

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "upload_state",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("complete", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_upload_state")),
    )


def downgrade() -> None:
    op.drop_table("upload_state")
