"""activity orders (flash sale, group buy, bargain) and bargains

Orders gain four NULLable columns naming the activity an order was bought in (instant on
MariaDB 10.11: no table copy of the 5M-row table) and an index to find an activity's orders,
built in place without a lock. Bargain activities, bargains and their helps are new tables.

Revision ID: b7d9f1a3c5e2
Revises: f6a8c0e2d4b7
Create Date: 2026-12-08 02:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = 'b7d9f1a3c5e2'
down_revision = 'f6a8c0e2d4b7'
branch_labels = None
depends_on = None

ORDER_COLUMNS = (
    ("activity_kind", "VARCHAR(16)", sa.String(length=16), "flash_sale | group_buy | bargain"),
    ("activity_id", "INTEGER", sa.Integer(), "the activity (of its kind's table)"),
    ("activity_ref", "VARCHAR(32)", sa.String(length=32), "e.g. the bargain id, the group id"),
    ("activity_pays_commission", "BOOL", sa.Boolean(),
     "the activity's setting when ordered: false, the order accrues no commission"),
)


def _stamps():
    return [sa.Column('created_at', sa.DateTime(), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=False)]


def _orders_up():
    if op.get_bind().dialect.name == 'mysql':
        columns = ', '.join(f"ADD COLUMN {name} {sql_type} NULL COMMENT '{comment.replace(chr(39), chr(39) * 2)}'"
                            for name, sql_type, _type, comment in ORDER_COLUMNS)
        op.execute(f'ALTER TABLE orders {columns}, ALGORITHM=INSTANT')
        op.execute('ALTER TABLE orders ADD INDEX ix_orders_activity_kind_activity_id (activity_kind, activity_id), '
                   'ALGORITHM=INPLACE, LOCK=NONE')
        return
    with op.batch_alter_table('orders', schema=None) as batch_op:
        for name, _sql_type, column_type, comment in ORDER_COLUMNS:
            batch_op.add_column(sa.Column(name, column_type, nullable=True, comment=comment))
    op.create_index('ix_orders_activity_kind_activity_id', 'orders', ['activity_kind', 'activity_id'], unique=False)


def upgrade():
    _orders_up()
    op.create_table(
        'bargain_activities',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('sku_id', sa.Integer(), nullable=False),
        sa.Column('start_price_fen', sa.Integer(), nullable=False, comment='where every bargain starts'),
        sa.Column('floor_price_fen', sa.Integer(), nullable=False, comment='reached at the last required help'),
        sa.Column('helpers_needed', sa.Integer(), nullable=False),
        sa.Column('cut_min_fen', sa.Integer(), nullable=False,
                  comment='a helper\'s cut at least; 0 and 0: derived from the range'),
        sa.Column('cut_max_fen', sa.Integer(), nullable=False),
        sa.Column('time_limit_hours', sa.Integer(), nullable=False, comment="a bargain's time to reach the floor"),
        sa.Column('launches_per_shopper', sa.Integer(), nullable=False),
        sa.Column('helps_per_day', sa.Integer(), nullable=False,
                  comment="one friend's helps a Beijing day, all bargains of it"),
        sa.Column('buy_at_current', sa.Boolean(), nullable=False,
                  comment='the launcher may buy before the floor, at the price reached'),
        sa.Column('buy_window_hours', sa.Integer(), nullable=False, comment='time to buy once the bargain ended'),
        sa.Column('pays_commission', sa.Boolean(), nullable=False),
        sa.Column('stacks', sa.Boolean(), nullable=False,
                  comment='coupons, points, full-reduction, member price apply too'),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('stopped_at', sa.DateTime(), nullable=True, comment='stopped early by the merchant'),
        *_stamps(),
        sa.CheckConstraint('floor_price_fen >= 0 AND start_price_fen > floor_price_fen',
                           name=op.f('ck_bargain_activities_prices_descend')),
        sa.CheckConstraint('helpers_needed >= 1 AND start_price_fen - floor_price_fen >= helpers_needed',
                           name=op.f('ck_bargain_activities_a_fen_per_helper')),
        sa.CheckConstraint('cut_min_fen >= 0 AND cut_max_fen >= cut_min_fen',
                           name=op.f('ck_bargain_activities_cut_range')),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_bargain_activities_product_id_products')),
        sa.ForeignKeyConstraint(['sku_id'], ['skus.id'], name=op.f('fk_bargain_activities_sku_id_skus')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_bargain_activities')),
    )
    op.create_index('ix_bargain_activities_sku_id', 'bargain_activities', ['sku_id'], unique=False)
    op.create_table(
        'bargains',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('activity_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False, comment='the launcher'),
        sa.Column('launch_no', sa.Integer(), nullable=False, comment="1 for the shopper's first in the activity"),
        sa.Column('sku_id', sa.Integer(), nullable=False),
        sa.Column('start_price_fen', sa.Integer(), nullable=False, comment="the activity's, when launched"),
        sa.Column('floor_price_fen', sa.Integer(), nullable=False),
        sa.Column('current_price_fen', sa.Integer(), nullable=False),
        sa.Column('helpers_needed', sa.Integer(), nullable=False),
        sa.Column('helpers_count', sa.Integer(), nullable=False),
        sa.Column('cut_seed', sa.Integer(), nullable=False, comment="makes each helper's cut reproducible"),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False, comment='helps accepted until then'),
        sa.Column('buy_until', sa.DateTime(), nullable=False, comment='the order must be placed by then'),
        sa.Column('succeeded_at', sa.DateTime(), nullable=True),
        sa.Column('order_id', sa.Integer(), nullable=True, comment='the order buying it (unpaid or paid)'),
        *_stamps(),
        sa.CheckConstraint('current_price_fen >= floor_price_fen', name=op.f('ck_bargains_not_below_floor')),
        sa.CheckConstraint('helpers_count >= 0 AND helpers_count <= helpers_needed',
                           name=op.f('ck_bargains_helpers_within_needed')),
        sa.ForeignKeyConstraint(['activity_id'], ['bargain_activities.id'],
                                name=op.f('fk_bargains_activity_id_bargain_activities')),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_bargains_order_id_orders')),
        sa.ForeignKeyConstraint(['sku_id'], ['skus.id'], name=op.f('fk_bargains_sku_id_skus')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_bargains_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_bargains')),
        sa.UniqueConstraint('activity_id', 'user_id', 'launch_no', name='uq_bargains_activity_id_user_id_launch_no'),
    )
    op.create_index('ix_bargains_user_id_id', 'bargains', ['user_id', 'id'], unique=False)
    op.create_index('ix_bargains_status_expires_at', 'bargains', ['status', 'expires_at'], unique=False)
    op.create_table(
        'bargain_helps',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('bargain_id', sa.Integer(), nullable=False),
        sa.Column('helper_user_id', sa.Integer(), nullable=False),
        sa.Column('cut_fen', sa.Integer(), nullable=False),
        sa.Column('price_after_fen', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False, comment='Beijing calendar day (the helps-per-day limit)'),
        sa.Column('day_no', sa.Integer(), nullable=False, comment="1 for the helper's first help that day"),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('cut_fen > 0', name=op.f('ck_bargain_helps_cut_positive')),
        sa.ForeignKeyConstraint(['bargain_id'], ['bargains.id'], name=op.f('fk_bargain_helps_bargain_id_bargains')),
        sa.ForeignKeyConstraint(['helper_user_id'], ['users.id'],
                                name=op.f('fk_bargain_helps_helper_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_bargain_helps')),
        sa.UniqueConstraint('bargain_id', 'helper_user_id', name='uq_bargain_helps_bargain_id_helper_user_id'),
        sa.UniqueConstraint('helper_user_id', 'day', 'day_no', name='uq_bargain_helps_helper_user_id_day_day_no'),
    )


def downgrade():
    op.drop_table('bargain_helps')
    op.drop_table('bargains')
    op.drop_table('bargain_activities')
    if op.get_bind().dialect.name == 'mysql':
        op.execute('ALTER TABLE orders DROP INDEX ix_orders_activity_kind_activity_id, ALGORITHM=INPLACE, LOCK=NONE')
        op.execute('ALTER TABLE orders ' + ', '.join(f'DROP COLUMN {column[0]}' for column in ORDER_COLUMNS))
        return
    op.drop_index('ix_orders_activity_kind_activity_id', table_name='orders')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        for column in reversed(ORDER_COLUMNS):
            batch_op.drop_column(column[0])
