"""binding events name the official-account scene touch they applied

Revision ID: b41c9e2d7a35
Revises: 7238637b37e8
Create Date: 2026-11-27 14:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b41c9e2d7a35'
down_revision = '7238637b37e8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('referral_binding_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('touch_id', sa.Integer(), nullable=True,
                                      comment='the official-account scene touch applied (oa_scene_touches)'))
        batch_op.create_index(batch_op.f('ix_referral_binding_events_touch_id'), ['touch_id'], unique=False)


def downgrade():
    with op.batch_alter_table('referral_binding_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_binding_events_touch_id'))
        batch_op.drop_column('touch_id')
