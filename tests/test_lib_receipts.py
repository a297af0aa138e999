import re

import pytest

from mango.lib.receipts import new_receipt, normalise_receipt


def test_new_receipts_have_the_documented_shape_and_differ():
    codes = {new_receipt() for _ in range(500)}
    assert len(codes) == 500
    assert all(re.fullmatch(r"M-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}", c) for c in codes)


@pytest.mark.parametrize("typed", ["m-4f7kq-9xr2d", "4F7KQ9XR2D", "M 4F7KQ 9XR2D", "M-4F7KQ-9XR2D"])
def test_typed_receipts_are_normalised(typed):
    assert normalise_receipt(typed) == "M-4F7KQ-9XR2D"


def test_confusable_letters_are_read_as_digits():
    assert normalise_receipt("M-4F7KQ-OXR2I") == "M-4F7KQ-0XR21"


def test_a_wrong_length_gets_a_readable_error():
    with pytest.raises(ValueError, match="10 letters and digits"):
        normalise_receipt("M-123")
