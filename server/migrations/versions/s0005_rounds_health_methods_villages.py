"""aid rounds and health methods as reference data; village codes; size-class
basis; applicant's KK number and business certificate

The same tables, columns and data steps as the laptop's 0009
(desktop_app.models.upgrades), so the server's copy of every record comes
out of the upgrade as each laptop's does.

Revision ID: s0005
Revises: s0004
"""
from __future__ import annotations

from alembic import op

from desktop_app.models import upgrades
from desktop_app.resources import reference_dir
from desktop_app.models import reference_data

revision = "s0005"
down_revision = "s0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    upgrades.create_reference_tables(op)
    upgrades.add_record_columns(op)
    upgrades.upgrade_data(op.get_bind(),
                          lambda: reference_data.read_rows(reference_dir() / "villages.csv", "region"))


def downgrade() -> None:
    upgrades.drop_record_columns_and_tables(op)
