"""Finding a quote in a raw source text, ignoring whitespace and Unicode width.

Source texts are stored exactly as published, page-break line breaks included.
Curators copy quotes without those breaks and sometimes with other punctuation
widths, so matching happens on a normalised view (NFKC, whitespace removed) and
the match is mapped back to offsets into the raw text. Each text is indexed once.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field


def normalise(text: str) -> str:
    """The matching view of a string: NFKC per character, whitespace dropped."""
    return "".join(ch for c in text for ch in unicodedata.normalize("NFKC", c)
                   if not ch.isspace())


@dataclass
class IndexedText:
    """A raw text plus its normalised view and a map from view positions to raw offsets."""

    raw: str
    norm: str = field(init=False)
    to_raw: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        chars: list[str] = []
        to_raw: list[int] = []
        for i, c in enumerate(self.raw):
            if c.isspace():
                continue
            for ch in unicodedata.normalize("NFKC", c) if not c.isascii() else c:
                if not ch.isspace():
                    chars.append(ch)
                    to_raw.append(i)
        self.norm = "".join(chars)
        self.to_raw = to_raw

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


def contains(haystack: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``haystack`` once both are normalised."""
    return normalise(needle) in normalise(haystack)
