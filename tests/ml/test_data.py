import functools
import http.server
import shutil
import threading

import numpy as np
import pytest

from tests.helpers import write_idx
from vae_explorer.config import CLASS_NAMES
from vae_explorer.errors import DatasetError
from vae_explorer.ml import data as data_mod
from vae_explorer.ml.data import FILES, read_idx


def test_reads_a_valid_idx_file(tmp_path):
    images = np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28)
    out = read_idx(write_idx(tmp_path / "x.gz", images), expected_shape=(2, 28, 28))
    np.testing.assert_array_equal(out, images)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: write_idx(p, np.zeros((2, 28, 28)), magic=b"\x00\x00\x08\x02"), "wrong magic"),
        (lambda p: write_idx(p, np.zeros((2, 28, 28)), magic=b"\x12\x34\x08\x03"), "wrong magic"),
        (lambda p: write_idx(p, np.zeros((3, 28, 28))), "declares shape (3, 28, 28)"),
        (lambda p: write_idx(p, np.zeros((2, 28, 28)), extra=b"\x00" * 5), "longer than its header"),
        (lambda p: p.write_bytes(b"this is not gzip at all"), "not a valid gzip"),
        (lambda p: p.write_bytes(b""), "too short"),
    ],
)
def test_rejects_malformed_files_naming_file_and_problem(tmp_path, make, message):
    path = tmp_path / "train-images-idx3-ubyte.gz"
    make(path)
    with pytest.raises(DatasetError) as err:
        read_idx(path, expected_shape=(2, 28, 28))
    assert message in str(err.value) and str(path) in str(err.value)


def test_rejects_truncated_gzip_and_truncated_data(tmp_path):
    good = write_idx(tmp_path / "a.gz", np.ones((2, 28, 28)))
    cut = tmp_path / "cut.gz"
    cut.write_bytes(good.read_bytes()[:-20])
    with pytest.raises(DatasetError, match="truncated"):
        read_idx(cut, (2, 28, 28))
    short = tmp_path / "short.gz"
    import gzip

    with gzip.open(short, "wb") as stream:
        stream.write(bytes([0, 0, 8, 3]) + (2).to_bytes(4, "big") + (28).to_bytes(4, "big") * 2 + b"\x00" * 100)
    with pytest.raises(DatasetError, match="data is truncated"):
        read_idx(short, (2, 28, 28))


def test_checksum_catches_altered_content(tmp_path, fashion):
    altered = fashion.test_labels.copy()
    altered[0] = (altered[0] + 1) % 10
    path = write_idx(tmp_path / FILES[3].name, altered)
    with pytest.raises(DatasetError, match="checksum"):
        read_idx(path, FILES[3].shape, FILES[3].sha256)


def test_real_dataset_is_verified(fashion):
    assert fashion.train_images.shape == (60000, 28, 28) and fashion.test_images.shape == (10000, 28, 28)
    assert fashion.train_images.dtype == np.uint8
    assert set(np.unique(fashion.test_labels)) == set(range(10)) and len(CLASS_NAMES) == 10


def _copy_dataset(fashion, target):
    target.mkdir(parents=True, exist_ok=True)
    for f in FILES:
        shutil.copy(fashion.source / f.name, target / f.name)
    return target


def test_lookup_order(tmp_path, monkeypatch, fashion):
    explicit, env, keras_home = tmp_path / "explicit", tmp_path / "env", tmp_path / "kh"
    monkeypatch.setenv("KERAS_HOME", str(keras_home))
    monkeypatch.delenv(data_mod.DATA_ENV_VAR, raising=False)
    monkeypatch.setattr(data_mod, "DEBIAN_DIR", tmp_path / "debian")
    assert data_mod.find_data_dir() is None
    _copy_dataset(fashion, tmp_path / "debian")
    assert data_mod.find_data_dir() == tmp_path / "debian"
    _copy_dataset(fashion, keras_home / "datasets" / "fashion-mnist")
    assert data_mod.find_data_dir() == keras_home / "datasets" / "fashion-mnist"
    monkeypatch.setenv(data_mod.DATA_ENV_VAR, str(_copy_dataset(fashion, env)))
    assert data_mod.find_data_dir() == env
    assert data_mod.find_data_dir(_copy_dataset(fashion, explicit)) == explicit


def test_explicit_folder_missing_files_is_an_error(tmp_path):
    with pytest.raises(DatasetError, match="lacks"):
        data_mod.find_data_dir(tmp_path)


def test_no_data_no_network_says_the_three_ways(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "kh"))
    monkeypatch.delenv(data_mod.DATA_ENV_VAR, raising=False)
    monkeypatch.setattr(data_mod, "DEBIAN_DIR", tmp_path / "nothing")
    monkeypatch.setattr(data_mod, "MIRRORS", ("http://127.0.0.1:9/",))
    with pytest.raises(DatasetError) as err:
        data_mod.load_fashion_mnist()
    text = str(err.value)
    assert "apt-get install dataset-fashion-mnist" in text and "--data-dir" in text and "download" in text
    assert not list((tmp_path / "kh").rglob("*.gz")), "nothing half-downloaded is left behind"


@pytest.fixture
def mirror(tmp_path):
    """Two local HTTP 'mirrors': the first serves corrupt files, the second the real ones."""
    servers = []

    def serve(folder):
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
        handler.log_message = lambda *a: None
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def test_download_verifies_and_falls_back_to_next_mirror(tmp_path, monkeypatch, fashion, mirror):
    bad = tmp_path / "bad"
    bad.mkdir()
    for f in FILES:
        (bad / f.name).write_bytes(b"garbage")
    good = _copy_dataset(fashion, tmp_path / "good")
    monkeypatch.setattr(data_mod, "MIRRORS", (mirror(bad), mirror(good)))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "kh"))
    monkeypatch.delenv(data_mod.DATA_ENV_VAR, raising=False)
    monkeypatch.setattr(data_mod, "DEBIAN_DIR", tmp_path / "nothing")
    loaded = data_mod.load_fashion_mnist()
    assert loaded.source == tmp_path / "kh" / "datasets" / "fashion-mnist"
    np.testing.assert_array_equal(loaded.test_labels, fashion.test_labels)
