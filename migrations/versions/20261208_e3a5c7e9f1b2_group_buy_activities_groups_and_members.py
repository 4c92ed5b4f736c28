"""group buy activities, groups and members

拼团: an activity sells one SKU at a group price to groups of N; a group's `joined` seats only
grow by a conditional UPDATE on its locked row, and (group_id, seat) is unique, so no group
ever holds N+1; a member row per paid order (order_id unique) says its seat or its refund.

Revision ID: e3a5c7e9f1b2
Revises: d2f4a6c8e0b1
Create Date: 2026-12-08 02:16:50.471919

"""
from alembic import op
import sqlalchemy as sa


revision = 'e3a5c7e9f1b2'
down_revision = 'd2f4a6c8e0b1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('group_activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('sku_id', sa.Integer(), nullable=False),
    sa.Column('group_price_fen', sa.Integer(), nullable=False),
    sa.Column('leader_price_fen', sa.Integer(), nullable=True, comment="the leader's lower price; None: the group price"),
    sa.Column('group_size', sa.Integer(), nullable=False, comment='members a group needs, leader included'),
    sa.Column('time_limit_hours', sa.Integer(), nullable=False, comment='a group fails this long after it opens'),
    sa.Column('per_shopper_limit', sa.Integer(), nullable=False, comment='paid joins per shopper in this activity; 0: no limit'),
    sa.Column('new_shoppers_only', sa.Boolean(), nullable=False, comment='only shoppers with no paid order may join (not lead)'),
    sa.Column('virtual_success', sa.Boolean(), nullable=False, comment='模拟成团: succeeds at expiry with enough real members'),
    sa.Column('virtual_min_members', sa.Integer(), nullable=False, comment='real members needed for a virtual success'),
    sa.Column('pays_commission', sa.Boolean(), nullable=False),
    sa.Column('stacks', sa.Boolean(), nullable=False, comment='coupons, points and full-reduction may apply too'),
    sa.Column('on_full_seat', sa.String(length=16), nullable=False, comment='another_group | new_group | refund'),
    sa.Column('starts_at', sa.DateTime(), nullable=False, comment='UTC'),
    sa.Column('ends_at', sa.DateTime(), nullable=False, comment='UTC, exclusive; no new groups after'),
    sa.Column('stopped_at', sa.DateTime(), nullable=True, comment='stopped early by the merchant'),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_group_activities_window_not_empty')),
    sa.CheckConstraint('group_price_fen >= 0 AND (leader_price_fen IS NULL OR (leader_price_fen >= 0 AND leader_price_fen <= group_price_fen))', name=op.f('ck_group_activities_prices_valid')),
    sa.CheckConstraint('group_size >= 2 AND time_limit_hours >= 1 AND per_shopper_limit >= 0', name=op.f('ck_group_activities_sizes_valid')),
    sa.CheckConstraint('virtual_min_members >= 1 AND virtual_min_members <= group_size', name=op.f('ck_group_activities_virtual_min_within_size')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_group_activities_product_id_products')),
    sa.ForeignKeyConstraint(['sku_id'], ['skus.id'], name=op.f('fk_group_activities_sku_id_skus')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_activities'))
    )
    with op.batch_alter_table('group_activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_activities_product_id'), ['product_id'], unique=False)
        batch_op.create_index('ix_group_activities_sku_id_ends_at', ['sku_id', 'ends_at'], unique=False)

    op.create_table('group_buy_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('leader_user_id', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False, comment="the activity's size when the group opened"),
    sa.Column('joined', sa.Integer(), nullable=False, comment='paid members seated'),
    sa.Column('virtual_seats', sa.Integer(), nullable=False, comment='seats a virtual success filled without members'),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('succeeded_at', sa.DateTime(), nullable=True),
    sa.Column('failed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('joined >= 0 AND joined <= size AND virtual_seats >= 0 AND joined + virtual_seats <= size', name=op.f('ck_group_buy_groups_seats_within_size')),
    sa.ForeignKeyConstraint(['activity_id'], ['group_activities.id'], name=op.f('fk_group_buy_groups_activity_id_group_activities')),
    sa.ForeignKeyConstraint(['leader_user_id'], ['users.id'], name=op.f('fk_group_buy_groups_leader_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_buy_groups'))
    )
    with op.batch_alter_table('group_buy_groups', schema=None) as batch_op:
        batch_op.create_index('ix_group_buy_groups_activity_status_expires', ['activity_id', 'status', 'expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_buy_groups_leader_user_id'), ['leader_user_id'], unique=False)
        batch_op.create_index('ix_group_buy_groups_status_expires_at', ['status', 'expires_at'], unique=False)

    op.create_table('group_buy_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False, comment='the group seated in, or the one that was full'),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('seat', sa.Integer(), nullable=True, comment='1 is the leader; None: no seat was left'),
    sa.Column('is_leader', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('paid_at', sa.DateTime(), nullable=False),
    sa.Column('refunded_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['group_activities.id'], name=op.f('fk_group_buy_members_activity_id_group_activities')),
    sa.ForeignKeyConstraint(['group_id'], ['group_buy_groups.id'], name=op.f('fk_group_buy_members_group_id_group_buy_groups')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_group_buy_members_order_id_orders')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_group_buy_members_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_buy_members')),
    sa.UniqueConstraint('group_id', 'seat', name='uq_group_buy_members_group_id_seat'),
    sa.UniqueConstraint('order_id', name='uq_group_buy_members_order_id')
    )
    with op.batch_alter_table('group_buy_members', schema=None) as batch_op:
        batch_op.create_index('ix_group_buy_members_group_id_status', ['group_id', 'status'], unique=False)
        batch_op.create_index('ix_group_buy_members_status_id', ['status', 'id'], unique=False)
        batch_op.create_index('ix_group_buy_members_user_id_activity_id', ['user_id', 'activity_id'], unique=False)



def downgrade():
    with op.batch_alter_table('group_buy_members', schema=None) as batch_op:
        batch_op.drop_index('ix_group_buy_members_user_id_activity_id')
        batch_op.drop_index('ix_group_buy_members_status_id')
        batch_op.drop_index('ix_group_buy_members_group_id_status')

    op.drop_table('group_buy_members')
    with op.batch_alter_table('group_buy_groups', schema=None) as batch_op:
        batch_op.drop_index('ix_group_buy_groups_status_expires_at')
        batch_op.drop_index(batch_op.f('ix_group_buy_groups_leader_user_id'))
        batch_op.drop_index('ix_group_buy_groups_activity_status_expires')

    op.drop_table('group_buy_groups')
    with op.batch_alter_table('group_activities', schema=None) as batch_op:
        batch_op.drop_index('ix_group_activities_sku_id_ends_at')
        batch_op.drop_index(batch_op.f('ix_group_activities_product_id'))

    op.drop_table('group_activities')
