"""The office task-list index ends with the unit, procedure and holder: an office's list, filtered
or not, is counted from the index alone.

Revision ID: 0019_perf4
Revises: 0018_schoolcheck
Create Date: 2026-12-02 13:45:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0019_perf4'
down_revision: Union[str, Sequence[str], None] = '0018_schoolcheck'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COLUMNS = ['state', 'department', 'office_region', sa.text('(due IS NULL)'), 'due', 'id']


def upgrade() -> None:
    """Re-create ix_human_tasks_office_due with unit_id, procedure and claimed_by_id last
    (bench/task_lists.py: the county office's count read 1 200 table rows for `unit_id IS NULL`)."""
    op.drop_index('ix_human_tasks_office_due', table_name='human_tasks')
    op.create_index('ix_human_tasks_office_due', 'human_tasks', COLUMNS + ['unit_id', 'procedure', 'claimed_by_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_human_tasks_office_due', table_name='human_tasks')
    op.create_index('ix_human_tasks_office_due', 'human_tasks', COLUMNS, unique=False)
