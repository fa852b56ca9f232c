"""The rules a new passphrase must meet, explained to the user when it does not."""

from __future__ import annotations

from dataclasses import dataclass

from zxcvbn import zxcvbn

from sendesk.errors import WeakPassphrase
from sendesk.text import fold

MIN_LENGTH = 12
MIN_SCORE = 3  # zxcvbn's "safely unguessable" band: about 10^8 guesses or more
RULE = (
    f"Use at least {MIN_LENGTH} characters that are hard to guess: "
    "for example three or four unrelated words."
)
# zxcvbn is slow on very long input and gains nothing from it.
_SCORED_PREFIX = 100


@dataclass(frozen=True)
class Strength:
    score: int  # 0 (very weak) to 4 (very strong)
    acceptable: bool
    advice: str


def assess(passphrase: str, context: tuple[str, ...] = ()) -> Strength:
    """Score a candidate; `context` holds words (the school's name) it must not lean on."""
    if len(passphrase) < MIN_LENGTH:
        short = MIN_LENGTH - len(passphrase)
        return Strength(0, False, f"Too short: add {short} more character(s). {RULE}")
    squeezed = _letters(passphrase)
    for name in context:
        if len(_letters(name)) >= 4 and _letters(name) in squeezed:
            return Strength(1, False, f"Do not build it from the school's name. {RULE}")
    words = [w for c in context for w in c.split() if w]
    result = zxcvbn(passphrase[:_SCORED_PREFIX], user_inputs=words)
    score = int(result["score"])
    if score >= MIN_SCORE:
        return Strength(score, True, "Strong enough.")
    feedback = result.get("feedback") or {}
    hint = feedback.get("warning") or ""
    advice = f"Too easy to guess. {hint + '. ' if hint else ''}{RULE}"
    return Strength(score, False, advice.replace("..", "."))


def _letters(text: str) -> str:
    return "".join(c for c in fold(text) if c.isalnum())


def check_new(passphrase: str, context: tuple[str, ...] = ()) -> None:
    """Raise `WeakPassphrase` with advice when a new passphrase breaks the rules."""
    strength = assess(passphrase, context)
    if not strength.acceptable:
        raise WeakPassphrase(strength.advice)
