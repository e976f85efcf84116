"""visitation: called processes in versions, task messages, committee meetings

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 10:50:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import service.db

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('process_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('files', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True))
    with op.batch_alter_table('human_tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('process_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('message', sa.Text(), nullable=True))

    op.create_table('committee_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('committee', sa.String(length=40), nullable=False),
    sa.Column('meeting_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('held_by', sa.Integer(), nullable=True),
    sa.Column('held_at', service.db.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_committee_meetings_created_by_users')),
    sa.ForeignKeyConstraint(['held_by'], ['users.id'], name=op.f('fk_committee_meetings_held_by_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_committee_meetings_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committee_meetings'))
    )
    with op.batch_alter_table('committee_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_committee_meetings_team_id'), ['team_id'], unique=False)

    op.create_table('committee_referrals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('instance_id', sa.String(length=36), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('committee', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('referred_at', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('decision', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('decided_at', service.db.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_committee_referrals_case_id_cases')),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instances.id'],
                            name=op.f('fk_committee_referrals_instance_id_process_instances')),
    sa.ForeignKeyConstraint(['meeting_id'], ['committee_meetings.id'],
                            name=op.f('fk_committee_referrals_meeting_id_committee_meetings')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_committee_referrals_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committee_referrals'))
    )
    with op.batch_alter_table('committee_referrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_committee_referrals_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_committee_referrals_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index('ix_committee_referrals_waiting', ['team_id', 'committee', 'status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('committee_referrals', schema=None) as batch_op:
        batch_op.drop_index('ix_committee_referrals_waiting')
        batch_op.drop_index(batch_op.f('ix_committee_referrals_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_committee_referrals_case_id'))
    op.drop_table('committee_referrals')
    with op.batch_alter_table('committee_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_committee_meetings_team_id'))
    op.drop_table('committee_meetings')
    with op.batch_alter_table('human_tasks', schema=None) as batch_op:
        batch_op.drop_column('message')
        batch_op.drop_column('process_name')
    with op.batch_alter_table('process_versions', schema=None) as batch_op:
        batch_op.drop_column('files')
