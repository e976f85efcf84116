"""oidc_identities: the identity provider's (issuer, sub) behind a user signing in with OpenID Connect

Revision ID: 0010
Revises: 0013
Create Date: 2026-12-03 09:30:00
"""
import sqlalchemy as sa
from alembic import op

import service.db

revision = '0010'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('oidc_identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=300), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('first_login_at', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', service.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('refused_at', service.db.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_oidc_identities_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oidc_identities')),
    sa.UniqueConstraint('issuer', 'subject', name='uq_oidc_identities_issuer_subject'),
    sa.UniqueConstraint('user_id', name=op.f('uq_oidc_identities_user_id'))
    )


def downgrade() -> None:
    op.drop_table('oidc_identities')
