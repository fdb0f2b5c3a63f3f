"""The Linux desktop entry: `vae-explorer install-desktop` puts the app in the desktop's menu.

pip cannot write to the XDG folders, so the command copies the shipped `.desktop` file and icon into
the user's own (`$XDG_DATA_HOME`, by default `~/.local/share`), with `Exec` set to this install's
`vae-explorer-gui`, found beside the running Python when it is not on PATH.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from vae_explorer.config import RESOURCES_DIR
from vae_explorer.errors import VaeExplorerError
from vae_explorer.fileio import atomic_write

APP_ID = "vae-explorer"
GUI_SCRIPT = "vae-explorer-gui"


@dataclass(frozen=True)
class DesktopFiles:
    entry: Path
    icon: Path


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def installed_paths(home: Path | None = None) -> DesktopFiles:
    home = home or data_home()
    return DesktopFiles(entry=home / "applications" / f"{APP_ID}.desktop",
                        icon=home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg")


def gui_command() -> list[str]:
    """The command the menu runs: the GUI script of this install (the venv's, --user's or PATH's)."""
    beside_python = Path(sys.executable).parent / GUI_SCRIPT
    if beside_python.exists():
        return [str(beside_python)]
    found = shutil.which(GUI_SCRIPT)
    if found:
        return [found]
    return [sys.executable, "-m", "vae_explorer"]  # e.g. a --target install, which writes no scripts


def quote(argument: str) -> str:
    """An Exec argument as the Desktop Entry specification quotes it."""
    if not any(c in argument for c in ' \t\n"\'\\><~|&;$*?#()`'):
        return argument
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return f'"{escaped}"'


def entry_text(command: list[str]) -> str:
    """The shipped entry, pointed at `command`."""
    template = (RESOURCES_DIR / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    # %f: a file manager's "Open with VAE Explorer" hands over the model file
    fields = {"Exec": " ".join(quote(a) for a in command).replace("%", "%%") + " %f", "TryExec": command[0]}
    lines = []
    for line in template.splitlines():
        key = line.split("=", 1)[0]
        lines.append(f"{key}={fields[key]}" if key in fields else line)
    return "\n".join(lines) + "\n"


def install(home: Path | None = None, command: list[str] | None = None) -> DesktopFiles:
    paths = installed_paths(home)
    text = entry_text(command or gui_command())
    icon = (RESOURCES_DIR / "icons" / f"{APP_ID}.svg").read_bytes()
    try:
        for path in (paths.entry, paths.icon):
            path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(paths.icon, lambda tmp: tmp.write_bytes(icon))
        atomic_write(paths.entry, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    except OSError as exc:
        raise VaeExplorerError(f"cannot write the desktop entry under {paths.entry.parent.parent} "
                               f"({exc.strerror or exc}); set XDG_DATA_HOME to a folder you can write to") from None
    return paths


def uninstall(home: Path | None = None) -> list[Path]:
    """Remove what `install` wrote; returns the files that were there."""
    removed = []
    paths = installed_paths(home)
    for path in (paths.entry, paths.icon):
        if path.exists():
            path.unlink()
            removed.append(path)
    return removed
