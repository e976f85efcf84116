"""dokumenter: files added to a case (the bytes in the document store); the database refuses to delete a row

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 18:10:00
"""
import sqlalchemy as sa
from alembic import op

import service.db

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'dokumenter',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('case_id', sa.String(length=36), nullable=False),
        sa.Column('filnavn', sa.String(length=255), nullable=False),
        sa.Column('indholdstype', sa.String(length=100), nullable=False),
        sa.Column('stoerrelse', sa.BigInteger(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('lager', sa.String(length=10), nullable=False),
        sa.Column('noegle', sa.String(length=200), nullable=False),
        sa.Column('created_at', service.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_dokumenter_case_id_cases')),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_dokumenter_created_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dokumenter')),
        sa.UniqueConstraint('noegle', name=op.f('uq_dokumenter_noegle')),
    )
    op.create_index('ix_dokumenter_case_created', 'dokumenter', ['case_id', 'created_at'])
    # Nothing is hard-deleted, and a deleted row would leave its file unnamed in the store.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION dokumenter_no_delete() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'dokumenter slettes aldrig'; END;
            $$ LANGUAGE plpgsql""")
        op.execute("CREATE TRIGGER dokumenter_no_delete BEFORE DELETE ON dokumenter "
                   "FOR EACH ROW EXECUTE FUNCTION dokumenter_no_delete()")
    else:
        op.execute("CREATE TRIGGER dokumenter_no_delete BEFORE DELETE ON dokumenter "
                   "BEGIN SELECT RAISE(ABORT, 'dokumenter slettes aldrig'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS dokumenter_no_delete ON dokumenter")
        op.execute("DROP FUNCTION IF EXISTS dokumenter_no_delete()")
    op.drop_index('ix_dokumenter_case_created', table_name='dokumenter')
    op.drop_table('dokumenter')
