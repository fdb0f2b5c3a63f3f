"""The latent plane's state, without Qt: plane <-> z, axes and principal components, points and events."""

import numpy as np
import pytest

from vae_explorer.latent_plane import LatentPlane


def recorder(plane: LatentPlane) -> list[str]:
    seen: list[str] = []
    for name in ("reset_event", "axes_changed", "free_changed", "latents_changed", "point_changed", "ends_changed",
                 "marks_changed"):
        getattr(plane, name).connect(lambda *args, name=name: seen.append(name))
    return seen


def test_two_dimensions_are_the_whole_plane():
    plane = LatentPlane()
    plane.reset(2)
    np.testing.assert_array_equal(plane.plane_to_z(0.5, -1.0), [0.5, -1.0])
    np.testing.assert_array_equal(plane.z_to_plane(np.array([[0.5, -1.0], [2.0, 3.0]])), [[0.5, -1.0], [2.0, 3.0]])
    assert plane.axis_labels == ("z1", "z2") and plane.free_dims == []


def test_axes_free_values_and_the_point_following_them():
    plane = LatentPlane()
    plane.reset(4)
    seen = recorder(plane)
    plane.set_dims(2, 3)
    assert plane.axis_labels == ("z3", "z4") and plane.free_dims == [0, 1] and plane.axes_chosen
    plane.set_point(plane.plane_to_z(0.25, -0.5))
    plane.set_free_value(0, 1.5)
    np.testing.assert_allclose(plane.point, [1.5, 0.0, 0.25, -0.5]), "the point keeps its place on the plane"
    np.testing.assert_allclose(plane.plane_to_z(1.0, 2.0), [1.5, 0.0, 1.0, 2.0])
    assert seen == ["axes_changed", "point_changed", "free_changed", "point_changed"]
    plane.set_free_value(2, 9.0)  # on the plane: its value comes from the plane, nothing moves
    np.testing.assert_allclose(plane.point, [1.5, 0.0, 0.25, -0.5])


def test_the_plane_is_the_slice_through_the_point_the_dimensions_off_it_follow():
    plane = LatentPlane()
    plane.reset(4)
    seen = recorder(plane)
    plane.set_point(np.array([0.7, 0.1, -0.4, 0.2], np.float32))  # a sample's point
    np.testing.assert_allclose(plane.free[2:], [-0.4, 0.2])
    np.testing.assert_allclose(plane.plane_to_z(1.0, 2.0), [1.0, 2.0, -0.4, 0.2]), "a click beside it keeps its style"
    plane.set_point(plane.plane_to_z(0.0, 0.0))  # a point on the plane's own slice changes nothing off it
    assert seen == ["free_changed", "point_changed", "point_changed"]
    plane.set_dims(2, 3)  # other axes: the slice through the same point
    np.testing.assert_allclose(plane.free[:2], [0.0, 0.0])
    np.testing.assert_allclose(plane.z_to_plane(plane.point), [[-0.4, 0.2]])
    np.testing.assert_allclose(plane.plane_to_z(-0.4, 0.2), plane.point)


def test_principal_components_need_the_test_set_and_invert_exactly():
    plane = LatentPlane()
    plane.reset(3)
    assert not plane.set_use_pca(True) and not plane.use_pca, "refused before the test set is known"
    rng = np.random.default_rng(0)
    means = rng.normal(size=(500, 3)) * np.array([0.1, 3.0, 1.0]) + np.array([1.0, 0.0, -2.0])
    plane.set_latents(means, rng.integers(0, 10, 500))
    assert plane.dims == (1, 2) and not plane.axes_chosen, "the two dimensions used most, as the model's own choice"
    assert plane.set_use_pca(True) and plane.axis_labels == ("PC1", "PC2") and plane.free_dims == []
    uv = plane.z_to_plane(plane.plane_to_z(0.7, -1.3))
    np.testing.assert_allclose(uv[0], [0.7, -1.3], atol=1e-5)


def test_moving_the_point_along_the_plane_keeps_its_coordinates_off_it():
    plane = LatentPlane()
    plane.reset(4)
    plane.set_dims(1, 3)
    seen = recorder(plane)
    plane.set_point(np.array([0.7, 0.1, -0.4, 0.2], np.float32))  # a sample tile's point: off-plane values of its own
    plane.move_point(0.5, -0.1)
    np.testing.assert_allclose(plane.point, [0.7, 0.6, -0.4, 0.1], atol=1e-6)
    assert seen == ["free_changed", "point_changed", "point_changed"], "the slice follows the new point once"
    rng = np.random.default_rng(2)
    plane.set_latents(rng.normal(size=(300, 4)) * [3.0, 1.0, 0.5, 0.2], rng.integers(0, 10, 300))
    assert plane.set_use_pca(True)
    before = plane.point.copy()
    plane.move_point(0.3, 0.2)
    np.testing.assert_allclose(plane.z_to_plane(plane.point) - plane.z_to_plane(before), [[0.3, 0.2]], atol=1e-5)
    centre, components = plane.pca

    def off_the_plane(z):
        return (z - centre) - ((z - centre) @ components.T) @ components

    np.testing.assert_allclose(off_the_plane(plane.point), off_the_plane(before), atol=1e-5)


def test_a_chosen_axis_is_kept_when_the_test_set_arrives():
    plane = LatentPlane()
    plane.reset(3)
    plane.set_dims(0, 2)
    plane.set_latents(np.random.default_rng(1).normal(size=(100, 3)) * [0.1, 5, 3], np.zeros(100))
    assert plane.dims == (0, 2)


def test_ends_path_marks_and_reset():
    plane = LatentPlane()
    plane.reset(2)
    assert plane.path(5) is None
    plane.set_point(np.array([-1.0, 0.0]))
    plane.set_end("a")
    plane.set_point(np.array([1.0, 2.0]))
    plane.set_end("b")
    np.testing.assert_allclose(plane.path(3), [[-1, 0], [0, 1], [1, 2]])
    with pytest.raises(ValueError, match="'a' or 'b'"):
        plane.set_end("c")
    plane.set_marks(np.ones((3, 2)))
    assert plane.marks.shape == (3, 2)
    seen = recorder(plane)
    plane.reset(8)
    assert seen == ["reset_event"] and plane.path(3) is None and plane.marks.shape == (0, 8)
    np.testing.assert_array_equal(plane.point, np.zeros(8))


def test_the_sharpness_is_a_way_of_drawing_kept_across_models_and_checked():
    plane, seen = LatentPlane(), []
    plane.sharpness_changed.connect(seen.append)
    assert plane.sharpness == 1.0
    plane.set_sharpness(2)
    plane.set_sharpness(2.0)  # no change: no event
    assert seen == [2.0] and plane.sharpness == 2.0
    plane.reset(2, conditional=True)
    assert plane.sharpness == 2.0, "another model opens: the pictures are drawn as before"
    for bad in (0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="sharpening"):
            plane.set_sharpness(bad)
    assert plane.sharpness == 2.0 and seen == [2.0]
