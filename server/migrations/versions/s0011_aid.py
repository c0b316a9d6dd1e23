"""aid rounds on the server: the approval chain (aid_decision, shared with
the laptop's 0012), the province's edits to reference data (reference_edit)
and merged duplicate businesses (business_merge)

Revision ID: s0011
Revises: s0010
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop_app.models import aid_upgrades

revision = "s0011"
down_revision = "s0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    aid_upgrades.create_aid_decision(op)
    op.create_table(
        "reference_edit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ordinal", sa.BigInteger(), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("edited_by", sa.String(length=64), nullable=False),
        sa.Column("edited_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_edit")),
    )
    op.create_index("ix_reference_edit_ordinal", "reference_edit", ["ordinal"])
    op.create_table(
        "business_merge",
        sa.Column("merged_id", sa.String(length=36), nullable=False),
        sa.Column("kept_id", sa.String(length=36), nullable=False),
        sa.Column("merged_by", sa.String(length=64), nullable=False),
        sa.Column("merged_at", sa.String(length=32), nullable=False),
        sa.Column("visits_moved", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("merged_id", name=op.f("pk_business_merge")),
    )
    op.create_index("ix_business_merge_kept", "business_merge", ["kept_id"])


def downgrade() -> None:
    op.drop_index("ix_business_merge_kept", table_name="business_merge")
    op.drop_table("business_merge")
    op.drop_index("ix_reference_edit_ordinal", table_name="reference_edit")
    op.drop_table("reference_edit")
    aid_upgrades.drop_aid_decision(op)
