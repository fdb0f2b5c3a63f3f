"""The Posterior tab: a selected image's true posterior over the plane (a slice of it for a larger model),
the encoder's and the refined q's ellipses, its modes, the numbers."""

import numpy as np

import vae_explorer
from vae_explorer.config import MODELS_DIR


def test_the_posterior_of_the_selected_image_coarse_then_refined_with_clickable_modes(explore, qtbot):
    ex = explore
    panel = ex.posterior
    assert ex.tabs.isTabVisible(ex.tabs.indexOf(panel))  # a 2-D model
    assert "Select an image" in panel.message.text() and panel.view is None
    rec = ex.reconstruct
    rec.open_sample_images()
    qtbot.waitUntil(lambda: rec.selected_result() is not None, timeout=30000)
    assert panel.view is None  # nothing computed while the tab is not shown
    ex.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.view is not None, timeout=30000)
    first = panel.view
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.refined, timeout=30000)
    view, r = panel.view, rec.selected_result()
    assert not first.refined and view.name == r.name and view.log_density.shape == (160, 160)
    assert (view.xs[0], view.xs[-1]) == (first.xs[0], first.xs[-1])  # the same window, refined
    vae = ex.reconstruct.vae
    exact = vae.log_likelihood(r.input[None]).log_px[0]
    assert view.exact and abs(view.negative_log_px + exact) < 0.1
    assert panel.heat.image is not None and panel.heat.image.shape == (160, 160)
    mean, logvar = vae.encode(r.input[None])
    np.testing.assert_allclose(view.q[0], mean[0], atol=1e-5)  # the whole plane: q is drawn as it is
    np.testing.assert_allclose(np.diag(view.q[1]), np.exp(logvar[0]), rtol=1e-4)
    assert len(panel.sigma1.getData()[0]) > 0 and panel.encoder_mean.getData()[0][0] == view.q[0][0]
    assert len(panel.refined1.getData()[0]) > 0
    assert view.negative_log_px - 0.5 < view.refined_negative_elbo < view.negative_elbo + 0.5
    assert "−log p(x)" in panel.numbers.text() and f"{view.negative_log_px:.2f}" in panel.numbers.text()
    assert f"{view.refined_negative_elbo:.2f}" in panel.numbers.text()
    # Clicking a mode decodes it: it becomes the plane's point.
    spot = panel.mode_marks.points()[0]
    panel.mode_marks.sigClicked.emit(panel.mode_marks, [spot], None)
    np.testing.assert_allclose(ex.latent_plane.point, view.modes[0], atol=1e-6)
    # Another row: the panel follows the selection; clearing empties it.
    rec.table.selectRow(2)
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.name == rec.results[2].name, timeout=30000)
    rec.clear_results()
    assert panel.view is None and panel.heat.image is None


def test_a_view_no_longer_wanted_ends_at_its_next_batch_of_points(explore, qtbot, monkeypatch):
    """Another image selected, the tab left or the window closing: the view being computed ends early (the
    finer grid is seconds of both cores) instead of holding up the next image's, another tab or the close."""
    from vae_explorer.gui.explore import posterior

    ended, real = [], posterior.posterior_view
    monkeypatch.setattr(posterior, "posterior_view", lambda *a, **k: ended.append((a[2], real(*a, **k))) or ended[-1][1])
    ex, panel, rec = explore, explore.posterior, explore.reconstruct
    rec.open_sample_images()
    qtbot.waitUntil(lambda: len(rec.results) >= 4 and rec.selected_result() is not None, timeout=30000)
    ex.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.view is not None, timeout=30000)  # the coarse view: the finer one starts now
    rec.table.selectRow(2)
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.name == rec.results[2].name, timeout=30000)
    coarse, fine = posterior.COARSE_POINTS, posterior.FINE_POINTS

    def called_off():
        return [(points, view is None) for points, view in ended]

    assert called_off() == [(coarse, False), (fine, True), (coarse, False)], "the first image's finer grid was called off"
    ex.tabs.setCurrentWidget(rec)  # leaving the tab
    assert panel.tasks.wait(30000) and called_off()[3:] == [(fine, True)] and not panel.view.refined
    ex.tabs.setCurrentWidget(panel)  # coming back computes it again
    qtbot.waitUntil(lambda: len(ended) == 5 and panel.view is ended[4][1], timeout=30000)  # shown: the finer one starts
    panel.tasks.stopping.set()  # as closing the window does
    assert panel.tasks.wait(30000) and called_off()[4:] == [(coarse, False), (fine, True)]


def test_a_larger_model_shows_a_slice_along_the_planes_axes_through_the_images_code(explore, qtbot):
    ex = explore
    vae = vae_explorer.load_model(MODELS_DIR / "cvae-fashion-latent8.keras")
    ex.set_model(vae)
    panel = ex.posterior
    assert ex.tabs.isTabVisible(ex.tabs.indexOf(panel))
    qtbot.waitUntil(lambda: ex.latent_plane.latents is not None, timeout=60000)
    empty_axes = (panel.plot.getAxis("bottom").labelText, panel.plot.getAxis("left").labelText)
    assert empty_axes == ex.latent_plane.axis_labels != ("z1", "z2"), "before an image: the plane's axes"
    rec = ex.reconstruct
    rec.open_sample_images()
    qtbot.waitUntil(lambda: len(rec.results) > 0 and rec.selected_result() is not None, timeout=30000)
    ex.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.refined, timeout=60000)
    view, r = panel.view, rec.selected_result()
    i, j = ex.latent_plane.dims
    assert not view.exact and view.plane.axis_labels == (f"z{i + 1}", f"z{j + 1}")
    # The slice passes through the image's code: the encoder's q is centred there on the plane.
    np.testing.assert_allclose(view.q[0], r.mean[[i, j]], atol=1e-4)
    np.testing.assert_allclose(view.plane.to_z(r.mean[[i, j]]), r.mean, atol=1e-5)
    assert panel.plot.getAxis("bottom").labelText == f"z{i + 1}"
    assert "slice" in panel.numbers.text() and "importance-weighted" in panel.numbers.text()
    # Another pair of dimensions on the plane: the slice follows.
    ex.latent_plane.set_dims(j, i)
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.plane.axis_labels == (f"z{j + 1}", f"z{i + 1}"),
                    timeout=60000)
    spot = panel.mode_marks.points()[0]
    panel.mode_marks.sigClicked.emit(panel.mode_marks, [spot], None)
    expected = r.mean.copy()
    expected[[j, i]] = panel.view.modes[0]
    np.testing.assert_allclose(ex.latent_plane.point, expected, atol=1e-5)
