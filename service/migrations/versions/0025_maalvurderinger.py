"""maalvurderinger: each goal of barnets plan assessed at each follow-up

Revision ID: 0025
Revises: 0027
Create Date: 2026-12-03 21:30:00
"""
import sqlalchemy as sa
from alembic import op

import service.db

revision = '0025'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('maalvurderinger',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('task_id', sa.String(length=36), nullable=False),
    sa.Column('maal_nr', sa.Integer(), nullable=False),
    sa.Column('domaene', sa.String(length=40), nullable=True),
    sa.Column('maal', sa.String(length=300), nullable=False),
    sa.Column('maalbart_kriterium', sa.String(length=300), nullable=True),
    sa.Column('opfoelgning_dato', sa.Date(), nullable=False),
    sa.Column('vurdering', sa.String(length=20), nullable=False),
    sa.Column('begrundelse', sa.Text(), nullable=False),
    sa.Column('registered_at', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('registered_by', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_maalvurderinger_case_id_cases')),
    sa.ForeignKeyConstraint(['registered_by'], ['users.id'], name=op.f('fk_maalvurderinger_registered_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_maalvurderinger'))
    )
    with op.batch_alter_table('maalvurderinger', schema=None) as batch_op:
        batch_op.create_index('ix_maalvurderinger_case_dato', ['case_id', 'opfoelgning_dato'], unique=False)

    # An assessment is part of the case's record: a later follow-up adds rows, it never changes or removes one.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION maalvurderinger_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'en målvurdering kan ikke ændres eller slettes'; END;
            $$ LANGUAGE plpgsql""")
        op.execute("CREATE TRIGGER maalvurderinger_append_only BEFORE UPDATE OR DELETE ON maalvurderinger "
                   "FOR EACH ROW EXECUTE FUNCTION maalvurderinger_append_only()")
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER maalvurderinger_no_{event.lower()} BEFORE {event} ON maalvurderinger "
                       "BEGIN SELECT RAISE(ABORT, 'en målvurdering kan ikke ændres eller slettes'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS maalvurderinger_append_only ON maalvurderinger")
        op.execute("DROP FUNCTION IF EXISTS maalvurderinger_append_only()")
    else:
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS maalvurderinger_no_{event}")
    with op.batch_alter_table('maalvurderinger', schema=None) as batch_op:
        batch_op.drop_index('ix_maalvurderinger_case_dato')
    op.drop_table('maalvurderinger')
