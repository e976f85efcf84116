"""timers.guards_task_id and human_tasks.scope_id: a deadline is matched to the very task round it covers, and may
cover several tasks (a subprocess with the deadline on its border, e.g. the § 20 decision and the investigation)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03 21:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

_IN_PLAY = "kind = 'frist' AND status IN ('aaben', 'udloest')"


def upgrade() -> None:
    op.add_column('human_tasks', sa.Column('scope_id', sa.String(length=36), nullable=True))
    op.add_column('timers', sa.Column('guards_task_id', sa.String(length=36), nullable=True))
    # Until now a task was its own scope, and a deadline belonged to the newest round of its task created up to it
    # (the rule the queries used); both are written down once here.
    op.execute("UPDATE human_tasks SET scope_id = id")
    op.execute("""
        UPDATE timers SET guards_task_id = (
            SELECT t.id FROM human_tasks t
            WHERE t.instance_id = timers.instance_id AND t.bpmn_id = timers.guards AND t.created_at <= timers.created_at
            ORDER BY t.created_at DESC LIMIT 1)
        WHERE guards IS NOT NULL""")
    op.create_index('ix_human_tasks_scope_id', 'human_tasks', ['scope_id'])
    op.drop_index('ix_timers_task_deadline', table_name='timers')
    op.create_index('ix_timers_task_deadline', 'timers', ['guards_task_id', 'due_at'],
                    postgresql_where=sa.text(_IN_PLAY), sqlite_where=sa.text(_IN_PLAY))


def downgrade() -> None:
    op.drop_index('ix_timers_task_deadline', table_name='timers')
    op.create_index('ix_timers_task_deadline', 'timers', ['instance_id', 'guards', 'due_at'],
                    postgresql_where=sa.text(_IN_PLAY), sqlite_where=sa.text(_IN_PLAY))
    op.drop_index('ix_human_tasks_scope_id', table_name='human_tasks')
    with op.batch_alter_table('timers') as batch:
        batch.drop_column('guards_task_id')
    with op.batch_alter_table('human_tasks') as batch:
        batch.drop_column('scope_id')
