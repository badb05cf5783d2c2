"""Finding words a reader sees that nobody marked for translation.

makemessages only collects what is marked; these scanners look for what is *not*:

- templates: text between tags and the attributes a reader sees or hears (title, alt,
  placeholder, aria-label, value of buttons, a meta description ...) outside {% translate %} /
  {% blocktranslate %}; plain-text emails: every word outside a tag;
- Python: literal strings handed to what shows them (messages.*, ValidationError, add_error,
  a form field's label/help_text/error_messages, a model's verbose names, a widget's placeholder,
  choices' labels, an email's subject ...) rather than wrapped in gettext;
- JavaScript: literal text put into the page (textContent, title, aria-label, placeholder,
  confirm/alert, announce(...)) rather than wrapped in gettext().

Words that are the same in every language (the product names) are allowed by name.
"""

import ast
import html
import re
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parent.parent.parent
LETTERS = re.compile(r"[^\W\d_]{2,}")
# Shown as they are in every language.
SAME_EVERYWHERE = {"Markdown", "RSS", "Atom", "HTML", "URL", "Email", "OK", "PNG", "JPEG", "TOTP", "MB", "px", "ms"}
VISIBLE_ATTRIBUTES = {
    "title",
    "alt",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-placeholder",
    "aria-valuetext",
    "label",
}
PLACEHOLDER = " \x00 "


def _wordy(text: str) -> list[str]:
    text = html.unescape(text.replace(PLACEHOLDER, " "))
    return [word for word in LETTERS.findall(text) if word not in SAME_EVERYWHERE]


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.found: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "svg"}:
            self.skip += 1
        values = dict(attrs)
        for name, value in attrs:
            if not value:
                continue
            visible = name in VISIBLE_ATTRIBUTES
            visible |= name == "content" and values.get("name") in {"description"}
            visible |= name == "value" and tag in {"input", "button"} and values.get("type") in {"submit", "button"}
            visible |= name.startswith("data-") and len(_wordy(value)) >= 2 and " " in value.strip()
            if visible and _wordy(value):
                self.found.append(f'{tag} {name}="{value.strip()}"')

    def handle_endtag(self, tag):
        if tag in {"script", "style", "svg"} and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and _wordy(data):
            self.found.append(" ".join(data.replace("\x00", "…").split()))


_TRANSLATING_BLOCKS = {"blocktranslate", "blocktrans"}
_SKIPPED_BLOCKS = {"comment", "verbatim"}


def template_text(source: str) -> str:
    """The template with every marked string, variable and tag replaced by a placeholder, and
    comments and {% blocktranslate %} blocks left out: what remains is unmarked."""
    out, inside = [], None
    for token in Lexer(source).tokenize():
        contents = token.contents.split()
        name = contents[0] if contents and token.token_type == TokenType.BLOCK else ""
        if inside:
            if name == f"end{inside}":
                inside = None
                out.append(PLACEHOLDER)
            continue
        if token.token_type == TokenType.TEXT:
            out.append(token.contents)
        elif token.token_type == TokenType.COMMENT:
            continue
        elif name in _TRANSLATING_BLOCKS or name in _SKIPPED_BLOCKS:
            inside = name
        elif token.token_type in (TokenType.VAR, TokenType.BLOCK):
            out.append(PLACEHOLDER)
    return "".join(out)


def unmarked_in_template(path: Path) -> list[str]:
    text = template_text(path.read_text())
    if path.suffix == ".txt":
        return [line.strip() for line in text.splitlines() if _wordy(line)]
    collector = _Collector()
    collector.feed(text)
    return collector.found


# --- Python ---------------------------------------------------------------------------------

_GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "format_lazy",
}
# Calls whose Nth positional argument (or keyword) a reader sees.
_SHOWN_ARGUMENT = {
    "success": 1,
    "error": 1,
    "info": 1,
    "warning": 1,
    "add_message": 2,
    "ValidationError": 0,
    "add_error": 1,
    "PermissionDenied": 0,
    "send_mail": 0,
    "EmailMessage": 0,
    "EmailMultiAlternatives": 0,
    "mail_admins": None,
}
_SHOWN_KEYWORDS = {
    "label",
    "help_text",
    "verbose_name",
    "verbose_name_plural",
    "empty_label",
    "subject",
    "message",
    "placeholder",
    "empty_value_display",
    "description",
}


def _is_text(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(_wordy(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and _wordy(str(v.value)) for v in node.values)
    return False


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


class _PythonScanner(ast.NodeVisitor):
    def __init__(self):
        self.found: list[str] = []

    def flag(self, node: ast.AST) -> None:
        self.found.append(f"line {node.lineno}: {ast.unparse(node)[:90]}")

    def visit_Call(self, node: ast.Call):
        name = _name(node.func)
        if name in _GETTEXT:
            return  # marked; what is inside is the msgid
        index = _SHOWN_ARGUMENT.get(name)
        if index is not None and len(node.args) > index and _is_text(node.args[index]):
            self.flag(node.args[index])
        for keyword in node.keywords:
            if keyword.arg in _SHOWN_KEYWORDS and _is_text(keyword.value):
                self.flag(keyword.value)
            if keyword.arg == "error_messages" and isinstance(keyword.value, ast.Dict):
                for value in keyword.value.values:
                    if _is_text(value):
                        self.flag(value)
            if keyword.arg in {"attrs"} and isinstance(keyword.value, ast.Dict):
                for key, value in zip(keyword.value.keys, keyword.value.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value in VISIBLE_ATTRIBUTES and _is_text(value):
                        self.flag(value)
            if keyword.arg == "choices" and isinstance(keyword.value, ast.List | ast.Tuple):
                for choice in keyword.value.elts:
                    if isinstance(choice, ast.Tuple) and len(choice.elts) == 2 and _is_text(choice.elts[1]):
                        self.flag(choice.elts[1])
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef):
        bases = {_name(base) for base in node.bases}
        if bases & {"TextChoices", "IntegerChoices", "Choices"}:
            for statement in node.body:
                if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Tuple):
                    label = statement.value.elts[-1]
                    if len(statement.value.elts) > 1 and _is_text(label):
                        self.flag(label)
        if node.name == "Meta":
            for statement in node.body:
                shown = isinstance(statement, ast.Assign) and _name(statement.targets[0]) in _SHOWN_KEYWORDS
                if shown and _is_text(statement.value):
                    self.flag(statement.value)
        self.generic_visit(node)


def unmarked_in_python(path: Path) -> list[str]:
    scanner = _PythonScanner()
    scanner.visit(ast.parse(path.read_text(), filename=str(path)))
    return scanner.found


# --- JavaScript -----------------------------------------------------------------------------

_STRING = r"""(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)"""
_JS_SHOWN = [
    re.compile(rf"\.(?:textContent|innerText|title|placeholder|ariaLabel)\s*=\s*({_STRING})"),
    re.compile(rf"""setAttribute\(\s*["'](?:aria-label|title|placeholder|aria-description)["']\s*,\s*({_STRING})"""),
    re.compile(rf"\b(?:alert|confirm|announce|say|status)\(\s*({_STRING})"),
]


def unmarked_in_javascript(path: Path) -> list[str]:
    found = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if line.lstrip().startswith("//"):
            continue
        for pattern in _JS_SHOWN:
            for match in pattern.finditer(line):
                literal = match.group(1)
                if _wordy(literal[1:-1]):
                    found.append(f"line {number}: {literal}")
    return found


# --- which files ----------------------------------------------------------------------------


def templates() -> list[Path]:
    return sorted(p for p in (ROOT / "templates").rglob("*") if p.suffix in {".html", ".txt"})


def python_files() -> list[Path]:
    found = []
    for app in ("forum", "accounts"):
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative.startswith("forum/devtools/") or relative == "forum/settings.py":
                continue
            found.append(path)
    return sorted(found)


def scripts() -> list[Path]:
    return sorted((ROOT / "static" / "js").glob("*.js"))
