"""Plain Keras loads our files once `vae_explorer` is imported, in whichever order the two are imported."""

import subprocess
import sys

import pytest

from vae_explorer.config import DEFAULT_MODEL_PATH

LOADERS = {
    "vae_explorer first": "import vae_explorer, keras; m = keras.saving.load_model(path, safe_mode=True)",
    "keras first": "import keras, vae_explorer; m = keras.saving.load_model(path, safe_mode=True)",
    "through tf.keras": "import vae_explorer, tensorflow as tf; m = tf.keras.models.load_model(path, safe_mode=True)",
}


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180)


@pytest.mark.parametrize("loader", LOADERS.values(), ids=LOADERS.keys())
def test_plain_keras_loads_the_shipped_model_after_import_vae_explorer(loader):
    code = (f"path = {str(DEFAULT_MODEL_PATH)!r}\n{loader}\n"
            "import numpy as np\n"
            "z = np.zeros((1, m.config.latent_dim), 'float32')\n"
            "print(type(m).__name__, m.decoder(z).shape)")
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("CVAE (1, 28, 28, 1)")


def test_importing_the_package_loads_neither_keras_nor_tensorflow():
    result = run_python("import sys, vae_explorer\nprint(sorted({'keras', 'tensorflow'} & set(sys.modules)))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
