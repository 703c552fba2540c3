"""Routing to units: a monitoring plan carries the chosen care institution (its visits go to it).

Revision ID: 0008_routing
Revises: 0007_desk
Create Date: 2026-12-02 09:21:50.221557

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0008_routing'
down_revision: Union[str, Sequence[str], None] = '0007_desk'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('monitoring_plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carer_unit_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_monitoring_plans_carer_unit_id', 'units', ['carer_unit_id'], ['id'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('monitoring_plans', schema=None) as batch_op:
        batch_op.drop_constraint('fk_monitoring_plans_carer_unit_id', type_='foreignkey')
        batch_op.drop_column('carer_unit_id')
