"""customer numbers: account.customer_code, unique; existing accounts numbered by id

Revision ID: 0005_customer_codes
Revises: 0004_web_console
Create Date: 2026-12-07 05:00:00
"""
from datetime import datetime

from alembic import op
import sqlalchemy as sa
import sqlmodel

from storage.customer_codes import code_for


revision = '0005_customer_codes'
down_revision = '0004_web_console'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('customer_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.create_index(batch_op.f('ix_account_customer_code'), ['customer_code'], unique=True)
    bind = op.get_bind()
    account = sa.table('account', sa.column('id', sa.Integer), sa.column('created_at', sa.DateTime),
                       sa.column('customer_code', sa.String))
    rows = bind.execute(sa.select(account.c.id, account.c.created_at).where(account.c.customer_code.is_(None))).all()
    for row_id, created in rows:
        if isinstance(created, str):  # SQLite hands the stored text back through a plain column
            created = datetime.fromisoformat(created[:19])
        bind.execute(account.update().where(account.c.id == row_id).values(customer_code=code_for(row_id, created)))


def downgrade() -> None:
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_customer_code'))
        batch_op.drop_column('customer_code')
