"""What the laptop's migration 0012 and the server's s0011 share: the
``aid_decision`` table of the approval chain (models/approvals.py).

Lightweight table constructs, not the model, so a later change to the model
never changes what the migration does.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def create_aid_decision(op: Any) -> None:
    op.create_table(
        "aid_decision",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("officer_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("deleted_at", sa.String(length=32), nullable=True),
        sa.Column("verification_id", sa.String(length=36), nullable=False),
        sa.Column("applicant_id", sa.String(length=36), nullable=False),
        sa.Column("round_code", sa.String(length=32), nullable=False),
        sa.Column("regency_code", sa.String(length=16), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["verification_id"], ["aid_verification.id"],
                                name=op.f("fk_aid_decision_verification_id_aid_verification")),
        sa.ForeignKeyConstraint(["applicant_id"], ["aid_applicant.id"],
                                name=op.f("fk_aid_decision_applicant_id_aid_applicant")),
        sa.ForeignKeyConstraint(["regency_code"], ["region.code"],
                                name=op.f("fk_aid_decision_regency_code_region")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aid_decision")),
    )
    op.create_index(op.f("ix_aid_decision_verification_id"), "aid_decision", ["verification_id"])
    op.create_index("ix_aid_decision_round_region", "aid_decision", ["round_code", "regency_code"])


def drop_aid_decision(op: Any) -> None:
    op.drop_index("ix_aid_decision_round_region", table_name="aid_decision")
    op.drop_index(op.f("ix_aid_decision_verification_id"), table_name="aid_decision")
    op.drop_table("aid_decision")
