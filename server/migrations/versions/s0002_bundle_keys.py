"""bundle keys: one AES-256-GCM key per regency (and the province) for sync bundles

Revision ID: s0002
Revises: s0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0002"
down_revision = "s0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bundle_key",
        sa.Column("key_id", sa.String(length=40), nullable=False),
        sa.Column("regency_code", sa.String(length=16), nullable=True),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_bundle_key")),
    )
    with op.batch_alter_table("bundle_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bundle_key_regency_code"), ["regency_code"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("bundle_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bundle_key_regency_code"))
    op.drop_table("bundle_key")
