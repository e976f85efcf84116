"""ledelsestilsyn: monthly random case per caseworker

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 09:10:00
"""
import sqlalchemy as sa
from alembic import op

import service.db

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ledelsestilsyn',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('maaned', sa.Date(), nullable=False),
    sa.Column('raadgiver_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('udtrukket_at', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('udtrukket_af', sa.Integer(), nullable=False),
    sa.Column('gennemgaaet_at', service.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('gennemgaaet_af', sa.Integer(), nullable=True),
    sa.Column('bemaerkning', sa.Text(), nullable=True),
    sa.Column('maerke', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_ledelsestilsyn_case_id_cases')),
    sa.ForeignKeyConstraint(['gennemgaaet_af'], ['users.id'], name=op.f('fk_ledelsestilsyn_gennemgaaet_af_users')),
    sa.ForeignKeyConstraint(['raadgiver_id'], ['users.id'], name=op.f('fk_ledelsestilsyn_raadgiver_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_ledelsestilsyn_team_id_teams')),
    sa.ForeignKeyConstraint(['udtrukket_af'], ['users.id'], name=op.f('fk_ledelsestilsyn_udtrukket_af_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledelsestilsyn')),
    sa.UniqueConstraint('team_id', 'maaned', 'raadgiver_id', name=op.f('uq_ledelsestilsyn_team_id'))
    )


def downgrade() -> None:
    op.drop_table('ledelsestilsyn')
