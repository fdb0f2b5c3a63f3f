import os

import numpy as np
import pytest
from PIL import Image

from vae_explorer.errors import ImageError
from vae_explorer.ml.analysis import read_sources
from vae_explorer.ml.images import image_file_to_input, preprocess_image, read_user_image, tile


def garment_on(background: int, size=(120, 80), garment: int | None = None) -> np.ndarray:
    """A 'garment' rectangle off-centre on a plain background."""
    garment = 255 - background if garment is None else garment
    img = np.full(size, background, np.uint8)
    img[10:70, 5:45] = garment
    return img


def test_dark_background_kept_and_light_background_inverted():
    a = preprocess_image(garment_on(0))
    b = preprocess_image(garment_on(255))
    assert a.shape == (28, 28) and a.dtype == np.uint8
    np.testing.assert_array_equal(a, b)
    assert a.max() == 255 and a[0, 0] == 0


def test_garment_is_centred_and_longer_side_fills_28():
    out = preprocess_image(garment_on(0))
    rows = np.flatnonzero(out.max(axis=1) > 64)
    cols = np.flatnonzero(out.max(axis=0) > 64)
    assert rows[0] <= 1 and rows[-1] >= 26  # the 60-pixel-tall garment spans the height
    centre = (cols[0] + cols[-1]) / 2
    assert abs(centre - 13.5) <= 1


def _save(tmp_path, name, image, **kwargs):
    path = tmp_path / name
    image.save(path, **kwargs)
    return path


@pytest.mark.parametrize(
    "name, make",
    [
        ("rgb.jpg", lambda: Image.fromarray(np.stack([garment_on(255)] * 3, axis=2))),
        ("rgba.png", lambda: Image.fromarray(np.dstack([garment_on(0, garment=40)] * 3 + [garment_on(0)]))),
        ("grey16.png", lambda: Image.fromarray(garment_on(0).astype(np.uint16) * 257)),
        ("cmyk.jpg", lambda: Image.fromarray(np.stack([garment_on(255)] * 3, axis=2)).convert("CMYK")),
        ("palette.gif", lambda: Image.fromarray(garment_on(0)).convert("P")),
        ("image.bmp", lambda: Image.fromarray(garment_on(0))),
        ("image.webp", lambda: Image.fromarray(garment_on(0))),
        ("image.tiff", lambda: Image.fromarray(garment_on(0))),
        ("thin.png", lambda: Image.fromarray(np.linspace(0, 255, 10000).astype(np.uint8).reshape(10000, 1))),
    ],
)
def test_common_formats_become_a_28x28_input(tmp_path, name, make):
    out = image_file_to_input(_save(tmp_path, name, make()))
    assert out.shape == (28, 28) and out.dtype == np.uint8 and out.max() > 0


@pytest.mark.parametrize(
    "name, make",
    [
        ("one.png", lambda: Image.new("L", (1, 1), 200)),
        ("thin.png", lambda: Image.new("L", (1, 10000), 30)),
        ("black.png", lambda: Image.new("L", (50, 50), 0)),
        ("white.jpg", lambda: Image.new("RGB", (50, 50), (255, 255, 255))),
        ("transparent.png", lambda: Image.new("RGBA", (50, 50), (0, 0, 0, 0))),
        ("grey16.tiff", lambda: Image.new("I;16", (30, 30), 1000)),
    ],
)
def test_a_picture_of_one_flat_colour_is_refused_not_scored_as_typical(tmp_path, name, make):
    """Nine such files came back from `reconstruct` as one and the same blank input, each 'anomaly
    percentile 0.0': a VAE finds an empty input likely, which says nothing of garments."""
    path = _save(tmp_path, name, make())
    for read in (image_file_to_input, read_user_image):
        with pytest.raises(ImageError, match="one flat colour: there is no garment in it") as err:
            read(path)
        assert name in str(err.value)
    read, errors = read_sources([(name, path), ("shirt.png", _save(tmp_path, "shirt.png", Image.fromarray(garment_on(0)))),
                                 ("pasted image", np.full((40, 40, 4), 255, np.uint8))])
    assert [r[0] for r in read] == ["shirt.png"], "the other pictures are read"
    assert errors == [f"{name}: the picture is one flat colour: there is no garment in it",
                      "pasted image: the picture is one flat colour: there is no garment in it"]


def test_alpha_garment_is_bright_on_black(tmp_path):
    rgba = np.zeros((80, 80, 4), np.uint8)
    rgba[10:70, 30:50] = (30, 30, 30, 255)  # a tall dark garment on transparency
    out = image_file_to_input(_save(tmp_path, "a.png", Image.fromarray(rgba)))
    assert out[14, 14] > 200 and out[14, 0] == 0


def test_animated_gif_uses_first_frame(tmp_path):
    frames = [Image.fromarray(garment_on(0)), Image.new("L", (80, 120), 0)]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    assert image_file_to_input(path).max() > 0


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda p: p.write_bytes(b""), "empty"),
        (lambda p: p.write_text("hello, I am text"), "not an image"),
        (lambda p: p.write_bytes(os.urandom(3000)), "not an image"),
        (lambda p: p.mkdir(), "folder"),
        (lambda p: p.symlink_to(p.parent / "nowhere.png"), "broken symbolic link"),
    ],
)
def test_bad_files_give_a_clear_error(tmp_path, make, reason):
    path = tmp_path / "bad.png"
    make(path)
    with pytest.raises(ImageError, match=reason) as err:
        image_file_to_input(path)
    assert "bad.png" in str(err.value)


def test_truncated_png_and_jpeg(tmp_path):
    for name in ("t.png", "t.jpg"):
        full = _save(tmp_path, "full" + name, Image.fromarray(np.random.default_rng(0).integers(0, 255, (300, 300), np.uint8)))
        cut = tmp_path / name
        cut.write_bytes(full.read_bytes()[: full.stat().st_size // 3])
        with pytest.raises(ImageError, match="corrupt or truncated"):
            image_file_to_input(cut)


def test_huge_image_is_refused_without_decoding(tmp_path):
    path = _save(tmp_path, "huge.png", Image.new("1", (20000, 20000)))
    with pytest.raises(ImageError, match="too large"):
        image_file_to_input(path)


def test_unreadable_file(tmp_path, monkeypatch):
    path = _save(tmp_path, "locked.png", Image.new("L", (10, 10)))
    path.chmod(0)
    if os.geteuid() == 0:  # root reads any file: make opening fail the way it does for a user
        def denied(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(Image, "open", denied)
    with pytest.raises(ImageError, match="permission denied"):
        image_file_to_input(path)


def test_non_ascii_and_long_names(tmp_path):
    path = _save(tmp_path, "Kleid-ドレス-" + "x" * 180 + ".png", Image.fromarray(garment_on(0)))
    assert image_file_to_input(path).max() == 255


def test_tile_makes_one_mosaic():
    images = np.arange(6 * 2 * 2).reshape(6, 2, 2)
    mosaic = tile(images, 3)
    assert mosaic.shape == (4, 6)
    np.testing.assert_array_equal(mosaic[2:4, 0:2], images[3])


def test_sharpen_steepens_pixels_towards_their_likelier_value():
    from vae_explorer.ml.images import sharpen

    p = np.array([[0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0]], np.float32)
    np.testing.assert_allclose(sharpen(p, 1), p, atol=1e-6)
    two = sharpen(p, 2)
    np.testing.assert_allclose(two, p**2 / (p**2 + (1 - p) ** 2), atol=1e-6)  # sigmoid(2 logit p)
    assert np.all(np.diff(two) > 0) and two[0, 3] == pytest.approx(0.5)
    np.testing.assert_allclose(sharpen(p, 1000), [[0, 0, 0, 0.5, 1, 1, 1]], atol=1e-6)  # the per-pixel mode
    np.testing.assert_allclose(sharpen(two, 0.5), p, atol=1e-5)  # 1/K undoes K
    for bad in (0, -1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="sharpening"):
            sharpen(p, bad)


def test_a_folder_stands_for_the_image_files_directly_in_it(tmp_path):
    from vae_explorer.ml.analysis import open_folders

    folder = tmp_path / "photos"
    (folder / "inner").mkdir(parents=True)
    for name in ("b.PNG", "a.jpeg", "inner/c.png", "c.txt"):
        (folder / name).write_bytes(b"x")
    (tmp_path / "empty").mkdir()
    pasted = np.zeros((4, 4, 4), np.uint8)
    opened, errors = open_folders([("photos", folder), ("one.png", tmp_path / "one.png"), ("empty", tmp_path / "empty"),
                                   ("pasted image", pasted)])
    assert [(name, source) for name, source in opened[:3]] == [
        ("photos/a.jpeg", folder / "a.jpeg"), ("photos/b.PNG", folder / "b.PNG"), ("one.png", tmp_path / "one.png")]
    assert opened[3][1] is pasted and len(opened) == 4, "files and pixels pass as they are"
    assert errors == ["empty: no image files in this folder (PNG, JPEG, GIF, BMP, WebP, TIFF)"]


def test_past_the_most_files_read_at_once_the_rest_are_left_out_with_a_message(tmp_path):
    from vae_explorer.ml.analysis import read_sources

    folder = tmp_path / "photos"
    folder.mkdir()
    for k in range(3):
        Image.fromarray(garment_on(0)).save(folder / f"{k}.png")
    read, errors = read_sources([("photos", folder), ("pasted image", np.dstack([garment_on(0)] * 3 + [garment_on(0)]))],
                                most=2)
    assert [name for name, _, _ in read] == ["photos/0.png", "photos/1.png"], "a folder's files count one by one"
    assert errors == ["2 more files left out (at most 2 at a time)"]
