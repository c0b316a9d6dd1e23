"""device proof and sign-in throttle: sign-in challenges (single-use nonces)
and failed sign-in counters per account and per address

A device's key is the ``device.signing_key`` it already has (s0003): a
laptop that registered its bundle signing key before keeps it as its device
key; one that has none registers it at its next sign-in.

Revision ID: s0006
Revises: s0005
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0006"
down_revision = "s0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_challenge",
        sa.Column("nonce_hash", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("nonce_hash", name=op.f("pk_login_challenge")),
    )
    op.create_index(op.f("ix_login_challenge_client_address"), "login_challenge",
                    ["client_address"])
    op.create_index(op.f("ix_login_challenge_expires_at"), "login_challenge", ["expires_at"])
    op.create_table(
        "sign_in_throttle",
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("subject", sa.String(length=128), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.String(length=32), nullable=False),
        sa.Column("last_failure_at", sa.String(length=32), nullable=False),
        sa.Column("locked_until", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("scope", "subject", name=op.f("pk_sign_in_throttle")),
    )
    op.create_index(op.f("ix_sign_in_throttle_last_failure_at"), "sign_in_throttle",
                    ["last_failure_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_sign_in_throttle_last_failure_at"), table_name="sign_in_throttle")
    op.drop_table("sign_in_throttle")
    op.drop_index(op.f("ix_login_challenge_expires_at"), table_name="login_challenge")
    op.drop_index(op.f("ix_login_challenge_client_address"), table_name="login_challenge")
    op.drop_table("login_challenge")
