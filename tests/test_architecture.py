"""The layering rule of docs/architecture.md, checked on the source: imports run one way
(cli -> web -> curate -> reports -> store -> seeds -> text), with no cycles and no module
reaching into another module's private names. Lazy imports inside functions count too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "zonedb"
LAYERS = ("text", "seeds", "store", "reports", "curate", "web", "cli")
# importable from every layer, import no layer
LEAVES = ("zonedb.errors", "zonedb.interrupts", "zonedb.render")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every zonedb import in a module."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names if a.name.startswith("zonedb")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            if not base.startswith("zonedb"):
                continue
            for alias in node.names:
                if f"{base}.{alias.name}" in MODULES:  # `from zonedb.cli import curate`
                    found.append((f"{base}.{alias.name}", [], node.lineno))
                    found.append((base, [], node.lineno))  # ... runs zonedb/cli/__init__ too
                else:
                    found.append((base, [alias.name], node.lineno))
    return found


def layer(name: str) -> int:
    """Rank of a module's layer; leaves are -1, the package root and __main__ the top."""
    if name in LEAVES:
        return -1
    parts = name.split(".")
    if len(parts) > 1 and parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return len(LAYERS)


def root_names() -> set[str]:
    tree = ast.parse(MODULES["zonedb"].read_text(encoding="utf-8"))
    return {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets
            if isinstance(t, ast.Name)}


def test_every_module_is_in_a_layer_or_a_leaf() -> None:
    loose = [n for n in MODULES if layer(n) == len(LAYERS)
             and n not in ("zonedb", "zonedb.__main__")]
    assert loose == [], f"modules outside the layers {LAYERS} and leaves {LEAVES}: {loose}"


def test_imports_run_down_the_layers() -> None:
    own = root_names()
    upward = []
    for name in MODULES:
        for target, names, line in imports(name):
            if target == "zonedb" and set(names) <= own:
                continue  # __version__ and the like, defined in zonedb/__init__.py itself
            if layer(target) > layer(name) or (layer(name) == -1 and target not in LEAVES):
                upward.append(f"{MODULES[name].relative_to(PACKAGE.parent)}:{line}: "
                              f"{name} imports {target}")
    assert upward == [], "imports against the layer order:\n" + "\n".join(upward)


def test_no_import_cycles() -> None:
    graph = {name: {t for t, _, _ in imports(name) if t in MODULES and t != name}
             for name in MODULES}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("folder", ["zonedb", "tests", "scripts"])
def test_no_private_names_imported_across_modules(folder: str) -> None:
    root = PACKAGE.parent / folder
    bad = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("zonedb"):
                bad += [f"{path.relative_to(root.parent)}:{node.lineno}: {a.name}"
                        for a in node.names if a.name.startswith("_") and a.name != "__version__"]
    assert bad == [], "private names imported from another module:\n" + "\n".join(bad)


def test_the_test_itself_sees_the_layers() -> None:
    """Guard against a rule that passes because it checks nothing."""
    assert {"zonedb.text.quantity", "zonedb.store.db", "zonedb.cli.app"} <= set(MODULES)
    assert layer("zonedb.text.quantity") < layer("zonedb.store.db") < layer("zonedb.cli.app")
    assert ("zonedb.store.db", ["Reader"]) in [(t, n) for t, n, _ in
                                               imports("zonedb.reports.queries")]


def test_the_public_api_lists_what_it_loads() -> None:
    import zonedb

    for name in zonedb.__all__:
        assert getattr(zonedb, name) is not None, name
    assert zonedb.parse_quantity("1300余家").value == 1300
    with pytest.raises(AttributeError):
        zonedb.not_a_name  # noqa: B018


def test_one_occurrence_rule() -> None:
    """Quotes and as_written pick their place by one function (text/match.py)."""
    from zonedb.text.match import OccurrenceProblem, pick_occurrence

    assert pick_occurrence([(3, 5)], None) == (3, 5)
    assert pick_occurrence([(3, 5), (9, 11)], 2) == (9, 11)
    for spans, asked, ambiguous in (([(3, 5), (9, 11)], None, True), ([(3, 5)], 2, False),
                                    ([], None, False), ([(3, 5)], 0, False)):
        with pytest.raises(OccurrenceProblem) as caught:
            pick_occurrence(spans, asked)
        assert caught.value.ambiguous is ambiguous
    users = [n for n in MODULES if any(t == "zonedb.text.match" and "pick_occurrence" in names
                                       for t, names, _ in imports(n))]
    assert {"zonedb.seeds.context", "zonedb.seeds.records"} <= set(users)


def test_one_zone_naming_rule() -> None:
    """``--zone`` resolves alike from zones.yaml (curate) and from the database (reports)."""
    from zonedb.text.match import zones_named

    zones = {"ganzhou": ["赣州经济技术开发区", "赣州经开区"],
             "nankang": ["南康经开区", "赣州经开区"]}
    assert zones_named(zones, "ganzhou") == ["ganzhou"]
    assert zones_named(zones, " GanZhou ") == ["ganzhou"]
    assert zones_named(zones, "赣州经济技术开发区") == ["ganzhou"]
    assert zones_named(zones, "赣州经开区") == ["ganzhou", "nankang"]
    assert zones_named(zones, "瑞金") == []
    users = {n for n in MODULES for t, names, _ in imports(n)
             if t == "zonedb.text.match" and "zones_named" in names}
    assert users == {"zonedb.curate.sources", "zonedb.reports.queries"}
