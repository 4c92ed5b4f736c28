"""agent rollups, and the indexes the agent centre's lists read

`agent_rollups`: per agent and Beijing day, week and month, the commission of the lines
created in it (accrued, cancelled, clawed back, by status, net) and the shoppers newly bound
— filled here from the lines and binding events (a plain read on MariaDB: READ COMMITTED, so
it takes no locks on the lines while it copies), kept by the ledger from now on.

Indexes, each added in place without a lock (app/core/online_ddl.py) before the one it
replaces is dropped, so the foreign keys always keep an index:
- commission_lines (beneficiary_user_id, order_id): an agent's lines newest order first and
  their orders grouped in that order (commissions, promotion orders), read down the index;
- commission_lines (beneficiary_user_id, status, order_id) in place of (beneficiary_user_id,
  status): the same with a status filter;
- referral_bindings (referrer_user_id, bound_at) in place of (referrer_user_id): a team
  newest first;
- agents (status): the console's agents by status;
- users (nickname): the console's agents found by the start of a nickname.

Revision ID: b7e4a1c9d302
Revises: 3f9a6c2d8e71
Create Date: 2026-12-07 06:00:00

"""
import sqlalchemy as sa
from alembic import op

from app.core import online_ddl

# revision identifiers, used by Alembic.
revision = 'b7e4a1c9d302'
down_revision = '3f9a6c2d8e71'
branch_labels = None
depends_on = None

FIGURES = ('accrued_fen', 'cancelled_fen', 'clawed_back_fen', 'pending_fen', 'frozen_fen', 'available_fen',
           'net_fen', 'invites')


def _fill(mysql: bool) -> None:
    """Day rows from the lines and binding events; weeks and months from the days."""
    day = ("DATE(DATE_ADD({}, INTERVAL 8 HOUR))" if mysql else "date({}, '+8 hours')").format
    week = ("DATE_SUB(start_day, INTERVAL WEEKDAY(start_day) DAY)" if mysql
            else "date(start_day, '-6 days', 'weekday 1')")
    month = ("DATE_SUB(start_day, INTERVAL DAYOFMONTH(start_day) - 1 DAY)" if mysql
             else "date(start_day, 'start of month')")
    net = 'amount_fen - cancelled_fen - clawed_back_fen'
    columns = ', '.join(('user_id', 'span', 'start_day', *FIGURES))
    sums = ', '.join(f'SUM({figure})' for figure in FIGURES)
    op.execute(
        f"INSERT INTO agent_rollups ({columns}) SELECT user_id, 'day', start_day, {sums} FROM ("
        f"SELECT beneficiary_user_id AS user_id, {day('created_at')} AS start_day, SUM(amount_fen) AS accrued_fen, "
        f"SUM(cancelled_fen) AS cancelled_fen, SUM(clawed_back_fen) AS clawed_back_fen, "
        f"SUM(CASE WHEN status = 'pending' THEN {net} ELSE 0 END) AS pending_fen, "
        f"SUM(CASE WHEN status = 'frozen' THEN {net} ELSE 0 END) AS frozen_fen, "
        f"SUM(CASE WHEN status = 'available' THEN {net} ELSE 0 END) AS available_fen, SUM({net}) AS net_fen, "
        f"0 AS invites FROM commission_lines WHERE amount_fen > 0 GROUP BY beneficiary_user_id, {day('created_at')} "
        f"UNION ALL SELECT referrer_user_id, {day('created_at')}, 0, 0, 0, 0, 0, 0, 0, COUNT(*) "
        f"FROM referral_binding_events WHERE action = 'bind' AND referrer_user_id IS NOT NULL "
        f"GROUP BY referrer_user_id, {day('created_at')}"
        f") AS source GROUP BY user_id, start_day")
    for span, start in (('week', week), ('month', month)):
        op.execute(f"INSERT INTO agent_rollups ({columns}) SELECT user_id, '{span}', {start}, {sums} "
                   f"FROM agent_rollups WHERE span = 'day' GROUP BY user_id, {start}")


def upgrade():
    op.create_table(
        'agent_rollups',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('span', sa.String(length=5), nullable=False, comment='day | week | month'),
        sa.Column('start_day', sa.Date(), nullable=False, comment='Beijing calendar day the span starts'),
        sa.Column('accrued_fen', sa.Integer(), nullable=False, comment="what the span's paying lines paid"),
        sa.Column('cancelled_fen', sa.Integer(), nullable=False, comment='taken back before it was available'),
        sa.Column('clawed_back_fen', sa.Integer(), nullable=False, comment='taken back after it was available'),
        sa.Column('pending_fen', sa.Integer(), nullable=False, comment='net of pending lines'),
        sa.Column('frozen_fen', sa.Integer(), nullable=False, comment='net of frozen lines'),
        sa.Column('available_fen', sa.Integer(), nullable=False, comment='net of available lines (withdrawn or not)'),
        sa.Column('net_fen', sa.Integer(), nullable=False, comment='accrued - cancelled - clawed back'),
        sa.Column('invites', sa.Integer(), nullable=False, comment='shoppers newly bound'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_agent_rollups_user_id_users')),
        sa.PrimaryKeyConstraint('user_id', 'span', 'start_day', name=op.f('pk_agent_rollups')),
    )
    op.create_index('ix_agent_rollups_span_start_day_net_fen', 'agent_rollups',
                    ['span', 'start_day', 'net_fen', 'user_id'], unique=False)
    op.create_index('ix_agent_rollups_span_start_day_invites', 'agent_rollups',
                    ['span', 'start_day', 'invites', 'user_id'], unique=False)
    mysql = op.get_bind().dialect.name == 'mysql'
    if mysql:
        op.execute('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED')
    _fill(mysql)
    if mysql:
        op.execute('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ')

    online_ddl.add_index('commission_lines', 'ix_commission_lines_beneficiary_user_id_order_id',
                         ['beneficiary_user_id', 'order_id'])
    online_ddl.add_index('commission_lines', 'ix_commission_lines_beneficiary_status_order_id',
                         ['beneficiary_user_id', 'status', 'order_id'])
    online_ddl.drop_index('commission_lines', 'ix_commission_lines_beneficiary_status')
    online_ddl.add_index('referral_bindings', 'ix_referral_bindings_referrer_user_id_bound_at',
                         ['referrer_user_id', 'bound_at'])
    online_ddl.drop_index('referral_bindings', 'ix_referral_bindings_referrer_user_id')
    online_ddl.add_index('agents', 'ix_agents_status', ['status'])
    online_ddl.add_index('users', 'ix_users_nickname', ['nickname'])


def downgrade():
    online_ddl.drop_index('users', 'ix_users_nickname')
    online_ddl.drop_index('agents', 'ix_agents_status')
    online_ddl.add_index('referral_bindings', 'ix_referral_bindings_referrer_user_id', ['referrer_user_id'])
    online_ddl.drop_index('referral_bindings', 'ix_referral_bindings_referrer_user_id_bound_at')
    online_ddl.add_index('commission_lines', 'ix_commission_lines_beneficiary_status',
                         ['beneficiary_user_id', 'status'])
    online_ddl.drop_index('commission_lines', 'ix_commission_lines_beneficiary_status_order_id')
    online_ddl.drop_index('commission_lines', 'ix_commission_lines_beneficiary_user_id_order_id')
    op.drop_index('ix_agent_rollups_span_start_day_invites', table_name='agent_rollups')
    op.drop_index('ix_agent_rollups_span_start_day_net_fen', table_name='agent_rollups')
    op.drop_table('agent_rollups')
