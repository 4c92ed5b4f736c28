"""commission lines: the agent's lines by order with their amount (a covering index)

The agent centre's commission list and promotion orders read an agent's lines down
(beneficiary_user_id, order_id) and keep the paying ones (amount_fen > 0). The pager's capped
count reads up to 10,001 of them, and with the amount only in the row that was 10,001 primary-key
lookups per request for the biggest agents (200–330 ms at p95 under load). The index now holds
the amount (after the id, so its order is still order_id, id — the lists' order): the count is
read from the index alone. Added before the old one is dropped, both in place without a lock
(app.core.online_ddl), so the foreign key on beneficiary_user_id always has an index.

Revision ID: 2a6c8e0b4d13
Revises: 8e4b2f6a1c35
Create Date: 2026-12-07 16:00:00

"""
from app.core import online_ddl

# revision identifiers, used by Alembic.
revision = '2a6c8e0b4d13'
down_revision = '8e4b2f6a1c35'
branch_labels = None
depends_on = None

OLD = ('ix_commission_lines_beneficiary_user_id_order_id', ['beneficiary_user_id', 'order_id'])
NEW = ('ix_commission_lines_beneficiary_order_amount', ['beneficiary_user_id', 'order_id', 'id', 'amount_fen'])


def upgrade():
    online_ddl.add_index('commission_lines', *NEW)
    online_ddl.drop_index('commission_lines', OLD[0])


def downgrade():
    online_ddl.add_index('commission_lines', *OLD)
    online_ddl.drop_index('commission_lines', NEW[0])
