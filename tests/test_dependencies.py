"""The declared dependencies install, from wheels alone, on every platform the README names.

pip resolves them for each target (`--dry-run --platform ...`) against the package index; it needs the
index, so the test skips, saying why, only when the index cannot be reached at all.
"""

import importlib.util
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
MANYLINUX = [f"manylinux_2_{minor}" for minor in (17, 27, 28, 31, 34, 35, 39)] + ["manylinux2014"]
PLATFORMS = {
    "linux-x86_64": [f"{tag}_x86_64" for tag in MANYLINUX],
    "linux-aarch64": [f"{tag}_aarch64" for tag in MANYLINUX],
    "windows-x86_64": ["win_amd64"],
    "macos-arm64": [f"macosx_{major}_0_arm64" for major in (12, 13, 14, 15)],
}
# pip reads each wheel's metadata with range requests instead of fetching the wheel: an index that serves no
# PEP 658 metadata (as here) otherwise sends whole wheels, GBs for the gpu extra on a fresh machine.
FAST_DEPS = "--use-feature=fast-deps"
UNREACHABLE = ("Could not fetch URL", "NewConnectionError", "Failed to establish a new connection",
               "Temporary failure in name resolution", "Network is unreachable")


def requirements(extra: str | None = None) -> list[str]:
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    return project["dependencies"] + (project["optional-dependencies"][extra] if extra else [])


def resolve(platforms: list[str], requires: list[str], tmp_path: Path) -> dict[str, str]:
    """What pip would install for the platform: {distribution name: version}."""
    if importlib.util.find_spec("pip") is None:
        pytest.skip("pip is not installed in this environment (a venv made by uv, say): it does the resolving")
    report = tmp_path / "report.json"
    command = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
               "--only-binary=:all:", "--python-version", "3.11", "--implementation", "cp",
               "--target", str(tmp_path / "target"), "--report", str(report)]
    for platform in platforms:
        command += ["--platform", platform]
    result = subprocess.run([*command, FAST_DEPS, *requires], capture_output=True, text=True, timeout=600)
    if result.returncode and "invalid choice" in result.stderr:  # a pip without the feature: whole wheels, then
        result = subprocess.run(command + requires, capture_output=True, text=True, timeout=600)
    if result.returncode and any(sign in result.stdout + result.stderr for sign in UNREACHABLE):
        pytest.skip(f"the package index cannot be reached: {result.stderr.strip().splitlines()[-1]}")
    errors = [line for line in result.stderr.splitlines() if "is ignored" not in line and "lazily" not in line]
    assert result.returncode == 0, "\n".join(errors)
    return {item["metadata"]["name"].lower().replace("_", "-"): item["metadata"]["version"]
            for item in json.loads(report.read_text())["install"]}


@pytest.mark.parametrize("platforms", PLATFORMS.values(), ids=PLATFORMS.keys())
def test_the_dependencies_install_from_wheels(platforms, tmp_path):
    installed = resolve(platforms, requirements(), tmp_path)
    assert {"tensorflow", "keras", "pyside6-essentials", "pyqtgraph", "numpy"} <= installed.keys()
    assert "tensorflow-cpu" not in installed  # one distribution owns the tensorflow/ package


def test_the_gpu_extra_adds_cuda_without_a_second_tensorflow(tmp_path):
    installed = resolve(PLATFORMS["linux-x86_64"], requirements("gpu"), tmp_path)
    assert "tensorflow" in installed and "tensorflow-cpu" not in installed
    assert any(name.startswith("nvidia-cudnn") for name in installed)
