"""The layers of ../shared/DESIGN.md, read from the package's own imports (every import,
function-local ones too): nothing imports a layer above it, and render has no cycle."""
from __future__ import annotations

import ast
import re
from pathlib import Path


PACKAGE = Path(__file__).resolve().parents[1] / "spektra_lib"

# Lower number = lower layer. A module may import its own layer or lower ones.
LAYER = {"settings": 0, "parameters": 0, "schema": 0, "problems": 0, "kalender": 0,
         "organisasi": 1, "rights": 1, "proyeksi": 1, "sources": 1, "validate": 1, "provenance": 2,
         "store": 2, "ingest": 3,
         "updates": 3, "synth": 3, "scopes": 3, "access": 4, "reports": 5, "present": 6,
         "page": 7, "export": 8, "render": 9, "serve": 10, "cli": 11}


def _module(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """spektra_lib modules this file imports (absolute names)."""
    mod = _module(path)
    pkg = mod.split(".") if path.name == "__init__.py" else mod.split(".")[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg[:len(pkg) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name.startswith("spektra_lib"):
                out.add(name)
                out |= {f"{name}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("spektra_lib")}
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "__import__" \
                and node.args and isinstance(node.args[0], ast.Constant):
            out.add(str(node.args[0].value))
    return out


def graph() -> dict[str, set[str]]:
    files = {_module(p): p for p in PACKAGE.rglob("*.py")}
    return {m: {i for i in imports(p) if i in files and i != m} for m, p in files.items()}


def layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYER.get(parts[1]) if len(parts) > 1 else None


KNOWN: set[tuple[str, str]] = set()   # accepted upward imports: none


def test_no_module_imports_a_layer_above_it():
    upward = []
    for mod, deps in graph().items():
        for dep in deps:
            a, b = layer(mod), layer(dep)
            if a is not None and b is not None and b > a and (mod, dep) not in KNOWN:
                upward.append(f"{mod} -> {dep}")
    assert upward == []


# What present/ may read of the layers below: the catalog's declarations (reports, page
# parameters) and the rules (parameters/, months); never the store, a report or the access.
PRESENT_MAY_READ = {"spektra_lib.reports.catalog", "spektra_lib.reports.selection",
                    "spektra_lib.parameters", "spektra_lib.kalender", "spektra_lib.settings",
                    "spektra_lib.schema", "spektra_lib.problems",
                    "spektra_lib"}      # `from .. import parameters`


def test_present_formats_only_what_it_is_given():
    """present imports neither the store nor a report module (nor scopes / access, which
    query the store): the page layer asks reports for data and hands it to present."""
    below = {d for m, deps in graph().items() if m.startswith("spektra_lib.present")
             for d in deps if not d.startswith("spektra_lib.present")}
    assert sorted(below - PRESENT_MAY_READ) == []


def test_page_is_what_notebooks_import():
    """Every notebook under notebooks/ builds its page from the page layer."""
    import json
    root = PACKAGE.parent / "notebooks"
    for nb in sorted(root.glob("*.ipynb")):
        src = "".join("".join(c["source"]) for c in json.loads(nb.read_text())["cells"])
        assert "spektra_lib.present.notebook" not in src, nb.name
        assert "from spektra_lib.page.notebook import Halaman" in src, nb.name


def test_access_does_not_import_reports():
    assert not {d for d in graph()["spektra_lib.access"] if d.startswith("spektra_lib.reports")}


def test_no_import_cycle():
    g = graph()
    seen, stack, cycles = set(), [], []

    def visit(m):
        if m in stack:
            cycles.append(stack[stack.index(m):] + [m])
            return
        if m in seen:
            return
        seen.add(m)
        stack.append(m)
        for d in sorted(g.get(m, ())):
            # a package imports its own modules by design (spektra_lib.x -> spektra_lib.x.y)
            if not d.startswith(m + ".") and not m.startswith(d + "."):
                visit(d)
        stack.pop()
    for m in sorted(g):
        visit(m)
    assert [c for c in cycles if any(".render" in x or ".present" in x or ".export" in x
                                     or ".reports" in x or ".page" in x for x in c)] == []


SQL = re.compile(r"\.(sql|scalar|execute)\(|\bSELECT\b")


def test_present_runs_no_sql():
    found = [f"{p.name}:{i}" for p in (PACKAGE / "present").rglob("*.py")
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if SQL.search(line)]
    assert found == []


def test_every_spektra_variable_is_declared_once():
    from spektra_lib.settings import BY_ENV, PREFIXES
    used = set()
    for p in PACKAGE.rglob("*.py"):
        used |= set(re.findall(r"SPEKTRA_[A-Z_]+[A-Z]", p.read_text(encoding="utf-8")))
    assert sorted(v for v in used if v not in BY_ENV and not v.startswith(PREFIXES)
                  and v not in {"SPEKTRA_SERVE"}) == []


def test_no_package_module_past_600_lines():
    """A module past ~400 lines is asking to be split; none may pass 600 (issue 21)."""
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert long == {}


def test_an_analysts_old_import_path_opens_the_page_layer():
    """Notebooks analysts wrote before the page layer keep working: the old names are the
    page layer's modules (spektra_lib/__init__.py), present/ itself imports nothing above."""
    from spektra_lib.page import link, notebook
    from spektra_lib.present.notebook import Halaman
    import spektra_lib.present.link as old_link
    assert Halaman is notebook.Halaman and old_link is link
    assert not (PACKAGE / "present" / "notebook.py").exists()


def test_every_report_takes_one_selection():
    """Issue 21: a report function receives the page parameters as one value,
    `fn(store, pilihan)` (reports/selection.py), and reads only those its catalog entry
    declares (an undeclared one would always be None: run passes the declared ones). A
    report written with keyword parameters (tahun, bulan, satker=…) fails here."""
    import inspect

    from spektra_lib import reports
    from spektra_lib.reports import catalog
    from spektra_lib.reports.keuangan import RENTANG
    from spektra_lib.reports.selection import Selection, setiap_laporan
    methods = {"replace", "only", "chosen"}
    functions = {name: (reports.function(name), catalog.LAPORAN[name].parameter)
                 for name in catalog.LAPORAN}
    functions |= {f"{name} (rentang)": (fn, tuple(p for p in catalog.LAPORAN[name].parameter
                                                   if p != "bulan_dari"))
                  for name, fn in RENTANG.items()}
    assert len(functions) >= 25
    for name, (fn, declared) in functions.items():
        params = inspect.signature(fn).parameters
        assert list(params) == ["store", "pilihan"], name
        assert params["pilihan"].annotation in (Selection, "Selection"), name
        read = set(re.findall(r"\bpilihan\.(\w+)", inspect.getsource(fn))) - methods
        assert read <= set(declared) | set(setiap_laporan()), (name, read - set(declared))
