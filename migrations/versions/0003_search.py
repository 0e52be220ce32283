"""Search: each row's folded search text in search_rows, indexed by character bigrams
(SQLite: a contentless FTS5 table; PostgreSQL: a GIN index on zonedb_bigrams(text)).
See zonedb/search.py and docs/search.md.

Revision ID: 0003_search
Revises: 0002_provenance
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_search"
down_revision = "0002_provenance"
branch_labels = None
depends_on = None

_BIGRAMS = """
CREATE OR REPLACE FUNCTION zonedb_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}')
    FROM generate_series(1, length(t) - 1) AS i
$$"""


def upgrade() -> None:
    op.create_table(
        "search_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tbl", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_rows")),
    )
    with op.batch_alter_table("search_rows", schema=None) as batch_op:
        batch_op.create_index("ix_search_rows_tbl_row_id", ["tbl", "row_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_BIGRAMS)
        op.execute("CREATE INDEX ix_search_rows_bigrams ON search_rows "
                   "USING gin (zonedb_bigrams(text))")
    else:
        op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(tokens, content='', "
                   "detail=none, tokenize='unicode61')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_rows_bigrams")
    else:
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table("search_rows")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS zonedb_bigrams(text)")
