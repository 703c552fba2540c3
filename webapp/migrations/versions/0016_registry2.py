"""registry2: child_name_grams (a child's name searched anywhere in it), filled from the registry;
ix_roster_tasks_office_due carries the child (the village's roster from the index alone);
ix_children_risk_region replaces ix_children_risk_grade (a county's children of one grade, in order).

Revision ID: 0016_registry2
Revises: 0015_hardening
Create Date: 2026-12-02 12:16:24.278949

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0016_registry2'
down_revision: Union[str, Sequence[str], None] = '0015_hardening'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BATCH = 20_000


def _grams(name: str) -> set[str]:
    """As webapp/models/name_grams.py said when this revision was written."""
    text = "".join(ch for ch in (name or "").lower() if not ch.isspace() and ch not in "·•・.")
    return set(text) | {text[i:i + 2] for i in range(len(text) - 1)}


def upgrade() -> None:
    """Upgrade schema."""
    grams = op.create_table('child_name_grams',
    sa.Column('gram', sa.String(length=8), nullable=False),
    sa.Column('region_code', sa.String(length=12), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name='fk_child_name_grams_child', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('gram', 'region_code', 'child_id', name='pk_child_name_grams')
    )
    with op.batch_alter_table('child_name_grams', schema=None) as batch_op:
        batch_op.create_index('ix_child_name_grams_child', ['child_id'], unique=False)
    # The children registered so far, a batch at a time (keyset on the id: no OFFSET scans).
    bind, last = op.get_bind(), 0
    while True:
        rows = bind.execute(sa.text("SELECT id, name, region_code FROM children WHERE id > :last ORDER BY id LIMIT :n"),
                            {"last": last, "n": BATCH}).all()
        if not rows:
            break
        values = [{"gram": g, "region_code": region, "child_id": child_id}
                  for child_id, name, region in rows if name and region for g in sorted(_grams(name))]
        if values:
            bind.execute(grams.insert(), values)
        last = rows[-1][0]
    with op.batch_alter_table('roster_tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_roster_tasks_office_due')
        batch_op.create_index('ix_roster_tasks_office_due', ['state', 'office_region', 'due', 'id', 'child_id'], unique=False)
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_index('ix_children_risk_grade')
        batch_op.create_index('ix_children_risk_region', ['risk_grade', 'region_code', 'id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_index('ix_children_risk_region')
        batch_op.create_index('ix_children_risk_grade', ['risk_grade'], unique=False)
    with op.batch_alter_table('roster_tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_roster_tasks_office_due')
        batch_op.create_index('ix_roster_tasks_office_due', ['state', 'office_region', 'due', 'id'], unique=False)
    with op.batch_alter_table('child_name_grams', schema=None) as batch_op:
        batch_op.drop_index('ix_child_name_grams_child')

    op.drop_table('child_name_grams')
