import csv
import dataclasses
import json
import math
import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.helpers import TINY_MODEL
from vae_explorer.cli import build_parser, run_cli, training_config_from_args
from vae_explorer.config import TrainingConfig
from vae_explorer.ml.storage import load_cvae

VENV_BIN = os.path.dirname(sys.executable)
VAE_EXPLORER = os.path.join(VENV_BIN, "vae-explorer")  # the installed command, as a user runs it
FEW_TEST_IMAGES = [sys.executable, os.path.join(os.path.dirname(__file__), "few_test_images.py")]  # the same, on fewer
# `train` and `evaluate` run in this process see 1,000 test images, and so do the subprocesses FEW_TEST_IMAGES
# runs; those that run VAE_EXPLORER, all 10,000.
pytestmark = pytest.mark.usefixtures("few_test_images")


def test_help_of_every_command_is_complete(capsys):
    for command, options in {
        "train": ["--epochs", "--batch-size", "--learning-rate", "--latent-dim", "--beta", "--kl-warmup", "--fourier-features", "--seed", "--limit", "--data-dir", "--out", "--metrics-csv", "--resume"],
        "evaluate": ["--model", "--json", "--data-dir"],
        "sample": ["--model", "--grid", "--seed", "--temperature", "--out"],
        "reconstruct": ["IMAGE", "--model", "--json", "--out"],
    }.items():
        with pytest.raises(SystemExit) as done:
            run_cli([command, "--help"])
        assert done.value.code == 0
        text = capsys.readouterr().out
        for option in options:
            assert option in text, (command, option)


def test_entry_point_runs_like_a_user_runs_it():
    out = subprocess.run([VAE_EXPLORER, "sample", "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "--temperature" in out.stdout
    out = subprocess.run([sys.executable, "-m", "vae_explorer", "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "vae-explorer" in out.stdout


def test_resume_takes_the_architecture_from_the_checkpoint_unless_options_say_otherwise(tmp_path, capsys, small_data, tiny_config):
    """`Resume with: vae-explorer train --resume CKPT --epochs N --out OUT`, as printed, works for any model."""
    from vae_explorer.ml.trainer import Trainer

    model = dataclasses.replace(TINY_MODEL, latent_dim=3, fourier_features=4)  # nothing here is a default
    checkpoint = tmp_path / "run.checkpoint.keras"
    Trainer(dataclasses.replace(tiny_config, epochs=1, model=model), small_data, checkpoint_path=checkpoint).run()
    small = ["--limit", "256", "--batch-size", "64", "--validation-limit", "100", "--quiet"]
    resumed = tmp_path / "resumed.keras"
    assert run_cli(["train", *small, "--epochs", "2", "--resume", str(checkpoint), "--out", str(resumed)]) == 0
    card = json.loads(resumed.with_suffix(".json").read_text())  # the card file as written
    assert card["training"]["config"]["model"] == TrainingConfig(model=model).to_dict()["model"]
    assert card["training"]["epochs_completed"] == 2
    capsys.readouterr()
    other = ["train", *small, "--epochs", "2", "--resume", str(checkpoint), "--latent-dim", "2", "--out", str(tmp_path / "x.keras")]
    assert run_cli(other) != 0
    assert "differs from the requested" in capsys.readouterr().err
    assert not (tmp_path / "x.keras").exists()


def test_init_from_fine_tunes_a_model_with_its_architecture_and_other_loss_weights(tiny_trained, tmp_path, capsys):
    small = ["--limit", "256", "--batch-size", "64", "--validation-limit", "100", "--epochs", "1", "--quiet"]
    out = tmp_path / "fine.keras"
    assert run_cli(["train", *small, "--init-from", str(tiny_trained), "--beta", "0.5", "--out", str(out)]) == 0
    card = json.loads(out.with_suffix(".json").read_text())
    assert card["training"]["config"]["model"] == TrainingConfig(model=dataclasses.replace(TINY_MODEL, beta=0.5)).to_dict()["model"]
    assert card["training"]["init_from"]["file"] == "tiny.keras"
    capsys.readouterr()
    for extra, message in ((["--latent-dim", "3"], "latent_dim: 2 vs 3"), (["--resume", str(tiny_trained)], "give one")):
        assert run_cli(["train", *small, "--init-from", str(tiny_trained), *extra, "--out", str(tmp_path / "x.keras")]) == 2
        assert message in capsys.readouterr().err
    assert run_cli(["train", *small, "--init-from", str(tmp_path / "missing.keras"), "--out", str(tmp_path / "x.keras")]) == 2
    assert "no model file" in capsys.readouterr().err
    assert not (tmp_path / "x.keras").exists()


def test_train_writes_model_card_and_per_batch_csv(tmp_path, capsys):
    out = tmp_path / "m.keras"
    code = run_cli(
        ["train", "--limit", "256", "--epochs", "2", "--batch-size", "64", "--validation-limit", "200",
         "--latent-dim", "3", "--out", str(out), "--metrics-csv", str(tmp_path / "m.csv"), "--quiet"]
    )
    assert code == 0
    text = capsys.readouterr().out
    assert "epoch 1:" in text and "epoch 2:" in text and "Saved" in text
    card = json.loads(out.with_suffix(".json").read_text())
    assert card["latent_dim"] == 3 and card["training"]["epochs_completed"] == 2
    assert set(card["metrics"]["test"]) == {"total_loss", "ce_loss", "kl_loss"}
    rows = list(csv.DictReader(open(tmp_path / "m.csv")))
    assert len(rows) == 8 and list(rows[0]) == ["epoch", "step", "total_loss", "ce_loss", "kl_loss", "training_time_ms",
                                                "val_total_loss", "val_ce_loss", "val_kl_loss"]
    assert [bool(r["val_total_loss"]) for r in rows] == [False, False, False, True] * 2
    assert not (tmp_path / "m.checkpoint.keras").exists(), "a completed run removes its checkpoint"


@pytest.mark.parametrize("args, message", [(["--epochs", "0"], "whole number >= 1"), (["--learning-rate", "nan"], "finite"), (["--latent-dim", "0"], "latent dimension"), (["--fourier-features", "-3"], "Fourier features")])
def test_train_refuses_bad_settings(tmp_path, capsys, args, message):
    try:  # argparse refuses some values itself (SystemExit 2); the config refuses the rest (return 2)
        code = run_cli(["train", "--out", str(tmp_path / "x.keras"), *args])
    except SystemExit as done:
        code = done.code
    assert code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["sample", "--seed", "-1"], "from 0 to 2^31-1, got -1"), (["sample", "--seed", "99999999999"], "from 0 to 2^31-1"),
    (["sample", "--temperature", "-1"], "number > 0"), (["sample", "--temperature", "0"], "number > 0"),
    (["evaluate", "--likelihood-images", "-1"], "whole number >= 0")])
def test_sampling_and_evaluation_settings_are_refused_in_one_line_before_a_model_loads(tmp_path, capsys, args, message):
    """A negative seed reached NumPy's generator and one past int32 TensorFlow's signature: tracebacks."""
    with pytest.raises(SystemExit) as done:
        run_cli([*args, *(["--out", str(tmp_path / "s.png")] if args[0] == "sample" else [])])
    assert done.value.code == 2 and message in capsys.readouterr().err
    assert not (tmp_path / "s.png").exists()


def test_evaluate_json(tiny_trained, capsys):
    assert run_cli(["evaluate", "--model", str(tiny_trained), "--limit", "300", "--likelihood-images", "4",
                    "--importance-samples", "50", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["n_images"] == 300 and report["total_loss"] == pytest.approx(report["ce_loss"] + report["kl_loss"], rel=1e-3)
    likelihood = report["likelihood"]  # the three numbers on the first 4 images, each with its standard error
    assert likelihood["n_images"] == 4 and likelihood["negative_iwae"]["k"] == 50
    for name in ("negative_elbo", "negative_iwae", "negative_log_likelihood", "inference_gap"):
        assert set(likelihood[name]) >= {"mean", "stderr"}
    assert likelihood["negative_log_likelihood"]["mean"] <= likelihood["negative_elbo"]["mean"]


def test_evaluate_scores_a_conditional_model_given_the_true_classes(conditional_trained, capsys):
    assert run_cli(["evaluate", "--model", str(conditional_trained), "--limit", "100", "--likelihood-images", "0"]) == 0
    assert "given their class" in capsys.readouterr().out


def test_sample_grid_png_same_seed_same_grid(tiny_trained, tmp_path):
    for name, seed in (("a.png", 4), ("b.png", 4), ("c.png", 5)):
        assert run_cli(["sample", "--model", str(tiny_trained), "--seed", str(seed), "--out", str(tmp_path / name)]) == 0
    a, b, c = (np.asarray(Image.open(tmp_path / n)) for n in ("a.png", "b.png", "c.png"))
    assert a.shape == (448, 448)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_reconstruct_processes_good_files_and_reports_bad_ones(tiny_trained, tmp_path, capsys):
    good = tmp_path / "shirt.png"
    img = np.full((60, 40), 255, np.uint8)
    img[5:55, 5:35] = 30
    Image.fromarray(img).save(good)
    bad = tmp_path / "notes.png"
    bad.write_text("not an image")
    code = run_cli(["reconstruct", str(bad), str(good), "--model", str(tiny_trained), "--out", str(tmp_path), "--json"])
    captured = capsys.readouterr()
    assert code == 1 and "notes.png" in captured.err and captured.err.count("\n") == 1
    (result,) = json.loads(captured.out)
    assert result["input"] == str(good) and len(result["latent_mean"]) == 2
    assert 0 <= result["anomaly_percentile"] <= 100
    assert np.asarray(Image.open(result["reconstruction"])).shape == (28, 28)


def test_missing_model_is_one_clear_line(tmp_path, capsys):
    assert run_cli(["evaluate", "--model", str(tmp_path / "none.keras")]) == 2
    assert capsys.readouterr().err.strip() == f"error: no model file at {tmp_path / 'none.keras'}"


def test_sigint_stops_cleanly_and_resume_continues(tmp_path):
    out = tmp_path / "run.keras"
    args = ["train", "--limit", "640", "--batch-size", "64", "--epochs", "40", "--validation-limit", "100", "--out", str(out), "--quiet"]
    code, rest = _sigint_on(args, "epoch 2:", FEW_TEST_IMAGES)
    assert code == 0 and "stopping after this batch" in rest, rest
    line = next(line for line in rest.splitlines() if line.startswith("Resume with: "))
    resumed, original = _parsed(line), build_parser().parse_args(args)
    assert resumed.resume == tmp_path / "run.checkpoint.keras"
    assert training_config_from_args(resumed) == training_config_from_args(original), "the printed command continues the same run"
    assert (resumed.out, resumed.validation_limit, resumed.quiet) == (out, 100, True)
    checkpoint = tmp_path / "run.checkpoint.keras"
    card = json.loads(checkpoint.with_suffix(".json").read_text())
    assert card["training"]["epochs_completed"] >= 2
    resume = ["train", "--limit", "640", "--batch-size", "64", "--validation-limit", "100", "--quiet", "--out", str(out),
              "--epochs", str(card["training"]["epochs_completed"] + 1), "--resume", str(checkpoint)]
    done = subprocess.run([*FEW_TEST_IMAGES, *resume], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Training completed" in done.stdout


def test_sigint_while_the_card_is_scored_stops_there_and_the_checkpoint_scores_and_saves_on_resume(tmp_path):
    out = tmp_path / "run.keras"
    args = ["train", "--limit", "128", "--batch-size", "64", "--epochs", "1", "--validation-limit", "100", "--out", str(out), "--quiet"]
    code, rest = _sigint_on(args, "Scoring the ")
    assert code == 130 and "stopping the scoring after this pass" in rest, rest
    assert f"Stopped while scoring the test set: {out} was not written." in rest
    assert not out.exists() and not out.with_suffix(".json").exists()
    line = next(line for line in rest.splitlines() if line.startswith("Resume with: "))
    resumed = _parsed(line)
    assert resumed.resume == tmp_path / "run.checkpoint.keras" and resumed.resume.exists()
    done = subprocess.run([*FEW_TEST_IMAGES, *shlex.split(line)[3:]], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Training completed: 1 epoch." in done.stdout and "Scoring the " in done.stdout
    assert json.loads(out.with_suffix(".json").read_text())["training"]["epochs_completed"] == 1
    assert not resumed.resume.exists(), "a completed run's checkpoint goes once the model is saved"


def _sigint_on(args: list[str], prefix: str, command=(VAE_EXPLORER,)) -> tuple[int, str]:
    """Run `vae-explorer ARGS`, send it SIGINT once it prints a line starting with `prefix`: its exit code and output."""
    proc = subprocess.Popen([*command, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if line.startswith(prefix):
            proc.send_signal(signal.SIGINT)
            break
    rest, _ = proc.communicate(timeout=120)
    return proc.returncode, "".join(seen) + rest


def _parsed(line: str):
    """A printed `Resume with: vae-explorer train ...` line, parsed by the CLI's own parser."""
    argv = shlex.split(line.removeprefix("Resume with: "))
    assert argv[:2] == ["vae-explorer", "train"]
    return build_parser().parse_args(argv[1:])


def _two_local_workers(tmp_path, *args: str) -> tuple[list[subprocess.Popen], list]:
    """`vae-explorer train --strategy multiworker` as the README runs it (on 1,000 test images), on two loopback
    ports of this machine."""
    import socket

    ports = []
    for _ in range(2):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            ports.append(s.getsockname()[1])
    procs, folders = [], []
    for index in range(2):
        folder = tmp_path / f"worker{index}"  # each worker writes its own files, as on its own machine
        folder.mkdir()
        tf_config = {"cluster": {"worker": [f"127.0.0.1:{p}" for p in ports]}, "task": {"type": "worker", "index": index}}
        procs.append(subprocess.Popen(
            [*FEW_TEST_IMAGES, "train", "--strategy", "multiworker", "--limit", "640", "--batch-size", "64", "--epochs", "40",
             "--validation-limit", "128", "--latent-dim", "2", "--seed", "5", "--out", "run.keras", "--quiet", *args],
            cwd=folder, env={**os.environ, "TF_CONFIG": json.dumps(tf_config)},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
        folders.append(folder)
    return procs, folders


def _wait_for_line(proc: subprocess.Popen, prefix: str) -> str:
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if line.startswith(prefix):
            return "".join(seen)
    raise AssertionError(f"no line starting {prefix!r}:\n" + "".join(seen)[-3000:])


def test_multiworker_trains_in_step_and_a_stop_on_one_worker_stops_both(tmp_path):
    """Two workers over loopback: Keras' fit failed under multi-worker training at the first step (uint8
    batches and scalar step outputs in collectives), and a worker that stopped alone broke the run on both."""
    from vae_explorer.ml.storage import load_cvae

    procs, folders = _two_local_workers(tmp_path)
    try:
        _wait_for_line(procs[1], "epoch 2:")
        procs[1].send_signal(signal.SIGINT)
        outputs = [p.communicate(timeout=180)[0] for p in procs]
    finally:
        for p in procs:
            p.kill()
    for p, text in zip(procs, outputs):
        assert p.returncode == 0, text[-3000:]
        assert "Training stopped after" in text
        resume = next(line for line in text.splitlines() if line.startswith("Resume with: "))
        config = training_config_from_args(_parsed(resume))  # the run's own settings
        assert (config.strategy, config.train_limit, config.batch_size, config.seed) == ("multiworker", 640, 64, 5)
        assert resume.endswith("--resume run.checkpoint.keras")
    cards = [json.loads((f / "run.json").read_text()) for f in folders]
    assert cards[0]["training"]["epochs_completed"] == cards[1]["training"]["epochs_completed"] >= 2
    metrics = [[{k: v for k, v in e.items() if k != "wall_time_s"} for e in card["history"]] for card in cards]
    assert metrics[0] == metrics[1], "both workers saw the same reduced metrics"
    assert all(math.isfinite(e["val_total_loss"]) and e["val_total_loss"] < 600 for e in cards[0]["history"])
    (a, _), (b, _) = (load_cvae(f / "run.keras") for f in folders)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(wa, wb)  # synchronous training: the replicas never drift apart


def test_multiworker_losing_a_worker_is_one_clear_line_that_says_how_to_resume(tmp_path):
    procs, folders = _two_local_workers(tmp_path)
    try:
        _wait_for_line(procs[0], "epoch 1:")
        procs[1].kill()
        text = procs[0].communicate(timeout=180)[0]
    finally:
        for p in procs:
            p.kill()
    assert procs[0].returncode == 2, text[-3000:]
    error = [line for line in text.splitlines() if line.startswith("error:")]
    assert len(error) == 1 and "another worker stopped or cannot be reached" in error[0], text[-3000:]
    assert "--resume" in error[0] and "Traceback" not in text
    assert (folders[0] / "run.checkpoint.keras").exists()
    completed = json.loads((folders[0] / "run.checkpoint.json").read_text())["training"]["epochs_completed"]
    assert f"The last completed epoch ({completed}) is in run.checkpoint.keras" in error[0]


@pytest.mark.parametrize("tf_config, message", [
    (None, "needs the TF_CONFIG environment variable"),
    ("{cluster", "not valid JSON"),
    ('{"cluster": {"worker": ["host1"]}, "task": {"type": "worker", "index": 0}}', '"host:port" strings'),
    ('{"cluster": {"worker": ["h:1", "h:2"]}, "task": {"type": "chief", "index": 0}}', "one of the cluster's jobs (worker)"),
    ('{"cluster": {"worker": ["h:1", "h:2"]}, "task": {"type": "worker", "index": 2}}', "from 0 to 1"),
])
def test_multiworker_refuses_a_tf_config_it_cannot_start_with(tmp_path, capsys, monkeypatch, tf_config, message):
    if tf_config is None:
        monkeypatch.delenv("TF_CONFIG", raising=False)
    else:
        monkeypatch.setenv("TF_CONFIG", tf_config)
    assert run_cli(["train", "--strategy", "multiworker", "--out", str(tmp_path / "x.keras")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    assert not list(tmp_path.iterdir())


def test_cli_train_refuses_a_read_only_output_folder_before_training(read_only_dir, capsys):
    code = run_cli(["train", "--limit", "128", "--epochs", "1", "--out", str(read_only_dir / "m.keras"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "cannot write to the folder" in err and "Training in" not in err


def test_cli_final_save_failing_rescues_the_model(tmp_path, capsys, monkeypatch):
    """The disk fills during the run: the trained model goes to a rescue file, not nowhere."""
    import errno

    from vae_explorer.ml import storage

    out = tmp_path / "out" / "m.keras"
    out.parent.mkdir()
    real = storage.stage
    rescue_dir = tmp_path / "tmp"
    rescue_dir.mkdir()
    monkeypatch.setenv("TMPDIR", str(rescue_dir))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)

    def stage(path, write):
        if path.parent == out.parent:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, write)

    monkeypatch.setattr(storage, "stage", stage)
    code = run_cli(["train", "--limit", "128", "--batch-size", "64", "--epochs", "1", "--validation-limit", "100",
                    "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    rescued = sorted(rescue_dir.glob("vae-explorer-rescued-*.keras"))
    assert code == 2 and "No space left on device" in err and len(rescued) == 1 and str(rescued[0]) in err
    load_cvae(rescued[0])


def test_sample_draws_the_class_asked_for(tmp_path, capsys, conditional_trained, tiny_trained):
    # `train --conditional` itself: test_train_conditional_writes_its_card_and_tensorboard_logs_that_tensorboard_reads
    for option, name in (("all", "all.png"), ("Bag", "bag.png"), ("8", "eight.png")):
        assert run_cli(["sample", "--model", str(conditional_trained), "--class", option, "--grid", "10", "--out", str(tmp_path / name)]) == 0
    np.testing.assert_array_equal(np.asarray(Image.open(tmp_path / "bag.png")), np.asarray(Image.open(tmp_path / "eight.png")))
    capsys.readouterr()
    assert run_cli(["sample", "--model", str(conditional_trained), "--class", "hat", "--out", str(tmp_path / "x.png")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "hat" in err and "Ankle boot" in err, "one line that lists the ten names"
    assert run_cli(["sample", "--model", str(tiny_trained), "--class", "Bag", "--out", str(tmp_path / "x.png")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "not" in err and "conditional" in err


def test_transfer_writes_a_strip_per_image_and_reports_the_classes(tmp_path, capsys, conditional_trained, fashion, tiny_trained,
                                                                   conditional_vae, monkeypatch):
    paths = []
    for i in range(2):
        paths.append(tmp_path / f"g{i}.png")
        Image.fromarray(fashion.test_images[i]).save(paths[-1])
    assert run_cli(["transfer", *map(str, paths), "--model", str(conditional_trained), "--out", str(tmp_path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [r["input"] for r in report] == list(map(str, paths))
    for r in report:
        assert r["predicted_class"] in r["class_probabilities"] and len(r["latent_mean"]) == 2
        assert np.asarray(Image.open(r["file"])).shape == (28, 12 * 28), "input, reconstruction, then ten classes"
    assert run_cli(["transfer", str(paths[0]), "--model", str(conditional_trained), "--to", "Sandal", "--label", "Bag",
                    "--out", str(tmp_path), "--json"]) == 0
    (r,) = json.loads(capsys.readouterr().out)
    assert r["encoded_as"] == "Bag" and r["decoded_as"] == ["Sandal"]
    from vae_explorer.ml import inference

    real = inference.load_vae
    with monkeypatch.context() as m:  # that model already loaded with its class grids: a refined verdict's first work
        m.setattr(inference, "load_vae", lambda path: conditional_vae if path == conditional_trained else real(path))
        assert run_cli(["transfer", str(paths[0]), "--model", str(conditional_trained), "--refine", "--out", str(tmp_path),
                        "--json"]) == 0
    (r,) = json.loads(capsys.readouterr().out)
    assert r["encoded_as"] == r["predicted_class"] and abs(sum(r["class_probabilities"].values()) - 1) < 1e-3
    assert run_cli(["reconstruct", str(paths[0]), "--model", str(conditional_trained), "--out", str(tmp_path), "--json"]) == 0
    (r,) = json.loads(capsys.readouterr().out)
    assert r["predicted_class"] in r["class_probabilities"]
    assert run_cli(["transfer", str(paths[0]), "--model", str(tiny_trained), "--out", str(tmp_path)]) == 2
    assert "conditional" in capsys.readouterr().err


def test_transfer_and_sample_class_open_the_shipped_conditional_model_when_none_is_named(tmp_path, capsys):
    from vae_explorer.config import CONDITIONAL_MODEL_PATH, DEFAULT_MODEL_PATH, RESOURCES_DIR

    image = RESOURCES_DIR / "sample-images" / "sneaker.jpg"
    assert run_cli(["transfer", str(image), "--to", "Bag", "--out", str(tmp_path), "--json"]) == 0
    (r,) = json.loads(capsys.readouterr().out)
    assert r["predicted_class"] == "Sneaker" and r["decoded_as"] == ["Bag"]
    assert run_cli(["sample", "--class", "Trouser", "--grid", "2", "--out", str(tmp_path / "t.png")]) == 0
    capsys.readouterr()
    # A model named on the command line is the one used, and refused by name when it cannot do it.
    assert run_cli(["transfer", str(image), "--model", str(DEFAULT_MODEL_PATH), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and DEFAULT_MODEL_PATH.name in err and CONDITIONAL_MODEL_PATH.name in err


def test_sharpen_draws_the_same_samples_and_strips_with_steeper_pixels(tmp_path, capsys, conditional_trained, fashion):
    from vae_explorer.ml.images import sharpen

    model = ["--model", str(conditional_trained)]
    for name, k in (("soft.png", "1"), ("sharp.png", "2.5")):
        assert run_cli(["sample", *model, "--class", "all", "--grid", "4", "--sharpen", k, "--out", str(tmp_path / name)]) == 0
    soft, sharp = (np.asarray(Image.open(tmp_path / n)) / 255.0 for n in ("soft.png", "sharp.png"))
    np.testing.assert_allclose(sharp, sharpen(soft, 2.5), atol=0.03)  # the same samples, only steeper (8-bit PNGs)
    assert np.abs(sharp - 0.5).mean() > np.abs(soft - 0.5).mean() + 0.01
    image = tmp_path / "g.png"
    Image.fromarray(fashion.test_images[0]).save(image)
    strips = {}
    for k in ("1", "3"):
        folder = tmp_path / f"k{k}"
        assert run_cli(["transfer", str(image), *model, "--label", "T-shirt/top", "--sharpen", k, "--out", str(folder)]) == 0
        strips[k] = np.asarray(Image.open(folder / "g.transfer.png")) / 255.0
    np.testing.assert_array_equal(strips["1"][:, :28], strips["3"][:, :28])  # the input is not redrawn
    np.testing.assert_allclose(strips["3"][:, 28:], sharpen(strips["1"][:, 28:], 3), atol=0.05)
    capsys.readouterr()
    for bad in ("0", "-2", "nan", "soft"):
        with pytest.raises(SystemExit) as exit_:
            run_cli(["sample", *model, "--sharpen", bad, "--out", str(tmp_path / "x.png")])
        assert exit_.value.code == 2 and "--sharpen" in capsys.readouterr().err


def test_out_creates_missing_folders_or_fails_before_loading_in_one_line(tiny_trained, tmp_path, capsys, monkeypatch):
    assert run_cli(["sample", "--model", str(tiny_trained), "--grid", "2", "--out", str(tmp_path / "new" / "deeper" / "g.png")]) == 0
    assert np.asarray(Image.open(tmp_path / "new" / "deeper" / "g.png")).shape == (56, 56)
    image = tmp_path / "shirt.png"
    pixels = np.zeros((28, 28), np.uint8)
    pixels[4:24, 8:20] = 200
    Image.fromarray(pixels).save(image)
    assert run_cli(["reconstruct", str(image), "--model", str(tiny_trained), "--out", str(tmp_path / "recon")]) == 0
    assert (tmp_path / "recon" / "shirt.reconstruction.png").exists()
    capsys.readouterr()
    import vae_explorer.cli as cli

    monkeypatch.setattr(cli, "_load", lambda args: pytest.fail("the model was loaded before --out was checked"))
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for args in (["sample", "--out", str(blocker / "g.png")], ["reconstruct", str(image), "--out", str(blocker)],
                 ["transfer", str(image), "--out", str(blocker / "sub")]):
        assert run_cli(args) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("error: --out:") and "Traceback" not in err, err


def test_the_app_without_a_display_says_how_to_run_it_in_one_line():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "vae_explorer"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "xvfb-run" in done.stderr and "no display" in done.stderr


def test_train_conditional_writes_its_card_and_tensorboard_logs_that_tensorboard_reads(tmp_path, capsys, monkeypatch):
    from google.protobuf import text_format
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    from tensorboard.plugins.projector import projector_config_pb2

    # One conditional run for both (its card scores the test images under every class).
    logs = tmp_path / "new" / "logs"
    code = run_cli(["train", "--limit", "256", "--epochs", "2", "--batch-size", "64", "--validation-limit", "200",
                    "--conditional", "--tensorboard", str(logs), "--out", str(tmp_path / "m.keras")])
    out = capsys.readouterr().out
    assert code == 0 and f"tensorboard --logdir {logs}" in out
    assert "Scoring the 1,000 test images under each of the ten classes for the model card…" in out
    assert [line for line in out.splitlines() if "scoring pass" in line] == [
        f"  scoring pass {k}/20" for k in range(2, 21, 2)], "each class scored twice, told in ten lines"
    card = json.loads((tmp_path / "m.json").read_text())
    assert card["training"]["config"]["model"]["conditional"] is True
    assert "classification_accuracy" in card["metrics"]["test"]
    train = EventAccumulator(str(logs / "train"), size_guidance={"tensors": 0}).Reload()
    for name in ("total_loss", "ce_loss", "kl_loss", "training_time"):
        events = train.Tensors(name)
        assert [e.step for e in events] == list(range(1, 9)), f"{name}: one value per batch"
        assert train.SummaryMetadata(name).plugin_data.plugin_name == "scalars"
    for name in ("reconstructions", "samples"):
        assert [e.step for e in train.Tensors(name)] == [4, 8], f"{name}: one picture per epoch"
        assert train.SummaryMetadata(name).plugin_data.plugin_name == "images"
    validation = EventAccumulator(str(logs / "validation"), size_guidance={"tensors": 0}).Reload()
    assert [e.step for e in validation.Tensors("total_loss")] == [4, 8]
    config = text_format.Parse((logs / "train" / "projector_config.pbtxt").read_text(),
                               projector_config_pb2.ProjectorConfig())
    (embedding,) = config.embeddings
    import tensorflow as tf

    reader = tf.train.load_checkpoint(str(logs / "train" / config.model_checkpoint_path))
    assert reader.get_variable_to_shape_map()[embedding.tensor_name] == [1000, 2]
    assert len((logs / "train" / embedding.metadata_path).read_text().splitlines()) == 1000
    # Without TensorBoard installed: one line before anything is loaded.
    import builtins

    real_import = builtins.__import__

    def no_tensorboard(name, *args, **kwargs):
        if name == "tensorboard":
            raise ImportError("No module named 'tensorboard'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_tensorboard)
    assert run_cli(["train", "--limit", "256", "--epochs", "1", "--tensorboard", str(logs), "--out", str(tmp_path / "n.keras")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install tensorboard" in err


def test_reconstruct_and_transfer_take_folders_and_never_write_one_output_over_another(tiny_trained, tmp_path, capsys):
    from vae_explorer.config import MODELS_DIR

    garment = np.zeros((40, 30), np.uint8)
    garment[5:35, 8:22] = 220
    for name in ("shirt.png", "shirt.jpg", "more/shirt.png"):
        (tmp_path / "in" / name).parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(garment).save(tmp_path / "in" / name)
    (tmp_path / "in" / "notes.txt").write_text("not an image")
    (tmp_path / "none").mkdir()
    code = run_cli(["reconstruct", str(tmp_path / "in"), str(tmp_path / "in" / "more"), str(tmp_path / "none"),
                    "--model", str(tiny_trained), "--out", str(tmp_path / "out"), "--json"])
    captured = capsys.readouterr()
    assert code == 1 and captured.err.strip() == f"error: {tmp_path / 'none'}: no image files in this folder (PNG, JPEG, GIF, BMP, WebP, TIFF)"
    report = json.loads(captured.out)
    assert [r["input"] for r in report] == [str(tmp_path / "in" / n) for n in ("shirt.jpg", "shirt.png", "more/shirt.png")]
    written = [Path(r["reconstruction"]).name for r in report]
    assert written == ["shirt.reconstruction.png", "shirt-png.reconstruction.png", "shirt-png-2.reconstruction.png"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(written), "three inputs, three files"
    conditional = MODELS_DIR / "cvae-fashion-conditional-latent2.keras"
    assert run_cli(["transfer", str(tmp_path / "in"), "--model", str(conditional), "--out", str(tmp_path / "strips")]) == 0
    assert sorted(p.name for p in (tmp_path / "strips").iterdir()) == ["shirt-png.transfer.png", "shirt.transfer.png"]
