"""Keep Python's garbage collector off the GUI thread's back while a worker builds big object graphs.

Importing TensorFlow and Keras, loading a model and tracing its compiled functions make millions of
objects. Every so many allocations Python runs a full collection that walks all of them with the GIL
held, on whichever thread happens to allocate: at launch, while the shipped model loaded, the window
stood still for 50, 84, 117 and 155 ms in four collections (`gc.callbacks` timing, 2-core machine);
during a run's start, 80-195 ms each. The workers pause automatic collection for that work, and when
the last of them is done, everything alive (TensorFlow, the model: alive for the rest of the process)
is frozen out of the collector's reach, so later collections stay short, and collection resumes.

Frozen once per process, after the first such work (TensorFlow's import and the first model: ~490,000
objects, a 300 ms full collection). Frozen objects are never collected, so freezing after every load
kept each replaced model's reference cycles forever: +6,500 objects and ~20 MiB per File > Open of the
shipped model. Frozen once, the objects left after each load's collection stay at 15,924 over 12 loads.
What later loads and runs add stays collectable and cheap to walk (a whole training run's objects:
~48,000, an 11-23 ms full collection).

Counted across threads: a model loading while a run starts keeps collection off until both are done.
`gc.disable` is process-wide, so this is the one place that switches it.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_pauses = 0
_frozen = False


def pause_collections() -> None:
    """Switch automatic collection off until the matching `resume_collections`."""
    global _pauses
    with _lock:
        _pauses += 1
        gc.disable()


def resume_collections() -> None:
    """End one pause; the last one switches collection back on (the first time, after freezing what is alive)."""
    global _pauses, _frozen
    with _lock:
        if _pauses == 0:
            return
        _pauses -= 1
        if _pauses == 0:
            if not _frozen:
                gc.freeze()
                _frozen = True
            gc.enable()


@contextlib.contextmanager
def collections_paused() -> Iterator[None]:
    pause_collections()
    try:
        yield
    finally:
        resume_collections()
