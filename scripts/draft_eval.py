"""Score `zonedb draft` against hand-checked gold: per field, the share of facts drafted right.

    python scripts/draft_eval.py            # table per split (tune, heldout, seeds)
    python scripts/draft_eval.py --json     # the same figures as JSON
    python scripts/draft_eval.py -v         # also every wrong field, fact by fact

Evaluation articles are tests/data/draft_eval/*.txt, each with SLUG.gold.yaml (see its
header comment for the format). `split: tune` articles may be looked at while improving the
draft; `split: heldout` ones must not be (score them, do not tune on them). The two seed
articles are scored against their curated facts in seeds/facts/ (the draft is run on a copy
of the seeds without that source's facts and ignore entries).

Each article is drafted through the real CLI on a copy of the seeds: `zonedb sources add`
then `zonedb draft --format json` (or the YAML draft when --format is not supported, which
is how the "before" figures of docs/drafting.md were taken). A gold fact is matched to the
drafted entry whose number phrase overlaps it. Fields: zone, metric, period, role, subject.
"Fields to type" per fact counts the wrong fields of matched facts, 7 for a missed fact
(quote, as_written and the five fields) and 1 for each drafted entry that is not a fact
(the curator deletes it), plus 1 for each proposed metric whose label_en is null.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "tests" / "data" / "draft_eval"
FIELDS = ("zone", "metric", "period", "role", "subject")
SEED_SOURCES = {"ganzhou-etdz-reform": ("ganzhou-etdz-reform", "ganzhou-etdz-commentary"),
                "jiangxi-zones-roundup": ("jiangxi-zones-roundup",)}


# ------------------------------------------------------------------ text --
def _view(text: str) -> tuple[str, list[int]]:
    """NFKC, whitespace-free view of ``text`` and the raw index of each view character."""
    chars, index = [], []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch):
            if not c.isspace():
                chars.append(c)
                index.append(i)
    return "".join(chars), index


def _norm(s: str) -> str:
    return _view(s)[0]


def _find_all(text: str, needle: str) -> list[tuple[int, int]]:
    view, index = _view(text)
    n = _norm(needle)
    out, pos = [], view.find(n) if n else -1
    while pos != -1:
        out.append((index[pos], index[pos + len(n) - 1] + 1))
        pos = view.find(n, pos + 1)
    return out


def _canon_label(s: str) -> str:
    """A metric label with the words that do not change the concept dropped."""
    s = _norm(s)
    s = re.sub(r"增速|增长率|增幅", "增长", s)
    for w in ("同比", "数量", "(个)", "总量"):
        s = s.replace(w, "")
    return s.removesuffix("数")


# ------------------------------------------------------------------ gold --
@dataclass
class Gold:
    w: str
    span: tuple[int, int]
    want: dict[str, Any]


@dataclass
class Article:
    slug: str
    split: str
    text: str
    path: Path | None
    date: str | None
    gold: list[Gold]
    drop_from_seeds: tuple[str, ...] = ()


def _str(v: Any) -> Any:
    return v if v is None or isinstance(v, list) else str(v)


def load_articles() -> list[Article]:
    out = []
    for gpath in sorted(EVAL.glob("*.gold.yaml")):
        g = yaml.safe_load(gpath.read_text(encoding="utf-8"))
        tpath = EVAL / f"{g['slug']}.txt"
        text = tpath.read_text(encoding="utf-8")
        facts = []
        for i, f in enumerate(g["facts"], 1):
            at = str(f.get("at") or f["w"])
            spans = [sp for sp in _find_all(text, at)
                     if not (sp[0] and text[sp[0] - 1] in "0123456789.")]
            if len(spans) != 1:
                sys.exit(f"{gpath}: fact {i}: '{at}' occurs {len(spans)} times in {tpath.name}")
            inner = _find_all(text[spans[0][0]:spans[0][1]], str(f["w"]))
            if not inner:
                sys.exit(f"{gpath}: fact {i}: '{f['w']}' is not inside '{at}'")
            a = spans[0][0] + inner[0][0]
            want = {"zone": f.get("zone", g.get("zone")), "metric": f.get("metric"),
                    "period": _str(f.get("period")), "role": f.get("role"),
                    "subject": f.get("subject")}
            facts.append(Gold(str(f["w"]), (a, spans[0][0] + inner[0][1]), want))
        out.append(Article(g["slug"], g["split"], text, tpath, _str(g.get("date")), facts))
    return out + _seed_articles()


def _seed_articles() -> list[Article]:
    """The two seed articles, with their curated facts as gold."""
    seeds = ROOT / "seeds"
    out = []
    for slug, sources in SEED_SOURCES.items():
        text = (seeds / "sources" / f"{slug}.txt").read_text(encoding="utf-8")
        facts = []
        for rec in yaml.safe_load((seeds / "facts" / f"{slug}.yaml").read_text("utf-8")):
            if rec.get("source") not in sources:
                continue
            spans = _find_all(text, rec["quote"])
            q = spans[(rec.get("occurrence") or 1) - 1]
            inner = _find_all(text[q[0]:q[1]], str(rec["as_written"]))
            a, b = inner[(rec.get("as_written_occurrence") or 1) - 1]
            subject = rec.get("firm") or rec.get("fund") or rec.get("project")
            want = {"zone": rec.get("zone"), "metric": rec.get("metric"),
                    "period": _str(rec.get("period")), "role": rec.get("role"),
                    "subject": subject}
            facts.append(Gold(str(rec["as_written"]), (q[0] + a, q[0] + b), want))
        out.append(Article(slug, "seeds", text, None, None, facts, sources))
    return out


# ----------------------------------------------------------------- draft --
@dataclass
class Draft:
    facts: list[dict[str, Any]]
    metrics: list[dict[str, Any]] = field(default_factory=list)
    zones: list[dict[str, Any]] = field(default_factory=list)
    subjects: list[dict[str, Any]] = field(default_factory=list)
    ignore: list[dict[str, Any]] = field(default_factory=list)


def _zonedb(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI under test: $ZONEDB_EVAL_CMD (e.g. "python -m zonedb" run in an older
    checkout, for the "before" figures), else the zonedb beside this Python."""
    exe = Path(sys.executable).parent / "zonedb"
    cmd = shlex.split(os.environ["ZONEDB_EVAL_CMD"]) if os.environ.get("ZONEDB_EVAL_CMD") \
        else [str(exe)] if exe.exists() else [sys.executable, "-m", "zonedb"]
    return subprocess.run([*cmd, *args], capture_output=True, text=True,
                          cwd=os.environ.get("ZONEDB_EVAL_CWD", ROOT))


def run_draft(art: Article, work: Path) -> Draft:
    seeds = work / art.slug
    shutil.copytree(ROOT / "seeds", seeds, ignore=shutil.ignore_patterns("__pycache__"))
    if art.drop_from_seeds:  # a seed article: draft it as if it were new
        slug = art.drop_from_seeds[0]
        for folder in ("facts", "ignore"):
            (seeds / folder / f"{slug}.yaml").unlink(missing_ok=True)
    else:
        args = ["sources", "add", str(art.path), "--slug", art.slug, "--seeds", str(seeds)]
        if art.date:
            args += ["--date", art.date]
        done = _zonedb(*args)
        if done.returncode:
            sys.exit(f"sources add {art.slug} failed: {done.stderr}")
    slug = art.drop_from_seeds[0] if art.drop_from_seeds else art.slug
    done = _zonedb("draft", slug, "--seeds", str(seeds), "--format", "json")
    if done.returncode == 0:
        d = json.loads(done.stdout)
        return Draft(d["facts"], d.get("metrics", []), d.get("zones", []),
                     d.get("firms", []) + d.get("funds", []) + d.get("projects", []),
                     d.get("ignore", []))
    done = _zonedb("draft", slug, "--seeds", str(seeds))  # the YAML draft of before
    if done.returncode:
        sys.exit(f"draft {slug} failed: {done.stderr}")
    return Draft(yaml.safe_load(done.stdout) or [])


def _span(text: str, fact: dict[str, Any]) -> tuple[int, int] | None:
    spans = _find_all(text, str(fact.get("quote") or ""))
    k = (fact.get("occurrence") or 1) - 1
    if not 0 <= k < len(spans):
        return None
    lo, hi = spans[k]
    inner = _find_all(text[lo:hi], str(fact.get("as_written") or ""))
    j = (fact.get("as_written_occurrence") or 1) - 1
    if not 0 <= j < len(inner):
        return None
    return lo + inner[j][0], lo + inner[j][1]


# ----------------------------------------------------------------- score --
@dataclass
class Names:
    zones: dict[str, set[str]]
    metrics_new: dict[str, str]  # proposed slug -> label_zh
    subjects: dict[str, set[str]]


def _names(seeds: Path, draft: Draft) -> Names:
    def records(p: Path) -> list[dict[str, Any]]:
        return yaml.safe_load(p.read_text(encoding="utf-8")) or [] if p.exists() else []

    zones: dict[str, set[str]] = {}
    for r in records(seeds / "zones.yaml") + draft.zones:
        zones.setdefault(str(r["slug"]), set()).update(
            _norm(str(n)) for n in [r.get("name_zh"), *(r.get("aliases") or [])] if n)
    subjects: dict[str, set[str]] = {}
    recs = [r for kind in ("firms", "funds", "projects")
            for p in sorted((seeds / kind).glob("*.yaml")) for r in records(p)]
    for r in recs + draft.subjects:
        subjects.setdefault(str(r["slug"]), set()).update(
            _norm(str(n)) for n in [r.get("name_zh"), *(r.get("aliases") or [])] if n)
    new = {str(m["slug"]): str(m.get("label_zh") or "") for m in draft.metrics}
    return Names(zones, new, subjects)


def _right(fieldname: str, want: Any, got: dict[str, Any], names: Names) -> bool:
    if fieldname == "zone":
        z = got.get("zone")
        if want is None or z is None:
            return want is None and z is None
        return want == z or _norm(str(want)) in names.zones.get(str(z), set())
    if fieldname == "metric":
        m = got.get("metric")
        if m is None:
            return False
        for alt in want if isinstance(want, list) else [want]:
            if re.fullmatch(r"[a-z0-9_]+", str(alt)):
                if m == alt:
                    return True
            elif m in names.metrics_new and \
                    _canon_label(names.metrics_new[m]) == _canon_label(str(alt)):
                return True
        return False
    if fieldname == "period":
        p = got.get("period")
        return (None if p is None else str(p)) == want
    if fieldname == "role":
        return got.get("role") == want
    s = got.get("firm") or got.get("fund") or got.get("project")
    if want is None or s is None:
        return want is None and s is None
    return want == s or any(_norm(str(want)) in n or n in _norm(str(want))
                            for n in names.subjects.get(str(s), set()))


@dataclass
class Score:
    facts: int = 0
    matched: int = 0
    extra: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    pairs: int = 0
    pairs_right: int = 0
    typed: int = 0
    wrong: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.facts += other.facts
        self.matched += other.matched
        self.extra += other.extra
        self.pairs += other.pairs
        self.pairs_right += other.pairs_right
        self.typed += other.typed
        for k in FIELDS:
            self.right[k] += other.right[k]
        self.wrong += other.wrong


def score(art: Article, draft: Draft, seeds: Path) -> Score:
    names = _names(seeds, draft)
    placed = [(f, _span(art.text, f)) for f in draft.facts]
    used: set[int] = set()
    s = Score(facts=len(art.gold))
    for g in art.gold:
        best = None
        for i, (_f, sp) in enumerate(placed):
            if i in used or sp is None or not (sp[0] < g.span[1] and g.span[0] < sp[1]):
                continue
            overlap = min(sp[1], g.span[1]) - max(sp[0], g.span[0])
            if best is None or overlap > best[0]:
                best = (overlap, i)
        if g.want["role"] in ("before", "after", "change"):
            s.pairs += 1
        if best is None:
            s.typed += 7
            s.wrong.append(f"{art.slug}: {g.w}: missed")
            continue
        used.add(best[1])
        s.matched += 1
        got = placed[best[1]][0]
        for k in FIELDS:
            if _right(k, g.want[k], got, names):
                s.right[k] += 1
            else:
                s.typed += 1
                shown = got.get(k) if k != "subject" else \
                    got.get("firm") or got.get("fund") or got.get("project")
                s.wrong.append(f"{art.slug}: {g.w}: {k} {shown!r}, want {g.want[k]!r}")
        if g.want["role"] in ("before", "after", "change") and got.get("role") == g.want["role"]:
            s.pairs_right += 1
    s.extra = len(placed) - len(used)
    s.typed += s.extra + sum(1 for m in draft.metrics if m.get("label_en") is None)
    for i, (f, _sp) in enumerate(placed):
        if i not in used:
            s.wrong.append(f"{art.slug}: extra entry {f.get('as_written')!r} "
                           f"in {str(f.get('quote'))[:30]!r}")
    return s


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.0f}%" if d else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every wrong field")
    ap.add_argument("--split", action="append", help="only these splits (tune, heldout, seeds)")
    args = ap.parse_args()
    totals: dict[str, Score] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for art in load_articles():
            if args.split and art.split not in args.split:
                continue
            draft = run_draft(art, Path(tmp))
            s = score(art, draft, Path(tmp) / art.slug)
            totals.setdefault(art.split, Score()).add(s)
    report = {split: {"facts": s.facts, "matched": s.matched, "extra_entries": s.extra,
                      **{k: round(s.right[k] / s.facts, 3) if s.facts else None
                         for k in FIELDS},
                      "pair_roles": f"{s.pairs_right}/{s.pairs}",
                      "fields_to_type": s.typed,
                      "fields_to_type_per_fact": round(s.typed / s.facts, 2) if s.facts else None}
              for split, s in totals.items()}
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print("| split | facts | found | extra | zone | metric | period | role | subject "
              "| pair roles | fields to type (per fact) |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for split, s in totals.items():
            cells = [_pct(s.right[k], s.facts) for k in FIELDS]
            print(f"| {split} | {s.facts} | {s.matched} | {s.extra} | " + " | ".join(cells)
                  + f" | {s.pairs_right}/{s.pairs} | {s.typed} "
                    f"({s.typed / max(s.facts, 1):.2f}) |")
    if args.verbose:
        for s in totals.values():
            print("\n".join(s.wrong), file=sys.stderr)


if __name__ == "__main__":
    main()
