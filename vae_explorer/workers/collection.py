"""Keep Python's garbage collector off the GUI thread's back while a worker builds big object graphs.

Importing TensorFlow and Keras, loading a model and tracing its compiled functions make millions of
objects. Every so many allocations Python runs a full collection that walks all of them with the GIL
held, on whichever thread happens to allocate, and the window stood still meanwhile. The workers
pause automatic collection for that work, and when the last of them is done, everything alive
(TensorFlow, the model: alive for the rest of the process) is frozen out of the collector's reach,
so later collections stay short, and collection resumes.

Frozen once per process, after the first such work: frozen objects are never collected, so freezing
after every load would keep each replaced model's reference cycles for ever. What later loads and
runs add stays collectable and cheap to walk. The measurements are in docs/design.md.

Counted across threads: a model loading while a run starts keeps collection off until both are done.
`gc.disable` is process-wide, so this is the one place that switches it. `TensorFlowBringUp` is the
one way the workers use it.
"""

from __future__ import annotations

import gc
import threading

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


class TensorFlowBringUp:
    """TensorFlow's libraries loaded with the GIL released, TensorFlow imported without its start-up
    notices, and collection paused until `end()` (or the end of the `with` block): what every worker
    does before it uses TensorFlow or loads a model.

    The training worker ends it at its first batch, when the run's objects have all been made."""

    def __init__(self) -> None:
        self._ended = True

    def __enter__(self) -> "TensorFlowBringUp":
        from vae_explorer.ml.preload import import_tensorflow_quietly

        pause_collections()
        self._ended = False
        try:
            import_tensorflow_quietly()
        except BaseException:
            self.end()
            raise
        return self

    def end(self) -> None:
        if not self._ended:
            self._ended = True
            resume_collections()

    def __exit__(self, *exc_info) -> None:
        self.end()
