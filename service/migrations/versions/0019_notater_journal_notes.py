"""notater: journal notes on a case (notatpligt); the database refuses to delete one

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 18:00:00
"""
import sqlalchemy as sa
from alembic import op

import service.db

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notater',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('dato', sa.Date(), nullable=False),
    sa.Column('tekst', sa.Text(), nullable=False),
    sa.Column('task_id', sa.String(length=36), nullable=True),
    sa.Column('retter_id', sa.String(length=36), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('changed_at', service.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_notater_case_id_cases')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_notater_created_by_users')),
    sa.ForeignKeyConstraint(['retter_id'], ['notater.id'], name=op.f('fk_notater_retter_id_notater')),
    sa.ForeignKeyConstraint(['task_id'], ['human_tasks.id'], name=op.f('fk_notater_task_id_human_tasks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notater'))
    )
    with op.batch_alter_table('notater', schema=None) as batch_op:
        batch_op.create_index('ix_notater_case_dato', ['case_id', 'dato'], unique=False)
    # A note is part of the case's record: changed by its author for 24 hours, never deleted.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION notater_no_delete() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'et notat kan ikke slettes'; END;
            $$ LANGUAGE plpgsql""")
        op.execute("CREATE TRIGGER notater_no_delete BEFORE DELETE ON notater "
                   "FOR EACH ROW EXECUTE FUNCTION notater_no_delete()")
    else:
        op.execute("CREATE TRIGGER notater_no_delete BEFORE DELETE ON notater "
                   "BEGIN SELECT RAISE(ABORT, 'et notat kan ikke slettes'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS notater_no_delete ON notater")
        op.execute("DROP FUNCTION IF EXISTS notater_no_delete()")
    with op.batch_alter_table('notater', schema=None) as batch_op:
        batch_op.drop_index('ix_notater_case_dato')
    op.drop_table('notater')
