"""The Posterior tab: a selected image's true posterior over the plane, q's ellipses, its modes, the numbers."""

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
    exact = ex.reconstruct.vae.log_likelihood(r.input[None]).log_px[0]
    assert abs(view.log_px - exact) < 0.1
    assert panel.heat.image is not None and panel.heat.image.shape == (160, 160)
    assert len(panel.sigma1.getData()[0]) > 0 and panel.encoder_mean.getData()[0][0] == view.mean[0]
    assert "−log p(x)" in panel.numbers.text() and f"{-view.log_px:.2f}" in panel.numbers.text()
    # Clicking a mode decodes it: it becomes the plane's point.
    spot = panel.mode_marks.points()[0]
    panel.mode_marks.sigClicked.emit(panel.mode_marks, [spot], None)
    np.testing.assert_allclose(ex.latent_plane.point, view.modes[0], atol=1e-6)
    # Another row: the panel follows the selection; clearing empties it.
    rec.table.selectRow(2)
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.name == rec.results[2].name, timeout=30000)
    rec.clear_results()
    assert panel.view is None and panel.heat.image is None


def test_models_with_more_than_two_latent_dimensions_show_no_posterior_tab(explore):
    explore.set_model(vae_explorer.load_model(MODELS_DIR / "cvae-fashion-latent8.keras"))
    assert not explore.tabs.isTabVisible(explore.tabs.indexOf(explore.posterior))
