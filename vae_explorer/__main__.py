"""Entry point: `vae-explorer` and `python -m vae_explorer`."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from vae_explorer.cli import run_cli

    if not argv:
        run_cli(["--help"])
    return run_cli(argv)


if __name__ == "__main__":
    sys.exit(main())
