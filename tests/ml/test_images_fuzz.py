"""Malformed images, generated: every one ends in a 28x28 input or in an ImageError, never a crash."""

import numpy as np

from tests.helpers import N_MALFORMED
from vae_explorer.errors import ImageError
from vae_explorer.ml.images import image_file_to_input


def test_preprocessing_gives_an_input_or_an_image_error(malformed):
    outcomes = {"input": 0, "error": 0}
    for path in malformed:
        try:
            x = image_file_to_input(path)
        except ImageError as exc:
            assert path.name in str(exc) and exc.reason
            outcomes["error"] += 1
        else:
            assert x.shape == (28, 28) and x.dtype == np.uint8
            outcomes["input"] += 1
    assert sum(outcomes.values()) == N_MALFORMED
    assert outcomes["error"] >= N_MALFORMED // 3, outcomes  # the mutations do break most files
