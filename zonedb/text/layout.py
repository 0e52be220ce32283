"""Paragraphs, headings, sentences and clauses of an article, as raw offsets.

The stored texts keep their page breaks: a line break (even a blank line) can fall in the
middle of a sentence. A break ends a paragraph only when the line before it ends a
sentence (。！？…”) or is short enough to be a heading; otherwise it is a page break and
the paragraph runs on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SENTENCE_END = "。！？!?…"
CLAUSE_END = "，。！？；：,;!?、"
_CLOSERS = "”’」』)）"
HEADING_MAX = 40


@dataclass(frozen=True)
class Block:
    """A paragraph or a heading: raw [start, end)."""
    start: int
    end: int
    heading: bool


def blocks(text: str) -> list[Block]:
    """The paragraphs and headings of ``text`` in order (page breaks joined)."""
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    out: list[Block] = []
    cur: tuple[int, int] | None = None
    for a, b in lines:
        body = text[a:b].strip()
        if not body:
            continue
        cur = (a, b) if cur is None else (cur[0], b)
        last = body.rstrip(_CLOSERS)[-1:] or body[-1:]
        ends = last in SENTENCE_END
        short = len(body) <= HEADING_MAX and not ends and not re.search(r"[，,；;]", body)
        if ends or short:
            whole = text[cur[0]:cur[1]].strip()
            out.append(Block(cur[0], cur[1], short and len(whole) <= HEADING_MAX))
            cur = None
    if cur is not None:
        out.append(Block(cur[0], cur[1], False))
    return out


def block_at(bs: list[Block], pos: int) -> int:
    """Index of the block holding ``pos`` (the last block starting at or before it)."""
    k = 0
    for i, b in enumerate(bs):
        if b.start <= pos:
            k = i
        else:
            break
    return k


def _span(text: str, pos: int, lo_limit: int, hi_limit: int, stops: str) -> tuple[int, int]:
    lo = pos
    while lo > lo_limit and text[lo - 1] not in stops:
        lo -= 1
    hi = pos
    while hi < hi_limit and text[hi] not in stops:
        hi += 1
    return lo, hi


def sentence(text: str, bs: list[Block], pos: int) -> tuple[int, int]:
    """Raw bounds of the sentence around ``pos``, inside its block."""
    b = bs[block_at(bs, pos)] if bs else Block(0, len(text), False)
    return _span(text, pos, b.start, b.end, SENTENCE_END)


def clause(text: str, bs: list[Block], pos: int) -> tuple[int, int]:
    """Raw bounds of the clause around ``pos`` (between ，；： and sentence ends)."""
    b = bs[block_at(bs, pos)] if bs else Block(0, len(text), False)
    return _span(text, pos, b.start, b.end, CLAUSE_END.replace("、", ""))


def inside_brackets(text: str, pos: int, open_: str = "《", close: str = "》") -> bool:
    """Whether ``pos`` lies inside 《...》 (a document's title)."""
    k = text.rfind(open_, 0, pos)
    return k != -1 and text.find(close, k) >= pos
