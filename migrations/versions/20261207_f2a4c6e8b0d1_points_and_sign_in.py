"""points rules, sign-in, and what each order's points did

`points_rules` and `sign_in_rules`: one row each, the merchant's settings (points deduction at
checkout, earning from purchases, expiry, whether commission counts points as money paid;
sign-in base points and streak rewards). `sign_ins`: one row per shopper and Beijing day
(unique, so a double tap signs in once). `order_points`: per order that spent or earned
points, the counters its refunds' shares are computed from.

Revision ID: f2a4c6e8b0d1
Revises: e1f3a5c7b9d2
Create Date: 2026-12-07 23:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = 'f2a4c6e8b0d1'
down_revision = 'e1f3a5c7b9d2'
branch_labels = None
depends_on = None


def _stamps():
    return [sa.Column('created_at', sa.DateTime(), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=False)]


def upgrade():
    op.create_table(
        'points_rules',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('deduction_enabled', sa.Boolean(), nullable=False),
        sa.Column('points_per_yuan', sa.Integer(), nullable=False, comment='N points deduct ¥1 at checkout'),
        sa.Column('max_deduction_percent', sa.Integer(), nullable=False,
                  comment='points pay at most this % of the goods'),
        sa.Column('min_order_fen', sa.Integer(), nullable=False, comment='goods below this amount cannot use points'),
        sa.Column('earning_enabled', sa.Boolean(), nullable=False),
        sa.Column('earn_points_per_yuan', sa.Integer(), nullable=False,
                  comment='points per ¥1 of goods paid, at completion'),
        sa.Column('expiry_enabled', sa.Boolean(), nullable=False,
                  comment='points earned in a year expire at the end of the next'),
        sa.Column('count_as_paid', sa.Boolean(), nullable=False,
                  comment='commission counts points deduction as money paid'),
        sa.Column('expired_through_year', sa.Integer(), nullable=False,
                  comment='the last earning year the expiry job finished'),
        *_stamps(),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'sign_in_rules',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('base_points', sa.Integer(), nullable=False),
        sa.Column('streak_rewards', sa.JSON(), nullable=False, comment='[{"day": 3, "points": 5}, …]: extra on day N'),
        *_stamps(),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'sign_ins',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False, comment='Beijing calendar day'),
        sa.Column('streak', sa.Integer(), nullable=False, comment='days in a row, this one included'),
        sa.Column('points', sa.Integer(), nullable=False, comment='base + streak reward given'),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'day', name='uq_sign_ins_user_day'),
    )
    op.create_table(
        'order_points',
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('spent', sa.Integer(), nullable=False),
        sa.Column('returned', sa.Integer(), nullable=False),
        sa.Column('returned_by_item', sa.JSON(), nullable=False),
        sa.Column('earned', sa.Integer(), nullable=False),
        sa.Column('earned_base_fen', sa.Integer(), nullable=False,
                  comment='goods paid (less refunds) when the points were earned'),
        sa.Column('refunded_at_earning_fen', sa.Integer(), nullable=False,
                  comment='goods already refunded when the points were earned'),
        sa.Column('clawed_back', sa.Integer(), nullable=False),
        sa.Column('clawback_shortfall', sa.Integer(), nullable=False, comment='points owed back but already spent'),
        *_stamps(),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id']),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('order_id'),
    )
    with op.batch_alter_table('order_points', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_points_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('order_points', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_points_user_id'))
    op.drop_table('order_points')
    op.drop_table('sign_ins')
    op.drop_table('sign_in_rules')
    op.drop_table('points_rules')
