"""sync state: pull cursors and the server version of each pulled row

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_cursor",
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("cursor", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_sync_cursor")),
    )
    op.create_table(
        "sync_row_version",
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("server_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "table_name", "row_id", name=op.f("pk_sync_row_version")),
    )


def downgrade() -> None:
    op.drop_table("sync_row_version")
    op.drop_table("sync_cursor")
