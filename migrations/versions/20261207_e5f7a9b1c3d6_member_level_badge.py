"""member levels have a badge picture

Chosen from the media library on the level form (counted as used there), shown on the
shopper's level card.

Revision ID: e5f7a9b1c3d6
Revises: d4e6f8a0b2c3
Create Date: 2026-12-07 23:50:00

"""
import sqlalchemy as sa
from alembic import op


revision = 'e5f7a9b1c3d6'
down_revision = 'd4e6f8a0b2c3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('member_levels', schema=None) as batch_op:
        batch_op.add_column(sa.Column('badge_url', sa.String(length=512), server_default='', nullable=False,
                                      comment="the level's badge picture, from the media library"))


def downgrade():
    with op.batch_alter_table('member_levels', schema=None) as batch_op:
        batch_op.drop_column('badge_url')
