"""Decode latency through the Python API, against a reference in the same run.

    .venv/bin/python benchmarks/decode_latency.py [--model PATH] [--repeats 2000]

Prints p50/p99 of one-point decodes (the latent plane's path), of a 16x16 grid decode, the same two
drawn with Explore's *Sharpen* (`images.sharpen`, K = 2) and, as the reference measured in the same run,
the cost of calling a trivial compiled TensorFlow function (the floor any compiled call pays on this
machine) and of `model.predict` on one point.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np


def timed(fn, repeats: int) -> np.ndarray:
    for _ in range(20):
        fn()
    out = np.empty(repeats)
    for i in range(repeats):
        start = time.perf_counter()
        fn()
        out[i] = time.perf_counter() - start
    return out * 1000.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=None)
    parser.add_argument("--repeats", type=int, default=2000)
    args = parser.parse_args()
    import tensorflow as tf

    import vae_explorer
    from vae_explorer.ml.images import sharpen

    vae = vae_explorer.load_model(args.model)
    rng = np.random.default_rng(0)
    points = rng.normal(size=(args.repeats + 20, vae.latent_dim)).astype(np.float32)
    it = iter(range(10**9))
    one = timed(lambda: vae.decode_point(points[next(it) % len(points)]), args.repeats)
    grid_z = vae.sample_latents(256, seed=0)
    grid = timed(lambda: vae.decode(grid_z), max(50, args.repeats // 20))
    one_sharp = timed(lambda: sharpen(vae.decode_point(points[next(it) % len(points)]), 2.0), args.repeats)
    grid_sharp = timed(lambda: sharpen(vae.decode(grid_z), 2.0), max(50, args.repeats // 20))
    trivial_fn = tf.function(lambda z: tf.sigmoid(z), input_signature=[tf.TensorSpec([1, vae.latent_dim], tf.float32)])
    trivial = timed(lambda: trivial_fn(points[:1]).numpy(), args.repeats)
    predict = timed(lambda: vae.model.decoder.predict(points[:1], verbose=0), 100)
    print(f"machine: {platform.node()} {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')}, model {vae.path.name}")
    rows = [
        ("decode one point (API, XLA)", one),
        ("decode 16x16 grid (API)", grid),
        ("the same point, drawn with Sharpen (K = 2)", one_sharp),
        ("the same grid, drawn with Sharpen (K = 2)", grid_sharp),
        ("reference: trivial tf.function call", trivial),
        ("reference: decoder.predict on one point", predict),
    ]
    for name, ms in rows:
        print(f"{name:42s} p50 {np.median(ms):7.3f} ms   p99 {np.percentile(ms, 99):7.3f} ms   n={len(ms)}")
    print(f"one-point decode / trivial call: {np.median(one) / np.median(trivial):.2f}x;  "
          f"predict / one-point decode: {np.median(predict) / np.median(one):.1f}x;  "
          f"Sharpen: point {np.median(one_sharp) / np.median(one):.2f}x, grid {np.median(grid_sharp) / np.median(grid):.2f}x")


if __name__ == "__main__":
    main()
