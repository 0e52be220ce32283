"""Finding a quote in a raw source text, ignoring whitespace and Unicode width.

Source texts are stored exactly as published, page-break line breaks included.
Curators copy quotes without those breaks and sometimes with other punctuation
widths, so matching happens on a normalised view (NFKC, whitespace removed) and
the match is mapped back to offsets into the raw text. Each text is indexed once.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from zonedb.text.vocab import nfkc

_SPACE = re.compile(r"\s+")  # exactly the characters str.isspace() accepts
_SEEN: set[str] = set()  # characters whose NFKC form is known...
_CHANGED: dict[str, str] = {}  # ...and those among them that NFKC rewrites (few: width forms)


def _changes(text: str) -> dict[str, str]:
    """The non-ASCII characters of ``text`` that NFKC rewrites, with their forms.

    Each distinct character is normalised once per process, so indexing a large corpus
    costs a set difference per text instead of a Python call per character."""
    chars = set(text)
    for c in chars - _SEEN:
        form = c if c.isascii() else nfkc(c)
        if form != c:
            _CHANGED[c] = form
        _SEEN.add(c)
    return {c: _CHANGED[c] for c in chars if c in _CHANGED} if _CHANGED else {}


def normalise(text: str) -> str:
    """The matching view of a string: NFKC per character, whitespace dropped."""
    changes = _changes(text)
    if changes:
        text = text.translate({ord(c): form for c, form in changes.items()})
    return _SPACE.sub("", text)


class RawOffsets(Sequence[int]):
    """Raw offset of each position of the normalised view, stored as runs (one per stretch
    between line breaks) rather than one integer per character: a national corpus has tens
    of millions of characters. Indexing takes an int; slices are not supported."""

    def __init__(self) -> None:
        self._norm: list[int] = []
        self._raw: list[int] = []
        self._step: list[int] = []  # 1 for a 1:1 stretch, 0 for one raw char expanded by NFKC
        self._len = 0

    def add(self, raw_start: int, length: int, step: int) -> None:
        self._norm.append(self._len)
        self._raw.append(raw_start)
        self._step.append(step)
        self._len += length

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, pos: int) -> int:  # type: ignore[override]
        if pos < 0:
            pos += self._len
        if not 0 <= pos < self._len:
            raise IndexError(pos)
        k = bisect_right(self._norm, pos) - 1
        return self._raw[k] + (pos - self._norm[k]) * self._step[k]


@dataclass
class IndexedText:
    """A raw text plus its normalised view and a map from view positions to raw offsets,
    both built on first use (a re-seed reads every source text, searches few)."""

    raw: str

    @property
    def norm(self) -> str:
        return self._view[0]

    @property
    def to_raw(self) -> RawOffsets:
        return self._view[1]

    @cached_property
    def _view(self) -> tuple[str, RawOffsets]:
        raw, changes = self.raw, _changes(self.raw)
        special = _SPACE if not changes else re.compile(
            r"\s+|[" + "".join(re.escape(c) for c in changes) + "]")
        parts: list[str] = []
        to_raw = RawOffsets()
        at = 0
        for m in special.finditer(raw):  # stretches between specials map one to one
            if m.start() > at:
                parts.append(raw[at:m.start()])
                to_raw.add(at, m.start() - at, 1)
            form = _SPACE.sub("", changes.get(m.group(), ""))  # whitespace maps to nothing
            if form:
                parts.append(form)
                to_raw.add(m.start(), len(form), 1 if len(form) == 1 else 0)
            at = m.end()
        if at < len(raw):
            parts.append(raw[at:])
            to_raw.add(at, len(raw) - at, 1)
        return "".join(parts), to_raw

    def find_all(self, quote: str) -> list[tuple[int, int]]:
        """Raw (start, end) of every occurrence of ``quote``, in order."""
        needle = normalise(quote)
        if not needle:
            return []
        spans = []
        pos = self.norm.find(needle)
        while pos != -1:
            spans.append((self.to_raw[pos], self.to_raw[pos + len(needle) - 1] + 1))
            pos = self.norm.find(needle, pos + 1)
        return spans

    def closest(self, quote: str, width: int = 40) -> str | None:
        """The raw passage that shares the longest opening with ``quote``, for error messages."""
        needle = normalise(quote)
        best_pos, best_len = -1, 0
        lo, hi = 1, len(needle)
        while lo <= hi:  # binary search on the length of the longest prefix that occurs
            mid = (lo + hi) // 2
            pos = self.norm.find(needle[:mid])
            if pos != -1:
                best_pos, best_len = pos, mid
                lo = mid + 1
            else:
                hi = mid - 1
        if best_pos == -1 or best_len < 2:
            return None
        start = self.to_raw[best_pos]
        end_index = min(best_pos + max(len(needle), best_len) - 1, len(self.to_raw) - 1)
        end = min(self.to_raw[end_index] + 1, start + max(width, len(quote) + 10))
        return " ".join(self.raw[start:end].split())



class NotUtf8(ValueError):
    """A file whose bytes are not UTF-8; ``byte`` is the offset of the first bad one."""

    def __init__(self, byte: int) -> None:
        super().__init__(f"not UTF-8 text (byte {byte})")
        self.byte = byte


MAX_SOURCE_BYTES = 16 * 2**20  # a source text: far past any article, and bounded memory


def read_bounded(path: Path, limit: int, what: str) -> bytes:
    """A regular file's bytes, at most ``limit`` of them (OSError otherwise): a FIFO would
    hang and /dev/zero never ends. ``what`` names the limit in the message."""
    import errno
    import stat

    if not stat.S_ISREG(path.stat().st_mode):
        raise OSError(errno.EINVAL, "not a regular file")
    with path.open("rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"larger than {limit // 2**20} MiB, the limit for {what}")
    return data


def read_utf8(path: Path, limit: int = MAX_SOURCE_BYTES) -> tuple[str, bytes]:
    """A text file's text and bytes (for its sha256); OSError when it cannot be read, is
    not a regular file (a FIFO would hang, /dev/zero never ends), is over ``limit`` bytes
    or holds a NUL byte (PostgreSQL cannot store one); NotUtf8 naming the first bad byte
    when it is not UTF-8."""
    import errno

    data = read_bounded(path, limit, "a source text")
    if b"\0" in data:
        raise OSError(errno.EINVAL, f"holds a NUL byte (byte {data.index(0)}); a source "
                                    "text must be plain text")
    try:
        return data.decode("utf-8"), data
    except UnicodeDecodeError as exc:
        raise NotUtf8(exc.start) from exc


class SectionNotFound(ValueError):
    """A section's ``begins`` or ``ends`` quote that does not occur exactly once."""

    def __init__(self, key: str, count: int) -> None:
        what = "not found" if not count else f"found {count} times"
        super().__init__(f"section {key} quote {what}")
        self.key = key


def section_bounds(text: IndexedText, begins: str, ends: str) -> tuple[int, int]:
    """Raw (start, end) of the section from the start of ``begins`` to the end of ``ends``;
    each must occur exactly once in ``text``, or which passage is meant is a guess."""
    spans = []
    for key, quote in (("begins", begins), ("ends", ends)):
        found = text.find_all(quote)
        if len(found) != 1:
            raise SectionNotFound(key, len(found))
        spans.append(found[0])
    return spans[0][0], spans[1][1]


class OccurrenceProblem(ValueError):
    """No single place was picked: ``count`` places match, ``asked`` is the occurrence given."""

    def __init__(self, count: int, asked: int | None) -> None:
        self.count, self.asked = count, asked
        super().__init__(f"{count} places, occurrence {asked}")

    @property
    def ambiguous(self) -> bool:
        return self.count > 1 and self.asked is None


def pick_occurrence(spans: list[tuple[int, int]], occurrence: int | None) -> tuple[int, int]:
    """The one place a record means among ``spans``: the only one, or the ``occurrence``-th
    (counted from 1). The rule every quote and as_written follows."""
    if spans and (len(spans) == 1 if occurrence is None else 1 <= occurrence <= len(spans)):
        return spans[(occurrence or 1) - 1]
    raise OccurrenceProblem(len(spans), occurrence)


def zones_named(zones: dict[str, list[str]], name: str) -> list[str]:
    """Slugs of the zones that ``name`` names: its slug, else any of its names or aliases,
    compared case-insensitively after trimming. The one rule behind every ``--zone``,
    whether the zones come from zones.yaml or from the database."""
    wanted = name.strip()
    if wanted in zones:
        return [wanted]
    folded = wanted.casefold()
    return [slug for slug, names in zones.items()
            if any(n.strip().casefold() == folded for n in (slug, *names) if n)]
