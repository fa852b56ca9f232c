"""The pupil fields an import can fill, and the column names MIS exports give them."""

from __future__ import annotations

import re

from sendesk.text import fold

# The pupil fields an import can fill, in the order the mapping shows them.
FIELDS: dict[str, str] = {
    "upn": "UPN",
    "legal_surname": "Legal surname",
    "legal_forename": "Legal forename",
    "preferred_surname": "Preferred surname",
    "preferred_forename": "Preferred forename",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "year_group": "Year group",
    "class_name": "Class",
    "sen_status": "SEN status",
    "primary_need": "Primary need",
    "secondary_need": "Secondary need",
    "sen_start": "SEN start date",
}
REQUIRED_FIELDS = ("upn", "legal_surname", "legal_forename")
MAX_LENGTH = {
    "legal_surname": 100,
    "legal_forename": 100,
    "preferred_surname": 100,
    "preferred_forename": 100,
    "class_name": 40,
}


def column_key(name: str) -> str:
    """A column name folded for matching: "NC Year" and "nc_year" are the same column."""
    return re.sub(r"[^a-z0-9]", "", fold(name))


# Column names written by the common MIS exports (SIMS, Arbor, Bromcom, ScholarPack, Excel
# reports) and by SENDesk's own CTF reader and rejected-rows file, folded with `column_key`.
KNOWN_COLUMNS: dict[str, str] = {
    **dict.fromkeys(("upn", "uniquepupilnumber", "pupilupn"), "upn"),
    **dict.fromkeys(
        ("legalsurname", "surname", "lastname", "familyname", "legallastname"), "legal_surname"
    ),
    **dict.fromkeys(
        ("legalforename", "forename", "forenames", "firstname", "givenname", "legalfirstname"),
        "legal_forename",
    ),
    **dict.fromkeys(("preferredsurname", "preferredlastname"), "preferred_surname"),
    **dict.fromkeys(
        ("preferredforename", "preferredfirstname", "knownas", "chosenforename", "preferredname"),
        "preferred_forename",
    ),
    **dict.fromkeys(("dob", "dateofbirth", "birthdate"), "date_of_birth"),
    **dict.fromkeys(("sex", "gender"), "sex"),
    **dict.fromkeys(
        ("year", "ncyear", "yeargroup", "ncyearactual", "curriculumyear", "yeartaughtin"),
        "year_group",
    ),
    **dict.fromkeys(
        ("reg", "reggroup", "regroup", "class", "classname", "registrationgroup", "form"),
        "class_name",
    ),
    **dict.fromkeys(("senstatus", "senprovision", "sen", "senstage", "sencode"), "sen_status"),
    **dict.fromkeys(
        (
            "primaryneed",
            "senneedtype",
            "senneedtype1",
            "primarysenneed",
            "senprimaryneed",
            "needtype1",
            "senneed1",
            "senneed",
            "primarysentype",
            "sentype1",
        ),
        "primary_need",
    ),
    **dict.fromkeys(
        (
            "secondaryneed",
            "senneedtype2",
            "secondarysenneed",
            "sensecondaryneed",
            "needtype2",
            "senneed2",
            "secondarysentype",
            "sentype2",
        ),
        "secondary_need",
    ),
    **dict.fromkeys(("senstartdate", "senstart", "senfrom"), "sen_start"),
}

Mapping = list[str | None]
"""For each column of a source, the pupil field it fills, or None to ignore it."""
