"""A class-conditional model, measured: likelihood, classification, class swaps, style-not-class, latency.

    .venv/bin/python benchmarks/conditional.py --model models/cvae-fashion-conditional-latent2.keras \
        [--reference models/cvae-fashion-latent2.keras] [--figure docs/images/class-swap-failures.png]
        [--refine-images N] [--json PATH] [--record-in-card]

- test -ELBO given the true label and the label-free bound -log sum_y p(y) exp(-ELBO(x, y)) (means with a
  noise draw per image), and the generative-classifier accuracy (one draw shared, as the app classifies an
  image), on the 10,000 test images; --bounds-only measures the two bounds alone and, with
  --record-in-card, puts them into the card's figures (metrics.test and metrics.conditional_benchmark);
  with --refine-images N, the -ELBO given the label with each image's q refined (`VAE.refine`), a
  tighter bound on -log p(x|y), on the first N; with --refine-classify N, the classifier's accuracy by
  that refined bound under every class, on the first N;
- class-swap success: three independent CNN judges (seeds 0-2, trained here on the training set alone,
  early-stopped on 5,000 held-out training images, cached; their own test accuracy is printed, overall and
  per class: a perfect generator's ceiling) label `sample(labels=k)` images and test images transferred
  to k (encoded under their true label, decoded under k, k != true class); each success is averaged over
  the judges, each judge's own beside it; per-class tables and the pairs that fail most; beside them the
  same judges on the test images' reconstructions under their true label (no swap: the decoder's own
  ceiling for swaps);
- style, not class: a small MLP trained on the encoded training set's codes (latent means under the true
  label) predicts the class of the test codes (chance is 10 %); the reference model's codes beside it;
  re-encoding a transferred image under its new label: median distance to the code it came from, in prior
  standard deviations;
- with --sharpen K, the judges (and the re-encoding) see decoded pixels drawn as sigmoid(K logit p), as
  `sample --sharpen K` and `transfer --sharpen K` write them;
- latency: one labelled point, the same point under the ten classes, a 16x16 grid (p50 of many calls).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np

# The judges' recipe is part of their names: a cached judge trained by an older recipe is never reused.
CLASSIFIER_CACHE = Path.home() / ".cache" / "vae-explorer"
JUDGE_SEEDS = (0, 1, 2)


def judges(data, seeds=JUDGE_SEEDS, blur_max: float = 0.0) -> list:
    """Independent CNN judges, one per seed: equally accurate judges disagree by several points on generated
    images (docs/models.md), so swaps are judged by several. With blur_max, judges trained on blurred
    images (`independent_classifier`), a probe of how much the decoded images' smoothness costs."""
    recipe = f"blur{blur_max:g}-" if blur_max else ""
    return [independent_classifier(data, CLASSIFIER_CACHE / f"fashion-cnn-judge-early-stopped-{recipe}seed{seed}.keras",
                                   seed=seed, blur_max=blur_max) for seed in seeds]


def gaussian_blur(images: np.ndarray, sigma: float) -> np.ndarray:
    """(N, 28, 28) images blurred by a Gaussian of `sigma` pixels (zeros beyond the edges; 0: unchanged)."""
    if sigma <= 0:
        return np.asarray(images, dtype=np.float32)
    r = int(np.ceil(3 * sigma))
    kernel = np.exp(-np.arange(-r, r + 1) ** 2 / (2 * sigma**2))
    kernel /= kernel.sum()
    size = images.shape[-1]
    padded = np.pad(np.asarray(images, dtype=np.float32), ((0, 0), (r, r), (r, r)))
    rows = sum(w * padded[:, i:i + size, :] for i, w in enumerate(kernel))
    return sum(w * rows[:, :, i:i + size] for i, w in enumerate(kernel))


def independent_classifier(data, path: Path, max_epochs: int = 20, seed: int = 0, blur_max: float = 0.0):
    """A small CNN trained on the training images alone (no VAE involved), cached at `path`.

    It trains until its accuracy on the last 5,000 training images (held out from its training) stops
    improving, and keeps its best epoch: the test set plays no part in choosing it, and neither does any VAE.
    With blur_max, each training image (held-out ones too) is blurred once by a Gaussian of a width drawn
    from 0, 0.25, ... blur_max pixels."""
    import keras
    from keras import layers

    if path.exists():
        return keras.saving.load_model(path, safe_mode=True)
    keras.utils.set_random_seed(seed)
    cnn = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(),
        layers.Flatten(), layers.Dropout(0.3), layers.Dense(128, activation="relu"), layers.Dense(10),
    ], name="fashion_cnn")
    cnn.compile(optimizer=keras.optimizers.Adam(1e-3),
                loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    images, labels = data.train_images / 255.0, data.train_labels
    if blur_max:
        widths = np.random.default_rng(seed).choice(np.arange(0.0, blur_max + 1e-9, 0.25), size=len(images))
        for width in np.unique(widths):
            images[widths == width] = gaussian_blur(images[widths == width], width)
    images = images[..., None]
    held = 5000
    stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=3, restore_best_weights=True)
    cnn.fit(images[:-held], labels[:-held], batch_size=128, epochs=max_epochs, verbose=0, callbacks=[stop],
            validation_data=(images[-held:], labels[-held:]))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.stem + ".partial.keras")
    cnn.save(partial)
    os.replace(partial, path)
    return cnn


def predicted(cnn, images: np.ndarray) -> np.ndarray:
    """The CNN's class for float images in [0, 1], (N, 28, 28)."""
    return np.asarray(cnn.predict(images[..., None], batch_size=1000, verbose=0)).argmax(axis=1)


def judged(cnns, images: np.ndarray, k) -> np.ndarray:
    """Whether each judge reads each image as class k (one class, or one per image), (judges, N)."""
    return np.array([predicted(cnn, images) == k for cnn in cnns])


def judge_accuracy(cnns, data) -> dict:
    """Each judge's accuracy on the real test images, and per class averaged over the judges: how often
    a perfect generator's images would be read as their class (the swaps' ceiling)."""
    x, y = data.test_images / 255.0, data.test_labels
    hits = judged(cnns, x, y)
    return {"judge_test_accuracy": hits.mean(axis=1).tolist(),
            "judge_test_accuracy_per_class": [float(hits[:, y == k].mean()) for k in range(10)]}


def fine_tune(step, data, steps: int, describe) -> np.ndarray:
    """The remedy probes' loop: `step(images, labels, rng, s)` on `steps` batches of 128 training images
    (drawn from seed 0), printing `describe(means of its returned values)` every 200 steps; returns every
    step's values (steps x values)."""
    rng = np.random.default_rng(0)
    started, logs = time.perf_counter(), []
    for s in range(steps):
        rows = rng.integers(0, len(data.train_images), 128)
        logs.append([float(v) for v in step(data.train_images[rows], data.train_labels[rows].astype(np.int32), rng, s)])
        if (s + 1) % 200 == 0:
            print(f"step {s + 1} ({time.perf_counter() - started:.0f} s): {describe(np.mean(logs[-200:], axis=0))}",
                  flush=True)
    return np.array(logs)


def probe_figures(vae, data, cnns) -> str:
    """The remedy probes' summary: `measure` on the first 2,000 test images, 200 samples per class."""
    m = measure(vae, data, cnns, n_test=2000, n_train_codes=20_000, samples_per_class=200, latency_repeats=0)
    return (f"-ELBO|y {m['elbo_given_label']:.2f}, label-free {m['label_free']:.2f}, accuracy "
            f"{100 * m['classification_accuracy']:.1f} %, swaps (judges 0-2): samples {100 * m['sample_success']:.1f} %, "
            f"transfers {100 * m['transfer_success']:.1f} %, class from the code {100 * m['code_probe_accuracy']:.1f} %")


def code_probe_accuracy(train_codes, train_labels, test_codes, test_labels, seed: int = 0) -> float:
    """Test accuracy of a small MLP predicting the class from a latent code (how much class the code holds)."""
    import keras
    from keras import layers

    keras.utils.set_random_seed(seed)
    mlp = keras.Sequential([keras.Input((train_codes.shape[1],)), layers.Dense(128, activation="relu"),
                            layers.Dense(128, activation="relu"), layers.Dense(10)])
    mlp.compile(optimizer=keras.optimizers.Adam(3e-3),
                loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    mlp.fit(train_codes, train_labels, batch_size=256, epochs=10, verbose=0)
    return float(np.mean(np.asarray(mlp.predict(test_codes, batch_size=2000, verbose=0)).argmax(1) == test_labels))


def p50_ms(fn, repeats: int) -> float:
    for _ in range(20):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000.0 * float(np.median(times))


def bounds(vae, x: np.ndarray, y: np.ndarray) -> dict:
    """The test-set means of the bounds, each image with its own noise draw (`VAE.evaluate`): one draw
    shared by every image moved these means by about a nat (docs/models.md)."""
    from vae_explorer.ml.card import conditional_bounds

    b = conditional_bounds(vae, x, y)
    return {"test_images": len(x), "elbo_given_label": b["total_loss"], "ce_given_label": b["ce_loss"],
            "kl_given_label": b["kl_loss"], "label_free": b["label_free_total_loss"], "noise_draws": "one per image"}


def measure(vae, data, cnns, n_test: int = 10_000, n_train_codes: int = 60_000, samples_per_class: int = 1000,
            reference=None, latency_repeats: int = 2000, sharpen: float = 1.0) -> dict:
    """Every figure of the module docstring for one conditional model (and a reference's code probe); the
    judges see the decoded images drawn with `sharpen` (`sample --sharpen`; 1: the decoder's means)."""
    from vae_explorer.ml.images import sharpen as steeper
    from vae_explorer.ml.inference import negative_elbo

    x, y = data.test_images[:n_test], data.test_labels[:n_test].astype(np.int32)
    rows = np.arange(len(x))
    scores = vae.class_scores(x)  # one draw shared by every image: how the app scores and classifies one
    losses = negative_elbo(scores)
    out = {**bounds(vae, x, y), "classification_accuracy": float(np.mean(losses.argmin(axis=1) == y))}
    # Class swaps, judged by the independent CNNs (each success the share of judges that agree).
    samples = np.array([judged(cnns, steeper(vae.sample(samples_per_class, seed=k, labels=k), sharpen), k).mean(axis=1)
                        for k in range(10)])  # (class, judge)
    sample_success = samples.mean(axis=1).tolist()
    codes = scores["mean"][rows, y]
    # No swap: each test image's reconstruction under its own label, what the decoder draws at best.
    rebuilt = judged(cnns, steeper(vae.decode(codes, y), sharpen), y).mean(axis=0)
    reconstruction_success = [float(rebuilt[y == k].mean()) for k in range(10)]
    pairs = np.full((len(cnns), 10, 10), np.nan)  # [judge, source class, target class] success
    distances, failures = [], []
    for k in range(10):
        moved = y != k
        decoded = steeper(vae.decode(codes[moved], k), sharpen)  # what the judges see is re-encoded too
        hits = judged(cnns, decoded, k)
        for source in range(10):
            chosen = y[moved] == source
            if chosen.any():
                pairs[:, source, k] = hits[:, chosen].mean(axis=1)
        again, _ = vae.encode(decoded, k)
        distances.append(np.linalg.norm(again - codes[moved], axis=1))
        misses = np.flatnonzero(hits.mean(axis=0) < 0.5)[:4]  # most judges disagree
        failures += [(x[moved][i] / 255.0, decoded[i], int(y[moved][i]), k) for i in misses]
    per_judge = np.nanmean(pairs, axis=1)  # (judge, target class)
    transfer_success = per_judge.mean(axis=0)
    out.update({
        "sample_success_per_class": sample_success,
        "sample_success": float(np.mean(sample_success)),
        "sample_success_per_judge": samples.mean(axis=0).tolist(),
        "reconstruction_success_per_class": reconstruction_success,
        "reconstruction_success": float(np.mean(reconstruction_success)),
        "transfer_success_per_class": transfer_success.tolist(),
        "transfer_success": float(np.mean(transfer_success)),
        "transfer_success_per_judge": per_judge.mean(axis=1).tolist(),
        "transfer_pairs": pairs.mean(axis=0).tolist(),
        "reencode_distance_median": float(np.median(np.concatenate(distances))),
    })
    # Style, not class: the class read back from the code.
    n_codes = min(n_train_codes, len(data.train_images))
    train_codes, _ = vae.encode(data.train_images[:n_codes], data.train_labels[:n_codes])
    out["code_probe_accuracy"] = code_probe_accuracy(train_codes, data.train_labels[:n_codes], codes, y)
    if reference is not None:
        ref_train, _ = reference.encode(data.train_images[:n_codes])
        ref_test, _ = reference.encode(x)
        out["reference_code_probe_accuracy"] = code_probe_accuracy(ref_train, data.train_labels[:n_codes], ref_test, y)
    if latency_repeats:
        out.update(latencies(vae, latency_repeats))
    out["failures"] = failures
    return out


def refined_bound(vae, data, n: int) -> dict:
    """-ELBO given the true label with each image's q refined (`VAE.refine`; still a bound on -log p(x|y)),
    beside the encoder's own on the same images."""
    x, y = data.test_images[:n], data.test_labels[:n].astype(np.int32)
    refined = vae.refine(x, y)
    return {"refined_images": n, "refined_elbo_given_label": float(refined.negative_elbo.mean()),
            "refined_encoder_elbo_given_label": float(refined.encoder_negative_elbo.mean())}


def refined_classifier(vae, data, n: int) -> dict:
    """Generative-classifier accuracy on the first n test images with each class's -ELBO from a refined q,
    beside the one-sample ELBO's on the same images."""
    x, y = data.test_images[:n], data.test_labels[:n]
    refined, one_sample = vae.class_losses(x, refine=True), vae.class_losses(x)
    return {"refined_classify_images": n,
            "refined_classification_accuracy": float(np.mean(refined.argmin(axis=1) == y)),
            "refined_classify_elbo_accuracy": float(np.mean(one_sample.argmin(axis=1) == y)),
            "class_losses": {"refined": refined, "one_sample": one_sample, "labels": y}}


def latencies(vae, repeats: int) -> dict:
    """p50 of a labelled one-point decode, of one point under the ten classes and of a 16x16 grid."""
    out = {}
    rng = np.random.default_rng(0)
    points = rng.normal(size=(repeats + 20, vae.latent_dim)).astype(np.float32)
    step = iter(range(10**9))
    out["latency_point_ms"] = p50_ms(lambda: vae.decode_point(points[next(step) % len(points)], 3), repeats)
    ten = np.arange(10, dtype=np.int32)
    out["latency_row_ms"] = p50_ms(lambda: vae.decode(np.repeat(points[:1], 10, axis=0), ten), repeats // 4)
    grid = vae.sample_latents(256)
    out["latency_grid_ms"] = p50_ms(lambda: vae.decode(grid, 3), 100)
    return out


def failure_figure(failures, path: Path, per_target: int = 4) -> None:
    """A row per target class (T-shirt/top first): transfers to it the CNN read as another class, each as
    the source image beside what it became."""
    from vae_explorer.ml.images import save_png

    blank = np.ones((32, 62))
    rows = []
    for k in range(10):
        pairs = [np.pad(np.concatenate([src, np.ones((28, 2)), dst], axis=1), 2, constant_values=1)
                 for src, dst, _, target in failures if target == k][:per_target]
        rows.append(np.concatenate(pairs + [blank] * (per_target - len(pairs)), axis=1))
    save_png(np.concatenate(rows, axis=0), path)


def report(name: str, m: dict) -> str:
    from vae_explorer.config import CLASS_NAMES

    lines = [
        f"model {name}: {m['test_images']} test images",
        f"  test -ELBO given the label       {m['elbo_given_label']:.2f}",
        f"  label-free -log sum_y p(y)p(x|y) {m['label_free']:.2f}",
    ] + ([
        f"  refined -ELBO given the label    {m['refined_elbo_given_label']:.2f}   (first {m['refined_images']} "
        f"test images; the encoder's q on them: {m['refined_encoder_elbo_given_label']:.2f})"]
        if "refined_elbo_given_label" in m else []) + [
        f"  generative-classifier accuracy   {100 * m['classification_accuracy']:.1f} %",
    ] + ([
        f"  the same by the refined -ELBO    {100 * m['refined_classification_accuracy']:.1f} %   (first "
        f"{m['refined_classify_images']} test images; the one-sample ELBO on them: "
        f"{100 * m['refined_classify_elbo_accuracy']:.1f} %)"] if "refined_classification_accuracy" in m else []) + [
        f"  class-swap success, samples      {100 * m['sample_success']:.1f} %   (judge by judge: "
        + ", ".join(f"{100 * v:.1f}" for v in m["sample_success_per_judge"]) + ")",
        f"  class-swap success, transfers    {100 * m['transfer_success']:.1f} %   (judge by judge: "
        + ", ".join(f"{100 * v:.1f}" for v in m["transfer_success_per_judge"]) + ")",
        f"  the same, reconstructions        {100 * m['reconstruction_success']:.1f} %   (each test image under "
        "its own label: no swap)",
        f"  class from the code (MLP probe)  {100 * m['code_probe_accuracy']:.1f} %"
        + (f"   (reference model's codes: {100 * m['reference_code_probe_accuracy']:.1f} %)"
           if "reference_code_probe_accuracy" in m else ""),
        f"  re-encode distance, median       {m['reencode_distance_median']:.3f} prior std",
    ] + ([
        f"  latency p50: one point {m['latency_point_ms']:.3f} ms, ten classes {m['latency_row_ms']:.2f} ms, "
        f"16x16 grid {m['latency_grid_ms']:.1f} ms"] if "latency_point_ms" in m else []) + [
        "",
        "| class | sample --class k | transfer --to k | reconstructions of k | the judges on real test images |",
        "|---|---|---|---|---|",
    ]
    for k, name_k in enumerate(CLASS_NAMES):
        lines.append(f"| {name_k} | {100 * m['sample_success_per_class'][k]:.1f} % "
                     f"| {100 * m['transfer_success_per_class'][k]:.1f} % "
                     f"| {100 * m['reconstruction_success_per_class'][k]:.1f} % "
                     f"| {100 * m['judge_test_accuracy_per_class'][k]:.1f} % |")
    pairs = np.asarray(m["transfer_pairs"])
    worst = sorted(((pairs[s, t], s, t) for s in range(10) for t in range(10) if s != t))[:8]
    lines += ["", "pairs that fail most (source -> target: success): " + "; ".join(
        f"{CLASS_NAMES[s]} -> {CLASS_NAMES[t]}: {100 * v:.0f} %" for v, s, t in worst)]
    return "\n".join(lines)


def record_bounds(args, data) -> None:
    """--bounds-only: the two test-set bounds, printed and (--record-in-card) put into the card's figures
    beside the benchmark's others, whose own date stays."""
    import vae_explorer
    from vae_explorer.model_card import read_model_card, record_measurement

    vae = vae_explorer.load_model(args.model)
    n = args.test_images
    m = bounds(vae, data.test_images[:n], data.test_labels[:n].astype(np.int32))
    print(f"{Path(args.model).name}, {m['test_images']} test images, a noise draw per image: -ELBO given the label "
          f"{m['elbo_given_label']:.2f} (ce {m['ce_given_label']:.2f}, kl {m['kl_given_label']:.2f}), "
          f"label-free {m['label_free']:.2f}")
    if args.record_in_card:
        metrics = read_model_card(args.model).metrics or {}
        rounded = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in m.items()}
        record_measurement(args.model, "conditional_benchmark", {**metrics.get("conditional_benchmark", {}), **rounded},
                           stamp="bounds_measured")
        test = {**metrics.get("test", {}), "total_loss": round(m["elbo_given_label"], 3), "ce_loss": round(m["ce_given_label"], 3),
                "kl_loss": round(m["kl_given_label"], 3), "label_free_total_loss": round(m["label_free"], 3)}
        record_measurement(args.model, "test", test, stamp=None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--reference", default="models/cvae-fashion-latent2.keras",
                        help="an unconditional model whose codes the class probe reads too ('' for none)")
    parser.add_argument("--figure", default=None, help="PNG of transfers most judges did not read as their target")
    parser.add_argument("--json", default=None, help="write every figure here")
    parser.add_argument("--test-images", type=int, default=10_000)
    parser.add_argument("--refine-images", type=int, default=0,
                        help="also the refined -ELBO given the label (`VAE.refine`) on the first N test images")
    parser.add_argument("--refine-classify", type=int, default=0,
                        help="also classify the first N test images by the refined -ELBO under every class")
    parser.add_argument("--class-losses", default=None,
                        help="with --refine-classify: save every image's -ELBO under each class, refined and "
                             "one-sample, with the labels (.npz)")
    parser.add_argument("--sharpen", type=float, default=1.0, metavar="K",
                        help="the judges see decoded pixels drawn as sigmoid(K logit p), as `sample --sharpen K`")
    parser.add_argument("--bounds-only", action="store_true",
                        help="only the test-set bounds (-ELBO given the label, label-free), a noise draw per image")
    parser.add_argument("--record-in-card", action="store_true",
                        help="also write the figures into the model's card (metrics.conditional_benchmark)")
    args = parser.parse_args()
    if not args.sharpen > 0:
        parser.error(f"--sharpen must be a number > 0, got {args.sharpen}")
    if args.record_in_card and args.sharpen != 1:
        parser.error("--record-in-card records the decoder's means: leave --sharpen at 1")
    import vae_explorer
    from vae_explorer.ml.data import load_fashion_mnist

    data = load_fashion_mnist(allow_download=False)
    started = time.perf_counter()
    if args.bounds_only:
        record_bounds(args, data)
        return
    cnns = judges(data)
    vae = vae_explorer.load_model(args.model)
    reference = vae_explorer.load_model(args.reference) if args.reference else None
    m = measure(vae, data, cnns, n_test=args.test_images, reference=reference, sharpen=args.sharpen)
    m.update(judge_accuracy(cnns, data))
    if args.refine_images:
        m.update(refined_bound(vae, data, args.refine_images))
    if args.refine_classify:
        m.update(refined_classifier(vae, data, args.refine_classify))
        losses = m.pop("class_losses")
        if args.class_losses:
            np.savez_compressed(args.class_losses, **losses)
    print(f"machine: {platform.node()} {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')}")
    print(f"{len(cnns)} independent CNN judges (seeds {', '.join(map(str, JUDGE_SEEDS))}, in {CLASSIFIER_CACHE}): "
          "test accuracy " + ", ".join(f"{100 * a:.1f} %" for a in m["judge_test_accuracy"]))
    if args.sharpen != 1:
        print(f"the judges see decoded pixels drawn as sigmoid({args.sharpen:g} logit p) (`--sharpen {args.sharpen:g}`)")
    print(report(Path(args.model).name, m))
    print(f"({time.perf_counter() - started:.0f} s)")
    if args.figure:
        failure_figure(m["failures"], Path(args.figure))
    figures = {k: v for k, v in m.items() if k != "failures"}
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1))
    if args.record_in_card:
        from vae_explorer.model_card import record_measurement

        rounded = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in figures.items() if k != "transfer_pairs"}
        record_measurement(args.model, "conditional_benchmark", rounded)


if __name__ == "__main__":
    main()
