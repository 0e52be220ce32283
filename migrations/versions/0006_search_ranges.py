"""Search index by table ranges (SQLite): search_fts becomes search_grams, whose rowids (and
search_rows.id) put each table's rows in a range of their own (its number << 32 on), and
whose tokens add each text's distinct characters, so that the index answers and counts
one- and two-character terms by itself; the token 'aligned' at rowid n says that table n's
ids are its range's low end + the row ids. PostgreSQL is unchanged. See docs/search.md.

The tokenizing below is a frozen copy of zonedb.store.search's (a migration must not
change when the live code does); upgrade and downgrade rebuild the index from the texts
that search_rows keeps.

Revision ID: 0006_search_ranges
Revises: 0005_ranks
Create Date: 2026-12-03
"""

from __future__ import annotations

from typing import Any

from alembic import op

revision = "0006_search_ranges"
down_revision = "0005_ranks"
branch_labels = None
depends_on = None

_TABLES = ("indicators", "reforms", "firms", "funds", "projects", "people", "zones", "metrics",
           "sources")  # zonedb.store.search.SEARCHED's order at this revision
_BATCH = 5000


def _tokens(text: str, *, chars: bool) -> str:
    pairs = sorted({text[i:i + 2] for i in range(len(text) - 1)})
    words = [f"{ord(p[0]):x}x{ord(p[1]):x}" for p in pairs]
    if chars:
        return " ".join(f"{ord(c):x}" for c in sorted(set(text))) + " " + " ".join(words)
    return " ".join(words)


def _fill(conn: Any, table: str, *, chars: bool) -> None:
    cursor = conn.exec_driver_sql("SELECT id, text FROM search_rows ORDER BY id")
    while chunk := cursor.fetchmany(_BATCH):
        conn.exec_driver_sql(f"INSERT INTO {table} (rowid, tokens) VALUES (?, ?)",
                             [(i, _tokens(t, chars=chars)) for i, t in chunk])


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        return
    op.execute("DROP TABLE IF EXISTS search_fts")
    cases = " ".join(f"WHEN '{t}' THEN {n + 1}" for n, t in enumerate(_TABLES))
    op.execute(f"UPDATE search_rows SET id = ((CASE tbl {cases} END) << 32) + row_id")
    op.execute("CREATE VIRTUAL TABLE search_grams USING fts5(tokens, content='', "
               "detail=none, tokenize='unicode61')")
    _fill(conn, "search_grams", chars=True)
    # each table's ids are now low + row id: the marks (rowids 1..9) that say so
    conn.exec_driver_sql("INSERT INTO search_grams (rowid, tokens) VALUES (?, 'aligned')",
                         [(n + 1,) for n in range(len(_TABLES))])


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        return
    op.execute("DROP TABLE IF EXISTS search_grams")
    op.execute("CREATE TEMP TABLE search_renumber AS SELECT id AS old, "
               "row_number() OVER (ORDER BY id) AS new FROM search_rows")
    op.execute("UPDATE search_rows SET id = (SELECT new FROM search_renumber "
               "WHERE old = search_rows.id)")
    op.execute("DROP TABLE search_renumber")
    op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(tokens, content='', "
               "detail=none, tokenize='unicode61')")
    _fill(conn, "search_fts", chars=False)
