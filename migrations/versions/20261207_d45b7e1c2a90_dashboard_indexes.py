"""dashboard indexes

Orders by payment time, shoppers and agents by arrival, ledger entries by kind and time: each
dashboard figure reads its range instead of the whole table.

Revision ID: d45b7e1c2a90
Revises: 5c7d1e0a9b42
Create Date: 2026-12-07 01:40:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd45b7e1c2a90'
down_revision = '5c7d1e0a9b42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index('ix_orders_paid_at', ['paid_at'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_users_created_at', ['created_at'], unique=False)
    with op.batch_alter_table('agents', schema=None) as batch_op:
        batch_op.create_index('ix_agents_became_at', ['became_at'], unique=False)
    with op.batch_alter_table('commission_entries', schema=None) as batch_op:
        batch_op.create_index('ix_commission_entries_kind_created_at', ['kind', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('commission_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_commission_entries_kind_created_at')
    with op.batch_alter_table('agents', schema=None) as batch_op:
        batch_op.drop_index('ix_agents_became_at')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_created_at')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('ix_orders_paid_at')
