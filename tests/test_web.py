"""`zonedb serve`: Datasette with zonedb's plugin, started once for the module on a seeded
copy, bound to loopback, read by urllib and by a real headless Chromium (Playwright driving
Debian's chromium; skipped without one, a failure when CI is set)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, SEEDS, _in_ci, query_rows
from zonedb.store.load import seed

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = os.environ.get("ZONEDB_SCREENSHOTS")  # a folder (docs) to keep the screenshots in


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


@pytest.fixture(scope="module")
def booting(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[tuple[subprocess.Popen[bytes], str, Path]]:
    """`zonedb serve` started on a seeded copy, not yet waited for (Chromium starts
    meanwhile: the browser test comes first and asks for both)."""
    pytest.importorskip("datasette")
    path = tmp_path_factory.mktemp("web") / "zonedb.db"
    shutil.copy(seeded_template, path)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "zonedb", "serve", "--db", str(path),
                             "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    yield proc, f"http://127.0.0.1:{port}", path
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(booting: tuple[subprocess.Popen[bytes], str, Path]) -> tuple[str, Path]:
    proc, base, path = booting
    deadline = time.monotonic() + 20
    while True:
        try:
            if get(base + "/-/versions.json")[0] == 200:
                return base, path
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"zonedb serve did not start: {proc.communicate()[1]!r}")
        time.sleep(0.1)


# -- in a real browser --------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        if _in_ci():
            pytest.fail(f"playwright is required when CI is set: {exc}", pytrace=False)
        pytest.skip("playwright not installed")
    profile = Path(os.environ.get("TMPDIR", "/tmp")) / f"zonedb-chromium-{os.getpid()}"
    manager = sync_playwright().start()
    try:
        ctx = manager.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=ARGS,
            viewport={"width": 1200, "height": 900})
    except Exception as exc:  # no chromium, or one that cannot start here
        manager.stop()
        if _in_ci():
            pytest.fail(f"chromium must run when CI is set: {exc}", pytrace=False)
        pytest.skip(f"chromium cannot run: {exc}")
    yield ctx
    ctx.close()
    manager.stop()
    shutil.rmtree(profile, ignore_errors=True)


def _shot(page: Any, name: str) -> None:
    """With ZONEDB_SCREENSHOTS=docs, keep a PNG of the page (the README's pictures)."""
    if not SHOTS:
        return
    folder = Path(SHOTS) if Path(SHOTS).is_absolute() else REPO / SHOTS
    page.screenshot(path=str(folder / f"web-{name}.png"), full_page=False)
    assert (folder / f"web-{name}.png").stat().st_size > 10_000


def test_browser_home_zone_facet_search_and_cite(booting: Any, browser: Any,
                                                 server: tuple[str, Path]) -> None:
    base, path = server
    page = browser.new_page()
    page.goto(base + "/")
    assert "development zones" in page.title() or "zonedb" in page.title()
    assert page.locator("a[href='/zone/ganzhou']").count() == 1
    _shot(page, "home")

    page.goto(base + "/zone/ganzhou")
    name = query_rows(str(path), "SELECT name_zh FROM zones WHERE slug = 'ganzhou'")[0][0]
    assert page.locator("h1").inner_text().startswith(str(name))
    _shot(page, "zone")

    page.goto(base + f"/{path.stem}/v_indicators?_facet=zone")
    counts = dict(query_rows(str(path), "SELECT z.slug, count(*) FROM indicators i JOIN zones z"
                             " ON z.id = i.zone_id GROUP BY z.slug"))
    shown = {}
    for item in page.locator("#facet-zone li").all():
        slug, count = item.inner_text().rsplit(None, 1)
        shown[slug.strip()] = int(count.replace(",", ""))
    assert shown == counts
    assert page.locator("a[href^='/cite/indicator/']").count() > 0
    _shot(page, "facet")

    for term in ("基金", "外资"):
        page.goto(base + "/-/search?q=" + urllib.parse.quote(term))
        want = query_rows(str(path), "SELECT count(*) FROM search_rows WHERE instr(text, ?) > 0",
                          term)[0][0]
        marks = page.locator("mark.zq").all_inner_texts()
        assert len(marks) == want and set(marks) <= {term}, (term, len(marks), want)
        if want:
            _shot(page, "search")

    quote = query_rows(str(path), "SELECT quote FROM indicators WHERE id = 24")[0][0]
    page.goto(base + "/cite/indicator/24")
    assert page.locator("mark.zq").inner_text() == quote
    color = page.locator("mark.zq").evaluate("e => getComputedStyle(e).backgroundColor")
    assert color not in ("", "rgba(0, 0, 0, 0)", "transparent"), color  # highlighted
    assert "✓ verifies" in page.locator("body").inner_text()
    _shot(page, "cite")
    page.close()


# -- over HTTP -----------------------------------------------------------------------------

def test_serve_binds_loopback_only(server: tuple[str, Path]) -> None:
    base, _ = server
    port = int(base.rsplit(":", 1)[1])
    out = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True,
                         text=True).stdout if shutil.which("ss") else ""
    for line in out.splitlines():  # State Recv-Q Send-Q Local:Port Peer:Port
        assert line.split()[3] == f"127.0.0.1:{port}", out


def test_metadata_facets_and_canned_queries_come_from_the_database(
        server: tuple[str, Path]) -> None:
    base, path = server
    meta = json.loads(get(base + "/-/metadata.json")[1])
    tables = meta["databases"][path.stem]["tables"]
    assert tables["v_indicators"]["facets"] == ["zone", "metric", "period", "unit", "source"]
    assert "CNY" in tables["v_indicators"]["columns"]["unit"]
    assert tables["search_rows"]["hidden"] is True
    queries = meta["databases"][path.stem]["queries"]
    assert {"zone_figures", "metric_across_zones", "figure_series", "figures_by_source"} \
        <= set(queries)
    status, rows = get(base + f"/{path.stem}/zone_figures.json?zone=ganzhou&_shape=array")
    want = query_rows(str(path), "SELECT count(*) FROM indicators i JOIN zones z ON "
                      "z.id = i.zone_id WHERE z.slug = 'ganzhou'")[0][0]
    assert status == 200 and len(json.loads(rows)) == want > 0



def test_conflicts_query_appears_when_sources_disagree(tmp_path: Path) -> None:
    pytest.importorskip("datasette")
    from zonedb.web.meta import metadata

    db = tmp_path / "prov.db"
    seed(str(db), REPO / "tests" / "data" / "prov_seeds")  # one planted conflict
    queries = metadata(db)["databases"]["prov"]["queries"]
    rows = query_rows(str(db), queries["conflicts"]["sql"])
    assert rows and {r[-1] for r in rows} == {"conflict"}
    from zonedb.reports.figures import conflicts
    from zonedb.store.db import Reader, resolve_url

    with Reader(resolve_url(str(db))) as reader:  # the figures `zonedb conflicts` lists
        want = sorted((f.row["zone"], f.row["metric"], f.row["period"]) for f in conflicts(reader))
    assert [r[:3] for r in rows] == want
    seeded = tmp_path / "seeded.db"
    seed(str(seeded), SEEDS)  # the bundled seeds agree: no such query
    assert "conflicts" not in metadata(seeded)["databases"]["seeded"]["queries"]

def test_sql_is_read_only(server: tuple[str, Path]) -> None:
    base, path = server
    q = urllib.parse.quote("DELETE FROM zones")
    status, body = get(base + f"/{path.stem}.json?sql={q}")
    assert status == 400 and query_rows(str(path), "SELECT count(*) FROM zones")[0][0] == 4


def test_bad_links_are_404_pages(server: tuple[str, Path]) -> None:
    base, _ = server
    assert get(base + "/zone/nowhere")[0] == 404
    assert get(base + "/cite/indicator/999999")[0] == 404
    assert get(base + "/cite/bogus/1")[0] == 404


def test_serve_refuses_postgres_urls(cli: Any) -> None:
    res = cli("serve", "--db", "postgresql://u@localhost/zonedb")
    assert res.exit_code == 2
    assert "reads an SQLite file" in res.output and "zonedb seed --db" in res.output


def test_pages_keep_serving_while_reseeding(server: tuple[str, Path]) -> None:
    base, path = server
    statuses: list[int] = []
    stop = threading.Event()

    def hammer() -> None:
        while not stop.is_set():
            for page in ("/zone/ganzhou", "/cite/indicator/1", f"/{path.stem}/v_indicators"):
                statuses.append(get(base + page)[0])

    thread = threading.Thread(target=hammer)
    thread.start()
    try:
        report = seed(str(path), SEEDS)  # in this process; the server is another one
    finally:
        stop.set()
        thread.join()
    assert report.counts["indicators"] > 50
    assert statuses and set(statuses) == {200}
    assert get(base + "/zone/ganzhou")[0] == 200
