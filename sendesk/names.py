"""The name a pupil is known by: one rule for the register, the record, documents and calendars.

A preferred forename or surname, where the school has one, replaces the legal one; the legal name
is for the census and other official returns only.
"""

from __future__ import annotations


def known_names(
    legal_forename: str,
    legal_surname: str,
    preferred_forename: str | None = None,
    preferred_surname: str | None = None,
) -> tuple[str, str]:
    """(forename, surname) as the pupil is known: preferred where given, else legal."""
    return preferred_forename or legal_forename, preferred_surname or legal_surname


def known_as(
    legal_forename: str,
    legal_surname: str,
    preferred_forename: str | None = None,
    preferred_surname: str | None = None,
) -> str:
    """'Jayden Okoro': forename then surname, as the pupil is known."""
    return " ".join(
        known_names(legal_forename, legal_surname, preferred_forename, preferred_surname)
    )


def listed_as(
    legal_forename: str,
    legal_surname: str,
    preferred_forename: str | None = None,
    preferred_surname: str | None = None,
) -> str:
    """'Okoro, Jayden': surname first, for lists."""
    forename, surname = known_names(
        legal_forename, legal_surname, preferred_forename, preferred_surname
    )
    return f"{surname}, {forename}"


def legal_name(legal_forename: str, legal_surname: str) -> str:
    return f"{legal_forename} {legal_surname}"
