"""accounts, audit log and assignments: one-time passwords, deactivation,
contact details; the append-only audit_event table; the assignment table

Revision ID: s0009
Revises: s0005
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0009"
down_revision = "s0006"
branch_labels = None
depends_on = None

_STAMP = sa.String(length=32)  # UTCDateTime: ISO-8601 text
_APPEND_ONLY = "audit_event is append-only"


def upgrade() -> None:
    with op.batch_alter_table("officer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column("one_time_expires_at", _STAMP, nullable=True))
        batch_op.add_column(sa.Column("password_changed_at", _STAMP, nullable=True))
        batch_op.add_column(sa.Column("deactivated_at", _STAMP, nullable=True))
        batch_op.add_column(sa.Column("nip", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("phone", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("email", sa.String(length=120), nullable=True))

    op.create_table(
        "audit_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True,
                  nullable=False),
        sa.Column("at", _STAMP, nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("actor_officer_id", sa.String(length=36), nullable=True),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("target_type", sa.String(length=24), nullable=True),
        sa.Column("target_id", sa.String(length=64), nullable=True),
        sa.Column("regency_code", sa.String(length=16), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    op.create_index("ix_audit_event_at", "audit_event", ["at"])
    op.create_index("ix_audit_event_action_at", "audit_event", ["action", "at"])
    op.create_index("ix_audit_event_actor_at", "audit_event", ["actor_officer_id", "at"])
    op.create_index("ix_audit_event_regency_at", "audit_event", ["regency_code", "at"])
    _append_only(op.get_bind().dialect.name)

    op.create_table(
        "assignment",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target_table", sa.String(length=40), nullable=False),
        sa.Column("target_id", sa.String(length=36), nullable=False),
        sa.Column("officer_id", sa.String(length=36), nullable=False),
        sa.Column("regency_code", sa.String(length=16), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("plan_year", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("assigned_by", sa.String(length=120), nullable=False),
        sa.Column("assigned_at", _STAMP, nullable=False),
        sa.Column("assigned_on", sa.Date(), nullable=False),
        sa.Column("updated_at", _STAMP, nullable=False),
        sa.ForeignKeyConstraint(["officer_id"], ["officer.id"],
                                name=op.f("fk_assignment_officer_id_officer")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment")),
    )
    op.create_index("ix_assignment_officer_status", "assignment", ["officer_id", "status"])
    op.create_index("ix_assignment_target", "assignment", ["target_table", "target_id"])
    op.create_index("ix_assignment_regency_status", "assignment", ["regency_code", "status"])


def _append_only(dialect: str) -> None:
    """The database itself refuses to change or remove an audit line."""
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_event_no_{verb.lower()} BEFORE {verb} ON audit_event "
                       f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END")
    elif dialect == "postgresql":
        op.execute("CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger "
                   f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{_APPEND_ONLY}'; END $$")
        op.execute("CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE OR TRUNCATE "
                   "ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()")


def downgrade() -> None:
    op.drop_table("assignment")
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_change ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
    op.drop_table("audit_event")
    with op.batch_alter_table("officer", schema=None) as batch_op:
        for column in ("email", "phone", "nip", "deactivated_at", "password_changed_at",
                       "one_time_expires_at", "must_change_password"):
            batch_op.drop_column(column)
