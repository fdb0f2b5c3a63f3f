"""`vae-explorer train | evaluate | sample | reconstruct`: everything the GUI does, scriptable.

TensorFlow is imported inside the commands, so `--help` answers at once. Errors a user can cause
end as one line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shlex
import signal
import sys
from pathlib import Path

import numpy as np

from vae_explorer.config import CLASS_NAMES, CONDITIONAL_MODEL_PATH, DEFAULT_MODEL_PATH, MAX_SEED, NUM_CLASSES, TrainingConfig
from vae_explorer.console import ConsoleListener
from vae_explorer.errors import Cancelled, VaeExplorerError
from vae_explorer.model_card import card_path, read_checkpoint_progress
from vae_explorer.training_fields import FIELDS, Field, cli_arguments, make_config
from vae_explorer.version import __version__

EXIT_USER_ERROR = 2
LIKELIHOOD_IMAGES = 500  # evaluate's subset for the costlier bounds: ~2,000 decoder passes per image
EXIT_DIVERGED = 3
EXIT_INTERRUPTED = 130  # as a shell reports a process ended by SIGINT


def _quiet_tensorflow() -> None:
    """TensorFlow's informational logs off, and its start-up notices left out of standard error."""
    from vae_explorer.ml.preload import import_tensorflow_quietly

    import_tensorflow_quietly()


def _whole_number(low: int, high: int | None = None, wording: str | None = None):
    """An argparse type: a whole number from `low` (up to `high`), refused in one line otherwise."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"expected a whole number {wording or f'>= {low}'}, got {value}")
        return value

    return parse


_positive_int = _whole_number(1)
_non_negative_int = _whole_number(0)
_seed = _whole_number(0, MAX_SEED, "from 0 to 2^31-1")  # TensorFlow's stateless random ops take int32


def _finite_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def _positive_float(text: str) -> float:
    value = _finite_float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}")
    return value


SHARPEN_HELP = ("draw each decoded pixel p as sigmoid(K logit p): 1 (the default) is the decoder's mean, "
                "2 or 3 gives the soft edges of a 2-D code a real garment's sharpness")


def build_parser() -> argparse.ArgumentParser:
    defaults = TrainingConfig()
    parser = argparse.ArgumentParser(
        prog="vae-explorer",
        description="Train a convolutional VAE on Fashion-MNIST and explore it. "
        "Without a command, opens the desktop app; `vae-explorer MODEL.keras` opens it on that model.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--verbose", action="store_true",
                        help="show TensorFlow's own start-up and information logs (also: VAE_EXPLORER_VERBOSE=1)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    train = commands.add_parser(
        "train",
        help="train a model and save it with its model card",
        description="Train a CVAE on Fashion-MNIST. Checkpoints every epoch; Ctrl+C stops cleanly "
        "after the current batch and saves what was trained.",
    )
    for f in FIELDS:
        _add_field_option(train, f, defaults)
    train.add_argument("--validation-limit", type=_positive_int, default=None, metavar="N", help="validate on the first N test images only")
    train.add_argument("--data-dir", type=Path, default=None, help="folder with the four Fashion-MNIST .gz files")
    train.add_argument("--out", type=Path, default=Path("cvae.keras"), help="model file to write (default %(default)s; its card goes beside it as .json; missing folders are created)")
    train.add_argument("--metrics-csv", type=Path, default=None, metavar="PATH", help="write one row per batch: epoch, step, total_loss, ce_loss, kl_loss, training_time_ms, and each "
                       "epoch's validation losses on its last batch's row (a resumed run's earlier batches too)")
    train.add_argument("--tensorboard", type=Path, default=None, metavar="DIR",
                       help="write TensorBoard logs here: per-batch losses and training_time, per-epoch validation, "
                       "reconstructions and samples, and the encoded test set for the embedding projector")
    train.add_argument(
        "--checkpoint", type=Path, default=None, metavar="PATH",
        help="checkpoint written at every epoch end (default: OUT with .checkpoint.keras)",
    )
    train.add_argument("--resume", type=Path, default=None, metavar="PATH", help="continue from a checkpoint up to --epochs; the model settings (latent dimensions, beta, layers) are the checkpoint's, and any given must match them")
    train.add_argument("--init-from", type=Path, default=None, metavar="MODEL",
                       help="fine-tune: start from a saved model's weights, with a fresh optimizer and learning-rate "
                            "schedule over --epochs; the model settings are the model's, and any given must match its "
                            "architecture (beta, --class-penalty and --class-discrimination may differ)")
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
    evaluate.add_argument("--likelihood-images", type=_non_negative_int, default=LIKELIHOOD_IMAGES, metavar="N",
                          help="on the first N of them also the importance-weighted bound and, for a 2-D model, the "
                          f"exact likelihood (0: skip; about a second per 4 images here; default {LIKELIHOOD_IMAGES})")
    evaluate.add_argument("--importance-samples", type=_positive_int, default=1000, metavar="K",
                          help="samples per image for the importance-weighted bound (default 1000)")
    evaluate.add_argument("--json", action="store_true", help="print JSON instead of text")
    evaluate.set_defaults(func=cmd_evaluate)

    sample = commands.add_parser(
        "sample", help="decode a grid of samples from the prior into a PNG",
        description="Draw grid x grid points from N(0, temperature^2 I), decode them in one batch and "
        "write one PNG of 28x28 tiles. The same seed gives the same grid.",
    )
    sample.add_argument("--model", type=Path, default=None,
                        help=f"{model_help[:-1]}; with --class, the shipped class-conditional model, {CONDITIONAL_MODEL_PATH.name})")
    sample.add_argument("--grid", type=_positive_int, default=16, help="tiles per side (default %(default)s: 448x448 pixels)")
    sample.add_argument("--seed", type=_seed, default=0, help="random seed, 0 to 2^31-1 (default %(default)s)")
    sample.add_argument("--temperature", type=_positive_float, default=1.0, help="scale of the prior, > 0 (default %(default)s)")
    sample.add_argument("--class", dest="label", default=None, metavar="NAME|INDEX|all",
                        help="a class-conditional model's garment class for every tile, or all: row r of the grid "
                             "is class r mod 10 (default: drawn from the seed)")
    sample.add_argument("--sharpen", type=_positive_float, default=1.0, metavar="K", help=SHARPEN_HELP)
    sample.add_argument("--out", type=Path, required=True, help="PNG file to write (missing folders are created)")
    sample.set_defaults(func=cmd_sample)

    transfer = commands.add_parser(
        "transfer", help="decode each image's style as other garment classes (a class-conditional model)",
        description="For each image: encode it under its class (given with --label, else the one the model "
        "predicts) and decode that style code as every class (or --to). Writes one strip PNG per image: the "
        "input, its reconstruction, then the classes.",
    )
    transfer.add_argument("images", nargs="+", type=Path, metavar="IMAGE", help="image files, or folders of them")
    transfer.add_argument("--model", type=Path, default=CONDITIONAL_MODEL_PATH,
                          help=f"a class-conditional model file (default: the shipped one, {CONDITIONAL_MODEL_PATH.name})")
    transfer.add_argument("--to", default="all", metavar="NAME|INDEX|all", help="the class to decode as (default: all)")
    transfer.add_argument("--label", default=None, metavar="NAME|INDEX", help="the class the images show (default: predicted)")
    transfer.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for the strip PNGs (created when missing)")
    transfer.add_argument("--refine", action="store_true",
                          help="predict the class from each class's refined -ELBO: more accurate, about 0.4 s per "
                               "image on two CPU cores (docs/models.md)")
    transfer.add_argument("--sharpen", type=_positive_float, default=1.0, metavar="K", help=SHARPEN_HELP)
    transfer.add_argument("--json", action="store_true", help="print JSON instead of text")
    transfer.set_defaults(func=cmd_transfer)

    reconstruct = commands.add_parser(
        "reconstruct", help="reconstruct image files and score how typical they are",
        description="For each image (PNG, JPEG, BMP, GIF, WebP, TIFF; any size, colour or alpha): "
        "preprocess it to a Fashion-MNIST-like 28x28 input, encode, decode, and report the latent mean, "
        "ce_loss, kl_loss, total_loss and an anomaly percentile against the test set. A folder stands for "
        "the image files directly in it. Files that cannot be read (or show one flat colour) are reported and "
        "skipped; the exit code is then non-zero. Each reconstruction is written to STEM.reconstruction.png; "
        "inputs with the same stem get the extension or a number added, so none is written over another.",
    )
    reconstruct.add_argument("images", nargs="+", type=Path, metavar="IMAGE", help="image files, or folders of them")
    reconstruct.add_argument("--model", type=Path, default=None, help=model_help)
    reconstruct.add_argument("--out", type=Path, default=Path("."), metavar="DIR", help="folder for the reconstruction PNGs (default: current folder; created when missing)")
    reconstruct.add_argument("--json", action="store_true", help="print JSON instead of text")
    reconstruct.set_defaults(func=cmd_reconstruct)

    desktop = commands.add_parser(
        "install-desktop", help="add VAE Explorer to the desktop's application menu (Linux)",
        description="Write the desktop entry and icon into $XDG_DATA_HOME (default ~/.local/share), "
        "starting this install's vae-explorer-gui. --remove takes them out again.",
    )
    desktop.add_argument("--remove", action="store_true", help="remove the entry and icon instead")
    desktop.set_defaults(func=cmd_install_desktop)
    return parser


# --- train ---------------------------------------------------------------------------------------
def _add_field_option(parser: argparse.ArgumentParser, f: Field, defaults: TrainingConfig) -> None:
    """One `train` option from the settings table. The model's settings default to None, so that
    --resume can tell "not given" (take the checkpoint's) from "given" (must match it)."""
    default = f.get(defaults)
    if f.kind is bool:
        parser.add_argument(f.option, dest=f.name, action="store_true", default=None if f.model else default,
                            help=f"{f.help} (default: off)")
        return
    kind = {str: str, float: _finite_float}.get(f.kind, _positive_int if f.low >= 1 and not f.model else int)
    option = {"type": kind, "help": f"{f.help} (default {'all' if default is None else default})"}
    if f.choices:
        option["choices"] = f.choices
    if f.metavar:
        option["metavar"] = f.metavar
    parser.add_argument(f.option, dest=f.name, default=None if f.model else default, **option)


def training_config_from_args(args: argparse.Namespace) -> TrainingConfig:
    """The options given; for the model's settings not given, the checkpoint's when resuming, the model's when
    fine-tuning, else the defaults."""
    if args.resume and args.init_from:
        raise VaeExplorerError("--resume continues a checkpoint and --init-from starts a new run from a model: give one")
    progress = read_checkpoint_progress(args.resume) if args.resume else None
    base = TrainingConfig(model=progress.config.model) if progress else TrainingConfig()
    if args.init_from:
        _quiet_tensorflow()
        from vae_explorer.ml.storage import read_model_config

        base = TrainingConfig(model=read_model_config(args.init_from.expanduser()))
    config = make_config({f.name: getattr(args, f.name) for f in FIELDS if getattr(args, f.name) is not None
                          or f.optional}, base)
    differences = base.model.architecture_differences(config.model) if args.init_from else []
    if differences:  # before any data is read or model built
        raise VaeExplorerError(f"--init-from: {args.init_from} has another architecture than the options ask for "
                               f"({'; '.join(differences)}); leave out the model settings to take the model's own")
    return config


def _check_can_write(folder: Path, what: str) -> None:
    """Refuse a run whose results could not be written, before any training time is spent."""
    from vae_explorer.fileio import check_writable_folder

    try:
        check_writable_folder(folder)
    except OSError as exc:
        raise VaeExplorerError(
            f"{what}: cannot write to the folder {folder} ({exc.strerror or exc}); choose a folder you can write to"
        ) from None


def _output_folder(folder: Path, what: str) -> Path:
    """The folder results go to, created when missing, and checked writable before any loading or training."""
    folder = folder.expanduser()
    if folder.exists() and not folder.is_dir():
        raise VaeExplorerError(f"{what}: {folder} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise VaeExplorerError(f"{what}: cannot create the folder {folder} ({exc.strerror or exc}); "
                               "choose a folder you can write to") from None
    _check_can_write(folder, what)
    return folder


def _save_or_rescue(model, out: Path, card) -> Path:
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


@contextlib.contextmanager
def _stop_on_signals(control, doing: str):
    """Ctrl+C or SIGTERM asks `control` to stop, once: a second signal ends the process at once."""
    def request_stop(signum, frame):
        print(f"\n{signal.Signals(signum).name}: {doing}...", file=sys.stderr, flush=True)
        control.stop()
        signal.signal(signum, signal.SIG_DFL)

    previous = {s: signal.signal(s, request_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def cmd_train(args: argparse.Namespace) -> int:
    config = training_config_from_args(args)
    config.validate()
    out = args.out.expanduser()
    if out.suffix != ".keras":
        raise VaeExplorerError(f"--out must name a .keras file, got {out}")
    checkpoint = args.checkpoint or out.with_name(out.stem + ".checkpoint.keras")
    _output_folder(out.parent, "--out")
    if checkpoint.parent != out.parent:
        _output_folder(checkpoint.parent, "--checkpoint")
    if args.metrics_csv:
        _output_folder(args.metrics_csv.parent, "--metrics-csv")
    if args.tensorboard:
        _output_folder(args.tensorboard, "--tensorboard")
        try:
            import tensorboard  # noqa: F401  (it writes the summaries; checked before any loading)
        except ImportError:
            raise VaeExplorerError("--tensorboard needs the TensorBoard package: pip install tensorboard "
                                   "(or install vae-explorer with its 'tensorboard' extra)") from None
    _quiet_tensorflow()
    from vae_explorer.fileio import atomic_write
    from vae_explorer.ml.card import finish_run, scoring_passes
    from vae_explorer.ml.data import load_fashion_mnist
    from vae_explorer.ml.trainer import Trainer, TrainingControl

    data = load_fashion_mnist(args.data_dir)
    print(f"Fashion-MNIST from {data.source} (checksums verified)", flush=True)
    control = TrainingControl()
    csv_tmp = None
    with _stop_on_signals(control, "stopping after this batch"):
        csv_stream = None
        if args.metrics_csv:
            csv_tmp = args.metrics_csv.with_name(f".{args.metrics_csv.name}.part")
            csv_stream = open(csv_tmp, "w", newline="", encoding="utf-8")
        listener = ConsoleListener(csv_stream, args.quiet)
        callbacks = []
        if args.tensorboard:
            from vae_explorer.ml.tensorboard import TensorBoardLogger

            callbacks.append(TensorBoardLogger(args.tensorboard, data.test_images, data.test_labels,
                                               config.model.conditional, seed=config.seed))
        trainer = Trainer(config, data, listener, control, checkpoint, validation_limit=args.validation_limit,
                          callbacks=callbacks)
        try:
            result = trainer.run(resume_from=args.resume, init_from=args.init_from and args.init_from.expanduser())
        finally:
            if csv_stream:
                listener.csv.close()
                csv_stream.close()
                atomic_write(args.metrics_csv, lambda tmp: os.replace(csv_tmp, tmp))
    print(result.message, flush=True)
    if args.tensorboard:
        print(f"TensorBoard logs in {args.tensorboard}: tensorboard --logdir {args.tensorboard}", flush=True)
    what = " under each of the ten classes" if config.model.conditional else ""
    scoring = TrainingControl()
    try:
        with _stop_on_signals(scoring, "stopping the scoring after this pass"):
            # Said once the handler is in place: a Ctrl+C prompted by the line must find it.
            print(f"Scoring the {len(data.test_images):,} test images{what} for the model card…", flush=True)
            listener.begin_scoring(scoring_passes(config.model.conditional))
            vae = finish_run(result, data, notes=args.notes, cancelled=lambda: scoring.stop_requested,
                             progress=listener.on_scored)
    except Cancelled:
        # The model in memory has no card yet; the checkpoint holds every completed epoch.
        print(f"Stopped while scoring the test set: {out} was not written.", file=sys.stderr, flush=True)
        if checkpoint.exists():
            print(f"The completed epochs are in {checkpoint}; resuming it scores and saves them "
                  "(and trains any epochs left).", file=sys.stderr, flush=True)
            print(f"Resume with: {_resume_command(args, config, checkpoint)}", flush=True)
        return EXIT_INTERRUPTED
    _save_or_rescue(result.model, out, vae.card)
    test = vae.card.test_metrics
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
        print(f"Resume with: {_resume_command(args, config, checkpoint)}", flush=True)
    return EXIT_DIVERGED if result.status == "diverged" else 0


RUN_OPTIONS = ("validation_limit", "data_dir", "out", "checkpoint", "metrics_csv", "tensorboard", "notes")


def _resume_command(args: argparse.Namespace, config: TrainingConfig, checkpoint: Path) -> str:
    """The command that continues this run: its settings (from the settings table) and its own files and
    options, with `--resume` pointing at its checkpoint, so the run goes on as it began."""
    run = []
    for name in RUN_OPTIONS:
        value = getattr(args, name)
        if value not in (None, ""):
            run += [f"--{name.replace('_', '-')}", str(value)]
    quiet = ["--quiet"] if args.quiet else []
    return shlex.join(["vae-explorer", "train", *cli_arguments(config), *run, *quiet, "--resume", str(checkpoint)])


# --- evaluate, sample, reconstruct ------------------------------------------------------------------
NOT_CONDITIONAL_HINT = (f"(leave --model out for the shipped {CONDITIONAL_MODEL_PATH.name}, "
                        "or train one with --conditional)")


def _load(args: argparse.Namespace):
    _quiet_tensorflow()
    from vae_explorer.ml.inference import load_vae

    return load_vae(args.model)


def cmd_evaluate(args: argparse.Namespace) -> int:
    vae = _load(args)  # first: it imports TensorFlow quietly
    from vae_explorer.ml.data import load_fashion_mnist
    from vae_explorer.ml.likelihood import likelihood_report

    data = load_fashion_mnist(args.data_dir)
    images = data.test_images[: args.limit]
    labels = data.test_labels[: args.limit] if vae.conditional else None  # scored given the true class
    scores = vae.evaluate(images, labels)
    report = {"model": str(vae.path), "n_images": len(images), **{k: round(v, 4) for k, v in scores.items()}}
    subset = min(args.likelihood_images, len(images))
    if subset:
        report["likelihood"] = likelihood_report(vae, images[:subset], None if labels is None else labels[:subset],
                                                 args.importance_samples)
    if args.json:
        print(json.dumps(report))
        return 0
    given = " given their class" if vae.conditional else ""
    print(f"{vae.path}: on {len(images)} test images{given}, total_loss {scores['total_loss']:.2f}, "
          f"ce_loss {scores['ce_loss']:.2f}, kl_loss {scores['kl_loss']:.2f} (nats per image)")
    if subset:
        lik = report["likelihood"]
        lines = [("-ELBO (the encoder's bound)", lik["negative_elbo"]),
                 (f"-ELBO, q refined ({lik['negative_elbo_refined']['steps']} steps)", lik["negative_elbo_refined"]),
                 (f"-IWAE bound, K = {args.importance_samples}", lik["negative_iwae"])]
        if "negative_log_likelihood" in lik:
            lines.append(("exact -log p(x), by quadrature", lik["negative_log_likelihood"]))
            lines.append(("gap: -ELBO - (-log p(x))", lik["inference_gap"]))
        print(f"On the first {subset} of them, nats per image (mean ± standard error):")
        for name, value in lines:
            print(f"  {name:<34} {value['mean']:8.2f} ± {value['stderr']:.2f}")
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    from vae_explorer.ml.images import save_png, sharpen, tile

    if args.out.suffix.lower() != ".png":
        raise VaeExplorerError(f"--out must name a .png file, got {args.out}")
    if args.grid > 64:
        raise VaeExplorerError(f"--grid {args.grid} is too large; use at most 64 (4,096 samples)")
    _output_folder(args.out.parent, "--out")
    if args.label is not None and args.model is None:
        args.model = CONDITIONAL_MODEL_PATH
    vae = _load(args)
    n, labels = args.grid * args.grid, None
    if args.label is not None:
        if not vae.conditional:
            raise VaeExplorerError(f"--class needs a class-conditional model, and {args.model} is not {NOT_CONDITIONAL_HINT}")
        from vae_explorer.ml.inference import class_indices

        labels = np.arange(n) // args.grid % NUM_CLASSES if args.label == "all" else class_indices(args.label, n)
    images = sharpen(vae.sample(n, seed=args.seed, temperature=args.temperature, labels=labels), args.sharpen)
    save_png(tile(images, args.grid), args.out)
    side = args.grid * images.shape[1]
    print(f"Wrote {args.out} ({args.grid}x{args.grid} samples, {side}x{side} pixels, seed {args.seed})")
    return 0


def _output_names(names: list[str], suffix: str) -> list[str]:
    """A file name per input, its stem + `suffix`, unique within the run: shirt.png and shirt.jpg, or two
    folders' shirt.png, wrote one file over the other."""
    used: set[str] = set()
    out = []
    for name in names:
        path = Path(name)
        stem = path.stem
        if f"{stem}{suffix}" in used and path.suffix:
            stem = f"{path.stem}-{path.suffix.lstrip('.').lower()}"
        candidate, k = f"{stem}{suffix}", 2
        while candidate in used:
            candidate, k = f"{stem}-{k}{suffix}", k + 1
        used.add(candidate)
        out.append(candidate)
    return out


def cmd_reconstruct(args: argparse.Namespace) -> int:
    from vae_explorer.ml.analysis import analyse_sources
    from vae_explorer.ml.images import save_png

    _output_folder(args.out, "--out")
    vae = _load(args)
    results, errors = analyse_sources(vae, [(str(path), path) for path in args.images])
    for message in errors:
        print(f"error: {message}", file=sys.stderr)
    report = []
    outputs = _output_names([r.name for r in results], ".reconstruction.png")
    for path, r, output in zip((Path(r.name) for r in results), results, outputs):
        out = args.out / output
        save_png(r.reconstruction, out)
        pct = None if r.anomaly_percentile is None else round(r.anomaly_percentile, 2)
        report.append({"input": r.name, "latent_mean": [round(float(v), 5) for v in r.mean],
                       "total_loss": round(r.total_loss, 3), "ce_loss": round(r.ce_loss, 3),
                       "kl_loss": round(r.kl_loss, 3), "anomaly_percentile": pct, "reconstruction": str(out),
                       **_class_report(r.predicted_class, r.class_probabilities)})
        if not args.json:
            print(f"{path}: z={[round(float(v), 3) for v in r.mean]} total_loss {r.total_loss:.1f} "
                  f"(ce {r.ce_loss:.1f}, kl {r.kl_loss:.2f}) anomaly percentile "
                  f"{'n/a' if pct is None else f'{pct:.1f}'} -> {out}")
    if args.json:
        print(json.dumps(report, indent=1))
    return 1 if errors else 0


def _class_report(predicted, probabilities) -> dict:
    """A conditional model's verdict on an image, for JSON: the class and each class's probability."""
    if predicted is None:
        return {}
    return {"predicted_class": CLASS_NAMES[int(predicted)],
            "class_probabilities": {name: round(float(p), 4) for name, p in zip(CLASS_NAMES, probabilities)}}


def cmd_transfer(args: argparse.Namespace) -> int:
    from vae_explorer.ml.analysis import read_sources, style_transfer
    from vae_explorer.ml.images import save_png

    _output_folder(args.out, "--out")
    vae = _load(args)
    if not vae.conditional:
        raise VaeExplorerError(f"transfer needs a class-conditional model, and {args.model} is not {NOT_CONDITIONAL_HINT}")
    read, errors = read_sources([(str(path), path) for path in args.images])
    for message in errors:
        print(f"error: {message}", file=sys.stderr)
    report = []
    if read:
        t = style_transfer(vae, np.stack([x for _, _, x in read]), labels=args.label,
                           to=None if args.to == "all" else args.to, refine=args.refine).sharpened(args.sharpen)
        outputs = _output_names([name for name, _, _ in read], ".transfer.png")
        for i, (name, _, _) in enumerate(read):
            out = args.out / outputs[i]
            save_png(t.strip(i), out)
            p = t.probabilities[i]
            report.append({"input": name, **_class_report(p.argmax(), p),
                           "encoded_as": CLASS_NAMES[int(t.encoded_as[i])], "decoded_as": [CLASS_NAMES[c] for c in t.classes],
                           "latent_mean": [round(float(v), 5) for v in t.mean[i]], "file": str(out)})
            if not args.json:
                print(f"{name}: {report[-1]['predicted_class']} ({p.max():.0%}), encoded as "
                      f"{report[-1]['encoded_as']} -> {out}")
    if args.json:
        print(json.dumps(report, indent=1))
    return 1 if errors else 0


def cmd_install_desktop(args: argparse.Namespace) -> int:
    from vae_explorer import desktop

    if args.remove:
        removed = desktop.uninstall()
        print("removed " + ", ".join(map(str, removed)) if removed else "no desktop entry was installed")
        return 0
    paths = desktop.install()
    print(f"desktop entry: {paths.entry}\nicon: {paths.icon}\nVAE Explorer is now in the application menu.")
    return 0


def run_cli(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.verbose:
        os.environ["VAE_EXPLORER_VERBOSE"] = "1"
    if not hasattr(args, "func"):
        parser.print_help()
        return EXIT_USER_ERROR
    try:
        return args.func(args)
    except VaeExplorerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
