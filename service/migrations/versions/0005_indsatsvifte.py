"""indsatsvifte: measures, providers, standard and individual contracts; letters

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 10:23:56.349425
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import service.db

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('indsatser',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kode', sa.String(length=40), nullable=False),
    sa.Column('navn', sa.String(length=200), nullable=False),
    sa.Column('maalgruppe', sa.Text(), nullable=False),
    sa.Column('formaal', sa.Text(), nullable=False),
    sa.Column('indhold', sa.Text(), nullable=False),
    sa.Column('lovgrundlag', sa.String(length=300), nullable=False),
    sa.Column('omfang', sa.Text(), nullable=False),
    sa.Column('hyppighed', sa.String(length=300), nullable=False),
    sa.Column('varighed', sa.String(length=300), nullable=False),
    sa.Column('opfoelgning', sa.Text(), nullable=False),
    sa.Column('revisionsinterval_maaneder', sa.Integer(), nullable=False),
    sa.Column('samarbejdspartnere', sa.Text(), nullable=True),
    sa.Column('leverandoerkrav', sa.Text(), nullable=False),
    sa.Column('pris', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('prisenhed', sa.String(length=20), nullable=True),
    sa.Column('aktiv', sa.Boolean(), nullable=False),
    sa.Column('oprettet', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('aendret', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indsatser')),
    sa.UniqueConstraint('kode', name=op.f('uq_indsatser_kode')),
    sa.UniqueConstraint('navn', name=op.f('uq_indsatser_navn'))
    )
    op.create_table('leverandoerer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kode', sa.String(length=40), nullable=False),
    sa.Column('navn', sa.String(length=200), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('cvr', sa.String(length=8), nullable=True),
    sa.Column('adresse', sa.String(length=300), nullable=True),
    sa.Column('kontaktperson', sa.String(length=200), nullable=True),
    sa.Column('telefon', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('aktiv', sa.Boolean(), nullable=False),
    sa.Column('oprettet', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leverandoerer')),
    sa.UniqueConstraint('kode', name=op.f('uq_leverandoerer_kode')),
    sa.UniqueConstraint('navn', name=op.f('uq_leverandoerer_navn'))
    )
    op.create_table('standardkontrakter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indsats_id', sa.Integer(), nullable=False),
    sa.Column('leverandoer_id', sa.Integer(), nullable=False),
    sa.Column('gyldig_fra', sa.Date(), nullable=False),
    sa.Column('gyldig_til', sa.Date(), nullable=True),
    sa.Column('pris', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('prisenhed', sa.String(length=20), nullable=False),
    sa.Column('betalingsbetingelser', sa.Text(), nullable=False),
    sa.Column('samarbejdsbetingelser', sa.Text(), nullable=True),
    sa.Column('opfoelgning', sa.Text(), nullable=False),
    sa.Column('opsigelse', sa.Text(), nullable=True),
    sa.Column('oprettet', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['indsats_id'], ['indsatser.id'], name=op.f('fk_standardkontrakter_indsats_id_indsatser')),
    sa.ForeignKeyConstraint(['leverandoer_id'], ['leverandoerer.id'], name=op.f('fk_standardkontrakter_leverandoer_id_leverandoerer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standardkontrakter')),
    sa.UniqueConstraint('indsats_id', 'leverandoer_id', name='uq_standardkontrakter_indsats_lev')
    )
    with op.batch_alter_table('standardkontrakter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standardkontrakter_indsats_id'), ['indsats_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_standardkontrakter_leverandoer_id'), ['leverandoer_id'], unique=False)

    op.create_table('individuelle_kontrakter',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('standardkontrakt_id', sa.Integer(), nullable=False),
    sa.Column('indsats_id', sa.Integer(), nullable=False),
    sa.Column('leverandoer_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.String(length=36), nullable=True),
    sa.Column('maal', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('omfang', sa.String(length=300), nullable=False),
    sa.Column('hyppighed', sa.String(length=300), nullable=False),
    sa.Column('startdato', sa.Date(), nullable=False),
    sa.Column('forventet_varighed_maaneder', sa.Integer(), nullable=False),
    sa.Column('opfoelgning', sa.Text(), nullable=False),
    sa.Column('saerlige_aftaler_oekonomi', sa.Text(), nullable=True),
    sa.Column('pris', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('prisenhed', sa.String(length=20), nullable=False),
    sa.Column('oprettet', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('oprettet_af', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_individuelle_kontrakter_case_id_cases')),
    sa.ForeignKeyConstraint(['indsats_id'], ['indsatser.id'], name=op.f('fk_individuelle_kontrakter_indsats_id_indsatser')),
    sa.ForeignKeyConstraint(['leverandoer_id'], ['leverandoerer.id'], name=op.f('fk_individuelle_kontrakter_leverandoer_id_leverandoerer')),
    sa.ForeignKeyConstraint(['oprettet_af'], ['users.id'], name=op.f('fk_individuelle_kontrakter_oprettet_af_users')),
    sa.ForeignKeyConstraint(['standardkontrakt_id'], ['standardkontrakter.id'], name=op.f('fk_individuelle_kontrakter_standardkontrakt_id_standardkontrakter')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_individuelle_kontrakter'))
    )
    with op.batch_alter_table('individuelle_kontrakter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_individuelle_kontrakter_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_individuelle_kontrakter_standardkontrakt_id'), ['standardkontrakt_id'], unique=False)



    op.create_table('breve',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('dato', sa.Date(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('template_hash', sa.String(length=64), nullable=False),
    sa.Column('task_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_breve_case_id_cases')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_breve_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_breve'))
    )
    with op.batch_alter_table('breve', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_breve_case_id'), ['case_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('breve', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_breve_case_id'))

    op.drop_table('breve')
    with op.batch_alter_table('individuelle_kontrakter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_individuelle_kontrakter_standardkontrakt_id'))
        batch_op.drop_index(batch_op.f('ix_individuelle_kontrakter_case_id'))

    op.drop_table('individuelle_kontrakter')
    with op.batch_alter_table('standardkontrakter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standardkontrakter_leverandoer_id'))
        batch_op.drop_index(batch_op.f('ix_standardkontrakter_indsats_id'))

    op.drop_table('standardkontrakter')
    op.drop_table('leverandoerer')
    op.drop_table('indsatser')
