"""visit (account_id, occurred_on) index: each account's latest visit without reading the visits

Revision ID: 0009_visit_account_day
Revises: 0008_inbox
Create Date: 2026-12-07 06:15:00
"""
from alembic import op


revision = '0009_visit_account_day'
down_revision = '0008_inbox'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index('ix_visit_account_day', ['account_id', 'occurred_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_account_day')
