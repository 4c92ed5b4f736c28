"""order search terms, status counters, day windows; the order list's indexes

New tables: `order_search_terms` (the order search's index, app.orders.search_index),
`order_status_counts` (the tabs' counters, app.orders.status_counts) and
`order_day_windows` (the date filter's id ranges, app.orders.day_windows). They start empty:
`flask orders reindex-search` and `flask orders recount` fill them from the orders (run once
after this migration on a shop that already has orders; the orders written from now on keep
them up to date by themselves).

New indexes, each added in place without a lock on MariaDB (app.core.online_ddl), so the
shop goes on selling while a 5M-row table is indexed: orders (status, id) for a status tab
newest first, (pay_method, id) for the pay-method filter, (receiver_phone) for the search by
phone, (status, paid_at) for the overdue shipments; parcels (tracking_no) for the search by
tracking number.

Revision ID: 8e4b2f6a1c35
Revises: c3d5f7a9b1e2
Create Date: 2026-12-07 05:30:00

"""
import sqlalchemy as sa
from alembic import op

from app.core import online_ddl

# revision identifiers, used by Alembic.
revision = '8e4b2f6a1c35'
down_revision = 'c3d5f7a9b1e2'
branch_labels = None
depends_on = None

ORDER_INDEXES = (
    ('ix_orders_status_id', ['status', 'id']),
    ('ix_orders_pay_method_id', ['pay_method', 'id']),
    ('ix_orders_receiver_phone', ['receiver_phone']),
    ('ix_orders_status_paid_at', ['status', 'paid_at']),
)


def upgrade():
    op.create_table(
        'order_search_terms',
        sa.Column('term', sa.BigInteger(), autoincrement=False, nullable=False,
                  comment="two characters' code points side by side (app.orders.search_terms)"),
        sa.Column('order_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint('term', 'order_id', name=op.f('pk_order_search_terms')),
        sqlite_with_rowid=False,
    )
    op.create_table(
        'order_status_counts',
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('shard', sa.SmallInteger(), autoincrement=False, nullable=False,
                  comment='order id modulo the shard count'),
        sa.Column('orders', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('status', 'shard', name=op.f('pk_order_status_counts')),
    )
    op.create_table(
        'order_day_windows',
        sa.Column('day', sa.Date(), nullable=False, comment='Beijing calendar day of created_at'),
        sa.Column('shard', sa.SmallInteger(), autoincrement=False, nullable=False,
                  comment='order id modulo the shard count'),
        sa.Column('first_id', sa.Integer(), nullable=False),
        sa.Column('last_id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('day', 'shard', name=op.f('pk_order_day_windows')),
    )
    for name, columns in ORDER_INDEXES:
        online_ddl.add_index('orders', name, columns)
    online_ddl.add_index('parcels', 'ix_parcels_tracking_no', ['tracking_no'])


def downgrade():
    online_ddl.drop_index('parcels', 'ix_parcels_tracking_no')
    for name, _columns in reversed(ORDER_INDEXES):
        online_ddl.drop_index('orders', name)
    op.drop_table('order_day_windows')
    op.drop_table('order_status_counts')
    op.drop_table('order_search_terms')
