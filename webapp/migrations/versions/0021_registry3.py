"""child_categories: the registry's category filter read as an index range, back-filled from the JSON.

Revision ID: 0021_registry3
Revises: 0020_lists
Create Date: 2026-12-02 15:30:32

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0021_registry3'
down_revision: Union[str, Sequence[str], None] = '0020_lists'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The registry's codes as of this revision (models/child_categories.py CODES): a revision does not import the app.
CODES = ("orphan", "de_facto_unsupported", "left_behind", "disabled", "seriously_ill", "low_income_family",
         "guardianship_lacking", "migrant")
BATCH = 100_000  # children per statement: a million-child registry back-fills in bounded steps


def upgrade() -> None:
    """Create the table, fill it from `children.categories` (one INSERT … SELECT per code and batch of
    ids, the same SQL on SQLite and PostgreSQL), then index it (cheaper after the rows are in)."""
    op.create_table('child_categories',
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('region_code', sa.String(length=12), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('risk_grade', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name='fk_child_categories_child', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('category', 'region_code', 'child_id', name='pk_child_categories')
    )
    bind = op.get_bind()
    first, last = bind.execute(sa.text("SELECT min(id), max(id) FROM children")).one()
    if first is not None:
        for start in range(first, last + 1, BATCH):
            for code in CODES:
                bind.execute(sa.text(
                    "INSERT INTO child_categories (category, region_code, child_id, risk_grade) "
                    f"SELECT '{code}', region_code, id, risk_grade FROM children "
                    f"WHERE id >= :first AND id < :last AND region_code IS NOT NULL "
                    f"AND CAST(categories AS TEXT) LIKE '%\"{code}\"%'"), {"first": start, "last": start + BATCH})
    with op.batch_alter_table('child_categories', schema=None) as batch_op:
        batch_op.create_index('ix_child_categories_child', ['child_id'], unique=False)
        batch_op.create_index('ix_child_categories_risk', ['category', 'risk_grade', 'region_code', 'child_id'], unique=False)


def downgrade() -> None:
    """The JSON column still holds every category: dropping the index table loses nothing."""
    with op.batch_alter_table('child_categories', schema=None) as batch_op:
        batch_op.drop_index('ix_child_categories_risk')
        batch_op.drop_index('ix_child_categories_child')

    op.drop_table('child_categories')
