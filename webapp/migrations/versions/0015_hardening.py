"""Login throttle counters per (name, address), per address and per name replace the per-name lock.

Revision ID: 0015_hardening
Revises: 0014_desk2
Create Date: 2026-12-02 12:16:42.243779

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0015_hardening'
down_revision: Union[str, Sequence[str], None] = '0014_desk2'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema: running locks are not carried over (they end within minutes anyway)."""
    op.create_table('login_throttles',
    sa.Column('scope', sa.String(length=8), nullable=False),
    sa.Column('username', sa.String(length=80), server_default='', nullable=False),
    sa.Column('address', sa.String(length=64), server_default='', nullable=False),
    sa.Column('failures', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_success_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('scope', 'username', 'address', name='pk_login_throttles')
    )
    op.drop_table('login_locks')


def downgrade() -> None:
    """Downgrade schema."""
    op.create_table('login_locks',
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('username', name='pk_login_locks')
    )
    op.drop_table('login_throttles')
