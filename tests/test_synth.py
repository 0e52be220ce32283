"""The synthetic corpus generator (scripts/synth.py) writes seeds the real loader accepts."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import sqlite3
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("synth", REPO / "scripts" / "synth.py")
assert _spec and _spec.loader
synth = importlib.util.module_from_spec(_spec)
sys.modules["synth"] = synth  # dataclasses look their module up
_spec.loader.exec_module(synth)


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_tiny_corpus_seeds_through_the_cli(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    seeds = tmp_path / "seeds"
    assert synth.generate(3, 20, seeds, seed=7) == 60
    db = tmp_path / "synth.db"
    result = cli("seed", "--db", str(db), "--seeds", str(seeds))
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db)
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("zones", "sources", "indicators", "firms", "projects", "people",
                        "reforms", "ignored_mentions")}
    assert counts == {"zones": 3, "sources": 3, "indicators": 60, "firms": 6, "projects": 3,
                      "people": 3, "reforms": 3, "ignored_mentions": 3}
    # Provenance holds for every generated fact: the stored slice of the source is the quote.
    bad = conn.execute("SELECT count(*) FROM indicators i JOIN sources s ON s.id = i.source_id "
                       "WHERE substr(s.text, i.quote_start + 1, i.quote_end - i.quote_start) "
                       "!= i.quote").fetchone()[0]
    assert bad == 0
    units = {u for (u,) in conn.execute("SELECT DISTINCT unit FROM indicators")}
    assert {"CNY", "percent", "家"} <= units
    result = cli("query", "indicators", "--zone", "ganzhou", "--format", "csv", "--db", str(db))
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))  # quotes keep raw line breaks
    assert len(rows) == 20
    assert {r["zone"] for r in rows} == {"ganzhou"}


def test_generation_is_deterministic(tmp_path: Path) -> None:
    synth.generate(2, 60, tmp_path / "a", seed=3)
    synth.generate(2, 60, tmp_path / "b", seed=3)
    synth.generate(2, 60, tmp_path / "c", seed=4)
    a, b, c = (_tree(tmp_path / x) for x in "abc")
    assert a == b
    assert a != c
    assert len([k for k in a if k.startswith("sources/") and k.endswith(".txt")]) == 4


def test_streamed_seed_reports_every_problem_and_writes_nothing(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    seeds = tmp_path / "seeds"
    synth.generate(3, 20, seeds, seed=7)
    first, *_, last = sorted((seeds / "facts").glob("*.yaml"))
    first.write_text(first.read_text(encoding="utf-8").replace("metric: ", "metric: x", 1),
                     encoding="utf-8")
    text = last.read_text(encoding="utf-8")
    last.write_text(text.replace("quote: ", "quote: 不在原文中", 1), encoding="utf-8")
    db = tmp_path / "new.db"
    result = cli("seed", "--db", str(db), "--seeds", str(seeds))
    assert result.exit_code == 1
    assert "unknown metric" in result.stderr and "quote not found" in result.stderr
    assert not db.exists() and not list(tmp_path.glob("new.db*"))
