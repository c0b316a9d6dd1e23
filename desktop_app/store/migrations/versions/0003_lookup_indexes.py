"""indexes for NIK look-up and regional lists by status

Search by a whole NIK and the regency/status filters of the visit lists
scanned whole tables at 100,000 records.

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_INDEXES = (
    ("aid_applicant", "ix_aid_applicant_nik", ["nik"]),
    ("business", "ix_business_owner_nik", ["owner_nik"]),
    ("umkm_survey", "ix_umkm_survey_region_status", ["regency_code", "status"]),
    ("cooperative_audit", "ix_cooperative_audit_region_status", ["regency_code", "status"]),
    ("aid_verification", "ix_aid_verification_region_status", ["regency_code", "status"]),
)


def upgrade() -> None:
    for table, name, columns in _INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for table, name, _ in _INDEXES:
        op.drop_index(name, table_name=table)
