"""Chinese full-text search (zonedb.store.search): every row the plain substring match finds is
found, through the bigram index on both engines, by `--search` and by `zonedb search`."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import _query_each, query_rows
from zonedb.reports.queries import VIEWS, count, query
from zonedb.store.db import Reader, resolve_url
from zonedb.store.search import count as count_search
from zonedb.store.search import lookup, normalize, tokens

TERMS = ["基金", "外资", "园区", "产值", "企业", "亿元", "开发区", "产业引导基金", "主任", "电池",
         "亿", "%", "fund", "ＦＵＮＤ", "Ganzhou", "２０２４", "gp"]


def _like_ids(db: str, terms: list[str]) -> dict[str, dict[str, set[int]]]:
    """The substring match straight from the engine, per term and table: any searched
    column contains the term (every view read once, on one connection)."""
    tables = list(VIEWS)
    results = _query_each(db, [(f"SELECT id, {', '.join(VIEWS[t].search)} FROM "
                                f"{VIEWS[t].name}", ()) for t in tables])
    texts = {t: [(int(r[0]), [normalize(str(v)) for v in r[1:] if v is not None])
                 for r in rows] for t, rows in zip(tables, results, strict=True)}
    return {term: {t: {i for i, values in texts[t] if any(normalize(term) in v for v in values)}
                   for t in tables} for term in terms}


def test_search_finds_every_substring_match_on_both_engines(shared_db: str) -> None:
    want = _like_ids(shared_db, TERMS)
    assert want["基金"]["funds"] and want["亿元"]["indicators"]  # the terms do occur
    with Reader(resolve_url(shared_db)) as reader:
        for term in TERMS:
            for table in VIEWS:
                got = {int(r[0]) for r in query(reader, table, search=term).rows}
                assert got == want[term][table], (table, term)
                assert count(reader, table, search=term) == len(got), (table, term)


def test_two_character_search_is_an_index_lookup_on_both_engines(shared_db: str) -> None:
    with Reader(resolve_url(shared_db)) as reader:
        found = lookup("indicators", "基金", postgres=reader.postgres)
        assert found is not None
        if reader.postgres:
            reader.execute("SET enable_seqscan = off")  # a tiny table: make the plan honest
            plan = reader.execute("EXPLAIN " + found.sql, found.params).rows
            text = " ".join(str(r[0]) for r in plan)
            assert "ix_search_rows_bigrams" in text, text
        else:  # one character too, and the count of either is the FTS5 index alone
            for term in ("基金", "亿"):
                for sql in (lookup("indicators", term, postgres=False),
                            count_search("indicators", term, postgres=False)):
                    assert sql is not None
                    plan = reader.execute("EXPLAIN QUERY PLAN " + sql.sql, sql.params).rows
                    text = " ".join(str(r[-1]) for r in plan)
                    assert "VIRTUAL TABLE INDEX" in text and "SCAN s" not in text, text
                    assert "search_rows" not in sql.sql or sql.sql.startswith("SELECT s."), sql


_QUOTES = query_rows  # alias keeps the strategy below readable


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_piece_of_a_quote_finds_its_row(db: Any, data: st.DataObject) -> None:
    rows = _QUOTES(str(db), "SELECT id, quote FROM indicators ORDER BY id")
    row_id, quote = data.draw(st.sampled_from(rows))
    start = data.draw(st.integers(0, len(quote) - 1))
    piece = quote[start:start + data.draw(st.integers(1, 8))]
    with Reader(resolve_url(str(db))) as reader:
        ids = {r[0] for r in query(reader, "indicators", search=piece).rows}
    assert row_id in ids, piece


def test_search_command_marks_the_match_and_ranks(cli: Any, db: Any) -> None:
    res = cli("search", "基金", "--db", str(db), "-f", "json")
    assert res.exit_code == 0, res.output
    hits = json.loads(res.stdout)
    assert hits and all("【基金】" in h["snippet"] for h in hits)
    assert [h["matches"] for h in hits] == sorted((h["matches"] for h in hits), reverse=True)
    tables = {h["table"] for h in hits}
    assert {"indicators", "funds", "reforms"} <= tables
    first = hits[0]
    quote = query_rows(str(db), f"SELECT quote FROM {first['table']} WHERE id = ?", first["id"])
    assert "基金" in str(quote[0][0])


def test_search_command_refuses_an_unknown_table(cli: Any, db: Any) -> None:
    res = cli("search", "基金", "--db", str(db), "--table", "nope")
    assert res.exit_code == 2  # a usage error, like every unknown name
    assert "unknown table 'nope'" in res.output and "Traceback" not in res.output


def test_migration_0006_rebuilds_the_index_both_ways(cli: Any, db: Any) -> None:
    terms = ["基金", "亿", "开发区", "产业引导基金", "fund"]
    with Reader(resolve_url(str(db))) as reader:
        want = {t: {int(r[0]) for r in query(reader, "indicators", search=t).rows}
                for t in terms}
    assert all(want.values()), want  # every term occurs
    assert cli("db", "downgrade", "0005_ranks", "--db", str(db)).exit_code == 0
    for term in terms:  # 0005's index: sequential ids, bigrams only, found by the table name
        if len(term) < 2:
            continue
        match = " ".join(f'"{ord(p[0]):x}x{ord(p[1]):x}"' for p in sorted(
            {normalize(term)[i:i + 2] for i in range(len(term) - 1)}))
        old = query_rows(str(db), "SELECT s.row_id FROM search_fts f CROSS JOIN search_rows s "
                         "ON s.id = f.rowid WHERE search_fts MATCH ? AND s.tbl = 'indicators' "
                         "AND instr(s.text, ?) > 0", match, normalize(term))
        assert {int(r[0]) for r in old} == want[term], term
    assert cli("db", "upgrade", "--db", str(db)).exit_code == 0
    with Reader(resolve_url(str(db))) as reader:
        for term in terms:
            assert {int(r[0]) for r in query(reader, "indicators", search=term).rows} \
                == want[term], term
            assert count(reader, "indicators", search=term) == len(want[term]), term


def _reference_tokens(text: str) -> set[str]:
    """The index's tokens by their definition: each distinct character and each pair of
    neighbouring characters, their code points in hex (``5916x8d44`` for 外资)."""
    chars = {f"{ord(c):x}" for c in text}
    return chars | {f"{ord(a):x}x{ord(b):x}" for a, b in zip(text, text[1:], strict=False)}


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("基金外资园区产值\n 　aZ9,，%ΣσςＡé\u0301"), max_size=40)
       | st.text(max_size=40))
def test_a_documents_tokens_are_its_characters_and_bigrams(text: str) -> None:
    folded = normalize(text)
    got = tokens(folded).split()
    assert len(got) == len(set(got)), "a token written twice"
    assert set(got) == _reference_tokens(folded)


def test_the_index_is_the_same_whatever_the_token_order(tmp_path: Any) -> None:
    """tokens() writes a document's tokens in no set order (a set's): FTS5 with detail=none
    must store the same index for any order, and take a row out given its tokens in
    another order (an in-place re-seed deletes with tokens made by another process)."""
    texts = [normalize(f"{i}号园区产业引导基金{'外资' * (i % 3)}规模{i * 7}亿元 Fund")
             for i in range(300)]

    def build(order: str) -> list[Any]:
        conn = sqlite3.connect(tmp_path / f"{order}.db")
        conn.execute("CREATE VIRTUAL TABLE g USING fts5(tokens, content='', detail=none, "
                     "tokenize='unicode61')")
        for i, text in enumerate(texts, 1):
            doc = sorted(tokens(text).split(), reverse=order == "reversed")
            conn.execute("INSERT INTO g (rowid, tokens) VALUES (?, ?)", (i, " ".join(doc)))
        conn.commit()
        for i in range(1, 300, 7):  # deleted with the tokens in set order, as zonedb does
            conn.execute("INSERT INTO g (g, rowid, tokens) VALUES ('delete', ?, ?)",
                         (i, tokens(texts[i - 1])))
        conn.commit()
        conn.execute("INSERT INTO g (g, rank) VALUES ('integrity-check', 0)")
        stored = [conn.execute("SELECT * FROM g_data ORDER BY id").fetchall(),
                  conn.execute("SELECT * FROM g_idx ORDER BY segid, term").fetchall()]
        found = conn.execute("SELECT rowid FROM g WHERE g MATCH ? ORDER BY rowid",
                             (f'"{ord("外"):x}x{ord("资"):x}"',)).fetchall()
        conn.close()
        return [stored, found]

    sorted_build, reversed_build = build("sorted"), build("reversed")
    assert sorted_build == reversed_build
    assert sorted_build[1]  # the deletes left the other rows with 外资 findable
