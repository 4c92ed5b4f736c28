"""coupons: templates, shoppers' coupons, every move, the per-shopper claim counters, settings

A template keeps its issued / used / expired / revoked counters, moved with each coupon; the
holdings and daily-claim rows are what the per-shopper limits are enforced on by conditional
UPDATEs; coupon_events records every move with its order and actor.

Revision ID: c0a1b2d3e4f5
Revises: a7c9e1b3d5f0
Create Date: 2026-12-07 22:08:17

"""
import sqlalchemy as sa
from alembic import op


revision = 'c0a1b2d3e4f5'
down_revision = 'a7c9e1b3d5f0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('coupon_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False, comment='amount_off | rate_off | no_threshold'),
    sa.Column('threshold_fen', sa.Integer(), nullable=False, comment='the goods in scope must reach this; 0: none'),
    sa.Column('amount_fen', sa.Integer(), nullable=False, comment='amount_off, no_threshold'),
    sa.Column('rate_bp', sa.Integer(), nullable=False, comment='rate_off: price multiplier in basis points, 8500 = 85折'),
    sa.Column('cap_fen', sa.Integer(), nullable=True, comment='rate_off: the most it takes off; empty: no cap'),
    sa.Column('scope', sa.String(length=16), nullable=False, comment='all | products | categories | except_products'),
    sa.Column('product_ids', sa.JSON(), nullable=False),
    sa.Column('category_ids', sa.JSON(), nullable=False),
    sa.Column('validity', sa.String(length=8), nullable=False, comment='fixed | days'),
    sa.Column('valid_from', sa.DateTime(), nullable=True, comment='fixed (UTC)'),
    sa.Column('valid_until', sa.DateTime(), nullable=True, comment='fixed (UTC), exclusive'),
    sa.Column('valid_days', sa.Integer(), nullable=False, comment='days from receipt'),
    sa.Column('total', sa.Integer(), nullable=True, comment='how many may be given; empty: unlimited'),
    sa.Column('per_user_limit', sa.Integer(), nullable=True, comment='per shopper in all; empty: unlimited'),
    sa.Column('per_user_daily_limit', sa.Integer(), nullable=True, comment='per shopper per Beijing day'),
    sa.Column('stacks_with_full_reduction', sa.Boolean(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False, comment='off: no more given; coupons held stay usable'),
    sa.Column('points_price', sa.Integer(), nullable=False, comment='points to exchange for one; 0: not exchangeable'),
    sa.Column('in_centre', sa.Boolean(), nullable=False, comment='listed in the coupon centre'),
    sa.Column('centre_sort', sa.Integer(), nullable=False, comment='low first'),
    sa.Column('issued', sa.Integer(), nullable=False),
    sa.Column('used', sa.Integer(), nullable=False),
    sa.Column('expired', sa.Integer(), nullable=False),
    sa.Column('revoked', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coupon_templates'))
    )
    with op.batch_alter_table('coupon_templates', schema=None) as batch_op:
        batch_op.create_index('ix_coupon_templates_in_centre_centre_sort', ['in_centre', 'centre_sort', 'id'], unique=False)
        batch_op.create_index('ix_coupon_templates_kind_id', ['kind', 'id'], unique=False)

    op.create_table('coupon_daily_claims',
    sa.Column('user_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('template_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('day', sa.Date(), nullable=False, comment='Beijing calendar day'),
    sa.Column('claimed', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('user_id', 'template_id', 'day', name=op.f('pk_coupon_daily_claims'))
    )
    op.create_table('coupon_holdings',
    sa.Column('user_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('template_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('claimed', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('user_id', 'template_id', name=op.f('pk_coupon_holdings'))
    )
    op.create_table('coupon_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_on_full_refund', sa.Boolean(), nullable=False, comment='a coupon comes back when its order is refunded before shipping'),
    sa.Column('new_user_template_ids', sa.JSON(), nullable=False, comment='the new-user gift pack; empty: none'),
    sa.Column('invitee_template_id', sa.Integer(), nullable=True, comment="given on an agent's recruit binding"),
    sa.Column('order_gift_threshold_fen', sa.Integer(), nullable=False, comment='orders paying at least this get the gift'),
    sa.Column('order_gift_template_id', sa.Integer(), nullable=True, comment='满额赠券, given at completion'),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['invitee_template_id'], ['coupon_templates.id'], name=op.f('fk_coupon_settings_invitee_template_id_coupon_templates')),
    sa.ForeignKeyConstraint(['order_gift_template_id'], ['coupon_templates.id'], name=op.f('fk_coupon_settings_order_gift_template_id_coupon_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coupon_settings'))
    )
    op.create_table('coupons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True, comment='while locked or used'),
    sa.Column('valid_from', sa.DateTime(), nullable=False),
    sa.Column('valid_until', sa.DateTime(), nullable=False, comment='exclusive'),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=False, comment='unique per source: why it was given'),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_coupons_order_id_orders')),
    sa.ForeignKeyConstraint(['template_id'], ['coupon_templates.id'], name=op.f('fk_coupons_template_id_coupon_templates')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_coupons_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coupons')),
    sa.UniqueConstraint('source', 'ref', name='uq_coupons_source_ref')
    )
    with op.batch_alter_table('coupons', schema=None) as batch_op:
        batch_op.create_index('ix_coupons_order_id', ['order_id'], unique=False)
        batch_op.create_index('ix_coupons_status_valid_until', ['status', 'valid_until'], unique=False)
        batch_op.create_index('ix_coupons_template_id_id', ['template_id', 'id'], unique=False)
        batch_op.create_index('ix_coupons_user_id_status_id', ['user_id', 'status', 'id'], unique=False)
        batch_op.create_index('ix_coupons_user_id_status_valid_until', ['user_id', 'status', 'valid_until'], unique=False)

    op.create_table('coupon_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coupon_id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False, comment='claimed | locked | used | released | returned | revoked | expired'),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=32), nullable=False, comment='shopper:<id> | staff:<id> | system'),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['coupon_id'], ['coupons.id'], name=op.f('fk_coupon_events_coupon_id_coupons')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_coupon_events_order_id_orders')),
    sa.ForeignKeyConstraint(['template_id'], ['coupon_templates.id'], name=op.f('fk_coupon_events_template_id_coupon_templates')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_coupon_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coupon_events'))
    )
    with op.batch_alter_table('coupon_events', schema=None) as batch_op:
        batch_op.create_index('ix_coupon_events_coupon_id_id', ['coupon_id', 'id'], unique=False)
        batch_op.create_index('ix_coupon_events_order_id', ['order_id'], unique=False)
        batch_op.create_index('ix_coupon_events_template_id_kind_id', ['template_id', 'kind', 'id'], unique=False)



def downgrade():
    with op.batch_alter_table('coupon_events', schema=None) as batch_op:
        batch_op.drop_index('ix_coupon_events_template_id_kind_id')
        batch_op.drop_index('ix_coupon_events_order_id')
        batch_op.drop_index('ix_coupon_events_coupon_id_id')

    op.drop_table('coupon_events')
    with op.batch_alter_table('coupons', schema=None) as batch_op:
        batch_op.drop_index('ix_coupons_user_id_status_valid_until')
        batch_op.drop_index('ix_coupons_user_id_status_id')
        batch_op.drop_index('ix_coupons_template_id_id')
        batch_op.drop_index('ix_coupons_status_valid_until')
        batch_op.drop_index('ix_coupons_order_id')

    op.drop_table('coupons')
    op.drop_table('coupon_settings')
    op.drop_table('coupon_holdings')
    op.drop_table('coupon_daily_claims')
    with op.batch_alter_table('coupon_templates', schema=None) as batch_op:
        batch_op.drop_index('ix_coupon_templates_kind_id')
        batch_op.drop_index('ix_coupon_templates_in_centre_centre_sort')

    op.drop_table('coupon_templates')
