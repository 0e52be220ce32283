"""Rows written as they are fetched (``Reader.stream``, ``zonedb.stream``): the rows a
machine format in a pipe writes are ``query``'s, on both engines, a chunk in memory at a
time; the time limit holds for each fetch, and errors mid-stream are zonedb's own."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import zonedb
from zonedb import errors
from zonedb.reports.export import field_type
from zonedb.store.db import STREAM_CHUNK, Reader, resolve_url

COUNT_TO = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {}) "


@pytest.mark.parametrize("filters", [{}, {"zones": ["ganzhou"]}, {"search": "企业"},
                                     {"metrics": ["above_scale_*"], "sort": "-value"}])
def test_stream_gives_querys_rows(any_db: str, filters: dict[str, Any]) -> None:
    with Reader(resolve_url(any_db)) as reader:
        whole = zonedb.query(reader, "indicators", **filters)
        streamed = zonedb.stream(reader, "indicators", **filters)
        assert streamed.columns == whole.columns
        assert list(streamed.rows) == whole.rows and whole.rows


def test_the_cli_writes_the_streamed_rows(any_db: str, cli: Any) -> None:
    """`query -f csv` streams; its rows are the table's, and its quotes are the text's own
    words at their offsets (checked against the stored source text)."""
    out = cli("query", "indicators", "--db", any_db, "--csv")
    assert out.exit_code == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    with Reader(resolve_url(any_db)) as reader:
        texts = dict(reader.execute("SELECT slug, text FROM sources").rows)
        count = reader.execute("SELECT count(*) FROM indicators").rows[0][0]
    assert len(rows) == count and count
    for row in rows:
        assert texts[row["source"]][int(row["start"]):int(row["end"])] == row["quote"]


def test_a_slow_reader_of_the_output_is_not_a_slow_statement(db: Path) -> None:
    """The limit is per fetch: a pipe read slowly for longer than the limit is not cancelled,
    while one statement that runs past it is."""
    rows = 3 * STREAM_CHUNK
    with Reader(resolve_url(str(db)), timeout_s=0.3) as reader:
        got = 0
        for _ in reader.stream(COUNT_TO.format(rows) + "SELECT i FROM n").rows:
            got += 1
            if got % STREAM_CHUNK == 1:
                time.sleep(0.2)  # 0.6 s in all: twice the limit
        assert got == rows
        with pytest.raises(errors.StatementTimeout):
            list(reader.stream("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                               "FROM n) SELECT count(*) FROM n").rows)


def test_an_error_mid_stream_is_zonedbs(any_db: str) -> None:
    """A statement failing after its first chunks raises a ZonedbError, not the driver's;
    the rows before it came as they were fetched."""
    fails_at, postgres = 2 * STREAM_CHUNK + 1, "://" in any_db
    bad = "CAST(CAST(i || '{' AS json) AS text)" if postgres else "json(i || '{')"  # malformed JSON
    with Reader(resolve_url(any_db)) as reader:
        stream = reader.stream(COUNT_TO.format(3 * STREAM_CHUNK) + "SELECT CASE WHEN i = "
                               f"{fails_at} THEN {bad} ELSE CAST(i AS text) END FROM n")
        got: list[tuple[Any, ...]] = []
        with pytest.raises(errors.ZonedbError):
            got.extend(stream.rows)
    if not postgres:  # the server may fail the statement before sending its first rows;
        # SQLite gives the chunks fetched before the one that met the error
        assert got == [(str(i),) for i in range(1, len(got) + 1)] and len(got) >= STREAM_CHUNK


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), st.booleans(),
                          st.text(max_size=3))))
def test_an_exports_column_types_are_read_as_the_rows_pass(values: list[Any]) -> None:
    """The export learns each column's type while streaming it (ColumnType): integer when
    every value is a whole int, number when every value is a number, else string; bools
    are not numbers, and no value at all gives the column's known type."""
    present = [v for v in values if v is not None]
    if not present:
        expected = "number"  # _WHEN_EMPTY["value"]
    elif all(type(v) is int for v in present):
        expected = "integer"
    elif all(type(v) in (int, float) for v in present):
        expected = "number"
    else:
        expected = "string"
    assert field_type(values, "value") == expected
