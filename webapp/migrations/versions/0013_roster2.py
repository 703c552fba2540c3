"""roster2: an index on children.name, for the child search by name prefix.

Revision ID: 0013_roster2
Revises: 0012_roster
Create Date: 2026-12-02 10:50:01.650170

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0013_roster2'
down_revision: Union[str, Sequence[str], None] = '0012_roster'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index('ix_children_name', 'children', ['name'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_children_name', table_name='children')
