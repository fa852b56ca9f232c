"""Unique Pupil Numbers: the DfE's 13-character identifier with its check letter."""

from __future__ import annotations

_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ0123456789"


def normalise(text: str) -> str:
    """Upper case without spaces, as a UPN is stored."""
    return "".join(text.split()).upper()


def not_in_file(wanted: str) -> str:
    """What to say when no pupil has the UPN `wanted` (normalised)."""
    return f"No pupil in this file has the UPN {wanted}."


def problem(text: str) -> str | None:
    """What is wrong with a UPN in plain words, or None when it is valid.

    Unknown local authority numbers are accepted (new authorities appear), unlike python-stdnum.
    A temporary UPN ends in a letter instead of the last serial digit.
    """
    upn = normalise(text)
    if len(upn) != 13:
        return f"A UPN has 13 characters; this one has {len(upn)}."
    if not upn[1:12].isdigit() or not upn[1:12].isascii():
        return "A UPN's 2nd to 12th characters must be digits."
    if upn[12] not in _ALPHABET:
        return "A UPN's last character must be a digit or one of the letters UPNs use."
    if upn[0] not in _ALPHABET[:23]:
        return "A UPN starts with its check letter."
    expected = _check_letter(upn[1:])
    if expected != upn[0]:
        return f"The check letter does not match: for these digits it should be {expected}."
    return None


def with_check_letter(body: str) -> str:
    """A full UPN from its last twelve characters (used for demo and test data)."""
    return _check_letter(body) + body


def _check_letter(body: str) -> str:
    # python-stdnum costs about 20 ms to import: imported when a check letter is needed.
    from stdnum.gb import upn as stdnum_upn

    return str(stdnum_upn.calc_check_digit(body))
