"""timers and journal: partial indexes on the breach timers' due time and the completed tasks' time, for the
ledelsesinformation's periods

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 18:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

_DEADLINES = "kind = 'frist'"
_COMPLETED = "action = 'opgave_udfoert'"


def upgrade() -> None:
    # A period's deadlines are a range of due times: without this, every KPI read scanned the timers of all years.
    op.create_index('ix_timers_mi', 'timers', ['due_at', 'team_id', 'deadline_id', 'status'],
                    postgresql_where=sa.text(_DEADLINES), sqlite_where=sa.text(_DEADLINES))
    op.create_index('ix_journal_completed_at', 'journal', ['at'],
                    postgresql_where=sa.text(_COMPLETED), sqlite_where=sa.text(_COMPLETED))


def downgrade() -> None:
    op.drop_index('ix_journal_completed_at', table_name='journal')
    op.drop_index('ix_timers_mi', table_name='timers')
