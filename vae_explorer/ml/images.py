"""Turn any common image file into a Fashion-MNIST-like input, and write image grids as PNG.

Fashion-MNIST's own recipe: a greyscale garment, bright on a black background, its bounding box
centred and its longer side scaled to 28 pixels. `preprocess_image` does that to any picture.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from vae_explorer.config import IMAGE_SIZE
from vae_explorer.errors import ImageError
from vae_explorer.fileio import atomic_write

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_PIXELS = 64_000_000  # larger images are refused before they are decoded (bounded memory and time)
_WORK_SIZE = 512  # images are shrunk to at most this before the finer steps


def load_image(path: Path | str) -> Image.Image:
    """Open an image file (first frame of an animation) with every failure turned into an ImageError."""
    path = Path(path)
    if not path.exists():
        raise ImageError(path, "broken symbolic link" if path.is_symlink() else "no such file")
    if path.is_dir():
        raise ImageError(path, "it is a folder, not an image file")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImageError(path, "{reason}", reason=exc.strerror or exc) from None
    if size == 0:
        raise ImageError(path, "the file is empty (0 bytes)")
    if size > MAX_FILE_BYTES:
        raise ImageError(path, "the file is {size:.0f} MiB; images over {limit} MiB are refused", size=size / 2**20,
                         limit=MAX_FILE_BYTES // 2**20)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImageError(
                    path, "{width}x{height} pixels is too large (limit {limit} megapixels)", width=width, height=height,
                    limit=MAX_PIXELS // 1_000_000)
            if width < 1 or height < 1:
                raise ImageError(path, "the image has no pixels")
            image.seek(0)
            image.draft("RGB", (_WORK_SIZE, _WORK_SIZE))  # JPEG: decode at reduced size, cheaply
            image.load()
    except PermissionError:
        raise ImageError(path, "permission denied") from None
    except UnidentifiedImageError:
        raise ImageError(path, "not an image file Pillow can read (PNG, JPEG, BMP, GIF, WebP, TIFF, ...)") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError(path, "the image is too large to decode safely (decompression bomb limit)") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageError(path, "the file is corrupt or truncated ({reason})", reason=exc) from None
    except ImageError:
        raise
    except Exception as exc:  # noqa: BLE001 - Pillow's decoders meet malformed data with many exception types
        raise ImageError(path, "the file is corrupt ({kind}: {reason})", kind=type(exc).__name__, reason=exc) from None
    return image


def _to_grey(image: Image.Image) -> np.ndarray:
    """Greyscale float in [0, 1], alpha composited on the background that contrasts with the garment."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        grey = np.asarray(image, dtype=np.float64)
        low, high = float(grey.min()), float(grey.max())
        return (grey - low) / (high - low) if high > low else np.zeros_like(grey)
    if image.mode == "P" or image.mode in ("LA", "PA", "RGBa", "La"):
        image = image.convert("RGBA")
    if image.mode == "RGBA":
        rgba = np.asarray(image, dtype=np.float64) / 255.0
        alpha = rgba[..., 3]
        grey = rgba[..., :3] @ np.array([0.299, 0.587, 0.114])
        opaque = alpha > 0.5
        dark_garment = opaque.any() and grey[opaque].mean() < 0.5
        background = 1.0 if dark_garment else 0.0
        return grey * alpha + background * (1.0 - alpha)
    return np.asarray(ImageOps.grayscale(image.convert("RGB")), dtype=np.float64) / 255.0


def preprocess_image(image: Image.Image | np.ndarray) -> np.ndarray:
    """Any picture -> 28x28 uint8, garment bright on black, bounding box centred, longer side 28 px."""
    if isinstance(image, np.ndarray):
        array = np.asarray(image, dtype=np.float64)
        if array.ndim == 3:
            array = array[..., :3].mean(axis=2)
        if array.ndim != 2 or array.size == 0:
            raise ValueError(f"expected a 2-D greyscale or 3-D colour array, got shape {image.shape}")
        image = Image.fromarray(np.clip(array, 0, 255).astype(np.uint8), mode="L")
    if max(image.size) > _WORK_SIZE:
        image = image.copy()
        image.thumbnail((_WORK_SIZE, _WORK_SIZE), Image.Resampling.BOX)
    grey = _to_grey(image)
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    if np.median(border) > 0.5:  # light background: invert so the garment is bright on dark
        grey = 1.0 - grey
    background = float(np.median(np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])))
    grey = np.clip(grey - background, 0.0, None)
    peak = float(grey.max())
    if peak <= 1e-6:
        return np.zeros((IMAGE_SIZE, IMAGE_SIZE), np.uint8)  # a blank picture is a blank input
    grey /= peak
    rows = np.flatnonzero((grey > 0.1).any(axis=1))
    cols = np.flatnonzero((grey > 0.1).any(axis=0))
    grey = grey[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    h, w = grey.shape
    scale = IMAGE_SIZE / max(h, w)
    new_h, new_w = max(1, round(h * scale)), max(1, round(w * scale))
    resized = Image.fromarray((grey * 255).astype(np.uint8), mode="L").resize(
        (new_w, new_h), Image.Resampling.LANCZOS if min(h, w) >= new_h else Image.Resampling.BILINEAR
    )
    out = np.zeros((IMAGE_SIZE, IMAGE_SIZE), np.uint8)
    top, left = (IMAGE_SIZE - new_h) // 2, (IMAGE_SIZE - new_w) // 2
    out[top : top + new_h, left : left + new_w] = np.asarray(resized)
    return out


def _decoded(path: Path | str, convert):
    """Run `convert` on a loaded image; any failure of Pillow's decoders on malformed data (they raise
    many exception types) becomes an ImageError naming the file."""
    try:
        return convert()
    except Exception as exc:  # noqa: BLE001
        raise ImageError(path, "the image could not be decoded ({kind}: {reason})", kind=type(exc).__name__,
                         reason=exc) from None


def garment_input(name: Path | str, x: np.ndarray) -> np.ndarray:
    """The input preprocessed from `name`, refused when the picture was one flat colour: there is nothing
    to reconstruct, and a VAE scores an empty input as typical, a low loss that says nothing of garments."""
    if not x.any():
        raise ImageError(name, "the picture is one flat colour: there is no garment in it")
    return x


def image_file_to_input(path: Path | str) -> np.ndarray:
    """Read a file and preprocess it: the 28x28 uint8 input the model sees."""
    image = load_image(path)
    return garment_input(path, _decoded(path, lambda: preprocess_image(image)))


def read_user_image(path: Path | str, thumbnail: int = 112) -> tuple[np.ndarray, np.ndarray]:
    """A person's image file -> (an RGB uint8 thumbnail of the original for display, the 28x28 input)."""
    image = load_image(path)

    def convert() -> tuple[np.ndarray, np.ndarray]:
        shown = image.convert("RGBA")
        shown.thumbnail((thumbnail, thumbnail), Image.Resampling.BOX)
        # on a mid-grey card, so a transparent or white picture still shows its edges
        card = Image.new("RGBA", shown.size, (128, 128, 128, 255))
        card.alpha_composite(shown)
        return np.asarray(card.convert("RGB")), preprocess_image(image)

    shown, x = _decoded(path, convert)
    return shown, garment_input(path, x)


def image_from_rgba(pixels: np.ndarray) -> Image.Image:
    """An (h, w, 4) uint8 RGBA array (a pasted clipboard image) as a Pillow image for `preprocess_image`."""
    return Image.fromarray(np.ascontiguousarray(pixels, dtype=np.uint8), mode="RGBA")


NOISE_KINDS = ("gaussian", "masking")


def add_noise(images: np.ndarray, kind: str, amount: float, seed: int = 0) -> np.ndarray:
    """Corrupt inputs for the denoising view: float images in [0, 1] out.

    gaussian: add N(0, amount^2) to every pixel, clipped to [0, 1]; masking: set a random `amount`
    fraction of the pixels to black. The same seed gives the same noise.
    """
    x = as_float_images(images)
    rng = np.random.default_rng(seed)
    if kind == "gaussian":
        return np.clip(x + rng.normal(0.0, float(amount), x.shape).astype(np.float32), 0.0, 1.0)
    if kind == "masking":
        return np.where(rng.random(x.shape) < float(amount), 0.0, x).astype(np.float32)
    raise ValueError(f"noise kind must be one of {NOISE_KINDS}, got {kind!r}")


def tile(images: np.ndarray, columns: int) -> np.ndarray:
    """(N, h, w) images -> one mosaic (rows*h, columns*w); missing tiles stay black."""
    n, h, w = images.shape
    rows = -(-n // columns)
    padded = np.zeros((rows * columns, h, w), images.dtype)
    padded[:n] = images
    return padded.reshape(rows, columns, h, w).swapaxes(1, 2).reshape(rows * h, columns * w)


def as_float_images(images: np.ndarray) -> np.ndarray:
    """Accept uint8 0..255 or float 0..1 images, (N, 28, 28) or one (28, 28); give float32 (N, 28, 28).

    The one NumPy conversion of model inputs (the compiled graph has its own, `model.to_float_images`)."""
    images = np.asarray(images)
    if images.ndim == 2:
        images = images[None]
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.shape[1:] != (IMAGE_SIZE, IMAGE_SIZE):
        raise ValueError(f"images must be 28x28, got shape {images.shape}")
    if images.dtype == np.uint8:
        return images.astype(np.float32) / 255.0
    return np.clip(images.astype(np.float32), 0.0, 1.0)


def check_sharpness(k: float) -> float:
    """`sharpen`'s k, refused unless a finite number > 0."""
    if not (math.isfinite(k) and k > 0):
        raise ValueError(f"the sharpening must be a finite number > 0, got {k!r}")
    return float(k)


def sharpen(images: np.ndarray, k: float) -> np.ndarray:
    """Decoded images (Bernoulli means in [0, 1]) with steeper pixels: each p drawn as sigmoid(k logit p),
    i.e. p^k / (p^k + (1 - p)^k). k = 1 leaves them as they are; k > 1 sharpens the soft edges a 2-D
    code decodes towards each pixel's more likely value (docs/models.md, "Steeper pixels")."""
    if check_sharpness(k) == 1:  # the decoder's means, not a rounding of them
        return np.asarray(images, np.float32)
    p = np.clip(np.asarray(images, np.float32), 0.0, 1.0)
    with np.errstate(divide="ignore"):  # 0 and 1 have infinite logits, and stay 0 and 1
        logit = np.log(p) - np.log1p(-p)
    return np.float32(0.5) * (np.float32(1.0) + np.tanh(np.float32(0.5 * k) * logit))  # a sigmoid that cannot overflow


def pixel_error(reconstruction: np.ndarray, clean: np.ndarray) -> float:
    """Mean absolute difference of a reconstruction in [0, 1] from an input (uint8 or float)."""
    return float(np.mean(np.abs(as_float_images(reconstruction) - as_float_images(clean))))


def to_uint8(images: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(np.asarray(images, np.float64) * 255.0), 0, 255).astype(np.uint8)


def save_png(array: np.ndarray, path: Path | str) -> Path:
    """Write a greyscale image (float in [0, 1] or uint8) as PNG, atomically."""
    path = Path(path)
    pixels = array if array.dtype == np.uint8 else to_uint8(array)
    image = Image.fromarray(pixels, mode="L")
    atomic_write(path, lambda tmp: image.save(tmp, format="PNG"))
    return path
