"""The abbreviations a parents' copy explains, in a box at the foot of each page they appear on."""

from __future__ import annotations

import re

TERMS: dict[str, str] = {
    "ADHD": "attention deficit hyperactivity disorder",
    "ASD": "autism (autistic spectrum disorder)",
    "CVC": "consonant-vowel-consonant words, such as cat and dog",
    "CAMHS": "children's mental health services",
    "DS": "Down syndrome",
    "EHC": "education, health and care",
    "EHCNA": "assessment for an education, health and care plan",
    "EHCP": "education, health and care plan (a legal plan)",
    "ELSA": "emotional literacy support assistant (a trained teaching assistant)",
    "EP": "educational psychologist",
    "HI": "hearing impairment",
    "HLTA": "higher level teaching assistant",
    "LA": "the local authority (the council)",
    "LIFT": "Local Inclusion Forum Team (advice for schools)",
    "MIS": "the school's main records system",
    "MLD": "moderate learning difficulty",
    "MSI": "multi-sensory impairment",
    "NSA": "no specialist assessment of the need yet",
    "OT": "occupational therapy",
    "PD": "physical disability",
    "PMLD": "profound and multiple learning difficulty",
    "SALT": "speech and language therapy",
    "SEMH": "social, emotional and mental health",
    "SEN": "special educational needs",
    "SENCo": "the teacher who leads support for SEN",
    "SEND": "special educational needs and disabilities",
    "SLCN": "speech, language and communication needs",
    "SLD": "severe learning difficulty",
    "SPLD": "specific learning difficulty, such as dyslexia",
    "TA": "teaching assistant",
    "UPN": "the pupil's number in school records",
    "VI": "vision impairment",
}
_FOUND = re.compile(r"(?<![\w-])(" + "|".join(sorted(TERMS, key=len, reverse=True)) + r")(?![\w-])")


def terms_in(text: str) -> frozenset[str]:
    """The abbreviations `text` uses."""
    return frozenset(_FOUND.findall(text))


def lines(terms: frozenset[str] | set[str]) -> list[str]:
    """'SALT: speech and language therapy', for each term, in alphabetical order."""
    return [f"{t}: {TERMS[t]}" for t in sorted(terms, key=str.lower)]
