"""Time expressions of Chinese economic news, and the period each one states.

Periods use the seeds' grammar (docs/seeds.md): ``2023`` (a year), ``2024-01/2024-10`` (a
run of months: 1—10月, 上半年, 前三季度), ``2024-09`` (one month), ``2024-09-30`` (a point
in time: 截至9月底, 9月末, 年底), ``2021/2023`` (a run of years). Relative expressions (今年,
去年, 上年, 上半年 without a year) are resolved against the source's date; without one
they stay null with a note saying why. Open ones (目前, 现有, 2024年以来, 近3年) have no
closed period: null, with a note.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_YEAR = "〇零一二三四五六七八九"
_N = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_Y = rf"(?:\d{{4}}|[{_CN_YEAR}]{{4}})"

_RE = re.compile(
    r"(?P<asof>截至|截止|截止到|至)?"
    rf"(?:(?P<y1>{_Y})[—–\-~至到](?P<y2>{_Y})年"
    rf"|(?P<y>{_Y})年(?P<du>度)?(?:全年)?|(?P<rel>今年|去年|上年|前年|明年|本年|当年)(?:度)?"
    r"|(?P<all>全年))?"
    r"(?:(?P<half>上半年|下半年)"
    r"|(?P<q>前三季度|前两个?季度|第?[一二三四1-4]季度)"
    rf"|(?P<m1>{_N})[—–\-~至到](?P<m2>{_N})月份?"
    rf"|(?P<first>前)(?P<mn>{_N})个?月"
    rf"|(?P<m>{_N})月(?P<mend>底|末|份)?"
    r"|(?P<yend>底|末))?"
    r"(?P<since>以来)?"
)
_OPEN = re.compile(r"截至目前|目前|当前|现有|近年来|近(?:\d+|[一二三四五六七八九十]+)年|至今")
_DATELINE = re.compile(r"(?:发布时间|发布日期|时间|日期)\s*[:：]\s*(\d{4})[-年/.](\d{1,2})"
                       r"[-月/.](\d{1,2})")


@dataclass(frozen=True)
class TimeExpr:
    """A time expression at raw offsets [start, end) and the period it states."""
    start: int
    end: int
    text: str
    period: str | None
    note: str | None = None
    relative: bool = False
    open: bool = False        # 目前, 以来: no closed period
    year_only: bool = False   # 2023年, 今年: a year without months


def _small(tok: str) -> int:
    """1..99 written in Arabic or Chinese digits (十二 = 12, 二十 = 20)."""
    if tok.isdigit():
        return int(tok)
    if "十" in tok:
        a, _, b = tok.partition("十")
        return (_CN_DIGIT[a] if a else 1) * 10 + (_CN_DIGIT[b] if b else 0)
    return _CN_DIGIT[tok]


def _year(tok: str) -> int:
    return int(tok) if tok.isdigit() else int("".join(str(_CN_DIGIT[c]) for c in tok))


def _last_day(y: int, m: int) -> str:
    return f"{y}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"


def _months(y: int, a: int, b: int) -> str:
    return f"{y}-{a:02d}/{y}-{b:02d}"


def find_times(text: str, today: date | None = None) -> list[TimeExpr]:
    """Every time expression of ``text`` with its period, relative ones resolved against
    ``today`` (the source's date), in text order."""
    out: list[TimeExpr] = []
    for m in _RE.finditer(text):
        if not m.group():
            continue
        g = m.groupdict()
        has_year = bool(g["y"] or g["y1"] or g["rel"] or g["all"])
        has_sub = bool(g["half"] or g["q"] or g["m1"] or g["mn"] or g["m"] or g["yend"])
        if not has_year and not has_sub:
            continue
        if g["m"] and not has_year and not g["mend"] and not g["asof"] and \
                text[m.end():m.end() + 1] in "日号":
            continue  # 8月12日: a day, handled by the extractor as a date
        if g["yend"] and not has_year:
            continue
        if g["asof"] == "至" and not (g["mend"] or g["yend"]):
            continue  # 至 alone is a range separator, not 截至
        months = [_small(g[k]) for k in ("m1", "m2", "mn", "m") if g[k]]
        if any(not 1 <= x <= 12 for x in months) or (g["m1"] and months[0] > months[1]):
            continue  # 13月, 10—3月: not a run of months of one year
        out.append(_interpret(m, text, g, today))
    for m in _OPEN.finditer(text):
        out.append(TimeExpr(m.start(), m.end(), m.group(), None,
                            f"{m.group()}: no closed period", open=True))
    out.sort(key=lambda t: t.start)
    return out


def _interpret(m: re.Match[str], text: str, g: dict[str, str | None],
               today: date | None) -> TimeExpr:
    written = m.group()
    relative = False
    note = None
    year: int | None
    if g["y1"] and g["y2"]:
        return TimeExpr(m.start(), m.end(), written, f"{_year(g['y1'])}/{_year(g['y2'])}")
    if g["y"]:
        year = _year(g["y"])
    elif g["rel"] or g["all"] or not g["y"]:
        relative = True
        shift = {"去年": -1, "上年": -1, "前年": -2, "明年": 1}.get(g["rel"] or "", 0)
        if g["all"]:
            # 全年: the year the context speaks of; resolved by the caller, else today's
            year = today.year if today else None
        else:
            year = today.year + shift if today else None
    if g["since"]:
        return TimeExpr(m.start(), m.end(), written, None,
                        f"{written}: the end of the period is not stated", open=True)
    if year is None:
        return TimeExpr(m.start(), m.end(), written, None,
                        f"{written} is relative and the source has no date", relative=True,
                        year_only=not any(g[k] for k in ("half", "q", "m1", "mn", "m")))
    if relative and today:
        note = f"from {written} (source date {today.isoformat()})"
    period: str
    year_only = False
    if g["half"]:
        period = _months(year, 1, 6) if g["half"] == "上半年" else _months(year, 7, 12)
    elif g["q"]:
        q = g["q"]
        if q.startswith("前"):
            period = _months(year, 1, 9 if "三" in q else 6)
        else:
            k = _small(q.strip("第季度")) if q.strip("第季度") else 1
            period = _months(year, 3 * k - 2, 3 * k)
    elif g["m1"]:
        period = _months(year, _small(g["m1"]), _small(g["m2"] or "1"))
    elif g["mn"]:
        period = _months(year, 1, _small(g["mn"]))
    elif g["m"]:
        month = _small(g["m"])
        period = _last_day(year, month) if (g["mend"] in ("底", "末") or g["asof"]) \
            else f"{year}-{month:02d}"
    elif g["yend"]:
        period = _last_day(year, 12)
    else:
        period = str(year)
        year_only = True
    if g["asof"] and g["m1"]:
        period = _last_day(year, _small(g["m2"] or "1"))
    return TimeExpr(m.start(), m.end(), written, period, note, relative, year_only=year_only)


def dateline(text: str) -> date | None:
    """A date the text states in a dateline near its top (发布时间：2024-08-12)."""
    m = _DATELINE.search(text[:400])
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
