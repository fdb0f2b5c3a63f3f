"""Saving and loading models with their cards: atomic writes, safe loads, clear errors.

A model is `NAME.keras` (Keras' own format, loaded with `safe_mode=True`) plus `NAME.json`, its
model card: the facts a user needs (architecture, training, metrics, versions) and what the
explorer needs without the dataset (the encoded test set, the test-set loss distribution).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from pathlib import Path

import keras

from vae_explorer.config import ModelConfig, TrainingConfig
from vae_explorer.errors import ModelFileError
from vae_explorer.fileio import commit, remove_stale_temporaries, stage, temporary_sibling_pattern
from vae_explorer.ml.model import CVAE
from vae_explorer.model_card import ModelCard, card_path, read_model_card

_OUR_CLASS = "vae_explorer>CVAE"
_SAVE_FOLDER_PREFIX = ".vae-explorer-save-"


def write_keras_file(model: keras.Model, target: Path) -> None:
    """What `model.save(target)` writes, with the weights going straight to a file on disk.

    Keras' zipped save writes the weights through h5py into an in-memory buffer, calling back into
    Python with the GIL held, which stalled the GUI's event loop at each epoch's checkpoint. Saved
    unzipped instead (h5py's C file driver), then packed into the same .keras zip archive Keras reads
    (config.json, metadata.json, model.weights.h5, uncompressed); see docs/design.md.
    """
    with tempfile.TemporaryDirectory(prefix=_SAVE_FOLDER_PREFIX, dir=target.parent) as folder:
        model.save(folder, zipped=False)
        with zipfile.ZipFile(target, "w") as archive:
            for file in sorted(Path(folder).rglob("*")):
                if file.is_file():
                    archive.write(file, file.relative_to(folder).as_posix())


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def without_optimizer(model: CVAE) -> CVAE:
    """A copy with the same weights and no optimizer state: a third of the size, for finished models."""
    clone = CVAE.from_config(model.get_config())
    clone.build()
    clone.set_weights(model.get_weights())
    return clone


def save_model(model: CVAE, path: Path | str, card: ModelCard, include_optimizer: bool = False) -> Path:
    """Save the model and its card atomically; an error leaves any earlier files as they were.

    Checkpoints keep the optimizer state (to resume); finished models leave it out.
    """
    if not include_optimizer and getattr(model, "optimizer", None) is not None:
        model = without_optimizer(model)
    path = Path(path)
    if path.suffix != ".keras":
        raise ModelFileError("a model file name must end in .keras, got {name!r}", name=path.name)
    if not path.parent.is_dir():
        raise ModelFileError("cannot save to {path}: the folder {folder} does not exist", path=path, folder=path.parent)
    staged: list[Path] = []
    model_in_place = False
    try:
        # Both files are written in full before either replaces anything, then renamed model first,
        # card second. A kill before the renames leaves the old pair; a kill between them leaves the
        # new card staged beside the new model, and `load_cvae` completes the save.
        staged.append(stage(path, lambda tmp: write_keras_file(model, tmp)))
        text = card.with_checksum(file_sha256(staged[0])).to_json()
        staged.append(stage(card_path(path), lambda tmp: tmp.write_text(text, encoding="utf-8")))
        commit(staged[0], path)
        model_in_place = True  # from here on, the staged card completes the save even if left behind
        commit(staged[1], card_path(path))
    except OSError as exc:
        if not model_in_place:
            for tmp in staged:
                tmp.unlink(missing_ok=True)
        raise ModelFileError(
            "could not save the model to {path}: {reason}. "
            "The model is still in memory; choose another folder or free some space and save again.",
            path=path, reason=exc.strerror or exc,
        ) from None
    # The new pair is in place, so what earlier killed saves left beside it is of no use any more
    # (a staged card only completes the save it belongs to, and this save replaced that one).
    for pattern in (temporary_sibling_pattern(path), temporary_sibling_pattern(card_path(path)),
                    _SAVE_FOLDER_PREFIX + "*"):
        remove_stale_temporaries(path.parent, pattern)
    return path


def _check_is_our_model(path: Path) -> dict:
    """Refuse, with the reason, anything that is not a readable VAE Explorer model file; else return its
    Keras config."""
    if not path.exists():
        raise ModelFileError("no model file at {path}", path=path)
    if path.is_dir():
        raise ModelFileError("{path} is a folder; choose a .keras model file", path=path)
    if path.stat().st_size == 0:
        raise ModelFileError("{path} is empty (0 bytes); it is not a model", path=path)
    if not zipfile.is_zipfile(path):
        raise ModelFileError(
            "{path} is not a Keras .keras file (not a zip archive); it may be truncated or corrupt", path=path
        )
    try:
        with zipfile.ZipFile(path) as archive:
            config = json.loads(archive.read("config.json"))
            if "model.weights.h5" not in archive.namelist():
                raise ModelFileError("{path} holds no weights (model.weights.h5 is missing)", path=path)
            if archive.testzip() is not None:
                raise ModelFileError("{path} is corrupt (a member fails its CRC check)", path=path)
    except KeyError:
        raise ModelFileError("{path} is a zip file but not a Keras model (no config.json)", path=path) from None
    except (zipfile.BadZipFile, json.JSONDecodeError, UnicodeDecodeError, OSError) as exc:
        raise ModelFileError("{path} is corrupt or truncated: {reason}", path=path, reason=exc) from None
    found = config.get("registered_name") if isinstance(config, dict) else None
    if found != _OUR_CLASS:
        name = config.get("class_name", "unknown") if isinstance(config, dict) else "unknown"
        raise ModelFileError(
            "{path} is a Keras model of another kind ({name}), not a VAE Explorer CVAE", path=path, name=name
        )
    return config


def read_model_config(path: Path | str) -> ModelConfig:
    """The settings a model file was built with, read from its Keras config without loading its weights."""
    path = Path(path)
    saved = _check_is_our_model(path).get("config")
    try:
        return TrainingConfig.from_dict({"model": saved}).model
    except (TypeError, ValueError, AttributeError) as exc:
        raise ModelFileError("{path} has model settings this version cannot read ({reason})", path=path, reason=exc) from None


def _finish_interrupted_save(path: Path, digest: str) -> ModelCard | None:
    """A save killed between its two renames leaves the new model with the old card, and the new
    card staged beside them. Put that card in place (what the save was about to do) and return it."""
    cpath = card_path(path)
    for staged in sorted(path.parent.glob(temporary_sibling_pattern(cpath))):
        try:
            card = ModelCard.from_json(staged.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
            continue  # a card that was itself cut short: not the one
        if card.model_file_sha256 == digest:
            try:
                commit(staged, cpath)
            except OSError:
                pass  # a read-only folder: use the staged card without moving it
            return card
    return None


def load_cvae(path: Path | str, compile: bool = False) -> tuple[CVAE, ModelCard | None]:
    """Load a CVAE safely (no code from the file runs) with its card, checking that the two agree."""
    path = Path(path)
    _check_is_our_model(path)
    card = read_model_card(path)
    digest = file_sha256(path) if card is not None and card.model_file_sha256 is not None else None
    if digest is not None and card.model_file_sha256 != digest:
        card = _finish_interrupted_save(path, digest) or card
    if digest is not None and card.model_file_sha256 != digest:
        raise ModelFileError(
            "the card {card} belongs to another version of {name} (checksum differs); "
            "restore the matching pair, or delete the card to load the model without it",
            card=card_path(path), name=path.name,
        )
    try:
        model = keras.saving.load_model(path, compile=compile, safe_mode=True)
    except (ValueError, TypeError, KeyError, OSError, AttributeError, zipfile.BadZipFile) as exc:
        raise ModelFileError("could not load {path}: {reason}", path=path, reason=exc) from None
    if not isinstance(model, CVAE):
        raise ModelFileError("{path} did not load as a VAE Explorer CVAE", path=path)
    if card is not None and card.latent_dim != model.latent_dim:
        raise ModelFileError(
            "{path} has latent dimension {model} but its card says {card}; the card does not belong to this model",
            path=path, model=model.latent_dim, card=card.latent_dim,
        )
    return model, card


def load_checkpoint(path: Path) -> tuple[CVAE, ModelCard]:
    model, card = load_cvae(path, compile=True)
    if card is None or card.training.config is None:
        raise ModelFileError("{path} has no training record in its card, so training cannot resume from it", path=path)
    if getattr(model, "optimizer", None) is None or not model.optimizer.built:
        raise ModelFileError("{path} was saved without optimizer state; it cannot be resumed", path=path)
    return model, card
