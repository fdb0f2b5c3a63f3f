"""Errors a user can cause. Each carries a message meant for that user, shown at the edge (CLI, GUI)."""

from __future__ import annotations


class VaeExplorerError(Exception):
    """Base for every error whose message is written for the person using the app."""


class DatasetError(VaeExplorerError):
    """Fashion-MNIST is missing, unreadable or not what it claims to be."""


class ModelFileError(VaeExplorerError):
    """A model file (or its card) cannot be loaded or saved."""


class ImageError(VaeExplorerError):
    """An image file cannot be turned into a model input."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"cannot use {self.path!r} as an image: {reason}")


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
