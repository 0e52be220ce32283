"""Reading a zonedb database: SQL over the v_* views, shared by the CLI and the Python API.

Everything here runs on a ``db.Reader`` (stdlib sqlite3 or psycopg), so a query
never imports SQLAlchemy, Alembic or Rich.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from zonedb.errors import UsageError
from zonedb.reports.agreement import preferred as preferred_flag
from zonedb.store.db import Reader, Result, Stream
from zonedb.store.search import SEARCHED, is_aligned, lookup
from zonedb.store.search import count as count_search
from zonedb.text.match import zones_named
from zonedb.text.vocab import ROLES


@dataclass(frozen=True)
class View:
    """One queryable table: its view, columns, and which filters apply to it."""

    name: str
    columns: tuple[str, ...]
    search: tuple[str, ...]
    order: str
    zone_column: str | None = "zone"
    metric_column: str | None = None
    period_column: str | None = None
    role_column: str | None = None
    figures: bool = False  # firms: how many indicators are about each, --with-figures
    ranks: bool = False  # indicators: statements of figures, --preferred

    @property
    def names(self) -> list[str]:
        """The view's output column names (after AS)."""
        return [c.split(" AS ")[-1].strip('"') for c in self.columns]


_PROV = ("source", "quote", "quote_start AS start", 'quote_end AS "end"')

# Indicators about a firm: stated of it, or of one of its projects (and not of it). Two
# counts, each an index lookup (0007_link_indexes); one with OR read every indicator.
_FIGURES = ("((SELECT count(*) FROM indicators i WHERE i.firm_id = v_firms.id) + "
            "(SELECT count(*) FROM projects p JOIN indicators i ON i.project_id = p.id "
            "WHERE p.firm_id = v_firms.id AND (i.firm_id IS NULL OR i.firm_id <> v_firms.id)))"
            " AS figures")


def _view(table: str, columns: tuple[str, ...], **kw: Any) -> View:
    name, searched = SEARCHED[table]
    return View(name, columns, searched, "id", **kw)


VIEWS: dict[str, View] = {
    "indicators": _view(
        "indicators",
        ("id", "zone", "metric", "metric_zh", "metric_en", "value", "value_high", "count",
         "unit", "qualifier", "period", "as_written", "role", "firm", "fund", "project",
         "note", "rank", "rank_reason", *_PROV),
        metric_column="metric", period_column="period", role_column="role", ranks=True),
    "reforms": _view("reforms", ("id", "zone", "slug", "name_zh", "name_en", "category",
                                 "summary", *_PROV)),
    "firms": _view("firms", ("id", "zone", "slug", "name_zh", "name_en", _FIGURES, "aliases",
                             "industry", "note", *_PROV), figures=True),
    "funds": _view("funds", ("id", "zone", "slug", "name_zh", "name_en", "note", *_PROV)),
    "projects": _view("projects", ("id", "zone", "slug", "name_zh", "name_en", "firm", "note",
                                   *_PROV)),
    "people": _view("people", ("id", "zone", "slug", "name_zh", "name_en", "role_zh",
                               "role_en", "organisation", "firm", "note", *_PROV)),
    "zones": _view("zones", ("id", "slug", "name_zh", "name_en", "aliases", "province", "city",
                             "district", "level", "kind", "indicators", "reforms"),
                   zone_column="slug"),
    "metrics": _view("metrics", ("id", "slug", "label_zh", "label_en", "unit", "description",
                                 "indicators"), zone_column=None, metric_column="slug"),
    "sources": _view("sources", ("id", "slug", "title", "publisher", "date", "author", "kind",
                                 "section_of", "chars", "sha256", "note"), zone_column=None),
}


# -- as of a date: only what sources published by then say -------------------------------

# The last day a source dated 2024, 2024-06 or 2024-06-30 can have been published: a source
# dated only by its year counts from the year's end (as of 2024-06-30 it may not exist yet).
PUBLISHED = ("CASE length(s.date) WHEN 4 THEN s.date || '-12-31' "
             "WHEN 7 THEN s.date || '-31' ELSE s.date END")
PUBLISHED_BY = f"s.date IS NOT NULL AND {PUBLISHED} <= :as_of"
"""SQL condition on a ``sources s`` row: published by the ``:as_of`` parameter."""


def as_of_date(text: str) -> str:
    """``--as-of`` as the YYYY-MM-DD it means; 2024-06 and 2024 mean the period's last day."""
    import calendar
    import datetime as dt

    raw = text.strip()
    try:
        if len(raw) == 4:
            return dt.date(int(raw), 12, 31).isoformat()
        if len(raw) == 7 and raw[4] == "-":
            year, month = int(raw[:4]), int(raw[5:])
            return dt.date(year, month, calendar.monthrange(year, month)[1]).isoformat()
        return dt.date.fromisoformat(raw).isoformat() if len(raw) == 10 else _bad_date(text)
    except ValueError:
        return _bad_date(text)


def _bad_date(text: str) -> str:
    raise UsageError(f"--as-of '{text}' is not a date: write 2024-06-30, 2024-06 or 2024")


def undated_sources(reader: Reader, view: str = "v_indicators") -> list[str]:
    """Slugs of sources without a date that rows of ``view`` rest on: an ``--as-of``
    answer leaves them out, and says so."""
    return [str(r[0]) for r in reader.execute(
        f"SELECT DISTINCT s.slug FROM sources s WHERE s.date IS NULL AND s.slug IN "
        f"(SELECT source FROM {view}) ORDER BY s.slug").rows]


_SHOWN = 10  # choices named when none is close; a national database has thousands of zones


def _suggest(word: str, choices: list[str], what: str, table: str | None = None
             ) -> UsageError:
    """The error for an unknown name: the close matches, else the first few choices and,
    when there are more, the ``zonedb query`` command that searches them all."""
    close = difflib.get_close_matches(word, choices, n=3, cutoff=0.5)
    if close:
        return UsageError(f"unknown {what} '{word}' (did you mean {' or '.join(close)}?)")
    shown = ", ".join(choices[:_SHOWN] if table else choices)
    more = f", …; see `zonedb query {table} --search WORD`" \
        if table and len(choices) > _SHOWN else ""
    return UsageError(f"unknown {what} '{word}'; choose from: {shown}{more}")


def _suggest_glob(pattern: str, slugs: list[str]) -> UsageError:
    """The error for a glob that matches no slug: the slugs holding a piece close to one of
    its words (``indsutrial*`` -> industrial_firms ...), else where to list them all."""
    def near(word: str, slug: str) -> bool:
        pieces = [slug[i:i + len(word)] for i in range(len(slug) - len(word) + 1)]
        return bool(difflib.get_close_matches(word, pieces, n=1, cutoff=0.75))

    words = [w for w in re.split(r"[*?]+", pattern) if w]
    close = sorted({slug for slug in slugs if any(near(w, slug) for w in words)})
    hint = f" (did you mean {' or '.join(close[:3])}?)" if close else \
        "; list them with `zonedb query metrics`"
    return UsageError(f"no metric matches '{pattern}'{hint}")


def resolve_zone(reader: Reader, name: str) -> str:
    """A zone's slug from its slug, Chinese or English name, or an alias."""
    exact = reader.execute("SELECT slug FROM zones WHERE slug = :slug",  # unique index: O(1)
                           {"slug": name.strip()}).rows
    if exact:
        return str(exact[0][0])
    rows = reader.execute("SELECT slug, name_zh, name_en, aliases FROM zones ORDER BY id").rows
    named = zones_named({str(slug): [name_zh, name_en, *(aliases or "").split("|")]
                         for slug, name_zh, name_en, aliases in rows}, name)
    if len(named) > 1:
        raise UsageError(f"zone '{name}' names {len(named)} zones ({', '.join(named)}): "
                         "give the slug")
    if named:
        return named[0]
    raise _suggest(name, [r[0] for r in rows] + [r[1] for r in rows], "zone", "zones")


def resolve_metric(reader: Reader, name: str) -> str:
    """A metric pattern: a slug, a label, or a glob such as ``above_scale_*`` (one that
    matches no metric's slug is an error, with the slugs its words come close to)."""
    rows = reader.execute("SELECT slug, label_zh, label_en FROM metrics ORDER BY id").rows
    if any(ch in name for ch in "*?"):
        # as the filter's LIKE reads it: * any run, ? one character, ASCII case-blind
        glob = re.compile("".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch)
                                  for ch in name.translate(_A_TO_Z)), re.S)
        slugs = [str(r[0]) for r in rows]
        if not any(glob.fullmatch(slug.translate(_A_TO_Z)) for slug in slugs):
            raise _suggest_glob(name, slugs)
        return name
    wanted = name.strip().casefold()
    for slug, label_zh, label_en in rows:
        if wanted in (slug.casefold(), (label_zh or "").casefold(), (label_en or "").casefold()):
            return str(slug)
    raise _suggest(name, [r[0] for r in rows], "metric", "metrics")


def query(reader: Reader, table: str, **filters: Any) -> Result:
    """Rows of one table through its view, filtered the same way for every caller (the
    filters are ``statement``'s)."""
    return reader.execute(*statement(reader, table, **filters))


def stream(reader: Reader, table: str, **filters: Any) -> Stream:
    """``query``'s rows as they are fetched, to be written out while ``reader`` is open:
    an export or a CSV in a pipe holds a chunk of rows, not all of them."""
    return reader.stream(*statement(reader, table, **filters))


def statement(reader: Reader, table: str, *, zones: list[str] | None = None,
              metrics: list[str] | None = None, period: str | None = None,
              since: str | None = None, role: str | None = None,
              search: str | None = None, sort: str | None = None, with_figures: bool = False,
              limit: int | None = None, offset: int = 0, as_of: str | None = None,
              preferred: bool = False) -> tuple[str, dict[str, Any]]:
    """The SQL and parameters of one table's rows through its view.
    ``period`` is a year (2024, also matching 2024-06), a month or an inclusive range
    (2020..2024, 2024-01/2024-11, 2020.., ..2024); ``since`` is the range from a year on;
    ``as_of`` (YYYY-MM-DD) keeps the rows from sources published by then; ``preferred``
    keeps one statement per figure, the one giving its preferred value (figures in
    conflict give none: ``in_conflict`` names them)."""
    view = VIEWS[table]
    # A search alone in id order wants the first rows of the index only (a terminal's 50)
    alone = not (zones or metrics or period or since or role or with_figures or as_of
                 or preferred)
    first = offset + limit if alone and sort is None and limit is not None else None
    sql, params = _select(reader, view, zones=zones, metrics=metrics, period=period,
                          since=since, role=role, search=search, with_figures=with_figures,
                          as_of=as_of, preferred=preferred, search_limit=first)
    sql += f" ORDER BY {_order(view, sort, postgres=reader.postgres)}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    if offset:  # SQLite needs a LIMIT before OFFSET; -1 is none
        sql += ("" if limit is not None or reader.postgres else " LIMIT -1") + \
            f" OFFSET {int(offset)}"
    return sql, params


def count(reader: Reader, table: str, **filters: Any) -> int:
    """How many rows ``query`` gives with these filters and no limit. A search alone is
    counted in the search index (every row it finds is in the view), not through the view."""
    search = filters.get("search")
    if search and not any(v for k, v in filters.items() if k != "search"):
        found = count_search(table, search, postgres=reader.postgres)
        if found is not None:
            return int(reader.execute(found.sql, found.params).rows[0][0])
    sql, params = _select(reader, VIEWS[table], **filters)
    return int(reader.execute(f"SELECT count(*) FROM ({sql}) AS q", params).rows[0][0])


def _select(reader: Reader, view: View, *, zones: list[str] | None = None,
            metrics: list[str] | None = None, period: str | None = None,
            since: str | None = None, role: str | None = None,
            search: str | None = None, with_figures: bool = False,
            as_of: str | None = None, preferred: bool = False,
            columns: str | None = None, search_limit: int | None = None
            ) -> tuple[str, dict[str, Any]]:
    table = view.name.removeprefix("v_")
    for flag, given, column in (("--zone", zones, view.zone_column),
                                ("--metric", metrics, view.metric_column),
                                ("--period", period, view.period_column),
                                ("--since", since, view.period_column),
                                ("--role", role, view.role_column),
                                ("--with-figures", with_figures, view.figures or None),
                                ("--preferred", preferred, view.ranks or None)):
        if given and column is None:  # a filter silently ignored would mislead
            raise UsageError(f"{flag} does not apply to {table}")
    if as_of is not None and table in ("zones", "metrics"):
        raise UsageError(f"--as-of does not apply to {table}")
    where: list[str] = []
    params: dict[str, Any] = {}
    if as_of is not None:
        params["as_of"] = as_of_date(as_of)
        if table == "sources":
            where.append(f"id IN (SELECT s.id FROM sources s WHERE {PUBLISHED_BY})")
        else:
            where.append(f"source IN (SELECT s.slug FROM sources s WHERE {PUBLISHED_BY})")
    if zones and view.zone_column:
        slugs = [resolve_zone(reader, z) for z in zones]
        names = [f":zone{i}" for i in range(len(slugs))]
        params.update({n[1:]: s for n, s in zip(names, slugs, strict=True)})
        where.append(f"{view.zone_column} IN ({', '.join(names)})")
    if metrics and view.metric_column:
        parts = []
        for i, pattern in enumerate(resolve_metric(reader, m) for m in metrics):
            if any(ch in pattern for ch in "*?"):  # LIKE is case-blind on SQLite only
                like = _like_escape(pattern.translate(_A_TO_Z))
                params[f"metric{i}"] = like.replace("*", "%").replace("?", "_")
                parts.append(f"{_lower(view.metric_column, reader.postgres)} LIKE "
                             f":metric{i} {_ESCAPE}")
            else:
                params[f"metric{i}"] = pattern
                parts.append(f"{view.metric_column} = :metric{i}")
        where.append("(" + " OR ".join(parts) + ")")
    if view.period_column and (period or since):
        if period and since:
            raise UsageError("give --period or --since, not both")
        span = parse_period(period) if period else parse_period(f"{since}..", "--since")
        where.append(span.sql(view.period_column, params, postgres=reader.postgres))
    if role and view.role_column:  # one role, or several: before,after
        roles = [r.strip() for r in role.split(",") if r.strip()]
        for r in roles or [role]:
            if r not in ROLES:
                raise UsageError(f"--role must be one of {', '.join(ROLES)}, or several "
                                 f"comma-separated (got '{r}')")
        names = [f"role{k}" for k in range(len(roles))]
        params.update(zip(names, roles, strict=True))
        where.append(f"{view.role_column} IN ({', '.join(':' + n for n in names)})")
    if with_figures:
        where.append("figures > 0")
    if preferred:
        where.append(f"{_preferred_column(as_of is not None)} = 1")
    if search:
        found = lookup(table, search, postgres=reader.postgres, limit=search_limit,
                       aligned=is_aligned(reader, table))  # joined to the view by id
        if found is not None:
            params.update(found.params)
            where.append(f"id IN ({found.sql})")
    sql = f"SELECT {columns or ', '.join(view.columns)} FROM {view.name}"
    if with_figures:  # figures is computed: filter it outside
        sql = f"SELECT * FROM ({sql}) AS v"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql, params


def _preferred_column(as_of: bool) -> str:
    """v_indicators' ``preferred``; as of a date, the same decided among the statements of
    sources published by then (the ``:as_of`` parameter)."""
    if not as_of:
        return "preferred"
    published = f" AND j.source_id IN (SELECT s.id FROM sources s WHERE {PUBLISHED_BY})"
    return (f"(SELECT {preferred_flag('i', published)} FROM indicators i "
            "WHERE i.id = v_indicators.id)")


FIGURE = ("zone", "metric", "period", "role", "firm", "fund", "project")


def in_conflict(reader: Reader, **filters: Any) -> list[dict[str, Any]]:
    """The figures (FIGURE keys) ``query(preferred=True)`` leaves out with these filters:
    their statements disagree and none is ranked preferred. Decided over all of a
    figure's statements (as of the date, if given), not only those ``search`` matches."""
    view = VIEWS["indicators"]
    search = filters.pop("search", None)
    filters = {**filters, "preferred": False}
    flag = _preferred_column(filters.get("as_of") is not None)
    sql, params = _select(reader, view, **filters,
                          columns=", ".join(FIGURE) + f", {flag} AS flag, rank")
    given: dict[tuple[Any, ...], bool] = {}
    for *key, flag_value, rank in reader.execute(sql + " ORDER BY id", params).rows:
        if rank != "deprecated":
            given[tuple(key)] = given.get(tuple(key), False) or flag_value == 1
    if search:
        sql, params = _select(reader, view, **filters, search=search,
                              columns=", ".join(FIGURE))
        found = {tuple(r) for r in reader.execute(sql, params).rows}
        given = {k: v for k, v in given.items() if k in found}
    return [dict(zip(FIGURE, key, strict=True)) for key, has in given.items() if not has]


def figure_label(figure: dict[str, Any], *, metric: bool = True) -> str:
    """A figure in a few words: zone [metric] period role about (firm, fund or project)."""
    about = figure["firm"] or figure["fund"] or figure["project"]
    parts = (figure["zone"], figure["metric"] if metric else None, figure["period"],
             figure["role"], about)
    return " ".join(str(x) for x in parts if x)


_PERIOD = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
PERIOD_FORMS = ("a year (2024, also matching 2024-06 and 2024-01/2024-11), a month (2024-06) "
                "or an inclusive range (2020..2024, 2024-01/2024-11, 2020.., ..2024)")


@dataclass(frozen=True)
class Period:
    """A --period as asked: ``exact`` for a year or month (also matching the periods that
    start with it), else the inclusive range ``low``..``high`` (either may be open): the
    periods lying within it."""

    exact: str | None = None
    low: str | None = None
    high: str | None = None

    def sql(self, column: str, params: dict[str, Any], *, postgres: bool) -> str:
        if self.exact is not None:
            params["period"] = self.exact
            params["period_prefix"] = _like_escape(self.exact) + "%"
            return f"({column} = :period OR {column} LIKE :period_prefix {_ESCAPE})"
        if postgres:
            start = f"split_part({column}, '/', 1)"
            end = f"coalesce(nullif(split_part({column}, '/', 2), ''), {column})"
            collate = ' COLLATE "C"'
        else:
            start = f"(CASE WHEN instr({column}, '/') > 0 THEN substr({column}, 1, " \
                    f"instr({column}, '/') - 1) ELSE {column} END)"
            end = f"substr({column}, instr({column}, '/') + 1)"
            collate = ""
        terms = [f"{column} IS NOT NULL"]
        if self.low:  # every period lying within: it starts on or after low ...
            params["period_low"] = self.low
            terms.append(f"{start}{collate} >= :period_low")
        if self.high:  # ... and ends on or before high (2024~ sorts after 2024-12)
            params["period_high"] = self.high + "~"
            terms.append(f"{end}{collate} <= :period_high")
        return "(" + " AND ".join(terms) + ")"


def parse_period(text: str, flag: str = "--period") -> Period:
    """A Period from what a user typed; anything else is a UsageError naming the forms."""
    given = text.strip()
    if ".." in given:
        low, _, high = given.partition("..")
        low, high = low.strip(), high.strip()
        if (low or high) and all(not p or _PERIOD.fullmatch(p) for p in (low, high)) \
                and (not low or not high or low <= high):
            return Period(low=low or None, high=high or None)
    elif "/" in given:  # 2024-01/2024-11 as stored, or 2020/2024 meant as a span
        low, _, high = given.partition("/")
        if _PERIOD.fullmatch(low) and _PERIOD.fullmatch(high) and low <= high:
            return Period(low=low, high=high)
    elif _PERIOD.fullmatch(given):
        return Period(exact=given)
    hint = ""
    if re.fullmatch(r"\d{4}\s*[-–~/]\s*\d{4}", given):
        hint = f" (did you mean {given[:4]}..{given[-4:]}?)"
    raise UsageError(f"{flag} must be {PERIOD_FORMS}; got '{text}'{hint}")


# Searches fold A-Z only: SQLite's lower() folds no other letter, and PostgreSQL's, which
# may fold more (É, Ｇ) depending on the server's locale, is held to A-Z by COLLATE "C".
_A_TO_Z = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ESCAPE = "ESCAPE '\\'"  # SQLite has no LIKE escape by default, PostgreSQL has \


def _like_escape(text: str) -> str:
    """``text`` for LIKE ... ESCAPE '\\': its %, _ and \\ stand for themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _lower(column: str, postgres: bool) -> str:
    return f'lower({column} COLLATE "C")' if postgres else f"lower({column})"


# View columns holding numbers; every other column is text.
_NUMERIC = {"id", "value", "value_high", "count", "start", "end", "indicators", "reforms",
            "figures", "chars"}


def _order(view: View, sort: str | None, *, postgres: bool = False) -> str:
    """ORDER BY that sorts alike on both engines: NULLs first ascending and last descending
    (SQLite's way), and text by code point (SQLite's BINARY; "C" on PostgreSQL)."""
    if not sort:
        return view.order
    names = view.names
    parts = []
    for item in sort.split(","):
        item = item.strip()
        desc = item.startswith("-")
        col = item.lstrip("-")
        if col not in names:
            raise _suggest(col, names, "sort column")
        collate = ' COLLATE "C"' if postgres and col not in _NUMERIC else ""
        parts.append(f'"{col}"{collate}' + (" DESC NULLS LAST" if desc else " NULLS FIRST"))
    return ", ".join(parts + [view.order])
