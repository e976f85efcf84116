"""inbox and case list at volume: indexes for open tasks and deadlines, the akut marker, saved views

Revision ID: 0015
Revises: 0011
Create Date: 2026-12-03 10:00:00
"""
import json

import sqlalchemy as sa
from alembic import op

import service.db

revision = '0015'
down_revision = '0011'
branch_labels = None
depends_on = None

_OPEN_DEADLINE = "kind = 'frist' AND status IN ('aaben', 'udloest')"


def upgrade() -> None:
    with op.batch_alter_table('cases') as batch:
        batch.add_column(sa.Column('akut', sa.Boolean(), server_default=sa.text('false'), nullable=False))
    op.create_index('ix_cases_team_status_opened', 'cases', ['team_id', 'status', 'opened_at'])
    op.create_index('ix_human_tasks_open_team', 'human_tasks', ['team_id', 'role', 'claimed_by', 'created_at'],
                    postgresql_where=sa.text("status = 'aaben'"), sqlite_where=sa.text("status = 'aaben'"))
    op.create_index('ix_timers_task_deadline', 'timers', ['instance_id', 'guards', 'due_at'],
                    postgresql_where=sa.text(_OPEN_DEADLINE), sqlite_where=sa.text(_OPEN_DEADLINE))
    op.create_index('ix_timers_case_deadline', 'timers', ['case_id', 'due_at'],
                    postgresql_where=sa.text(_OPEN_DEADLINE), sqlite_where=sa.text(_OPEN_DEADLINE))
    op.create_table('visninger',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('liste', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('filter', sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('created_at', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_visninger_owner_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_visninger_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visninger')),
    sa.UniqueConstraint('owner_id', 'liste', 'name', name=op.f('uq_visninger_owner_id'))
    )
    op.create_index('ix_visninger_team', 'visninger', ['team_id', 'shared'])
    _backfill_akut()


def _backfill_akut() -> None:
    """The marker follows the latest 24-hour assessment already done on each case (from the journal)."""
    conn = op.get_bind()
    latest: dict[str, bool] = {}
    for case_id, data in conn.execute(sa.text(
            "SELECT case_id, data FROM journal WHERE action = 'opgave_udfoert' ORDER BY at, id")):
        doc = json.loads(data) if isinstance(data, str) else (data or {})
        if doc.get("form") in ("vurdering_24t", "vurdering_ny_underretning"):
            latest[case_id] = bool((doc.get("data") or {}).get("akut"))
    for case_id in [c for c, akut in latest.items() if akut]:
        conn.execute(sa.text("UPDATE cases SET akut = true WHERE id = :id"), {"id": case_id})


def downgrade() -> None:
    op.drop_index('ix_visninger_team', table_name='visninger')
    op.drop_table('visninger')
    op.drop_index('ix_timers_case_deadline', table_name='timers')
    op.drop_index('ix_timers_task_deadline', table_name='timers')
    op.drop_index('ix_human_tasks_open_team', table_name='human_tasks')
    op.drop_index('ix_cases_team_status_opened', table_name='cases')
    with op.batch_alter_table('cases') as batch:
        batch.drop_column('akut')
