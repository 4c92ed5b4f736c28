"""referral bindings keep their grand referrer: the level-2 team down an index

An agent's level-2 team (shoppers bound to those they brought in) was a join of the bindings
to themselves, sorted whole: for an agent with 58k direct shoppers the plan read every
binding and sorted 15k (≈0.5 s). Each binding now keeps its referrer's referrer
(`grand_referrer_user_id`, set by every bind; the people a moved shopper brought in are
relinked with them), so the team is a range of (grand_referrer_user_id, bound_at), newest
first, stopped at the page.

The column is appended instantly and filled from the bindings (a plain read on MariaDB: READ
COMMITTED, no locks on the rows it reads), then indexed in place without a lock
(app/core/online_ddl.py).

Revision ID: c3d5f7a9b1e2
Revises: b7e4a1c9d302
Create Date: 2026-12-07 07:00:00

"""
import sqlalchemy as sa
from alembic import op

from app.core import online_ddl

# revision identifiers, used by Alembic.
revision = 'c3d5f7a9b1e2'
down_revision = 'b7e4a1c9d302'
branch_labels = None
depends_on = None


def upgrade():
    online_ddl.add_column('referral_bindings', sa.Column(
        'grand_referrer_user_id', sa.Integer(), nullable=True,
        comment="the referrer's referrer (level 2 up), kept by every bind; none for a root's team"))
    if op.get_bind().dialect.name == 'mysql':
        op.execute('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED')
        op.execute('UPDATE referral_bindings b JOIN referral_bindings u ON u.user_id = b.referrer_user_id '
                   'SET b.grand_referrer_user_id = u.referrer_user_id')
        op.execute('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ')
    else:
        op.execute('UPDATE referral_bindings SET grand_referrer_user_id = (SELECT u.referrer_user_id '
                   'FROM referral_bindings u WHERE u.user_id = referral_bindings.referrer_user_id)')
    online_ddl.add_index('referral_bindings', 'ix_referral_bindings_grand_referrer_user_id_bound_at',
                         ['grand_referrer_user_id', 'bound_at'])


def downgrade():
    online_ddl.drop_index('referral_bindings', 'ix_referral_bindings_grand_referrer_user_id_bound_at')
    with op.batch_alter_table('referral_bindings') as batch_op:
        batch_op.drop_column('grand_referrer_user_id')
