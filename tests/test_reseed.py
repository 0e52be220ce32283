"""Incremental re-seeding gives exactly the rows a full rebuild gives (issue 14).

A Hypothesis state machine edits a copy of the real seeds (change a fact, add and remove
facts, split and delete files, touch a file, rename a metric, relabel a zone, edit a source
text, move the folder, add a source, break a quote or a source text and repair it) and
after every step re-seeds one database incrementally and rebuilds another in full, then
compares every table (ids included), the search index and the fingerprints. Few examples
here (PROPERTY_EXAMPLES=50 for a long run)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from conftest import SEEDS
from zonedb.errors import SeedError
from zonedb.store.load import seed
from zonedb.store.search import FTS_PREFIX, aligned_mark, lookup, table_range
from zonedb.store.tables import LOAD_ORDER

EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "0"))
TERMS = ("赣州", "企业", "基金", "1300", "经开区")


def snapshot(db: str) -> dict[str, Any]:
    """Every row of every table in id order, the search index as (table, row id, text), the
    ids each search term finds, and the fingerprints; read on one connection."""
    postgres = "://" in db
    statements: dict[str, tuple[str, list[Any]]] = {
        t: (f"SELECT * FROM {t} ORDER BY id", []) for t in LOAD_ORDER}
    statements["search_rows"] = ("SELECT tbl, row_id, text FROM search_rows "
                                 "ORDER BY tbl, row_id", [])
    statements["seed_files"] = ("SELECT path, sha256, size, tbl, n_rows FROM seed_files "
                                "ORDER BY path", [])
    aligned = {t: False for t in ("indicators", "zones")}
    if not postgres:  # the index's "ids are low + row id" mark holds when it is there
        with contextlib.closing(sqlite3.connect(db)) as conn:
            for table in aligned:
                aligned[table] = bool(conn.execute(
                    f"SELECT count(*) FROM {FTS_PREFIX} WHERE {FTS_PREFIX} MATCH '\"aligned\"' "
                    "AND rowid = ?", (aligned_mark(table),)).fetchone()[0])
                low, high = table_range(table)
                wrong = conn.execute("SELECT count(*) FROM search_rows WHERE id BETWEEN ? AND ? "
                                     "AND id != ? + row_id", (low, high, low)).fetchone()[0]
                assert not (aligned[table] and wrong), (table, wrong)
    for term in TERMS:
        for table in ("indicators", "zones"):
            for mode in ({False, aligned[table]}):  # either way, the same rows
                found = lookup(table, term, postgres=postgres, aligned=mode)
                assert found is not None
                names = sorted(found.params, key=lambda n: found.sql.index(f":{n}"))
                sql = found.sql
                for name in names:
                    sql = sql.replace(f":{name}", "%s" if postgres else "?")
                statements[f"search {table} {term}{' aligned' if mode else ''}"] = (
                    sql + " ORDER BY 1", [found.params[n] for n in names])
    if not postgres:
        with contextlib.closing(sqlite3.connect(db)) as conn:
            got = {k: conn.execute(q, p).fetchall() for k, (q, p) in statements.items()}
        for key in [k for k in got if k.endswith(" aligned")]:  # same rows as through the texts
            assert got.pop(key) == got[key.removesuffix(" aligned")], key
        return got
    import psycopg

    with psycopg.connect(db.replace("postgresql+psycopg://", "postgresql://", 1)) as conn:
        return {k: [tuple(r) for r in conn.execute(q, p).fetchall()]  # type: ignore[arg-type]
                for k, (q, p) in statements.items()}


def load(path: Path) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def dump(path: Path, records: list[dict[str, Any]]) -> None:
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


def edit_text(seeds: Path, name: str, where: str = "start") -> None:
    """Add a sentence to sources/NAME.txt and put its new sha256 in the manifest."""
    text = seeds / "sources" / f"{name}.txt"
    before = text.read_bytes()
    line = "本报讯，记者补充了一句。\n".encode()
    text.write_bytes(line + before if where == "start" else before + line)
    manifest = seeds / "sources" / "manifest.yaml"
    old, new = (hashlib.sha256(b).hexdigest() for b in (before, text.read_bytes()))
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(old, new),
                        encoding="utf-8")


class Reseeding(RuleBasedStateMachine):
    """``incremental`` is re-seeded after each edit, ``full`` rebuilt with --full."""

    make_db: Any = None  # (name) -> SQLite path, set by the test
    other: str | None = None  # a PostgreSQL URL re-seeded incrementally too
    workdir: Path = Path()

    @initialize()
    def start(self) -> None:
        self.seeds = self.workdir / f"seeds{id(self)}"
        shutil.rmtree(self.seeds, ignore_errors=True)
        shutil.copytree(SEEDS, self.seeds)
        self.incremental, self.full = self.make_db("inc"), self.make_db("full")
        self.targets = [self.incremental, *([self.other] if self.other else [])]
        for db in (*self.targets, self.full):
            seed(db, self.seeds, full=True)
        self.added = 0

    def fact_files(self) -> list[Path]:
        return sorted((self.seeds / "facts").glob("*.yaml"))

    def pick(self, data: st.DataObject, folder: str = "facts") -> tuple[Path, list[Any]]:
        """A file of ``folder`` and its records; a new empty one when none is left."""
        files = sorted((self.seeds / folder).glob("*.yaml"))
        if not files:
            (self.seeds / folder).mkdir(exist_ok=True)
            files = [self.seeds / folder / "empty.yaml"]
            dump(files[0], [])
        path = data.draw(st.sampled_from(files))
        return path, load(path)

    def reseed(self) -> None:
        for db in self.targets:
            seed(db, self.seeds)
        seed(self.full, self.seeds, full=True)

    @rule(data=st.data(), note=st.text("赣州ab 1", min_size=1, max_size=6))
    def change_fact(self, data: st.DataObject, note: str) -> None:
        path, recs = self.pick(data)
        if recs:
            recs[data.draw(st.integers(0, len(recs) - 1))]["note"] = note
            dump(path, recs)
        self.reseed()

    @rule(data=st.data())
    def remove_fact(self, data: st.DataObject) -> None:
        path, recs = self.pick(data, data.draw(st.sampled_from(["facts", "ignore"])))
        if recs:
            del recs[data.draw(st.integers(0, len(recs) - 1))]
            dump(path, recs)
        self.reseed()

    @rule(data=st.data())
    def add_fact(self, data: st.DataObject) -> None:
        path, recs = self.pick(data)
        if recs:
            copy = dict(data.draw(st.sampled_from(recs)))
            recs.insert(data.draw(st.integers(0, len(recs))), copy)
            dump(path, recs)
        self.reseed()

    @rule(data=st.data(), first=st.booleans())
    def split_file(self, data: st.DataObject, first: bool) -> None:
        """Move the tail of a file into a new file sorted before or after every other."""
        path, recs = self.pick(data)
        self.added += 1
        cut = data.draw(st.integers(0, len(recs)))
        new = path.parent / f"{'0' if first else 'z'}-new{self.added}.yaml"
        dump(new, recs[cut:])
        dump(path, recs[:cut])
        self.reseed()

    @rule(data=st.data())
    def delete_file(self, data: st.DataObject) -> None:
        path, _ = self.pick(data, data.draw(st.sampled_from(["facts", "ignore"])))
        path.unlink()
        self.reseed()

    @rule(data=st.data())
    def touch_file(self, data: st.DataObject) -> None:
        path, _ = self.pick(data)
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
        self.reseed()

    @rule(data=st.data())
    def rename_metric(self, data: st.DataObject) -> None:
        path = self.seeds / "metrics" / "ganzhou.yaml"
        metrics = load(path)
        used = {r.get("metric") for f in self.fact_files() for r in load(f)}
        choices = [m for m in metrics if m["slug"] in used]
        if not choices:
            return
        metric = data.draw(st.sampled_from(choices))
        old, new = metric["slug"], metric["slug"] + "_x"
        metric["slug"] = new
        dump(path, metrics)
        for f in self.fact_files():
            recs = load(f)
            for r in recs:
                if r.get("metric") == old:
                    r["metric"] = new
            dump(f, recs)
        self.reseed()

    @rule(data=st.data(), where=st.sampled_from(["start", "end"]))
    def edit_source_text(self, data: st.DataObject, where: str) -> None:
        """A sentence added to a source text (every later offset moves) and its sha256."""
        name = data.draw(st.sampled_from(["ganzhou-etdz-reform", "jiangxi-zones-roundup"]))
        edit_text(self.seeds, name, where)
        self.reseed()

    @rule(data=st.data())
    def relabel_zone(self, data: st.DataObject) -> None:
        """A zone's English name: its indicators' search text repeats it."""
        path = self.seeds / "zones.yaml"
        zones = load(path)
        zone = data.draw(st.sampled_from(zones))
        zone["name_en"] = f"{zone['name_en']} x"
        dump(path, zones)
        self.reseed()

    @rule()
    def move_folder(self) -> None:
        """The same seeds under another path: nothing is re-read."""
        self.added += 1
        moved = self.workdir / f"moved{id(self)}-{self.added}"
        self.seeds.rename(moved)
        self.seeds = moved
        self.reseed()

    @rule()
    def add_source(self) -> None:
        self.added += 1
        name = f"extra-{self.added}"
        (self.seeds / "sources" / f"{name}.txt").write_text("赣州经开区新增企业12家。\n",
                                                            encoding="utf-8")
        manifest = self.seeds / "sources" / "manifest.yaml"
        digest = hashlib.sha256((self.seeds / "sources" / f"{name}.txt").read_bytes()).hexdigest()
        with manifest.open("a", encoding="utf-8") as f:
            f.write(f"\n- slug: {name}\n  title: extra\n  file: {name}.txt\n  sha256: {digest}\n")
        self.reseed()

    @rule(data=st.data(), where=st.sampled_from(["fact", "source"]))
    def bad_edit(self, data: st.DataObject, where: str) -> None:
        """A broken quote or an edited source text: both ways refuse with the same
        problems and change nothing; then the edit is undone."""
        if where == "fact":
            path, recs = self.pick(data)
            if not recs:
                return
            recs[0]["quote"] = "这句话不在原文里"
            before = path.read_bytes()
            dump(path, recs)
        else:
            path = self.seeds / "sources" / "ganzhou-etdz-reform.txt"
            before = path.read_bytes()
            path.write_bytes(before.replace(b"1300", b"1301", 1))
        with pytest.raises(SeedError) as full:
            seed(self.full, self.seeds, full=True)
        for db in self.targets:
            was = snapshot(db)
            with pytest.raises(SeedError) as inc:
                seed(db, self.seeds)
            assert inc.value.problems == full.value.problems
            assert snapshot(db) == was
        path.write_bytes(before)
        self.reseed()

    @invariant()
    def same_as_full(self) -> None:
        want = snapshot(self.full)
        for db in self.targets:
            assert snapshot(db) == want, db


def run_machine(workdir: Path, other: str | None, examples: int, steps: int) -> None:
    from hypothesis.stateful import run_state_machine_as_test

    names = iter(range(10**6))
    Reseeding.make_db = staticmethod(lambda kind: str(workdir / f"{kind}{next(names)}.db"))
    Reseeding.other = other
    Reseeding.workdir = workdir
    run_state_machine_as_test(Reseeding, settings=settings(
        max_examples=EXAMPLES or examples, stateful_step_count=steps, deadline=None,
        suppress_health_check=list(HealthCheck)))


def test_incremental_equals_full(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """SQLite and PostgreSQL (where a server runs; always in CI) re-seeded incrementally,
    both against SQLite's full rebuild (the engines' full rebuilds give the same rows:
    tests/test_postgres.py)."""
    try:
        pg: str | None = request.getfixturevalue("pg_db")
    except pytest.skip.Exception:
        pg = None
    run_machine(tmp_path, pg, 1, 5)


def test_wal_reader_keeps_its_snapshot(tmp_path: Path) -> None:
    """A reader inside a transaction during a re-seed sees the old rows, then the new."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    db = tmp_path / "z.db"
    seed(str(db), seeds)
    assert seed(str(db), seeds).how == "re-read 0 of 19 seed files, the others are unchanged " \
        "since the last seeding (--full reads all)"  # and the file is now in WAL mode
    reader = sqlite3.connect(db)
    reader.execute("BEGIN")
    before = reader.execute("SELECT count(*) FROM indicators").fetchone()[0]
    path = seeds / "facts" / "ganzhou-etdz-reform.yaml"
    recs = load(path)
    dump(path, recs[1:])
    report = seed(str(db), seeds)
    assert report.how is not None and report.how.startswith("re-read 1 of")
    assert reader.execute("SELECT count(*) FROM indicators").fetchone()[0] == before
    reader.execute("COMMIT")
    assert reader.execute("SELECT count(*) FROM indicators").fetchone()[0] == before - 1
    reader.close()


def test_diff_and_check_read_only_the_edit(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """After an edit, `zonedb diff` and `seed --check` try the re-seed and roll it back:
    the same changes and counts as comparing every seed, and the database is untouched."""
    from zonedb.seeds.read import read_seeds
    from zonedb.store.diff import diff_database
    from zonedb.store.load import preview

    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    db = str(tmp_path / "z.db")
    seed(db, seeds)
    facts = seeds / "facts" / "ganzhou-etdz-reform.yaml"
    recs = load(facts)
    recs[0]["period"] = "2019"  # a changed fact
    recs.append(dict(recs[1]))  # an added one
    del recs[2]  # a removed one
    dump(facts, recs)
    before = Path(db).read_bytes()
    trial = preview(db, seeds)
    assert trial is not None and trial.how.startswith("re-read 1 of 19")
    everything = diff_database(db, read_seeds(seeds))
    assert trial.diff.counts == everything.counts
    assert trial.diff.summary() == everything.summary() == "indicators +1 -1 ~1"
    key = lambda c: (c.table, c.change, c.row, str(c.field), str(c.old), str(c.new))  # noqa: E731
    assert sorted(map(key, trial.diff.changes)) == sorted(map(key, everything.changes))
    shown = cli("diff", "--db", db, "--seeds", str(seeds))
    assert "Re-seeding would change: indicators +1 -1 ~1" in shown.stderr
    checked = cli("seed", "--check", "--db", db, "--seeds", str(seeds), "-f", "csv")
    assert checked.exit_code == 0, checked.output
    assert "nothing was written (re-read 1 of 19 seed files" in checked.stderr
    assert "indicators,80" in checked.stdout  # 80 facts, one added and one removed
    assert Path(db).read_bytes() == before
    recs[0]["quote"] = "不在原文里的话"
    dump(facts, recs)
    refused = cli("seed", "--check", "--db", db, "--seeds", str(seeds))
    assert refused.exit_code == 1
    assert "ganzhou-etdz-reform.yaml:" in refused.stderr and "quote not found" in refused.stderr
    assert Path(db).read_bytes() == before


def test_reference_edits_apply_in_place(tmp_path: Path) -> None:
    """Edits outside facts/ and ignore/ are applied in place too, each giving exactly the
    rows of a full rebuild: a source text (its quotes re-checked at their new offsets), a
    zone's name (its indicators' search text), a metric renamed with its facts, and the
    folder moved (nothing re-read)."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    db = str(tmp_path / "inc.db")
    seed(db, seeds)

    def same_as_full(step: int) -> str:
        report = seed(db, seeds, summarise=True)
        assert report.how is not None and report.how.startswith("re-read"), report.how
        moved_from = f"the last seeding read {tmp_path.resolve() / 'seeds'}, so the files"
        assert (moved_from in report.how) == (step == 4), report.how
        full = str(tmp_path / f"full{step}.db")
        seed(full, seeds, full=True)
        assert snapshot(db) == snapshot(full)
        return f"{report.how.split(',')[0]}: {report.changes}"

    edit_text(seeds, "ganzhou-etdz-reform")
    assert same_as_full(1) == "re-read 17 of 19 seed files: sources ~1"
    zones = load(seeds / "zones.yaml")
    zones[0]["name_en"] = "Ganzhou ETDZ"
    dump(seeds / "zones.yaml", zones)
    assert same_as_full(2) == "re-read 16 of 19 seed files: zones ~1"
    path = seeds / "metrics" / "ganzhou.yaml"
    metrics = load(path)
    old = metrics[0]["slug"]
    metrics[0]["slug"] = "renamed_metric"
    dump(path, metrics)
    facts = seeds / "facts" / "ganzhou-etdz-reform.yaml"
    recs = load(facts)
    n = sum(r.get("metric") == old for r in recs)
    assert n >= 1
    dump(facts, [{**r, "metric": "renamed_metric"} if r.get("metric") == old else r
                 for r in recs])
    assert same_as_full(3) == f"re-read 16 of 19 seed files: metrics +1 -1, indicators ~{n}"
    moved = tmp_path / "elsewhere"
    seeds.rename(moved)
    seeds = moved
    assert same_as_full(4) == "re-read 0 of 19 seed files: no changes"
    assert "the last seeding read" not in str(seed(db, moved).how)  # said once, then stored


def test_killed_reseed_keeps_the_old_rows(tmp_path: Path) -> None:
    """SIGKILL while an in-place re-seed is inside its transaction (a source text edited:
    every facts file of ~1700 indicators re-checked): the database still holds the old rows,
    intact, and the next seeding gives the full rebuild's."""
    import signal
    import subprocess
    import sys
    import time

    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    for i in range(20):
        for path in sorted((SEEDS / "facts").glob("*.yaml")):
            shutil.copy(path, seeds / "facts" / f"zz{i:02d}-{path.name}")
    db = tmp_path / "z.db"
    seed(str(db), seeds)
    seed(str(db), seeds)  # the file is in WAL mode from here on
    old = snapshot(str(db))
    saved = db.read_bytes()
    edit_text(seeds, "ganzhou-etdz-reform")
    killed = 0
    for delay in (0.0, 0.1, 0.25):
        for extra in (db.with_name("z.db-wal"), db.with_name("z.db-shm")):
            extra.unlink(missing_ok=True)
        db.write_bytes(saved)
        proc = subprocess.Popen([sys.executable, "-m", "zonedb", "seed", "--db", str(db),
                                 "--seeds", str(seeds)], stderr=subprocess.PIPE)
        maps, deadline = Path(f"/proc/{proc.pid}/maps"), time.monotonic() + 30
        while proc.poll() is None and "_yaml" not in maps.read_text():  # reading the seeds
            assert time.monotonic() < deadline
            time.sleep(0.002)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.communicate(timeout=60)
        with contextlib.closing(sqlite3.connect(db)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        if proc.returncode == -signal.SIGKILL:
            assert snapshot(str(db)) == old, delay
    assert killed >= 2, "the re-seeds finished before they could be killed"
    report = seed(str(db), seeds)
    assert report.how is not None and report.how.startswith("re-read 37 of 59 ")
    full = str(tmp_path / "full.db")
    seed(full, seeds, full=True)
    assert snapshot(str(db)) == snapshot(full)


def test_unchanged_reseed_starts_light(tmp_path: Path) -> None:
    """Re-seeding in place with nothing changed imports neither SQLAlchemy, Alembic nor
    cn2an (about 1 s of a 2 s re-seed at 1M facts); the migration head it compares with,
    read from the migration files, is the one Alembic names."""
    import json
    import subprocess
    import sys

    from zonedb.store.revisions import alembic_head, head_revision

    assert head_revision() == alembic_head()
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    db = tmp_path / "z.db"
    seed(str(db), seeds)
    code = ("import json, sys\nfrom zonedb.store.load import seed\n"
            f"r = seed({str(db)!r}, {str(seeds)!r})\n"
            "print(json.dumps([r.how, sorted({m.split('.')[0] for m in sys.modules})]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    how, loaded = json.loads(done.stdout)
    assert how.startswith("re-read 0 of 19")
    assert {"sqlalchemy", "alembic", "cn2an"} & set(loaded) == set()
