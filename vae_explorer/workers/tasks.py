"""Short background jobs (import TensorFlow, load or save a model, decode files) on a thread pool.

Replies come back as Qt signals on the GUI thread. Each job belongs to a channel; when a newer job
is submitted on the same channel, the older job's reply is dropped (ephyviewer's `if self.t != t`),
so fast user actions never queue up stale results.
"""

from __future__ import annotations

import itertools
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from vae_explorer.errors import VaeExplorerError


class _Reply(QObject):
    returned = Signal(object)
    errored = Signal(str)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], reply: _Reply) -> None:
        super().__init__()
        self.fn = fn
        self.reply = reply

    def run(self) -> None:
        try:
            result = self.fn()
        except VaeExplorerError as exc:
            self.reply.errored.emit(str(exc))
        except Exception as exc:  # the edge of a worker thread: report it, keep the app alive  # noqa: BLE001
            self.reply.errored.emit(f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}")
        else:
            self.reply.returned.emit(result)


class TaskRunner(QObject):
    """Run callables off the GUI thread; deliver only the newest reply of each channel."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._ids = itertools.count(1)
        self._latest: dict[str, int] = {}
        self._pending: dict[int, _Reply] = {}

    def submit(
        self,
        channel: str,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[str], None] | None = None,
    ) -> int:
        job_id = next(self._ids)
        self._latest[channel] = job_id
        reply = _Reply()  # lives in the GUI thread: its signals arrive there, queued
        self._pending[job_id] = reply

        def done(result: Any) -> None:
            self._pending.pop(job_id, None)
            if self._latest.get(channel) == job_id:
                on_done(result)

        def failed(message: str) -> None:
            self._pending.pop(job_id, None)
            if self._latest.get(channel) == job_id and on_error is not None:
                on_error(message)

        reply.returned.connect(done)
        reply.errored.connect(failed)
        self.pool.start(_Job(fn, reply))
        return job_id

    def busy(self, channel: str) -> bool:
        return self._latest.get(channel) in self._pending

    def wait(self, timeout_ms: int = 30000) -> bool:
        return self.pool.waitForDone(timeout_ms)
