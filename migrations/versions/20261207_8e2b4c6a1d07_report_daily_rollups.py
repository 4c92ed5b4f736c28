"""report daily rollups: the dashboard's figures per Beijing day, the days to recompute, the refresh state

Three new, small tables (a row per day, a row per change until the next refresh, a row per
refresh kind); no big table is touched. The last 31 Beijing days are marked dirty, so on a
shop that upgrades, the first run of the refresh job (within a minute) fills what the
dashboard shows (today, 7 and 30 days); `flask reports rebuild` fills the whole history.

Revision ID: 8e2b4c6a1d07
Revises: 8b1d4f6a2c90
Create Date: 2026-12-08 09:00:00

"""
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '8e2b4c6a1d07'
down_revision = '8b1d4f6a2c90'
branch_labels = None
depends_on = None

DAYS_MARKED = 31


def upgrade():
    op.create_table('report_daily_shop',
    sa.Column('day', sa.Date(), nullable=False, comment='Beijing calendar day'),
    sa.Column('sales_fen', sa.BigInteger(), nullable=False, comment='paid less refunded, of the orders paid this day'),
    sa.Column('orders', sa.Integer(), nullable=False, comment='orders paid this day'),
    sa.Column('new_shoppers', sa.Integer(), nullable=False),
    sa.Column('new_agents', sa.Integer(), nullable=False, comment='still agents'),
    sa.Column('commission_accrued_fen', sa.BigInteger(), nullable=False, comment='net, of the orders paid this day'),
    sa.Column('commission_settled_fen', sa.BigInteger(), nullable=False,
              comment='released this day, net of clawbacks'),
    sa.Column('computed_at', sa.DateTime(), nullable=False, comment='UTC'),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_report_daily_shop'))
    )
    dirty = op.create_table('report_dirty_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_dirty_days'))
    )
    with op.batch_alter_table('report_dirty_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_dirty_days_day'), ['day'], unique=False)
    refreshes = op.create_table('report_refreshes',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('refreshed_at', sa.DateTime(), nullable=True,
              comment='UTC: every change committed before this is in the rollups'),
    sa.Column('locked_at', sa.DateTime(), nullable=True, comment='UTC, the last refresh that took the lock'),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_report_refreshes'))
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    today = (now + timedelta(hours=8)).date()  # Beijing
    op.bulk_insert(refreshes, [{'name': 'daily', 'refreshed_at': None, 'locked_at': None}])
    op.bulk_insert(dirty, [{'day': today - timedelta(days=back), 'created_at': now} for back in range(DAYS_MARKED)])


def downgrade():
    op.drop_table('report_refreshes')
    with op.batch_alter_table('report_dirty_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_dirty_days_day'))
    op.drop_table('report_dirty_days')
    op.drop_table('report_daily_shop')
