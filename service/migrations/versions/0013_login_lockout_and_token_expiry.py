"""login lock-out after repeated wrong passwords, and bearer tokens that expire

Revision ID: 0013
Revises: 0008
Create Date: 2026-12-03 09:30:00
"""
import sqlalchemy as sa
from alembic import op

import service.db

revision = '0013'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        batch.add_column(sa.Column('locked_at', service.db.UtcDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('api_tokens') as batch:
        batch.add_column(sa.Column('expires_at', service.db.UtcDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('api_tokens') as batch:
        batch.drop_column('expires_at')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('locked_at')
        batch.drop_column('failed_logins')
