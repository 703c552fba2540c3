"""A notice names the child it is about (a link to the child's file when no case is named: a move).

Revision ID: 0017_routing2
Revises: 0016_registry2
Create Date: 2026-12-02 12:15:36.983174

"""
import warnings
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0017_routing2'
down_revision: Union[str, Sequence[str], None] = '0016_registry2'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # SQLite's batch mode reflects human_tasks (a notice's task), whose expression index it cannot read.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*expression-based index")
        with op.batch_alter_table('notifications', schema=None) as batch_op:
            batch_op.add_column(sa.Column('child_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key('fk_notifications_child', 'children', ['child_id'], ['id'])


def downgrade() -> None:
    """Downgrade schema."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*expression-based index")
        with op.batch_alter_table('notifications', schema=None) as batch_op:
            batch_op.drop_constraint('fk_notifications_child', type_='foreignkey')
            batch_op.drop_column('child_id')
