"""attachments: contract files filed against accounts and deals

Revision ID: 0006_attachments
Revises: 0005_customer_codes
Create Date: 2026-12-07 04:35:27.143874
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.models.types


revision = '0006_attachments'
down_revision = '0005_customer_codes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('mime', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('bytes', sa.Integer(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_by', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', storage.models.types.UTCDateTime(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], ),
    sa.ForeignKeyConstraint(['uploaded_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sha256')
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_opportunity_id'), ['opportunity_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_opportunity_id'))
        batch_op.drop_index(batch_op.f('ix_attachment_account_id'))

    op.drop_table('attachment')
