"""A letter template for a parent who is worried about their child (DOMAIN.md's prompts)."""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer  # type: ignore[import-untyped, unused-ignore]

from sendesk.documents.style import (
    DocumentOptions,
    Letterhead,
    para,
    question,
    render,
    styles,
)

TITLE = "Letter of concern"
PROMPTS = (
    "What in particular worries you about your child?",
    "When did you first notice it?",
    "What difficulties does your child have (at home, with learning, with friends)?",
    "Are the difficulties getting worse?",
    "Does anyone in the family have similar difficulties?",
    "What has helped before, at home or at school?",
    "Do you think your child is making enough progress? Why?",
    "Anything else you would like us to know (you may attach reports or schoolwork):",
)


def build(
    letterhead: Letterhead,
    senco_name: str | None = None,
    child_name: str | None = None,
    class_name: str | None = None,
    options: DocumentOptions | None = None,
) -> bytes:
    options = options or DocumentOptions()
    s = styles(options)
    to = f"Dear {senco_name} (SENCo)," if senco_name else "Dear SENCo,"
    child = child_name or "______________________________"
    story: list[Flowable] = [
        para("Letter of concern about my child", s.title),
        para(
            "Please use this letter to tell us what worries you. Write as much or as little as "
            "you like, and bring it to school or hand it to the class teacher. We will arrange "
            "to meet you to talk about it.",
            s.small,
        ),
        Spacer(1, s.body_size * 0.5),
        para(to, s.body),
        para(f"I am writing about my child {child}, class {class_name or '__________'}.", s.body),
    ]
    for prompt in PROMPTS:
        story += [Spacer(1, s.body_size * 0.8), *question(prompt, s, 3)]
    story += [
        Spacer(1, s.body_size),
        para("Your name: ______________________________", s.body),
        para("Your relationship to the child (mother, father, carer…): ______________", s.body),
        para("How we can contact you: ________________________________________", s.body),
        Spacer(1, s.body_size),
        para("Signed: ______________________________   Date: ______________", s.body),
    ]
    return render(story, letterhead, options, TITLE)
