"""Task rows carry their office's and case's county: a county supervisor's list and the lead
department's overdue view read their page in index order (no sort of a county's tasks).

Revision ID: 0020_lists
Revises: 0019_perf4
Create Date: 2026-12-02 15:32:15

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0020_lists'
down_revision: Union[str, Sequence[str], None] = '0019_perf4'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OFFICE_DUE = ['state', 'department', 'office_region', sa.text('(due IS NULL)'), 'due', 'id', 'unit_id', 'procedure',
              'claimed_by_id']
COUNTY_DUE = ['state', 'department', 'office_county', sa.text('(due IS NULL)'), 'due', 'id', 'office_region',
              'unit_id', 'procedure', 'claimed_by_id']


def upgrade() -> None:
    """Add office_county and case_county (the 12-digit county code of office_region / case_region),
    fill them, and index them (models/case.py: ix_human_tasks_county_due, ix_human_tasks_overdue)."""
    with op.batch_alter_table('human_tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_county', sa.String(length=12), server_default='', nullable=False))
        batch_op.add_column(sa.Column('case_county', sa.String(length=12), server_default='', nullable=False))
    op.execute("UPDATE human_tasks SET office_county = substr(office_region, 1, 6) || '000000', "
               "case_county = substr(case_region, 1, 6) || '000000'")
    op.drop_index('ix_human_tasks_overdue', table_name='human_tasks')
    op.create_index('ix_human_tasks_overdue', 'human_tasks',
                    ['state', 'case_county', 'due', 'id', 'department', 'office_region', 'case_region'], unique=False)
    op.create_index('ix_human_tasks_county_due', 'human_tasks', COUNTY_DUE, unique=False)


def downgrade() -> None:
    """Back to the case-region overdue index, without the county columns."""
    op.drop_index('ix_human_tasks_county_due', table_name='human_tasks')
    op.drop_index('ix_human_tasks_overdue', table_name='human_tasks')
    op.create_index('ix_human_tasks_overdue', 'human_tasks',
                    ['state', 'case_region', 'due', 'department', 'office_region'], unique=False)
    # SQLite re-creates the table to drop columns and cannot reflect an expression index: it is
    # dropped first and made again after.
    op.drop_index('ix_human_tasks_office_due', table_name='human_tasks')
    with op.batch_alter_table('human_tasks', schema=None) as batch_op:
        batch_op.drop_column('case_county')
        batch_op.drop_column('office_county')
    op.create_index('ix_human_tasks_office_due', 'human_tasks', OFFICE_DUE, unique=False)
