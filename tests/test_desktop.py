"""`vae-explorer install-desktop`: the menu entry and icon, written where the desktop looks, and removed."""

import configparser

from vae_explorer.cli import run_cli
from vae_explorer.desktop import entry_text, install, installed_paths, quote, uninstall


def read_entry(path):
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive in desktop files
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_install_writes_an_entry_that_starts_this_install_and_its_icon(tmp_path):
    paths = install(tmp_path, ["/opt/my apps/bin/vae-explorer-gui"])
    entry = read_entry(paths.entry)
    assert paths.entry == tmp_path / "applications" / "vae-explorer.desktop"
    assert entry["Type"] == "Application" and entry["Name"] == "VAE Explorer"
    assert entry["Exec"] == '"/opt/my apps/bin/vae-explorer-gui" %f', "a model file opened with it is handed over"
    assert entry["TryExec"] == "/opt/my apps/bin/vae-explorer-gui"
    assert entry["Icon"] == "vae-explorer" and entry["Terminal"] == "false"
    assert "Comment[pt_BR]" in entry
    assert paths.icon.read_bytes().startswith(b"<") and paths.icon.suffix == ".svg"


def test_exec_quotes_what_the_specification_reserves():
    assert quote("/usr/bin/python3") == "/usr/bin/python3"
    assert quote("/a b/$x") == '"/a b/\\$x"'
    assert "Exec=/usr/bin/python3 -m vae_explorer %f\n" in entry_text(["/usr/bin/python3", "-m", "vae_explorer"])


def test_the_command_installs_into_xdg_data_home_and_removes_again(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert run_cli(["install-desktop"]) == 0
    paths = installed_paths(tmp_path)
    assert paths.entry.exists() and paths.icon.exists()
    assert str(paths.entry) in capsys.readouterr().out
    assert run_cli(["install-desktop", "--remove"]) == 0
    assert not paths.entry.exists() and not paths.icon.exists()
    assert uninstall(tmp_path) == []


def test_an_unwritable_data_home_is_one_line(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    assert run_cli(["install-desktop"]) == 2
    assert "XDG_DATA_HOME" in capsys.readouterr().err
