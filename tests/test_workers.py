import threading

from PySide6.QtCore import QThread

from vae_explorer.errors import ModelFileError
from vae_explorer.workers.tasks import TaskRunner


def test_replies_arrive_on_the_gui_thread_and_stale_ones_are_dropped(qapp, qtbot):
    runner = TaskRunner()
    gate = threading.Event()
    got, threads = [], []

    def slow():
        gate.wait(5)
        return "old"

    runner.submit("plane", slow, lambda r: (got.append(r), threads.append(QThread.currentThread())))
    runner.submit("plane", lambda: "new", lambda r: (got.append(r), threads.append(QThread.currentThread())))
    qtbot.waitUntil(lambda: got == ["new"], timeout=5000)
    gate.set()
    assert runner.wait(5000)
    qtbot.wait(50)
    assert got == ["new"], "the older job's reply was dropped"
    assert threads == [qapp.thread()], "callbacks run on the GUI thread"


def test_user_errors_reach_the_error_callback(qapp, qtbot):
    runner = TaskRunner()
    errors = []

    def fail():
        raise ModelFileError("no model file at x.keras")

    runner.submit("model", fail, lambda r: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors == ["no model file at x.keras"]


def test_submit_latest_runs_one_job_at_a_time_and_skips_to_the_newest(qapp, qtbot):
    runner = TaskRunner()
    gate = threading.Event()
    ran, got = [], []

    def job(i):
        def fn():
            ran.append(i)
            if i == 0:
                gate.wait(5)
            return i
        return fn

    for i in range(5):  # 0 runs; 1-3 are superseded while it runs; 4 runs after it
        runner.submit_latest("plane", job(i), got.append)
    qtbot.wait(100)
    assert ran == [0]
    gate.set()
    qtbot.waitUntil(lambda: got == [0, 4], timeout=5000)
    assert ran == [0, 4]
