"""Ad-hoc SQL that cannot change the database by accident.

Two layers: a statement check here (one statement only; reads only unless
``write``), and the connection itself (SQLite opened read-only with
``PRAGMA query_only``; PostgreSQL in a read-only transaction with a statement
timeout), so a write disguised past the first layer still fails.
"""

from __future__ import annotations

import re

from zonedb.errors import RefusedStatement
from zonedb.store.db import Reader, Result

_READ_STARTS = {"select", "with", "values", "explain", "pragma", "show", "table"}
_WRITE_STARTS = {"insert", "update", "delete", "replace", "merge", "upsert", "create", "drop",
                 "alter", "truncate", "attach", "detach", "vacuum", "reindex", "analyze",
                 "grant", "revoke", "copy", "call", "do", "set", "reset", "begin", "commit",
                 "end", "rollback", "savepoint", "release", "lock", "comment", "cluster",
                 "refresh", "listen", "notify", "discard", "load", "import", "security"}
_TOKEN = re.compile(r"""--[^\n]*|/\*.*?(\*/|$)|'(?:[^']|'')*'?|"(?:[^"]|"")*"?|;|[^\s;'"/-]+|.""",
                    re.S)


def split_statements(sql: str) -> list[str]:
    """Statements of ``sql`` with comments removed; semicolons in strings don't split."""
    statements: list[list[str]] = [[]]
    for match in _TOKEN.finditer(sql):
        token = match.group(0)
        if token.startswith("--") or token.startswith("/*"):
            statements[-1].append(" ")
        elif token == ";":
            statements.append([])
        else:
            statements[-1].append(token)
    return [s for s in ("".join(parts).strip() for parts in statements) if s]


def check_statement(sql: str, *, write: bool) -> str:
    """The single statement to run, or DatabaseError saying why it is refused."""
    statements = split_statements(sql)
    if not statements:
        raise RefusedStatement("no SQL statement given")
    if len(statements) > 1:
        raise RefusedStatement(f"one statement at a time, please: found {len(statements)} "
                            "separated by ';'; nothing was run")
    statement = statements[0]
    first = statement.split(None, 1)[0].lower()
    if write:
        return statement
    if first not in _READ_STARTS and first not in _WRITE_STARTS:
        raise RefusedStatement(f"refused: {first!r} does not start a statement that only reads "
                            f"({', '.join(w.upper() for w in sorted(_READ_STARTS))}); "
                            "nothing was run")
    if first not in _READ_STARTS or (first == "pragma" and _pragma_writes(statement)):
        raise RefusedStatement(f"refused: {first.upper()} would change the database, and `zonedb "
                            "sql` is read-only; add --write to change it on purpose")
    return statement


# PRAGMAs that take an argument and only read: table_info(zones) and friends.
_READ_PRAGMAS = {"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo",
                 "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check",
                 "pragma_list", "function_list", "collation_list", "database_list"}


def _pragma_writes(statement: str) -> bool:
    """``PRAGMA x = y`` and ``PRAGMA x(y)`` set values, except the read-only ones above."""
    if "=" in statement:
        return True
    name = statement.split(None, 1)[1].split("(")[0].strip().split(".")[-1].lower() \
        if " " in statement.strip() else ""
    return "(" in statement and name not in _READ_PRAGMAS


def run_sql(reader: Reader, sql: str, *, write: bool = False) -> Result:
    """Run one statement; commit only when ``write`` is set."""
    statement = check_statement(sql, write=write)
    with reader:
        result = reader.execute(statement)
        if write:
            reader.commit()
    return result
