"""Ad-hoc SQL that cannot change the database, nor reach past its tables.

Layers, each enough on its own for the attacks in the catalogue (tests/test_attacks*.py):

1. A lexer that knows each engine's quoting (PostgreSQL: ``$tag$`` dollar quotes, ``E''``
   strings with backslash escapes, nested ``/* */`` comments, ``U&`` forms; SQLite:
   ``[ident]`` and backticks, flat comments) finds statement boundaries and the words
   of the statement: one statement only, starting with a reading keyword, naming none of
   the functions that reach files, programs, other sessions or settings.
2. The driver runs one statement at most (sqlite3 refuses more; on PostgreSQL the
   extended protocol, ``prepare=True`` or ``stream``, runs exactly one).
3. The connection: SQLite read-only with ``query_only``, an authorizer (store.db) and a
   length limit; PostgreSQL in a read-only transaction with a statement timeout, switched
   to the NOLOGIN role ``zonedb_reader`` (SELECT only) when it exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from zonedb.errors import RefusedStatement
from zonedb.store.db import READER_ROLE, Reader, Result

_READ_STARTS = {"select", "with", "values", "explain", "pragma", "show", "table"}
_WRITE_STARTS = {"insert", "update", "delete", "replace", "merge", "upsert", "create", "drop",
                 "alter", "truncate", "attach", "detach", "vacuum", "reindex", "analyze",
                 "grant", "revoke", "copy", "call", "do", "set", "reset", "begin", "commit",
                 "end", "rollback", "savepoint", "release", "lock", "comment", "cluster",
                 "refresh", "listen", "notify", "discard", "load", "import", "security",
                 "prepare", "execute", "deallocate", "declare", "fetch", "move", "close",
                 "checkpoint", "abort", "start", "unlisten"}

# PostgreSQL functions that read server files, run programs, touch other sessions, change
# settings (set_config can undo SET ROLE and the timeout) or run SQL given as text (which
# would escape this check). A name matches whole or, ending in '*', by prefix.
_PG_REFUSED = (
    "pg_read_*", "pg_ls_*", "pg_stat_file", "pg_file_*", "pg_logdir_ls", "lo_*",
    "loread", "lowrite", "dblink*", "pg_terminate_backend", "pg_cancel_backend",
    "pg_signal_backend", "pg_reload_conf", "pg_rotate_logfile*", "pg_switch_wal",
    "pg_switch_xlog", "pg_stat_reset*", "pg_stat_statements_reset", "pg_create_*",
    "pg_drop_replication_slot", "pg_copy_*_replication_slot", "pg_replication_*",
    "pg_logical_*", "pg_promote", "pg_backup_*", "pg_start_backup", "pg_stop_backup",
    "pg_wal_replay_*", "pg_log_backend_memory_contexts", "pg_sync_replication_slots",
    "pg_import_system_collations", "pg_current_logfile", "pg_notify", "pg_advisory*",
    "pg_try_advisory*", "set_config", "query_to_xml*", "cursor_to_xml*", "table_to_xml*",
    "schema_to_xml*", "database_to_xml*", "ts_stat", "ts_rewrite", "pg_sleep_*",
    "binary_upgrade_*", "pg_extension_config_dump", "dblink", "pg_nextoid",
    "pg_clear_*", "pg_restore_*", "pg_stat_force_next_flush",
)


@dataclass(frozen=True)
class Token:
    kind: str  # word, ident (quoted), string, number, param, op, semi
    text: str  # a word lowercased, a quoted identifier unquoted, else as written
    start: int
    end: int


_WORD = re.compile(r"[A-Za-z_\u0080-\U0010ffff][\w$\u0080-\U0010ffff]*")
_NUMBER = re.compile(r"(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?")
_DOLLAR = re.compile(r"\$([A-Za-z_\u0080-\U0010ffff][\w\u0080-\U0010ffff]*)?\$")
_SPACE = re.compile(r"\s+")


class _Unterminated(Exception):
    def __init__(self, what: str, start: int) -> None:
        self.what = what
        self.start = start


def tokens(sql: str, *, postgres: bool) -> Iterator[Token]:
    """The tokens of ``sql`` as the engine reads them; comments and whitespace dropped.
    PostgreSQL is read with standard_conforming_strings on, which the connection sets."""
    i, n = 0, len(sql)
    while i < n:
        c = sql[i]
        if c.isspace():
            i = _SPACE.match(sql, i).end()  # type: ignore[union-attr]
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end < 0 else end + 1
        elif sql.startswith("/*", i):
            i = _comment_end(sql, i, nested=postgres)
        elif c == "'":
            end = _quoted_end(sql, i, "'", backslash=False)
            yield Token("string", sql[i:end], i, end)
            i = end
        elif c == '"' or (not postgres and c in "`["):
            close = {"`": "`", "[": "]"}.get(c, '"')
            end = _quoted_end(sql, i, close, backslash=False, doubled=close != "]")
            yield Token("ident", sql[i + 1:end - 1].replace(close * 2, close), i, end)
            i = end
        elif postgres and c == "$" and (m := _DOLLAR.match(sql, i)):
            found = sql.find(m.group(0), m.end())
            if found < 0:
                raise _Unterminated("dollar-quoted string", i)
            yield Token("string", sql[i:found + len(m.group(0))], i,
                        found + len(m.group(0)))
            i = found + len(m.group(0))
        elif c.isdigit() or (c == "." and i + 1 < n and sql[i + 1].isdigit()):
            m = _NUMBER.match(sql, i)
            end = m.end() if m else i + 1
            yield Token("number", sql[i:end], i, end)
            i = end
        elif m := _WORD.match(sql, i):
            word, end = m.group(0), m.end()
            if postgres and word.lower() == "u" and sql.startswith("&", end):
                raise RefusedStatement("refused: U& (Unicode-escaped) strings and names are "
                                       "not accepted by `zonedb sql`; write the characters "
                                       "themselves; nothing was run")
            if end < n and sql[end] == "'" and (postgres or word.lower() in ("x",)):
                backslash = postgres and word.lower() == "e"
                stop = _quoted_end(sql, end, "'", backslash=backslash)
                yield Token("string", sql[i:stop], i, stop)
                i = stop
            else:
                yield Token("word", word.lower(), i, end)
                i = end
        elif c == ";":
            yield Token("semi", c, i, i + 1)
            i += 1
        elif c in "$?:@" and i + 1 < n and (sql[i + 1].isalnum() or sql[i + 1] == "_"):
            m = re.compile(r"[\w$]+").match(sql, i + 1)
            end = m.end() if m else i + 1
            yield Token("param", sql[i:end], i, end)
            i = end
        else:
            yield Token("op", c, i, i + 1)
            i += 1


def _comment_end(sql: str, start: int, *, nested: bool) -> int:
    depth, i = 0, start
    while True:
        opening = sql.find("/*", i) if nested else -1
        closing = sql.find("*/", i + 2 if i == start else i)
        if closing < 0:
            raise _Unterminated("comment", start)
        if nested and 0 <= opening < closing:
            depth += 1
            i = opening + 2
            continue
        depth -= 1
        i = closing + 2
        if depth <= 0:
            return i


def _quoted_end(sql: str, start: int, close: str, *, backslash: bool,
                doubled: bool = True) -> int:
    i = start + 1
    while True:
        j = sql.find(close, i)
        if backslash:
            k = sql.find("\\", i)
            if 0 <= k < j or (k >= 0 and j < 0):
                i = k + 2
                continue
        if j < 0:
            raise _Unterminated("quoted text" if close == "'" else "quoted name", start)
        if doubled and sql.startswith(close * 2, j):
            i = j + 2
            continue
        return j + 1


def statements(sql: str, *, postgres: bool) -> list[list[Token]]:
    """The statements of ``sql``, each as its tokens (empty statements dropped)."""
    try:
        found: list[list[Token]] = [[]]
        for token in tokens(sql, postgres=postgres):
            if token.kind == "semi":
                found.append([])
            else:
                found[-1].append(token)
    except _Unterminated as exc:
        raise RefusedStatement(f"refused: unterminated {exc.what} starting at character "
                               f"{exc.start + 1}; nothing was run") from None
    return [s for s in found if s]


def _refused_function(name: str) -> bool:
    return any(name.startswith(p[:-1]) if p.endswith("*") else name == p
               for p in _PG_REFUSED)


def check_statement(sql: str, *, write: bool, postgres: bool = False) -> str:
    """The statement to run, or RefusedStatement saying why it is refused."""
    found = statements(sql, postgres=postgres)
    if not found:
        raise RefusedStatement("no SQL statement given")
    if len(found) > 1:
        raise RefusedStatement(f"one statement at a time, please: found {len(found)} "
                               "separated by ';'; nothing was run")
    words = found[0]
    # the statement alone: no trailing ';' or comment for the driver to count as another
    text = sql[words[0].start:words[-1].end]
    if write:
        return text
    first = next((t for t in words if t.kind != "op" or t.text != "("), words[0])
    if first.kind != "word" or first.text not in _READ_STARTS | _WRITE_STARTS:
        shown = first.text[:40]
        raise RefusedStatement(f"refused: {shown!r} does not start a statement that only "
                               f"reads ({', '.join(w.upper() for w in sorted(_READ_STARTS))}); "
                               "nothing was run")
    if first.text not in _READ_STARTS or (first.text == "pragma" and _pragma_writes(words)):
        raise RefusedStatement(f"refused: {first.text.upper()} would change the database, "
                               "and `zonedb sql` is read-only; add --write to change it on "
                               "purpose")
    if postgres:
        for token in words:
            if token.kind in ("word", "ident") and _refused_function(token.text.split(".")[-1]):
                raise RefusedStatement(
                    f"refused: {token.text}() reaches outside zonedb's tables (server files, "
                    "programs, other sessions, settings or SQL run as text), and `zonedb sql` "
                    f"only reads them; nothing was run. For least privilege, run `zonedb db "
                    f"grant-reader` once: read commands then switch to the NOLOGIN role "
                    f"{READER_ROLE}, which may only SELECT")
    return text


# PRAGMAs that take an argument and only read: table_info(zones) and friends.
_READ_PRAGMAS = {"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo",
                 "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check",
                 "pragma_list", "function_list", "collation_list", "database_list"}


def _pragma_writes(words: list[Token]) -> bool:
    """``PRAGMA x = y`` and ``PRAGMA x(y)`` set values, except the read-only ones above."""
    if any(t.kind == "op" and t.text == "=" for t in words):
        return True
    paren = next((i for i, t in enumerate(words) if t.kind == "op" and t.text == "("), None)
    if paren is None:
        return False
    names = [t.text for t in words[1:paren] if t.kind in ("word", "ident")]
    return (names[-1] if names else "") not in _READ_PRAGMAS


def run_sql(reader: Reader, sql: str, *, write: bool = False, max_rows: int | None = None,
            max_bytes: int | None = None) -> Result:
    """Run one statement; commit only when ``write`` is set. Stops with ResultTooLarge
    past ``max_rows`` rows or ``max_bytes`` bytes of values."""
    statement = check_statement(sql, write=write, postgres=reader.postgres)
    with reader:
        result = reader.execute(statement, max_rows=max_rows, max_bytes=max_bytes)
        if write:
            reader.commit()
    return result
