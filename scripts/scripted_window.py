"""The app's window driven by timed steps, for the screenshot scripts (run under Xvfb)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication


class ScriptedWindow:
    """A fresh-settings app and window; `then(delay_ms, fn)` queues a step, `run()` starts them once the
    shipped model is ready and returns when the window closes."""

    def __init__(self, argv: list[str], name: str) -> None:
        self.app = QApplication(argv)
        self.app.setOrganizationName("VAE Explorer Screenshots")
        self.app.setApplicationName(name)
        QSettings().clear()  # default settings, as a first start
        from vae_explorer.gui.app import configure_locale
        from vae_explorer.gui.main_window import MainWindow

        configure_locale()  # numbers written as the app writes them

        self.window = MainWindow()
        self._steps: list[tuple] = []
        self._started = False

    def then(self, delay_ms: int, fn: Callable[[], object], until: Callable[[], bool] | None = None) -> None:
        """Run `fn` after `delay_ms`, and then (when given) once `until()` holds, for at most a minute more."""
        self._steps.append((delay_ms, fn, until))

    def _next(self) -> None:
        if self._steps:
            delay, fn, until = self._steps.pop(0)
            QTimer.singleShot(delay, lambda: self._when(until, fn, 300))

    def _when(self, until, fn, polls_left: int) -> None:
        if until is not None and not until() and polls_left > 0:
            QTimer.singleShot(200, lambda: self._when(until, fn, polls_left - 1))
            return
        fn()
        self._next()

    def _on_model(self, _vae) -> None:
        if not self._started:  # the shipped model; a trained one arrives later
            self._started = True
            self._next()

    def run(self) -> int:
        self.window.show()
        self.window.model_changed.connect(self._on_model)
        return self.app.exec()
