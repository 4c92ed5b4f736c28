"""scheduled runs: which process runs a scheduled job this time (embedded mode)

Revision ID: 5c7d1e0a9b42
Revises: aec21a9393b5
Create Date: 2026-12-07 01:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c7d1e0a9b42'
down_revision = 'aec21a9393b5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('scheduled_runs',
    sa.Column('name', sa.String(length=200), nullable=False, comment='the job path, module:function'),
    sa.Column('last_run_at', sa.DateTime(), nullable=False, comment='UTC, when it was last claimed'),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_scheduled_runs'))
    )


def downgrade():
    op.drop_table('scheduled_runs')
