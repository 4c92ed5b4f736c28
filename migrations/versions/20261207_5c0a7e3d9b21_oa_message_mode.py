"""official-account settings: the message mode (plain, compatible, safe)

Revision ID: 5c0a7e3d9b21
Revises: d45b7e1c2a90
Create Date: 2026-12-07 01:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c0a7e3d9b21'
down_revision = 'd45b7e1c2a90'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('oa_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_mode', sa.String(length=16), nullable=False, comment="plain | compatible | safe: WeChat's 消息加解密方式, the same as set on mp.weixin.qq.com"),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("message_mode IN ('plain', 'compatible', 'safe')", name=op.f('ck_oa_settings_message_mode')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oa_settings'))
    )


def downgrade():
    op.drop_table('oa_settings')
