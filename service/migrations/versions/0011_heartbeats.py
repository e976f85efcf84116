"""heartbeats: when beat (or the embedded timer loop) last ticked, readable by every node's /metrics

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 10:00:00
"""
import sqlalchemy as sa
from alembic import op

import service.db

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('heartbeats',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('beat_at', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_heartbeats'))
    )


def downgrade() -> None:
    op.drop_table('heartbeats')
