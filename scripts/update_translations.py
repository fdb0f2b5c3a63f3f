"""Refresh the interface's translations: pyside6-lupdate collects the texts into the .ts sources (keeping
what is translated), pyside6-lrelease compiles them into the .qm files the app loads.

    .venv/bin/python scripts/update_translations.py          # after changing interface texts
    .venv/bin/pyside6-linguist resources/translations/vae_explorer_pt_BR.ts   # to translate

The settings table (training_fields), the class names and the core's messages (errors.Text templates,
shown by the window through workers/messages.py) live in Qt-free modules: their texts reach lupdate
through a generated file of QT_TRANSLATE_NOOP marks.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vae_explorer.config import CLASS_NAMES  # noqa: E402
from vae_explorer.training_fields import FIELDS  # noqa: E402

TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ("pt_BR",)
TOOLS = Path(sys.executable).parent
# Labels of Qt's own file dialog that Qt's translations lack (they have "Look in:", not "&Look in:"):
# ours carry them, and Qt asks every installed translator.
QT_TEXTS_MISSING = ("&Look in:", "Files of &type:")
# Core modules whose messages only a terminal shows: English, as the CLI is.
TERMINAL_ONLY = ("cli.py", "desktop.py")


def _message_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """Text and every class that derives, at any remove, from VaeExplorerError."""
    names = {"Text", "VaeExplorerError"}
    while True:
        more = {node.name for tree in trees.values() for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
                and any(isinstance(b, ast.Name) and b.id in names for b in node.bases)} - names
        if not more:
            return names
        names |= more


def core_messages() -> tuple[list[str], list[str]]:
    """The templates of the core's messages, and where one is not a literal (so it cannot be translated).

    A message is a call of Text or of an error class: its template is the first argument (an image
    error's second, after the path); a conditional expression gives both branches."""
    files = [p for p in sorted((ROOT / "vae_explorer").rglob("*.py"))
             if not {"gui", "workers"} & set(p.relative_to(ROOT / "vae_explorer").parts[:-1])
             and p.name not in TERMINAL_ONLY]
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in files}
    classes = _message_classes(trees)
    templates, problems = [], []

    def collect(node: ast.expr, where: str) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            templates.append(node.value)
        elif isinstance(node, ast.IfExp):
            collect(node.body, where)
            collect(node.orelse, where)
        elif isinstance(node, (ast.JoinedStr, ast.BinOp)):
            problems.append(where)  # an f-string or a sum: the template would change with the values
        # a name or a call passes on a message made elsewhere (a Text, or an error's reason)

    for path, tree in trees.items():
        # An error class handing its own template to its base: super().__init__(template, ...)
        inits = {id(node) for c in ast.walk(tree) if isinstance(c, ast.ClassDef) and c.name in classes
                 for node in ast.walk(c) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                 and node.func.attr == "__init__" and isinstance(node.func.value, ast.Call)
                 and getattr(node.func.value.func, "id", None) == "super"}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            position = 1 if name == "ImageError" else 0
            if (name in classes or id(node) in inits) and len(node.args) > position:
                collect(node.args[position], f"{path.relative_to(ROOT)}:{node.lineno}")
    return sorted(set(templates)), problems


def marks() -> str:
    """The Qt-free modules' interface texts as QT_TRANSLATE_NOOP calls, in the contexts the GUI uses."""
    texts = [("TrainingFields", f.label) for f in FIELDS if f.in_form]
    texts += [("TrainingFields", f.help[0].upper() + f.help[1:]) for f in FIELDS if f.in_form]
    texts += [("Classes", name) for name in CLASS_NAMES]
    texts += [("QFileDialog", text) for text in QT_TEXTS_MISSING]
    texts += [("Messages", template) for template in core_messages()[0]]
    return "".join(f"QT_TRANSLATE_NOOP({context!r}, {text!r})\n" for context, text in texts)


def main() -> int:
    sources = sorted(str(p) for folder in ("gui", "workers") for p in (ROOT / "vae_explorer" / folder).rglob("*.py"))
    with tempfile.TemporaryDirectory() as tmp:
        stub = Path(tmp) / "qt_free_texts.py"
        stub.write_text(marks(), encoding="utf-8")
        for language in LANGUAGES:
            ts = TRANSLATIONS / f"vae_explorer_{language}.ts"
            subprocess.run([str(TOOLS / "pyside6-lupdate"), *sources, str(stub), "-locations", "none",
                            "-no-obsolete", "-target-language", language, "-ts", str(ts)], check=True)
            # Compiled beside it, then renamed over it: a running app has the old file mapped, and rewriting
            # it in place turned that app's texts back to English.
            compiled = ts.with_name(f".{ts.stem}.qm.part")
            try:
                subprocess.run([str(TOOLS / "pyside6-lrelease"), str(ts), "-qm", str(compiled)], check=True)
                os.replace(compiled, ts.with_suffix(".qm"))
            finally:
                compiled.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
