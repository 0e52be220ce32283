"""``zonedb show``, ``cite``, ``compare`` and ``export``: each a few lines over the
module of the same name in zonedb.reports."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from zonedb.cli.options import (
    ROLE_WORDS,
    AsOfOpt,
    ColumnsOpt,
    CsvOpt,
    DbOpt,
    Format,
    FormatOpt,
    JsonOpt,
    Lang,
    LangOpt,
    NlOpt,
    NoColorOpt,
    PeriodOpt,
    TableOpt,
    ZoneOpt,
    as_of_notice,
    chosen_columns,
    color_choice,
    more_line,
    output_format,
    reader_for,
    row_cap,
)
from zonedb.errors import UsageError


def _only(fmt: Format, allowed: tuple[Format, ...], command: str) -> None:
    if fmt not in allowed:
        raise UsageError(f"zonedb {command} prints " + ", ".join(f.value for f in allowed)
                         + f"; not {fmt.value}")


def show(zone: Annotated[str, typer.Argument(metavar="ZONE",
                                             help="Zone slug or name, e.g. ganzhou.")],
         db: DbOpt = None,
         fmt: Annotated[Format, typer.Option(
             "--format", "-f", case_sensitive=False, metavar="FORMAT",
             help="Output format: table, json (one object) or markdown.")] = Format.table,
         json: JsonOpt = False, table: TableOpt = False, lang: LangOpt = Lang.en,
         limit: Annotated[int | None, typer.Option(
             "--limit", "-n", min=0, metavar="N",
             help="At most N rows per section (default 5).")] = None,
         every: Annotated[bool, typer.Option(
             "--all", help="Every row of every section.")] = False,
         as_of: AsOfOpt = None) -> None:
    """A one-screen dossier of a zone: names, facts, reforms, headline indicators, firms,
    funds, people, projects and sources.

    Example: zonedb show 赣州经开区 --format json; as the sources published by a date told
    it: zonedb show ganzhou --as-of 2024-06-30
    """
    from zonedb.render import count_of, render_document, render_json
    from zonedb.reports.dossier import dossier, sections

    fmt = output_format(fmt, json=json, table=table)
    _only(fmt, (Format.table, Format.json, Format.markdown), "show")
    if every and limit is not None:
        raise UsageError("give --all or --limit, not both")
    with reader_for(db) as reader:
        d = dossier(reader, zone, limit=None if every else 5 if limit is None else limit,
                    as_of=as_of)
        as_of_notice(reader, as_of)
    if fmt is Format.json:
        return render_json(d)
    z = d["zone"]
    title = f"{z['name_zh']} · {z['slug']} · zone:{z['id']}"
    facts = [("name", z["name_en"]), ("aliases", ", ".join(z["aliases"])),
             ("where", ", ".join(p for p in (z["district"], z["city"], z["province"]) if p)),
             ("level", z["level"]), ("kind", z["kind"]),
             ("on record", ", ".join(count_of(n, k) for k, n in d["counts"].items() if n)),
             ("named in", f"{z['quote']} ({z['source']} {z['start']}–{z['end']})"
              if z["quote"] else None)]
    render_document(title, facts, sections(d), fmt.value, lang=lang.value)


class CiteFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"
    csl_json = "csl-json"
    bibtex = "bibtex"


def cite(ref: Annotated[str, typer.Argument(
        metavar="ID", help="An indicator id (42), table:id (reform:3, firm:2, fund:1, "
                           "project:4, person:5, zone:1), source:SLUG, or sources (all).")],
         db: DbOpt = None,
         fmt: Annotated[CiteFormat, typer.Option(
             "--format", "-f", case_sensitive=False, metavar="FORMAT",
             help="Output format: table, csv, json, jsonl, markdown, or csl-json / bibtex "
                  "for a reference manager (the source of the row).")] = CiteFormat.table,
         context: Annotated[int, typer.Option(
             "--context", "-C", min=0, metavar="N",
             help="Characters of source text around the quote, at most (cut at sentence "
                  "ends).")] = 120) -> None:
    """Show the source sentence behind a row: its quote highlighted inside the text
    around it, with the source title, offsets, the sha256 of the source file and how to
    cite the source.

    Example: zonedb cite 42; zonedb cite reform:3 --format json; zonedb cite source:SLUG;
    zonedb cite sources --format bibtex > zonedb.bib
    """
    from zonedb.render import render, render_json, render_passage
    from zonedb.reports.cite import bibtex_entry, csl_item, sources_to_cite
    from zonedb.reports.cite import cite as cite_row

    whole = ref.strip() == "sources" or ref.strip().startswith("source:")
    with reader_for(db) as reader:
        srcs = sources_to_cite(reader, ref)
        c = None if whole else cite_row(reader, ref, context=context)
    if fmt is CiteFormat.csl_json:
        return render_json([csl_item(s) for s in srcs])
    if fmt is CiteFormat.bibtex:
        typer.echo("\n\n".join(bibtex_entry(s) for s in srcs))
        return None
    if c is None:
        columns = ["slug", "kind", "title", "publisher", "author", "date", "date_accessed",
                   "url", "licence", "language", "section_of", "citation"]
        if fmt is CiteFormat.json and ref.strip() != "sources":
            return render_json({k: srcs[0][k] for k in columns})
        if fmt is not CiteFormat.table:
            return render(columns, [tuple(s[k] for k in columns) for s in srcs], fmt.value)
        for s in srcs:
            typer.echo(f"{s['slug']}: {s['citation']}")
        return None
    c["citation"] = srcs[0]["citation"]
    if fmt is CiteFormat.json:
        return render_json(c)
    if fmt is not CiteFormat.table:
        return render(list(c), [tuple(c.values())], fmt.value)
    where = f" (section of {c['section_of']}, {c['file_start']}–{c['file_end']} in the file)" \
        if c["section_of"] else ""
    typer.echo(f"{c['id']}  {c['label']}")
    typer.echo(f"source: {c['source']} · {c['title'] or '(untitled)'}"
               + (f" · {c['author']}" if c["author"] else "")
               + (f" · {c['date']}" if c["date"] else ""))
    typer.echo("")
    render_passage(c["before"], c["quote"], c["after"])
    typer.echo("")
    typer.echo(f"quote at characters {c['start']}–{c['end']} of {c['source']}{where}")
    typer.echo(f"file {c['file']}")  # the sha256 on a line of its own: 80 columns fit it
    typer.echo(f"sha256 {c['file_sha256']}")
    typer.echo("verified: the quote is the text at these offsets and the text matches its "
               "sha256" if c["verified"] else "NOT VERIFIED: the stored text and quote disagree")
    typer.echo(f"cite as: {c['citation']}")
    return None


def compare(metric: Annotated[str, typer.Argument(metavar="METRIC",
                                                  help="Metric slug or label, e.g. "
                                                       "signed_investment.")],
            db: DbOpt = None, zone: ZoneOpt = None, period: PeriodOpt = None,
            role: Annotated[str | None, typer.Option(
                "--role", metavar="ROLE",
                help=f"Compare the figures stated as {ROLE_WORDS} (or several: "
                     "before,after); a change or a target is only compared when asked for "
                     "here.")] = None,
            every: Annotated[bool, typer.Option(
                "--all", help="Every row of every zone, each role charted on its own "
                              "(default: each zone's latest level, top zones charted).")] = False,
            top: Annotated[int, typer.Option(
                "--top", min=1, metavar="N", help="Zones charted, largest first.")] = 20,
            columns: ColumnsOpt = None, fmt: FormatOpt = Format.table, csv: CsvOpt = False,
            json: JsonOpt = False, nl: NlOpt = False, table: TableOpt = False,
            lang: LangOpt = Lang.en, no_color: NoColorOpt = False,
            preferred: Annotated[bool, typer.Option(
                "--preferred", help="One value per figure, its preferred one (see zonedb "
                "conflicts); figures whose sources disagree are left out and named.")
            ] = False) -> None:
    """Compare one metric across zones like with like: each zone's latest stated level
    (targets and changes are not levels: see them with --role target or --role change; an
    "after" replaces its "before"; rows without a period go by their source's date), as a
    table and a bar chart of the top zones; values of different units are never charted
    together.

    Example: zonedb compare above_scale_industrial_firms --period 2020..2024;
    one value per figure: zonedb compare operating_revenue --preferred
    """
    from zonedb.render import cell_text, count_of, notice, render, render_bars
    from zonedb.reports.compare import COLUMNS
    from zonedb.reports.compare import compare as compare_metric

    fmt = output_format(fmt, csv=csv, json=json, nl=nl, table=table)
    chosen = chosen_columns(columns, COLUMNS)
    cap, capped = row_cap(fmt, None, every)
    with reader_for(db) as reader:
        c = compare_metric(reader, metric, zones=zone, period=period, role=role, every=every,
                           preferred=preferred)
    names, rows = c.table(brief=fmt is Format.table and not chosen)
    if c.in_conflict:
        notice(f"left out {count_of(len(c.in_conflict), 'figures')} in conflict (zonedb "
               "conflicts): " + ", ".join(c.in_conflict))
    label = c.metric["label_zh" if lang is Lang.zh else "label_en"]
    more = None
    if capped and cap is not None and len(rows) > cap:
        more = more_line(cap, len(rows), f"zonedb compare {c.metric['slug']}")
        rows = rows[:cap]
    render(names, rows, fmt.value, lang=lang.value, title=f"{c.metric['slug']}: {label}",
           chosen=chosen, color=color_choice(no_color), more=more)
    if c.left_out and fmt is Format.table:
        sys.stdout.flush()
        typer.echo(f"({count_of(c.left_out, 'rows')} left out: earlier levels, changes and "
                   "targets; --all shows every row)", err=True)
    if fmt is not Format.table or not c.rows:
        return
    c.check_units()
    groups = [(r, [x for x in c.rows if x["role"] == r]) for r in c.roles] \
        if every and len(c.roles) > 1 else [(None, c.rows)]
    for group_role, group in groups:
        typer.echo("")
        if group_role is not None or len(groups) > 1:
            typer.echo(f"{group_role or 'level'}:")
        charted = group if every else group[:top]
        render_bars([r["label"] for r in charted], [r["value"] for r in charted],
                    c.units[0])
        if len(charted) < len(group):
            rest = group[len(charted):]
            typer.echo(f"… {count_of(len(rest), 'zones')} more, from "
                       f"{cell_text(rest[0]['value'])} to {cell_text(rest[-1]['value'])}"
                       f"{' ' + c.units[0] if c.units[0] else ''} (--top N or --all to "
                       "chart them)")


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"


def export(directory: Annotated[Path, typer.Argument(metavar="DIR", help="Folder to write "
                                                     "(created if needed).")],
           db: DbOpt = None,
           fmt: Annotated[ExportFormat, typer.Option(
               "--format", "-f", case_sensitive=False, metavar="FORMAT",
               help="File format of the tables: csv or json.")] = ExportFormat.csv,
           csv: Annotated[bool, typer.Option("--csv", help="Same as --format csv (the "
                                                           "default).")] = False,
           json: Annotated[bool, typer.Option("--json", help="Same as --format json.")
                           ] = False,
           force: Annotated[bool, typer.Option(
               "--force", help="Overwrite files in DIR that an earlier export did not "
                               "write.")] = False,
           ) -> None:
    """Export every table (one file each) and a Frictionless datapackage.json describing
    them, for pandas, Excel, Datasette or Frictionless tools.

    Example: zonedb export out/ && python -c "import json; json.load(open('out/datapackage.json'))"
    """
    from zonedb.reports.export import export as export_all

    picked = output_format(Format(fmt.value), csv=csv, json=json, default=Format.csv)
    fmt = ExportFormat(picked.value)
    with reader_for(db) as reader:
        written = export_all(reader, directory, fmt=fmt.value, force=force)
    for w in written:
        typer.echo(f"{w.path}: {w.rows} rows", err=True)
    typer.echo(f"{directory / 'datapackage.json'}: describes {len(written)} resources", err=True)


def register(app: typer.Typer) -> None:
    app.command()(show)
    app.command()(cite)
    app.command()(compare)
    app.command()(export)
