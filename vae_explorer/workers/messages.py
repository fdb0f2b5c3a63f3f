"""The core's messages in the interface's language.

The core writes its messages as `errors.Text`: an English template and its values. Here, at the edge
to the window, the template is looked up in the installed translators (context "Messages", filled by
scripts/update_translations.py from the core's sources) and the values put in, translated too where
they are messages themselves. The CLI prints the English text as it is.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from vae_explorer.errors import Lines, Text, VaeExplorerError, lines

CONTEXT = "Messages"


def translated(text: object) -> str:
    """`text` in the interface's language when it is a Text the translators know; else as it is."""
    if not isinstance(text, Text):
        return str(text)
    template = QCoreApplication.translate(CONTEXT, text.template)
    if not text.values:
        return template
    values = {name: _shown(value) for name, value in text.values.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):  # a translation whose placeholders went wrong: the English is right
        return str(text)


def _shown(value: object) -> object:
    """A value put into a translated message: messages in it (Lines of them too) translated, anything
    else as it is."""
    if isinstance(value, Lines):
        return lines(value, _shown)
    if isinstance(value, VaeExplorerError):
        return error_message(value)
    return translated(value) if isinstance(value, Text) else value


def error_message(exc: BaseException) -> str:
    """What the window says of an error a user can cause (a VaeExplorerError: its message, translated)."""
    return translated(exc.text) if isinstance(exc, VaeExplorerError) else str(exc)
