"""The core's messages (errors.Text) in the window's language: translated at the edge by their templates."""

import pytest

from vae_explorer.errors import DatasetError, ImageError, Lines, ModelFileError, Text
from vae_explorer.ml.data import missing_data_message
from vae_explorer.workers import messages
from vae_explorer.workers.messages import error_message, translated


def test_a_text_is_its_english_sentence_and_keeps_its_template_and_values():
    text = Text("{path} is empty (0 bytes); it is not a model", path="/m/a.keras")
    assert text == "/m/a.keras is empty (0 bytes); it is not a model" and isinstance(text, str)
    assert text.template == "{path} is empty (0 bytes); it is not a model" and text.values == {"path": "/m/a.keras"}
    assert Text(text) is text, "a Text given on keeps its template"
    assert Text("100% {done}") == "100% {done}", "a template without values is not formatted"
    places = Text("Looked in:\n{places}", places=Lines([Text("  - {p}", p="/a"), "  - /b"]))
    assert places == "Looked in:\n  - /a\n  - /b", "Lines are written one per line"
    assert Text("shape {dims}", dims=(3, 28, 28)) == "shape (3, 28, 28)", "a tuple is a value like any other"
    error = ImageError("/x/shirt.png", "the file is {size:.0f} MiB; images over {limit} MiB are refused", size=250.4, limit=200)
    assert str(error) == "cannot use '/x/shirt.png' as an image: the file is 250 MiB; images over 200 MiB are refused"
    assert error.reason == "the file is 250 MiB; images over 200 MiB are refused" and error.path == "/x/shirt.png"


def test_without_a_translation_the_window_says_the_english(qapp):
    error = ModelFileError("no model file at {path}", path="/m/a.keras")
    assert error_message(error) == "no model file at /m/a.keras" == str(error)
    assert translated("a plain string") == "a plain string"
    assert error_message(ValueError("bad value")) == "bad value"


def test_in_portuguese_a_message_and_the_messages_inside_it_are_translated(in_portuguese, tmp_path):
    error = ImageError(tmp_path / "a.png", "the file is {size:.0f} MiB; images over {limit} MiB are refused", size=250.4, limit=200)
    assert error_message(error) == f"não é possível usar {str(tmp_path / 'a.png')!r} como imagem: o arquivo tem 250 MiB; " \
                                   "imagens acima de 200 MiB são recusadas"
    failed = DatasetError("{missing}\n(download failed: {reason})", missing=missing_data_message(tmp_path),
                          reason=DatasetError("could not download Fashion-MNIST:\n  {errors}", errors="offline"))
    shown = error_message(failed)
    assert shown.startswith("O Fashion-MNIST não foi encontrado. Procurado em:\n  - --data-dir: ")
    assert "(o download falhou: não foi possível baixar o Fashion-MNIST:\n  offline)" in shown
    assert str(tmp_path) in shown and "Obtenha-o de uma de três formas" in shown
    assert "\n  - cache do Keras: " in shown and "\n  - pacote Debian dataset-fashion-mnist: " in shown, "the places too"
    assert error_message(ModelFileError("a text no translation knows: {x}", x=1)) == "a text no translation knows: 1"


def test_a_translation_with_wrong_placeholders_gives_the_english_not_an_error(in_portuguese, monkeypatch):
    monkeypatch.setattr(messages.QCoreApplication, "translate", lambda context, text: "{caminho} não existe")
    assert error_message(ModelFileError("no model file at {path}", path="/m/a.keras")) == "no model file at /m/a.keras"


@pytest.mark.parametrize("template", ["{path}: file not found", "no model file at {path}"])
def test_the_shipped_translation_knows_the_cores_templates(in_portuguese, template):
    assert translated(Text(template, path="/d")) != template.format(path="/d")


def test_a_message_shown_alone_in_a_dialog_starts_with_a_capital():
    from vae_explorer.gui.dialogs import sentence

    assert sentence("não foi possível carregar /m/a.keras: x") == "Não foi possível carregar /m/a.keras: x"
    assert sentence("/m/a.keras is empty") == "/m/a.keras is empty" and sentence("") == ""
