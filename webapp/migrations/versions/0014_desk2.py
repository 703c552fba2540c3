"""The PDF filed with each document when it is issued (served from here, rendered again only if missing).

Revision ID: 0014_desk2
Revises: 0013_roster2
Create Date: 2026-12-02 10:27:13.332187

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0014_desk2'
down_revision: Union[str, Sequence[str], None] = '0013_roster2'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('document_pdfs',
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['case_file_entries.id'], name='fk_document_pdfs_entry_id'),
    sa.PrimaryKeyConstraint('entry_id', name='pk_document_pdfs')
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('document_pdfs')
