"""The interface follows the system locale: Portuguese (Brazil) ships, English stays the default."""

import json
import os
import re
import runpy
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from vae_explorer.gui.app import TRANSLATIONS_DIR

ROOT = Path(__file__).resolve().parents[2]
TS = TRANSLATIONS_DIR / "vae_explorer_pt_BR.ts"

SHOW_WINDOW = """
import json
from PySide6.QtWidgets import QApplication, QPushButton
from vae_explorer.gui.app import configure_locale, install_translations
app = QApplication([])
loaded = install_translations(app)
configure_locale()
from vae_explorer.gui.main_window import MainWindow
w = MainWindow(load_default_model=False)
menus = {m.text(): [a.text() for a in m.menu().actions() if a.text()] for m in w.menuBar().actions()}
print(json.dumps({
    "loaded": loaded,
    "menus": menus,
    "tabs": [w.tabs.tabText(i) for i in range(w.tabs.count())],
    "train_buttons": [w.dashboard.start_button.text(), w.dashboard.pause_button.text(), w.dashboard.stop_button.text()],
    "form": w.dashboard.form.title(),
    "all_images": w.dashboard.form.all_images.text(),
    "images": w.dashboard.form.widget("train_limit").text(),
    "explore_tabs": [w.explorer.tabs.tabText(i) for i in range(w.explorer.tabs.count())],
    "reconstruct": [b.text() for b in w.explorer.reconstruct.findChildren(QPushButton)],
    "plane_menu": [a.text() for a in w.explorer.plane.view_box.menu.actions() if a.isVisible()],
}))
"""


def run_in_language(tmp_path, language: str, script: str) -> dict:
    """Run `script` in a fresh Python under the system language `language`; what it printed last, as JSON."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k != "LANGUAGE"}
    env.update(LANG=language, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def window_texts(tmp_path, language: str) -> dict:
    return run_in_language(tmp_path, language, SHOW_WINDOW)


def test_a_brazilian_portuguese_system_gets_the_window_in_portuguese(tmp_path):
    texts = window_texts(tmp_path, "pt_BR.UTF-8")
    assert any(path.endswith("vae_explorer_pt_BR.qm") for path in texts["loaded"])
    assert list(texts["menus"]) == ["&Arquivo", "&Exibir", "Aj&uda"]
    assert texts["menus"]["&Arquivo"][:2] == ["&Novo treinamento", "&Abrir modelo…"]
    assert texts["tabs"] == ["Treinar", "Explorar"]
    assert texts["train_buttons"] == ["Iniciar", "Pausar", "Parar"]
    assert texts["form"] == "Hiperparâmetros"
    assert texts["all_images"] == "As 60.000" and texts["images"] == "5.000"
    assert texts["explore_tabs"][0] == "Reconstruir e limpar"
    assert "Imagens de exemplo" in texts["reconstruct"]
    assert texts["plane_menu"] == ["Mostrar tudo", "Copiar imagem", "Salvar imagem…"]


@pytest.mark.parametrize("language, all_images, subset", [("en_US.UTF-8", "60,000", "5,000"), ("C.UTF-8", "60,000", "5,000"),
                                                          ("de_DE.UTF-8", "60.000", "5.000")])
def test_other_systems_get_english(tmp_path, language, all_images, subset):
    """English, with numbers as the locale writes them; the C locale (no language set) groups digits as
    English does, where Qt's own C locale writes 60000."""
    texts = window_texts(tmp_path, language)
    assert texts["all_images"] == f"All {all_images}" and texts["images"] == subset
    assert not any("vae_explorer" in path for path in texts["loaded"])
    assert list(texts["menus"]) == ["&File", "&View", "&Help"]
    assert texts["train_buttons"] == ["Start", "Pause", "Stop"]


def test_every_interface_text_is_translated_keeping_its_placeholders(tmp_path):
    """lupdate run over today's sources into a copy of the .ts finds nothing new or unfinished."""
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    if not lupdate.exists():
        pytest.skip("pyside6-lupdate is not installed beside this Python")
    sources = sorted(str(p) for p in (ROOT / "vae_explorer" / "gui").rglob("*.py"))
    stub = tmp_path / "qt_free_texts.py"
    script = runpy.run_path(str(ROOT / "scripts" / "update_translations.py"), run_name="marks")
    stub.write_text(script["marks"]())  # the Qt-free modules' texts
    subprocess.run([str(lupdate), *sources, str(stub), "-locations", "none", "-no-obsolete", "-ts", str(copy)],
                   check=True, capture_output=True)
    untranslated, broken = [], []
    root = ET.parse(copy).getroot()
    nameless = [m.find("source").text for c in root.iter("context") if not c.findtext("name") for m in c.iter("message")]
    assert not nameless, f"tr() outside a class finds no translation at run time: {nameless}"
    for message in root.iter("message"):
        source, translation = message.find("source").text, message.find("translation")
        if translation.get("type") == "unfinished" or not translation.text:
            untranslated.append(source)
        elif set(re.findall(r"\{[^{}]*\}", source)) != set(re.findall(r"\{[^{}]*\}", translation.text)):
            broken.append(source)
    assert not untranslated, f"not translated (run scripts/update_translations.py, then translate): {untranslated}"
    assert not broken, f"placeholders differ: {broken}"
    compiled = tmp_path / "compiled.qm"
    subprocess.run([str(lupdate.with_name("pyside6-lrelease")), str(TS), "-qm", str(compiled)], check=True, capture_output=True)
    assert compiled.read_bytes() == TS.with_suffix(".qm").read_bytes(), "the .qm is not the compiled .ts"


def test_every_message_of_the_core_is_a_template_the_translation_can_find():
    """The window translates the core's messages by their templates (workers/messages.py): an f-string
    would make a new text for every value, found by no translation."""
    script = runpy.run_path(str(ROOT / "scripts" / "update_translations.py"), run_name="marks")
    templates, problems = script["core_messages"]()
    assert not problems, f"messages built from their values (write a template and its values): {problems}"
    assert "cannot use {path!r} as an image: {reason}" in templates and "{path}: file not found" in templates
    assert len(templates) > 80


LAID_OUT = """
import json, sys, time
from PySide6.QtWidgets import QApplication
from vae_explorer.gui.app import install_translations
app = QApplication([])
install_translations(app)
from vae_explorer.gui.main_window import MainWindow
sys.path.insert(0, {root!r})
from tests.helpers import cut_texts, overlapping_widgets
from vae_explorer.config import MODELS_DIR
w = MainWindow(load_default_model=False)
w.resize(1024, 700)
w.show()
w.open_model(MODELS_DIR / "cvae-fashion-conditional-latent2.keras")  # its class picker and tiles too
deadline = time.monotonic() + 120
while (w.vae is None or w.explorer.point.class_row.images is None) and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.02)
found = {{}}
for i in range(w.tabs.count()):
    w.tabs.setCurrentIndex(i)
    for _ in range(5):
        app.processEvents()
    found[w.tabs.tabText(i)] = {{"size": [w.width(), w.height()], "cut": cut_texts(w), "overlaps": overlapping_widgets(w)}}
print(json.dumps(found))
w.close()  # as a person quits: the background warm-up stops (Python's exit would wait for all of it)
"""


def test_in_portuguese_at_1024x700_no_text_is_cut_and_nothing_overlaps(tmp_path):
    """The translation's longer texts: the training form's labels once squeezed 'As 60.000' to 'As 60,0'."""
    found = run_in_language(tmp_path, "pt_BR.UTF-8", LAID_OUT.format(root=str(ROOT)))
    assert list(found) == ["Treinar", "Explorar"]
    for area, seen in found.items():
        assert seen == {"size": [1024, 700], "cut": [], "overlaps": []}, area


FILE_DIALOG = """
import json
from PySide6.QtWidgets import QApplication, QLabel
from vae_explorer.gui.app import install_translations
from vae_explorer.gui.dialogs import _file_dialog
app = QApplication([])
install_translations(app)
dialog = _file_dialog(None, "t", {folder!r}, "*.keras")
print(json.dumps([label.text() for label in dialog.findChildren(QLabel) if label.text()]))
"""


def test_qts_own_file_dialog_is_all_in_portuguese(tmp_path):
    """Qt's pt_BR lacks two of its labels ("&Look in:"); the app's translation carries them."""
    labels = run_in_language(tmp_path, "pt_BR.UTF-8", FILE_DIALOG.format(folder=str(tmp_path)))
    assert sorted(labels) == ["&Nome do arquivo:", "&Procurar em:", "Arquivos do &tipo:"]
    assert "&Look in:" in run_in_language(tmp_path, "en_US.UTF-8", FILE_DIALOG.format(folder=str(tmp_path)))
