"""oekonomi: units and frequency on the individual contract, payments, payment imports and budgets

Revision ID: 0027
Revises: 0024
Create Date: 2026-12-03 21:20:00
"""
import sqlalchemy as sa
from alembic import op

import service.db

revision = '0027'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('individuelle_kontrakter', sa.Column('antal_enheder', sa.Numeric(precision=10, scale=2),
                                                       nullable=True))
    op.add_column('individuelle_kontrakter', sa.Column('enheder_pr', sa.String(length=10), nullable=True))
    op.create_table('betalingsimporter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filnavn', sa.String(length=300), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('linjer', sa.Integer(), nullable=False),
    sa.Column('nye', sa.Integer(), nullable=False),
    sa.Column('kendte', sa.Integer(), nullable=False),
    sa.Column('indlaest', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('indlaest_af', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['indlaest_af'], ['users.id'], name=op.f('fk_betalingsimporter_indlaest_af_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_betalingsimporter'))
    )
    op.create_table('betalinger',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('kontrakt_id', sa.String(length=36), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('indsats_id', sa.Integer(), nullable=False),
    sa.Column('betalingsdato', sa.Date(), nullable=False),
    sa.Column('beloeb_oere', sa.BigInteger(), nullable=False),
    sa.Column('tekst', sa.Text(), nullable=True),
    sa.Column('kilde', sa.String(length=10), nullable=False),
    sa.Column('ekstern_id', sa.String(length=64), nullable=True),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('oprettet', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('oprettet_af', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_betalinger_case_id_cases')),
    sa.ForeignKeyConstraint(['import_id'], ['betalingsimporter.id'],
                            name=op.f('fk_betalinger_import_id_betalingsimporter')),
    sa.ForeignKeyConstraint(['indsats_id'], ['indsatser.id'], name=op.f('fk_betalinger_indsats_id_indsatser')),
    sa.ForeignKeyConstraint(['kontrakt_id'], ['individuelle_kontrakter.id'],
                            name=op.f('fk_betalinger_kontrakt_id_individuelle_kontrakter')),
    sa.ForeignKeyConstraint(['oprettet_af'], ['users.id'], name=op.f('fk_betalinger_oprettet_af_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_betalinger_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_betalinger')),
    sa.UniqueConstraint('ekstern_id', name=op.f('uq_betalinger_ekstern_id'))
    )
    with op.batch_alter_table('betalinger', schema=None) as batch_op:
        batch_op.create_index('ix_betalinger_case_id', ['case_id'], unique=False)
        batch_op.create_index('ix_betalinger_kontrakt_id', ['kontrakt_id'], unique=False)
        batch_op.create_index('ix_betalinger_betalingsdato', ['betalingsdato'], unique=False)
    op.create_table('budgetter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('aar', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('indsats_id', sa.Integer(), nullable=False),
    sa.Column('beloeb_oere', sa.BigInteger(), nullable=False),
    sa.Column('aendret', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('aendret_af', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['aendret_af'], ['users.id'], name=op.f('fk_budgetter_aendret_af_users')),
    sa.ForeignKeyConstraint(['indsats_id'], ['indsatser.id'], name=op.f('fk_budgetter_indsats_id_indsatser')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_budgetter_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budgetter')),
    sa.UniqueConstraint('aar', 'team_id', 'indsats_id', name='uq_budgetter_aar_team_indsats')
    )
    with op.batch_alter_table('budgetter', schema=None) as batch_op:
        batch_op.create_index('ix_budgetter_team_id', ['team_id'], unique=False)


def downgrade() -> None:
    op.drop_table('budgetter')
    op.drop_table('betalinger')
    op.drop_table('betalingsimporter')
    with op.batch_alter_table('individuelle_kontrakter', schema=None) as batch_op:
        batch_op.drop_column('enheder_pr')
        batch_op.drop_column('antal_enheder')
