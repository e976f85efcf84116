"""cases: archiving (arkiveret_at, arkiveret_af); the database refuses to delete a case or change an archived one

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03 18:40:00
"""
import sqlalchemy as sa
from alembic import op

import service.db

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

_DUE = "status = 'afsluttet' AND arkiveret_at IS NULL"


def upgrade() -> None:
    op.add_column('cases', sa.Column('arkiveret_at', service.db.UtcDateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.add_column('cases', sa.Column('arkiveret_af', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_cases_arkiveret_af_users'), 'cases', 'users', ['arkiveret_af'], ['id'])
    else:  # SQLite adds a column with its reference in place; a batch copy of the table would drop its triggers
        op.execute("ALTER TABLE cases ADD COLUMN arkiveret_af INTEGER "
                   "CONSTRAINT fk_cases_arkiveret_af_users REFERENCES users (id)")
    op.create_index('ix_cases_due_for_archive', 'cases', ['closed_at'],
                    postgresql_where=sa.text(_DUE), sqlite_where=sa.text(_DUE))
    # Nothing is hard-deleted, and an archived case is read-only: the last line of defence under the services.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION cases_kept() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'sager slettes aldrig'; END IF;
                RAISE EXCEPTION 'en arkiveret sag kan ikke ændres';
            END;
            $$ LANGUAGE plpgsql""")
        op.execute("CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases FOR EACH ROW EXECUTE FUNCTION cases_kept()")
        op.execute("CREATE TRIGGER cases_archived_read_only BEFORE UPDATE ON cases FOR EACH ROW "
                   "WHEN (OLD.arkiveret_at IS NOT NULL) EXECUTE FUNCTION cases_kept()")
    else:
        op.execute("CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases "
                   "BEGIN SELECT RAISE(ABORT, 'sager slettes aldrig'); END")
        op.execute("CREATE TRIGGER cases_archived_read_only BEFORE UPDATE ON cases WHEN OLD.arkiveret_at IS NOT NULL "
                   "BEGIN SELECT RAISE(ABORT, 'en arkiveret sag kan ikke ændres'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS cases_archived_read_only ON cases")
        op.execute("DROP TRIGGER IF EXISTS cases_no_delete ON cases")
        op.execute("DROP FUNCTION IF EXISTS cases_kept()")
    else:
        op.execute("DROP TRIGGER IF EXISTS cases_archived_read_only")
        op.execute("DROP TRIGGER IF EXISTS cases_no_delete")
    op.drop_index('ix_cases_due_for_archive', table_name='cases')
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint('fk_cases_arkiveret_af_users', 'cases', type_='foreignkey')
    op.drop_column('cases', 'arkiveret_af')  # SQLite 3.35+ drops a column its reference is on
    op.drop_column('cases', 'arkiveret_at')
