"""media library: folders, pictures and which records use them

The console's 图片空间: media_files are re-encoded uploads with their thumbnail and web size,
media_usages the picture URLs products and categories show (kept by their save functions),
read by exact URL so "used by N" and the delete check stay cheap. Pictures typed as URLs
before this stay as they are; a product's usages are recorded on its next save.

Revision ID: 94b5a8baaabb
Revises: 5b8d2e7f4a16
Create Date: 2026-12-07 18:51:31.979286

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '94b5a8baaabb'
down_revision = '5b8d2e7f4a16'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('media_folders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False, comment='larger shows first'),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['media_folders.id'], name=op.f('fk_media_folders_parent_id_media_folders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_folders'))
    )
    with op.batch_alter_table('media_folders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_folders_parent_id'), ['parent_id'], unique=False)

    op.create_table('media_usages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=512), nullable=False),
    sa.Column('owner_type', sa.String(length=16), nullable=False, comment='product | category …'),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('owner_label', sa.String(length=120), nullable=False, comment="the owner's title when it was saved, for the console"),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_usages'))
    )
    with op.batch_alter_table('media_usages', schema=None) as batch_op:
        batch_op.create_index('ix_media_usages_owner', ['owner_type', 'owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_media_usages_url'), ['url'], unique=False)

    op.create_table('media_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('folder_id', sa.Integer(), nullable=True, comment='none: 未分组'),
    sa.Column('name', sa.String(length=100), nullable=False, comment='shown and searched; the merchant renames it'),
    sa.Column('original_name', sa.String(length=255), nullable=False, comment='as uploaded, sanitised; never part of a storage key'),
    sa.Column('storage_key', sa.String(length=255), nullable=False),
    sa.Column('url', sa.String(length=512), nullable=False, comment='the re-encoded full size'),
    sa.Column('web_url', sa.String(length=512), nullable=False, comment='at most 1080 px wide: what forms store'),
    sa.Column('thumb_url', sa.String(length=512), nullable=False),
    sa.Column('mime', sa.String(length=32), nullable=False),
    sa.Column('bytes', sa.Integer(), nullable=False, comment='of the re-encoded full size'),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False, comment='of the uploaded bytes'),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['folder_id'], ['media_folders.id'], name=op.f('fk_media_files_folder_id_media_folders')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['staff_accounts.id'], name=op.f('fk_media_files_uploaded_by_id_staff_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_files')),
    sa.UniqueConstraint('sha256', name=op.f('uq_media_files_sha256')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_media_files_storage_key'))
    )
    with op.batch_alter_table('media_files', schema=None) as batch_op:
        batch_op.create_index('ix_media_files_folder', ['folder_id', 'id'], unique=False)
        batch_op.create_index('ix_media_files_name', ['name'], unique=False)



def downgrade():
    with op.batch_alter_table('media_files', schema=None) as batch_op:
        batch_op.drop_index('ix_media_files_name')
        batch_op.drop_index('ix_media_files_folder')

    op.drop_table('media_files')
    with op.batch_alter_table('media_usages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_usages_url'))
        batch_op.drop_index('ix_media_usages_owner')

    op.drop_table('media_usages')
    with op.batch_alter_table('media_folders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_folders_parent_id'))

    op.drop_table('media_folders')
