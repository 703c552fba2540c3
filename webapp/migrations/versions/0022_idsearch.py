"""The search by an ID number's start: (id_number, region_code) indexed; on PostgreSQL the number in byte order.

Revision ID: 0022_idsearch
Revises: 0021_registry3
Create Date: 2026-12-03 07:30:00

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0022_idsearch'
down_revision: Union[str, Sequence[str], None] = '0021_registry3'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """On PostgreSQL the column's collation becomes "C" (its unique index is rebuilt, the rows stay): the
    search's range [start, start + "~") then means the same in any database locale, as on SQLite, where a
    locale's collation may weigh "~" otherwise. Then the index that checks the residence inside the range."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute('ALTER TABLE children ALTER COLUMN id_number TYPE VARCHAR(18) COLLATE "C"')
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.create_index('ix_children_id_number_region', ['id_number', 'region_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_index('ix_children_id_number_region')
    if op.get_bind().dialect.name == "postgresql":
        op.execute('ALTER TABLE children ALTER COLUMN id_number TYPE VARCHAR(18) COLLATE "default"')
