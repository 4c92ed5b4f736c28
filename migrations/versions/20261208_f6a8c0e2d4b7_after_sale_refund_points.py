"""after-sales of an item paid with points: ¥0 allowed, the points to return

An item paid entirely with points has nothing in cash to refund, so its after-sale asks for
¥0 and gives the points back; `refund_points` is what the request returns (the estimate when
applied for, what actually came back once refunded).

Revision ID: f6a8c0e2d4b7
Revises: c8e0a2b4d6f1
Create Date: 2026-12-08 02:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = 'f6a8c0e2d4b7'
down_revision = 'c8e0a2b4d6f1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('after_sales', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refund_points', sa.Integer(), server_default='0', nullable=False,
                                      comment='points the refund gives back (paid with points)'))
        batch_op.drop_constraint(batch_op.f('ck_after_sales_amounts_positive'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_after_sales_amounts_not_negative'),
            'quantity > 0 AND amount_fen >= 0 AND refund_points >= 0')


def downgrade():
    with op.batch_alter_table('after_sales', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_after_sales_amounts_not_negative'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_after_sales_amounts_positive'),
                                         'quantity > 0 AND amount_fen > 0')
        batch_op.drop_column('refund_points')
