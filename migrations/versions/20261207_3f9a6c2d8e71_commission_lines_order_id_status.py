"""commission lines: index (order_id, status) in place of (order_id)

Accrual copies an order's pending lines into entries (WHERE order_id = ? AND status =
'pending'). With only single-column candidates SQLite, which keeps no statistics, chose
ix_commission_lines_status_frozen_until and walked every pending line in the shop for each
paid order. The two-column index serves that query and every order_id lookup (and the
foreign key) the old one served.

On MariaDB both changes are one ALTER, in place and without a lock, so the foreign key is
never left without an index and writes go on while a big table is indexed.

Revision ID: 3f9a6c2d8e71
Revises: 5f1d0c2e7a91
Create Date: 2026-12-07 02:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3f9a6c2d8e71'
down_revision = '5f1d0c2e7a91'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'mysql':
        op.execute('ALTER TABLE commission_lines ADD INDEX ix_commission_lines_order_id_status (order_id, status), '
                   'DROP INDEX ix_commission_lines_order_id, ALGORITHM=INPLACE, LOCK=NONE')
        return
    op.create_index('ix_commission_lines_order_id_status', 'commission_lines', ['order_id', 'status'], unique=False)
    op.drop_index('ix_commission_lines_order_id', table_name='commission_lines')


def downgrade():
    if op.get_bind().dialect.name == 'mysql':
        op.execute('ALTER TABLE commission_lines ADD INDEX ix_commission_lines_order_id (order_id), '
                   'DROP INDEX ix_commission_lines_order_id_status, ALGORITHM=INPLACE, LOCK=NONE')
        return
    op.create_index('ix_commission_lines_order_id', 'commission_lines', ['order_id'], unique=False)
    op.drop_index('ix_commission_lines_order_id_status', table_name='commission_lines')
