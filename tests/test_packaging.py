"""What a wheel or an sdist holds: every package, the shipped models and the app's resources, and where the
app looks for them once installed."""

import tomllib
from pathlib import Path

from vae_explorer.config import DEFAULT_MODEL_PATH, MODELS_DIR, PACKAGE_DIR, RESOURCES_DIR, data_dir

ROOT = PACKAGE_DIR.parent
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_package_of_the_source_tree_goes_into_the_wheel():
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in PACKAGE_DIR.rglob("__init__.py")}
    listed = set(SETUPTOOLS["packages"])
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_the_models_and_resources_go_into_the_package_and_the_globs_take_what_the_app_uses():
    assert SETUPTOOLS["package-dir"] == {"vae_explorer._models": "models", "vae_explorer._resources": "resources"}
    data = SETUPTOOLS["package-data"]
    models = {p for pattern in data["vae_explorer._models"] for p in (ROOT / "models").glob(pattern)}
    assert DEFAULT_MODEL_PATH in models and DEFAULT_MODEL_PATH.with_suffix(".json") in models
    assert len(models) == 2 * len(list((ROOT / "models").glob("*.keras"))), "each model with its card"
    resources = {p for pattern in data["vae_explorer._resources"] for p in (ROOT / "resources").glob(pattern)}
    assert RESOURCES_DIR / "icons" / "vae-explorer.svg" in resources
    assert set((RESOURCES_DIR / "sample-images").iterdir()) <= resources
    assert not any("screenshots" in str(p) for p in resources), "the README's pictures stay out of the wheel"


def test_a_checkout_uses_its_top_level_folders_and_an_install_the_packages_own(tmp_path):
    assert MODELS_DIR == ROOT / "models" and RESOURCES_DIR == ROOT / "resources"
    site = tmp_path / "site-packages"
    package = site / "vae_explorer"
    (package / "_models").mkdir(parents=True)
    (site / "models").mkdir()  # another distribution's folder beside it is not ours
    assert data_dir("models", package) == package / "_models"
    (site / "pyproject.toml").write_text("")  # ... unless the folder is a checkout
    assert data_dir("models", package) == site / "models"
    assert data_dir("resources", package) == package / "_resources", "no resources/ there: the package's own"
