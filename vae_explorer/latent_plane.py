"""The latent plane's state, without Qt: which plane through latent space is shown, and the points on it.

The Explore area's panels (the plane, the decoded point, the sample grid, the interpolation strip,
the reconstructions) are views of one `LatentPlane`: they change it through its methods and redraw
when its events fire, and never reach into each other (napari's `components/dims.py` and its
`_qt` view are the model of this split).

The plane is spanned either by two latent dimensions, the others held at the `free` values, or by
the first two principal components of the encoded test set.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from vae_explorer.ml.images import check_sharpness


class Event:
    """A list of callbacks, called in order with the event's arguments (like a Qt signal, without Qt)."""

    def __init__(self) -> None:
        self._callbacks: list[Callable] = []

    def connect(self, callback: Callable) -> None:
        self._callbacks.append(callback)

    def disconnect(self, callback: Callable) -> None:
        self._callbacks.remove(callback)

    def emit(self, *args) -> None:
        for callback in list(self._callbacks):
            callback(*args)


class LatentPlane:
    """Axes or principal components, the free dimensions' values, plane <-> z, the current point,
    the interpolation ends A and B, and the marked points (the reconstructed images' codes)."""

    def __init__(self) -> None:
        self.reset_event = Event()  # a new model: (latent_dim,)
        self.axes_changed = Event()  # what spans the plane changed
        self.free_changed = Event()  # a dimension off the plane was set to another value
        self.latents_changed = Event()  # the encoded test set arrived
        self.point_changed = Event()  # (z,)
        self.ends_changed = Event()
        self.marks_changed = Event()
        self.label_changed = Event()  # a class-conditional model's class to decode under: (label,)
        self.sharpness_changed = Event()  # generated pictures are drawn with other pixels: (k,)
        self.sharpness = 1.0  # a way of drawing, not part of a model: kept when another opens
        self.reset(0)

    def reset(self, latent_dim: int, conditional: bool = False) -> None:
        """A new model of `latent_dim` dimensions: the first two dimensions, free values 0, point at 0;
        a class-conditional model decodes under class 0 until another is picked (None: no classes)."""
        self.latent_dim = latent_dim
        self.label: int | None = 0 if conditional else None
        self.dims = (0, min(1, max(latent_dim - 1, 0)))
        self.use_pca = False
        self.axes_chosen = False  # by the person, so a model's own choice no longer applies
        self.free = np.zeros(latent_dim, np.float32)
        self.pca: tuple[np.ndarray, np.ndarray] | None = None  # (centre, 2 x d components)
        self.latents: np.ndarray | None = None  # the encoded test set (N, d)
        self.labels: np.ndarray | None = None
        self.point = np.zeros(latent_dim, np.float32)
        self.ends: dict[str, np.ndarray | None] = {"a": None, "b": None}
        self.marks = np.zeros((0, latent_dim), np.float32)
        self.reset_event.emit(latent_dim)

    # --- plane coordinates <-> latent points ----------------------------------------------------
    @property
    def plane_dims(self) -> tuple[int, int] | None:
        """The two latent dimensions on the plane; None when principal components span it."""
        return None if self.use_pca else self.dims

    @property
    def axis_labels(self) -> tuple[str, str]:
        dims = self.plane_dims
        return ("PC1", "PC2") if dims is None else (f"z{dims[0] + 1}", f"z{dims[1] + 1}")

    @property
    def free_dims(self) -> list[int]:
        """The dimensions set by a value of their own (all of them off the plane, none under PCA)."""
        if self.use_pca:
            return []
        return [i for i in range(self.latent_dim) if i not in self.dims]

    def plane_to_z(self, u: float, v: float) -> np.ndarray:
        """The full latent point under plane coordinates (u, v)."""
        if self.use_pca and self.pca is not None:
            centre, components = self.pca
            return (centre + u * components[0] + v * components[1]).astype(np.float32)
        z = self.free.copy()
        i, j = self.dims
        z[i], z[j] = u, v
        return z

    def z_to_plane(self, z: np.ndarray) -> np.ndarray:
        """Plane coordinates of latent points (N, d) -> (N, 2)."""
        z = np.atleast_2d(np.asarray(z, np.float32))
        if self.use_pca and self.pca is not None:
            centre, components = self.pca
            return (z - centre) @ components.T
        return z[:, list(self.dims)]

    # --- what spans the plane ---------------------------------------------------------------------
    def set_dims(self, x: int, y: int, chosen: bool = True) -> None:
        """Show dimensions x and y; `chosen` by the person (a model's own choice no longer applies)."""
        self.axes_chosen = self.axes_chosen or chosen
        if (x, y) != self.dims:
            self.dims = (int(x), int(y))
            self._free_through_point()
            self.axes_changed.emit()

    def set_use_pca(self, on: bool) -> bool:
        """Span the plane by the principal components; False (and no change) while they are unknown."""
        if on and self.pca is None:
            return False
        if on != self.use_pca:
            self.use_pca = on
            self._free_through_point()
            self.axes_changed.emit()
        return True

    def set_free_value(self, dim: int, value: float) -> None:
        """Hold a dimension off the plane at `value`; the current point moves with it."""
        self.free[dim] = value
        if dim in self.free_dims:
            self.point = self.plane_to_z(*self.z_to_plane(self.point)[0])
            self.free_changed.emit()
            self.point_changed.emit(self.point)

    def set_latents(self, means: np.ndarray, labels: np.ndarray) -> None:
        """The encoded test set: drawn on the plane, and the basis of its principal components. With
        more than two dimensions a VAE leaves some nearly unused (their codes stay at the prior's centre),
        so unless the person chose, the plane shows the two the test set spreads over most."""
        self.latents, self.labels = np.asarray(means, np.float32), np.asarray(labels)
        if self.latent_dim > 2:
            centre = self.latents.mean(axis=0)
            _, _, vt = np.linalg.svd(self.latents - centre, full_matrices=False)
            self.pca = (centre, vt[:2])
            if not self.axes_chosen:
                x, y = np.argsort(self.latents.var(axis=0))[::-1][:2]
                self.set_dims(int(x), int(y), chosen=False)
        self.latents_changed.emit()

    # --- points -------------------------------------------------------------------------------------
    def set_point(self, z: np.ndarray) -> None:
        """Make z the current point; the dimensions off the plane take its values, so the plane is the
        slice through it (a sample's point, then a click beside it, decodes a neighbour of that sample)."""
        self.point = np.asarray(z, np.float32).reshape(-1).copy()
        if self._free_through_point():
            self.free_changed.emit()
        self.point_changed.emit(self.point)

    def _free_through_point(self) -> bool:
        """Hold the dimensions off the plane at the current point's values; True if any changed."""
        free = self.free_dims
        if not free or self.point.shape != self.free.shape or np.array_equal(self.free[free], self.point[free]):
            return False
        self.free[free] = self.point[free]
        return True

    def move_point(self, du: float, dv: float) -> None:
        """Move the current point by (du, dv) along the plane; its coordinates off the plane stay."""
        if self.use_pca and self.pca is not None:
            step = du * self.pca[1][0] + dv * self.pca[1][1]
        else:
            step = np.zeros(self.latent_dim, np.float32)
            step[self.dims[0]] += du
            step[self.dims[1]] += dv
        self.set_point(self.point + step)

    def set_end(self, which: str) -> None:
        """The current point becomes interpolation end "a" or "b"."""
        if which not in self.ends:
            raise ValueError(f"an interpolation end is 'a' or 'b', got {which!r}")
        self.ends[which] = self.point.copy()
        self.ends_changed.emit()

    def path(self, steps: int) -> np.ndarray | None:
        """`steps` points on the straight line from A to B (A and B included); None until both are set."""
        a, b = self.ends["a"], self.ends["b"]
        if a is None or b is None:
            return None
        t = np.linspace(0.0, 1.0, steps, dtype=np.float32)[:, None]
        return (1 - t) * a + t * b

    def set_label(self, label: int) -> None:
        """Decode under another class (a class-conditional model): the point, the grid, the strip."""
        if self.label is None:
            raise ValueError("this model has no classes to pick")
        if label != self.label:
            self.label = int(label)
            self.label_changed.emit(self.label)

    def set_sharpness(self, k: float) -> None:
        """Draw what the model generates (the point, the grid, the strip, transfers) with each pixel p as
        sigmoid(k logit p), as `sample --sharpen k`; 1 draws the decoder's means."""
        k = check_sharpness(k)
        if k != self.sharpness:
            self.sharpness = k
            self.sharpness_changed.emit(self.sharpness)

    def set_marks(self, points: np.ndarray) -> None:
        """Points to mark on the plane (the latent means of the reconstructed images)."""
        self.marks = np.asarray(points, np.float32).reshape(-1, self.latent_dim)
        self.marks_changed.emit()
