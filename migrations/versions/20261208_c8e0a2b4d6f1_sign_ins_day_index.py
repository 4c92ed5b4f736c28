"""sign-ins: index (day, id) for the console's sign-in list by day and its export

The list and its export are filtered by a range of Beijing days and read newest first; the
unique (user_id, day) serves one member's sign-ins but not a day across every shopper.

Revision ID: c8e0a2b4d6f1
Revises: e5f7a9b1c3d6
Create Date: 2026-12-08 02:00:00

"""
from app.core import online_ddl

revision = 'c8e0a2b4d6f1'
down_revision = 'e5f7a9b1c3d6'
branch_labels = None
depends_on = None


def upgrade():
    online_ddl.add_index('sign_ins', 'ix_sign_ins_day_id', ['day', 'id'])


def downgrade():
    online_ddl.drop_index('sign_ins', 'ix_sign_ins_day_id')
