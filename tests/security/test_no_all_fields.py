"""No ModelForm or ModelAdmin exposes every field: no `fields = "__all__"`, no `exclude`."""

import ast
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
APPS = ("config", "curriculum", "workshops", "worksheets", "organise")
SOURCES = sorted(p for app in APPS for p in (BASE_DIR / app).rglob("*.py") if "migrations" not in p.parts)


FACTORIES = {"modelform_factory", "modelformset_factory", "inlineformset_factory", "generic_inlineformset_factory"}


def offences(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                targets = statement.targets if isinstance(statement, ast.Assign) else []
                if isinstance(statement, ast.AnnAssign):
                    targets = [statement.target]
                for target in targets:
                    name = getattr(target, "id", None)
                    if name == "exclude":
                        found.append(f"{node.name}.exclude (line {statement.lineno})")
                    if (
                        name == "fields"
                        and isinstance(statement.value, ast.Constant)
                        and statement.value.value == "__all__"
                    ):
                        found.append(f'{node.name}.fields = "__all__" (line {statement.lineno})')
        function = getattr(node, "func", None)
        if isinstance(node, ast.Call) and getattr(function, "id", getattr(function, "attr", "")) in FACTORIES:
            # modelform_factory(..., fields="__all__") / exclude=[...]
            for keyword in node.keywords:
                if keyword.arg == "exclude" or (
                    keyword.arg == "fields"
                    and isinstance(keyword.value, ast.Constant)
                    and keyword.value.value == "__all__"
                ):
                    found.append(f"{keyword.arg}= in a call (line {node.lineno})")
    return found


def test_the_scan_finds_what_it_looks_for():
    source = 'class F:\n    class Meta:\n        fields = "__all__"\nclass A:\n    exclude = ["x"]\nmodelform_factory(M, exclude=[])\n'
    assert len(offences(ast.parse(source))) == 3
    assert offences(ast.parse("instance.full_clean(exclude=['x'])")) == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_no_form_or_admin_takes_every_field(path):
    assert offences(ast.parse(path.read_text(encoding="utf-8"))) == []
