"""usage events: messages, tool calls, commands and card edits per user

Revision ID: 0003_usage_events
Revises: 0002
Create Date: 2026-12-07 02:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.models.types


revision = '0003_usage_events'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('usageevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', storage.models.types.UTCDateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('usageevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_usageevent_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_usageevent_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_usageevent_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('usageevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_usageevent_user_id'))
        batch_op.drop_index(batch_op.f('ix_usageevent_kind'))
        batch_op.drop_index(batch_op.f('ix_usageevent_at'))

    op.drop_table('usageevent')
