"""The interface's translations: compile them, update them, check them.

    python3 scripts/messages.py compile   # locale/*/LC_MESSAGES/*.po -> .mo (make run, make test, pytest)
    python3 scripts/messages.py update    # makemessages: new marked strings into the catalogs
    python3 scripts/messages.py check     # make lint: the catalogs match the code, Spanish is complete

Compiled catalogs (.mo) are generated, so they are not in git: `compile` rebuilds the ones older
than their .po. `check` runs makemessages on a copy of the catalogs and fails when a marked
string is missing from them (or one they hold is no longer used), or when a string of a complete
language is untranslated or fuzzy. (Strings nobody marked are caught by tests/i18n/test_marks.py.)
"""

import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
LOCALE = PROJECT / "locale"
LANGUAGES = ["es", "ar"]
COMPLETE = ["es"]  # every string translated; Arabic covers the ask, private-page and thread journeys
DOMAINS = ["django", "djangojs"]
# Where makemessages looks: our code and templates, not the virtualenv, tests or tools.
IGNORE = [
    ".venv",
    ".venv/*",
    "tests",
    "tests/*",
    "scripts",
    "scripts/*",
    "staticfiles",
    "test-artifacts",
    "*/migrations/*",
]


def fail(message: str) -> None:
    print(f"[messages] {message}", file=sys.stderr)
    sys.exit(1)


def need_gettext() -> None:
    if shutil.which("msgfmt") is None:
        fail("gettext is missing: sudo apt-get install -y gettext (make run / make test install it as root)")


def catalogs(root: Path = LOCALE) -> list[Path]:
    return sorted(root.glob("*/LC_MESSAGES/*.po"))


def parts(po: Path) -> list[Path]:
    """Translations written on a branch before they are merged into the catalog (locale/_parts/
    <name>.<language>.po for the templates and Python, <name>.<language>.js.po for the scripts)."""
    language, suffix = po.parent.parent.name, (".js.po" if po.stem == "djangojs" else ".po")
    return sorted(
        p
        for p in (LOCALE / "_parts").glob(f"*.{language}{suffix}")
        if not (suffix == ".po" and p.name.endswith(".js.po"))
    )


def compile_all() -> None:
    need_gettext()
    for po in catalogs():
        mo, sources = po.with_suffix(".mo"), [po, *parts(po)]
        if mo.exists() and mo.stat().st_mtime >= max(source.stat().st_mtime for source in sources):
            continue
        if len(sources) > 1:
            merged = subprocess.run(["msgcat", "--use-first", *map(str, sources)], capture_output=True, text=True)
            if merged.returncode:
                fail(f"{po.relative_to(PROJECT)} and its parts do not merge:\n{merged.stderr}")
            command, stdin = ["msgfmt", "--check-format", "-o", str(mo), "-"], merged.stdout
        else:
            command, stdin = ["msgfmt", "--check-format", "-o", str(mo), str(po)], None
        done = subprocess.run(command, input=stdin, capture_output=True, text=True)
        if done.returncode:
            fail(f"{po.relative_to(PROJECT)} does not compile:\n{done.stderr}")


def makemessages() -> None:
    python = PROJECT / ".venv" / "bin" / "python"
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or "postgres://unused@localhost/unused",
    }
    for domain in DOMAINS:
        command = [str(python), "manage.py", "makemessages", "-d", domain, "--no-location", "--no-obsolete"]
        command += [arg for language in LANGUAGES for arg in ("-l", language)]
        command += [arg for pattern in IGNORE for arg in ("--ignore", pattern)]
        if domain == "djangojs":
            command += ["--ignore", "staticfiles/*", "--extension", "js"]
        done = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True)
        if done.returncode:
            fail(f"makemessages failed:\n{done.stderr}")


def msgids(po: Path) -> set[str]:
    """The catalog's entries (context + id), read back through msgattrib's normal form."""
    if not po.exists():
        return set()
    done = subprocess.run(
        ["msgattrib", "--no-obsolete", "--no-wrap", "--no-location", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    ids, current = set(), []
    for line in done.stdout.splitlines():
        if line.startswith(("msgctxt ", "msgid ")):
            current.append(line)
        elif line.startswith("msgid_plural "):
            continue
        elif line.startswith("msgstr") and current:
            ids.add("\n".join(current))
            current = []
    ids.discard('msgid ""')
    return ids


def untranslated(po: Path) -> list[str]:
    problems = []
    for flag, what in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
        done = subprocess.run(
            ["msgattrib", flag, "--no-obsolete", "--no-wrap", str(po)], capture_output=True, text=True, check=True
        )
        found = [line[6:] for line in done.stdout.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
        problems += [f"{what}: {text}" for text in found]
    return problems


def check() -> None:
    need_gettext()
    with tempfile.TemporaryDirectory() as kept:
        saved = Path(kept) / "locale"
        shutil.copytree(LOCALE, saved)
        try:
            makemessages()
            problems = []
            for po in catalogs():
                before = saved / po.relative_to(LOCALE)
                added, gone = msgids(po) - msgids(before), msgids(before) - msgids(po)
                name = po.relative_to(PROJECT)
                problems += [f"{name}: not in the catalog yet: {entry}" for entry in sorted(added)]
                problems += [f"{name}: no longer used: {entry}" for entry in sorted(gone)]
                if po.parent.parent.name in COMPLETE:
                    problems += [f"{name}: {problem}" for problem in untranslated(before)]
        finally:
            for po in catalogs():
                kept_po = saved / po.relative_to(LOCALE)
                if not kept_po.exists():
                    po.unlink()
                elif not filecmp.cmp(po, kept_po, shallow=False):
                    shutil.copy2(kept_po, po)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        fail(f"{len(problems)} problem(s) in the translations: run `make messages`, translate, and commit locale/.")
    print("[messages] catalogs match the code; Spanish is complete")


def main() -> None:
    action = sys.argv[1] if len(sys.argv) > 1 else ""
    if action == "compile":
        compile_all()
    elif action == "update":
        need_gettext()
        makemessages()
        compile_all()
    elif action == "check":
        check()
    else:
        fail("usage: scripts/messages.py compile|update|check")


if __name__ == "__main__":
    main()
