"""orders keep what they earn at completion

A full-reduction tier can give points or a coupon with the order (满199送100积分); the order
records them when it is placed, and they are given when it completes and taken back when it
is refunded in full. Nullable, so adding it to a big table is instant.

Revision ID: b3d5f7a9c1e4
Revises: c0a1b2d3e4f5
Create Date: 2026-12-07 23:30:00

"""
import sqlalchemy as sa
from alembic import op


revision = 'b3d5f7a9c1e4'
down_revision = 'c0a1b2d3e4f5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'gifts', sa.JSON(), nullable=True,
            comment='earned at completion, taken back on a full refund: [{kind, points|template_id, ref, label}]'))


def downgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('gifts')
