"""trust: pulled changes set aside with their reason; the vault of device
secrets; bearer tokens no longer kept in clear

A token stored in clear by an earlier version is dropped: it can be sealed
only under the officer's PIN, which a migration does not know, and a token
lifted from a copied file must not sync. The officer signs in online once
more. The device signing key and the bundle keys are sealed at the next
opening of the store (desktop_app/store/vault.py), which knows the key.

Revision ID: 0010
Revises: 0011
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop_app.models.types import UTCDateTime

revision = "0010"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "set_aside_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("server_seq", sa.BigInteger(), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=40), nullable=False),
        sa.Column("reason_id", sa.String(length=500), nullable=False),
        sa.Column("reason_en", sa.String(length=500), nullable=False),
        sa.Column("set_aside_at", UTCDateTime(), nullable=False),
        sa.Column("reported_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_set_aside_change")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "vault_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("protection", sa.String(length=8), nullable=False),
        sa.Column("wrapped", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vault_key")),
    )
    op.execute("UPDATE officer_account SET token = NULL WHERE token IS NOT NULL "
               "AND token NOT LIKE 'sealed1:%'")


def downgrade() -> None:
    op.drop_table("vault_key")
    op.drop_table("set_aside_change")
