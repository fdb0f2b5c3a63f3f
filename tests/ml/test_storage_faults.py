"""Faults when saving: a process killed mid-save, a read-only folder, a checkpoint that cannot be written."""

import json
import random
import shutil
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from vae_explorer.errors import ModelFileError
from vae_explorer.ml.storage import file_sha256, load_cvae, save_model
from vae_explorer.model_card import card_path

# A process that saves a model over TARGET and is killed by the test at a chosen moment. PHASE picks it:
# "writing-model": while the model file is half written; "between-renames": after the new model is in
# place and before its card is; "random": saving again and again until the kill lands somewhere.
SAVER = textwrap.dedent(
    """
    import dataclasses, os, sys, time
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    from pathlib import Path
    from vae_explorer.ml import storage

    source, target, phase = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    model, card = storage.load_cvae(source)
    real_stage, real_commit = storage.stage, storage.commit

    def stage(path, write):
        if phase == "writing-model" and path.suffix == ".keras":
            def half_then_hang(tmp):
                write(tmp)
                data = tmp.read_bytes()
                tmp.write_bytes(data[: len(data) // 2])
                print("IN PHASE", flush=True)
                time.sleep(600)
            return real_stage(path, half_then_hang)
        return real_stage(path, write)

    def commit(tmp, path):
        real_commit(tmp, path)
        if phase == "between-renames" and path.suffix == ".keras":
            print("IN PHASE", flush=True)
            time.sleep(600)

    storage.stage, storage.commit = stage, commit
    print("READY", flush=True)
    for i in range(10**6):
        storage.save_model(model, target, dataclasses.replace(card, notes=f"save {i}"))
        if phase != "random":
            break
    """
)


def kill_while_saving(source, target, phase, delay_s=0.0):
    proc = subprocess.Popen(
        [sys.executable, "-c", SAVER, str(source), str(target), phase],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        wanted = "READY" if phase == "random" else "IN PHASE"
        for line in proc.stdout:
            if line.strip() == wanted:
                break
        else:
            pytest.fail(f"the saver ended early: {proc.stderr.read()}")
        if delay_s:
            import time

            time.sleep(delay_s)
        assert proc.poll() is None, "the saver must still be running when it is killed"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
        proc.stdout.close()
        proc.stderr.close()
    return proc.returncode


@pytest.fixture
def saved_pair(tiny_trained, tmp_path):
    target = tmp_path / "model.keras"
    shutil.copy(tiny_trained, target)
    shutil.copy(card_path(tiny_trained), card_path(target))
    return target


def test_killed_while_writing_the_model_leaves_the_previous_pair(tiny_trained, saved_pair):
    before = (saved_pair.read_bytes(), card_path(saved_pair).read_bytes())
    assert kill_while_saving(tiny_trained, saved_pair, "writing-model") == -signal.SIGKILL
    assert (saved_pair.read_bytes(), card_path(saved_pair).read_bytes()) == before
    model, card = load_cvae(saved_pair)
    assert card.model_file_sha256 == file_sha256(saved_pair)


def test_killed_between_the_two_renames_the_next_load_completes_the_save(tiny_trained, saved_pair):
    old_card = json.loads(card_path(saved_pair).read_text())
    assert kill_while_saving(tiny_trained, saved_pair, "between-renames") == -signal.SIGKILL
    assert json.loads(card_path(saved_pair).read_text()) == old_card, "the kill left the old card"
    model, card = load_cvae(saved_pair)
    assert card.notes == "save 0" and card.model_file_sha256 == file_sha256(saved_pair)
    assert json.loads(card_path(saved_pair).read_text())["notes"] == "save 0", "the staged card was put in place"
    assert np.isfinite(np.asarray(model.decoder(np.zeros((1, 2), np.float32)))).all()


def test_what_a_killed_save_left_is_removed_by_a_later_save_once_it_is_stale(tiny_trained, saved_pair):
    import os
    import time

    from vae_explorer.fileio import STALE_AFTER_S

    assert kill_while_saving(tiny_trained, saved_pair, "writing-model") == -signal.SIGKILL
    folder = saved_pair.parent
    leftovers = sorted(folder.glob(".model.*.tmp.keras"))
    assert len(leftovers) == 1, "the killed save left its half-written model"
    scratch = folder / ".vae-explorer-save-killed"
    (scratch / "model.weights.h5").parent.mkdir()
    (scratch / "model.weights.h5").write_bytes(b"partial")
    old = time.time() - STALE_AFTER_S - 60
    for path in (leftovers[0], scratch / "model.weights.h5", scratch):
        os.utime(path, (old, old))
    fresh = folder / ".model.under-way.tmp.keras"  # another save's, still being written: kept
    fresh.write_bytes(b"in progress")

    model, card = load_cvae(saved_pair)
    save_model(model, saved_pair, card)
    hidden = sorted(p.name for p in folder.iterdir() if p.name.startswith("."))
    assert hidden == [fresh.name]
    assert load_cvae(saved_pair)[1].model_file_sha256 == file_sha256(saved_pair)


def test_atomic_write_removes_its_own_stale_temporaries_only(tmp_path):
    import os
    import time

    from vae_explorer.fileio import STALE_AFTER_S, atomic_write

    stale, other = tmp_path / ".grid [1].x1.tmp.png", tmp_path / ".grid 1.x1.tmp.png"  # [1] is glob syntax
    for path in (stale, other):
        path.write_bytes(b"cut short")
        os.utime(path, (time.time() - STALE_AFTER_S - 1,) * 2)
    atomic_write(tmp_path / "grid [1].png", lambda tmp: tmp.write_bytes(b"png"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [other.name, "grid [1].png"]


@pytest.mark.parametrize("seed", [1, 2])
def test_killed_at_a_random_moment_of_repeated_saves_the_model_loads(tiny_trained, saved_pair, seed):
    """No injected pause: the kill lands wherever the saver happens to be."""
    delay = random.Random(seed).uniform(0.3, 1.5)
    assert kill_while_saving(tiny_trained, saved_pair, "random", delay) == -signal.SIGKILL
    model, card = load_cvae(saved_pair)
    assert card.model_file_sha256 == file_sha256(saved_pair)
    assert np.isfinite(np.asarray(model.decoder(np.zeros((1, 2), np.float32)))).all()


def test_saving_into_a_read_only_folder_is_a_clear_error_and_elsewhere_works(tiny_trained, read_only_dir, tmp_path):
    model, card = load_cvae(tiny_trained)
    with pytest.raises(ModelFileError, match=r"(Read-only file system|Permission denied).*still in memory"):
        save_model(model, read_only_dir / "m.keras", card)
    assert list(read_only_dir.iterdir()) == []
    elsewhere = save_model(model, tmp_path / "m.keras", card)
    load_cvae(elsewhere)


def test_checkpoint_that_cannot_be_written_warns_and_training_goes_on(small_data, tiny_config, read_only_dir):
    from vae_explorer.ml.trainer import Trainer, TrainingListener

    class Warnings(TrainingListener):
        def __init__(self):
            self.messages = []

        def on_warning(self, message):
            self.messages.append(message)

    listener = Warnings()
    result = Trainer(tiny_config, small_data, listener, checkpoint_path=read_only_dir / "run.checkpoint.keras").run()
    assert result.status == "completed" and result.epochs_completed == tiny_config.epochs
    assert len(listener.messages) == tiny_config.epochs
    assert "Checkpoint after epoch 1 not written" in listener.messages[0] and "Training goes on" in listener.messages[0]
