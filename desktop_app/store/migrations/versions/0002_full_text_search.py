"""full-text search over businesses, cooperatives and applicants

FTS5 indexes built by sqlite-utils, filled from the rows already there.

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

from alembic import op

from desktop_app.store import fts

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    fts.enable(op.get_bind().connection.driver_connection)


def downgrade() -> None:
    for table in fts.FTS_COLUMNS:
        for suffix in ("_ai", "_ad", "_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {table}_fts")
