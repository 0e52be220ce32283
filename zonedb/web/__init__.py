"""``zonedb serve``: the database in Datasette, with zonedb's own pages as a plugin.

Datasette (the optional ``web`` extra) shows every table and view with facets, SQL and
CSV/JSON; this plugin adds what only zonedb knows: metadata generated from the database,
a zone page (the dossier of ``zonedb show``), a cite page for every row with the quote
highlighted in its source text, and the bigram search. Nothing here is imported by the
read commands; Datasette is imported only by ``run``.
"""

from __future__ import annotations

import asyncio
import html
import sqlite3
from pathlib import Path
from typing import Any

from markupsafe import Markup

from zonedb.web.meta import metadata

try:  # the hook decorator only exists with the extra installed; plain functions otherwise
    from datasette import hookimpl
except ImportError:  # pragma: no cover - the serve command says which extra to install
    def hookimpl(f: Any) -> Any:
        return f

__all__ = ["metadata", "run"]

CSS = """
body, .hd, .ft, table, input, textarea, button {
  font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "Noto Sans SC",
    "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
    "WenQuanYi Micro Hei", sans-serif;
}
mark.zq { background: #ffe066; padding: 0 .1em; font-weight: 600; }
.zonedb-context { font-size: 1.15em; line-height: 1.9; max-width: 46em; background: #f7f7f4;
  padding: .8em 1em; border-left: 4px solid #c9a227; }
.zonedb-facts th { text-align: left; padding-right: 1em; vertical-align: top; }
.zonedb-ok { color: #1a7f37; font-weight: 600; } .zonedb-bad { color: #b42318; font-weight: 600; }
.zonedb-search input[type=search] { font-size: 1.1em; width: 18em; }
"""

_KINDS = {"indicator": "indicators", "reform": "reforms", "firm": "firms", "fund": "funds",
          "project": "projects", "person": "people", "zone": "zones"}
_CITE_TABLES = {"v_indicators": "indicator", "indicators": "indicator", "v_reforms": "reform",
                "reforms": "reform", "v_firms": "firm", "firms": "firm", "v_funds": "fund",
                "funds": "fund", "v_projects": "project", "projects": "project",
                "v_people": "person", "people": "person"}
_ZONE_COLUMNS = {"v_indicators", "v_reforms", "v_firms", "v_funds", "v_projects", "v_people"}


def esc(value: Any) -> str:
    return "" if value is None else html.escape(str(value))


def _db_path(datasette: Any) -> Path:
    db = datasette.get_database()
    return Path(db.path)


def _reader(path: Path) -> Any:
    """A fresh read-only connection per page: after a re-seeding has swapped the file in,
    the next page reads the new one."""
    from zonedb.store.db import Reader, resolve_url

    return Reader(resolve_url(str(path)))


async def _page(datasette: Any, request: Any, title: str, body: str, status: int = 200) -> Any:
    from datasette.utils.asgi import Response

    text = await datasette.render_template("zonedb_page.html",
                                           {"title": title, "body": Markup(body)},
                                           request=request)
    return Response.html(text, status=status)


def _table(columns: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
                   for row in rows)
    return f'<table class="rows-and-columns"><thead><tr>{head}</tr></thead>' \
           f"<tbody>{body}</tbody></table>"


def zone_html(path: Path, slug: str) -> tuple[str, str]:
    """Title and body of a zone's page: the dossier of ``zonedb show``."""
    from zonedb.reports.dossier import SECTIONS, dossier

    with _reader(path) as reader:
        d = dossier(reader, slug)
    z = d["zone"]
    facts = [("Slug", z["slug"]), ("English name", z["name_en"]),
             ("Aliases", "、".join(z["aliases"])), ("Province", z["province"]),
             ("City", z["city"]), ("District", z["district"]), ("Level", z["level"]),
             ("Kind", z["kind"])]
    out = [f"<h1>{esc(z['name_zh'])} <small>{esc(z['name_en'])}</small></h1>",
           '<table class="zonedb-facts">'
           + "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in facts if v)
           + "</table>"]
    if z.get("quote"):
        out.append(f'<p>Named in: <a href="/cite/zone/{z["id"]}">“{esc(z["quote"])}”</a></p>')
    kinds = {"indicators": "indicator", "reforms": "reform", "firms": "firm", "funds": "fund",
             "people": "person", "projects": "project"}
    for name in SECTIONS:
        rows = d[name]
        if not rows:
            continue
        columns = list(rows[0])
        cells = []
        for rec in rows:
            row = []
            for c in columns:
                if c == "id" and name in kinds:
                    row.append(f'<a href="/cite/{kinds[name]}/{rec[c]}">cite {rec[c]}</a>')
                else:
                    row.append(esc(rec[c]))
            cells.append(row)
        count = d["counts"][name]
        out.append(f"<h2>{esc(name)} ({count})</h2>" + _table(columns, cells))
    return f"{z['name_zh']} · zonedb", "\n".join(out)


def citation(c: dict[str, Any]) -> str:
    """The citation string of a cite page: who, what, when, where in the file."""
    who = c.get("author") or ""
    parts = [p for p in (who, f"《{c['title']}》" if c.get("title") else c["source"],
                         c.get("date")) if p]
    where = f"{c['file']}, characters {c['file_start']}–{c['file_end']}" if c.get("file") \
        else f"characters {c['start']}–{c['end']}"
    return f"{', '.join(parts)}; {where} (sha256 {c['file_sha256']})"


def cite_html(path: Path, kind: str, row_id: int) -> tuple[str, str]:
    """Title and body of a cite page: the quote marked inside its surrounding text."""
    from zonedb.reports.cite import cite

    with _reader(path) as reader:
        c = cite(reader, f"{kind}:{row_id}")
    ok = '<span class="zonedb-ok">✓ verifies</span>' if c["verified"] else \
        '<span class="zonedb-bad">✗ does not verify</span>'
    facts = [("Row", f"{c['table']} {c['row_id']}"), ("Source", esc(c["source"])),
             ("Title", esc(c["title"])), ("Author", esc(c["author"])),
             ("Date", esc(c["date"])), ("File", esc(c["file"])),
             ("Offsets", f"{c['start']}–{c['end']} in {esc(c['source'])}"
                         + (f"; {c['file_start']}–{c['file_end']} in the file"
                            if c["section_of"] else "")),
             ("sha256", f"<code>{esc(c['file_sha256'])}</code> {ok}")]
    body = [f"<h1>{esc(c['label'])}</h1>",
            f'<p class="zonedb-context">{esc(c["before"])}<mark class="zq" id="quote">'
            f'{esc(c["quote"])}</mark>{esc(c["after"])}</p>',
            '<table class="zonedb-facts">'
            + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in facts if v) + "</table>",
            f'<h2>Citation</h2><p class="zonedb-citation">{esc(citation(c))}</p>']
    return f"cite {c['id']} · zonedb", "\n".join(body)


_OPEN, _CLOSE = "\x02", "\x03"  # marks that cannot occur in folded text, then <mark>


def search_form(term: str = "") -> str:
    return ('<form class="zonedb-search" action="/-/search" method="get">'
            f'<input type="search" name="q" value="{esc(term)}" placeholder="外资, 基金, fund">'
            ' <input type="submit" value="Search"></form>')


def search_html(path: Path, term: str) -> tuple[str, str]:
    """Title and body of the search page: every table's matching rows, match marked."""
    from zonedb.reports.search import search_all

    out = ["<h1>Search</h1>", search_form(term)]
    if term.strip():
        with _reader(path) as reader:
            hits = search_all(reader, term, limit=200, mark=(_OPEN, _CLOSE))
        out.append(f'<p class="zonedb-count">{len(hits)} rows contain “{esc(term)}”'
                   f"{' (first 200)' if len(hits) == 200 else ''}.</p>")
        rows = []
        for h in hits:
            snippet = esc(h.snippet).replace(_OPEN, '<mark class="zq">').replace(_CLOSE,
                                                                                 "</mark>")
            kind = h.cite.split()[-1].split(":")[0] if h.cite else ""
            link = f'<a href="/cite/{kind}/{h.id}">cite</a>' if kind else \
                f'<a href="/zone/{esc(h.zone)}">zone</a>' if h.table == "zones" else ""
            zone = f'<a href="/zone/{esc(h.zone)}">{esc(h.zone)}</a>' if h.zone else ""
            rows.append([esc(h.table), str(h.id), zone, str(h.matches), snippet, link])
        out.append(_table(["table", "id", "zone", "matches", "snippet", ""], rows))
    return f"search {term} · zonedb", "\n".join(out)


async def _guarded(datasette: Any, request: Any, build: Any, *args: Any) -> Any:
    """Run a page builder off the event loop; a user's bad link is a 404 page, not a trace."""
    from zonedb.errors import ZonedbError

    try:
        title, body = await asyncio.to_thread(build, _db_path(datasette), *args)
    except ZonedbError as exc:
        return await _page(datasette, request, "not found · zonedb",
                           f"<h1>Not found</h1><p>{esc(exc)}</p>", status=404)
    except sqlite3.Error as exc:  # the file being swapped by a re-seeding: try once more
        try:
            title, body = await asyncio.to_thread(build, _db_path(datasette), *args)
        except sqlite3.Error:
            return await _page(datasette, request, "busy · zonedb",
                               f"<h1>Busy</h1><p>{esc(exc)}; reload the page.</p>", status=503)
    return await _page(datasette, request, title, body)


async def zone_page(datasette: Any, request: Any) -> Any:
    return await _guarded(datasette, request, zone_html, request.url_vars["slug"])


async def cite_page(datasette: Any, request: Any) -> Any:
    kind = request.url_vars["kind"]
    if kind not in _KINDS:
        return await _page(datasette, request, "not found · zonedb",
                           f"<h1>Not found</h1><p>no kind '{esc(kind)}': use one of "
                           f"{', '.join(_KINDS)}</p>", status=404)
    return await _guarded(datasette, request, cite_html, kind, int(request.url_vars["id"]))


async def search_page(datasette: Any, request: Any) -> Any:
    return await _guarded(datasette, request, search_html, request.args.get("q", ""))


async def css(datasette: Any, request: Any) -> Any:
    from datasette.utils.asgi import Response

    return Response.text(CSS, headers={"content-type": "text/css; charset=utf-8"})


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    return [(r"^/zone/(?P<slug>[^/]+)$", zone_page),
            (r"^/cite/(?P<kind>[a-z]+)/(?P<id>\d+)$", cite_page),
            (r"^/-/search$", search_page),
            (r"^/-/zonedb\.css$", css)]


@hookimpl
def extra_css_urls() -> list[str]:
    return ["/-/zonedb.css"]


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str,
                datasette: Any) -> Markup | None:
    """Every row of the quoted tables links to its cite page; zone slugs to zone pages."""
    if table in _CITE_TABLES and column == "id" and isinstance(value, int):
        return Markup(f'<a href="/cite/{_CITE_TABLES[table]}/{value}">{value} · cite</a>')
    if column == "zone" and table in _ZONE_COLUMNS and isinstance(value, str):
        return Markup(f'<a href="/zone/{esc(value)}">{esc(value)}</a>')
    if table in ("zones", "v_zones") and column == "slug" and isinstance(value, str):
        return Markup(f'<a href="/zone/{esc(value)}">{esc(value)}</a>')
    return None


def run(path: Path, host: str, port: int, open_browser: bool = False) -> None:
    """Serve ``path`` read-only with this plugin until interrupted."""
    import sys
    import threading
    import webbrowser

    import uvicorn
    from datasette.app import Datasette
    from datasette.plugins import pm

    module = sys.modules[__name__]
    if not pm.is_registered(module):
        pm.register(module, name="zonedb")
    ds = Datasette([str(path)], metadata=metadata(path),
                   settings={"sql_time_limit_ms": 3000, "facet_time_limit_ms": 500})
    if open_browser:
        threading.Timer(1.0, webbrowser.open, [f"http://{host}:{port}/"]).start()
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
