"""Entry point: `vae-explorer` and `python -m vae_explorer`."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        from vae_explorer.gui.app import main as gui_main

        return gui_main()
    from vae_explorer.cli import run_cli

    return run_cli(argv)


if __name__ == "__main__":
    sys.exit(main())
