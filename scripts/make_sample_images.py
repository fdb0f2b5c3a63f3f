"""Write the sample images in resources/sample-images/ (run once; the files are committed).

Photos-like garments made from Fashion-MNIST test images (dark on white, upscaled, some in colour,
as PNG and JPEG), one with a transparent background, and two things that are not garments (a digit
and a checkerboard) to show the anomaly score at work.

    .venv/bin/python scripts/make_sample_images.py
"""


import numpy as np
from PIL import Image, ImageDraw, ImageFont

from vae_explorer.config import CLASS_NAMES, RESOURCES_DIR
from vae_explorer.ml.data import load_fashion_mnist

OUT = RESOURCES_DIR / "sample-images"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    data = load_fashion_mnist()
    picks = {0: ("png", None), 1: ("jpg", (40, 70, 160)), 5: ("png", None), 7: ("jpg", (170, 40, 40)), 8: ("png", (120, 80, 30))}
    for label, (ext, tint) in picks.items():
        index = int(np.flatnonzero(data.test_labels == label)[3])
        big = np.asarray(Image.fromarray(data.test_images[index]).resize((224, 224), Image.Resampling.BICUBIC)) / 255.0
        colour = np.array(tint or (30, 30, 30), np.float64)
        rgb = (1 - big[..., None]) * 255.0 + big[..., None] * colour  # garment in colour on white
        name = CLASS_NAMES[label].lower().replace("/", "-").replace(" ", "-")
        image = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")
        image.save(OUT / f"{name}.{ext}", **({"quality": 90} if ext == "jpg" else {}))
    # a garment on a transparent background
    index = int(np.flatnonzero(data.test_labels == 3)[0])
    alpha = Image.fromarray(data.test_images[index]).resize((160, 160), Image.Resampling.BICUBIC)
    rgba = Image.new("RGBA", alpha.size, (200, 30, 90, 0))
    rgba.putalpha(alpha)
    rgba.save(OUT / "dress-transparent.png")
    # not garments
    digit = Image.new("L", (200, 200), 255)
    draw = ImageDraw.Draw(digit)
    draw.text((55, 10), "7", fill=0, font=ImageFont.load_default(size=180))
    digit.save(OUT / "not-a-garment-digit.png")
    board = (np.indices((8, 8)).sum(axis=0) % 2 * 255).astype(np.uint8)
    Image.fromarray(board).resize((160, 160), Image.Resampling.NEAREST).save(OUT / "not-a-garment-checkerboard.png")
    for path in sorted(OUT.iterdir()):
        print(path.relative_to(RESOURCES_DIR.parent), path.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
