"""The rules a new passphrase must meet, explained to the user when it does not."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sendesk.errors import WeakPassphrase
from sendesk.text import fold
from sendesk.wording import plural, tidy

MIN_LENGTH = 12
MIN_SCORE = 3  # zxcvbn's "safely unguessable" band: about 10^8 guesses or more
RULE = (
    f"Use at least {MIN_LENGTH} characters that are hard to guess: "
    "for example three or four unrelated words."
)
# zxcvbn refuses input longer than this (ValueError: a 73-character passphrase crashed `passwd`
# and every keystroke of the meter; from the fault trial) and is slow on long input. What follows
# the prefix can only add to its strength, so the prefix's score is a floor.
_SCORED_PREFIX = 72


@dataclass(frozen=True)
class Strength:
    score: int  # 0 (very weak) to 4 (very strong)
    acceptable: bool
    advice: str  # what to change; empty once it is strong enough (the meter says so, once)


def assess(passphrase: str, context: tuple[str, ...] = ()) -> Strength:
    """Score a candidate; `context` holds words (the school's name) it must not lean on."""
    if len(passphrase) < MIN_LENGTH:
        short = MIN_LENGTH - len(passphrase)
        return Strength(0, False, f"Too short: add {plural(short, 'more character')}. {RULE}")
    if _leans_on(passphrase, context):
        return Strength(1, False, f"Do not build it from the school's name. {RULE}")
    # zxcvbn costs a tenth of a second to import: loaded only when a passphrase is being chosen.
    from zxcvbn import zxcvbn

    words = [w for c in context for w in c.split() if w]
    result = zxcvbn(passphrase[:_SCORED_PREFIX], user_inputs=words)
    score = int(result["score"])
    if score >= MIN_SCORE:
        return Strength(score, True, "")
    feedback = result.get("feedback") or {}
    hint = feedback.get("warning") or ""
    advice = f"Too easy to guess. {hint + '. ' if hint else ''}{RULE}"
    return Strength(score, False, tidy(advice))


def _letters(text: str) -> str:
    return "".join(c for c in fold(text) if c.isalnum())


_YEAR_OR_SHORT_NUMBER = re.compile(r"(19|20)\d\d|\d{1,3}")


def _leans_on(candidate: str, context: tuple[str, ...]) -> bool:
    """Whether little is left of the passphrase once the school's words and a year are taken out.

    "stmaryschool2024" for St Mary's School, or "littlewobbling2024!" for Little Wobbling
    Primary, are guessable by anyone who knows where the laptop belongs.
    """
    left = _letters(candidate)
    words = {w for name in context for w in re.split(r"[^a-z0-9]+", fold(name)) if len(w) >= 2}
    words |= {w[:-1] for w in words if w.endswith("s") and len(w) > 3}  # St Mary's -> mary
    for word in sorted(words, key=len, reverse=True):
        left = left.replace(word, "")
    left = _YEAR_OR_SHORT_NUMBER.sub("", left)
    return len(left) < 6 and len(left) < len(_letters(candidate)) / 2


def check_new(passphrase: str, context: tuple[str, ...] = ()) -> None:
    """Raise `WeakPassphrase` with advice when a new passphrase breaks the rules."""
    strength = assess(passphrase, context)
    if not strength.acceptable:
        raise WeakPassphrase(strength.advice)
