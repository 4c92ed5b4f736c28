"""sold-out products stay on shelf by default

A sold-out product now shows on the storefront as sold out (已售罄) unless the merchant asks
for it to be taken off shelf; new shops start with the setting off. Existing shops keep the
value they have: it is the merchant's setting.

Revision ID: 5f1d0c2e7a91
Revises: 5c0a7e3d9b21
Create Date: 2026-12-07 01:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5f1d0c2e7a91'
down_revision = '5c0a7e3d9b21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shop_settings', schema=None) as batch_op:
        batch_op.alter_column('auto_off_shelf_when_sold_out', existing_type=sa.Boolean(), existing_nullable=False,
                              server_default='0',
                              existing_comment='take a product off shelf when its total stock reaches 0')


def downgrade():
    with op.batch_alter_table('shop_settings', schema=None) as batch_op:
        batch_op.alter_column('auto_off_shelf_when_sold_out', existing_type=sa.Boolean(), existing_nullable=False,
                              server_default='1',
                              existing_comment='take a product off shelf when its total stock reaches 0')
