"""A person's own images through a model: read, preprocess, reconstruct, score, and denoise.

The one path shared by the CLI's `reconstruct` and the explorer's reconstruction panel, so both
show the same numbers for the same file. NumPy and the model only: no Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from vae_explorer.errors import ImageError, Text
from vae_explorer.ml.images import (
    add_noise,
    as_float_images,
    garment_input,
    image_from_rgba,
    pixel_error,
    preprocess_image,
    read_user_image,
    sharpen,
    tile,
)

# What may be analysed: a file, or an image's RGBA pixels (a pasted clipboard image).
Source = Path | np.ndarray
# The files a folder given in their place contributes (the formats `load_image` is tested on).
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff")


def open_folders(sources: list[tuple[str, Source]]) -> tuple[list[tuple[str, Source]], list[str]]:
    """Each folder among the sources replaced by the image files directly in it, by name (named
    "folder/file"); a folder with none, or one that cannot be listed, is a message instead."""
    opened, errors = [], []
    for name, source in sources:
        if not (isinstance(source, Path) and source.is_dir()):
            opened.append((name, source))
            continue
        try:
            files = sorted((p for p in source.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()),
                           key=lambda p: p.name)
        except OSError as exc:
            errors.append(Text("{name}: the folder cannot be read ({reason})", name=name, reason=exc.strerror or exc))
            continue
        if not files:
            errors.append(Text("{name}: no image files in this folder (PNG, JPEG, GIF, BMP, WebP, TIFF)", name=name))
        opened += [(str(Path(name) / p.name), p) for p in files]
    return opened, errors


@dataclass(eq=False)  # each result is itself: the same file dropped twice is two rows (and arrays have no ==)
class Analysed:
    """One of the person's images, as the reconstruction table and `reconstruct --json` show it."""

    name: str
    thumbnail: np.ndarray  # RGB uint8, for display
    input: np.ndarray  # 28x28 uint8, what the model saw
    reconstruction: np.ndarray  # 28x28 float in [0, 1]
    mean: np.ndarray  # latent mean
    total_loss: float
    ce_loss: float
    kl_loss: float
    anomaly_percentile: float | None
    predicted_class: int | None = None  # a class-conditional model's: the class the image was encoded under
    class_probabilities: np.ndarray | None = None


def read_sources(sources: list[tuple[str, Source]], most: int | None = None,
                 ) -> tuple[list[tuple[str, np.ndarray, np.ndarray]], list[str]]:
    """(name, thumbnail, input) for each usable source, a folder standing for the image files in it; one
    message per unusable one, naming it. Past `most` files the rest are left out, and a message says so."""
    sources, errors = open_folders(sources)
    if most is not None and len(sources) > most:
        errors.append(Text("{n} more files left out (at most {most} at a time)", n=len(sources) - most, most=most))
        sources = sources[:most]
    read = []
    for name, source in sources:
        try:
            if isinstance(source, np.ndarray):
                thumb, x = source[..., :3].copy(), garment_input(name, preprocess_image(image_from_rgba(source)))
            else:
                thumb, x = read_user_image(source)
        except ImageError as exc:
            errors.append(Text("{name}: {reason}", name=name, reason=exc.reason))
            continue
        except Exception as exc:  # noqa: BLE001 - one bad file must not cost the others their results
            errors.append(Text("{name}: could not be read ({kind}: {reason})", name=name, kind=type(exc).__name__,
                               reason=exc))
            continue
        read.append((name, thumb, x))
    return read, errors


def analyse_sources(vae, sources: list[tuple[str, Source]], most: int | None = None,
                    ) -> tuple[list[Analysed], list[str]]:
    """Read every source (`read_sources`), then reconstruct and score the usable ones in one batch."""
    read, errors = read_sources(sources, most)
    return analyse_read(vae, read), errors


def analyse_read(vae, read: list[tuple[str, np.ndarray, np.ndarray]]) -> list[Analysed]:
    """Reconstruct and score images already read, (name, thumbnail, input) each, in one batch."""
    if not read:
        return []
    inputs = np.stack([x for _, _, x in read])
    a = vae.analyse(inputs)
    pct = a["anomaly_percentile"]
    predicted, probabilities = a.get("predicted_class"), a.get("class_probabilities")
    return [
        Analysed(
            name=name, thumbnail=thumb, input=inputs[i], reconstruction=a["reconstruction"][i],
            mean=a["mean"][i], total_loss=float(a["total_loss"][i]), ce_loss=float(a["ce_loss"][i]),
            kl_loss=float(a["kl_loss"][i]), anomaly_percentile=None if pct is None else float(pct[i]),
            predicted_class=None if predicted is None else int(predicted[i]),
            class_probabilities=None if probabilities is None else probabilities[i],
        )
        for i, (name, thumb, _) in enumerate(read)
    ]


@dataclass
class Denoised:
    """A clean input under noise, and what the model makes of it."""

    noisy: np.ndarray
    reconstruction: np.ndarray
    ce_loss: float
    error_vs_clean: float  # mean absolute pixel error of the reconstruction to the clean input


def denoise(vae, clean: np.ndarray, kind: str, amount: float, seed: int = 0) -> Denoised:
    noisy = add_noise(clean[None], kind, amount, seed)
    a = vae.analyse(noisy)
    return Denoised(noisy[0], a["reconstruction"][0], float(a["ce_loss"][0]), pixel_error(a["reconstruction"][0], clean))


@dataclass
class Transferred:
    """Images' style codes decoded as other garments: what `transfer` writes and the Style transfer tab shows."""

    probabilities: np.ndarray  # (N, 10): p(y | x), whatever the images were encoded under
    encoded_as: np.ndarray  # (N,): the class each image was encoded under
    classes: np.ndarray  # the classes decoded, in order
    mean: np.ndarray  # (N, latent_dim): the style codes
    reconstructions: np.ndarray  # (N, 28, 28): each code under the class it was encoded as
    images: np.ndarray  # (N, len(classes), 28, 28)
    inputs: np.ndarray  # (N, 28, 28) float in [0, 1]

    def strip(self, i: int) -> np.ndarray:
        """Image i's pictures in a row: input, reconstruction, then each class decoded."""
        return tile(np.concatenate([self.inputs[i : i + 1], self.reconstructions[i : i + 1], self.images[i]]),
                    2 + len(self.classes))

    def sharpened(self, k: float) -> "Transferred":
        """The same, its decoded pictures drawn with steeper pixels (`images.sharpen`); the inputs as they are."""
        return replace(self, reconstructions=sharpen(self.reconstructions, k), images=sharpen(self.images, k))


def style_transfer(vae, inputs: np.ndarray, labels=None, to=None, refine: bool = False) -> Transferred:
    """Encode each input under its label (given, else the predicted one) and decode it as every class
    (or those in `to`). `labels`: one for all inputs, or one each, as indices or names; `refine`: classify
    with refined q's (`VAE.classify`)."""
    x = as_float_images(inputs)
    probabilities = vae.classify(x, refine=refine)
    t = vae.transfer(x, to=to, labels=probabilities.argmax(axis=1) if labels is None else labels)
    return Transferred(probabilities=probabilities, encoded_as=t["labels"], classes=t["classes"], mean=t["mean"],
                       reconstructions=vae.decode(t["mean"], t["labels"]), images=t["images"], inputs=x)
