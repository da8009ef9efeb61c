"""The runtime library imports no service and none of the tools' dependencies.

``lib/lienthong`` is what every service image carries; the tools (``tools/lienthong_tools``)
drive and measure the services and may import them. These tests read the import statements
of every module (no import runs), so a module-level or function-level import both count.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
LIBRARY = REPO / "lib" / "lienthong"
SERVICES = frozenset(p.name for p in (REPO / "services").iterdir() if p.is_dir())


def imported_top_level_names(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


def library_modules() -> list[Path]:
    return sorted(LIBRARY.rglob("*.py"))


def tools_extra() -> frozenset[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    names = set()
    for requirement in project["optional-dependencies"]["tools"]:
        name = requirement.split("[")[0].split(">")[0].split("<")[0].split("=")[0].strip()
        names.add(name.replace("-", "_").lower())
    return frozenset(names)


def offending(forbidden: frozenset[str]) -> list[str]:
    return [
        f"{path.relative_to(REPO)}:{line} imports {name}"
        for path in library_modules()
        for line, name in imported_top_level_names(path)
        if name in forbidden
    ]


def test_the_library_finds_the_services_it_must_not_import() -> None:
    assert {"intake", "orchestrator", "reporting", "national_portal"} <= SERVICES
    assert len(library_modules()) > 20


def test_no_library_module_imports_a_service() -> None:
    assert offending(SERVICES) == []


def test_no_library_module_imports_the_tools_package() -> None:
    assert offending(frozenset({"lienthong_tools"})) == []


def test_no_library_module_imports_a_dependency_of_the_tools_extra_only() -> None:
    extra = tools_extra()
    assert {"typer", "rich", "kubernetes"} <= extra
    assert offending(extra) == []


def test_the_check_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f() -> None:\n    from reporting.domain import events\n")
    assert list(imported_top_level_names(module)) == [(2, "reporting")]
