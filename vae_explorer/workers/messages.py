"""The core's messages in the interface's language.

The core writes its messages as `errors.Text`: an English template and its values. Here, at the edge
to the window, the template is looked up in the installed translators (context "Messages", filled by
scripts/update_translations.py from the core's sources) and the values put in, translated too where
they are messages themselves. The CLI prints the English text as it is.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from vae_explorer.errors import Text, VaeExplorerError

CONTEXT = "Messages"


def translated(text: object) -> str:
    """`text` in the interface's language when it is a Text the translators know; else as it is."""
    if not isinstance(text, Text):
        return str(text)
    template = QCoreApplication.translate(CONTEXT, text.template)
    if not text.values:
        return template
    values = {name: error_message(value) if isinstance(value, VaeExplorerError) else translated(value)
              if isinstance(value, Text) else value for name, value in text.values.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):  # a translation whose placeholders went wrong: the English is right
        return str(text)


def error_message(exc: BaseException) -> str:
    """What the window says of an error a user can cause (a VaeExplorerError: its message, translated)."""
    return translated(exc.text) if isinstance(exc, VaeExplorerError) else str(exc)
