"""How far from this CPU's limit is training? FLOPs per training image against the CPU's peak.

    .venv/bin/python benchmarks/flops.py [--images-per-second N] [--which same|default]

FLOPs: counted from the real Keras model's layers (multiply-adds of every Conv2D,
Conv2DTranspose and Dense kernel, x2), forward pass; a training step is taken as 3x the forward
pass (forward, gradients with respect to inputs, gradients with respect to weights). Element-wise
work (activations, the loss, Adam) is left out: it is small next to the convolutions here.

Peak: cores x clock (the "cpu MHz" of /proc/cpuinfo) x FLOPs per cycle and core. Intel (Xeon
Sapphire Rapids and later, two 512-bit FMA units per core): float32 64 FLOP/cycle; AVX-512 BF16
(VDPBF16PS) 128 FLOP/cycle; AMX-BF16 (one tile unit, 1,024 bf16 multiply-adds) 2,048 FLOP/cycle.
AMD (Zen 4 EPYC, AVX-512 executed on two 256-bit FMA pipes): float32 32 FLOP/cycle, AVX-512 BF16
64 FLOP/cycle. The machines this project runs on have been of both kinds (same "2 cores", other CPU).
These are datasheet ceilings; memory, small matrices and framework overhead keep real code far
below them, so read the fractions as orders of magnitude.
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def forward_flops(model) -> int:
    """2 x multiply-adds of the convolution and dense kernels, one image."""
    total = 0
    for part in (model.encoder, model.decoder):
        for layer in part.layers:
            kind = type(layer).__name__
            if kind not in ("Conv2D", "Conv2DTranspose", "Dense"):
                continue
            kernel = 1
            for d in layer.kernel.shape:
                kernel *= int(d)
            if kind == "Conv2D":  # every output position applies the whole kernel
                _, h, w, _ = layer.output.shape
            elif kind == "Conv2DTranspose":  # every input position is scattered through it
                _, h, w, _ = layer.input.shape
            else:
                h = w = 1
            total += 2 * kernel * int(h) * int(w)
    return total


def cpu_peaks() -> dict[str, float]:
    """FLOP/s ceilings of this machine's cores, by arithmetic (see the module text)."""
    from vae_explorer.hardware import cpu_flags, cpu_info

    flags = cpu_flags()
    per_core = os.cpu_count() * float(cpu_info().get("cpu MHz", 0)) * 1e6
    if "avx512f" not in flags:  # two 256-bit FMA units: 32 FLOP/cycle either way
        return {"float32 AVX2 FMA": per_core * 32}
    # AMD Zen 4 runs 512-bit instructions on 256-bit pipes: half Intel's FLOPs per cycle.
    width = 1 if cpu_info().get("vendor_id") == "GenuineIntel" else 0.5
    peaks = {"float32 AVX-512 FMA": per_core * 64 * width}
    if "avx512_bf16" in flags:
        peaks["bf16 AVX-512"] = per_core * 128 * width
    if "amx_bf16" in flags:
        peaks["bf16 AMX"] = per_core * 2048
    return peaks


def model_for(which: str):
    from training_reference import keras_io_architecture  # a sibling script: its folder is on sys.path
    from vae_explorer.config import ModelConfig
    from vae_explorer.ml.model import build_cvae

    return build_cvae(keras_io_architecture() if which == "same" else ModelConfig())


def report(images_per_second: float | None, which: str = "same") -> list[str]:
    forward = forward_flops(model_for(which))
    train = 3 * forward
    lines = [f"{which} model: {forward / 1e6:.1f} MFLOP forward, ~{train / 1e6:.1f} MFLOP per training image"]
    for name, peak in cpu_peaks().items():
        line = f"  {name} peak {peak / 1e9:,.0f} GFLOP/s = {peak / train:,.0f} training images/s at most"
        if images_per_second:
            line += f"; {images_per_second:,.0f} img/s is {100 * images_per_second * train / peak:.1f}% of it"
        lines.append(line)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images-per-second", type=float, default=None, help="a measured training rate to place")
    parser.add_argument("--which", choices=("same", "default"), default="same",
                        help="same: the keras-io architecture; default: the app's model")
    args = parser.parse_args()
    print("\n".join(report(args.images_per_second, args.which)))


if __name__ == "__main__":
    main()
