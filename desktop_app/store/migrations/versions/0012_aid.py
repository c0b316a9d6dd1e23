"""the approval chain of aid rounds: aid_decision (synced; triggers are
generated at start from the live schema)

Revision ID: 0012
Revises: 0010
"""
from __future__ import annotations

from alembic import op

from desktop_app.models import aid_upgrades

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    aid_upgrades.create_aid_decision(op)


def downgrade() -> None:
    aid_upgrades.drop_aid_decision(op)
