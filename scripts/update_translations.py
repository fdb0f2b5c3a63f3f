"""Refresh the interface's translations: pyside6-lupdate collects the texts into the .ts sources (keeping
what is translated), pyside6-lrelease compiles them into the .qm files the app loads.

    .venv/bin/python scripts/update_translations.py          # after changing interface texts
    .venv/bin/pyside6-linguist resources/translations/vae_explorer_pt_BR.ts   # to translate

The settings table (training_fields) and the class names live in Qt-free modules: their texts reach
lupdate through a generated file of QT_TRANSLATE_NOOP marks.
"""

from __future__ import annotations

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


def marks() -> str:
    """The Qt-free modules' interface texts as QT_TRANSLATE_NOOP calls, in the contexts the GUI uses."""
    texts = [("TrainingFields", f.label) for f in FIELDS if f.in_form]
    texts += [("TrainingFields", f.help[0].upper() + f.help[1:]) for f in FIELDS if f.in_form]
    texts += [("Classes", name) for name in CLASS_NAMES]
    texts += [("QFileDialog", text) for text in QT_TEXTS_MISSING]
    return "".join(f"QT_TRANSLATE_NOOP({context!r}, {text!r})\n" for context, text in texts)


def main() -> int:
    sources = sorted(str(p) for p in (ROOT / "vae_explorer" / "gui").rglob("*.py"))
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
