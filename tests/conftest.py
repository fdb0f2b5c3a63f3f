"""Shared fixtures: the real Fashion-MNIST (Debian's package, as CI installs it), tiny configs, a tiny trained model."""

from __future__ import annotations

import os
import warnings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# Under pytest-xdist each worker's TensorFlow would start a pool of every core; the workers' pools then
# fight over the same cores (docs/reliability.md, "How long the suite takes"). Children inherit it.
_workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
if _workers > 1:
    os.environ.setdefault("TF_NUM_INTRAOP_THREADS", str(max(1, (os.cpu_count() or 1) // _workers)))
    os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")

import numpy as np
import pytest

from tests.helpers import TINY_MODEL, write_malformed_images
from vae_explorer.config import TrainingConfig


# The session's conditional models cost the most to make (one trained, each one's ten class grids):
# under `-n` the tests that use them share one worker (pyproject's `--dist loadgroup`), which makes each once.
_SHARED_CONDITIONAL = {"conditional_trained", "shipped_conditional"}


@pytest.hookimpl(wrapper=True)  # around pytest-xdist's worker, which reads the groups into the test ids
def pytest_collection_modifyitems(config, items):
    grouped = [item for item in items if _SHARED_CONDITIONAL & set(getattr(item, "fixturenames", ()))]
    for item in grouped:
        item.add_marker(pytest.mark.xdist_group("conditional"))
    yield
    if getattr(config.option, "loadgroup", False) and any("@" not in item.nodeid for item in grouped):
        # pytest 9.2's test ids drop the group (pytest-dev/pytest-xdist#1386): nothing fails, it only costs time.
        warnings.warn("--dist loadgroup did not group the tests here: each worker makes the conditional models")


@pytest.fixture(scope="session")
def fashion():
    from vae_explorer.ml.data import load_fashion_mnist

    return load_fashion_mnist(allow_download=False)


@pytest.fixture(scope="session")
def small_data(fashion):
    """A few hundred images: enough for the trainer to do real work in a second."""
    return fashion.subset(n_train=320, n_test=200)


@pytest.fixture
def few_test_images(monkeypatch):
    """Fashion-MNIST with its first 1,000 test images, for runs trained in this process: a finished run's card
    scores every test image (a conditional model's under all ten classes), which these tests do not measure.
    The card tests, the shipped models' and the `train` subprocesses score all 10,000."""
    from vae_explorer.ml import data

    real = data.load_fashion_mnist
    monkeypatch.setattr(data, "load_fashion_mnist", lambda *args, **kwargs: real(*args, **kwargs).subset(n_test=1000))


@pytest.fixture
def tiny_config() -> TrainingConfig:
    return TrainingConfig(epochs=2, batch_size=64, learning_rate=1e-3, seed=3, model=TINY_MODEL)


@pytest.fixture(scope="session")
def tiny_trained(tmp_path_factory, fashion):
    """A tiny model trained one epoch on 320 images and saved with a full card."""
    from vae_explorer.ml.card import finish_run
    from vae_explorer.ml.storage import save_model
    from vae_explorer.ml.trainer import Trainer

    data = fashion.subset(n_train=320)
    config = TrainingConfig(epochs=1, batch_size=64, seed=1, model=TINY_MODEL)
    result = Trainer(config, data, validation_limit=200).run()
    path = tmp_path_factory.mktemp("model") / "tiny.keras"
    save_model(result.model, path, finish_run(result, data).card)
    return path


@pytest.fixture(scope="session")
def conditional_trained(tmp_path_factory, fashion):
    """A small class-conditional model trained four epochs on 6,000 images (a few seconds) with a full card."""
    import dataclasses

    from vae_explorer.ml.card import finish_run
    from vae_explorer.ml.storage import save_model
    from vae_explorer.ml.trainer import Trainer

    data = fashion.subset(n_train=6000)
    model = dataclasses.replace(TINY_MODEL, conditional=True, fourier_features=16, hidden_units=64)
    config = TrainingConfig(epochs=4, batch_size=64, learning_rate=3e-3, seed=2, model=model)
    result = Trainer(config, data, validation_limit=500).run()
    path = tmp_path_factory.mktemp("conditional") / "conditional.keras"
    save_model(result.model, path, finish_run(result, data.subset(n_test=2000)).card)
    return path


@pytest.fixture(scope="session")
def conditional_vae(conditional_trained):
    """That model loaded once, its refinement prepared (each class's coarse grid: most of a first refined
    verdict's time), for the tests that use refined verdicts without testing how they are first made."""
    import vae_explorer

    vae = vae_explorer.load_model(conditional_trained)
    assert vae.prepare_refinement()
    return vae


@pytest.fixture(scope="session")
def shipped_conditional():
    """The shipped conditional model, one instance per test process: each coarse grid it makes under a class
    (seconds each, all ten for a refined verdict) then serves every test that uses it."""
    import vae_explorer
    from vae_explorer.config import MODELS_DIR

    return vae_explorer.load_model(MODELS_DIR / "cvae-fashion-conditional-latent2.keras")


@pytest.fixture
def malformed(tmp_path):
    """Malformed image files of every common format (tests.helpers.write_malformed_images)."""
    return write_malformed_images(tmp_path)


@pytest.fixture
def gui_env(qapp, tmp_path, monkeypatch):
    """Isolated QSettings and app-data folders; every top-level widget closed afterwards (magicgui's conftest)."""
    from PySide6.QtCore import QSettings, QStandardPaths
    from PySide6.QtWidgets import QApplication

    from vae_explorer.gui.app import configure_locale

    configure_locale()  # as the app starts: numbers as the system's locale writes them
    QStandardPaths.setTestModeEnabled(True)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    qapp.setOrganizationName("VAE Explorer Tests")
    qapp.setApplicationName("vae-explorer-tests")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    # Qt's test mode puts app data under ~/.qttest, shared by every test and run: a checkpoint left by
    # one test would be offered to the next one's Continue button.
    from vae_explorer.gui.train import dashboard

    monkeypatch.setattr(dashboard, "checkpoint_path", lambda: tmp_path / "data" / "checkpoints" / "last-run.checkpoint.keras")
    yield tmp_path
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()


@pytest.fixture
def read_only_dir(tmp_path):
    """A folder nothing can be written to, for real: a read-only tmpfs mount when running as root (root
    ignores permission bits, and CI runs as root), a folder without write permission otherwise."""
    import subprocess

    folder = tmp_path / "read-only"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a read-only tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)
