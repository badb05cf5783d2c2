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


# The house, bottom to top: an app may import only the apps on the floors below it (and itself).
FLOORS = (
    "forum.core",  # markdown, privacy, the page cache, effects, tasks: no app of ours
    "accounts",  # identity: User, ExpertProfile, MFA, the expert rule, account emails
    "forum.moderation",  # moderation's records, the posting policy, the desk's door, the audit writer
    "forum.answers",  # the Answer and Vote tables
    "forum.questions",  # threads: asking, answering, voting, lists, search, feeds
    "forum.people",  # profiles, experts' applications and review, deleting an account
    "forum.desk",  # the moderators' desk
    "forum.devtools",  # demo and benchmark data
)


def _app(module: str) -> str | None:
    return next((app for app in FLOORS if _reaches(module, app)), None)


def test_it_builds_every_app_on_the_floors_below_it_so_no_import_circles():
    upward = []
    for path in _python_files("forum", "accounts"):
        own = _app(".".join(path.relative_to(ROOT).with_suffix("").parts))
        if own is None:
            continue  # the project's own modules (settings, urls, the admin site) sit above all
        for module in _imports(path):
            other = _app(module)
            if other is not None and FLOORS.index(other) > FLOORS.index(own):
                upward.append(f"{path.relative_to(ROOT)} ({own}) imports {module} ({other})")
    assert not upward, upward
