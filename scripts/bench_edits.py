"""Section 5 of docs/benchmarks.md: the edit loop (issue 14). Run through
``python scripts/bench.py --edits [--sizes 10k,100k,1M] [--work DIR]``.

For each size: a full seed of a synthetic corpus (scripts/synth.py), then three edits, each
followed by cold processes of ``zonedb diff``, ``zonedb seed --check`` and ``zonedb seed``
(wall time, the child's peak RSS):

* one fact: one period changed in one facts file (the middle one);
* one source character: one character changed inside a quoted passage (every seeding refuses
  it, with the facts whose quotes no longer match; the time is the time to that answer);
* one source sentence: a sentence added at the start of a source text (every later offset
  moves) and its sha256 put in the manifest: applied in place, its quotes re-checked;
* a metric renamed in metrics/ and in every fact that uses it (applied in place).

Each beside its floor measured in the same run: reading and parsing the changed files
with PyYAML's C loader, plus updating the changed rows with raw sqlite3 in one
transaction. PostgreSQL at 100k: the one-fact re-seed, and the full seed's peak RSS.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peak import launch, wait_measured

TITLE = "## 5. The edit loop: re-seed, diff and check after an edit"


def _floor_child(files: list[str], db: str, sql: str, params: list[Any]) -> None:
    """Child mode: read ``files`` (YAML parsed with the C loader), run one UPDATE in a
    transaction."""
    import yaml

    start = time.perf_counter()
    for name in files:
        text = Path(name).read_text(encoding="utf-8")
        if name.endswith((".yaml", ".yml")):
            yaml.load(text, Loader=yaml.CSafeLoader)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(sql, [params]) if params else conn.execute(sql)
    conn.execute("ROLLBACK")  # the floor measures the write, the database stays as it is
    conn.close()
    print(json.dumps({"total": time.perf_counter() - start}))


def floor(files: list[Path], db: Path, sql: str, params: list[Any],
          measured: Callable[[list[str]], tuple[float, int, str]]) -> float:
    _w, _r, out = measured([sys.executable, __file__, json.dumps([str(f) for f in files]),
                            str(db), sql, json.dumps(params)])
    return float(json.loads(out)["total"])


def run_status(cmd: list[str]) -> tuple[float, int, str, int]:
    """Wall seconds, peak RSS (see peak.py), stderr and exit status of a command that may
    fail."""
    proc, report = launch(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read() if proc.stderr else b""
    wall, rss, code = wait_measured(proc, report)
    return wall, rss, err.decode(errors="replace"), code


def loop(zonedb: str, db: str, seeds: Path) -> dict[str, Any]:
    """diff, seed --check and seed after an edit, each a cold process."""
    out: dict[str, Any] = {}
    for name, args in (("diff", ["diff"]), ("check", ["seed", "--check"]), ("seed", ["seed"])):
        wall, rss, err, status = run_status([zonedb, *args, "--db", db, "--seeds", str(seeds)])
        if status not in (0, 1):
            sys.exit(f"bench: zonedb {' '.join(args)} failed ({status}):\n{err[-3000:]}")
        out[name] = {"s": wall, "rss": rss, "status": status,
                     "said": [line for line in err.splitlines()
                              if line.startswith(("Incremental", "Re-seeding would", "Changes",
                                                  "Seeds are valid"))][:2]}
    return out


def middle_facts(seeds: Path) -> Path:
    files = sorted((seeds / "facts").glob("*.yaml"))
    return files[len(files) // 2]


def edit_one_fact(seeds: Path, db: Path) -> tuple[list[Path], str, list[Any]]:
    path = middle_facts(seeds)
    text = path.read_text(encoding="utf-8")
    found = re.search(r'period: "(\d{4})', text)
    assert found, path
    year = found.group(1)
    path.write_text(text[:found.start(1)] + str(int(year) - 1) + text[found.end(1):],
                    encoding="utf-8")
    return [path], "UPDATE indicators SET period = ? WHERE id = ?", ["x", 1]


def edit_source_text(seeds: Path) -> dict[Path, bytes]:
    """Change one character inside a quoted passage; returns the file's old bytes."""
    path = middle_facts(seeds)
    source = re.search(r"source: (\S+)\n  quote: \"?([^\"\n]+)", path.read_text("utf-8"))
    assert source, path
    text_path = seeds / "sources" / f"{source.group(1)}.txt"
    old = text_path.read_bytes()
    text = old.decode("utf-8")
    at = text.index(source.group(2)) + 1
    text_path.write_text(text[:at] + ("甲" if text[at] != "甲" else "乙") + text[at + 1:],
                         encoding="utf-8")
    return {text_path: old}


def add_source_sentence(seeds: Path) -> list[Path]:
    """A sentence before the text of the source the middle facts file quotes, and the new
    sha256 in the manifest: a valid edit. Returns the changed files."""
    import hashlib

    path = middle_facts(seeds)
    source = re.search(r"source: (\S+)\n", path.read_text("utf-8"))
    assert source, path
    text_path = seeds / "sources" / f"{source.group(1)}.txt"
    old = text_path.read_bytes()
    new = "本报讯（记者补记）。\n".encode() + old
    text_path.write_bytes(new)
    manifest = seeds / "sources" / "manifest.yaml"
    before, after = (hashlib.sha256(b).hexdigest() for b in (old, new))
    manifest.write_text(manifest.read_text("utf-8").replace(before, after), "utf-8")
    return [text_path, manifest]


def rename_metric(seeds: Path) -> tuple[list[Path], int]:
    counts: dict[str, int] = {}
    files = sorted((seeds / "facts").glob("*.yaml"))
    for path in files:
        for m in re.findall(r"metric: (\S+)", path.read_text(encoding="utf-8")):
            counts[m] = counts.get(m, 0) + 1
    metric = max(counts, key=lambda m: counts[m])
    changed = []
    for path in [*sorted((seeds / "metrics").glob("*.yaml")), *files]:
        text = path.read_text(encoding="utf-8")
        new = re.sub(rf"((?:metric|slug): ){metric}\n", rf"\g<1>{metric}_renamed\n", text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed, counts[metric]


def edits_at(label: str, zones: int, work: Path, zonedb: str,
             measured: Callable[[list[str]], tuple[float, int, str]],
             synth: Callable[[str, int, Path], None]) -> dict[str, Any]:
    seeds, db = work / f"edits-seeds-{label}", work / f"edits-{label}.db"
    synth(label, zones, seeds)
    if db.exists():
        db.unlink()
    full_s, full_rss, _ = measured([zonedb, "seed", "--full", "--db", str(db), "--seeds",
                                    str(seeds)])
    nochange = loop(zonedb, str(db), seeds)
    files, sql, params = edit_one_fact(seeds, db)
    fact = loop(zonedb, str(db), seeds)
    fact_floor = floor(files, db, sql, params, measured)
    refull_s, refull_rss, _ = measured([zonedb, "seed", "--full", "--db", str(db), "--seeds",
                                        str(seeds)])
    before = edit_source_text(seeds)
    source = loop(zonedb, str(db), seeds)
    source_floor = floor(list(before), db, "UPDATE sources SET text = text WHERE id = 1", [],
                         measured)
    for p, data in before.items():
        p.write_bytes(data)
    sentence_files = add_source_sentence(seeds)
    sentence = loop(zonedb, str(db), seeds)
    sentence_floor = floor(sentence_files, db, "UPDATE sources SET text = text WHERE id = 1",
                           [], measured)
    metric_files, used = rename_metric(seeds)
    metric = loop(zonedb, str(db), seeds)
    metric_floor = floor(metric_files, db, "UPDATE metrics SET slug = slug || '' WHERE id = 1",
                         [], measured)
    return {"label": label, "facts": zones * 400, "full_s": full_s, "full_rss": full_rss,
            "refull_s": refull_s, "refull_rss": refull_rss, "nochange": nochange,
            "fact": fact, "fact_floor": fact_floor, "source": source,
            "source_floor": source_floor, "sentence": sentence,
            "sentence_floor": sentence_floor, "metric": metric, "metric_floor": metric_floor,
            "metric_facts": used}


def pg_edits(seeds: Path, zonedb: str,
             measured: Callable[[list[str]], tuple[float, int, str]]) -> dict[str, Any]:
    """PostgreSQL: the full seed's peak RSS, then the one-fact re-seed."""
    repo = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(repo / "tests"))
    import pgserver

    server = pgserver.start()
    try:
        server.admin('CREATE DATABASE "edits"')
        url = server.url("edits")
        full_s, full_rss, _ = measured([zonedb, "seed", "--db", url, "--seeds", str(seeds)])
        edit_one_fact(seeds, Path())
        fact = loop(zonedb, url, seeds)
        return {"full_s": full_s, "full_rss": full_rss, "fact": fact}
    finally:
        server.stop()


def mib(b: int) -> str:
    return f"{b / 2**20:.0f} MiB"


def report(results: list[dict[str, Any]], pg: dict[str, Any] | None) -> str:
    lines = [TITLE, "",
             "`python scripts/bench.py --edits`: a full seed, then cold processes of "
             "`zonedb diff`, `zonedb seed --check` and `zonedb seed` after each edit, beside "
             "the floor (parse the changed files with PyYAML's C loader + the row update "
             "with raw sqlite3). Wall seconds, peak RSS of the process.", ""]
    lines += ["| facts | full seed | edit | diff | check | seed | floor | seed / floor | "
              "how |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        for key, name, fl in (("nochange", "none", None), ("fact", "one fact", r["fact_floor"]),
                              ("source", "one source character", r["source_floor"]),
                              ("sentence", "one source sentence", r["sentence_floor"]),
                              ("metric", f"rename a metric ({r['metric_facts']} facts)",
                               r["metric_floor"])):
            e = r[key]
            how = " / ".join(e["seed"]["said"]) or ("refused, exit 1" if e["seed"]["status"]
                                                    else "")
            lines.append(
                f"| {r['facts']:,} | {r['full_s']:.1f} s, {mib(r['full_rss'])} | {name} | "
                f"{e['diff']['s']:.2f} s, {mib(e['diff']['rss'])} | "
                f"{e['check']['s']:.2f} s, {mib(e['check']['rss'])} | "
                f"{e['seed']['s']:.2f} s, {mib(e['seed']['rss'])} | "
                + (f"{fl:.3f} s | {e['seed']['s'] / fl:.0f}x" if fl else "- | -")
                + f" | {how} |")
    if pg:
        lines += ["", f"PostgreSQL at 100k: full seed {pg['full_s']:.1f} s, peak "
                  f"{mib(pg['full_rss'])}; after a one-fact edit `zonedb seed` "
                  f"{pg['fact']['seed']['s']:.2f} s, `diff` {pg['fact']['diff']['s']:.2f} s, "
                  f"`seed --check` {pg['fact']['check']['s']:.2f} s."]
    return "\n".join(lines) + "\n"


def splice(old: str, section: str) -> str:
    """``old`` with this section replaced (or appended)."""
    if TITLE not in old:
        return old.rstrip("\n") + "\n\n" + section
    head, rest = old.split(TITLE, 1)
    tail = rest.split("\n## ", 1)
    return head + section + ("\n## " + tail[1] if len(tail) > 1 else "")


if __name__ == "__main__":
    _floor_child(json.loads(sys.argv[1]), sys.argv[2], sys.argv[3], json.loads(sys.argv[4]))
