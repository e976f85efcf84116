"""duty rota (vagtplan)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 10:29:13.257538
"""
import sqlalchemy as sa
from alembic import op

import service.db

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('vagter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_vagter_created_by_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_vagter_team_id_teams')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_vagter_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vagter'))
    )
    with op.batch_alter_table('vagter', schema=None) as batch_op:
        batch_op.create_index('ix_vagter_team_period', ['team_id', 'starts_at', 'ends_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('vagter', schema=None) as batch_op:
        batch_op.drop_index('ix_vagter_team_period')

    op.drop_table('vagter')
