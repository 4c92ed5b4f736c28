"""flash sales (秒杀): sessions, activities, their items and the shoppers' holdings

Four new tables (nothing existing is altered, so nothing locks a busy table). A shop runs a
few sessions and tens of activities: an activity's chosen sessions sit in a JSON list on it.
flash_items.sold and flash_holdings.units only move by conditional updates; the holdings are
keyed by (activity, shopper, scope) with no foreign keys, so a missing row is created without
gap locks and without share-locking the activity or the shopper.

Revision ID: d2f4a6c8e0b1
Revises: b7d9f1a3c5e2
Create Date: 2026-12-08 02:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'd2f4a6c8e0b1'
down_revision = 'b7d9f1a3c5e2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('flash_activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False, comment='Beijing day'),
    sa.Column('last_day', sa.Date(), nullable=False, comment='Beijing day, inclusive'),
    sa.Column('session_ids', sa.JSON(), nullable=False, comment='the flash sessions it runs in'),
    sa.Column('limit_per_session', sa.Integer(), nullable=False,
              comment='units a shopper may buy in one session; 0 = no limit'),
    sa.Column('limit_per_activity', sa.Integer(), nullable=False,
              comment='units a shopper may buy in the activity; 0 = no limit'),
    sa.Column('pays_commission', sa.Boolean(), nullable=False),
    sa.Column('stacks', sa.Boolean(), nullable=False, comment='coupons, points and full-reduction may apply too'),
    sa.Column('pay_minutes', sa.Integer(), nullable=False, comment='payment window'),
    sa.Column('stopped_at', sa.DateTime(), nullable=True, comment='UTC; stopped early'),
    sa.Column('stock_returned_at', sa.DateTime(), nullable=True, comment='UTC; the unsold set-aside went back'),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('last_day >= first_day', name=op.f('ck_flash_activities_days_in_order')),
    sa.CheckConstraint('limit_per_session >= 0 AND limit_per_activity >= 0',
                       name=op.f('ck_flash_activities_limits_not_negative')),
    sa.CheckConstraint('pay_minutes >= 1', name=op.f('ck_flash_activities_pay_minutes_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flash_activities'))
    )
    with op.batch_alter_table('flash_activities', schema=None) as batch_op:
        batch_op.create_index('ix_flash_activities_returned_last_day', ['stock_returned_at', 'last_day'], unique=False)

    op.create_table('flash_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=20), nullable=False, comment='e.g. 10:00场'),
    sa.Column('start_minute', sa.Integer(), nullable=False, comment='minutes after Beijing midnight'),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('is_enabled', sa.Boolean(), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False, comment='larger shows first'),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('duration_minutes >= 1 AND start_minute + duration_minutes <= 1440',
                       name=op.f('ck_flash_sessions_ends_within_day')),
    sa.CheckConstraint('start_minute >= 0 AND start_minute < 1440', name=op.f('ck_flash_sessions_start_in_day')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flash_sessions'))
    )
    op.create_table('flash_holdings',
    sa.Column('activity_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('user_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('scope', sa.String(length=40), nullable=False,
              comment='"activity" or "session:<session id>:<YYYY-MM-DD>"'),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.CheckConstraint('units >= 0', name=op.f('ck_flash_holdings_units_not_negative')),
    sa.PrimaryKeyConstraint('activity_id', 'user_id', 'scope', name=op.f('pk_flash_holdings'))
    )
    op.create_table('flash_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('sku_id', sa.Integer(), nullable=False),
    sa.Column('flash_price_fen', sa.Integer(), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=False, comment='units set aside from the SKU'),
    sa.Column('sold', sa.Integer(), nullable=False, comment='units in orders waiting for payment or paid'),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('flash_price_fen >= 1', name=op.f('ck_flash_items_price_positive')),
    sa.CheckConstraint('sold >= 0 AND sold <= stock', name=op.f('ck_flash_items_sold_within_stock')),
    sa.ForeignKeyConstraint(['activity_id'], ['flash_activities.id'],
                       name=op.f('fk_flash_items_activity_id_flash_activities')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_flash_items_product_id_products')),
    sa.ForeignKeyConstraint(['sku_id'], ['skus.id'], name=op.f('fk_flash_items_sku_id_skus')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flash_items')),
    sa.UniqueConstraint('activity_id', 'sku_id', name='uq_flash_items_activity_sku')
    )
    with op.batch_alter_table('flash_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flash_items_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_flash_items_sku_id'), ['sku_id'], unique=False)


def downgrade():
    with op.batch_alter_table('flash_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flash_items_sku_id'))
        batch_op.drop_index(batch_op.f('ix_flash_items_product_id'))

    op.drop_table('flash_items')
    op.drop_table('flash_holdings')
    op.drop_table('flash_sessions')
    with op.batch_alter_table('flash_activities', schema=None) as batch_op:
        batch_op.drop_index('ix_flash_activities_returned_last_day')

    op.drop_table('flash_activities')
