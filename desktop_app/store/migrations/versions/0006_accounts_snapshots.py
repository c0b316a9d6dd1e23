"""officer accounts (offline PIN), form snapshots (autosave), sync history

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop_app.models.types import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "officer_account",
        sa.Column("officer_id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("regency_code", sa.String(length=5), nullable=True),
        sa.Column("pin_hash", sa.Text(), nullable=False),
        sa.Column("server_url", sa.Text(), nullable=False),
        sa.Column("token", sa.Text(), nullable=True),
        sa.Column("token_expires_at", UTCDateTime(), nullable=True),
        sa.Column("failed_pins", sa.Integer(), nullable=False),
        sa.Column("last_signed_in", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("officer_id", name=op.f("pk_officer_account")),
        sa.UniqueConstraint("username", name=op.f("uq_officer_account_username")),
    )
    op.create_table(
        "form_snapshot",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=True),
        sa.Column("officer_id", sa.String(length=36), nullable=True),
        sa.Column("values", sa.Text(), nullable=False),
        sa.Column("saved_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_form_snapshot")),
    )
    op.create_table(
        "sync_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=False),
        sa.Column("ok", sa.Integer(), nullable=False),
        sa.Column("pushed", sa.Integer(), nullable=False),
        sa.Column("pulled", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_history")),
    )


def downgrade() -> None:
    op.drop_table("sync_history")
    op.drop_table("form_snapshot")
    op.drop_table("officer_account")
