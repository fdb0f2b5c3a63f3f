"""Short background jobs (import TensorFlow, load or save a model, decode files) on a thread pool.

The pool's threads are Python's (`concurrent.futures`), not Qt's: a QThreadPool thread gets a new Python
thread state for every job and drops it after, while TensorFlow's pybind11 layer keeps using the one it
first saw on that thread, and opening a second model crashed the app (docs/design.md). Python's
threads keep one thread state for their whole life.

Replies come back as Qt signals on the GUI thread. Each job belongs to a channel; when a newer job
is submitted on the same channel, the older job's reply is dropped (ephyviewer's `if self.t != t`),
so fast user actions never queue up stale results. `submit_latest` goes further for streams of
requests (dragging on the latent plane): one job in flight per channel, and only the newest waiting.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import threading
import time
import traceback
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal

from vae_explorer.errors import VaeExplorerError
from vae_explorer.workers.messages import error_message


class _Reply(QObject):
    returned = Signal(int, object)
    errored = Signal(int, str)


class _Job:
    def __init__(self, job_id: int, fn: Callable[[], Any], reply: _Reply) -> None:
        self.job_id = job_id
        self.fn = fn
        self.reply = reply

    def run(self) -> None:
        try:
            result = self.fn()
        except VaeExplorerError as exc:
            self.reply.errored.emit(self.job_id, error_message(exc))
        except Exception as exc:  # the edge of a worker thread: report it, keep the app alive  # noqa: BLE001
            self.reply.errored.emit(self.job_id, f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}")
        else:
            self.reply.returned.emit(self.job_id, result)


class TaskRunner(QObject):
    """Run callables off the GUI thread; deliver only the newest reply of each channel."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = concurrent.futures.ThreadPoolExecutor(max_threads, thread_name_prefix="vae-explorer-task")
        self._futures: set[concurrent.futures.Future] = set()
        self._futures_lock = threading.Lock()  # a future leaves the set on its worker thread
        self._ids = itertools.count(1)
        self._latest: dict[str, int] = {}
        self._pending: dict[int, tuple[str, Callable, Callable | None]] = {}
        self._in_flight: dict[str, int] = {}  # channel -> job id, for submit_latest
        self._waiting: dict[str, tuple] = {}  # channel -> the newest (fn, on_done, on_error) not started
        # Set when the window closes: long optional jobs (a warm-up) ask it between pieces and end early.
        self.stopping = threading.Event()
        self._reply = _Reply()  # lives in the GUI thread, like this runner
        # Bound methods: Qt queues the calls to this object's (GUI) thread. A closure would run on the pool's.
        self._reply.returned.connect(self._on_returned)
        self._reply.errored.connect(self._on_errored)

    def submit(
        self,
        channel: str,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[str], None] | None = None,
    ) -> int:
        job_id = next(self._ids)
        self._latest[channel] = job_id
        self._pending[job_id] = (channel, on_done, on_error)
        future = self.pool.submit(_Job(job_id, fn, self._reply).run)
        with self._futures_lock:
            self._futures.add(future)
        future.add_done_callback(self._forget)
        return job_id

    def _forget(self, future: concurrent.futures.Future) -> None:
        with self._futures_lock:
            self._futures.discard(future)

    def submit_latest(
        self,
        channel: str,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Like `submit`, but while a job of this channel runs, only the newest request waits behind it."""
        if channel in self._in_flight:
            self._waiting[channel] = (fn, on_done, on_error)
            return
        self._in_flight[channel] = self.submit(channel, fn, on_done, on_error)

    def _finished(self, channel: str | None, job_id: int) -> None:
        if channel is not None and self._in_flight.get(channel) == job_id:
            del self._in_flight[channel]
            waiting = self._waiting.pop(channel, None)
            if waiting is not None and not self.stopping.is_set():  # closing: what waited is not wanted any more
                self.submit_latest(channel, *waiting)

    def _on_returned(self, job_id: int, result: Any) -> None:
        channel, on_done, _ = self._pending.pop(job_id, (None, None, None))
        if on_done is not None and self._latest.get(channel) == job_id:
            on_done(result)
        self._finished(channel, job_id)

    def _on_errored(self, job_id: int, message: str) -> None:
        channel, _, on_error = self._pending.pop(job_id, (None, None, None))
        if on_error is not None and self._latest.get(channel) == job_id:
            on_error(message)
        self._finished(channel, job_id)

    def wait(self, timeout_ms: int = 30000) -> bool:
        """Whether every job submitted so far, and every job waiting behind one (`submit_latest`), ended
        within the timeout (their replies may still be queued). Once `stopping` is set, waiting jobs never start."""
        deadline = time.monotonic() + timeout_ms / 1000.0
        while True:
            with self._futures_lock:
                futures = list(self._futures)
            _, running = concurrent.futures.wait(futures, timeout=max(0.0, deadline - time.monotonic()))
            if running:
                return False
            if not self._waiting or self.stopping.is_set():
                return True
            if time.monotonic() >= deadline:
                return False
            # A waiting job starts when its predecessor's reply is delivered: deliver the replies (only
            # those), or it would start later, after whatever the caller does next, e.g. on a closed window.
            QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall)  # the replies are queued calls to self
