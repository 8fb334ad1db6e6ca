"""proactive messages: job runs (sent once by key), reminders held back and retried

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 17:32:41.773405
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.models.types


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('jobrun',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('claimed_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('claimed_at', storage.models.types.UTCDateTime(), nullable=False),
    sa.Column('finished_at', storage.models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('jobrun', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobrun_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobrun_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.add_column(sa.Column('not_before', storage.models.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.drop_column('attempts')
        batch_op.drop_column('not_before')

    with op.batch_alter_table('jobrun', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobrun_user_id'))
        batch_op.drop_index(batch_op.f('ix_jobrun_kind'))

    op.drop_table('jobrun')
