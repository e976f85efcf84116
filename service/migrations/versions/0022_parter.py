"""parter: the parties on a case, the young person's own consent, and each letter's recipient

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03 18:40:00
"""
import sqlalchemy as sa
from alembic import op

import service.db

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('parter',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('rolle', sa.String(length=20), nullable=False),
    sa.Column('foraeldremyndighed', sa.Boolean(), nullable=False),
    sa.Column('navn', sa.String(length=200), nullable=False),
    sa.Column('cpr', sa.String(length=10), nullable=True),
    sa.Column('adresse', sa.Text(), nullable=False),
    sa.Column('telefon', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('created_at', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('ophoert_at', service.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_parter_case_id_cases')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_parter_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parter'))
    )
    with op.batch_alter_table('parter', schema=None) as batch_op:
        batch_op.create_index('ix_parter_case_id', ['case_id'], unique=False)

    op.create_table('ung_samtykker',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('samtykke', sa.String(length=20), nullable=False),
    sa.Column('dato', sa.Date(), nullable=False),
    sa.Column('registered_at', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('registered_by', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_ung_samtykker_case_id_cases')),
    sa.ForeignKeyConstraint(['registered_by'], ['users.id'], name=op.f('fk_ung_samtykker_registered_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ung_samtykker'))
    )
    with op.batch_alter_table('ung_samtykker', schema=None) as batch_op:
        batch_op.create_index('ix_ung_samtykker_case_at', ['case_id', 'registered_at'], unique=False)

    with op.batch_alter_table('breve', schema=None) as batch_op:
        batch_op.add_column(sa.Column('part_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('modtager_navn', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('modtager_adresse', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('boernevenlig', sa.Boolean(), server_default=sa.text('false'), nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_breve_part_id_parter'), 'parter', ['part_id'], ['id'])

    # A party is part of the case's record: ended, never deleted.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION parter_no_delete() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'en part eller et samtykke kan ikke slettes'; END;
            $$ LANGUAGE plpgsql""")
        for table in ("parter", "ung_samtykker"):
            op.execute(f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION parter_no_delete()")
    else:
        for table in ("parter", "ung_samtykker"):
            op.execute(f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                       "BEGIN SELECT RAISE(ABORT, 'en part eller et samtykke kan ikke slettes'); END")


def downgrade() -> None:
    for table in ("parter", "ung_samtykker"):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete" + (f" ON {table}" if op.get_bind().dialect.name
                                                                   == "postgresql" else ""))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS parter_no_delete()")
    with op.batch_alter_table('breve', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_breve_part_id_parter'), type_='foreignkey')
        batch_op.drop_column('boernevenlig')
        batch_op.drop_column('modtager_adresse')
        batch_op.drop_column('modtager_navn')
        batch_op.drop_column('part_id')
    with op.batch_alter_table('ung_samtykker', schema=None) as batch_op:
        batch_op.drop_index('ix_ung_samtykker_case_at')
    op.drop_table('ung_samtykker')
    with op.batch_alter_table('parter', schema=None) as batch_op:
        batch_op.drop_index('ix_parter_case_id')
    op.drop_table('parter')
