"""shop_settings: the console's theme (light or dark) and brand colour, chosen per shop

Two short strings with server defaults on a one-row table: the existing shop keeps the look it
had (light, Bootstrap's blue) until the merchant chooses another.

Revision ID: 5b8d2e7f4a16
Revises: 6d1f3b5a7c92
Create Date: 2026-12-07 19:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5b8d2e7f4a16'
down_revision = '6d1f3b5a7c92'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shop_settings') as batch_op:
        batch_op.add_column(sa.Column('theme_mode', sa.String(length=8), server_default='light', nullable=False,
                                      comment="the console's default look: light | dark (app.shop.theme)"))
        batch_op.add_column(sa.Column('brand_colour', sa.String(length=16), server_default='blue', nullable=False,
                                      comment="the console's named brand colour (app.shop.theme.BrandColour)"))


def downgrade():
    with op.batch_alter_table('shop_settings') as batch_op:
        batch_op.drop_column('brand_colour')
        batch_op.drop_column('theme_mode')
