"""Terminal tables that fit 80 and 120 columns, and the CLI conventions of issue 16:
--columns, --csv/--json/--nl/--table, colour switches, --limit/--offset, period ranges,
--role, firms with their figure counts. All through the real CLI on the seeded database."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import subprocess
import sys

import pytest

from conftest import REPO
from zonedb.render import cell_text, cell_width, wrap_cell

ANSI = re.compile(r"\x1b\[")


def ok(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return str(result.stdout)


def rows_csv(cli, db, *args: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    return list(csv.DictReader(io.StringIO(ok(cli(*args, "--db", str(db), "--csv")))))


def table(cli, db, *args: str, width: int = 80, **env: str) -> str:  # type: ignore[no-untyped-def]
    return ok(cli(*args, "--db", str(db), env={"COLUMNS": str(width), **env}))


@pytest.mark.parametrize("width", [80, 120])
def test_every_indicator_shows_its_id_value_and_as_written_whole(cli, seeded_template,
                                                                  width) -> None:
    rows = rows_csv(cli, seeded_template, "query", "indicators")
    out = table(cli, seeded_template, "query", "indicators", width=width)
    first_lines = {m.group(1): line for line in out.splitlines()
                   if (m := re.match(r"\s*(\d+)  ", line))}
    assert len(rows) == 80 and set(first_lines) == {r["id"] for r in rows}
    for r in rows:
        line = first_lines[r["id"]]
        value = cell_text(float(r["value"]))
        assert r["as_written"] in line and f" {value} " in f"{line} ", (r, line)
    for name in ("query indicators", "query people", "query reforms", "show ganzhou"):
        out = table(cli, seeded_template, *name.split(), width=width)
        widest = max(cell_width(line) for line in out.splitlines())
        assert widest <= width, (name, widest)


def test_wrapping_breaks_between_words_and_cjk_characters_and_marks_a_cut() -> None:
    assert wrap_cell("Deputy head, Party and mass work department", 12) == \
        ["Deputy head,", "Party and", "mass work…"]
    assert wrap_cell("目前,已培育工业企业1300余家", 10) == ["目前,已培", "育工业企业", "1300余家"]
    cut = wrap_cell("赣州经开区党群部副部长李奎介绍", 9)
    assert [cell_width(x) for x in cut] == [8, 8, 9] and cut[-1] == "副部长李…"
    assert wrap_cell("2024-01/2024-11", 8) == ["2024-01/", "2024-11"]
    assert wrap_cell("zhu-shusheng", 6) == ["zhu-", "shushe", "ng"]


def test_columns_pick_and_order_columns_in_every_format(cli, seeded_template) -> None:
    spec = ("query", "indicators", "-z", "ganzhou", "-n", "3", "-c", "as_written,id,quote")
    assert ok(cli(*spec, "--db", str(seeded_template), "--csv")).splitlines()[0] == \
        "as_written,id,quote"
    got = json.loads(ok(cli(*spec, "--db", str(seeded_template), "--json")))
    assert [list(r) for r in got] == [["as_written", "id", "quote"]] * 3
    header = table(cli, seeded_template, *spec).splitlines()[1]
    assert header.split() == ["as_written", "id", "quote"]
    bad = cli("query", "people", "--db", str(seeded_template), "-c", "id,rol_en")
    assert bad.exit_code == 2 and "no column 'rol_en' (did you mean role_en" in bad.stderr


def test_format_shortcuts_match_format_and_conflicts_are_refused(cli, seeded_template) -> None:
    base = ("query", "firms", "--db", str(seeded_template))
    for flag, fmt in (("--csv", "csv"), ("--json", "json"), ("--nl", "jsonl"),
                      ("--table", "table")):
        assert ok(cli(*base, flag)) == ok(cli(*base, "-f", fmt))
    lines = ok(cli(*base, "--nl")).splitlines()
    assert len(lines) == 14 and all(json.loads(x)["id"] for x in lines)
    both = cli(*base, "--csv", "--json")
    assert both.exit_code == 2 and "give one output format, not --csv and --json" in both.stderr


def test_colour_only_when_asked_or_on_a_terminal(cli, seeded_template) -> None:
    spec = ("query", "zones")
    assert not ANSI.search(table(cli, seeded_template, *spec))
    assert ANSI.search(table(cli, seeded_template, *spec, FORCE_COLOR="1"))
    assert not ANSI.search(table(cli, seeded_template, *spec, "--no-color", FORCE_COLOR="1"))


def test_limit_and_offset_page_through_rows(cli, seeded_template) -> None:
    every = [r["id"] for r in rows_csv(cli, seeded_template, "query", "reforms")]
    pages = [[r["id"] for r in rows_csv(cli, seeded_template, "query", "reforms", "-n", "20",
                                        "--offset", str(k))] for k in (0, 20, 40)]
    assert sum(pages, []) == every and len(every) == 50
    tail = rows_csv(cli, seeded_template, "query", "reforms", "--offset", "45")
    assert [r["id"] for r in tail] == every[45:]


def _lies_within(period: str, low: str, high: str) -> bool:
    start, _, end = period.partition("/")
    return start >= low and (end or start) <= high + "~"


def test_period_ranges_since_and_role(cli, shared_db) -> None:
    every = rows_csv(cli, shared_db, "query", "indicators")
    for spec, low, high in (("2020..2024", "2020", "2024"), ("2024", "2024", "2024"),
                            ("2020/2024", "2020", "2024"), ("2024-01..2024-10", "2024-01",
                                                            "2024-10")):
        want = {r["id"] for r in every if r["period"] and _lies_within(r["period"], low, high)}
        got = {r["id"] for r in rows_csv(cli, shared_db, "query", "indicators", "--period",
                                         spec)}
        assert got == want and want, spec
    since = {r["id"] for r in rows_csv(cli, shared_db, "query", "indicators", "--since",
                                       "2024")}
    assert since == {r["id"] for r in every if r["period"] and r["period"] >= "2024"} != set()
    before = rows_csv(cli, shared_db, "query", "indicators", "--role", "before")
    assert {r["role"] for r in before} == {"before"} and len(before) == 4
    for bad in ("2020-2024", "2024..2020", "last year"):
        result = cli("query", "indicators", "--db", shared_db, "--period", bad)
        assert result.exit_code == 2 and "2020..2024" in result.stderr, bad
    assert "did you mean 2020..2024?" in cli("query", "indicators", "--db", shared_db,
                                             "--period", "2020-2024").stderr
    wrong = cli("query", "indicators", "--db", shared_db, "--role", "later")
    assert wrong.exit_code == 2 and "before, after, change" in wrong.stderr


def test_firms_count_the_figures_about_them(cli, seeded_template) -> None:
    indicators = rows_csv(cli, seeded_template, "query", "indicators", "-z", "ganzhou")
    projects = {r["slug"]: r["firm"] for r in rows_csv(cli, seeded_template, "query",
                                                       "projects")}
    about: dict[str, int] = {}
    for r in indicators:
        firm = r["firm"] or projects.get(r["project"], "")
        if firm:
            about[firm] = about.get(firm, 0) + 1
    firms = rows_csv(cli, seeded_template, "query", "firms", "-z", "ganzhou")
    assert len(firms) == 7
    assert {f["slug"]: int(f["figures"]) for f in firms if int(f["figures"])} == about
    named = rows_csv(cli, seeded_template, "query", "firms", "-z", "ganzhou", "--with-figures")
    assert {f["slug"] for f in named} == set(about) and len(about) == 3


def test_a_firms_figures_are_index_lookups(seeded_template) -> None:
    """The figures count reads the indicators of one firm and of its projects through
    their link indexes (0007_link_indexes), never every indicator (370 ms a firm at 1M)."""
    import sqlite3

    from zonedb.reports.queries import VIEWS

    conn = sqlite3.connect(seeded_template)
    try:
        sql = f"SELECT {', '.join(VIEWS['firms'].columns)} FROM v_firms"
        plan = " | ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql))
    finally:
        conn.close()
    assert "ix_indicators_firm_id" in plan and "ix_indicators_project_id" in plan, plan
    assert "SCAN i " not in plan + " " and "SCAN indicators" not in plan, plan


def test_help_lists_only_the_options_that_apply(cli) -> None:
    people = ok(cli("query", "people", "--help"))
    assert "--zone" in people and "--period" not in people and "--metric" not in people
    indicators = ok(cli("query", "indicators", "--help"))
    assert all(f in indicators for f in ("--period", "--since", "--role", "--columns", "--nl"))
    assert "--with-figures" in ok(cli("query", "firms", "--help"))


def test_a_terminal_shows_the_first_rows_and_says_how_many_more(seeded_template) -> None:
    leader, follower = pty.openpty()
    env = {**os.environ, "ZONEDB_DB": str(seeded_template), "COLUMNS": "120"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "zonedb", "query", "indicators"],
                            stdout=follower, stderr=subprocess.PIPE, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    stderr = proc.stderr.read() if proc.stderr else b""
    assert proc.wait(timeout=60) == 0
    out = re.sub(r"\x1b\[[0-9;]*m", "", b"".join(chunks).decode())
    ids = [int(m.group(1)) for line in out.splitlines() if (m := re.match(r"\s*(\d+)  ", line))]
    assert ids == list(range(1, 51))
    assert "… 30 more rows (80 in all): add --all" in stderr.decode()


def test_compare_takes_each_zones_latest_level_unless_all(cli, seeded_template) -> None:
    every = rows_csv(cli, seeded_template, "query", "indicators", "-m",
                     "above_scale_industrial_firms")
    latest = rows_csv(cli, seeded_template, "compare", "above_scale_industrial_firms")
    assert {(r["zone"], r["as_written"]) for r in latest} == {("ganzhou", "332家"),
                                                               ("anyuan", "104家")}
    assert len(every) == 3  # ganzhou's 2020 "before" (232家) is not its latest level
    allrows = rows_csv(cli, seeded_template, "compare", "above_scale_industrial_firms", "--all")
    assert sorted(r["id"] for r in allrows) == sorted(r["id"] for r in every)
    out = table(cli, seeded_template, "compare", "above_scale_industrial_firms", "--all")
    assert "before:\nganzhou 2020 before" in out and "after:\nganzhou after" in out
    top = table(cli, seeded_template, "compare", "above_scale_industrial_firms", "--top", "1")
    assert "ganzhou after" in top and "… 1 zone more, from 104 to 104 家" in top
    before = rows_csv(cli, seeded_template, "compare", "above_scale_industrial_firms",
                      "--role", "before")
    assert [r["as_written"] for r in before] == ["232家"]


def test_sql_has_the_output_shortcuts_and_columns(cli, seeded_template) -> None:
    out = ok(cli("sql", "SELECT id, zone, value FROM v_indicators ORDER BY id LIMIT 2",
                 "--db", str(seeded_template), "--nl", "-c", "value,id"))
    assert [list(json.loads(x)) for x in out.splitlines()] == [["value", "id"]] * 2


def test_diff_without_a_database_says_to_seed(cli, tmp_path) -> None:
    result = cli("diff", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 0
    assert "No database at" in result.stderr and "zonedb seed" in result.stderr
    assert not (tmp_path / "none.db").exists()


SHORTCUTS = {  # the output shortcuts each row-printing command has (those that apply)
    "query indicators": "csv json nl table", "sql": "csv json nl table",
    "compare": "csv json nl table", "series": "csv json nl table",
    "conflicts": "csv json nl table", "extract": "csv json nl table",
    "coverage": "csv json nl table", "diff": "csv json nl table",
    "show": "json table", "export": "csv json", "search": "csv json nl",
}


def test_every_row_printing_command_has_the_format_shortcuts(cli, seeded_template) -> None:
    for command, flags in SHORTCUTS.items():
        help_text = ok(cli(*command.split(), "--help"))
        for flag in ("csv", "json", "nl", "table"):
            listed = re.search(rf"^\s+--{flag}\s+Same as --format", help_text, re.M)
            assert bool(listed) == (flag in flags.split()), (command, flag)
    db = ("--db", str(seeded_template))
    for args in (("series", "ganzhou", "signed_investment", *db),
                 ("extract", "seeds/sources/jiangxi-zones-roundup.txt"),
                 ("coverage", "--source", "ganzhou-etdz-reform", *db)):
        assert ok(cli(*args, "--nl")) == ok(cli(*args, "-f", "jsonl")) != ""
    assert json.loads(ok(cli("show", "ruijin", *db, "--json")))["zone"]["slug"] == "ruijin"
    assert cli("show", "ruijin", *db, "--json", "-f", "markdown").exit_code == 2


def test_conflicts_with_none_says_so_in_one_line(cli, seeded_template) -> None:
    done = cli("conflicts", "--db", str(seeded_template))
    assert (done.exit_code, done.stdout) == (0, "No figures in conflict.\n")
    assert ok(cli("conflicts", "--db", str(seeded_template), "--csv")).startswith("zone,")


def test_a_count_is_shown_with_its_value(cli, seeded_template) -> None:
    # seeds: 优化并出台“4个4000万”人才创业扶持政策 is count 4 of 40,000,000 each
    out = table(cli, seeded_template, "query", "indicators", "--search", "4个4000万")
    assert "4 × 40,000,000" in out and "4个4000万" in out
    out = table(cli, seeded_template, "compare", "talent_policy_amounts")
    assert "4 × 40,000,000" in out
    sql = table(cli, seeded_template, "sql", "SELECT id, count FROM v_indicators WHERE id = 44")
    assert sql.splitlines()[0].split() == ["id", "count"] and sql.split()[-1] == "4"


def test_chinese_punctuation_never_starts_a_line() -> None:
    text = "按照‘大部门、宽职能、扁平化’原则，园区将内设部门分为党政办公室。目前,已培育"
    for width in range(8, 40):
        lines = wrap_cell(text, width, lines=20)
        assert "".join(lines) == text
        assert not any(line[0] in "，。、；：）’,." for line in lines), (width, lines)
        assert not any(line[-1] in "‘（" for line in lines), (width, lines)


@pytest.mark.parametrize("width", [80, 120])
def test_terminal_captures_hold_the_main_commands_and_fit(width: int) -> None:
    sys.path.insert(0, str(REPO / "scripts"))
    from capture_terminal import COMMANDS

    page = (REPO / "docs" / f"terminal-{width}.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```text\n(.*?)```", page, re.S)
    assert [b.splitlines()[0] for b in blocks] == [f"$ {c}" for c in COMMANDS]
    for name in ("query indicators", "query people", "query reforms", "show", "compare",
                 "cite"):
        assert any(c.startswith(f"zonedb {name} ") for c in COMMANDS), name
    for block in blocks:
        assert len(block.splitlines()) > 3
        assert max(cell_width(line) for line in block.splitlines()) <= width


def test_people_roles_read_whole_at_80_columns(cli, seeded_template) -> None:
    # one zone's people (the zone goes to the title); all 21 with a zone column do not fit
    out = table(cli, seeded_template, "query", "people", "--zone", "ganzhou")
    header = next(line for line in out.splitlines() if line.startswith("id "))
    start = header.index("role_en")
    end = start + len(re.match(r"role_en\s*", header[start:]).group(0))  # type: ignore[union-attr]
    roles = [line[start:end] for line in out.splitlines()[2:]]
    assert roles and not any("…" in cell for cell in roles), roles
    listing = ok(cli("--help", env={"COLUMNS": "80"}))
    commands = listing.split("Commands:")[1]
    assert "..." not in commands and "show       A one-screen dossier of a zone\n" in commands
