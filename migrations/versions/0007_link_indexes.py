"""Indexes on the links of indicators to firms, funds and projects, and of projects to
firms, each over the rows that have one: a firm's figures count (``query firms``, ``zonedb
show``) looked through every indicator for each firm (370 ms a firm at 1M facts), and so
did the foreign-key check of each firm, fund or project a re-seed deletes.

Revision ID: 0007_link_indexes
Revises: 0006_search_ranges
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_link_indexes"
down_revision = "0006_search_ranges"
branch_labels = None
depends_on = None

# (table, column): as zonedb.store.models declares them (_linked)
LINKS = (("indicators", "firm_id"), ("indicators", "fund_id"), ("indicators", "project_id"),
         ("projects", "firm_id"))


def upgrade() -> None:
    for table, column in LINKS:
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(f"ix_{table}_{column}", table, [column], sqlite_where=where,
                        postgresql_where=where)


def downgrade() -> None:
    for table, column in reversed(LINKS):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
