"""Load TensorFlow's native libraries without holding the GIL, before a worker thread imports TensorFlow.

`import tensorflow` first `dlopen`s ~850 MB of shared libraries (libtensorflow_framework,
libtensorflow_cc and the common Python wrapper), whose static initializers register thousands of ops
and kernels: hundreds of milliseconds on a 2-core machine. Python's import machinery calls `dlopen` with the GIL
held, so during that time the GUI thread cannot run a line of Python: the window froze for that long
at every launch while the shipped model loaded behind it. A foreign function called through ctypes
releases the GIL, so calling libc's `dlopen` on the same libraries first does the work while the GUI
keeps running; the import then finds them loaded. Same libraries, same flags as the import would use.

`preload_tensorflow_libraries` imports neither TensorFlow nor Keras; safe to call from any thread, any
number of times. `import_tensorflow_quietly` then imports them without their start-up notices.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

# In the order they depend on each other (each one's dependencies come first). A file that a
# TensorFlow release does not have is skipped: the import then loads what it needs as usual.
TENSORFLOW_LIBRARIES = (
    "libtensorflow_framework.so.2",
    "libtensorflow_cc.so.2",
    "python/lib_pywrap_tensorflow_common.so",
)

_lock = threading.Lock()
_done = False


def tensorflow_library_paths() -> list[Path]:
    """The native libraries of the installed TensorFlow that exist here (found without importing it)."""
    try:
        spec = importlib.util.find_spec("tensorflow")
    except (ImportError, ValueError):
        return []
    if spec is None or not spec.submodule_search_locations:
        return []
    package = Path(next(iter(spec.submodule_search_locations)))
    return [package / name for name in TENSORFLOW_LIBRARIES if (package / name).is_file()]


def preload_tensorflow_libraries() -> list[Path]:
    """`dlopen` TensorFlow's libraries with the GIL released; returns those loaded by this call.

    Does nothing where it cannot help (TensorFlow already imported, not Linux, libraries not found)
    and never raises: whatever fails here, the ordinary import still loads the libraries.
    """
    global _done
    with _lock:
        if _done or "tensorflow" in sys.modules or not sys.platform.startswith("linux"):
            _done = True
            return []
        _done = True
        try:
            libc = ctypes.CDLL(None)  # the process's own symbols: libc's dlopen
            dlopen = libc.dlopen
        except (OSError, AttributeError):
            return []
        dlopen.restype = ctypes.c_void_p
        dlopen.argtypes = (ctypes.c_char_p, ctypes.c_int)
        loaded = []
        for path in tensorflow_library_paths():
            # CDLL functions run with the GIL released; the handle is kept open for the process's life,
            # as the import's own would be.
            if not dlopen(os.fsencode(path), sys.getdlopenflags()):
                break  # the import will report whatever is wrong with it
            loaded.append(path)
        return loaded


# What TensorFlow's C++ runtime prints while it is imported, before its logging is set up, whatever
# TF_CPP_MIN_LOG_LEVEL says: notices for developers, not for the person using the app or the CLI.
START_UP_NOTICES = (
    b"All log messages before absl::InitializeLog() is called are written to STDERR",
    b"oneDNN custom operations are on",
    b"Could not find cuda drivers on your machine",  # the tensorflow package on a machine with no GPU
    b"failed call to cuInit",
)
VERBOSE_VARIABLE = "VAE_EXPLORER_VERBOSE"  # set (or --verbose): TensorFlow's own logs as it writes them
_stderr_lock = threading.Lock()


@contextlib.contextmanager
def native_stderr_filtered(dropped: tuple[bytes, ...] = START_UP_NOTICES) -> Iterator[None]:
    """Pass what the process writes to its standard error (file descriptor 2, where C++ libraries write)
    through a filter for the duration: lines holding one of `dropped` are left out, the rest follows
    when the block ends. Meant for short spans: the lines are held back until then."""
    with _stderr_lock:
        sys.stderr.flush()
        saved = os.dup(2)
        read_end, write_end = os.pipe()
        os.dup2(write_end, 2)
        os.close(write_end)
        chunks: list[bytes] = []

        def drain() -> None:
            while chunk := os.read(read_end, 65536):
                chunks.append(chunk)

        reader = threading.Thread(target=drain, name="stderr-filter", daemon=True)
        reader.start()
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)  # the pipe's last writer closes: the reader sees the end
            os.close(saved)
            reader.join()
            os.close(read_end)
            kept = [line for line in b"".join(chunks).splitlines(keepends=True)
                    if not any(notice in line for notice in dropped)]
            if kept:
                os.write(2, b"".join(kept))


def verbose() -> bool:
    return os.environ.get(VERBOSE_VARIABLE, "").strip().lower() not in ("", "0", "false", "no")


def import_tensorflow_quietly() -> None:
    """Load TensorFlow's libraries with the GIL released, then import TensorFlow and Keras, without their
    start-up notices on standard error (the libraries' initialisers print one too), and with its
    informational logs off (XLA's, when a function first compiles), unless VAE_EXPLORER_VERBOSE is set."""
    if "tensorflow" in sys.modules and "keras" in sys.modules:
        return
    if not verbose():
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # read once, when TensorFlow's runtime starts
    with contextlib.nullcontext() if verbose() else native_stderr_filtered():
        preload_tensorflow_libraries()
        import keras  # noqa: F401
        import tensorflow

        tensorflow.config.list_physical_devices()  # the device probe, which reports a missing GPU, happens here
