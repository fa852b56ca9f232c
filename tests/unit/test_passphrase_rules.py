"""The new-passphrase rules at their edges (from the fault trial)."""

from __future__ import annotations

import pytest

from sendesk import passphrase
from sendesk.errors import WeakPassphrase


@pytest.mark.parametrize("length", [72, 73, 100, 500])
def test_a_long_passphrase_is_scored_not_crashed_on(length: int) -> None:
    # zxcvbn refuses more than 72 characters; a long passphrase is a good one.
    strong = ("maple river copper lantern " * 20)[:length]
    assert passphrase.assess(strong).acceptable
    passphrase.check_new(strong)
    # Long but made of one repeated letter: still too easy, with advice, not an error.
    weak = "a" * length
    assert not passphrase.assess(weak).acceptable
    with pytest.raises(WeakPassphrase):
        passphrase.check_new(weak)
