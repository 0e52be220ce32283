"""Every output format in one place: table (Rich), csv, json, jsonl and markdown.

Machine formats carry full values, UTF-8, numbers as numbers. Rich is imported
only when a table is drawn, so csv/json output starts fast.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from typing import IO, Any

FORMATS = ("table", "csv", "json", "jsonl", "markdown")

# Columns a terminal table leaves out (they stay in every machine format).
_HIDDEN_IN_TABLE = {"metric_zh", "metric_en", "value_high", "count", "note", "start", "end",
                    "sha256", "aliases", "role_zh", "source"}
_LONG = {"quote", "summary", "title", "description", "name_en", "organisation", "role_en"}


def plain(value: Any) -> Any:
    """Whole floats as ints (84000, not 84000.0); everything else unchanged."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _json_value(value: Any) -> Any:
    """Values json cannot write (ad-hoc SQL on PostgreSQL gives dates, times, intervals,
    UUIDs, bytea; SQLite gives blobs): dates and times as ISO text, bytes as hex, the rest
    as their text, rather than a traceback halfway through the output."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def render_json(obj: Any, out: IO[str] | None = None) -> None:
    """One JSON document (``show``, ``cite`` and ``diff`` objects) written as ``render``
    writes rows: UTF-8 as is, indented, odd values through ``_json_value``."""
    out = out or sys.stdout
    json.dump(obj, out, ensure_ascii=False, indent=2, default=_json_value)
    out.write("\n")


def records(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
    return [{c: plain(v) for c, v in zip(columns, row, strict=True)} for row in rows]


def render(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, *,
           lang: str = "en", title: str | None = None, out: IO[str] | None = None) -> None:
    """Write rows to ``out`` (stdout) in one of FORMATS."""
    out = out or sys.stdout
    if fmt == "json":
        json.dump(records(columns, rows), out, ensure_ascii=False, indent=2,
                  default=_json_value)
        out.write("\n")
    elif fmt == "jsonl":
        for rec in records(columns, rows):
            out.write(json.dumps(rec, ensure_ascii=False, default=_json_value) + "\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([plain(v) for v in row] for row in rows)
    elif fmt == "markdown":
        _markdown(columns, rows, out)
    else:
        _table(columns, rows, out, lang=lang, title=title)


_CELL_CHARS = 10_000


def _cell(value: Any) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) >= 1e6 else f"{value:g}"
    text = str(value)
    # A terminal cell shows a line's worth: cut before splitting, so a 200 MB value costs
    # no more than a short one (machine formats carry values whole).
    return " ".join(text[:_CELL_CHARS].split()) + ("…" if len(text) > _CELL_CHARS else "")


def _markdown(columns: Sequence[str], rows: Sequence[Sequence[Any]], out: IO[str]) -> None:
    out.write("| " + " | ".join(columns) + " |\n")
    out.write("|" + "|".join("---" for _ in columns) + "|\n")
    for row in rows:
        cells = [_cell(v).replace("|", "\\|") for v in row]
        out.write("| " + " | ".join(cells) + " |\n")


def table_columns(columns: Sequence[str], rows: Sequence[Sequence[Any]], lang: str) -> list[int]:
    """Which columns a terminal table shows: labels in the chosen language, no empty columns
    and no long extras (machine formats keep them all)."""
    keep = []
    hidden = set(_HIDDEN_IN_TABLE)
    if "quote" not in columns:  # provenance columns are hidden only beside the quote itself
        hidden -= {"source", "start", "end"}
    if "metric_zh" in columns:
        hidden.discard("metric_zh" if lang == "zh" else "metric_en")
        hidden.add("metric")
    if "name_zh" in columns and "name_en" in columns:
        hidden.add("name_en" if lang == "zh" else "name_zh")
    if "label_zh" in columns:
        hidden.add("label_en" if lang == "zh" else "label_zh")
    for i, name in enumerate(columns):
        if name not in hidden and (not rows or any(row[i] not in (None, "") for row in rows)):
            keep.append(i)
    return keep or list(range(len(columns)))


_DROP_FIRST = ("qualifier", "period", "role", "firm", "fund", "project", "industry", "category",
               "organisation", "kind", "level", "district", "section_of", "author")
_NUMERIC = {"id", "value", "indicators", "reforms", "chars", "start", "end", "rows"}


def fit_widths(names: Sequence[str], widest: Sequence[int], budget: int,
               values: Sequence[int] | None = None) -> list[int]:
    """Column widths that fit ``budget`` cells: ids and numbers keep their full width
    (a row must always show its id), the widest text column gives way first."""
    widths = [w if n in _NUMERIC else min(w, 60)
              for n, w in zip(names, widest, strict=True)]
    floor = [min(w, 6) for w in widths]
    if values is not None:  # a number column may cut its header, never its numbers
        floor = [max(2, values[j]) if n in _NUMERIC else f
                 for j, (n, f) in enumerate(zip(names, floor, strict=True))]
    while sum(widths) > budget:
        j = max(range(len(widths)), key=lambda k: widths[k] - floor[k])
        if widths[j] <= floor[j]:
            break
        widths[j] -= 1
    return widths


def _table(columns: Sequence[str], rows: Sequence[Sequence[Any]], out: IO[str], *,
           lang: str, title: str | None, compact: bool = False) -> None:
    from rich import box
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, highlight=False, soft_wrap=False)
    keep = table_columns(columns, rows, lang)
    table = Table(title=title, show_lines=False, header_style="bold",
                  box=box.SIMPLE_HEAD if compact else box.HEAVY_HEAD, show_edge=not compact,
                  title_justify="left" if compact else "center")
    cells: list[list[str]] = [[_cell(row[i]) for i in keep] for row in rows]
    names = [columns[i] for i in keep]
    widest = [max([cell_len(n)] + [cell_len(r[j]) for r in cells]) for j, n in enumerate(names)]
    values = [max([0] + [cell_len(r[j]) for r in cells]) for j in range(len(names))]
    widths = fit_widths(names, widest, console.width - 3 * len(names) - 1, values)
    dropped = []
    while sum(widths) > console.width - 3 * len(names) - 1 and len(names) > 2:
        # Too narrow even at minimum widths: leave out side columns first, then the last.
        side = [k for k, n in enumerate(names) if n in _DROP_FIRST]
        j = side[-1] if side else len(names) - 1
        dropped.append(names.pop(j))
        for seq in (widest, values):
            seq.pop(j)
        for row_cells in cells:
            row_cells.pop(j)
        widths = fit_widths(names, widest, console.width - 3 * len(names) - 1, values)
    for name, width in zip(names, widths, strict=True):
        table.add_column(name, justify="right" if name in _NUMERIC else "left", no_wrap=True,
                         overflow="ellipsis", width=width, min_width=width)
    for row_cells in cells:
        table.add_row(*row_cells)
    console.print(table)
    if dropped:
        print(f"({len(dropped)} columns left out to fit {console.width} cells: "
              f"{', '.join(reversed(dropped))}; see them with --format csv or a wider "
              "terminal)", file=sys.stderr)
    if not rows and not compact:
        print("(no rows)", file=sys.stderr)


def render_document(title: str, facts: Sequence[tuple[str, Any]],
                    sections: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]],
                    fmt: str, *, lang: str = "en", out: IO[str] | None = None) -> None:
    """A heading, ``key: value`` facts and titled row lists (``zonedb show``), as a
    terminal table or markdown. Empty facts are left out."""
    out = out or sys.stdout
    facts = [(k, v) for k, v in facts if v not in (None, "", [])]
    if fmt == "markdown":
        out.write(f"# {title}\n\n")
        out.writelines(f"- **{k}**: {_cell(v)}\n" for k, v in facts)
        for name, columns, rows in sections:
            out.write(f"\n## {name}\n\n")
            _markdown(columns, rows, out)
        return
    from rich.console import Console
    from rich.panel import Panel
    from rich.text import Text

    body = Text()
    for i, (key, value) in enumerate(facts):
        body.append(("\n" if i else "") + f"{key}: ", style="bold")
        body.append(_cell(value))
    Console(file=out, highlight=False).print(Panel(body, title=title, title_align="left"))
    for name, columns, rows in sections:
        _table(columns, rows, out, lang=lang, title=name, compact=True)


def render_passage(before: str, span: str, after: str, *, out: IO[str] | None = None) -> None:
    """Source text with the quoted span highlighted: reverse video on a terminal, 【】
    around it in a pipe (where colour codes would be noise)."""
    out = out or sys.stdout
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, highlight=False, soft_wrap=True)  # no inserted line breaks
    text = Text(before)
    if console.is_terminal:
        text.append(span, style="bold reverse yellow")
    else:
        text.append(f"【{span}】")
    text.append(after)
    console.print(text)


def render_bars(labels: Sequence[str], values: Sequence[float], unit: str | None, *,
                out: IO[str] | None = None, width: int | None = None) -> None:
    """A horizontal bar chart in block characters, one bar per label, scaled to the
    largest absolute value; plain text in a pipe, coloured on a terminal."""
    out = out or sys.stdout
    from rich.cells import cell_len
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, highlight=False)
    numbers = [_cell(v) + (f" {unit}" if unit else "") for v in values]
    labels = [lab if cell_len(lab) <= 32 else lab[:31] + "…" for lab in labels]
    label_w = max((cell_len(lab) for lab in labels), default=0)
    num_w = max((cell_len(n) for n in numbers), default=0)
    room = max(10, (width or console.width) - label_w - num_w - 3)
    top = max((abs(v) for v in values), default=0) or 1
    for label, value, number in zip(labels, values, numbers, strict=True):
        cells = abs(value) / top * room
        bar = "█" * int(cells) + ("▌" if cells - int(cells) >= 0.5 else "")
        if value and not bar:
            bar = "▏"
        line = Text(label + " " * (label_w - cell_len(label)) + " ")
        line.append(bar, style="cyan" if value >= 0 else "red")
        line.append(" " + number)
        console.print(line, no_wrap=True, overflow="crop")
