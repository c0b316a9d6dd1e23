"""initial schema: reference data, entities, visit records, change log

The device gets its id here, once, when its database is created; every
change it ever logs carries that id.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 10:36:43.688138
"""
from __future__ import annotations

import uuid

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('attachment',
    sa.Column('owner_table', sa.String(length=32), nullable=False),
    sa.Column('owner_id', sa.String(length=36), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('media_type', sa.String(length=40), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('caption', sa.String(length=200), nullable=False),
    sa.Column('taken_at', sa.String(length=32), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=False),
    sa.Column('officer_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index('ix_attachment_owner', ['owner_table', 'owner_id'], unique=False)

    op.create_table('capital_access',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_id', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_capital_access'))
    )
    op.create_table('cooperative_type',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_id', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.Column('group', sa.String(length=10), nullable=False),
    sa.Column('is_savings_loan', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_cooperative_type'))
    )
    op.create_table('digital_channel',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_digital_channel'))
    )
    op.create_table('kbli_section',
    sa.Column('code', sa.String(length=1), nullable=False),
    sa.Column('name_id', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_kbli_section'))
    )
    op.create_table('payment_method',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_id', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_payment_method'))
    )
    op.create_table('reference_version',
    sa.Column('dataset', sa.String(length=32), nullable=False),
    sa.Column('version', sa.String(length=32), nullable=False),
    sa.Column('loaded_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('dataset', name=op.f('pk_reference_version'))
    )
    op.create_table('region',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('parent_code', sa.String(length=16), nullable=True),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['parent_code'], ['region.code'], name=op.f('fk_region_parent_code_region')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_region'))
    )
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_region_parent_code'), ['parent_code'], unique=False)

    op.create_table('aid_applicant',
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('nik', sa.String(length=16), nullable=False),
    sa.Column('business_name', sa.String(length=200), nullable=False),
    sa.Column('kbli_section', sa.String(length=1), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('aid_round', sa.String(length=20), nullable=False),
    sa.Column('assigned_officer_id', sa.String(length=36), nullable=True),
    sa.Column('on_credit_list', sa.Boolean(), nullable=False),
    sa.Column('prior_recipient', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=False),
    sa.Column('officer_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('regency_code', sa.String(length=16), nullable=False),
    sa.Column('district_code', sa.String(length=16), nullable=True),
    sa.Column('village', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['district_code'], ['region.code'], name=op.f('fk_aid_applicant_district_code_region')),
    sa.ForeignKeyConstraint(['kbli_section'], ['kbli_section.code'], name=op.f('fk_aid_applicant_kbli_section_kbli_section')),
    sa.ForeignKeyConstraint(['regency_code'], ['region.code'], name=op.f('fk_aid_applicant_regency_code_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aid_applicant'))
    )
    with op.batch_alter_table('aid_applicant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aid_applicant_assigned_officer_id'), ['assigned_officer_id'], unique=False)
        batch_op.create_index('ix_aid_applicant_region', ['regency_code', 'district_code'], unique=False)

    op.create_table('business',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('owner_name', sa.String(length=200), nullable=False),
    sa.Column('owner_nik', sa.String(length=16), nullable=False),
    sa.Column('nib', sa.String(length=13), nullable=True),
    sa.Column('kbli_section', sa.String(length=1), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('year_started', sa.Integer(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=False),
    sa.Column('officer_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('regency_code', sa.String(length=16), nullable=False),
    sa.Column('district_code', sa.String(length=16), nullable=True),
    sa.Column('village', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['district_code'], ['region.code'], name=op.f('fk_business_district_code_region')),
    sa.ForeignKeyConstraint(['kbli_section'], ['kbli_section.code'], name=op.f('fk_business_kbli_section_kbli_section')),
    sa.ForeignKeyConstraint(['regency_code'], ['region.code'], name=op.f('fk_business_regency_code_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_business'))
    )
    with op.batch_alter_table('business', schema=None) as batch_op:
        batch_op.create_index('ix_business_region', ['regency_code', 'district_code'], unique=False)

    op.create_table('cooperative',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('legal_entity_no', sa.String(length=100), nullable=False),
    sa.Column('legal_entity_date', sa.Date(), nullable=True),
    sa.Column('cooperative_type', sa.String(length=32), nullable=False),
    sa.Column('chair_name', sa.String(length=200), nullable=False),
    sa.Column('members_male', sa.Integer(), nullable=False),
    sa.Column('members_female', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('rat_last_year', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=False),
    sa.Column('officer_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('regency_code', sa.String(length=16), nullable=False),
    sa.Column('district_code', sa.String(length=16), nullable=True),
    sa.Column('village', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['cooperative_type'], ['cooperative_type.code'], name=op.f('fk_cooperative_cooperative_type_cooperative_type')),
    sa.ForeignKeyConstraint(['district_code'], ['region.code'], name=op.f('fk_cooperative_district_code_region')),
    sa.ForeignKeyConstraint(['regency_code'], ['region.code'], name=op.f('fk_cooperative_regency_code_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cooperative'))
    )
    with op.batch_alter_table('cooperative', schema=None) as batch_op:
        batch_op.create_index('ix_cooperative_region', ['regency_code', 'district_code'], unique=False)

    op.create_table('aid_verification',
    sa.Column('applicant_id', sa.String(length=36), nullable=False),
    sa.Column('business_exists', sa.Boolean(), nullable=False),
    sa.Column('check_valid_nik', sa.String(length=10), nullable=False),
    sa.Column('check_micro_business', sa.String(length=10), nullable=False),
    sa.Column('check_not_civil_servant', sa.String(length=10), nullable=False),
    sa.Column('check_no_bank_credit', sa.String(length=10), nullable=False),
    sa.Column('check_not_prior_recipient', sa.String(length=10), nullable=False),
    sa.Column('check_notes', sa.Text(), nullable=False),
    sa.Column('verdict', sa.String(length=16), nullable=False),
    sa.Column('verdict_reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('visit_date', sa.Date(), nullable=False),
    sa.Column('finalised_at', sa.String(length=32), nullable=True),
    sa.Column('regency_code', sa.String(length=16), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('location_source', sa.String(length=10), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('supersedes_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=False),
    sa.Column('officer_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['applicant_id'], ['aid_applicant.id'], name=op.f('fk_aid_verification_applicant_id_aid_applicant')),
    sa.ForeignKeyConstraint(['regency_code'], ['region.code'], name=op.f('fk_aid_verification_regency_code_region')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['aid_verification.id'], name=op.f('fk_aid_verification_supersedes_id_aid_verification')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aid_verification'))
    )
    with op.batch_alter_table('aid_verification', schema=None) as batch_op:
        batch_op.create_index('ix_aid_verification_applicant', ['applicant_id', 'visit_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_aid_verification_supersedes_id'), ['supersedes_id'], unique=False)

    op.create_table('cooperative_audit',
    sa.Column('cooperative_id', sa.String(length=36), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('rat_held', sa.Boolean(), nullable=False),
    sa.Column('rat_date', sa.Date(), nullable=True),
    sa.Column('members_male', sa.Integer(), nullable=False),
    sa.Column('members_female', sa.Integer(), nullable=False),
    sa.Column('own_capital', sa.BigInteger(), nullable=True),
    sa.Column('external_capital', sa.BigInteger(), nullable=True),
    sa.Column('assets', sa.BigInteger(), nullable=True),
    sa.Column('business_volume', sa.BigInteger(), nullable=True),
    sa.Column('surplus', sa.BigInteger(), nullable=True),
    sa.Column('loans_outstanding', sa.BigInteger(), nullable=True),
    sa.Column('loans_overdue', sa.BigInteger(), nullable=True),
    sa.Column('aspect_scores', sa.Text(), nullable=False),
    sa.Column('health_score', sa.Float(), nullable=True),
    sa.Column('health_category', sa.String(length=32), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('recommendations', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('visit_date', sa.Date(), nullable=False),
    sa.Column('finalised_at', sa.String(length=32), nullable=True),
    sa.Column('regency_code', sa.String(length=16), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('location_source', sa.String(length=10), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('supersedes_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=False),
    sa.Column('officer_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperative.id'], name=op.f('fk_cooperative_audit_cooperative_id_cooperative')),
    sa.ForeignKeyConstraint(['regency_code'], ['region.code'], name=op.f('fk_cooperative_audit_regency_code_region')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['cooperative_audit.id'], name=op.f('fk_cooperative_audit_supersedes_id_cooperative_audit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cooperative_audit'))
    )
    with op.batch_alter_table('cooperative_audit', schema=None) as batch_op:
        batch_op.create_index('ix_cooperative_audit_coop', ['cooperative_id', 'visit_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_cooperative_audit_supersedes_id'), ['supersedes_id'], unique=False)

    op.create_table('umkm_survey',
    sa.Column('business_id', sa.String(length=36), nullable=False),
    sa.Column('workers_paid', sa.Integer(), nullable=False),
    sa.Column('workers_unpaid', sa.Integer(), nullable=False),
    sa.Column('workers_women', sa.Integer(), nullable=False),
    sa.Column('capital', sa.BigInteger(), nullable=True),
    sa.Column('turnover_monthly', sa.BigInteger(), nullable=True),
    sa.Column('turnover_annual', sa.BigInteger(), nullable=True),
    sa.Column('size_class', sa.String(length=10), nullable=False),
    sa.Column('digital_channels', sa.Text(), nullable=False),
    sa.Column('online_sales_share', sa.Integer(), nullable=False),
    sa.Column('payment_methods', sa.Text(), nullable=False),
    sa.Column('capital_access', sa.Text(), nullable=False),
    sa.Column('capital_needed', sa.BigInteger(), nullable=True),
    sa.Column('needs', sa.Text(), nullable=False),
    sa.Column('training_received', sa.Text(), nullable=False),
    sa.Column('training_wanted', sa.Text(), nullable=False),
    sa.Column('pandemic_impact', sa.String(length=12), nullable=False),
    sa.Column('exports', sa.Boolean(), nullable=False),
    sa.Column('export_destinations', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('visit_date', sa.Date(), nullable=False),
    sa.Column('finalised_at', sa.String(length=32), nullable=True),
    sa.Column('regency_code', sa.String(length=16), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('location_source', sa.String(length=10), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('supersedes_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=False),
    sa.Column('officer_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('deleted_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_umkm_survey_business_id_business')),
    sa.ForeignKeyConstraint(['regency_code'], ['region.code'], name=op.f('fk_umkm_survey_regency_code_region')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['umkm_survey.id'], name=op.f('fk_umkm_survey_supersedes_id_umkm_survey')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_umkm_survey'))
    )
    with op.batch_alter_table('umkm_survey', schema=None) as batch_op:
        batch_op.create_index('ix_umkm_survey_business', ['business_id', 'visit_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_umkm_survey_supersedes_id'), ['supersedes_id'], unique=False)

    op.create_table('change_log',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('change_id', sa.String(length=36), nullable=False),
    sa.Column('txn', sa.BigInteger(), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('op', sa.String(length=8), nullable=False),
    sa.Column('fields', sa.Text(), nullable=False),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('officer_id', sa.String(length=36), nullable=True),
    sa.Column('push_state', sa.String(length=8), nullable=False),
    sa.Column('pushed_at', sa.String(length=32), nullable=True),
    sa.Column('push_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_change_log')),
    sa.UniqueConstraint('change_id', name=op.f('uq_change_log_change_id')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.create_index('ix_change_log_pending', ['push_state', 'seq'], unique=False)
        batch_op.create_index('ix_change_log_row', ['table_name', 'row_id'], unique=False)

    op.create_table('local_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('officer_id', sa.String(length=36), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('txn', sa.BigInteger(), nullable=False),
    sa.Column('applying', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_local_state'))
    )


    op.execute(
        sa.text("INSERT INTO local_state (id, device_id, hlc, txn, applying) VALUES (1, :d, 0, 0, 0)")
        .bindparams(d=str(uuid.uuid4()))
    )


def downgrade() -> None:

    op.drop_table('local_state')
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.drop_index('ix_change_log_row')
        batch_op.drop_index('ix_change_log_pending')

    op.drop_table('change_log')
    with op.batch_alter_table('umkm_survey', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_umkm_survey_supersedes_id'))
        batch_op.drop_index('ix_umkm_survey_business')

    op.drop_table('umkm_survey')
    with op.batch_alter_table('cooperative_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cooperative_audit_supersedes_id'))
        batch_op.drop_index('ix_cooperative_audit_coop')

    op.drop_table('cooperative_audit')
    with op.batch_alter_table('aid_verification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aid_verification_supersedes_id'))
        batch_op.drop_index('ix_aid_verification_applicant')

    op.drop_table('aid_verification')
    with op.batch_alter_table('cooperative', schema=None) as batch_op:
        batch_op.drop_index('ix_cooperative_region')

    op.drop_table('cooperative')
    with op.batch_alter_table('business', schema=None) as batch_op:
        batch_op.drop_index('ix_business_region')

    op.drop_table('business')
    with op.batch_alter_table('aid_applicant', schema=None) as batch_op:
        batch_op.drop_index('ix_aid_applicant_region')
        batch_op.drop_index(batch_op.f('ix_aid_applicant_assigned_officer_id'))

    op.drop_table('aid_applicant')
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_region_parent_code'))

    op.drop_table('region')
    op.drop_table('reference_version')
    op.drop_table('payment_method')
    op.drop_table('kbli_section')
    op.drop_table('digital_channel')
    op.drop_table('cooperative_type')
    op.drop_table('capital_access')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index('ix_attachment_owner')

    op.drop_table('attachment')

