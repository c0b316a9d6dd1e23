"""web console: browser sessions, and indexes its tables sort and filter by

Sessions live in the database so that several workers share them. The
indexes serve the console's record tables (keyset paging by name or date
within a regency, over the province's 200,000 businesses); they are the
server's own, so the laptops' schema is untouched.

Revision ID: s0010
Revises: s0009
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop_app.models.types import UTCDateTime

revision = "s0010"
down_revision = "s0008"
branch_labels = None
depends_on = None

#: (index name, table, columns): paging orders of the console's tables.
INDEXES = (
    ("ix_console_business_name", "business", ["name", "id"]),
    ("ix_console_business_regency_name", "business", ["regency_code", "name", "id"]),
    ("ix_console_business_nib", "business", ["nib"]),
    ("ix_console_cooperative_name", "cooperative", ["name", "id"]),
    ("ix_console_cooperative_regency_name", "cooperative", ["regency_code", "name", "id"]),
    ("ix_console_aid_applicant_name", "aid_applicant", ["full_name", "id"]),
    ("ix_console_aid_applicant_regency_name", "aid_applicant",
     ["regency_code", "full_name", "id"]),
    ("ix_console_umkm_survey_date", "umkm_survey", ["visit_date", "id"]),
    ("ix_console_umkm_survey_regency_date", "umkm_survey", ["regency_code", "visit_date", "id"]),
    ("ix_console_cooperative_audit_date", "cooperative_audit", ["visit_date", "id"]),
    ("ix_console_cooperative_audit_regency_date", "cooperative_audit",
     ["regency_code", "visit_date", "id"]),
    ("ix_console_aid_verification_date", "aid_verification", ["visit_date", "id"]),
    ("ix_console_aid_verification_regency_date", "aid_verification",
     ["regency_code", "visit_date", "id"]),
    ("ix_console_applied_change_row_seq", "applied_change", ["table_name", "row_id", "server_seq"]),
)


def upgrade() -> None:
    op.create_table(
        "console_session",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("officer_id", sa.String(36), sa.ForeignKey("officer.id"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_console_session_officer_id", "console_session", ["officer_id"])
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    op.drop_index("ix_console_session_officer_id", table_name="console_session")
    op.drop_table("console_session")
