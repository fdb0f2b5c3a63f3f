"""`vae-explorer train | evaluate | sample | reconstruct`: everything the GUI does, scriptable.

TensorFlow is imported inside the commands, so `--help` answers at once. Errors a user can cause
end as one line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import math
import os
import shlex
import signal
import sys
from pathlib import Path

from vae_explorer import __version__
from vae_explorer.config import (
    DEFAULT_MODEL_PATH,
    PRECISIONS,
    STRATEGIES,
    ModelConfig,
    TrainingConfig,
    card_path,
    read_checkpoint_progress,
)
from vae_explorer.errors import ImageError, VaeExplorerError

EXIT_USER_ERROR = 2
EXIT_DIVERGED = 3


def _quiet_tensorflow() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {value}")
    return value


def _finite_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    defaults = TrainingConfig()
    parser = argparse.ArgumentParser(
        prog="vae-explorer",
        description="Train a convolutional VAE on Fashion-MNIST and explore it. "
        "Without a command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    train = commands.add_parser(
        "train",
        help="train a model and save it with its model card",
        description="Train a CVAE on Fashion-MNIST. Checkpoints every epoch; Ctrl+C stops cleanly "
        "after the current batch and saves what was trained.",
    )
    train.add_argument("--epochs", type=_positive_int, default=defaults.epochs, help="epochs to train (default %(default)s)")
    train.add_argument("--batch-size", type=_positive_int, default=defaults.batch_size, help="images per batch (default %(default)s)")
    train.add_argument(
        "--learning-rate", type=_finite_float, default=defaults.learning_rate,
        help="Adam's starting learning rate, cosine-decayed over the run (default %(default)s)",
    )
    train.add_argument(
        "--final-lr-fraction", type=_finite_float, default=defaults.final_learning_rate_fraction,
        help="learning rate at the end, as a fraction of the start (default %(default)s)",
    )
    # The model's settings default to None so that --resume can tell "not given" (take the checkpoint's)
    # from "given" (must match it); the help states the defaults of a new run.
    train.add_argument("--latent-dim", type=int, help=f"latent dimensions (default {defaults.model.latent_dim})")
    train.add_argument("--beta", type=_finite_float, help=f"weight of the KL term (default {defaults.model.beta})")
    train.add_argument(
        "--kl-warmup", type=_finite_float, default=defaults.kl_warmup_epochs, metavar="EPOCHS",
        help="ramp the KL weight from 0 to beta over this many epochs (default %(default)s: no warm-up)",
    )
    train.add_argument(
        "--hidden-units", type=int,
        help=f"width of the dense layers beside the latent code (default {defaults.model.hidden_units})",
    )
    train.add_argument(
        "--hidden-layers", type=int,
        help=f"dense layers on each side of the latent code (default {defaults.model.hidden_layers})",
    )
    train.add_argument(
        "--fourier-features", type=int, metavar="N",
        help="the decoder sees sin and cos of N fixed random projections of the latent code beside the "
        f"code itself; 0 = the code alone (default {defaults.model.fourier_features})",
    )
    train.add_argument(
        "--strategy", choices=STRATEGIES, default=defaults.strategy,
        help="tf.distribute strategy: default (one device), mirrored (all GPUs, or all logical CPUs), "
        "multiworker (several machines, each with its TF_CONFIG) (default %(default)s)",
    )
    train.add_argument(
        "--precision", choices=PRECISIONS, default=defaults.precision,
        help="training arithmetic: float32, or bfloat16 (Keras mixed_bfloat16: bf16 compute, float32 weights "
        "and loss); auto = bfloat16 on CPUs with native bf16 (AVX-512 BF16 / AMX), else float32. Saved models "
        "always compute in float32 (default %(default)s)",
    )
    train.add_argument("--seed", type=int, default=defaults.seed, help="random seed; same seed, same run (default %(default)s)")
    train.add_argument("--limit", type=_positive_int, default=None, metavar="N", help="train on the first N training images only")
    train.add_argument("--validation-limit", type=_positive_int, default=None, metavar="N", help="validate on the first N test images only")
    train.add_argument("--data-dir", type=Path, default=None, help="folder with the four Fashion-MNIST .gz files")
    train.add_argument("--out", type=Path, default=Path("cvae.keras"), help="model file to write (default %(default)s; its card goes beside it as .json)")
    train.add_argument("--metrics-csv", type=Path, default=None, metavar="PATH", help="write one row per batch: epoch, step, total_loss, ce_loss, kl_loss, training_time_ms")
    train.add_argument(
        "--checkpoint", type=Path, default=None, metavar="PATH",
        help="checkpoint written at every epoch end (default: OUT with .checkpoint.keras)",
    )
    train.add_argument("--resume", type=Path, default=None, metavar="PATH", help="continue from a checkpoint up to --epochs; the model settings (latent dimensions, beta, layers) are the checkpoint's, and any given must match them")
    train.add_argument("--notes", default="", help="free text recorded in the model card")
    train.add_argument("--quiet", action="store_true", help="no progress bar, only the epoch lines")
    train.set_defaults(func=cmd_train)

    model_help = f"model file (default: the shipped model, {DEFAULT_MODEL_PATH.name})"
    evaluate = commands.add_parser(
        "evaluate", help="test-set total_loss, ce_loss, kl_loss of a model",
        description="Score a model on the Fashion-MNIST test set (nats per image).",
    )
    evaluate.add_argument("--model", type=Path, default=None, help=model_help)
    evaluate.add_argument("--data-dir", type=Path, default=None, help="folder with the four Fashion-MNIST .gz files")
    evaluate.add_argument("--limit", type=_positive_int, default=None, metavar="N", help="score the first N test images only")
    evaluate.add_argument("--json", action="store_true", help="print JSON instead of text")
    evaluate.set_defaults(func=cmd_evaluate)

    sample = commands.add_parser(
        "sample", help="decode a grid of samples from the prior into a PNG",
        description="Draw grid x grid points from N(0, temperature^2 I), decode them in one batch and "
        "write one PNG of 28x28 tiles. The same seed gives the same grid.",
    )
    sample.add_argument("--model", type=Path, default=None, help=model_help)
    sample.add_argument("--grid", type=_positive_int, default=16, help="tiles per side (default %(default)s: 448x448 pixels)")
    sample.add_argument("--seed", type=int, default=0, help="random seed (default %(default)s)")
    sample.add_argument("--temperature", type=_finite_float, default=1.0, help="scale of the prior (default %(default)s)")
    sample.add_argument("--out", type=Path, required=True, help="PNG file to write")
    sample.set_defaults(func=cmd_sample)

    reconstruct = commands.add_parser(
        "reconstruct", help="reconstruct image files and score how typical they are",
        description="For each image (PNG, JPEG, BMP, GIF, WebP, TIFF; any size, colour or alpha): "
        "preprocess it to a Fashion-MNIST-like 28x28 input, encode, decode, and report the latent mean, "
        "ce_loss, kl_loss, total_loss and an anomaly percentile against the test set. Files that "
        "cannot be read are reported and skipped; the exit code is then non-zero.",
    )
    reconstruct.add_argument("images", nargs="+", type=Path, metavar="IMAGE", help="image files")
    reconstruct.add_argument("--model", type=Path, default=None, help=model_help)
    reconstruct.add_argument("--out", type=Path, default=Path("."), metavar="DIR", help="folder for the reconstruction PNGs (default: current folder)")
    reconstruct.add_argument("--json", action="store_true", help="print JSON instead of text")
    reconstruct.set_defaults(func=cmd_reconstruct)
    return parser


# --- train ---------------------------------------------------------------------------------------
MODEL_OPTIONS = ("latent_dim", "beta", "hidden_units", "hidden_layers", "fourier_features")


def _resumed_model_config(path: Path) -> ModelConfig | None:
    """The architecture recorded in a checkpoint's (or saved model's) card; None where there is none to
    read (the trainer then reports what is wrong with the file)."""
    progress = read_checkpoint_progress(path)
    return progress.config.model if progress else None


def _model_config(args: argparse.Namespace) -> ModelConfig:
    """The options given; for the others, the checkpoint's when resuming, else the defaults."""
    base = (_resumed_model_config(args.resume) if args.resume else None) or ModelConfig()
    given = {name: getattr(args, name) for name in MODEL_OPTIONS if getattr(args, name) is not None}
    return dataclasses.replace(base, **given)


def _training_config(args: argparse.Namespace) -> TrainingConfig:
    return TrainingConfig(
        epochs=args.epochs,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        final_learning_rate_fraction=args.final_lr_fraction,
        kl_warmup_epochs=args.kl_warmup,
        seed=args.seed,
        train_limit=args.limit,
        strategy=args.strategy,
        precision=args.precision,
        model=_model_config(args),
    )


class _ConsoleListener:
    """Progress bar, per-epoch lines and the per-batch CSV for `train`."""

    def __init__(self, csv_stream, quiet: bool) -> None:
        self.csv = csv.writer(csv_stream) if csv_stream else None
        if self.csv:
            self.csv.writerow(["epoch", "step", "total_loss", "ce_loss", "kl_loss", "training_time_ms"])
        self.quiet = quiet
        self.bar = None
        self.plan = None

    def on_start(self, plan) -> None:
        self.plan = plan
        print(
            f"Training in {plan.precision} on {plan.n_train} images ({plan.steps_per_epoch} batches of {plan.batch_size} per epoch), "
            f"validating on {plan.n_validation}; epochs {plan.initial_epoch + 1}..{plan.epochs}",
            flush=True,
        )

    def on_batch(self, m) -> None:
        if self.csv:
            self.csv.writerow(
                [m.epoch + 1, m.step + 1, f"{m.total_loss:.4f}", f"{m.ce_loss:.4f}", f"{m.kl_loss:.4f}", f"{m.training_time_ms:.3f}"]
            )
        if self.quiet:
            return
        import keras

        if self.bar is None or m.step == 0:
            print(f"Epoch {m.epoch + 1}/{self.plan.epochs}", flush=True)
            self.bar = keras.utils.Progbar(
                self.plan.steps_per_epoch, stateful_metrics=["total_loss", "ce_loss", "kl_loss", "ms/batch"]
            )
        self.bar.update(
            m.step + 1,
            [("total_loss", m.total_loss), ("ce_loss", m.ce_loss), ("kl_loss", m.kl_loss), ("ms/batch", m.training_time_ms)],
        )

    def on_epoch(self, m) -> None:
        print(
            f"epoch {m.epoch + 1}: train total {m.total_loss:.2f} (ce {m.ce_loss:.2f}, kl {m.kl_loss:.2f}) | "
            f"test total {m.val_total_loss:.2f} (ce {m.val_ce_loss:.2f}, kl {m.val_kl_loss:.2f}) | {m.wall_time_s:.1f} s",
            flush=True,
        )

    def on_paused(self) -> None: ...

    def on_warning(self, message: str) -> None:
        print(f"warning: {message}", file=sys.stderr, flush=True)


def _check_can_write(folder: Path, what: str) -> None:
    """Refuse a run whose results could not be written, before any training time is spent."""
    from vae_explorer.fileio import check_writable_folder

    try:
        check_writable_folder(folder)
    except OSError as exc:
        raise VaeExplorerError(
            f"{what}: cannot write to the folder {folder} ({exc.strerror or exc}); choose a folder you can write to"
        ) from None


def _save_or_rescue(model, out: Path, card: dict) -> Path:
    """Save the trained model; if `out` has become unwritable (say, the disk filled during the run),
    save it to a rescue file in the temporary folder instead of losing it, and say so."""
    import tempfile
    import time

    from vae_explorer.errors import ModelFileError
    from vae_explorer.ml.storage import save_model

    try:
        return save_model(model, out, card)
    except ModelFileError as exc:
        rescue = Path(tempfile.gettempdir()) / f"vae-explorer-rescued-{time.strftime('%Y%m%d-%H%M%S')}.keras"
        print(f"error: {exc}", file=sys.stderr, flush=True)
        save_model(model, rescue, card)
        print(f"The trained model was saved to {rescue} instead; move it where you want it.", file=sys.stderr, flush=True)
        raise ModelSavedElsewhere(rescue) from None


class ModelSavedElsewhere(VaeExplorerError):
    def __init__(self, rescue: Path) -> None:
        super().__init__(f"the model was not saved to --out; it is at {rescue}")
        self.rescue = rescue


def cmd_train(args: argparse.Namespace) -> int:
    config = _training_config(args)
    config.validate()
    out = args.out.expanduser()
    if out.suffix != ".keras":
        raise VaeExplorerError(f"--out must name a .keras file, got {out}")
    if not out.parent.is_dir():
        raise VaeExplorerError(f"--out: the folder {out.parent} does not exist")
    checkpoint = args.checkpoint or out.with_name(out.stem + ".checkpoint.keras")
    _check_can_write(out.parent, "--out")
    if checkpoint.parent != out.parent:
        _check_can_write(checkpoint.parent, "--checkpoint")
    if args.metrics_csv:
        _check_can_write(args.metrics_csv.parent, "--metrics-csv")
    _quiet_tensorflow()
    from vae_explorer.fileio import atomic_write
    from vae_explorer.ml.card import build_model_card
    from vae_explorer.ml.data import load_fashion_mnist
    from vae_explorer.ml.inference import VAE
    from vae_explorer.ml.trainer import Trainer, TrainingControl

    data = load_fashion_mnist(args.data_dir)
    print(f"Fashion-MNIST from {data.source} (checksums verified)", flush=True)
    control = TrainingControl()

    def request_stop(signum, frame):
        print(f"\n{signal.Signals(signum).name}: stopping after this batch...", file=sys.stderr, flush=True)
        control.stop()
        signal.signal(signum, signal.SIG_DFL)  # a second signal ends the process at once

    previous = {s: signal.signal(s, request_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    csv_tmp = None
    try:
        csv_stream = None
        if args.metrics_csv:
            csv_tmp = args.metrics_csv.with_name(f".{args.metrics_csv.name}.part")
            csv_stream = open(csv_tmp, "w", newline="", encoding="utf-8")
        listener = _ConsoleListener(csv_stream, args.quiet)
        trainer = Trainer(config, data, listener, control, checkpoint, validation_limit=args.validation_limit)
        try:
            result = trainer.run(resume_from=args.resume)
        finally:
            if csv_stream:
                csv_stream.close()
                atomic_write(args.metrics_csv, lambda tmp: os.replace(csv_tmp, tmp))
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    print(result.message, flush=True)
    vae = VAE(result.model)
    card = build_model_card(vae, result, data, notes=args.notes)
    _save_or_rescue(result.model, out, card)
    test = card["metrics"]["test"]
    print(
        f"Saved {out} and {out.with_suffix('.json').name}: test total_loss {test['total_loss']:.2f} "
        f"(ce {test['ce_loss']:.2f}, kl {test['kl_loss']:.2f}) after {result.wall_time_s:.0f} s of training",
        flush=True,
    )
    if result.status == "completed":
        for path in (checkpoint, card_path(checkpoint)):
            if path.exists():
                path.unlink()
    elif checkpoint.exists():
        print(f"Resume with: {_resume_command(args.argv, checkpoint)}", flush=True)
    return EXIT_DIVERGED if result.status == "diverged" else 0


def _resume_command(argv: list[str], checkpoint: Path) -> str:
    """This run's own command with `--resume` pointing at its checkpoint: every option it was given (batch
    size, training-set size, strategy...) continues the run as it began, which defaults would not."""
    kept, skip = [], False
    for arg in argv:
        if skip or arg == "--resume" or arg.startswith("--resume="):
            skip = arg == "--resume"
            continue
        kept.append(arg)
    return shlex.join(["vae-explorer", *kept, "--resume", str(checkpoint)])


# --- evaluate, sample, reconstruct ------------------------------------------------------------------
def _load(args: argparse.Namespace):
    _quiet_tensorflow()
    from vae_explorer.ml.inference import load_vae

    return load_vae(args.model)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from vae_explorer.ml.data import load_fashion_mnist

    vae = _load(args)
    data = load_fashion_mnist(args.data_dir)
    images = data.test_images[: args.limit]
    scores = vae.evaluate(images)
    report = {"model": str(vae.path), "n_images": len(images), **{k: round(v, 4) for k, v in scores.items()}}
    if args.json:
        print(json.dumps(report))
    else:
        print(
            f"{vae.path}: on {len(images)} test images, total_loss {scores['total_loss']:.2f}, "
            f"ce_loss {scores['ce_loss']:.2f}, kl_loss {scores['kl_loss']:.2f} (nats per image)"
        )
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    from vae_explorer.ml.images import save_png, tile

    if args.out.suffix.lower() != ".png":
        raise VaeExplorerError(f"--out must name a .png file, got {args.out}")
    if args.grid > 64:
        raise VaeExplorerError(f"--grid {args.grid} is too large; use at most 64 (4,096 samples)")
    vae = _load(args)
    images = vae.sample(args.grid * args.grid, seed=args.seed, temperature=args.temperature)
    save_png(tile(images, args.grid), args.out)
    side = args.grid * images.shape[1]
    print(f"Wrote {args.out} ({args.grid}x{args.grid} samples, {side}x{side} pixels, seed {args.seed})")
    return 0


def cmd_reconstruct(args: argparse.Namespace) -> int:
    from vae_explorer.ml.images import image_file_to_input, save_png

    vae = _load(args)
    if not args.out.is_dir():
        raise VaeExplorerError(f"--out: the folder {args.out} does not exist")
    results, failed = [], 0
    for path in args.images:
        try:
            x = image_file_to_input(path)
        except ImageError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed += 1
            continue
        a = vae.analyse(x)
        scores = {k: float(a[k][0]) for k in ("total_loss", "ce_loss", "kl_loss")}
        mean = a["mean"]
        out = args.out / f"{path.stem}.reconstruction.png"
        save_png(a["reconstruction"][0], out)
        percentile = None if a["anomaly_percentile"] is None else float(a["anomaly_percentile"][0])
        results.append(
            {
                "input": str(path),
                "latent_mean": [round(float(v), 5) for v in mean[0]],
                **{k: round(v, 3) for k, v in scores.items()},
                "anomaly_percentile": None if percentile is None else round(percentile, 2),
                "reconstruction": str(out),
            }
        )
        if not args.json:
            r = results[-1]
            print(
                f"{path}: z={[round(float(v), 3) for v in mean[0]]} total_loss {r['total_loss']:.1f} "
                f"(ce {r['ce_loss']:.1f}, kl {r['kl_loss']:.2f}) anomaly percentile "
                f"{'n/a' if percentile is None else f'{percentile:.1f}'} -> {out}"
            )
    if args.json:
        print(json.dumps(results, indent=1))
    return 1 if failed else 0


def run_cli(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(argv)
    try:
        return args.func(args)
    except VaeExplorerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
