"""The package version, in a module of its own so that every layer can import it without importing upwards."""

__version__ = "0.1.0"
