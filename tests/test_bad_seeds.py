"""A catalogue of broken seeds, each run through the real ``zonedb seed`` against an
existing seeded database: one ``seeds/<file>:<line>: <what is wrong>`` line per problem,
exit status 1, no traceback, and the database file byte for byte as it was."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import break_seed

FACTS = "facts/ganzhou-etdz-reform.yaml"
GZ_TXT = "sources/ganzhou-etdz-reform.txt"
RJ_TXT = "sources/jiangxi-zones-roundup.txt"
# The first fact of FACTS, lines 6-11:
#   - zone: ganzhou / metric: industrial_firms / period: null / source: ganzhou-etdz-reform
#   quote: 目前,已培育工业企业1300余家 / as_written: 1300余家
FIRST = "- zone: ganzhou\n  metric: industrial_firms\n"
QUOTE = "  quote: 目前,已培育工业企业1300余家\n"
AS_WRITTEN = "  as_written: 1300余家\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the folder holding the seeds copy, so files show as ``seeds/...``."""
    monkeypatch.chdir(tmp_path)


def _fails(cli, db: Path, seeds: Path, *extra: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Seed the broken copy: exit 1, no traceback, database unchanged; returns stderr lines."""
    before = db.read_bytes()
    result = cli("seed", "--db", str(db), "--seeds", str(seeds), *extra)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert db.read_bytes() == before
    assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith(db.name)) == [db.name]
    lines = [ln.removeprefix("Error: ") for ln in result.stderr.splitlines()]
    assert lines[-1].endswith("in the seeds; the database was not changed.")
    return lines[:-1]


# (file, text to replace, replacement, line of the problem relative to the text's first
# line, the message after "file:line: ", exactly or as a prefix ending in "...")
CASES = {
    "yaml syntax error": (FACTS, AS_WRITTEN, "  as_written: 1300余家: x\n", 0,
                          "YAML syntax error: mapping values are not allowed..."),
    "yaml unclosed bracket": ("zones.yaml", "- slug: ruijin", "- slug: [ruijin", 1,
                              "YAML syntax error: did not find expected ',' or ']'"),
    "yaml key among list items": ("funds/ganzhou.yaml", "- slug: ganzhou-sci-tech-innovation-fund",
                                  "oops: here\n- slug: x", 1,
                                  "YAML syntax error: did not find expected key"),
    # the scanner sees these only where the token would end: the line is where it began
    "yaml key without its colon": (FACTS, AS_WRITTEN, "  as_written 1300余家\n", 0,
                                   "YAML syntax error: could not find expected ':' at line..."),
    "item not a mapping": (FACTS, FIRST, "- just a line\n" + FIRST, 0,
                           "expected a mapping (key: value lines), got 'just a line'"),
    "wrong type: list for text": (FACTS, AS_WRITTEN, "  as_written: [1300余家]\n", 0,
                                  "'as_written' must be text, got ['1300余家']"),
    "wrong type: occurrence": (FACTS, QUOTE, QUOTE + "  occurrence: first\n", 1,
                               "'occurrence' must be a whole number from 1, got 'first'"),
    "wrong type: aliases": ("zones.yaml", "  aliases: [瑞金经开区, 瑞金开发区]",
                            "  aliases: 瑞金经开区", 0,
                            "'aliases' must be a list of text, got '瑞金经开区'"),
    "missing required field": (FACTS, "  metric: industrial_firms\n", "", -1,
                               "missing required field 'metric'"),
    "unknown key (typo)": (FACTS, QUOTE, QUOTE.replace("quote", "qoute"), 0,
                           "unknown key 'qoute' (did you mean 'quote'?)"),
    "key twice": (FACTS, AS_WRITTEN, AS_WRITTEN + AS_WRITTEN, 1,
                  "key 'as_written' appears twice"),
    "unknown zone": (FACTS, FIRST, FIRST.replace("ganzhou", "ganzhuo"), 0,
                     "unknown zone 'ganzhuo' (did you mean ganzhou?)"),
    "unknown metric": (FACTS, "metric: industrial_firms\n", "metric: industrial_firm\n", 0,
                       "unknown metric 'industrial_firm' (did you mean industrial_firms..."),
    "unknown source": (FACTS, "  source: ganzhou-etdz-reform\n" + QUOTE,
                       "  source: ganzhou-etdz-reforn\n" + QUOTE, 0,
                       "unknown source 'ganzhou-etdz-reforn' (did you mean ganzhou-etdz-reform..."),
    "unknown firm": (FACTS, "  firm: haopengyou\n", "  firm: haopengyu\n", 0,
                     "unknown firm 'haopengyu' (did you mean haopengyou?)"),
    "unknown fund": (FACTS, "  fund: ganzhou-dual-gp-funds\n", "  fund: dual-gp\n", 0,
                     "unknown fund 'dual-gp'..."),
    "unknown zone of a firm": ("firms/ganzhou.yaml", "  zone: ganzhou", "  zone: gz", 0,
                               "unknown zone 'gz'"),
    "duplicate firm slug": ("firms/ganzhou.yaml", "- slug: kaima-ganzhou-branch",
                            "- slug: haopengyou", 0, "duplicate slug 'haopengyou' in firms"),
    "duplicate zone slug": ("zones.yaml", "- slug: anyuan", "- slug: ruijin", 0,
                            "duplicate slug 'ruijin' in zones"),
    "duplicate metric slug": ("metrics/roundup.yaml", "- slug: ", "- slug: industrial_firms\n"
                              "  label_zh: x\n  label_en: x\n  description: x\n- slug: ", 0,
                              "duplicate slug 'industrial_firms' in metrics"),
    "quote not found": (FACTS, QUOTE, QUOTE.replace("1300余家", "1300多家"), 0,
                        "quote not found in source ganzhou-etdz-reform: \"目前,已培育工业企业"
                        "1300多家\"; closest passage: \"目前,已培育工业企业1300余家..."),
    "quote found twice": (FACTS, QUOTE, QUOTE.replace("目前,", ""), 0,
                          "quote occurs 2 times in source ganzhou-etdz-reform; add "
                          "`occurrence: N` (1 to 2)"),
    "occurrence out of range": (FACTS, QUOTE, QUOTE + "  occurrence: 3\n", 1,
                                "occurrence 3 but the quote occurs 1 time in source "
                                "ganzhou-etdz-reform"),
    "as_written not in quote": (FACTS, AS_WRITTEN, "  as_written: 1400余家\n", 0,
                                "as_written \"1400余家\" is not inside the quote"),
    "unparseable number": (FACTS, AS_WRITTEN, "  as_written: 工业企业\n", 0,
                           "cannot read a number in \"工业企业\": ..."),
    "explicit value contradicts": (FACTS, AS_WRITTEN, AS_WRITTEN + "  value: 1400\n", 1,
                                   "value 1400 contradicts as_written \"1300余家\", which "
                                   "reads as 1300..."),
    "explicit unit contradicts": (FACTS, AS_WRITTEN, AS_WRITTEN + "  unit: 个\n", 1,
                                  "unit '个' contradicts as_written \"1300余家\", which reads "
                                  "as '家'"),
    "explicit null value, unparseable": (FACTS, AS_WRITTEN,
                                         "  as_written: 工业企业\n  value: null\n", 0,
                                         "cannot read a number in \"工业企业\": ..."),
    "bad qualifier": (FACTS, AS_WRITTEN, AS_WRITTEN + "  qualifier: roughly\n", 1,
                      "qualifier must be one of ..."),
    "bad period month": (FACTS, "  period: null\n", "  period: '2024-13'\n", 0,
                         "bad period '2024-13': write 2023, 2024-06, 2024-01/2024-11 or null"),
    "bad period words": (FACTS, "  period: null\n", "  period: 2023年\n", 0,
                         "bad period '2023年': write 2023, 2024-06, 2024-01/2024-11 or null"),
    "wrong type: number for text": (FACTS, AS_WRITTEN, "  as_written: 1300\n", 0,
                                    "'as_written' must be text, got 1300"),
    "unit does not match the metric": (FACTS, "metric: industrial_firms\n",
                                       "metric: core_patents\n", 4,
                                       "unit '家' of \"1300余家\" does not match metric "
                                       "core_patents, whose unit is '项'"),
    "manifest without sha256": ("sources/manifest.yaml",
                                "  sha256: 35f4cbbf6f810aff5bb3b0382ccc6cf2a6a45896d0c4fb80a537c"
                                "7625ab416dd\n", "", -2, "missing required field 'sha256'..."),
    "manifest names a missing file": ("sources/manifest.yaml",
                                      "  file: jiangxi-zones-roundup.txt",
                                      "  file: jiangxi-zones-rundup.txt", 0,
                                      "cannot read source file seeds/sources/jiangxi-zones-"
                                      "rundup.txt: No such file or directory"),
    "section quote not found": ("sources/manifest.yaml", "  begins: 加快首创性和集成式探索",
                                "  begins: 加快首创性和集成式改革", 0,
                                "section begins quote not found in source ganzhou-etdz-reform"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_broken_seed(cli, db: Path, seeds_copy: Path, case: str) -> None:
    rel, old, new, delta, message = CASES[case]
    line = break_seed(seeds_copy, rel, old, new) + delta
    problems = _fails(cli, db, seeds_copy)
    prefix = f"seeds/{rel}:{line}: "
    mine = [p.removeprefix(prefix) for p in problems if p.startswith(prefix)]
    assert mine, f"no problem at {prefix}; got {problems}"
    if message.endswith("..."):
        assert any(m.startswith(message[:-3]) for m in mine), mine
    else:
        assert message in mine
    for problem in problems:  # every line names a file and a line number
        assert problem.startswith("seeds/") and problem.split(":")[1].isdigit(), problem


def test_unquoted_date_is_a_period(cli, db: Path, seeds_copy: Path) -> None:
    """``period: 2024-06-30`` unquoted is a YAML date; it is accepted as the period it reads."""
    break_seed(seeds_copy, FACTS, "  period: null\n", "  period: 2024-06-30\n")
    result = cli("seed", "--db", str(db), "--seeds", str(seeds_copy))
    assert result.exit_code == 0, result.output
    out = cli("sql", "SELECT period FROM v_indicators WHERE as_written = '1300余家'",
              "--db", str(db), "-f", "csv")
    assert out.stdout.split() == ["period", "2024-06-30"]


def test_file_that_is_not_a_list(cli, db: Path, seeds_copy: Path) -> None:
    (seeds_copy / "funds" / "ganzhou.yaml").write_text("# one fund\nslug: x\nzone: ganzhou\n",
                                                      encoding="utf-8")
    problems = _fails(cli, db, seeds_copy)
    # Facts citing the funds of the unreadable file are not reported again as unknown funds.
    assert problems == ["seeds/funds/ganzhou.yaml:2: expected a list of records (lines "
                        "starting with '- ')"]


def test_source_not_utf8(cli, db: Path, seeds_copy: Path) -> None:
    path = seeds_copy / RJ_TXT
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    problems = _fails(cli, db, seeds_copy)
    assert problems[0].startswith(f"seeds/{RJ_TXT}:1: source file is not UTF-8 text (byte ")
    # Records quoting the unreadable file are not reported once each as "unknown source".
    assert not [p for p in problems if "unknown source" in p], problems


def test_source_empty(cli, db: Path, seeds_copy: Path) -> None:
    (seeds_copy / RJ_TXT).write_bytes(b"")
    problems = _fails(cli, db, seeds_copy)
    assert problems == [f"seeds/{RJ_TXT}:1: source file is empty"]


def test_source_changed_after_curation(cli, db: Path, seeds_copy: Path) -> None:
    """A changed text: the manifest line names the file, then every record whose quote broke."""
    path = seeds_copy / GZ_TXT
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("1300余家", "1400余家"), encoding="utf-8")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    problems = _fails(cli, db, seeds_copy)
    assert problems[0] == (
        f"seeds/sources/manifest.yaml:5: seeds/{GZ_TXT} has sha256 {digest} but the manifest "
        "says 35f4cbbf6f810aff5bb3b0382ccc6cf2a6a45896d0c4fb80a537c7625ab416dd: the text "
        "changed after curation; facts whose quotes no longer match are listed below")
    broken = {p.split(": quote not found")[0] for p in problems[1:]}
    # The fact (line 10) and the ignore entry (line 7) that quote "1300余家", nothing else.
    assert broken == {f"seeds/{FACTS}:10", "seeds/ignore/ganzhou-etdz-reform.yaml:7"}
    assert all("(the source text changed since curation)" in p for p in problems[1:])


def test_section_of_a_changed_source_says_so(cli, db: Path, seeds_copy: Path) -> None:
    path = seeds_copy / GZ_TXT
    text = path.read_text(encoding="utf-8")
    start = text.index("加快首创性和集成式探索")
    later = text[start:].replace("的", "之")  # touch only the commentary section
    path.write_text(text[:start] + later, encoding="utf-8")
    problems = _fails(cli, db, seeds_copy)
    assert "has sha256" in problems[0]
    assert len(problems) > 1
    assert all("(the source text changed since curation)" in p for p in problems[1:]), problems


def test_missing_seeds_directory(cli, db: Path, tmp_path: Path) -> None:
    before = db.read_bytes()
    result = cli("seed", "--db", str(db), "--seeds", "nowhere")
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0].removeprefix("Error: ")
    assert first == "nowhere: no such seeds folder (pass --seeds DIR)"
    assert "Traceback" not in result.output
    assert db.read_bytes() == before


def test_seeds_directory_without_manifest(cli, db: Path, seeds_copy: Path) -> None:
    (seeds_copy / "sources" / "manifest.yaml").unlink()
    problems = _fails(cli, db, seeds_copy)
    assert problems[0].startswith("seeds/sources/manifest.yaml:1: missing: every seeds folder")


def test_seed_file_not_utf8(cli, db: Path, seeds_copy: Path) -> None:
    path = seeds_copy / FACTS
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    problems = _fails(cli, db, seeds_copy)
    assert problems[0].startswith(f"seeds/{FACTS}:1: not UTF-8 text")


def test_misnamed_folder_and_file(cli, db: Path, seeds_copy: Path) -> None:
    """A typo in a folder or file name would silently drop its records: it is an error."""
    (seeds_copy / "facts").rename(seeds_copy / "fact")
    shutil.copy(seeds_copy / "zones.yaml", seeds_copy / "zone.yaml")
    problems = _fails(cli, db, seeds_copy)
    assert problems == [
        "seeds/fact/ganzhou-etdz-reform.yaml:1: zonedb does not read the folder fact/ (did you "
        "mean facts/?); known: metrics, firms, funds, projects, people, reforms, facts, ignore",
        "seeds/zone.yaml:1: zonedb does not read this file (did you mean zones.yaml?)"]


def test_every_problem_of_a_run_is_reported(cli, db: Path, seeds_copy: Path) -> None:
    a = break_seed(seeds_copy, FACTS, AS_WRITTEN, "  as_written: 1400余家\n")
    b = break_seed(seeds_copy, "firms/ganzhou.yaml", "  zone: ganzhou", "  zone: gz")
    c = break_seed(seeds_copy, "facts/jiangxi-zones-roundup.yaml", "  period: null\n",
               "  period: '2024-00'\n")
    d = break_seed(seeds_copy, "zones.yaml", "  quote: 安源工业园：", "  qoute: 安源工业园：")
    result = cli("seed", "--db", str(db), "--seeds", str(seeds_copy))
    where = {ln.removeprefix("Error: ").split(": ")[0] for ln in result.stderr.splitlines()}
    assert {f"seeds/{FACTS}:{a}", f"seeds/firms/ganzhou.yaml:{b}",
            f"seeds/facts/jiangxi-zones-roundup.yaml:{c}", f"seeds/zones.yaml:{d}"} <= where
    assert result.stderr.rstrip().endswith("problems in the seeds; the database was not changed.")
    assert result.exit_code == 1


def test_check_writes_nothing(cli, db: Path, seeds_copy: Path, tmp_path: Path) -> None:
    before = db.read_bytes()
    result = cli("seed", "--check", "--db", str(db), "--seeds", str(seeds_copy))
    assert result.exit_code == 0, result.output
    assert "nothing was written" in result.stderr
    assert db.read_bytes() == before
    fresh = tmp_path / "never.db"
    assert cli("seed", "--check", "--db", str(fresh), "--seeds", str(seeds_copy)).exit_code == 0
    assert not fresh.exists()


def test_check_reports_problems_without_writing(cli, db: Path, seeds_copy: Path,
                                                tmp_path: Path) -> None:
    line = break_seed(seeds_copy, FACTS, AS_WRITTEN, "  as_written: 1400余家\n")
    problems = _fails(cli, db, seeds_copy, "--check")
    assert problems == [f"seeds/{FACTS}:{line}: as_written \"1400余家\" is not inside the quote"]
    fresh = tmp_path / "never.db"
    result = cli("seed", "--check", "--db", str(fresh), "--seeds", str(seeds_copy))
    assert result.exit_code == 1
    assert not fresh.exists()
