"""model_drafts: the process owners' unfinished model changes, kept on the server

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 12:00:00
"""
import sqlalchemy as sa
from alembic import op

import service.db

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('model_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('base', sa.String(length=100), nullable=False),
    sa.Column('xml', sa.Text(), nullable=False),
    sa.Column('saved_at', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_model_drafts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_model_drafts')),
    sa.UniqueConstraint('user_id', 'filename', name=op.f('uq_model_drafts_user_id'))
    )


def downgrade() -> None:
    op.drop_table('model_drafts')
