"""Atomic file writes, for every file the app produces (models, cards, PNGs, CSVs)."""

from __future__ import annotations

import glob
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable

# A temporary left untouched this long belongs to a write that was killed, not to one under way: a
# staged file is renamed into place right after its fsync.
STALE_AFTER_S = 600.0


def temporary_sibling_pattern(path: Path) -> str:
    """The glob that matches the temporary files `stage` makes for `path` (hidden, beside it)."""
    return f".{glob.escape(path.stem)}.*.tmp{glob.escape(path.suffix)}"


def stage(path: Path | str, write: Callable[[Path], None]) -> Path:
    """Write through `write(tmp)` into a hidden temporary file beside `path`, fsync it and return it.

    Nothing at `path` changes; `commit` puts the file in place. On any error the temporary is removed.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a saved file should look like any other
        write(tmp)
        with open(tmp, "rb+") as stream:
            os.fsync(stream.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def commit(tmp: Path, path: Path | str) -> Path:
    """Rename a staged file over `path` (atomic on POSIX) and make the rename durable."""
    path = Path(path)
    os.replace(tmp, path)
    try:
        folder = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return path  # some filesystems do not open folders; the rename itself is done
    try:
        os.fsync(folder)
    except OSError:
        pass
    finally:
        os.close(folder)
    return path


def atomic_write(path: Path | str, write: Callable[[Path], None]) -> Path:
    """Write through a temporary file in the same folder, fsync, then rename over the target.

    A crash, a kill or a full disk mid-write leaves the previous file untouched.
    """
    path = Path(path)
    tmp = stage(path, write)
    try:
        commit(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    remove_stale_temporaries(path.parent, temporary_sibling_pattern(path))
    return path


def remove_stale_temporaries(folder: Path, pattern: str, older_than_s: float = STALE_AFTER_S) -> None:
    """Remove what killed writes left in `folder`: the files and folders matching `pattern` that
    nothing has touched for `older_than_s` seconds. Best effort: what cannot be removed stays."""
    cutoff = time.time() - older_than_s
    for leftover in folder.glob(pattern):
        try:
            if leftover.lstat().st_mtime > cutoff:
                continue  # may be another save's, under way
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover)
            else:
                leftover.unlink()
        except OSError:
            continue


def check_writable_folder(folder: Path | str) -> None:
    """Raise OSError (with the system's reason) unless a file can be created in `folder`."""
    with tempfile.TemporaryFile(dir=folder):
        pass
