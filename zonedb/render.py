"""Every output format in one place: table (Rich), csv, json, jsonl and markdown.

Machine formats carry full values, UTF-8, numbers as numbers. Rich is imported
only when a table is drawn, so csv/json output starts fast.
"""

from __future__ import annotations

import csv
import functools
import itertools
import math
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

FORMATS = ("table", "csv", "json", "jsonl", "markdown")

# Columns a terminal table leaves out (they stay in every machine format).
_HIDDEN_IN_TABLE = {"metric_zh", "metric_en", "value_high", "count", "note", "start", "end",
                    "sha256", "aliases", "role_zh", "source"}
_LONG = {"quote", "summary", "title", "description", "name_en", "organisation", "role_en"}


_EXACT = 2**53  # floats below this are whole numbers exactly


def plain(value: Any) -> Any:
    """Whole floats as ints (84000, not 84000.0); everything else unchanged."""
    if isinstance(value, float) and value.is_integer() and abs(value) < _EXACT:
        return int(value)
    return value


def plain_rows(rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
    """``plain`` of every value, row by row: inlined, as it runs once per cell of a
    machine format's output (a call per cell was a third of a big CSV's time)."""
    for row in rows:
        yield [int(v) if v.__class__ is float and v.is_integer() and -_EXACT < v < _EXACT
               else v for v in row]


def _json_value(value: Any) -> Any:
    """Values json cannot write (ad-hoc SQL on PostgreSQL gives dates, times, intervals,
    UUIDs, bytea; SQLite gives blobs): dates and times as ISO text, bytes as hex, the rest
    as their text, rather than a traceback halfway through the output."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _finite(obj: Any) -> Any:
    """``obj`` with infinities and NaNs as text ("inf", "nan"): strict JSON has no number
    for them (ad-hoc SQL can give them: ``SELECT 1e999``)."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return str(obj)
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    return obj


def json_text(obj: Any, *, indent: int | None = None) -> str:
    """``obj`` as strict JSON, as every JSON output writes it: UTF-8 as is, odd values
    through ``_json_value``, non-finite floats as text."""
    import json  # here, not at the top: CSV and tables never load it

    try:
        return json.dumps(obj, ensure_ascii=False, indent=indent, default=_json_value,
                          allow_nan=False)
    except ValueError:  # an infinity or a NaN somewhere: the rare, slower way
        return json.dumps(_finite(obj), ensure_ascii=False, indent=indent,
                          default=_json_value, allow_nan=False)


def render_json(obj: Any, out: IO[str] | None = None) -> None:
    """One JSON document (``show``, ``cite`` and ``diff`` objects) written as ``render``
    writes rows: indented ``json_text``."""
    (out or sys.stdout).write(json_text(obj, indent=2) + "\n")


def records(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[dict[str, Any]]:
    for row in plain_rows(rows):
        yield dict(zip(columns, row, strict=True))


def render(columns: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, *,
           lang: str = "en", title: str | None = None, out: IO[str] | None = None,
           chosen: Sequence[str] | None = None, color: bool | None = None,
           more: str | None = None, every_column: bool = False) -> None:
    """Write rows to ``out`` (stdout) in one of FORMATS, row by row. ``chosen`` names the
    columns to write, in order (all by default); ``more`` is a line for stderr after a
    table cut short (how many rows were left out and how to get them); ``every_column``
    keeps the columns a terminal table leaves out (ad-hoc SQL chose its own)."""
    out = out or sys.stdout
    if chosen and fmt != "table":
        index = [list(columns).index(c) for c in chosen]
        columns = list(chosen)
        rows = (tuple(row[i] for i in index) for row in rows)
    if fmt == "json":
        out.write("[")
        i = -1
        for i, rec in enumerate(records(columns, rows)):
            out.write(("," if i else "") + "\n  " +
                      json_text(rec, indent=2).replace("\n", "\n  "))
        out.write("\n]\n" if i >= 0 else "]\n")
    elif fmt == "jsonl":
        for rec in records(columns, rows):
            out.write(json_text(rec) + "\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(plain_rows(rows))
    elif fmt == "markdown":
        _markdown(columns, rows, out)
    else:
        _table(columns, rows, out, lang=lang, title=title, chosen=chosen, color=color,
               more=more, every_column=every_column)
    if more and fmt != "table":
        out.flush()
        notice(more)


def notice(text: str, width: int | None = None) -> None:
    """A line for stderr, wrapped between words to the terminal's width (a terminal would
    break it anywhere)."""
    import textwrap

    print(textwrap.fill(text, width or terminal_width(), break_long_words=False,
                        break_on_hyphens=False), file=sys.stderr)


_SINGULAR = {"people": "person", "indicators": "indicator", "reforms": "reform", "firms": "firm",
             "funds": "fund", "projects": "project", "sources": "source", "zones": "zone",
             "metrics": "metric", "rows": "row", "ignored_mentions": "ignored_mention",
             "entries": "entry", "figures": "figure", "statements": "statement",
             "mentions": "mention"}


def count_of(n: int, plural: str) -> str:
    """``1 person``, ``2 people``, ``1 source``: a count with its noun agreeing."""
    return f"{n:,} {_SINGULAR.get(plural, plural) if n == 1 else plural}"


_CELL_CHARS = 10_000


def cell_text(value: Any) -> str:
    """A value as a table cell shows it: 84,000 with separators, whitespace collapsed."""
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


def _markdown(columns: Sequence[str], rows: Iterable[Sequence[Any]], out: IO[str]) -> None:
    out.write("| " + " | ".join(columns) + " |\n")
    out.write("|" + "|".join("---" for _ in columns) + "|\n")
    for row in rows:
        cells = [cell_text(v).replace("|", "\\|") for v in row]
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


# How a terminal table gives way when it is too wide, step by step:
# 1. columns holding one value in every row move into the title line ("zone: ganzhou");
# 2. long text (quotes, names, roles, labels) wraps inside its cell, up to _LINES lines;
# 3. side columns are left out in this order, with a notice on stderr.
# What identifies a row or states its value is never cut: _WHOLE columns and numbers.
DROP_ORDER = ("note", "rank_reason", "aliases", "firm", "fund", "project", "qualifier", "role",
              "rank", "section_of", "author", "organisation", "industry", "category",
              "district", "kind", "level", "city", "province", "publisher", "date", "source",
              "slug", "name_en", "name_zh", "description", "summary", "title", "quote")
_WHOLE = {"id", "zone", "value", "value_high", "unit", "as_written", "count", "start", "end",
          "indicators", "reforms", "chars", "rows", "figures"}
_NUMERIC = {"id", "value", "value_high", "indicators", "reforms", "chars", "start", "end",
            "rows", "figures", "count", "added", "removed", "changed", "unchanged"}
_HOISTED = ("zone", "unit", "metric_en", "metric_zh", "metric", "period", "role")
_MIN = {"quote": 16, "summary": 16, "title": 16, "description": 16, "snippet": 16, "period": 8}
_WORD = 12  # a wrapping column is at least as wide as its longest word, up to this
_LINES = 3  # lines a wrapped cell may take before it ends in …
_GAP = "  "
LAYOUT_ROWS = 500  # rows a streamed table is laid out from; later rows keep those widths

_WIDE = "\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f" \
        "\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6"
# Punctuation that never starts a line (it sticks to what it follows) and that never ends
# one (it sticks to what follows it), as Chinese typesetting has it.
_CLOSE = "，。、；：！？）》」』】〕〉”’,.;:!?)"
_OPEN = "（《「『【〔〈“‘("
# Tokens a cell may break between: runs of spaces, one wide (CJK) character with the
# punctuation around it, or a word that may end in / or _ or in a - before a letter (slugs,
# period ranges, snake_case names).
# Compiled on first use: its character classes take ~3 ms to compile, which a CSV or JSON
# read, never wrapping a cell, should not pay at start-up.
@functools.cache
def _tokens() -> re.Pattern[str]:
    return re.compile(rf"\s+|[{_OPEN}]*[{_WIDE}][{_CLOSE}]*|"
                      rf"[^\s{_WIDE}]+?(?:[/_]|-(?=[A-Za-z])|[{_CLOSE}]+|(?=[\s{_WIDE}])|$)")


def cell_width(text: str) -> int:
    """Terminal cells ``text`` takes: CJK and full-width characters take two."""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap_cell(text: str, width: int, lines: int = _LINES) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken between words or CJK characters;
    past ``lines`` lines the last one ends in …"""
    if cell_width(text) <= width:
        return [text]
    out: list[str] = []
    line, used = "", 0
    for token in _tokens().findall(text):
        if token.isspace():
            if used and used < width:
                line, used = line + " ", used + 1
            continue
        size = cell_width(token)
        if used + size > width and used:
            out.append(line.rstrip())
            line, used = "", 0
        while size > width:  # a word longer than the column: fold it by characters
            head, taken = _take(token, width)
            out.append(head)
            token, size = token[len(head):], size - taken
        line, used = line + token, used + size
    if line.strip():
        out.append(line.rstrip())
    if len(out) > lines:
        last, _ = _take(out[lines - 1], width - 1)
        out = [*out[:lines - 1], last.rstrip() + "…"]
    return out


def _take(text: str, width: int) -> tuple[str, int]:
    """The longest head of ``text`` that fits ``width`` cells, and its width."""
    used = 0
    for i, ch in enumerate(text):
        size = cell_width(ch)
        if used + size > width:
            return text[:i], used
        used += size
    return text, used


def _longest_word(cells: Sequence[Sequence[str]], j: int) -> int:
    """The widest unbreakable piece of column ``j``, up to _WORD (wider ones are folded)."""
    longest = 0
    for row in cells:
        text = row[j]
        if cell_width(text) > longest:
            longest = max([longest] + [cell_width(t) for t in _tokens().findall(text)])
            if longest >= _WORD:
                return _WORD
    return longest


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * max(0, width - cell_width(text))
    return space + text if right else text + space


def fit(names: Sequence[str], cells: Sequence[Sequence[str]], budget: int, *,
        whole: Sequence[bool], droppable: bool = True) -> tuple[list[int], list[int]]:
    """Which columns a table of ``cells`` shows within ``budget`` cells (indices, in order)
    and their widths. Whole columns keep their widest value; the others may wrap down to
    a minimum; side columns are dropped in DROP_ORDER while even the minimums do not fit."""
    natural = [max([cell_width(n)] + [cell_width(r[j]) for r in cells])
               for j, n in enumerate(names)]
    least = [natural[j] if whole[j] else
             max(cell_width(n), min(natural[j], max(_MIN.get(n, 8), _longest_word(cells, j))))
             for j, n in enumerate(names)]
    shown = list(range(len(names)))

    def need() -> int:
        return sum(least[j] for j in shown) + len(_GAP) * (len(shown) - 1)

    order = [j for name in DROP_ORDER for j in shown if names[j] == name]
    while droppable and need() > budget and order and len(shown) > 2:
        shown.remove(order.pop(0))
    # A name, role or label cut short reads worse than a side column left out: such columns
    # are widened first to show their text whole (wrapped), dropping side columns (not
    # those _SPARED) while that does not fit; if even that does not make them fit, the
    # side columns stay and the names share the room like the rest.
    whole_at = {j: _whole_width(cells, j, least[j], natural[j]) for j in shown
                if names[j] in _NAMES and not whole[j]}
    spare_order = [j for j in order if names[j] not in _SPARED]

    def short() -> int:
        return sum(whole_at[j] - least[j] for j in shown if j in whole_at) - (budget - need())

    before = list(shown)
    while droppable and spare_order and short() > 0:
        shown.remove(spare_order.pop(0))
    if short() > 0:
        shown, whole_at = before, {}
    widths = {j: least[j] for j in shown}
    spare = budget - need()
    for j in sorted((j for j in shown if j in whole_at), key=lambda k: whole_at[k] - least[k]):
        give = min(whole_at[j] - least[j], max(0, spare))
        widths[j] += give
        spare -= give
    widths = _share(shown, widths, natural, names, spare)
    return shown, [widths[j] for j in shown]


# Short text that should read whole (wrapped, never "…"); and side columns kept even so.
_NAMES = {"name_en", "name_zh", "role_en", "role_zh", "metric_en", "metric_zh", "label_en",
          "label_zh", "organisation"}
_SPARED = {"qualifier", "role", "slug", "name_en", "name_zh", "description", "summary",
           "title", "quote", "source", "date"}


def _share(shown: list[int], widths: dict[int, int], natural: list[int],
           names: Sequence[str], spare: int) -> dict[int, int]:
    """``widths`` with what is ``spare`` shared out: quotes and summaries get half of it
    first, the rest goes evenly to the columns that want more."""
    prose = [j for j in shown if names[j] in _MIN and widths[j] < natural[j]]
    if prose and spare > 0:
        share = spare // 2 // len(prose)
        for j in prose:
            give = min(share, natural[j] - widths[j])
            widths[j] += give
            spare -= give
    while spare > 0:
        wanting = [j for j in shown if widths[j] < natural[j]]
        if not wanting:
            break
        share = max(1, spare // len(wanting))
        for j in sorted(wanting, key=lambda k: natural[k] - widths[k]):
            give = min(share, natural[j] - widths[j], spare)
            widths[j] += give
            spare -= give
    return widths


def _whole_width(cells: Sequence[Sequence[str]], j: int, low: int, high: int) -> int:
    """The narrowest width from ``low`` to ``high`` at which every cell of column ``j``
    wraps into _LINES lines without a cut (a binary search: wider never needs more lines)."""
    def fits(w: int) -> bool:
        return all(cell_width(r[j]) <= w or len(wrap_cell(r[j], w, _LINES + 1)) <= _LINES
                   for r in cells)

    while low < high:
        mid = (low + high) // 2
        if fits(mid):
            high = mid
        else:
            low = mid + 1
    return low


def _color(color: bool | None, out: IO[str]) -> bool:
    """Bold headers only on a terminal, unless NO_COLOR; FORCE_COLOR forces them."""
    if color is not None:
        return color
    import os

    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(out, "isatty", lambda: False)())


def terminal_width() -> int:
    """COLUMNS, else the terminal's width, else 80 (pipes)."""
    import shutil

    return shutil.get_terminal_size((80, 24)).columns


def _table(columns: Sequence[str], rows: Iterable[Sequence[Any]], out: IO[str], *,
           lang: str, title: str | None, compact: bool = False,
           chosen: Sequence[str] | None = None, color: bool | None = None,
           width: int | None = None, more: str | None = None,
           every_column: bool = False) -> None:
    """A plain-text table that fits ``width`` (the terminal's): no cell that identifies a
    row or states its value is cut, long text wraps, rows stream after the first
    LAYOUT_ROWS (later rows keep the widths those set)."""
    width = width or terminal_width()
    bold = _color(color, out)
    it = iter(rows)
    head = list(itertools.islice(it, LAYOUT_ROWS))
    keep = [columns.index(c) for c in chosen] if chosen else list(range(len(columns))) \
        if every_column else table_columns(columns, head, lang)
    names = [columns[i] for i in keep]
    value_cell = _value_cell(columns, keep)
    cells = [[value_cell(row) if n == "value" else cell_text(row[i])
              for i, n in zip(keep, names, strict=True)] for row in head]
    numeric = [n in _NUMERIC or bool(head) and all(
        isinstance(row[i], int | float) and not isinstance(row[i], bool) or row[i] is None
        for row in head) for i, n in zip(keep, names, strict=True)]
    whole = [n in _WHOLE or num for n, num in zip(names, numeric, strict=True)]
    notes: list[str] = []
    if len(head) > 1 and not chosen:
        natural = sum(max([cell_width(n)] + [cell_width(r[j]) for r in cells]) + len(_GAP)
                      for j, n in enumerate(names))
        for name in _HOISTED:  # a column with one value says it once, in the title
            if natural <= width or name not in names or len(names) <= 2:
                continue
            j = names.index(name)
            if len({r[j] for r in cells}) == 1 and len(head) < LAYOUT_ROWS:
                notes.append(f"{name}: {cells[0][j]}")
                natural -= max(cell_width(name), cell_width(cells[0][j])) + len(_GAP)
                for seq in (names, numeric, whole, keep):
                    seq.pop(j)
                for r in cells:
                    r.pop(j)
    shown, widths = fit(names, cells, width, whole=whole, droppable=not chosen)
    dropped = [n for j, n in enumerate(names) if j not in shown]
    right = [numeric[j] for j in shown]
    heading = " · ".join([t for t in (title,) if t] + notes)
    if heading:
        out.write(("\x1b[1m" + heading + "\x1b[0m" if bold else heading) + "\n")
    header = _GAP.join(_pad(names[j], w, r) for j, w, r in zip(shown, widths, right,
                                                               strict=True)).rstrip()
    out.write(("\x1b[1m" + header + "\x1b[0m" if bold else header) + "\n")
    out.write(_GAP.join("─" * w for w in widths) + "\n")
    allowed = [None if whole[j] else w for j, w in zip(shown, widths, strict=True)]

    def write(row_cells: Sequence[str]) -> None:
        wrapped = [[row_cells[j]] if limit is None else wrap_cell(row_cells[j], limit)
                   for j, limit in zip(shown, allowed, strict=True)]
        for k in range(max(len(w) for w in wrapped)):
            line = _GAP.join(_pad(w[k] if k < len(w) else "", size, r)
                             for w, size, r in zip(wrapped, widths, right, strict=True))
            out.write(line.rstrip() + "\n")

    for row_cells in cells:
        write(row_cells)
    for row in it:
        write([value_cell(row) if columns[i] == "value" else cell_text(row[i]) for i in keep])
    out.flush()  # notices on stderr come after the table they are about
    if dropped:
        notice(f"(left out to fit {width} columns: {', '.join(dropped)}; --columns "
               "picks, --csv shows all)", width)
    if more:
        notice(more, width)
    if not head and not compact:
        print("(no rows)", file=sys.stderr)


def _value_cell(columns: Sequence[str], keep: Sequence[int]) -> Any:
    """How a table writes a row's value: with the count and upper bound the table does not
    show beside it (``4 × 40,000,000`` for 4个4000万, ``10–20`` for a range)."""
    def at(name: str) -> int | None:
        return columns.index(name) if name in columns and columns.index(name) not in keep \
            else None

    value = columns.index("value") if "value" in columns else -1
    high, count = at("value_high"), at("count")

    def cell(row: Sequence[Any]) -> str:
        text = cell_text(row[value])
        if high is not None and row[high] is not None:
            text += "–" + cell_text(row[high])
        if count is not None and row[count] is not None:
            text = f"{cell_text(row[count])} × {text}"
        return text

    return cell


def render_document(title: str, facts: Sequence[tuple[str, Any]],
                    sections: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]],
                    fmt: str, *, lang: str = "en", out: IO[str] | None = None) -> None:
    """A heading, ``key: value`` facts and titled row lists (``zonedb show``), as a
    terminal table or markdown. Empty facts are left out."""
    out = out or sys.stdout
    facts = [(k, v) for k, v in facts if v not in (None, "", [])]
    if fmt == "markdown":
        out.write(f"# {title}\n\n")
        out.writelines(f"- **{k}**: {cell_text(v)}\n" for k, v in facts)
        for name, columns, rows in sections:
            out.write(f"\n## {name}\n\n")
            _markdown(columns, rows, out)
        return
    from rich.panel import Panel
    from rich.text import Text

    body = Text()
    for i, (key, value) in enumerate(facts):
        body.append(("\n" if i else "") + f"{key}: ", style="bold")
        body.append(cell_text(value))
    _console(file=out, highlight=False).print(Panel(body, title=title, title_align="left"))
    for name, columns, rows in sections:
        _table(columns, rows, out, lang=lang, title=name, compact=True)


@functools.cache
def _console_class() -> Any:
    from rich.console import Console

    class PipedConsole(Console):
        """Rich's console, but a closed pipe (``| head``) is left to the CLI's one handler,
        which exits 0 as every command does; Rich's own exits 1."""

        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    return PipedConsole


def _console(**options: Any) -> Any:
    return _console_class()(**options)


def render_passage(before: str, span: str, after: str, *, out: IO[str] | None = None) -> None:
    """Source text with the quoted span highlighted: reverse video on a terminal, 【】
    around it in a pipe (where colour codes would be noise)."""
    out = out or sys.stdout
    from rich.text import Text

    console = _console(file=out, highlight=False, soft_wrap=True)  # no inserted line breaks
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
    from rich.text import Text

    console = _console(file=out, highlight=False)
    numbers = [cell_text(v) + (f" {unit}" if unit else "") for v in values]
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
