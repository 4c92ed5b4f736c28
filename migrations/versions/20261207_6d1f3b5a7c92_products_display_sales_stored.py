"""products.display_sales: a stored generated column instead of a virtual one

`display_sales` (sales + virtual_sales, the storefront's sort by sales) was a VIRTUAL column
with two indexes on it. MariaDB's purge has to compute an indexed virtual column again to
find the index entries of old row versions, and that path has had crash and corruption bugs
(e.g. MDEV-39261, a server that cannot start again); on this project's MariaDB 10.11 the
test suite's shop (sales updated by every paid order) twice ended with "Index for table
'products' is corrupt" on `ix_products_sales` and, the second time, a server that crashed and
could not recover without innodb_force_recovery. A STORED column is written with the row and
indexed like any other: the same values, the same indexes, none of that path. The products
table is small (thousands of rows), so its rebuild takes moments.

Revision ID: 6d1f3b5a7c92
Revises: 2a6c8e0b4d13
Create Date: 2026-12-07 16:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '6d1f3b5a7c92'
down_revision = '2a6c8e0b4d13'
branch_labels = None
depends_on = None

INDEXES = (('ix_products_sales', ['is_on_shelf', 'display_sales', 'id']),
           ('ix_products_category_sales', ['category_id', 'display_sales', 'id']))


def _display_sales(persisted: bool) -> sa.Column:
    return sa.Column('display_sales', sa.Integer(), sa.Computed('sales + virtual_sales', persisted=persisted),
                     nullable=True, comment='sales + virtual_sales, what shoppers see')


def _swap(persisted: bool) -> None:
    if op.get_bind().dialect.name == "mysql":  # one ALTER: the table rebuilt once
        kind = "STORED" if persisted else "VIRTUAL"
        drops = ", ".join(f"DROP INDEX {name}" for name, _columns in INDEXES)
        adds = ", ".join(f"ADD INDEX {name} ({', '.join(columns)})" for name, columns in INDEXES)
        op.execute(f"ALTER TABLE products {drops}, DROP COLUMN display_sales, ADD COLUMN display_sales INT "
                   f"AS (sales + virtual_sales) {kind} COMMENT 'sales + virtual_sales, what shoppers see', {adds}")
        return
    # SQLite adds only virtual generated columns in place: the table is copied into a new one
    with op.batch_alter_table('products', schema=None, recreate='always') as batch_op:
        for name, _columns in INDEXES:
            batch_op.drop_index(name)
        batch_op.drop_column('display_sales')
    with op.batch_alter_table('products', schema=None, recreate='always') as batch_op:
        batch_op.add_column(_display_sales(persisted))
        for name, columns in INDEXES:
            batch_op.create_index(name, columns, unique=False)


def upgrade():
    _swap(persisted=True)


def downgrade():
    _swap(persisted=False)
