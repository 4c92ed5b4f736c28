"""order items keep their share of each discount

A coupon, points or a full-reduction activity covers some items and not others; each item now
keeps its share of each of the order's discounts, which the commission explain view shows and
a refund gives back. Nullable, so adding it to a big table is instant; older items read as
their single total.

Revision ID: e1f3a5c7b9d2
Revises: 94b5a8baaabb
Create Date: 2026-12-07 22:20:00

"""
import sqlalchemy as sa
from alembic import op


revision = 'e1f3a5c7b9d2'
down_revision = '94b5a8baaabb'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('order_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discount_parts', sa.JSON(), nullable=True,
                                      comment="this item's share of each order discount: [{kind, ref, amount_fen[, points]}]"))


def downgrade():
    with op.batch_alter_table('order_items', schema=None) as batch_op:
        batch_op.drop_column('discount_parts')
