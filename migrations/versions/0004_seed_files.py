"""Seed fingerprints: what each seed file was when the database was last seeded, so
``zonedb seed`` re-reads only the files that changed (zonedb/store/reseed.py).

Revision ID: 0004_seed_files
Revises: 0003_search
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_seed_files"
down_revision = "0003_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seed_files",
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mtime_ns", sa.BigInteger(), nullable=False),
        sa.Column("tbl", sa.Text(), nullable=True),
        sa.Column("n_rows", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("path", name=op.f("pk_seed_files")),
    )
    op.create_table(
        "seed_state",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_seed_state")),
    )


def downgrade() -> None:
    op.drop_table("seed_state")
    op.drop_table("seed_files")
