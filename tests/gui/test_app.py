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
def test_the_installed_app_starts_runs_and_closes_cleanly(tmp_path):
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    app = subprocess.Popen([str(SCRIPT)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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
