"""The fields each kind of seed record may have, and checks of their types.

Unknown keys are errors with a "did you mean" hint, so a typo such as ``qoute``
never passes silently.
"""

from __future__ import annotations

import datetime
import difflib
import re
from typing import Any

from zonedb.errors import excerpt
from zonedb.seeds.yamlio import Record
from zonedb.text.vocab import QUALIFIERS as QUALIFIER_WORDS
from zonedb.text.vocab import ROLES
from zonedb.text.zones import KIND_EN

TEXT, INT, NUMBER, LIST, YEARISH = "text", "integer", "number", "list", "yearish"

_PROVENANCE = {"source": (TEXT, True), "quote": (TEXT, True), "occurrence": (INT, False)}
_NAMES = {"slug": (TEXT, True), "name_zh": (TEXT, True), "name_en": (TEXT, False),
          "zone": (TEXT, False), "note": (TEXT, False)}

SPECS: dict[str, dict[str, tuple[str, bool]]] = {
    "source": {"slug": (TEXT, True), "file": (TEXT, False), "sha256": (TEXT, False),
               "section_of": (TEXT, False), "begins": (TEXT, False), "ends": (TEXT, False),
               "title": (TEXT, False), "publisher": (TEXT, False), "date": (YEARISH, False),
               "author": (TEXT, False), "kind": (TEXT, False), "language": (TEXT, False),
               "note": (TEXT, False), "url": (TEXT, False), "date_accessed": (YEARISH, False),
               "licence": (TEXT, False), "citation": (TEXT, False)},
    "zone": {"slug": (TEXT, True), "name_zh": (TEXT, True), "name_en": (TEXT, True),
             "aliases": (LIST, False), "province": (TEXT, False), "city": (TEXT, False),
             "district": (TEXT, False), "level": (TEXT, False), "kind": (TEXT, False),
             "source": (TEXT, False), "quote": (TEXT, False), "occurrence": (INT, False),
             "note": (TEXT, False)},
    "metrics": {"slug": (TEXT, True), "label_zh": (TEXT, True), "label_en": (TEXT, True),
                "unit": (TEXT, False), "description": (TEXT, True), "aliases": (LIST, False)},
    "firms": {**_NAMES, **_PROVENANCE, "aliases": (LIST, False), "industry": (TEXT, False)},
    "funds": {**_NAMES, **_PROVENANCE},
    "projects": {**_NAMES, **_PROVENANCE, "firm": (TEXT, False)},
    "people": {**_NAMES, **_PROVENANCE, "role_zh": (TEXT, False), "role_en": (TEXT, False),
               "organisation": (TEXT, False), "firm": (TEXT, False)},
    "reforms": {**_NAMES, **_PROVENANCE, "name_en": (TEXT, True), "zone": (TEXT, True),
                "category": (TEXT, False), "summary": (TEXT, True)},
    "facts": {**_PROVENANCE, "zone": (TEXT, True), "metric": (TEXT, True),
              "period": (YEARISH, False), "as_written": (TEXT, True),
              "as_written_occurrence": (INT, False), "firm": (TEXT, False),
              "fund": (TEXT, False), "project": (TEXT, False), "role": (TEXT, False),
              "note": (TEXT, False), "value": (NUMBER, False), "unit": (TEXT, False),
              "qualifier": (TEXT, False), "rank": (TEXT, False), "rank_reason": (TEXT, False)},
    "ignore": {**_PROVENANCE, "as_written": (TEXT, True), "as_written_occurrence": (INT, False),
               "reason": (TEXT, True)},
}

# The longest text a seed field may hold. models.py gives these columns a length, which
# PostgreSQL enforces and SQLite does not: checked here, with file:line, a seed that loads
# on one engine loads on the other. Source slugs may be longer (sources.slug is 200).
MAX_CHARS = {"slug": 100, "kind": 40, "level": 40, "unit": 40, "category": 40,
             "qualifier": 20, "role": 20, "rank": 20, "date_accessed": 10, "period": 40,
             "date": 10, "language": 10, "sha256": 64}


def max_chars(spec_name: str, key: str) -> int | None:
    """The column length behind ``key`` of a ``spec_name`` record (None: unlimited text)."""
    return 200 if (spec_name, key) == ("source", "slug") else MAX_CHARS.get(key)


_PERIOD = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$")


def check_period(value: str) -> bool:
    """Periods are ISO-like: ``2023``, ``2024-06``, ``2024-01/2024-11``, ``2024-06-30``."""
    if not _PERIOD.match(value):
        return False
    return all(1 <= int(part) <= 12 for part in re.findall(r"(?<=\d{4}-)(\d{2})", value))


def _type_ok(kind: str, value: Any) -> bool:
    if value is None:
        return True
    if kind == TEXT:
        return isinstance(value, str)
    if kind == INT:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 1
    if kind == NUMBER:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == LIST:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    # YEARISH: 2023, '2024-01/2024-11', or an unquoted 2024-06-30 that YAML reads as a date
    return isinstance(value, str | int | datetime.date) and not isinstance(value, bool)


_EXPECTED = {TEXT: "text", INT: "a whole number from 1", NUMBER: "a number",
             LIST: "a list of text", YEARISH: "a date or period such as 2024 or 2024-01/2024-11"}


def check_fields(rec: Record, name: str) -> list[tuple[int, str]]:
    """Problems with a ``name`` record's keys and value types, as (line, message)."""
    spec = SPECS[name]
    problems = []
    for key, value in rec.items():
        if key not in spec:
            hint = difflib.get_close_matches(key[:100], list(spec), n=1)
            tail = f" (did you mean '{hint[0]}'?)" if hint else ""
            problems.append((rec.line_of(key), f"unknown key {excerpt(key)}{tail}"))
        elif not _type_ok(spec[key][0], value):
            problems.append((rec.line_of(key),
                             f"'{key}' must be {_EXPECTED[spec[key][0]]}, got {excerpt(value)}"))
        elif any("\0" in v for v in (value if isinstance(value, list) else [value])
                 if isinstance(v, str)):
            # a "\0" escape: SQLite would store it, PostgreSQL refuses it; same rule on both
            problems.append((rec.line_of(key), f"'{key}' holds a NUL character (\\0): seed "
                             "text must be plain text"))
        elif value is not None and (limit := max_chars(
                name, key)) is not None:
            text = value.isoformat() if isinstance(value, datetime.date) else str(value)
            if len(text) > limit:
                problems.append((rec.line_of(key), f"'{key}' is {len(text)} characters long; "
                                 f"the database takes at most {limit}"))
    for key, (_kind, required) in spec.items():
        if required and key in rec and rec[key] is None and \
                ("as_written" in spec or key == "label_en"):
            # `metric: null` is how `zonedb draft` marks what the curator has still to do
            problems.append((rec.line_of(key), f"{key} is not filled in (drafted entry)"))
        elif required and rec.get(key) in (None, ""):
            problems.append((rec.line, f"missing required field '{key}'"))
    problems += _enum_problems(rec, name)
    problems += _provenance_problems(rec, spec)
    period = rec.get("period")
    if period is not None and _type_ok(YEARISH, period) and not check_period(str(period)):
        problems.append((rec.line_of("period"), f"bad period {excerpt(str(period))}: write "
                         "2023, 2024-06, 2024-01/2024-11 or null"))
    return problems


RANKS = ("preferred", "normal", "deprecated")
SOURCE_KINDS = ("article", "news", "commentary", "government_report", "statistical_bulletin",
                "work_report", "interview")
# The one table of the values each enum-like field may take (null is always allowed): the
# reports compare these words (a role "befor" would silently never pair with its "after").
ENUMS: dict[str, dict[str, tuple[str, ...]]] = {
    "source": {"kind": SOURCE_KINDS, "language": ("zh", "en")},
    "zone": {"level": ("national", "provincial", "municipal", "district"),
             "kind": tuple(k for k in KIND_EN if k)},  # etdz, hi-tech zone, ... (text/zones)
    "facts": {"role": ROLES,  # text.vocab: --role accepts the same words
              "qualifier": tuple(dict.fromkeys(QUALIFIER_WORDS.values())),  # approx, ...
              "rank": RANKS},
}


def enum_problem(key: str, value: object, allowed: tuple[str, ...]) -> str | None:
    """The message for a value outside ``allowed`` (None: it is allowed), with the closest
    allowed value as a hint; case and spacing are ignored for the hint only (ETDZ -> etdz)."""
    if value is None or value in allowed:
        return None
    message = f"{key} must be one of {', '.join(allowed)} (got {excerpt(value)}"
    if isinstance(value, str):
        folded = {re.sub(r"[\s_-]+", " ", a.lower()): a for a in allowed}
        probe = re.sub(r"[\s_-]+", " ", value[:100].lower()).strip()
        close = difflib.get_close_matches(probe, list(folded), n=1, cutoff=0.6) or \
            difflib.get_close_matches(probe.split(" ")[0], list(folded), n=1, cutoff=0.6)
        if close:  # the second try: a tag's first part (zh_CN, en-US)
            message += f"; did you mean '{folded[close[0]]}'?"
    return message + ")"


def _enum_problems(rec: Record, name: str) -> list[tuple[int, str]]:
    problems = []
    for key, allowed in ENUMS.get(name, {}).items():
        if key in rec and _type_ok(TEXT, rec[key]) and \
                (message := enum_problem(key, rec[key], allowed)) is not None:
            problems.append((rec.line_of(key), message))
    return problems


_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def is_date(value: Any) -> bool:
    """A date or a year(-month): 2024, 2024-06, 2024-06-30 (a real calendar day)."""
    if isinstance(value, datetime.date):
        return True
    text = str(value)
    if not _DATE.fullmatch(text):  # whole text: no trailing newline
        return False
    parts = [int(p) for p in text.split("-")] + [1, 1]
    try:
        datetime.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


def _provenance_problems(rec: Record, spec: dict[str, tuple[str, bool]]) -> list[tuple[int, str]]:
    """Source metadata and fact ranks: a URL is a URL, a date a date, a rank has a reason."""
    problems = []
    if spec is SPECS["source"]:
        url = rec.get("url")
        if isinstance(url, str) and not _URL.match(url):
            problems.append((rec.line_of("url"), f"url {excerpt(url)} is not an http(s) URL"))
        for key in ("date", "date_accessed"):
            value = rec.get(key)
            if value is not None and _type_ok(YEARISH, value) and not is_date(value):
                problems.append((rec.line_of(key), f"{key} {excerpt(value)} is not a date: write "
                                 "2024-06-30, 2024-06 or 2024"))
    if spec is SPECS["facts"]:
        rank = rec.get("rank")
        if rank in ("preferred", "deprecated") and not rec.get("rank_reason"):
            problems.append((rec.line_of("rank"), f"rank {rank} needs a rank_reason "
                             "(a later revision, a misprint, a rounded figure)"))
    return problems
