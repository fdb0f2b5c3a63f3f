"""Errors a user can cause. Each carries a message meant for that user, shown at the edge (CLI, GUI)."""

from __future__ import annotations


class Text(str):
    """A sentence for the person using the app that keeps its template and values: the CLI prints it
    as it is, the window shows it in the user's language (workers/messages.translated; the core knows
    no Qt). Templates are literal strings, so scripts/update_translations.py can collect them. A value
    may be a Text itself, or Lines of values."""

    template: str
    values: dict

    def __new__(cls, template: str, /, **values: object) -> Text:
        if isinstance(template, Text) and not values:
            return template  # already a Text: keep its template
        text = super().__new__(cls, template.format(**{name: lines(value, str) for name, value in values.items()})
                               if values else template)
        text.template, text.values = str(template), values
        return text


class Lines(tuple):
    """Values a Text writes one per line (the places looked in for a dataset, each a Text of its own)."""


def lines(value: object, write) -> object:
    """Lines as a Text puts them in, each item written by `write`; any other value as it is."""
    return "\n".join(write(item) for item in value) if isinstance(value, Lines) else value


class VaeExplorerError(Exception):
    """Base for every error whose message is written for the person using the app: a template and its
    values, as Text takes them."""

    def __init__(self, template: str, /, **values: object) -> None:
        self.text = Text(template, **values)
        super().__init__(self.text)


class DatasetError(VaeExplorerError):
    """Fashion-MNIST is missing, unreadable or not what it claims to be."""


class ModelFileError(VaeExplorerError):
    """A model file (or its card) cannot be loaded or saved."""


class ImageError(VaeExplorerError):
    """An image file cannot be turned into a model input."""

    def __init__(self, path: object, reason: str, /, **values: object) -> None:
        self.path = str(path)
        self.reason = Text(reason, **values)
        super().__init__("cannot use {path!r} as an image: {reason}", path=self.path, reason=self.reason)


class ConfigError(VaeExplorerError, ValueError):
    """Settings that cannot be used: hyper-parameters that cannot train a model, a seed or temperature
    that cannot draw samples."""


class LabelError(VaeExplorerError, ValueError):
    """A garment class that does not exist, or labels given to a model that takes none (or none given to one that needs them)."""


class TrainingError(VaeExplorerError):
    """A run that cannot go on, such as multi-worker training that lost one of its workers."""


class Cancelled(Exception):
    """Work called off by whoever asked for it (the app closing while a finished run is scored): not
    an error, so it is not a VaeExplorerError."""

    @classmethod
    def check(cls, cancelled, work: str) -> None:
        """Raise when `cancelled()` says so: the question long work asks between its pieces."""
        if cancelled():
            raise cls(f"{work} was called off")
