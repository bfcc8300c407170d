"""The importer's layout: one job per module, importing in one direction, reference data apart from the generator."""

import ast
from pathlib import Path

import pytest
from django_countries import countries

import workshops.imports
from workshops import reference
from workshops.enums import Region
from workshops.languages import LANGUAGE_CODES

WORKSHOPS = Path(workshops.__file__).resolve().parent


def importer_files() -> list[Path]:
    """The importer's source files (a package of modules, or one module)."""
    path = Path(workshops.imports.__file__).resolve()
    return sorted(path.parent.glob("*.py")) if path.name == "__init__.py" else [path]


def module_name(path: Path) -> str:
    parts = path.relative_to(WORKSHOPS.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[str, bool]]:
    """Every module `path` imports, as an absolute name, and whether the import is inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    at_top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) not in at_top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module
            found.append((name, id(node) not in at_top))
    return found


def test_importer_imports_no_scheduling_module():
    """Country reference data comes from `workshops.reference`, not from the synthetic data generator."""
    imported = {name for path in importer_files() for name, _inside in imports_of(path)}
    assert sorted(name for name in imported if name.startswith("workshops.scheduling")) == []
    assert "workshops.reference" in imported


def test_reference_imports_nothing():
    assert imports_of(Path(reference.__file__)) == []


def test_importer_modules_one_job_each_under_700_lines():
    files = importer_files()
    assert [path.name for path in files] == [
        "__init__.py", "exports.py", "files.py", "headers.py", "resources.py", "services.py", "uploads.py",
        "values.py",
    ]  # fmt: skip
    for path in files:
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 700, path.name
        assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), path.name


def test_importer_modules_import_no_function_level_module():
    inside = [(path.name, name) for path in importer_files() for name, in_function in imports_of(path) if in_function]
    assert inside == []


def test_importer_modules_import_each_other_without_a_cycle():
    """Within the package each module imports only those above it; the package's `__init__` imports them all."""
    package = "workshops.imports"
    graph = {
        module_name(path): {
            name for name, _inside in imports_of(path) if name.startswith(package + ".") and name != package
        }
        for path in importer_files()
        if path.name != "__init__.py"
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
        "workshops.imports.exports",
        "workshops.imports.files",
        "workshops.imports.resources",
        "workshops.imports.uploads",
        "workshops.imports.services",
    ]


@pytest.mark.parametrize("code, region, languages", reference.COUNTRIES)
def test_reference_country_has_iom_region_and_known_languages(code, region, languages):
    assert countries.name(code) != ""
    assert region in Region.values
    assert languages and set(languages) <= LANGUAGE_CODES


def test_reference_countries_each_once_with_their_region():
    codes = [code for code, _region, _languages in reference.COUNTRIES]
    assert len(codes) == len(set(codes)) == len(reference.COUNTRY_REGIONS)
    assert reference.COUNTRY_REGIONS["CH"] == Region.EUROPE
