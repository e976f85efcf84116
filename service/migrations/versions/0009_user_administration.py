"""user_changes: the administrators' log of user and team changes (append-only); teams can be deactivated

Revision ID: 0009
Revises: 0015
Create Date: 2026-12-03 10:00:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import service.db

revision = '0009'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('user_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
              nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_user_changes_actor_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_user_changes_team_id_teams')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_changes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_changes'))
    )
    with op.batch_alter_table('user_changes', schema=None) as batch_op:
        batch_op.create_index('ix_user_changes_at', ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_changes_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_changes_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
    _make_append_only()


def _make_append_only() -> None:
    """Who changed which user is evidence, like the case journal: the database refuses to change its rows."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION user_changes_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'user_changes er kun til tilføjelse'; END;
            $$ LANGUAGE plpgsql""")
        op.execute("CREATE TRIGGER user_changes_no_update BEFORE UPDATE OR DELETE ON user_changes "
                   "FOR EACH ROW EXECUTE FUNCTION user_changes_append_only()")
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER user_changes_no_{verb.lower()} BEFORE {verb} ON user_changes "
                       "BEGIN SELECT RAISE(ABORT, 'user_changes er kun til tilføjelse'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS user_changes_no_update ON user_changes")
        op.execute("DROP FUNCTION IF EXISTS user_changes_append_only()")
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_column('active')
    with op.batch_alter_table('user_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_changes_user_id'))
        batch_op.drop_index(batch_op.f('ix_user_changes_team_id'))
        batch_op.drop_index('ix_user_changes_at')
    op.drop_table('user_changes')
