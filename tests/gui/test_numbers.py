"""Numbers in the window follow the locale, as the training form's fields do: 3.000 is three thousand in Brazil."""

import pytest

from vae_explorer.gui.numbers import coordinates, number, percent


@pytest.mark.parametrize("locale, written", [
    ("pt_BR", ["3.000", "250,88", "-0,50", "+1,25", "85,5%", "100%", "+0,120; -1,000"]),
    ("en_US", ["3,000", "250.88", "-0.50", "+1.25", "85.5%", "100%", "+0.120, -1.000"]),
    ("C", ["3000", "250.88", "-0.50", "+1.25", "85.5%", "100%", "+0.120, -1.000"]),
])
def test_numbers_are_written_with_the_locales_marks_and_coordinates_stay_apart(in_locale, locale, written):
    in_locale(locale)
    assert [number(3000), number(250.876, 2), number(-0.5, 2, signed=True), number(1.25, 2, signed=True),
            percent(0.855), percent(0.999, 0), coordinates([0.12, -1.0], 3)] == written
