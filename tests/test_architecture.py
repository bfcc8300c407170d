"""The layers hold, and each concern has one home: apps import one way only, no modules import each
other in a circle, the scheduling core imports no model, imports inside functions say why, no
module passes 700 lines, and a few things are done in one place only.

Apps depend one way: config → organise → worksheets → workshops → curriculum (README,
"Architecture"). One scan (`_scan`) reads every module of the five apps with `ast`, imports inside
functions included, so a violation cannot hide in a function body; every check below reads it.
Each kind of check is also run on a small tree written for it, with deliberate violations, to show
that it finds them.
"""

import ast
import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django_countries import countries

from workshops import reference
from workshops.enums import Region
from workshops.languages import LANGUAGE_CODES

ROOT = Path(__file__).resolve().parent.parent
APPS = ["config", "organise", "worksheets", "workshops", "curriculum"]  # each may import those after it
MODEL_FREE = "workshops.scheduling"  # plain Python over plain data
MODEL_MODULES = ("workshops.models", "worksheets.models", "curriculum.models")  # (TextChoices are not models)
IMPORTER = "workshops.imports"  # a package of one job per module
MAX_LINES = 700
# Data, not code: exempt from MAX_LINES (as is every migration, written by makemigrations).
LONG_DATA_MODULES = {"curriculum/emm_data.py"}


@dataclass(frozen=True)
class Import:
    name: str  # the module imported (`from x import y` names x.y when that is a module, else x)
    line: int
    top_level: bool  # a statement of the module's body (not in a function, a class or an `if`)
    in_function: bool
    explained: bool  # a comment on its line says why it is where it is


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    text: str
    docstring: str | None
    imports: tuple[Import, ...]


def _names(root: Path) -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _imports(module: str, path: Path, text: str, modules: dict[str, Path]) -> tuple[Import, ...]:
    """Each import of `module`, relative ones resolved, in order of appearance."""
    tree = ast.parse(text, filename=str(path))
    lines = text.splitlines()
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    top_level = {id(node) for node in tree.body}
    in_function = {
        id(node)
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
    }
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
        explained = "  # " in lines[node.lineno - 1]
        found.extend(
            Import(name, node.lineno, id(node) in top_level, id(node) in in_function, explained) for name in names
        )
    return tuple(sorted(found, key=lambda found_import: found_import.line))


def _scan(root: Path) -> dict[str, Module]:
    """Every module of the five apps (migrations included), read and parsed once."""
    names = _names(root)
    modules = {}
    for name, path in names.items():
        text = path.read_text(encoding="utf-8")
        docstring = ast.get_docstring(ast.parse(text, filename=str(path)))
        modules[name] = Module(name, path, text, docstring, _imports(name, path, text, names))
    return modules


@functools.cache
def _repo() -> dict[str, Module]:
    return _scan(ROOT)


def _code(modules: dict[str, Module]) -> list[Module]:
    """The modules written by hand: migrations left out."""
    return [module for module in modules.values() if "migrations" not in module.path.parts]


def _app(name: str) -> str | None:
    top = name.split(".")[0]
    return top if top in APPS else None


def architecture_violations(root: Path) -> list[str]:
    """Every upward import, import of a model by the scheduling core, and circle of module-level imports."""
    modules = _scan(root) if root != ROOT else _repo()
    problems, graph = [], {}
    for module, scanned in modules.items():
        where = scanned.path.relative_to(root)
        graph[module] = set()
        for name, line, top_level in ((i.name, i.line, i.top_level) for i in scanned.imports):
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


# -- the app order, circles, the model-free scheduling core ----------------------------------


def test_apps_import_one_way_without_circles_and_scheduling_imports_no_model():
    assert architecture_violations(ROOT) == []


def test_every_app_module_is_scanned():
    modules = _repo()
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


# -- imports inside functions say why -----------------------------------------------------------


def function_level_imports_unexplained(modules: dict[str, Module], root: Path) -> list[str]:
    """The imports inside functions that carry no comment on their line saying why they are not at the top."""
    return sorted(
        f"{module.path.relative_to(root)}:{line}"
        for module in _code(modules)
        for line in sorted({i.line for i in module.imports if i.in_function and not i.explained})
    )


def test_function_level_imports_state_their_reason():
    """An import inside a function says why on its line (a slow optional library, a true cycle); else it goes to the top."""
    assert function_level_imports_unexplained(_repo(), ROOT) == []


def test_function_level_imports_check_catches_an_unexplained_one(tmp_path):
    (tmp_path / "workshops").mkdir()
    (tmp_path / "workshops" / "module.py").write_text(
        "def xlsx():\n    from openpyxl import Workbook\n\n\ndef pdf():\n    import fpdf  # slow: only to make a PDF\n"
    )
    assert function_level_imports_unexplained(_scan(tmp_path), tmp_path) == ["workshops/module.py:2"]


def test_services_import_no_task_at_any_level():
    """Tasks run services; a service that imported a task would close a circle (services → tasks → services)."""
    imported = [i.name for i in _repo()["workshops.services"].imports]
    assert [name for name in imported if name == "workshops.tasks" or name.startswith("workshops.tasks.")] == []


def test_services_import_no_task_catches_a_function_level_import(tmp_path):
    """The check above reads imports inside functions too (the form the circle used to take)."""
    (tmp_path / "workshops").mkdir()
    (tmp_path / "workshops" / "tasks.py").write_text("")
    (tmp_path / "workshops" / "services.py").write_text("def start():\n    from .tasks import schedule_run_task\n")
    imported = _scan(tmp_path)["workshops.services"].imports
    assert [(i.name, i.in_function) for i in imported] == [("workshops.tasks", True)]


# -- one home per concern -----------------------------------------------------------------------


def test_schedule_run_is_created_by_one_service():
    """The web page and the commands create their runs through `schedule_run_create`, the only place that sets the budget."""
    creators = sorted(
        str(module.path.relative_to(ROOT))
        for module in _code(_repo())
        for _ in range(module.text.count("ScheduleRun.objects.create("))
    )
    assert creators == ["workshops/services.py"]


def test_rate_limits_are_counted_in_one_module():
    """Every rate limit of ours (lost link, e-mail copy, adding an organiser) counts through workshops/rate_limits.py:
    no other module reads the counters or keeps counts of its own in the cache (password logins are django-axes')."""
    others = sorted(
        str(module.path.relative_to(ROOT))
        for module in _code(_repo())
        if module.path.name not in ("rate_limits.py", "models.py")
        and ("RateLimit." in module.text or "from django.core.cache import" in module.text)
    )
    assert others == []


# -- the importer: one job per module, in one direction, reference data apart from the generator --


def _importer() -> list[Module]:
    return sorted(
        (module for name, module in _repo().items() if name == IMPORTER or name.startswith(IMPORTER + ".")),
        key=lambda module: module.path.name,
    )


def test_importer_imports_no_scheduling_module():
    """Country reference data comes from `workshops.reference`, not from the synthetic data generator."""
    imported = {i.name for module in _importer() for i in module.imports}
    assert sorted(name for name in imported if name.startswith("workshops.scheduling")) == []
    assert "workshops.reference" in imported


def test_reference_imports_nothing():
    assert _repo()["workshops.reference"].imports == ()


def test_importer_modules_one_job_each_under_700_lines():
    files = _importer()
    assert [module.path.name for module in files] == [
        "__init__.py", "exports.py", "files.py", "headers.py", "jobs.py", "resources.py", "services.py", "shapes.py",
        "uploads.py", "values.py",
    ]  # fmt: skip
    for module in files:
        assert len(module.text.splitlines()) <= MAX_LINES, module.path.name
        assert module.docstring, module.path.name


def test_importer_modules_import_no_function_level_module():
    inside = [(module.path.name, i.name) for module in _importer() for i in module.imports if i.in_function]
    assert inside == []


def test_importer_modules_import_each_other_without_a_cycle():
    """Within the package each module imports only those above it; the package's `__init__` imports them all."""
    graph = {
        module.name: {i.name for i in module.imports if i.name.startswith(IMPORTER + ".")}
        for module in _importer()
        if module.name != IMPORTER
    }
    order = []  # a topological order exists only without a cycle
    remaining = dict(graph)
    while remaining:
        ready = sorted(name for name, needs in remaining.items() if needs <= set(order))
        assert ready, f"a cycle among {sorted(remaining)}"
        order += ready
        remaining = {name: needs for name, needs in remaining.items() if name not in ready}
    assert order == [
        "workshops.imports.values",
        "workshops.imports.headers",
        "workshops.imports.shapes",
        "workshops.imports.exports",
        "workshops.imports.files",
        "workshops.imports.resources",
        "workshops.imports.uploads",
        "workshops.imports.services",
        "workshops.imports.jobs",
    ]


# -- no module passes 700 lines -----------------------------------------------------------------


def long_modules(root: Path) -> list[str]:
    """Every Python file of the repository (apps, tests, bench, dev.py) longer than MAX_LINES lines,
    but migrations and the data modules of LONG_DATA_MODULES; hidden folders (.venv) are not ours."""
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(".") and name not in ("migrations", "__pycache__", "node_modules")
        )
        for name in sorted(files):
            path = Path(folder) / name
            where = path.relative_to(root).as_posix()
            if name.endswith(".py") and where not in LONG_DATA_MODULES:
                lines = len(path.read_text(encoding="utf-8").splitlines())
                if lines > MAX_LINES:
                    found.append(f"{where}: {lines} lines")
    return found


def test_no_python_module_passes_700_lines():
    assert long_modules(ROOT) == []


def test_the_line_check_finds_a_long_module_and_spares_data_and_migrations(tmp_path):
    long = "x = 1\n" * (MAX_LINES + 1)
    files = {
        "dev.py": long,  # a violation at the top
        "tests/workshops/test_long.py": long,  # and in the tests
        "bench/short.py": "x = 1\n" * MAX_LINES,  # exactly the limit: allowed
        "curriculum/emm_data.py": long,  # data: exempt
        "workshops/migrations/0001_initial.py": long,  # a migration: exempt
        ".venv/lib/site.py": long,  # not ours
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert long_modules(tmp_path) == ["dev.py: 701 lines", "tests/workshops/test_long.py: 701 lines"]


# -- reference data (the importer's and the generator's) ----------------------------------------


@pytest.mark.parametrize("code, region, languages", reference.COUNTRIES)
def test_reference_country_has_iom_region_and_known_languages(code, region, languages):
    assert countries.name(code) != ""
    assert region in Region.values
    assert languages and set(languages) <= LANGUAGE_CODES


def test_reference_countries_each_once_with_their_region():
    codes = [code for code, _region, _languages in reference.COUNTRIES]
    assert len(codes) == len(set(codes))
    assert not set(codes) & set(reference.OTHER_REGIONS)  # one region per country, said once
    assert len(reference.COUNTRY_REGIONS) == len(codes) + len(reference.OTHER_REGIONS)
    assert reference.COUNTRY_REGIONS["CH"] == Region.EUROPE


def unused_rules(modules: dict[str, Module], rules: str = "workshops.rules") -> list[str]:
    """The functions of `rules` that no other module of the apps names: a rule the views, the admin
    and the querysets do not ask is a second way of writing it (only the tests would keep it true)."""
    defined = [node.name for node in ast.parse(modules[rules].text).body if isinstance(node, ast.FunctionDef)]
    others = [module.text for module in _code(modules) if module.name != rules]
    return [name for name in defined if not any(re.search(rf"\b{name}\b", text) for text in others)]


def test_the_organiser_rule_is_written_once_and_every_rule_is_asked():
    assert unused_rules(_repo()) == []


def test_the_rules_check_finds_a_rule_only_the_tests_use(tmp_path):
    files = {
        "workshops/__init__.py": "",
        "workshops/rules.py": "def asked(user):\n    return True\n\n\ndef spare(user, workshop):\n    return False\n",
        "workshops/views.py": "from .rules import asked\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert unused_rules(_scan(tmp_path)) == ["spare"]
