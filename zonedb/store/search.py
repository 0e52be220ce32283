"""Chinese full-text search that is an index lookup on both engines.

Chinese has no spaces and most searched words are two characters (外资, 基金), which
neither FTS5's unicode61 nor its trigram tokenizer can match. So every row's search text
(its view's searched columns joined by newlines, NFKC-folded and lowercased) is stored
once in ``search_rows`` and indexed by its overlapping character pairs (bigrams):

* SQLite: a contentless FTS5 table ``search_grams`` (detail=none) whose tokens are the
  bigrams written as hex (``5916x8d44`` for 外资), so unicode61 keeps each one whole, and
  its distinct characters likewise (``8d44`` for 资); each table's rows have ids (FTS rowids, and
  ``search_rows.id``) in a range of their own (``table_range``), so one table is one rowid
  range of the index;
* PostgreSQL: a GIN index on ``zonedb_bigrams(text)``, an immutable SQL function.

On SQLite the index alone answers a term of one or two characters (its one token) and
counts its rows; a longer
term is the rows holding all its bigrams, checked with a substring test (so never a false
match). On
PostgreSQL a one-character term is a substring scan. Everything here is stdlib;
``rebuild`` is called by the loader after each seeding, and ``lookup`` gives the SQL that
``reports.queries`` and ``reports.search`` filter with.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

FTS_PREFIX = "search_grams"  # the FTS5 table and its shadow tables (not in the models)
PG_INDEX = "ix_search_rows_bigrams"
_BATCH = 5000

# What is searched: each table's view and the columns whose words a search finds (the
# quote, names and labels as written). reports.queries filters these views by them.
SEARCHED: dict[str, tuple[str, tuple[str, ...]]] = {
    "indicators": ("v_indicators", ("quote", "metric", "metric_zh", "metric_en", "zone",
                                    "zone_zh", "zone_en", "firm", "fund", "project",
                                    "as_written")),
    "reforms": ("v_reforms", ("quote", "name_zh", "name_en", "summary", "category", "slug")),
    "firms": ("v_firms", ("quote", "name_zh", "name_en", "aliases", "industry", "slug")),
    "funds": ("v_funds", ("quote", "name_zh", "name_en", "slug")),
    "projects": ("v_projects", ("quote", "name_zh", "name_en", "slug")),
    "people": ("v_people", ("quote", "name_zh", "name_en", "role_zh", "role_en",
                            "organisation")),
    "zones": ("v_zones", ("slug", "name_zh", "name_en", "aliases", "city", "province")),
    "metrics": ("v_metrics", ("slug", "label_zh", "label_en", "description")),
    "sources": ("v_sources", ("slug", "title", "author", "publisher", "note")),
}


def normalize(text: str) -> str:
    """The folded form searches compare: full-width to half-width (NFKC), lowercased."""
    return unicodedata.normalize("NFKC", text).lower()


def bigrams(text: str) -> set[str]:
    """The distinct overlapping character pairs of ``text`` (already normalized)."""
    return {text[i:i + 2] for i in range(len(text) - 1)}


_HEX: dict[str, str] = {}  # each character's token: its code point in hex, made once
_PAIR = "x"  # between a bigram's two characters: no hex digit, so unicode61 keeps it whole


def _char_tokens(text: str) -> list[str]:
    """The token of each character of ``text``, in order: its code point in hex (``8d44``
    for 资), a form unicode61 never splits."""
    hexes = _HEX
    for ch in set(text).difference(hexes):
        hexes[ch] = f"{ord(ch):x}"
    return list(map(hexes.__getitem__, text))


def _token(pair: str) -> str:
    """One bigram as an FTS5 token: its characters' tokens joined (``5916x8d44`` for 外资)."""
    return _PAIR.join(_char_tokens(pair))


def tokens(text: str) -> str:
    """The FTS5 document for a normalized search text: its distinct characters (for terms of
    one character) and its bigrams (as ``_token`` writes them), in no set order: with
    detail=none FTS5 stores the same index whatever the order within a document, and a
    delete needs the same tokens, not the same order. Made with C-level maps over the text,
    as it runs for every row of a seeding (~150 characters a row: twice as fast as a
    function call per bigram)."""
    each = _char_tokens(text)
    found = set(each)
    found.update(map(_PAIR.join, zip(each, each[1:], strict=False)))
    return " ".join(found)


TABLE_SHIFT = 32  # each table's ids (SQLite): from its number << 32 on


def table_range(table: str) -> tuple[int, int]:
    """The ids ``table``'s search rows take on SQLite (FTS rowids): its number in SEARCHED,
    shifted; a full rebuild gives row ``n`` the id low + n, an incremental re-seed the next
    free one of the range (``zonedb.store.reseed``)."""
    low = (list(SEARCHED).index(table) + 1) << TABLE_SHIFT
    return low, low + (1 << TABLE_SHIFT) - 1


ALIGNED = "aligned"  # a token no bigram can be (not hex): "this table's ids are aligned"


def aligned_mark(table: str) -> int:
    """The FTS rowid (below every table's range) whose ``aligned`` token says that each of
    ``table``'s search rows has the id low + row id: a full rebuild writes it; an
    incremental re-seed that moves rows takes it out (``unalign``)."""
    return list(SEARCHED).index(table) + 1


def is_aligned(reader: Any, table: str) -> bool:
    """Whether ``table``'s FTS rowids are its row ids (plus its range's low end), so that
    the index alone gives row ids, in order (SQLite; always False on PostgreSQL)."""
    if reader.postgres:
        return False
    found = reader.execute(f"SELECT count(*) FROM {FTS_PREFIX} WHERE {FTS_PREFIX} MATCH "
                           f"'\"{ALIGNED}\"' AND rowid = {aligned_mark(table)}")
    return bool(found.rows[0][0])


def row_text(values: Iterable[Any]) -> str:
    """A row's search text: its searched columns, one per line, folded."""
    return normalize("\n".join(str(v) for v in values if v is not None))


def include_name(name: str | None, type_: str, parent_names: Any = None) -> bool:
    """For Alembic's compare: the FTS5 table, its shadow tables and PostgreSQL's expression
    index on ``zonedb_bigrams(text)`` are not models."""
    if type_ == "table" and name is not None and name.startswith(FTS_PREFIX):
        return False
    return not (type_ == "index" and name == PG_INDEX)


def rebuild(conn: Any) -> int:
    """Fill ``search_rows`` (and on SQLite ``search_grams``) from every view; returns rows.

    ``conn`` is the loader's SQLAlchemy connection inside its seeding transaction. On SQLite
    a row's id is its FTS rowid, in its table's range (``table_range``); on PostgreSQL ids
    count up."""
    postgres = conn.dialect.name == "postgresql"
    mark = "%s" if postgres else "?"
    conn.exec_driver_sql("DELETE FROM search_rows")
    if not postgres:
        conn.exec_driver_sql(f"INSERT INTO {FTS_PREFIX} ({FTS_PREFIX}) VALUES ('delete-all')")
    count = 0
    for table, (view, columns) in SEARCHED.items():
        base = 0 if postgres else table_range(table)[0]
        cursor = conn.exec_driver_sql(f"SELECT id, {', '.join(columns)} FROM {view}")
        while True:
            chunk = cursor.fetchmany(_BATCH)
            if not chunk:
                break
            rows = []
            for r in chunk:
                count += 1
                rows.append((count if postgres else base + r[0], table, r[0], row_text(r[1:])))
            conn.exec_driver_sql(
                f"INSERT INTO search_rows (id, tbl, row_id, text) VALUES "
                f"({mark}, {mark}, {mark}, {mark})", rows)
            if not postgres:
                conn.exec_driver_sql(f"INSERT INTO {FTS_PREFIX} (rowid, tokens) VALUES (?, ?)",
                                     [(r[0], tokens(r[3])) for r in rows])
        if not postgres:
            conn.exec_driver_sql(f"INSERT INTO {FTS_PREFIX} (rowid, tokens) VALUES (?, ?)",
                                 (aligned_mark(table), ALIGNED))
    if postgres:  # the planner must know tbl = 'indicators' is most rows, the bigrams few
        conn.exec_driver_sql("ANALYZE search_rows")
    return count


def reindex(url: str) -> int:
    """Rebuild the index of the database at ``url`` in one transaction: after writes that
    did not go through seeding (``zonedb sql --write``)."""
    from zonedb.store.db import make_engine

    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            return rebuild(conn)
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Lookup:
    """SQL selecting the ids of one table's rows that contain a term, and its parameters."""

    sql: str
    params: dict[str, Any]


def lookup(table: str, term: str, *, postgres: bool, with_text: bool = False,
           aligned: bool = False, limit: int | None = None) -> Lookup | None:
    """The ids of ``table``'s rows whose search text contains ``term`` (with
    ``with_text``, each id and its search text); None for an empty term (no filter).
    ``aligned``: ``is_aligned`` said so (SQLite), then the index gives the ids by itself.
    ``limit``: the first ``limit`` ids only (by id)."""
    folded = normalize(term)
    if not folded:
        return None
    columns = "s.row_id, s.text" if with_text else "s.row_id"
    tail = "" if limit is None else f" ORDER BY {{}} LIMIT {int(limit)}"
    if postgres:
        params: dict[str, Any] = {"search_tbl": table, "search_term": folded}
        tail = tail.format("s.row_id")
        if len(folded) == 1:  # no bigram: a substring scan of the one table's texts
            return Lookup(f"SELECT {columns} FROM search_rows s WHERE s.tbl = :search_tbl AND "
                          f"strpos(s.text, :search_term) > 0{tail}", params)
        params["search_grams"] = sorted(bigrams(folded))
        # COLLATE "C" keeps the planner off the (tbl, row_id) index, whose 'indicators'
        # entries are most of the table: the bigram index is the selective one
        return Lookup(f"SELECT {columns} FROM search_rows s WHERE zonedb_bigrams(s.text) @> "
                      "CAST(:search_grams AS text[]) AND s.tbl COLLATE \"C\" = :search_tbl "
                      f"AND strpos(s.text, :search_term) > 0{tail}", params)
    within, params = _match(table, folded)
    if aligned:  # FTS5 gives rowids in order: a LIMIT stops the match early
        low = table_range(table)[0]
        columns = columns.replace("s.row_id", f"f.rowid - {low} AS row_id")
        tail = tail.format("f.rowid")
        if len(folded) <= 2 and not with_text:
            return Lookup(f"SELECT {columns} FROM {FTS_PREFIX} f WHERE {within}{tail}", params)
    else:
        tail = tail.format("s.row_id")
    check = ""
    if len(folded) > 2:  # a longer term's bigrams may lie apart in a text: its rows are checked
        params["search_term"] = folded
        check = " AND instr(s.text, :search_term) > 0"
    # CROSS JOIN keeps the FTS5 match outermost: otherwise SQLite may walk every row of the
    # table's search texts and run the match once per row (5.8 s instead of ms at 100k)
    return Lookup(f"SELECT {columns} FROM {FTS_PREFIX} f CROSS JOIN search_rows s "
                  f"ON s.id = f.rowid WHERE {within}{check}{tail}", params)


def count(table: str, term: str, *, postgres: bool) -> Lookup | None:
    """SQL counting ``table``'s rows that contain ``term`` (one row, one column); None for
    an empty term. On SQLite a term of one or two characters is counted in the index."""
    folded = normalize(term)
    if not folded:
        return None
    if postgres or len(folded) > 2:
        found = lookup(table, term, postgres=postgres)
        return None if found is None else Lookup(f"SELECT count(*) FROM ({found.sql}) AS c",
                                                 found.params)
    within, params = _match(table, folded)
    return Lookup(f"SELECT count(*) FROM {FTS_PREFIX} f WHERE {within}", params)


def _match(table: str, folded: str) -> tuple[str, dict[str, Any]]:
    """The FTS5 condition (alias ``f``) for the rows of ``table`` holding every bigram of
    ``folded``, or for one character every token it begins, and its parameters."""
    low, high = table_range(table)
    if len(folded) == 1:
        match = f'"{_char_tokens(folded)[0]}"'
    else:
        match = " ".join(f'"{_token(p)}"' for p in sorted(bigrams(folded)))
    return (f"{FTS_PREFIX} MATCH :search_match AND f.rowid BETWEEN :search_lo AND :search_hi",
            {"search_match": match, "search_lo": low, "search_hi": high})
