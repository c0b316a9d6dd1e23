"""aid rounds and health methods as reference data; village codes; size-class
basis; applicant's KK number and business certificate

New reference tables (aid_round, aid_round_quota, health_method,
health_aspect, health_indicator, health_band) are filled by the reference
set that loads after the migrations. Existing rows
(desktop_app.models.upgrades, shared with the server's s0005):

* audits made so far used the Perdep 06/2016 method (health_method);
* each stored size class gets the basis that decided it then (capital
  first, as the rule was);
* an applicant whose free-text round names 2020 or 2021 gets that round's
  code; other texts stay, and the form asks for a round on the next save;
* a typed village name becomes its Kemendagri code where exactly one
  village of the record's district (else regency) bears that name; the
  typed name is kept either way.

The data steps run unlogged (as a pulled change is applied): the server
takes the same steps on its copy, so no laptop sends them as edits.

Revision ID: 0009
Revises: 0008
"""
from __future__ import annotations

from alembic import op

from desktop_app.models import upgrades
from desktop_app.resources import reference_dir
from desktop_app.models import reference_data

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    upgrades.create_reference_tables(op)
    upgrades.add_record_columns(op)
    connection = op.get_bind()
    connection.exec_driver_sql("UPDATE local_state SET applying = 1 WHERE id = 1")
    upgrades.upgrade_data(connection,
                          lambda: reference_data.read_rows(reference_dir() / "villages.csv", "region"))
    connection.exec_driver_sql("UPDATE local_state SET applying = 0 WHERE id = 1")


def downgrade() -> None:
    upgrades.drop_record_columns_and_tables(op)
