"""A paragraph made without ReportLab's parser, and laid out once per width, prints the same."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from reportlab import rl_config
from reportlab.platypus import Paragraph

from sendesk.documents import style
from sendesk.documents.style import DocumentOptions

TEXTS = [
    "Hello world",
    "  two  spaces\tand a tab ",
    "Zoë Nguyễn, Łukasz Wójcik and Llŷr Jones",
    "x",
    "a\u00a0b",
    " ",
    "",
    "fish & chips",
    "a < b",
]


@pytest.mark.parametrize("text", TEXTS)
def test_a_plain_paragraph_has_the_fragments_the_parser_makes(text: str) -> None:
    s = style.styles(DocumentOptions())
    for st in (s.body, s.cell_head, s.title, s.small):
        fragment = style.markup(text, st.fontName == style.BOLD)
        ours, theirs = style.Text(fragment, st), Paragraph(fragment, st)
        assert [f.__dict__ for f in ours.frags] == [f.__dict__ for f in theirs.frags]
        assert ours.text == theirs.text


def test_a_paragraph_wrapped_again_at_its_width_keeps_its_lines() -> None:
    s = style.styles(DocumentOptions())
    p = style.para("A sentence that is long enough to need three lines or more. " * 4, s.body)
    first = p.wrap(200, 1000)
    lines = p.blPara
    assert p.wrap(200, 50) == first and p.blPara is lines  # the height given does not matter
    assert p.wrap(300, 1000) != first  # another width: laid out again
    assert p.wrap(200, 1000) == first


def test_a_parents_copy_paragraph_longer_than_a_page_goes_over_the_page() -> None:
    """It failed: ReportLab makes the pieces as Glossed(None, style, bulletText=…, frags=…)."""
    s = style.styles(DocumentOptions(for_parents=True))
    p = style.para("The SENCo will ask for an EHCP. " * 400, s.body)
    assert isinstance(p, style.Glossed)
    p.wrap(400, 1000)
    pieces = p.split(400, 300)
    assert len(pieces) == 2
    assert all(isinstance(x, style.Glossed) and x.terms == p.terms for x in pieces)
    head = style.Letterhead("A School", dt.date(2026, 11, 23))
    story = [style.para("The SENCo will ask for an EHCP. " * 400, s.body)]
    pdf = style.render(story, head, DocumentOptions(for_parents=True), "A letter")
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) > 1
    assert all("Words on this page" in (page.extract_text() or "") for page in pages)


def test_a_short_paragraph_is_made_once_and_each_use_is_its_own_copy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    s = style.styles(DocumentOptions())
    first, second = style.para("Date of birth", s.label), style.para("Date of birth", s.label)
    assert first is not second and first.frags is second.frags
    style.keep_with_next(first)
    assert not getattr(second, "keep_with_next_piece", False)  # a heading's mark stays its own
    broken = []
    break_lines = Paragraph.breakLines

    def counted(self: Paragraph, widths: list[float]) -> object:
        broken.append(self)
        return break_lines(self, widths)

    monkeypatch.setattr(Paragraph, "breakLines", counted)
    size = first.wrap(123.5, 1000)
    assert second.wrap(123.5, 1000) == size and second.blPara is first.blPara
    assert broken == [first]  # the copies share the lines


def test_plans_made_from_shared_paragraphs_are_byte_identical_to_fresh_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same story printed with nothing shared yet, then from shared paragraphs laid out
    already (at other widths too), gives the same PDF, byte for byte."""
    monkeypatch.setattr(rl_config, "invariant", 1)  # no time stamp or random id in the PDF
    head = style.Letterhead("A School", dt.date(2026, 11, 23))
    texts = ["Name", "Zoë Nguyễn", "Not recorded", "Cognition and learning", "13/01/2027",
             "Year 4 4W", "Reads 40/40 words from the list correctly"]  # fmt: skip

    def pdf(options: DocumentOptions) -> bytes:
        s = style.styles(options)
        story = [*style.heading("About the pupil", s),
                 *style.facts([(t, t) for t in texts], s),
                 *style.table(["What", "Who"], [(t, t) for t in texts], s),
                 *[style.para(t, s.body) for t in texts]]  # fmt: skip
        return style.render(story, head, options, "A plan")

    style._shared.cache_clear()
    fresh = {o: pdf(o) for o in (DocumentOptions(), DocumentOptions(for_parents=True))}
    assert style._shared.cache_info().currsize > 0
    for options, data in fresh.items():
        assert pdf(options) == data
        assert pdf(options) == data
