"""breve: the PDF is made after commit by a job; NULL while «under udarbejdelse», with its retry schedule

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 16:00:00
"""
import sqlalchemy as sa
from alembic import op

import service.db

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

_PDF_DUE = "pdf_next_attempt_at IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table('breve') as batch:
        batch.alter_column('pdf', existing_type=sa.LargeBinary(), nullable=True)
        batch.add_column(sa.Column('pdf_next_attempt_at', service.db.UtcDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('pdf_attempts', sa.Integer(), server_default=sa.text('0'), nullable=False))
    op.create_index('ix_breve_pdf_due', 'breve', ['pdf_next_attempt_at'],
                    postgresql_where=sa.text(_PDF_DUE), sqlite_where=sa.text(_PDF_DUE))


def downgrade() -> None:
    # A letter still waiting for its PDF cannot go back to a schema that demands one: the downgrade stops then.
    op.drop_index('ix_breve_pdf_due', table_name='breve')
    with op.batch_alter_table('breve') as batch:
        batch.drop_column('pdf_attempts')
        batch.drop_column('pdf_next_attempt_at')
        batch.alter_column('pdf', existing_type=sa.LargeBinary(), nullable=False)
