"""The true posterior of a 2-D model: for the reconstructed image selected in Reconstruct, p(z|x) as a
heat map over the plane, the encoder's q(z|x) as its 1- and 2-sigma ellipses, the posterior's modes
(click one to decode it), and how far the ELBO falls short of the exact log-likelihood.

Computed on a worker: a coarse grid first, then a finer one over the same window."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout

from vae_explorer.gui.explore.panel import ExplorePanel
from vae_explorer.gui.names import class_names

COARSE_POINTS = 64
FINE_POINTS = 160
ELBO_SAMPLES = 16  # the ELBO averaged over this many draws of z, so the gap is not one draw's noise
SHOWN_NATS = 12.0  # the heat map spans the log density from its peak down this far
ELLIPSE_POINTS = 96


@dataclass(frozen=True)
class PosteriorView:
    """What the panel shows for one image: the posterior grid (xs, ys, log_density, log_px, modes) and
    the encoder's mean and standard deviations, its -ELBO, the class it is read under."""

    name: str
    xs: np.ndarray
    ys: np.ndarray
    log_density: np.ndarray
    log_px: float
    modes: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    negative_elbo: float
    label: int | None
    refined: bool


def posterior_view(vae, result, points: int, coarse: PosteriorView | None = None) -> PosteriorView:
    """Runs on a worker: the posterior of one reconstructed image on a points x points grid; given the
    coarse view, over its window, with its encoder figures (they do not change with the grid)."""
    label = result.predicted_class if vae.conditional else None
    labels = None if label is None else [label]
    if coarse is not None:
        window = (coarse.xs[0], coarse.xs[-1], coarse.ys[0], coarse.ys[-1])
        post = vae.posterior(result.input, label, points=points, window=window)
        return replace(coarse, xs=post.xs, ys=post.ys, log_density=post.log_density, log_px=post.log_px,
                       modes=post.modes, refined=True)
    post = vae.posterior(result.input, label, points=points)
    mean, logvar = vae.encode(result.input[None], labels)
    draws = [vae.elbo(result.input[None], labels, seed=s) for s in range(ELBO_SAMPLES)]
    negative_elbo = float(np.mean([d["ce_loss"][0] + d["kl_loss"][0] for d in draws]))
    return PosteriorView(result.name, post.xs, post.ys, post.log_density, post.log_px, post.modes,
                         mean[0], np.exp(0.5 * logvar[0]), negative_elbo, label, refined=False)


def ellipse(centre: np.ndarray, std: np.ndarray, k: float) -> tuple[np.ndarray, np.ndarray]:
    t = np.linspace(0.0, 2.0 * np.pi, ELLIPSE_POINTS)
    return centre[0] + k * std[0] * np.cos(t), centre[1] + k * std[1] * np.sin(t)


class PosteriorPanel(ExplorePanel):
    """`show_result(r)` shows one reconstructed image's posterior (None: none); `view` holds what is shown."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.result = None
        self.view: PosteriorView | None = None
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.numbers = QLabel()
        self.numbers.setWordWrap(True)
        self.numbers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.plot = pg.PlotWidget()
        self.plot.setAspectLocked(True)
        for side, name in (("bottom", "z1"), ("left", "z2")):
            self.plot.setLabel(side, name)
            self.plot.getAxis(side).enableAutoSIPrefix(False)  # latent units, not thousandths
        self.plot.addLegend(offset=(-8, 8), labelTextSize="8pt")
        self.heat = pg.ImageItem()
        self.heat.setColorMap(pg.colormap.get("inferno"))
        self.plot.addItem(self.heat)
        pen = pg.mkPen("#4fc3f7", width=2)
        self.sigma1 = self.plot.plot(pen=pen, name=self.tr("q(z|x): 1σ"))
        self.sigma2 = self.plot.plot(pen=pg.mkPen("#4fc3f7", width=1, style=Qt.PenStyle.DashLine), name=self.tr("q(z|x): 2σ"))
        self.encoder_mean = self.plot.plot(pen=None, symbol="+", symbolSize=14, symbolPen=pg.mkPen("#4fc3f7", width=2),
                                           name=self.tr("encoder mean"))
        self.mode_marks = pg.ScatterPlotItem(symbol="star", size=16, brush=pg.mkBrush("#76ff03"), pen=pg.mkPen("k"),
                                             name=self.tr("modes (click to decode)"))
        self.mode_marks.sigClicked.connect(self._on_mode_clicked)
        self.plot.addItem(self.mode_marks)
        self.plot.setToolTip(self.tr("The true posterior p(z|x) (brighter: more probable), the encoder's "
                                     "Gaussian q(z|x) and the posterior's modes; click a mode to decode it"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.numbers)
        self.plane.reset_event.connect(lambda _d: self.show_result(None))
        self.show_result(None)

    def show_result(self, r) -> None:
        self.result = r
        self.view = None
        self.heat.clear()
        for item in (self.sigma1, self.sigma2, self.encoder_mean):
            item.setData([], [])
        self.mode_marks.setData([])
        self.numbers.setText("")
        if r is None:
            self.message.setText(self.tr("Select an image in the Reconstruct tab (drop, open or paste one, or try "
                                         "the sample images): its true posterior p(z|x) is drawn here."))
            return
        if self.isVisible():  # else when the tab is shown: each view costs seconds of both cores
            self._compute()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.result is not None and (self.view is None or not self.view.refined):
            self._compute()

    def _compute(self) -> None:
        vae, r = self.vae, self.result
        if vae is None or r is None or vae.latent_dim != 2:
            return
        self.message.setText(self.tr("Computing the posterior of {name}…").format(name=r.name))
        self.tasks.submit_latest("posterior", lambda: posterior_view(vae, r, COARSE_POINTS), self._show,
                                 self._failed)

    def _show(self, view: PosteriorView) -> None:
        if self.result is None or view.name != self.result.name or not self.isVisible():
            return  # another image was selected meanwhile, or the tab was left: shown again when it is
        self.view = view
        density = np.clip(view.log_density - view.log_density.max(), -SHOWN_NATS, 0.0)
        self.heat.setImage(density, levels=(-SHOWN_NATS, 0.0))  # rows are z2 (the app's images are row-major)
        x0, x1, y0, y1 = view.xs[0], view.xs[-1], view.ys[0], view.ys[-1]
        self.heat.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        for item, k in ((self.sigma1, 1.0), (self.sigma2, 2.0)):
            item.setData(*ellipse(view.mean, view.std, k))
        self.encoder_mean.setData([view.mean[0]], [view.mean[1]])
        self.mode_marks.setData(pos=[tuple(m) for m in view.modes], data=list(range(len(view.modes))))
        self.plot.getViewBox().setRange(xRange=(min(x0, view.mean[0] - 2.5 * view.std[0]), max(x1, view.mean[0] + 2.5 * view.std[0])),
                                        yRange=(min(y0, view.mean[1] - 2.5 * view.std[1]), max(y1, view.mean[1] + 2.5 * view.std[1])))
        gap = view.negative_elbo + view.log_px
        under = "" if view.label is None else self.tr(" (read as {name})").format(name=class_names()[view.label])
        modes = self.tr("{n} modes").format(n=len(view.modes)) if len(view.modes) != 1 else self.tr("one mode")
        self.numbers.setText(self.tr(
            "{name}{under}: −ELBO {elbo} nats, −log p(x) {nll} nats: the encoder's Gaussian loses {gap} nats; "
            "{modes}.").format(name=view.name, under=under, elbo=f"{view.negative_elbo:.2f}", nll=f"{-view.log_px:.2f}",
                               gap=f"{gap:.2f}", modes=modes))
        self.message.setText(self.tr("Refining…") if not view.refined else "")
        if not view.refined:  # the same window on a finer grid
            vae, r = self.vae, self.result
            self.tasks.submit_latest("posterior", lambda: posterior_view(vae, r, FINE_POINTS, view), self._show,
                                     self._failed)

    def _failed(self, message: str) -> None:
        self.message.setText(self.tr("The posterior could not be computed: {reason}").format(reason=message.splitlines()[0]))

    def _on_mode_clicked(self, _item, spots, *_args) -> None:
        if self.view is not None and len(spots):
            self.plane.set_point(np.asarray(self.view.modes[int(spots[0].data())], np.float32))
