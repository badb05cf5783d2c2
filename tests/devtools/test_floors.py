"""Floors: development tooling is the top floor (nothing imports it), the shared core the ground (it imports no app)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "forum.questions", "forum.answers", "forum.moderation", "forum.devtools")


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth of the file (function-level imports included)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _python_files(*folders: str):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _reaches(module: str, app: str) -> bool:
    return module == app or module.startswith(app + ".")


def test_it_is_imported_by_no_module_of_the_product():
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in _python_files("forum", "accounts")
        if "devtools" not in path.relative_to(ROOT).parts
        for module in _imports(path)
        if _reaches(module, "forum.devtools")
    ]
    assert not offenders, offenders


def test_it_keeps_the_shared_core_free_of_our_apps():
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in _python_files("forum/core")
        for module in _imports(path)
        if any(_reaches(module, app) for app in APPS)
    ]
    assert not offenders, offenders


def _function_level_imports(path: Path) -> list[str]:
    """Imports of our apps inside a function body, except an AppConfig's ready() (where Django
    wants models imported only once the apps are loaded)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.name == "ready":
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and inner.level:
                found.append(f"{path.relative_to(ROOT)}:{inner.lineno} a relative import")
                continue
            if isinstance(inner, ast.ImportFrom):
                module = inner.module or ""
            elif isinstance(inner, ast.Import):
                module = inner.names[0].name
            else:
                continue
            if any(_reaches(module, app) for app in (*APPS, "forum.core")):
                found.append(f"{path.relative_to(ROOT)}:{inner.lineno} {module}")
    return found


def test_it_dodges_no_import_cycle_with_a_function_level_import():
    offenders = [line for path in _python_files("forum", "accounts") for line in _function_level_imports(path)]
    assert not offenders, offenders
