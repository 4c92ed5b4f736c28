"""full-reduction activities (满减 / 满折 / 满包邮) and their tiers

Two new, small tables: a shop runs tens of activities. The scope's product or category ids
sit in a JSON list on the activity (read whole into each worker's cache); a tier's gift coupon
template is a plain integer until the coupon tables exist.

Revision ID: a7c9e1b3d5f0
Revises: f2a4c6e8b0d1
Create Date: 2026-12-07 22:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'a7c9e1b3d5f0'
down_revision = 'f2a4c6e8b0d1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('full_reduction_activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False, comment='UTC'),
    sa.Column('ends_at', sa.DateTime(), nullable=False, comment='UTC, exclusive'),
    sa.Column('is_enabled', sa.Boolean(), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False, comment='all | products | categories | except_products'),
    sa.Column('scope_ids', sa.JSON(), nullable=False, comment='product or category ids the scope names'),
    sa.Column('basis', sa.String(length=8), nullable=False, comment='amount | count'),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_full_reduction_activities_window_not_empty')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_full_reduction_activities'))
    )
    with op.batch_alter_table('full_reduction_activities', schema=None) as batch_op:
        batch_op.create_index('ix_full_reduction_activities_enabled_ends', ['is_enabled', 'ends_at'], unique=False)

    op.create_table('full_reduction_tiers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False, comment='fen (basis amount) or pieces (count)'),
    sa.Column('off_fen', sa.Integer(), nullable=False, comment='满减: amount off'),
    sa.Column('pay_rate_bp', sa.Integer(), nullable=False,
              comment='满折: what is paid, 8000 = 8折; 10000 = no rate off'),
    sa.Column('free_shipping', sa.Boolean(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False, comment='points given at completion'),
    sa.Column('gift_coupon_template_id', sa.Integer(), nullable=True, comment='coupon template given (no FK yet)'),
    sa.CheckConstraint('off_fen = 0 OR pay_rate_bp = 10000', name=op.f('ck_full_reduction_tiers_amount_or_rate_off')),
    sa.CheckConstraint('off_fen >= 0 AND points >= 0', name=op.f('ck_full_reduction_tiers_rewards_not_negative')),
    sa.CheckConstraint('pay_rate_bp >= 0 AND pay_rate_bp <= 10000',
                       name=op.f('ck_full_reduction_tiers_pay_rate_in_range')),
    sa.CheckConstraint('threshold >= 1', name=op.f('ck_full_reduction_tiers_threshold_positive')),
    sa.ForeignKeyConstraint(['activity_id'], ['full_reduction_activities.id'],
                            name=op.f('fk_full_reduction_tiers_activity_id_full_reduction_activities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_full_reduction_tiers'))
    )
    with op.batch_alter_table('full_reduction_tiers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_full_reduction_tiers_activity_id'), ['activity_id'], unique=False)



def downgrade():
    with op.batch_alter_table('full_reduction_tiers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_full_reduction_tiers_activity_id'))

    op.drop_table('full_reduction_tiers')
    with op.batch_alter_table('full_reduction_activities', schema=None) as batch_op:
        batch_op.drop_index('ix_full_reduction_activities_enabled_ends')

    op.drop_table('full_reduction_activities')
