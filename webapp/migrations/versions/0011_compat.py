"""Cases: what each waits for (messages and signals from outside its diagram).

Revision ID: 0011_compat
Revises: 0010_scenarios
Create Date: 2026-12-02 09:54:32.004188

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0011_compat'
down_revision: Union[str, Sequence[str], None] = '0010_scenarios'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """A nullable JSON column: no constraint, no default; existing cases wait for nothing until next saved."""
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('waiting_for', sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('waiting_for')
