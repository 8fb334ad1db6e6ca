"""leads: lead table and its history; the lead source a deal was converted from

Revision ID: 0007_leads
Revises: 0006_attachments
Create Date: 2026-12-07 04:40:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.models.types


revision = '0007_leads'
down_revision = '0006_attachments'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
    op.create_table('lead',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('contact', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('industry', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('credit_code', sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('disqualified_reason', sa.Text(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('company_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('phone_key', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('email_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('assigned_at', storage.models.types.UTCDateTime(), nullable=True),
    sa.Column('contact_due', storage.models.types.UTCDateTime(), nullable=True),
    sa.Column('contacted_at', storage.models.types.UTCDateTime(), nullable=True),
    sa.Column('nudged_at', storage.models.types.UTCDateTime(), nullable=True),
    sa.Column('converted_at', storage.models.types.UTCDateTime(), nullable=True),
    sa.Column('created_at', storage.models.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', storage.models.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint("status in ('new','assigned','contacted','qualified','converted','disqualified')", name='ck_lead_status'),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], ),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('lead', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lead_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lead_company_key'), ['company_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_lead_contact_due'), ['contact_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_lead_email_key'), ['email_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_lead_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lead_phone_key'), ['phone_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_lead_status'), ['status'], unique=False)

    op.create_table('leadevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('at', storage.models.types.UTCDateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('from_status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('to_status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['lead_id'], ['lead.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('leadevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leadevent_lead_id'), ['lead_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('leadevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leadevent_lead_id'))

    op.drop_table('leadevent')
    with op.batch_alter_table('lead', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lead_status'))
        batch_op.drop_index(batch_op.f('ix_lead_phone_key'))
        batch_op.drop_index(batch_op.f('ix_lead_owner_id'))
        batch_op.drop_index(batch_op.f('ix_lead_email_key'))
        batch_op.drop_index(batch_op.f('ix_lead_contact_due'))
        batch_op.drop_index(batch_op.f('ix_lead_company_key'))
        batch_op.drop_index(batch_op.f('ix_lead_account_id'))

    op.drop_table('lead')
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.drop_column('source')
