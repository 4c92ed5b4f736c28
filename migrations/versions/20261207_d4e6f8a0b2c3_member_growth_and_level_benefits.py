"""member growth and level benefits

Growth (成长值) replaces cumulative spend as what reaches a member level: wallets get a
growth figure backed by the new growth_entries ledger, levels a growth threshold (NULL: a
level the merchant gives by hand) and their benefits (points multiplier, free delivery, a
monthly coupon template), and level changes are logged. An existing spend threshold becomes
a growth threshold of one growth per yuan (the default rule), so the levels keep their
order; the spend threshold is dropped (no flow ever kept the spend it was compared with).

Revision ID: d4e6f8a0b2c3
Revises: b3d5f7a9c1e4
Create Date: 2026-12-07 23:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = 'd4e6f8a0b2c3'
down_revision = 'b3d5f7a9c1e4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('member_levels', schema=None) as batch_op:
        batch_op.add_column(sa.Column('growth_threshold', sa.Integer(), nullable=True,
                                      comment='growth that reaches this level automatically; NULL: given by the merchant only'))
        batch_op.add_column(sa.Column('points_multiplier_bp', sa.Integer(), nullable=False, server_default='10000',
                                      comment='points earned × this / 10000: 15000 = 1.5倍积分'))
        batch_op.add_column(sa.Column('free_shipping', sa.Boolean(), nullable=False, server_default=sa.false(),
                                      comment="delivery is free for this level's orders"))
        batch_op.add_column(sa.Column('monthly_coupon_template_id', sa.Integer(), nullable=True,
                                      comment='a coupon template given each month (no foreign key until coupons are merged)'))
    op.execute("UPDATE member_levels SET growth_threshold = (threshold_fen - threshold_fen % 100) / 100")
    with op.batch_alter_table('member_levels', schema=None) as batch_op:
        batch_op.alter_column('points_multiplier_bp', server_default=None)
        batch_op.alter_column('free_shipping', server_default=None)
        batch_op.drop_column('threshold_fen')

    with op.batch_alter_table('wallets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('growth', sa.Integer(), nullable=False, server_default='0',
                                      comment='成长值: the sum of growth_entries (flask members verify)'))
    with op.batch_alter_table('wallets', schema=None) as batch_op:
        batch_op.alter_column('growth', server_default=None)

    op.create_table('growth_entries',
    sa.Column('delta', sa.Integer(), nullable=False),
    sa.Column('growth_after', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True, comment='the order it was earned on or clawed back from'),
    sa.Column('basis_fen', sa.Integer(), nullable=False, comment='goods fen it counts: paid (order), refunded (refund)'),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False, comment='admin_adjust, order_pay, refund, …'),
    sa.Column('ref', sa.String(length=64), nullable=False, comment='what caused it; unique per kind, so a replay cannot apply twice'),
    sa.Column('reason', sa.String(length=255), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_accounts.id'], name=op.f('fk_growth_entries_staff_id_staff_accounts')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_growth_entries_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_growth_entries')),
    sa.UniqueConstraint('kind', 'ref', name='uq_growth_entries_kind_ref')
    )
    with op.batch_alter_table('growth_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_growth_entries_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_growth_entries_user_id'), ['user_id'], unique=False)

    op.create_table('growth_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('per_yuan', sa.Integer(), nullable=False, comment='growth per whole yuan paid for goods, at completion'),
    sa.Column('per_sign_in', sa.Integer(), nullable=False, comment='growth per daily sign-in'),
    sa.Column('yearly_downgrade', sa.Boolean(), nullable=False, comment='re-evaluate levels at each Beijing year start'),
    sa.Column('review_year', sa.Integer(), nullable=False, comment='the year whose review is running or done'),
    sa.Column('review_after_user_id', sa.Integer(), nullable=False, comment="the review's keyset cursor over wallets"),
    sa.Column('review_done', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_growth_settings'))
    )

    op.create_table('member_level_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('from_level_id', sa.Integer(), nullable=True),
    sa.Column('to_level_id', sa.Integer(), nullable=True),
    sa.Column('from_name', sa.String(length=32), nullable=False, comment='as it was named then'),
    sa.Column('to_name', sa.String(length=32), nullable=False),
    sa.Column('cause', sa.String(length=16), nullable=False, comment='growth | yearly_review | merchant'),
    sa.Column('growth', sa.Integer(), nullable=False, comment="the shopper's growth at the change"),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['from_level_id'], ['member_levels.id'], name=op.f('fk_member_level_changes_from_level_id_member_levels'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['to_level_id'], ['member_levels.id'], name=op.f('fk_member_level_changes_to_level_id_member_levels'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_accounts.id'], name=op.f('fk_member_level_changes_staff_id_staff_accounts')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_member_level_changes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_level_changes'))
    )
    with op.batch_alter_table('member_level_changes', schema=None) as batch_op:
        batch_op.create_index('ix_member_level_changes_user_id_id', ['user_id', 'id'], unique=False)


def downgrade():
    op.drop_table('member_level_changes')
    op.drop_table('growth_settings')
    op.drop_table('growth_entries')
    with op.batch_alter_table('wallets', schema=None) as batch_op:
        batch_op.drop_column('growth')
    with op.batch_alter_table('member_levels', schema=None) as batch_op:
        batch_op.add_column(sa.Column('threshold_fen', sa.Integer(), nullable=False, server_default='0',
                                      comment='cumulative paid spend that reaches this level'))
    op.execute("UPDATE member_levels SET threshold_fen = COALESCE(growth_threshold, 0) * 100")
    with op.batch_alter_table('member_levels', schema=None) as batch_op:
        batch_op.alter_column('threshold_fen', server_default=None)
        batch_op.drop_column('monthly_coupon_template_id')
        batch_op.drop_column('free_shipping')
        batch_op.drop_column('points_multiplier_bp')
        batch_op.drop_column('growth_threshold')
