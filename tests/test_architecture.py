"""The layers hold: apps import one way only, no modules import each other in a circle, and the
scheduling core imports no model.

Apps depend one way: config → organise → worksheets → workshops → curriculum (README,
"Architecture"). The scan reads every module of the five apps with `ast`, imports inside functions
included, so a violation cannot hide in a function body. The last test runs the same scan on a
small tree written for it, with one violation of each kind, to show that the scan finds them.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["config", "organise", "worksheets", "workshops", "curriculum"]  # each may import those after it
MODEL_FREE = "workshops.scheduling"  # plain Python over plain data
MODEL_MODULES = ("workshops.models", "worksheets.models", "curriculum.models")  # (TextChoices are not models)


def _modules(root: Path) -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _imports(module: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, int, bool]]:
    """(imported module, line, at module level) for each import of `module`, relative ones resolved."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            # `from x import y` names the module x.y when there is one, else something of x.
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        found.extend((name, node.lineno, id(node) in top_level) for name in names)
    return found


def _app(name: str) -> str | None:
    top = name.split(".")[0]
    return top if top in APPS else None


def architecture_violations(root: Path) -> list[str]:
    """Every upward import, import of a model by the scheduling core, and circle of module-level imports."""
    modules = _modules(root)
    problems, graph = [], {}
    for module, path in modules.items():
        where = path.relative_to(root)
        graph[module] = set()
        for name, line, top_level in _imports(module, path, modules):
            mine, theirs = _app(module), _app(name)
            if theirs and APPS.index(theirs) < APPS.index(mine):
                problems.append(f"{where}:{line}: {mine} imports {name} (an app above it)")
            if (module == MODEL_FREE or module.startswith(MODEL_FREE + ".")) and name.startswith(MODEL_MODULES):
                problems.append(f"{where}:{line}: the scheduling core imports {name}")
            if top_level and name in modules and name != module:
                graph[module].add(name)
    problems.extend(f"import cycle: {' → '.join(cycle)}" for cycle in _cycles(graph))
    return list(dict.fromkeys(problems))  # one line per import, however many names it takes


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_apps_import_one_way_without_circles_and_scheduling_imports_no_model():
    assert architecture_violations(ROOT) == []


def test_every_app_module_is_scanned():
    modules = _modules(ROOT)
    assert {"config.settings", "organise.urls", "worksheets.services", "workshops.scheduling.rotation"} <= set(modules)
    assert len(modules) > 100


def test_the_scan_finds_each_kind_of_violation(tmp_path):
    files = {
        "config/__init__.py": "",
        "organise/__init__.py": "",
        "organise/views.py": "from worksheets import services\n",  # downward: allowed
        "worksheets/__init__.py": "",
        "worksheets/services.py": "def f():\n    from organise import views  # upward, hidden in a function\n",
        "workshops/__init__.py": "",
        "workshops/models.py": "",
        "workshops/a.py": "from . import b\n",
        "workshops/b.py": "from .a import thing\n",
        "workshops/scheduling/__init__.py": "",
        "workshops/scheduling/core.py": "from ..models import Room\n",
        "curriculum/__init__.py": "",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert architecture_violations(tmp_path) == [
        "worksheets/services.py:2: worksheets imports organise.views (an app above it)",
        "workshops/scheduling/core.py:1: the scheduling core imports workshops.models",
        "import cycle: workshops.a → workshops.b",
    ]
