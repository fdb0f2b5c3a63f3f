"""The true posterior: for the reconstructed image selected in Reconstruct, p(z|x) as a heat map, the
encoder's q(z|x) and the refined one (`VAE.refine`) as their 1- and 2-sigma ellipses, the posterior's
modes (click one to decode it), and how far each ELBO falls short of log p(x). A 2-D model's plane is
its whole latent space and log p(x) is exact; a larger model is sliced along the latent plane's two
directions through the image's code (the other directions held there), and its log p(x) is bounded
by importance sampling.

Computed on a worker: a coarse grid first, then a finer one over the same window."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout

from vae_explorer.errors import Cancelled
from vae_explorer.gui.explore.panel import ExplorePanel
from vae_explorer.gui.names import class_names
from vae_explorer.gui.numbers import number
from vae_explorer.gui.plots import locale_axes, picture_menu

COARSE_POINTS = 64
FINE_POINTS = 160
IMPORTANCE_SAMPLES = 1000  # the bound on log p(x) where no exact value exists
SHOWN_NATS = 12.0  # the heat map spans the log density from its peak down this far
ELLIPSE_POINTS = 96


@dataclass(frozen=True)
class Slice:
    """The plane shown: z = origin + u basis[0] + v basis[1], with its axis names."""

    origin: np.ndarray
    basis: np.ndarray
    axis_labels: tuple[str, str]
    whole: bool = False  # the plane is the whole (2-D) latent space: the posterior and log p(x) are exact

    def to_z(self, uv: np.ndarray) -> np.ndarray:
        return (self.origin + uv[0] * self.basis[0] + uv[1] * self.basis[1]).astype(np.float32)

    def gaussian(self, mean: np.ndarray, logvar: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A diagonal Gaussian over z restricted to the plane: its centre and covariance in (u, v)."""
        precision = self.basis @ np.diag(np.exp(-logvar)) @ self.basis.T
        covariance = np.linalg.inv(precision)
        centre = covariance @ self.basis @ (np.exp(-logvar) * (mean - self.origin))
        return centre, covariance


def image_slice(plane, mean: np.ndarray) -> Slice:
    """The latent plane's two directions (dimensions or principal components) through the code `mean`."""
    if plane.latent_dim == 2:  # the whole space, in its own coordinates even when the plane shows components
        return Slice(np.zeros(2, np.float32), np.eye(2, dtype=np.float32), ("z1", "z2"), whole=True)
    basis = np.zeros((2, plane.latent_dim), np.float32)
    if plane.plane_dims is not None:
        basis[0, plane.dims[0]] = basis[1, plane.dims[1]] = 1.0
        centre = np.zeros(plane.latent_dim, np.float32)
    else:
        centre, components = plane.pca
        basis = np.asarray(components, np.float32)
    origin = mean - ((mean - centre) @ basis.T) @ basis  # the code, less its part along the plane
    return Slice(origin.astype(np.float32), basis, plane.axis_labels)


@dataclass(frozen=True)
class PosteriorView:
    """What the panel shows for one image: the posterior grid (xs, ys, log_density, modes) on `plane`,
    the encoder's and the refined q as (centre, covariance) there, their -ELBO, -log p(x) (exact, or
    the importance-weighted bound: `exact`), the class it is read under."""

    name: str
    plane: Slice
    xs: np.ndarray
    ys: np.ndarray
    log_density: np.ndarray
    modes: np.ndarray
    q: tuple[np.ndarray, np.ndarray]
    refined_q: tuple[np.ndarray, np.ndarray]
    negative_elbo: float
    refined_negative_elbo: float
    negative_log_px: float
    exact: bool
    label: int | None
    refined: bool


def posterior_view(vae, result, points: int, plane: Slice, coarse: PosteriorView | None = None,
                   cancelled=lambda: False) -> PosteriorView | None:
    """Runs on a worker: the posterior of one reconstructed image on a points x points grid; given the
    coarse view, over its window, with its other figures (they do not change with the grid). None when
    `cancelled` says so, asked between batches of grid points."""
    try:
        return _posterior_view(vae, result, points, plane, coarse, cancelled)
    except Cancelled:
        return None


def _posterior_view(vae, result, points, plane, coarse, cancelled) -> PosteriorView:
    label = result.predicted_class if vae.conditional else None
    labels = None if label is None else [label]
    exact = plane.whole

    def grid(window):
        if exact:
            return vae.posterior(result.input, label, points=points, window=window, cancelled=cancelled)
        return vae.posterior_slice(result.input, plane.origin, plane.basis, label, points=points, window=window,
                                   cancelled=cancelled)

    if coarse is not None:
        post = grid((coarse.xs[0], coarse.xs[-1], coarse.ys[0], coarse.ys[-1]))
        return replace(coarse, xs=post.xs, ys=post.ys, log_density=post.log_density, modes=post.modes, refined=True)
    post = grid(None)
    mean, logvar = vae.encode(result.input[None], labels)
    better = vae.refine(result.input[None], labels)  # also the encoder's -ELBO, on draws of its own
    if exact:
        negative_log_px = -post.log_px
    else:
        # Drawn from the refined q: from the encoder's, an image it misreads gets a far looser bound.
        negative_log_px = -float(vae.importance_weighted(result.input[None], IMPORTANCE_SAMPLES, labels,
                                                         (better.mean, better.logvar))[0])
    return PosteriorView(result.name, plane, post.xs, post.ys, post.log_density, post.modes,
                         plane.gaussian(mean[0], logvar[0]), plane.gaussian(better.mean[0], better.logvar[0]),
                         float(better.encoder_negative_elbo[0]), float(better.negative_elbo[0]), negative_log_px, exact,
                         label, refined=False)


def ellipse(centre: np.ndarray, covariance: np.ndarray, k: float) -> tuple[np.ndarray, np.ndarray]:
    """The k-sigma ellipse of a 2-D Gaussian."""
    t = np.linspace(0.0, 2.0 * np.pi, ELLIPSE_POINTS)
    circle = np.stack([np.cos(t), np.sin(t)])
    points = centre[:, None] + k * np.linalg.cholesky(covariance) @ circle
    return points[0], points[1]


class PosteriorPanel(ExplorePanel):
    """`show_result(r)` shows one reconstructed image's posterior (None: none); `view` holds what is shown."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.result = None
        self.view: PosteriorView | None = None
        # Set when the image, the plane or the model changes, or the tab is hidden: the view being computed is not wanted.
        self._call_off = threading.Event()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.numbers = QLabel()
        self.numbers.setWordWrap(True)
        self.numbers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.plot = pg.PlotWidget(axisItems=locale_axes())
        self.plot.setAspectLocked(True)
        picture_menu(self.plot, self.plot.getViewBox(), self.choose_png)
        for side, name in (("bottom", "z1"), ("left", "z2")):
            self.plot.setLabel(side, name)
            self.plot.getAxis(side).enableAutoSIPrefix(False)  # latent units, not thousandths
        self.plot.addLegend(offset=(-8, 8), labelTextSize="8pt")
        self.heat = pg.ImageItem()
        self.heat.setColorMap(pg.colormap.get("inferno"))
        self.plot.addItem(self.heat)
        pen = pg.mkPen("#4fc3f7", width=2)
        self.sigma1 = self.plot.plot(pen=pen, name=self.tr("q(z|x): 1σ, 2σ"))
        self.sigma2 = self.plot.plot(pen=pg.mkPen("#4fc3f7", width=1, style=Qt.PenStyle.DashLine))
        self.encoder_mean = self.plot.plot(pen=None, symbol="+", symbolSize=14, symbolPen=pg.mkPen("#4fc3f7", width=2),
                                           name=self.tr("encoder mean"))
        refined_pen = pg.mkPen("#f8f8f2", width=2)
        self.refined1 = self.plot.plot(pen=refined_pen, name=self.tr("refined q: 1σ, 2σ"))
        self.refined2 = self.plot.plot(pen=pg.mkPen("#f8f8f2", width=1, style=Qt.PenStyle.DashLine))
        self.mode_marks = pg.ScatterPlotItem(symbol="star", size=16, brush=pg.mkBrush("#76ff03"), pen=pg.mkPen("k"),
                                             name=self.tr("modes (click to decode)"))
        self.mode_marks.sigClicked.connect(self._on_mode_clicked)
        self.plot.addItem(self.mode_marks)
        self.plot.setToolTip(self.tr("The true posterior p(z|x) (brighter: more probable), the encoder's "
                                     "Gaussian q(z|x), the same Gaussian refined against the decoder, and the "
                                     "posterior's modes; click a mode to decode it"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.numbers)
        self.plane.reset_event.connect(lambda _d: self.show_result(None))
        self.plane.axes_changed.connect(self._on_axes_changed)
        self.show_result(None)

    def _call_off_running(self) -> None:
        self._call_off.set()
        self._call_off = threading.Event()

    def show_result(self, r) -> None:
        self._call_off_running()
        self.result = r
        self.view = None
        self.heat.clear()
        for item in (self.sigma1, self.sigma2, self.encoder_mean, self.refined1, self.refined2):
            item.setData([], [])
        self.mode_marks.setData([])
        self.numbers.setText("")
        # the axes of the slice to come: a larger model's plane axes (z3 and z1, say), not z1 and z2
        self._label_axes(self.plane.axis_labels if self.plane.latent_dim > 2 else ("z1", "z2"))
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

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self._call_off_running()  # a view computed for a hidden tab is dropped; showing it again computes it

    def _on_axes_changed(self) -> None:
        """Another pair of dimensions (or the principal components) on the plane: a larger model's slice
        follows it."""
        if self.vae is not None and self.vae.latent_dim > 2:
            self.show_result(self.result)

    def _label_axes(self, names: tuple[str, str]) -> None:
        for side, name in zip(("bottom", "left"), names):
            self.plot.setLabel(side, name)

    def _compute(self) -> None:
        vae, r = self.vae, self.result
        if vae is None or r is None:
            return
        plane = image_slice(self.plane, np.asarray(r.mean, np.float32))
        self.message.setText(self.tr("Computing the posterior of {name}…").format(name=r.name))
        self.tasks.submit_latest("posterior", self._job(COARSE_POINTS, plane), self._show, self._failed)

    def _job(self, points: int, plane: Slice, coarse: PosteriorView | None = None):
        """The view of the image shown now, to compute on a worker; it ends early once that is not wanted."""
        vae, r, off, closing = self.vae, self.result, self._call_off, self.tasks.stopping
        return lambda: posterior_view(vae, r, points, plane, coarse, lambda: off.is_set() or closing.is_set())

    def _show(self, view: PosteriorView | None) -> None:
        if view is None or self.result is None or view.name != self.result.name or not self.isVisible():
            return  # another image was selected meanwhile, or the tab was left: shown again when it is
        self.view = view
        density = np.clip(view.log_density - view.log_density.max(), -SHOWN_NATS, 0.0)
        self.heat.setImage(density, levels=(-SHOWN_NATS, 0.0))  # rows are z2 (the app's images are row-major)
        x0, x1, y0, y1 = view.xs[0], view.xs[-1], view.ys[0], view.ys[-1]
        self.heat.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        for (item, k), (centre, covariance) in (((self.sigma1, 1.0), view.q), ((self.sigma2, 2.0), view.q),
                                                ((self.refined1, 1.0), view.refined_q), ((self.refined2, 2.0), view.refined_q)):
            item.setData(*ellipse(centre, covariance, k))
        self.encoder_mean.setData([view.q[0][0]], [view.q[0][1]])
        self.mode_marks.setData(pos=[tuple(m) for m in view.modes], data=list(range(len(view.modes))))
        reach = [c + sign * 2.5 * np.sqrt(np.diag(cov)) for c, cov in (view.q, view.refined_q) for sign in (-1, 1)]
        low, high = min(y0, *(p[1] for p in reach)), max(y1, *(p[1] for p in reach))
        # Headroom above what is drawn: the legend sits there, not on the posterior.
        self.plot.getViewBox().setRange(xRange=(min(x0, *(p[0] for p in reach)), max(x1, *(p[0] for p in reach))),
                                        yRange=(low, high + 0.6 * (high - low)))
        self._label_axes(view.plane.axis_labels)
        under = "" if view.label is None else self.tr(" (read as {name})").format(name=class_names()[view.label])
        modes = self.tr("{n} modes").format(n=len(view.modes)) if len(view.modes) != 1 else self.tr("one mode")
        modes = modes[:1].upper() + modes[1:]  # it starts a sentence
        figures = dict(name=view.name, under=under, elbo=number(view.negative_elbo, 2), nll=number(view.negative_log_px, 2),
                       gap=number(view.negative_elbo - view.negative_log_px, 2), refined=number(view.refined_negative_elbo, 2),
                       refined_gap=number(view.refined_negative_elbo - view.negative_log_px, 2), modes=modes)
        if view.exact:
            text = self.tr("{name}{under}: −log p(x) {nll} nats. The encoder's Gaussian: −ELBO {elbo} nats, "
                           "{gap} more; refined: −ELBO {refined} nats, {refined_gap} more. {modes}.")
        else:
            text = self.tr("{name}{under}: a slice through its code along the plane's axes (the other dimensions "
                           "held there). −log p(x) ≤ {nll} nats (importance-weighted bound). The encoder's Gaussian: "
                           "−ELBO {elbo} nats; refined: {refined} nats. {modes} in this slice.")
        self.numbers.setText(text.format(**figures))
        self.message.setText(self.tr("Drawing it on a finer grid…") if not view.refined else "")
        if not view.refined:  # the same window on a finer grid
            self.tasks.submit_latest("posterior", self._job(FINE_POINTS, view.plane, view), self._show, self._failed)

    def _failed(self, message: str) -> None:
        self.message.setText(self.tr("The posterior could not be computed: {reason}").format(reason=message.splitlines()[0]))

    def choose_png(self) -> None:
        name = f"{Path(self.view.name).stem}.posterior.png" if self.view is not None else "posterior.png"
        self.export_image(self.ask_png(self.tr("Save the posterior"), name), self.plot.grab().toImage())

    def _on_mode_clicked(self, _item, spots, *_args) -> None:
        if self.view is not None and len(spots):
            self.plane.set_point(self.view.plane.to_z(np.asarray(self.view.modes[int(spots[0].data())], np.float32)))
