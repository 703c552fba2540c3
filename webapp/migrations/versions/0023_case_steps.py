"""A case's tasks indexed by (case, state, completion, id): its history read in order, not sorted.

Revision ID: 0023_case_steps
Revises: 0022_idsearch
Create Date: 2026-12-04 01:50:00

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0023_case_steps'
down_revision: Union[str, Sequence[str], None] = '0022_idsearch'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """The new index leads with the case, so it also serves every lookup the old one did."""
    with op.batch_alter_table('human_tasks', schema=None) as batch_op:
        batch_op.create_index('ix_human_tasks_case_steps', ['case_id', 'state', 'completed_at', 'id'], unique=False)
        batch_op.drop_index('ix_human_tasks_case_id')


def downgrade() -> None:
    with op.batch_alter_table('human_tasks', schema=None) as batch_op:
        batch_op.create_index('ix_human_tasks_case_id', ['case_id'], unique=False)
        batch_op.drop_index('ix_human_tasks_case_steps')
