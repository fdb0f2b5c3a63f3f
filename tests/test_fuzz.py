"""Malformed images, generated: every one ends in a 28x28 input or in an ImageError, never a crash,
through the preprocessing and through the explorer's drop handler (with 500 files at once too)."""

import io

import numpy as np
import pytest
from PIL import Image

from tests.test_explorer import _drop, explorer  # noqa: F401  (the fixture)
from vae_explorer.errors import ImageError
from vae_explorer.ml.images import image_file_to_input

N_MALFORMED = 60
FORMATS = [("png", "L"), ("png", "RGBA"), ("png", "P"), ("png", "I;16"), ("jpeg", "RGB"), ("gif", "P"),
           ("bmp", "RGB"), ("webp", "RGB"), ("tiff", "L")]


def _encoded(fmt: str, mode: str, rng) -> bytes:
    pixels = rng.integers(0, 256, (40, 30, 3), np.uint8)
    image = Image.fromarray(pixels, "RGB")
    image = image.convert("L").convert("I;16") if mode == "I;16" else image.convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt.upper())
    return buffer.getvalue()


def _mutate(data: bytes, kind: int, rng) -> bytes:
    data = bytearray(data)
    if kind == 0:  # truncated anywhere
        return bytes(data[: int(rng.integers(1, len(data)))])
    if kind == 1:  # random bytes flipped
        for i in rng.integers(0, len(data), int(rng.integers(1, 40))):
            data[i] = int(rng.integers(0, 256))
        return bytes(data)
    if kind == 2:  # the header scrambled
        for i in range(min(32, len(data))):
            if rng.random() < 0.3:
                data[i] = int(rng.integers(0, 256))
        return bytes(data)
    if kind == 3:  # a run zeroed
        start, n = int(rng.integers(0, len(data))), int(rng.integers(1, 200))
        data[start : start + n] = bytes(len(data[start : start + n]))
        return bytes(data)
    # a valid header followed by noise
    return bytes(data[:24]) + rng.integers(0, 256, int(rng.integers(0, 4000)), np.uint8).tobytes()


@pytest.fixture
def malformed(tmp_path):
    rng = np.random.default_rng(20261124)
    paths = []
    for i in range(N_MALFORMED):
        fmt, mode = FORMATS[i % len(FORMATS)]
        path = tmp_path / f"fuzz-{i:02d}.{fmt}"
        path.write_bytes(_mutate(_encoded(fmt, mode, rng), i % 5, rng))
        paths.append(path)
    return paths


def test_preprocessing_gives_an_input_or_an_image_error(malformed):
    outcomes = {"input": 0, "error": 0}
    for path in malformed:
        try:
            x = image_file_to_input(path)
        except ImageError as exc:
            assert path.name in str(exc) and exc.reason
            outcomes["error"] += 1
        else:
            assert x.shape == (28, 28) and x.dtype == np.uint8
            outcomes["input"] += 1
    assert sum(outcomes.values()) == N_MALFORMED
    assert outcomes["error"] >= N_MALFORMED // 3, outcomes  # the mutations do break most files


def test_the_drop_handler_reports_every_malformed_file(explorer, qtbot, malformed):  # noqa: F811
    ex = explorer
    assert _drop(ex, malformed)
    qtbot.waitUntil(lambda: "Reading" not in ex.drop_message.text(), timeout=60000)
    assert len(ex.results) + len(ex.last_errors) == N_MALFORMED
    assert all(line.startswith("fuzz-") for line in ex.last_errors)


def test_five_hundred_files_at_once(explorer, qtbot, tmp_path, fashion):  # noqa: F811
    ex = explorer
    paths = []
    for i in range(500):
        path = tmp_path / f"many-{i:03d}.png"
        Image.fromarray(fashion.test_images[i]).save(path)
        paths.append(path)
    assert _drop(ex, paths)
    qtbot.waitUntil(lambda: len(ex.results) == 500, timeout=120000)
    assert ex.table.rowCount() == 500 and not ex.last_errors
    assert ex.marks.data["x"].size == 500
