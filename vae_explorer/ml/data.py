"""Fashion-MNIST: find it, read the IDX files with NumPy, and check that what was read is the real data.

NumPy only (no TensorFlow), so the CLI and the GUI can load data quickly and tests can run it alone.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vae_explorer.errors import DatasetError, Lines, Text

DATA_ENV_VAR = "VAE_EXPLORER_DATA"
DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")


@dataclass(frozen=True)
class IdxFile:
    """One of the four files: its name, the shape it must hold, and the SHA-256 of its decompressed bytes."""

    name: str
    shape: tuple[int, ...]
    sha256: str


# Checksums of the decompressed IDX bytes (header included), so re-compressed copies (Debian's) still match.
TRAIN_IMAGES = IdxFile(
    "train-images-idx3-ubyte.gz", (60000, 28, 28), "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"
)
TRAIN_LABELS = IdxFile(
    "train-labels-idx1-ubyte.gz", (60000,), "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"
)
TEST_IMAGES = IdxFile(
    "t10k-images-idx3-ubyte.gz", (10000, 28, 28), "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"
)
TEST_LABELS = IdxFile(
    "t10k-labels-idx1-ubyte.gz", (10000,), "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"
)
FILES: tuple[IdxFile, ...] = (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)

# One fingerprint of the whole dataset, recorded in model cards.
DATASET_CHECKSUM = hashlib.sha256("".join(f.sha256 for f in FILES).encode()).hexdigest()[:16]

# The official mirrors, tried in order: Zalando's own, then the copy Keras downloads from.
MIRRORS: tuple[str, ...] = (
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
)

_IDX_DTYPE_UBYTE = 0x08
_MAX_DECOMPRESSED = 64 * 1024 * 1024  # the largest file is 47 MB; refuse gzip bombs


@dataclass(frozen=True)
class FashionMNIST:
    """The dataset as uint8 arrays (images N×28×28, labels N) and where it was read from."""

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    source: Path

    def subset(self, n_train: int | None = None, n_test: int | None = None) -> "FashionMNIST":
        """The first n images of each split: the dataset's own order is already class-balanced enough."""
        return FashionMNIST(
            self.train_images[:n_train],
            self.train_labels[:n_train],
            self.test_images[:n_test],
            self.test_labels[:n_test],
            self.source,
        )


def read_idx(path: Path, expected_shape: tuple[int, ...] | None = None, sha256: str | None = None) -> np.ndarray:
    """Read one gzip-compressed IDX file of unsigned bytes, checking its header, length and checksum."""
    path = Path(path)
    try:
        with gzip.open(path, "rb") as stream:
            raw = stream.read(_MAX_DECOMPRESSED + 1)
    except FileNotFoundError:
        raise DatasetError("{path}: file not found", path=path) from None
    except IsADirectoryError:
        raise DatasetError("{path}: is a folder, not an IDX .gz file", path=path) from None
    except PermissionError:
        raise DatasetError("{path}: permission denied", path=path) from None
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise DatasetError("{path}: not a valid gzip file ({reason})", path=path, reason=exc) from None
    except EOFError:
        raise DatasetError("{path}: the file is truncated (the gzip stream ends early)", path=path) from None
    if len(raw) > _MAX_DECOMPRESSED:
        raise DatasetError("{path}: decompresses to more than {limit} MiB; not Fashion-MNIST", path=path,
                           limit=_MAX_DECOMPRESSED // 2**20)
    if len(raw) < 4:
        raise DatasetError("{path}: too short to be an IDX file ({size} bytes)", path=path, size=len(raw))
    zero, dtype_code, ndim = int.from_bytes(raw[0:2], "big"), raw[2], raw[3]
    if zero != 0 or dtype_code != _IDX_DTYPE_UBYTE or ndim not in (1, 3):
        raise DatasetError(
            "{path}: wrong magic number 0x{magic} (expected 0x00000801 for labels or 0x00000803 for images)",
            path=path, magic=raw[:4].hex(),
        )
    header_len = 4 + 4 * ndim
    if len(raw) < header_len:
        raise DatasetError("{path}: the header is truncated", path=path)
    dims = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    if expected_shape is not None and dims != expected_shape:
        raise DatasetError("{path}: declares shape {dims}, expected {expected}", path=path, dims=dims,
                           expected=expected_shape)
    expected_len = header_len + int(np.prod(dims, dtype=np.int64))
    if len(raw) != expected_len:
        raise DatasetError(
            "{path}: the data is truncated ({size} bytes of data for shape {dims})" if len(raw) < expected_len
            else "{path}: the data is longer than its header says ({size} bytes of data for shape {dims})",
            path=path, size=len(raw) - header_len, dims=dims,
        )
    if sha256 is not None and hashlib.sha256(raw).hexdigest() != sha256:
        raise DatasetError("{path}: the content does not match Fashion-MNIST (checksum differs); the file is corrupt",
                           path=path)
    return np.frombuffer(raw, dtype=np.uint8, offset=header_len).reshape(dims)


def read_dir(directory: Path, verify: bool = True) -> FashionMNIST:
    """Read and check the four files in one folder."""
    directory = Path(directory)
    arrays = [
        read_idx(directory / f.name, f.shape, f.sha256 if verify else None)
        for f in FILES
    ]
    return FashionMNIST(*arrays, source=directory)


def keras_cache_dir() -> Path:
    """Where `keras.datasets.fashion_mnist` keeps its download (honours KERAS_HOME like Keras does)."""
    home = os.environ.get("KERAS_HOME") or str(Path.home() / ".keras")
    return Path(home) / "datasets" / "fashion-mnist"


def candidate_dirs(data_dir: Path | str | None = None) -> list[tuple[str, Path]]:
    """The places looked in, in order: the explicit folder, $VAE_EXPLORER_DATA, Keras' cache, Debian's package."""
    places: list[tuple[str, Path]] = []
    if data_dir is not None:
        places.append(("--data-dir", Path(data_dir).expanduser()))
    if os.environ.get(DATA_ENV_VAR):
        places.append((f"${DATA_ENV_VAR}", Path(os.environ[DATA_ENV_VAR]).expanduser()))
    places.append((Text("Keras cache"), keras_cache_dir()))
    places.append((Text("Debian package dataset-fashion-mnist"), DEBIAN_DIR))
    return places


def _has_all_files(directory: Path) -> bool:
    return all((directory / f.name).is_file() for f in FILES)


def find_data_dir(data_dir: Path | str | None = None) -> Path | None:
    """The first folder that holds all four files, or None."""
    explicit = [p for label, p in candidate_dirs(data_dir) if label.startswith(("--", "$"))]
    for directory in explicit:
        if not _has_all_files(directory):
            missing = [f.name for f in FILES if not (directory / f.name).is_file()]
            raise DatasetError("the folder {folder} was given for Fashion-MNIST but lacks {missing}",
                               folder=directory, missing=", ".join(missing))
    for _, directory in candidate_dirs(data_dir):
        if _has_all_files(directory):
            return directory
    return None


def download(target: Path | None = None, timeout: float = 30.0) -> Path:
    """Fetch the four files from the official mirrors into Keras' cache, checking each before keeping it."""
    target = Path(target) if target is not None else keras_cache_dir()
    target.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    for idx_file in FILES:
        if (target / idx_file.name).is_file():
            continue
        for mirror in MIRRORS:
            try:
                _download_one(mirror + idx_file.name, target, idx_file, timeout)
                break
            except (urllib.error.URLError, OSError, DatasetError) as exc:
                errors.append(f"{mirror}{idx_file.name}: {exc}")
        else:
            raise DatasetError("could not download Fashion-MNIST:\n  {errors}", errors="\n  ".join(errors))
    return target


def _download_one(url: str, target_dir: Path, idx_file: IdxFile, timeout: float) -> None:
    target = target_dir / idx_file.name
    fd, tmp_name = tempfile.mkstemp(prefix=f".{idx_file.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as response:
            shutil.copyfileobj(response, out)
        read_idx(Path(tmp_name), idx_file.shape, idx_file.sha256)  # verify before it becomes visible
        os.replace(tmp_name, target)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


def missing_data_message(data_dir: Path | str | None = None) -> Text:
    looked = Lines(Text("  - {place}: {path}", place=label, path=path) for label, path in candidate_dirs(data_dir))
    return Text(
        "Fashion-MNIST was not found. Looked in:\n"
        "{looked}\n"
        "Get it in one of three ways:\n"
        "  1. sudo apt-get install dataset-fashion-mnist   (Debian/Ubuntu; installs to {debian})\n"
        "  2. put the four .gz files in a folder and pass --data-dir FOLDER or set {variable}=FOLDER\n"
        "  3. connect to the internet: the files are then downloaded from the official mirrors into {cache}",
        looked=looked, debian=DEBIAN_DIR, variable=DATA_ENV_VAR, cache=keras_cache_dir(),
    )


def load_fashion_mnist(data_dir: Path | str | None = None, allow_download: bool = True) -> FashionMNIST:
    """Find, read and verify Fashion-MNIST, downloading it only when no local copy exists."""
    directory = find_data_dir(data_dir)
    if directory is None:
        if not allow_download:
            raise DatasetError(missing_data_message(data_dir))
        try:
            directory = download()
        except DatasetError as exc:
            raise DatasetError("{missing}\n(download failed: {reason})", missing=missing_data_message(data_dir),
                               reason=exc.text) from None
    return read_dir(directory)
