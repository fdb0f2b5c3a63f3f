"""Launch `vae-explorer` the way a user does, let it load the shipped model, and close it with SIGTERM."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("vae-explorer")


@pytest.mark.skipif(not SCRIPT.exists(), reason="the vae-explorer console script is not installed here")
@pytest.mark.parametrize("given", [False, True], ids=["shipped model", "a model file named"])
def test_the_installed_app_starts_runs_and_closes_cleanly(tmp_path, given):
    """`vae-explorer` opens the shipped model; `vae-explorer FILE.keras` (and a file manager's "Open
    with", through the desktop entry's %f) opens that file instead."""
    import shutil

    from vae_explorer.config import MODELS_DIR

    if given:
        model = tmp_path / "my model.keras"
        shutil.copy(MODELS_DIR / "cvae-fashion-latent8.keras", model)
        shutil.copy(MODELS_DIR / "cvae-fashion-latent8.json", model.with_suffix(".json"))
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    app = subprocess.Popen([str(SCRIPT), *([str(model)] if given else [])], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(12)  # window, TensorFlow in the background, the shipped model loaded and traced
        assert app.poll() is None, f"the app exited early:\n{app.communicate()[1][-3000:]}"
        app.send_signal(signal.SIGTERM)
        _, err = app.communicate(timeout=60)
    finally:
        if app.poll() is None:
            app.kill()
    assert app.returncode == 0, err[-3000:]
    assert "Traceback" not in err and "QThread: Destroyed" not in err, err[-3000:]
    settings = list((tmp_path / "config").rglob("*.conf"))
    assert settings and "geometry" in settings[0].read_text(), "closing saved the window's settings"
    if given:  # (shipped models are in their own menu, not among the recent ones)
        assert model.name in settings[0].read_text(), "the model it opened is among the recent models"


def test_one_keras_file_opens_the_window_on_it_and_anything_else_stays_the_clis(capsys):
    from vae_explorer.__main__ import gui, model_argument

    assert model_argument(["shirt.keras"]) and model_argument(["/a b/Shirt.KERAS"])
    assert not model_argument(["train"]) and not model_argument(["a.keras", "b.keras"])
    assert not model_argument(["--out=a.keras"]) and not model_argument(["notes.txt"])
    assert gui(["train"]) == 2 and "usage: vae-explorer-gui [MODEL.keras]" in capsys.readouterr().err
