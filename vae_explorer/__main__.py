"""Entry point: `vae-explorer` and `python -m vae_explorer`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

EXIT_NO_DISPLAY = 2
NO_DISPLAY = ("error: there is no display to show the window on (DISPLAY and WAYLAND_DISPLAY are not set). "
              "Run it in a desktop session or under Xvfb (xvfb-run -a vae-explorer), or use the CLI: vae-explorer --help")


def has_display() -> bool:
    """Whether Qt can open a window: on Linux and the BSDs an X or Wayland display, or a platform chosen by
    hand (QT_QPA_PLATFORM, e.g. offscreen); Windows and macOS always have one."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def model_argument(argv: list[str]) -> bool:
    """Whether the arguments are one model file, which the window opens (`vae-explorer shirt.keras`, a
    file manager's "Open with")."""
    return len(argv) == 1 and argv[0].lower().endswith(".keras") and not argv[0].startswith("-")


def gui(argv: list[str] | None = None) -> int:
    """The window alone: `vae-explorer-gui [MODEL.keras]`, a GUI script (no console window on Windows)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and not model_argument(argv):
        print("usage: vae-explorer-gui [MODEL.keras]", file=sys.stderr)
        return 2
    if not has_display():  # Qt would abort the process, saying to reinstall the application
        print(NO_DISPLAY, file=sys.stderr)
        return EXIT_NO_DISPLAY
    from vae_explorer.gui.app import main as gui_main

    return gui_main(model=Path(argv[0]).expanduser().absolute() if argv else None)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or model_argument(argv):
        return gui(argv)
    from vae_explorer.cli import run_cli

    return run_cli(argv)


if __name__ == "__main__":
    sys.exit(main())
