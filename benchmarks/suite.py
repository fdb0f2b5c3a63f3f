"""The benchmark suite: every figure the performance issue asks for, in one command, with references.

    .venv/bin/python benchmarks/suite.py --quick     # about 2-3 minutes (119-183 s measured): everyday use
    .venv/bin/python benchmarks/suite.py             # about 11-21 minutes on 2 cores (677-1,233 s measured)

1. training throughput, same architecture: our trainer (as the app runs it: bfloat16 where the CPU
   has it, and again in float32) vs the keras-io CVAE with `model.fit` (benchmarks/training_reference.py),
   run alternately in fresh processes; medians of the epochs after the first (which traces);
   images per second of training (validation excluded). Also against the reference with tf.data's
   autotuning off (its cause of half-speed epochs on some machines; see training_reference.py).
2. time-to-quality (full mode only): the reference trains 10 epochs on all 60,000 images; its
   test total_loss after epoch 10 is the bar; our default model and schedule then train until the
   test total_loss reaches it and the issue's fixed 266.7. Ratio of wall times since the model was
   built (training + per-epoch scoring of the 10,000 test images, both sides).
3. decode latency through the Python API (benchmarks/decode_latency.py).
4. GUI event-loop stall while training (benchmarks/gui_stall.py).
5. app start to window shown and to model ready (benchmarks/startup.py).
6. peak memory (RSS) of the training processes of 1 and 2.
7. our training rate of 1 as a fraction of this CPU's peak FLOP/s (benchmarks/flops.py).
Every child's own output is printed too; the summary comes last.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from vae_explorer.hardware import cpu_info

HERE = Path(__file__).resolve().parent
ISSUE_BAR = 266.7  # the keras-io CVAE's test total_loss after 10 epochs, as measured in the performance issue
PY = sys.executable


def child(script: str, *args: str, env: dict | None = None, timeout: int = 1800) -> str:
    out = subprocess.run([PY, str(HERE / script), *args], capture_output=True, text=True, timeout=timeout,
                         env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", **(env or {})})
    if out.returncode != 0:
        raise SystemExit(f"{script} failed:\n{out.stderr[-3000:]}")
    return out.stdout


def training(which: str, *args: str) -> dict:
    return json.loads(child("training_reference.py", "--which", which, *args).strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller runs, no time-to-quality (~2 minutes)")
    args = parser.parse_args()
    began = time.perf_counter()
    quick = args.quick
    summary: list[str] = []
    rss: list[float] = []

    # 1. throughput, same architecture, alternating
    limit = "6000" if quick else "30000"
    epochs = "2" if quick else "3"
    rounds = 2 if quick else 3
    variants = {"reference": ("reference",), "ours": ("ours-same",), "ours float32": ("ours-same", "--precision", "float32")}
    if not quick:  # (quick mode stays under 3 minutes)
        variants["reference, autotuning off"] = ("reference-no-autotune",)
    rates: dict[str, list[float]] = {name: [] for name in variants}
    precision = "?"
    for _ in range(rounds):
        for name, which in variants.items():
            run = training(*which, "--epochs", epochs, "--limit", limit, "--validation-limit", "1000")
            rss.append(run["peak_rss_mib"])
            rates[name] += [int(limit) / e["train_s"] for e in run["epochs"][1:]]
            if name == "ours":
                precision = run["precision"]
    ref, ours, ours32 = (statistics.median(rates[name]) for name in ("reference", "ours", "ours float32"))
    fixed = ""
    if "reference, autotuning off" in rates:
        ref_fixed = statistics.median(rates["reference, autotuning off"])
        fixed = (f"; against the reference with tf.data autotuning off ({ref_fixed:,.0f} img/s): ours "
                 f"{ours / ref_fixed:.2f}x, float32 {ours32 / ref_fixed:.2f}x")
    summary.append(f"1. training throughput, keras-io architecture, {limit} images, {rounds} alternating rounds: "
                   f"ours ({precision}, the app's default here) {ours:,.0f} img/s, reference {ref:,.0f} img/s -> "
                   f"{ours / ref:.2f}x (target >= 1.5x); ours in float32 {ours32:,.0f} img/s -> {ours32 / ref:.2f}x"
                   + fixed
                   + "".join(f"\n   {name} per epoch: " + ", ".join(f"{r:,.0f}" for r in rates[name]) for name in variants))

    # 2. time-to-quality
    if not quick:
        reference = training("reference", "--epochs", "10")
        bar = reference["epochs"][-1]["val_total_loss"]
        ref_time = reference["epochs"][-1]["elapsed_s"]
        rss.append(reference["peak_rss_mib"])
        # The bar recomputed in this run, and the issue's fixed 266.7 (the reference's value varies
        # with its random initialisation: 298.6 in one run here): ours trains until it has both.
        bars = {"this run's reference": bar, "fixed": ISSUE_BAR}
        ours_run = training("ours-default", "--epochs", "50", "--stop-at", f"{min(bars.values()):.4f}")
        rss.append(ours_run["peak_rss_mib"])
        parts = []
        for name, value in bars.items():
            reached = next((e for e in ours_run["epochs"] if e["val_total_loss"] <= value), None)
            parts.append(f"to {name} {value:.2f}: " + (
                f"epoch {reached['epoch']}, {reached['elapsed_s']:.0f} s -> {reached['elapsed_s'] / ref_time:.2f}x"
                if reached else "not reached in 50 epochs"))
        summary.append(f"2. time-to-quality (target <= 0.25x): reference 10 epochs -> test total_loss {bar:.2f} "
                       f"in {ref_time:.0f} s; ours (default model and schedule) " + "; ".join(parts))
    else:
        summary.append("2. time-to-quality: full mode only")

    # 3. decode latency
    text = child("decode_latency.py", "--repeats", "500" if quick else "2000")
    print(text)
    one = re.search(r"decode one point.*?p50\s+([\d.]+) ms\s+p99\s+([\d.]+)", text)
    grid = re.search(r"decode 16x16 grid.*?p50\s+([\d.]+) ms\s+p99\s+([\d.]+)", text)
    summary.append(f"3. decode: one point p50 {one[1]} ms, p99 {one[2]} ms (targets <= 1 / <= 3 ms); "
                   f"16x16 grid p50 {grid[1]} ms (target <= 30 ms)")

    # 4. GUI stall
    text = child("gui_stall.py", "--seconds", "20" if quick else "60", env={"QT_QPA_PLATFORM": "offscreen"})
    print(text)
    steady = re.search(r"training\s+gaps.*?median\s+([\d.]+) ms\s+p99\s+([\d.]+) ms\s+max\s+([\d.]+)", text)
    summary.append(f"4. GUI stall while training: median {steady[1]} ms, p99 {steady[2]} ms, "
                   f"max {steady[3]} ms (target max <= 50 ms)")

    # 5. start-up
    text = child("startup.py", "--runs", "2" if quick else "5", env={"QT_QPA_PLATFORM": "offscreen"})
    print(text)
    shown = re.search(r"window shown: ([\d.]+) s", text)
    ready = re.search(r"model ready:\s+([\d.]+) s", text)
    stall = re.search(r"while the model loads.*?median ([\d.]+) ms", text)
    summary.append(f"5. start-up: window shown {shown[1]} s (target <= 1.5 s), model ready {ready[1]} s (target <= 5 s); "
                   f"longest event-loop gap while the model loads {stall[1]} ms (after the first paint)")

    # 6. memory
    summary.append(f"6. peak RSS of the training processes: max {max(rss):,.0f} MiB")

    # 7. against the CPU's limit
    text = child("flops.py", "--images-per-second", f"{ours:.0f}")
    summary.append("7. compute: " + "\n   ".join(text.strip().splitlines()))

    print(f"\nVAE Explorer benchmark suite, {'quick' if quick else 'full'} mode, {time.strftime('%Y-%m-%d %H:%M')}, "
          f"{platform.node()}, {os.cpu_count()} CPUs ({cpu_info().get('model name', '?')}), {time.perf_counter() - began:.0f} s")
    for line in summary:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
