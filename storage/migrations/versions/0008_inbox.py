"""inbox: durable intake of chat messages

Revision ID: 0008_inbox
Revises: 0007_leads
Create Date: 2026-12-07 04:36:06.673576
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.models.types


revision = '0008_inbox'
down_revision = '0007_leads'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('inboxmessage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('chat_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('message_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('blob', sa.LargeBinary(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('owner', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('lease_until', storage.models.types.UTCDateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('received_at', storage.models.types.UTCDateTime(), nullable=False),
    sa.Column('handled_at', storage.models.types.UTCDateTime(), nullable=True),
    sa.Column('replied_at', storage.models.types.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('platform', 'chat_id', 'message_id')
    )
    with op.batch_alter_table('inboxmessage', schema=None) as batch_op:
        batch_op.create_index('ix_inboxmessage_chat', ['platform', 'chat_id', 'state', 'id'], unique=False)
        batch_op.create_index('ix_inboxmessage_state', ['state', 'platform', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('inboxmessage', schema=None) as batch_op:
        batch_op.drop_index('ix_inboxmessage_state')
        batch_op.drop_index('ix_inboxmessage_chat')

    op.drop_table('inboxmessage')
