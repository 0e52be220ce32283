"""The file half of the attack catalogue (issues 15 and 20): zonedb writes only where it
was pointed, never into its bundled seeds nor over a file it did not make, reads only
regular files of bounded size inside the seeds, and hostile YAML ends with a `file:line`
message in bounded time and memory (the child's wall time and peak RSS are asserted)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from conftest import assert_bounded_refusals, run_bounded_batch
from zonedb.curate.sources import bundled_seeds


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


# -- writes only where the user pointed ---------------------------------------------------
def test_sources_add_refuses_the_bundled_seeds(cli, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    article = tmp_path / "article.txt"
    article.write_text("新签约项目12个，总投资35亿元。\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # no ./seeds here: the default is the bundled copy
    before = _tree_digest(bundled_seeds())
    result = cli("sources", "add", str(article), "--slug", "q2-article")
    assert result.exit_code == 1
    assert "bundled with zonedb" in result.stderr and "zonedb init DIR" in result.stderr
    assert _tree_digest(bundled_seeds()) == before
    assert cli("draft", "ganzhou-2024", "--write").exit_code != 0
    assert _tree_digest(bundled_seeds()) == before


def test_init_copies_the_bundled_seeds_and_never_overwrites(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "mine"
    made = cli("init", str(target))
    assert made.exit_code == 0, made.stderr
    copied = sorted(p.relative_to(target) for p in target.rglob("*") if p.is_file())
    assert copied and all((bundled_seeds() / p).read_bytes() == (target / p).read_bytes()
                          for p in copied)
    assert (target / "sources" / "manifest.yaml").read_bytes() == (
        bundled_seeds() / "sources" / "manifest.yaml").read_bytes()
    again = cli("init", str(target))
    assert again.exit_code == 1 and "not an empty folder" in again.stderr
    article = tmp_path / "article.txt"
    article.write_text("新签约项目12个，总投资35亿元。\n", encoding="utf-8")
    added = cli("sources", "add", str(article), "--slug", "q2-article", "--seeds", str(target))
    assert added.exit_code == 0, added.stderr
    assert (target / "sources" / "q2-article.txt").read_bytes() == article.read_bytes()


@pytest.mark.parametrize("content", [b"# README\nnot a database\n", b"\x89PNG\r\n", None])
def test_seed_refuses_to_overwrite_a_foreign_file(cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                  content: bytes | None) -> None:
    target = tmp_path / "notes.txt"
    if content is None:  # an SQLite database zonedb did not make
        with sqlite3.connect(target) as conn:
            conn.execute("CREATE TABLE mine (x)")
        conn.close()
    else:
        target.write_bytes(content)
    before = target.read_bytes()
    result = cli("seed", "--db", str(target))
    assert result.exit_code == 1 and "--force" in result.stderr, result.stderr
    assert target.read_bytes() == before
    shown = cli("query", "zones", "--db", str(target))
    assert shown.exit_code == 1 and "zonedb seed" not in shown.stderr


@pytest.mark.parametrize("command", [("db", "upgrade"), ("db", "upgrade", "0001"),
                                     ("db", "downgrade", "base"), ("db", "current")])
@pytest.mark.parametrize("content", [b"# README\nnot a database\n", b"\x89PNG\r\n", None])
def test_db_commands_refuse_a_foreign_file(cli, tmp_path: Path, command: tuple[str, ...],  # type: ignore[no-untyped-def]
                                           content: bytes | None) -> None:
    """`db upgrade` once added zonedb's tables to anyone's SQLite file: the migrations
    refuse by the rule `zonedb seed` refuses by (no --force), and leave the file as it was."""
    target = tmp_path / "other.db"
    if content is None:  # someone else's SQLite database: one table, no alembic_version
        with sqlite3.connect(target) as conn:
            conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
            conn.execute("INSERT INTO contacts VALUES ('Li', '0797-1234')")
        conn.close()
    else:
        target.write_bytes(content)
    before = target.read_bytes()
    result = cli(*command, "--db", str(target))
    assert result.exit_code == 1 and result.stdout == "", result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith(f"Error: {target} is not a zonedb database"), lines
    assert "zonedb will not write into it" in lines[0]
    assert "zonedb seed" not in lines[0] and "db upgrade" not in lines[0]  # no advice to write
    assert target.read_bytes() == before
    assert not list(tmp_path.glob("other.db?*"))  # no journal or temporary file left
    assert cli("seed", "--db", str(target)).exit_code == 1  # the same rule as seeding
    assert target.read_bytes() == before


def test_db_upgrade_migrates_zonedb_databases_and_makes_a_missing_one(cli, db: Path) -> None:  # type: ignore[no-untyped-def]
    """What the refusal leaves alone: a zonedb database (at base after a downgrade, with
    only alembic_version left) upgrades, and a missing file is created, as documented."""
    assert cli("db", "downgrade", "base", "--db", str(db)).exit_code == 0
    assert cli("db", "upgrade", "--db", str(db)).exit_code == 0
    assert "(up to date)" in cli("db", "current", "--db", str(db)).stdout
    new = db.parent / "new.db"
    assert cli("db", "upgrade", "--db", str(new)).exit_code == 0
    assert "(up to date)" in cli("db", "current", "--db", str(new)).stdout


def test_seed_force_replaces_and_a_zonedb_database_needs_no_force(cli, db: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("seed", "--db", str(db)).exit_code == 0
    other = db.parent / "notes.txt"
    other.write_text("scratch\n")
    assert cli("seed", "--db", str(other), "--force").exit_code == 0
    assert other.read_bytes().startswith(b"SQLite format 3\x00")


# -- source files: regular, bounded, plain text, inside the seeds -------------------------
@pytest.fixture
def hostile_files(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(17 * 2**20)  # sparse: 17 MiB of NUL on disk for nothing
    nul = tmp_path / "nul.txt"
    nul.write_bytes("新签约项目12个\x00总投资35亿元。".encode())
    return {"/dev/zero": Path("/dev/zero"), "fifo": fifo, "17 MiB": big, "NUL byte": nul,
            "folder": tmp_path}


@pytest.mark.parametrize(("slug", "date"), [("nl-slug\n", None), ("../escape", None),
                                            ("ok-slug", "2024-99-99"), ("ok-slug", "2024-02-30"),
                                            ("ok-slug", "2024-01-01\n")])
def test_sources_add_checks_slug_and_date_whole(cli, seeds_copy: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                slug: str, date: str | None) -> None:
    article = tmp_path / "article.txt"
    article.write_text("新签约项目12个，总投资35亿元。\n", encoding="utf-8")
    before = _tree_digest(seeds_copy)
    extra = ["--date", date] if date else []
    result = cli("sources", "add", str(article), "--slug", slug, "--seeds", str(seeds_copy),
                 *extra)
    assert result.exit_code == 2 and ("bad slug" in result.stderr or "bad date" in result.stderr)
    assert _tree_digest(seeds_copy) == before


def test_add_source_checks_kind_and_language(tmp_path: Path) -> None:
    """The library call the CLI wraps: the manifest's own table of kinds and languages, so
    `sources add` never writes an entry that `seed` would refuse."""
    from zonedb.curate.sources import add_source
    from zonedb.errors import UsageError

    seeds = small_seeds(tmp_path / "seeds")
    article = tmp_path / "article.txt"
    article.write_text("新签约项目12个，总投资35亿元。\n", encoding="utf-8")
    before = _tree_digest(seeds)
    for kind, language, said in [("blog", "zh", "kind must be one of article"),
                                 ("news", "zh-CN", "did you mean 'zh'?")]:
        with pytest.raises(UsageError, match=re.escape(said)):
            add_source(article, "q2", seeds_dir=seeds, kind=kind, language=language)
    assert _tree_digest(seeds) == before


def _point_manifest_at(seeds: Path, file: str) -> int:
    """Make the first source's `file:` read ``file``; its line in the manifest."""
    manifest = seeds / "sources" / "manifest.yaml"
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("file:"))
    lines[at] = lines[at].split("file:")[0] + f"file: {file}\n"
    manifest.write_text("".join(lines), encoding="utf-8")
    return at + 1


@pytest.mark.parametrize("file", ["/etc/passwd", "../../../../etc/passwd", "link.txt",
                                  "/dev/zero"])
def test_manifest_files_must_be_inside_the_seeds(cli, seeds_copy: Path, file: str) -> None:  # type: ignore[no-untyped-def]
    if file == "link.txt":
        (seeds_copy / "sources" / "link.txt").symlink_to("/etc/passwd")
    line = _point_manifest_at(seeds_copy, file)
    result = cli("seed", "--check", "--seeds", str(seeds_copy))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert f"manifest.yaml:{line}:" in result.stderr
    assert "outside" in result.stderr or "not a regular file" in result.stderr
    assert "root:" not in result.stderr


# -- hostile YAML ---------------------------------------------------------------------------
_BOMB = "".join([
    "- slug: bomb\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n",
    *(f"  {chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
      for i in range(8)),
    "  unknown_key: *i\n"])

HOSTILE_YAML = {
    "alias bomb": (_BOMB, "aliases"),
    "timestamp tag": ("- slug: x\n  name_zh: !!timestamp 99999-99-99\n", "missing required"),
    "timestamp key": ("- slug: x\n  2024-13-45: oops\n", "a key must be text"),
    "binary tag": ("- slug: x\n  name_zh: !!binary aGVsbG8=\n", "tag"),
    "python tag": ("- slug: x\n  name_zh: !!python/object:os.system [id]\n", "tag"),
    "set tag": ("- slug: x\n  aliases: !!set {a: null}\n", "tag"),
    "deep nesting": ("- slug: x\n  aliases: " + "[" * 5000 + "]" * 5000 + "\n", "YAML"),
    "huge value": ("- slug: x\n  name_zh: [" + "a, " * 20000 + "]\n", "must be"),
    "NUL escape": ("- slug: x\n  name_zh: \"a\\0b\"\n", "holds a NUL character"),
}


def test_hostile_yaml_is_a_message(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Every hostile file in one seeds folder, one check: each gets its own file:line."""
    seeds = small_seeds(tmp_path / "seeds")
    (seeds / "firms").mkdir()
    for case, (text, _) in HOSTILE_YAML.items():
        name = case.replace(" ", "-")
        (seeds / "firms" / f"{name}.yaml").write_text(text.replace("slug: x", f"slug: {name}"),
                                                      encoding="utf-8")
    result = cli("seed", "--check", "--seeds", str(seeds))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    for case, (_, said) in HOSTILE_YAML.items():
        mine = [line for line in lines if f"firms/{case.replace(' ', '-')}.yaml:" in line]
        assert mine and any(said in line for line in mine), (case, result.stderr)
    assert max(map(len, lines)) < 1000 and len(lines) < 20


def test_hostile_files_end_in_bounded_time_and_memory(tmp_path: Path, hostile_files,  # type: ignore[no-untyped-def]
                                                       seeded_template: Path) -> None:
    """Through one real child process: each case's wall time and the child's peak RSS
    asserted (a billion-laughs seed file took 137 s and 15 GB; /dev/zero was a MemoryError
    after 16 GB; a FIFO hung), nothing written. Small seeds folders, so the time measured
    is the hostile files'."""
    bombs = tmp_path / "bombs"
    (bombs / "sources").mkdir(parents=True)
    (bombs / "firms").mkdir()
    (bombs / "sources" / "manifest.yaml").write_text("[]\n", encoding="utf-8")
    (bombs / "firms" / "bomb.yaml").write_text(_BOMB, encoding="utf-8")
    with (bombs / "firms" / "huge.yaml").open("wb") as fh:
        fh.truncate(200 * 2**20)  # a 200 MB seed file (sparse)
    seeds = small_seeds(tmp_path / "seeds")
    fifo_seeds = small_seeds(tmp_path / "fifo_seeds")
    os.mkfifo(fifo_seeds / "sources" / "fifo.txt")  # inside the folder: read, it would hang
    _point_manifest_at(fifo_seeds, "fifo.txt")
    db = tmp_path / "zonedb.db"
    shutil.copy(seeded_template, db)
    (tmp_path / "out" / "zones.csv").mkdir(parents=True)
    before = _tree_digest(seeds), hashlib.sha256(db.read_bytes()).hexdigest()
    cases: dict[str, tuple[list[str], str]] = {
        "alias bomb, 200 MB": (["seed", "--db", str(tmp_path / "z.db"), "--seeds", str(bombs)],
                               "bomb.yaml:2: YAML aliases"),
        "manifest FIFO": (["seed", "--check", "--seeds", str(fifo_seeds)], "not a regular file"),
        **{f"sources add {name}": (["sources", "add", str(hostile_files[name]), "--slug",
                                    "hostile", "--seeds", str(seeds)], said)
           for name, said in [("/dev/zero", "not a regular file"), ("fifo", "not a regular "
                              "file"), ("17 MiB", "larger than 16 MiB"), ("NUL byte",
                              "holds a NUL byte")]},
        "extract /dev/zero": (["extract", "/dev/zero"], "not a regular file"),
        "extract fifo": (["extract", str(hostile_files["fifo"])], "not a regular file"),
        "export under a file": (["export", str(db / "sub"), "--db", str(db)],
                                "cannot write the export"),
        "export onto a folder": (["export", str(tmp_path / "out"), "--db", str(db),
                                  "--force"], "is a folder"),
    }
    results, peak = run_bounded_batch([(args, None) for args, _ in cases.values()], tmp_path)
    assert_bounded_refusals(results, peak)
    for name, result in zip(cases, results, strict=True):
        assert cases[name][1] in result.stderr, (name, result.stderr)
    assert "huge.yaml:1: cannot read this file: larger than 64 MiB" in results[0].stderr
    assert not (tmp_path / "z.db").exists()
    assert (_tree_digest(seeds), hashlib.sha256(db.read_bytes()).hexdigest()) == before
    assert sorted(os.listdir(tmp_path / "out")) == ["zones.csv"]


def test_bundled_seeds_untouched_by_the_suite() -> None:
    assert shutil.which("git") is None or subprocess.run(
        ["git", "status", "--porcelain", "--", "seeds"], cwd=Path(__file__).parent.parent,
        capture_output=True, text=True).stdout == ""


# -- export writes only its own files, never through a symlink ------------------------------
def test_export_refuses_foreign_files_and_symlinks(cli, shared_sqlite: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (out / "firms.csv").symlink_to(victim)
    result = cli("export", str(out), "--db", shared_sqlite)
    assert result.exit_code == 1 and "symlink" in result.stderr
    assert victim.read_text() == "keep me\n" and sorted(os.listdir(out)) == ["firms.csv"]
    (out / "firms.csv").unlink()
    (out / "zones.csv").write_text("my own notes\n")
    result = cli("export", str(out), "--db", shared_sqlite)
    assert result.exit_code == 1 and "--force" in result.stderr
    assert (out / "zones.csv").read_text() == "my own notes\n"
    assert cli("export", str(out), "--db", shared_sqlite, "--force").exit_code == 0
    assert cli("export", str(out), "--db", shared_sqlite).exit_code == 0  # its own files now
    assert not [p for p in os.listdir(out) if "zonedb-tmp" in p]
    blocked = cli("export", str(victim / "sub"), "--db", shared_sqlite)
    assert blocked.exit_code == 1 and "cannot write the export" in blocked.stderr
    assert "Traceback" not in blocked.stderr


@pytest.fixture(scope="module")
def shared_sqlite(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> str:
    path = tmp_path_factory.mktemp("files") / "zonedb.db"
    shutil.copy(seeded_template, path)
    return str(path)


# -- the extractor: linear on adversarial runs, up to 100 KB ---------------------------------
def _best_time(text: str) -> float:
    from zonedb.text.extract import extract_mentions

    times = []
    for _ in range(2):
        started = time.perf_counter()
        extract_mentions(text)
        times.append(time.perf_counter() - started)
    return min(times)


@pytest.mark.parametrize("unit", [",000", "由万"], ids=["comma-run", "you-wan-run"])
def test_extraction_grows_linearly(unit: str) -> None:
    """10 then 40 thousand characters of the run: linear gives a ratio near 4, quadratic near
    16 ('1' + ',000' * 5000 took 12.5 s, 由 + 4,000 万 6.7 s before); 100 KB in
    scripts/bench_hostile.py."""
    head = "由" if unit == "由万" else "1" if unit == ",000" else ""
    body = "万" if unit == "由万" else unit
    small = head + body * (10_000 // len(body))
    big = head + body * (40_000 // len(body))
    t_small, t_big = _best_time(small), _best_time(big)
    assert t_big < max(8 * t_small, 0.5), (t_small, t_big)
    assert t_big < 10


# -- seed values: enums, BOM and CR LF, NFKC -------------------------------------------------
# A source saved by a Windows editor: a BOM and CR LF line ends, a list mark ① and a quote
# that runs over a line break.
SMALL_TEXT = ("\ufeff赣州经开区概况\r\n目前，已培育工业企业1300余家，\r\n形成了产业集群。"
              "共有①家企业获奖，另有2家企业入选。\r\n")
SMALL_SEEDS = {
    "zones.yaml": "- slug: ganzhou\n  name_zh: 赣州经开区\n  name_en: Ganzhou ETDZ\n"
                  "  level: national\n  kind: etdz\n",
    "metrics/m.yaml": "- slug: firms\n  label_zh: 企业数量\n  label_en: Firms\n  unit: 家\n"
                      "  description: Firms.\n",
    "facts/f.yaml": "- zone: ganzhou\n  metric: firms\n  source: small\n"
                    "  quote: 目前,已培育工业企业1300余家,形成了产业集群\n"
                    "  as_written: １３００余家\n  qualifier: more_than\n  role: after\n"
                    "- zone: ganzhou\n  metric: firms\n  source: small\n"
                    "  quote: 另有2家企业入选\n  as_written: 2家\n  rank: normal\n",
}


def small_seeds(folder: Path, text: str = SMALL_TEXT) -> Path:
    """A one-source seeds folder (the text written as UTF-8 bytes, CR LF and BOM kept)."""
    data = text.encode("utf-8")
    (folder / "sources").mkdir(parents=True)
    (folder / "sources" / "small.txt").write_bytes(data)
    (folder / "sources" / "manifest.yaml").write_text(
        f"- slug: small\n  file: small.txt\n  sha256: {hashlib.sha256(data).hexdigest()}\n"
        "  kind: article\n  language: zh\n", encoding="utf-8")
    for rel, yaml_text in SMALL_SEEDS.items():
        (folder / rel).parent.mkdir(exist_ok=True)
        (folder / rel).write_text(yaml_text, encoding="utf-8")
    return folder


def test_bom_crlf_and_width_forms_keep_offsets_exact(cli, any_new_db: str, db_rows,  # type: ignore[no-untyped-def]
                                                     tmp_path: Path) -> None:
    """The stored text is the file's UTF-8 as it is (BOM, CR LF), so its sha256 is the
    manifest's and every offset indexes it; the stored as_written is the text's own
    characters at its offsets (the seed's full-width １３００余家 is stored as 1300余家)."""
    seeds = small_seeds(tmp_path / "seeds")
    done = cli("seed", "--db", any_new_db, "--seeds", str(seeds))
    assert done.exit_code == 0, done.stderr
    (text,), = db_rows(any_new_db, "SELECT text FROM sources")
    assert text == SMALL_TEXT
    rows = db_rows(any_new_db, "SELECT quote, quote_start, quote_end, as_written, written_start,"
                               " written_end, value FROM indicators ORDER BY id")
    assert [(r[0], r[3], r[6]) for r in rows] == [
        ("目前，已培育工业企业1300余家，\r\n形成了产业集群", "1300余家", 1300),
        ("另有2家企业入选", "2家", 2)]
    for quote, start, end, written, w_start, w_end, _ in rows:
        assert text[start:end] == quote and text[w_start:w_end] == written and written in quote
    cited = cli("cite", "1", "--db", any_new_db)
    assert cited.exit_code == 0 and "verified: the quote is the text" in cited.stdout
    extracted = cli("extract", str(seeds / "sources" / "small.txt"), "-f", "csv")
    found = [line.split(",")[:3] for line in extracted.stdout.splitlines()[1:]]
    at = text.index("2家")  # ①家 is a list mark, not a count
    assert found == [["1300余家", str(rows[0][4]), str(rows[0][5])],
                     ["2家", str(at), str(at + 2)]]


def test_a_circled_digit_is_never_a_digit(cli, tmp_path: Path) -> None:
    seeds = small_seeds(tmp_path / "seeds")
    facts = seeds / "facts" / "f.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + (
        "- zone: ganzhou\n  metric: firms\n  source: small\n  quote: 共有①家企业获奖\n"
        "  as_written: 1家\n"
        "- zone: ganzhou\n  metric: firms\n  source: small\n  quote: 共有1家企业获奖\n"
        "  as_written: 1家\n"), encoding="utf-8")
    result = cli("seed", "--check", "--seeds", str(seeds))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert "facts/f.yaml:18: as_written \"1家\" is not inside the quote" in result.stderr
    assert "facts/f.yaml:22: quote not found in source small: \"共有1家企业获奖\"" \
        in result.stderr


ENUM_MISTAKES = [  # (file, old, new, message)
    ("zones.yaml", "level: national", "level: provinical", "level must be one of national, "
     "provincial, municipal, district (got 'provinical'; did you mean 'provincial'?)"),
    ("zones.yaml", "kind: etdz", "kind: ETDZ", "kind must be one of etdz, hi-tech zone, "
     "industrial park, bonded zone (got 'ETDZ'; did you mean 'etdz'?)"),
    ("facts/f.yaml", "role: after", "role: afterwards", "role must be one of before, after, "
     "change, target (got 'afterwards'; did you mean 'after'?)"),
    ("facts/f.yaml", "qualifier: more_than", "qualifier: more than", "qualifier must be one "
     "of approx, more_than, at_least, less_than, nearly (got 'more than'; did you mean "
     "'more_than'?)"),
    ("facts/f.yaml", "rank: normal", "rank: nromal", "rank must be one of preferred, normal, "
     "deprecated (got 'nromal'; did you mean 'normal'?)"),
    ("sources/manifest.yaml", "kind: article", "kind: blog", "kind must be one of article, "
     "news, commentary, government_report, statistical_bulletin, work_report, interview "
     "(got 'blog')"),
    ("sources/manifest.yaml", "language: zh", "language: zh_CN", "language must be one of zh, "
     "en (got 'zh_CN'; did you mean 'zh'?)"),
]


def test_enum_values_are_checked_with_did_you_mean(cli, any_db: str, snapshot,  # type: ignore[no-untyped-def]
                                                   tmp_path: Path) -> None:
    from conftest import break_seed

    seeds = small_seeds(tmp_path / "seeds")
    expected = [f"{rel}:{break_seed(seeds, rel, old, new)}: {message}"
                for rel, old, new, message in ENUM_MISTAKES]
    checked = cli("seed", "--check", "--seeds", str(seeds))
    before = snapshot(any_db)
    seeded = cli("seed", "--db", any_db, "--seeds", str(seeds))
    for result in (checked, seeded):
        assert result.exit_code == 1 and "Traceback" not in result.stderr
        shown = [line.split("seeds/", 1)[-1] for line in result.stderr.splitlines()]
        assert sorted(shown[:-1]) == sorted(expected), result.stderr
        assert shown[-1].startswith("7 problems in the seeds")
    assert snapshot(any_db) == before


def test_megabyte_values_are_cut_in_messages(cli, tmp_path: Path) -> None:
    """A value quoted in a message is an excerpt: each problem stays one short line."""
    seeds = small_seeds(tmp_path / "seeds")
    facts = seeds / "facts" / "f.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + (
        f"- zone: {'z' * 100_000}\n  metric: firms\n  source: small\n  quote: 另有2家企业入选\n"
        f"  as_written: {'万' * 200_000}\n"
        f"- zone: ganzhou\n  metric: {'m' * 100_000}\n  source: small\n"
        f"  quote: {'另' * 100_000}\n  as_written: 2家\n"), encoding="utf-8")
    result = cli("seed", "--check", "--seeds", str(seeds))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 6 and max(map(len, lines)) < 600 + len(str(facts)) + 10, lines
    assert "unknown zone 'zzzzzzzzzzzzzzzzzzzzzzzzzzz...zzzzzzzzzzzzzzzzzzzzzzzzzzzz'" \
        in result.stderr
