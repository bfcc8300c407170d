"""Layer rules inside `workshops/` (issue 12): services come before tasks, and a solver run is created in one place."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("config", "curriculum", "organise", "workshops", "worksheets")


def _imported_modules(path: Path) -> list[str]:
    """Every module a file imports, at module or function level, spelled as written (relative ones with their dots)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            joiner = "" if base.endswith(".") else "."
            names += [base] + [base + joiner + alias.name for alias in node.names]
    return names


def test_services_import_no_task_at_any_level():
    """Tasks run services; a service that imported a task would close a circle (services → tasks → services)."""
    imported = _imported_modules(ROOT / "workshops" / "services.py")
    assert [name for name in imported if name in (".tasks", "workshops.tasks") or ".tasks." in name] == []


def test_services_import_no_task_catches_a_function_level_import(tmp_path):
    """The check above reads imports inside functions too (the form the circle used to take)."""
    module = tmp_path / "services.py"
    module.write_text("def start():\n    from .tasks import schedule_run_task\n")
    assert ".tasks.schedule_run_task" in _imported_modules(module)


def _sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_schedule_run_is_created_by_one_service():
    """The web page and the commands create their runs through `schedule_run_create`, the only place that sets the budget."""
    creators = sorted(
        str(path.relative_to(ROOT))
        for path in _sources()
        for _ in range(path.read_text().count("ScheduleRun.objects.create("))
    )
    assert creators == ["workshops/services.py"]


def test_rate_limits_are_counted_in_one_module():
    """Every rate limit of ours (lost link, e-mail copy, adding an organiser) counts through workshops/rate_limits.py:
    no other module reads the counters or keeps counts of its own in the cache (password logins are django-axes')."""
    others = sorted(
        str(path.relative_to(ROOT))
        for path in _sources()
        if path.name not in ("rate_limits.py", "models.py")
        and ("RateLimit." in path.read_text() or "from django.core.cache import" in path.read_text())
    )
    assert others == []


def _function_level_imports_unexplained(path: Path) -> list[str]:
    """The imports inside functions that carry no comment on their line saying why they are not at the top."""
    lines = path.read_text().splitlines()
    found = []
    for function in ast.walk(ast.parse("\n".join(lines), filename=str(path))):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom) and "  # " not in lines[node.lineno - 1]:
                    found.append(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name}:{node.lineno}")
    return found


def test_function_level_imports_state_their_reason():
    """An import inside a function says why on its line (a slow optional library, a true cycle); else it goes to the top."""
    assert sorted(place for path in _sources() for place in _function_level_imports_unexplained(path)) == []


def test_function_level_imports_check_catches_an_unexplained_one(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        "def xlsx():\n    from openpyxl import Workbook\n\n\ndef pdf():\n    import fpdf  # slow: only to make a PDF\n"
    )
    assert _function_level_imports_unexplained(module) == ["module.py:2"]
