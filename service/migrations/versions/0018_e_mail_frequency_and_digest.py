"""users: e-mail frequency (straks, dagligt, aldrig) and the day of the last digest; a digest mail has no single notice

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 16:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('email_frekvens', sa.String(length=10), server_default='straks', nullable=False))
        batch.add_column(sa.Column('email_digest_dag', sa.Date(), nullable=True))
    with op.batch_alter_table('outbox_emails') as batch:
        batch.alter_column('notification_id', existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    # Digest mails speak of no single notice: they go with the column's nullability.
    op.execute("DELETE FROM outbox_emails WHERE notification_id IS NULL")
    with op.batch_alter_table('outbox_emails') as batch:
        batch.alter_column('notification_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('users') as batch:
        batch.drop_column('email_digest_dag')
        batch.drop_column('email_frekvens')
