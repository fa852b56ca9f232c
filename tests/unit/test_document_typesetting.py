"""Every document at every option, read back from the PDF: no word split, sizes, scripts, pages.

The words a document was built from are recorded as it is built (every text passes through
`style.clean`), then every word read back from the PDF with poppler's pdftotext must be one of
them, or the head or tail of one hyphenated at a British English hyphenation point.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.platypus import SimpleDocTemplate

from sendesk.cycle import (
    AssessData,
    EvidenceItem,
    OutcomePlan,
    OutcomeRating,
    PlanData,
    ProvisionPlan,
    ReviewData,
)
from sendesk.documents import fit, letter_of_concern, style
from sendesk.documents.style import DocumentOptions
from sendesk.services import cycles, measures, pupils
from sendesk.services import documents as docs
from sendesk.services.cycles import SessionEntry
from sendesk.services.pupils import PupilDetails
from sendesk.vault import Vault

TODAY = dt.date(2026, 11, 23)
DEC = dt.date(2025, 12, 22)
OPTIONS = [
    DocumentOptions(),
    DocumentOptions(large_print=True),
    DocumentOptions(dyslexia_friendly=True),
    DocumentOptions(large_print=True, dyslexia_friendly=True),
    DocumentOptions(for_parents=True),
]
IDS = ["standard", "large", "dyslexia", "large-dyslexia", "parents"]
ARABIC_NAME = ("خان", "عائشة")
URDU = "اسے کہانیاں سننا پسند ہے"
CHINESE = "她喜欢画画，也喜欢和朋友一起读书。"
WELSH = "Mae Llŷr yn hoffi darllen llyfrau Cymraeg gyda'i dad."
POLISH = "Łukasz lubi czytać książki i grać w piłkę nożną."
VIETNAMESE = "Em Nguyễn Thị Hồng thích vẽ tranh và đọc truyện."
ARABIC = "تحب عائشة الرسم والقراءة مع أصدقائها"
LONG = "Multidisciplinary counterproductive representative psychotherapeutic intervention"


def _pupil(vault: Vault) -> int:
    """A pupil with a reviewed cycle and a current one, written in five languages."""
    surname, forename = ARABIC_NAME
    pupil_id = pupils.create(
        vault.sessions,
        PupilDetails(
            surname, forename, upn="Z886241726001", year_group=4, class_name="4W",
            sen_status="K", primary_need="SLCN", secondary_need="SEMH",
            date_of_birth=dt.date(2017, 3, 9), strengths=f"{WELSH} {POLISH}",
            what_helps=f"{VIETNAMESE} {CHINESE}", what_does_not_help=f"{ARABIC} {URDU}",
            medical_notes="Asthma: blue inhaler in the classroom 🫁 drawer.",
            pupil_views="I like drawing 😀 and reading with Dad.",
        ),
        today=TODAY,
    ).pupil_id  # fmt: skip
    first = cycles.start(vault.sessions, pupil_id, dt.date(2026, 1, 12))
    cycles.save_assess(
        vault.sessions,
        first,
        AssessData(
            concern=f"Speech is hard to understand. {LONG}.",
            needs=["SLCN", "SEMH"],
            evidence=[
                EvidenceItem("outside_report", DEC, "Speech and language therapy", "Some progress",
                             LONG),
                EvidenceItem("standardised_test", DEC, "Class teacher", "Standardised score 84",
                             "Requested"),
            ],
            parent_views=POLISH, pupil_views=URDU, teacher_views=WELSH,
        ),
        complete=True,
    )  # fmt: skip
    cycles.save_plan(
        vault.sessions,
        first,
        PlanData(
            outcomes=[
                OutcomePlan(f"Aisha will use a visual timetable. {LONG}.", "Some progress"),
                OutcomePlan(CHINESE, VIETNAMESE),
            ],
            provisions=[ProvisionPlan("LIFT speech and language group", "Mrs Ćosić (TA)", 4, 2,
                                      20, 10, expected_impact="Joins in group talk",
                                      measure_id=_measure_id(vault, "Reading age"))],
            strategies=["Give instructions one at a time.", WELSH],
            review_date=dt.date(2026, 3, 20), parents_informed_on=dt.date(2026, 1, 20),
            parents_informed_how="Meeting at school",
        ),
        complete=True,
        today=dt.date(2026, 1, 20),
    )  # fmt: skip
    state = cycles.load(vault.sessions, first)
    provision_id = state.provisions[0].id
    for monday in (dt.date(2026, 2, 2), dt.date(2026, 2, 9)):
        held = [SessionEntry(provision_id, monday + dt.timedelta(days=d), True) for d in (0, 2)]
        cycles.record_week(vault.sessions, first, monday, held, "", monday.day == 9, TODAY)
    outcome_ids = [o.id for o in state.outcomes]
    second = cycles.apply_review(
        vault.sessions,
        first,
        ReviewData(
            held_on=dt.date(2026, 3, 20),
            ratings={i: OutcomeRating("some_progress", f"{POLISH} {LONG}") for i in outcome_ids},
            impacts={provision_id: f"{ARABIC}. {LONG}."},
            parent_views=VIETNAMESE, pupil_views=CHINESE, attendees="Mrs Ćosić, Dad, SENCo",
            next_step="continue",
        ),
        today=dt.date(2026, 3, 20),
    )  # fmt: skip
    assert second is not None
    return pupil_id


@pytest.fixture
def pupil_id(vault: Vault) -> int:
    return _pupil(vault)


def _measure_id(vault: Vault, name: str) -> int:
    return next(m.id for m in measures.list_measures(vault.sessions) if m.details.name == name)


BUILDERS: dict[str, Callable[[Vault, int, DocumentOptions], bytes]] = {
    "plan": lambda v, p, o: docs.support_plan_pdf(v.sessions, p, o, today=TODAY).data,
    "review": lambda v, p, o: docs.review_record_pdf(v.sessions, p, o, today=TODAY).data,
    "evidence": lambda v, p, o: docs.evidence_pack_pdf(v.sessions, p, o, today=TODAY).data,
    "passport": lambda v, p, o: docs.passport_pdf(v.sessions, p, o, today=TODAY).data,
    "letter": lambda v, p, o: docs.letter_of_concern_pdf(v.sessions, p, o, today=TODAY).data,
    "register": lambda v, p, o: docs.register_pdf(v.sessions, o, today=TODAY).data,
    "census": lambda v, p, o: docs.census_pdf(v.sessions, o, today=TODAY).data,
}


def built(monkeypatch: pytest.MonkeyPatch, build: Callable[[], bytes]) -> tuple[bytes, set[str]]:
    """The PDF and every word of text it was built from."""
    seen: list[str] = []
    original = style.clean

    def recording(text: object) -> str:
        value = original(text)
        seen.append(value)
        return value

    monkeypatch.setattr(style, "clean", recording)
    pdf = build()
    monkeypatch.setattr(style, "clean", original)
    words = {_core(w) for text in seen for w in _norm(style.scripts.printable(text)).split()}
    return pdf, words | FOOTER


QUESTIONS = {*letter_of_concern.PROMPTS, "Parents' or carers' comments", "The pupil's comments",
             "The parents' or carers' views", "The pupil's views", "Who took part"}  # fmt: skip
FOOTER = {"Confidential", "Printed", f"{TODAY:%d/%m/%Y}", "Page", "of", "DRAFT"}
_BIDI = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
_PUNCT = "()[]{}.,;:!?'\"“”‘’«»…·•☐—–。，、"


def _norm(text: str) -> str:
    # Presentation forms (shaped Arabic) read back as their letters.
    return unicodedata.normalize("NFKC", text).translate(_BIDI)


def _core(word: str) -> str:
    return word.strip(_PUNCT)


def text_lines(pdf: bytes, tmp: Path) -> list[str]:
    path = tmp / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    # A reader joins a right-to-left word to the left-to-right word it is drawn beside; they are
    # two words all the same.
    lines = out.stdout.decode("utf-8").splitlines()
    return [_SCRIPT_EDGE.sub(" ", _norm(line)) for line in lines]


_OTHER = "\u0600-\u06ff\u3000-\u9fff"
_SCRIPT_EDGE = re.compile(f"(?<=[{_OTHER}])(?=[A-Za-z])|(?<=[A-Za-z])(?=[{_OTHER}])")


def _cjk(word: str) -> bool:
    return bool(word) and all("\u3000" <= c <= "\u9fff" or c in _PUNCT for c in word)


def broken_words(lines: list[str], vocabulary: set[str]) -> list[str]:
    """Every word read back that is not a whole word of the source, nor a proper hyphenation."""
    heads = {h for w in vocabulary for h, _ in fit.split_points(w)}
    tails = {t for w in vocabulary for _, t in fit.split_points(w)}
    joined = "".join(vocabulary)
    bad = []
    for line in lines:
        for raw in line.split():
            word = _core(raw)
            if not word or word in vocabulary or word.isdigit():
                continue
            if raw.endswith("-") and _core(raw[:-1]) in heads | vocabulary:
                continue
            if word in tails or (_cjk(word) and word in joined):
                continue
            bad.append(raw)
    return bad


def _font_sizes(pdf: bytes) -> set[float]:
    sizes = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        data = page.get_contents().get_data()  # type: ignore[union-attr]
        sizes |= {float(s) for s in re.findall(rb" ([\d.]+) Tf", data)}
    return sizes


def _lowest_lines(pdf: bytes) -> Iterator[tuple[int, list[tuple[str, bool]]]]:
    """For every page but the last: the lowest line of text above the footer, as (text, bold).

    The second line of a bold label in a table's first column (the rest of its row is higher
    up) is left out: it is no heading.
    """
    reader = PdfReader(io.BytesIO(pdf))
    for number, page in enumerate(reader.pages[:-1], start=1):
        found: list[tuple[float, float, str, bool]] = []

        def visit(
            text: str, cm: list[float], tm: list[float], font: object, size: float,
            found: list[tuple[float, float, str, bool]] = found,
        ) -> None:  # fmt: skip
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            name = str(font.get("/BaseFont", "")) if isinstance(font, dict) else ""
            if text.strip() and y > style.FOOTER_SPACE:
                found.append((y, x, text, "Bold" in name))

        page.extract_text(visitor_text=visit)
        if found:
            low = min(y for y, _, _, _ in found)
            line = [(x, t, b) for y, x, t, b in found if y - low < 1]
            in_cell = len(line) == 1 and line[0][0] > style.MARGIN + 1
            if not in_cell:
                yield number, [(t, b) for _, t, b in line]


@pytest.mark.slow
@pytest.mark.parametrize("options", OPTIONS, ids=IDS)
def test_every_word_of_every_document_reads_back_whole(
    vault: Vault,
    pupil_id: int,
    options: DocumentOptions,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    everything = ""
    for name, build in BUILDERS.items():
        pdf, vocabulary = built(monkeypatch, lambda b=build: b(vault, pupil_id, options))  # type: ignore[misc]
        lines = text_lines(pdf, tmp_path)
        assert broken_words(lines, vocabulary) == [], (name, options)
        text = " ".join(lines)
        everything += text
        if name not in ("census",):
            assert "عائشة" in text and "خان" in text, name
        # Dates and UPNs whole.
        if name in ("plan", "evidence", "register"):
            assert "Z886241726001" in text, name
        if name == "evidence":
            assert "22/12/2025" in text
        if name == "plan":  # the provision's measure, whole, in its cell
            assert "Measured by: Reading age" in text, text
        sizes = _font_sizes(pdf)
        if options.large_print:
            assert min(sizes) >= 16, (name, sorted(sizes))
        elif options.dyslexia_friendly:
            assert min(sizes) >= 12, (name, sorted(sizes))
        if options.dyslexia_friendly and not options.large_print:
            longest = max(lines, key=len)
            assert len(longest) <= 72, (name, longest)
        for page, lowest in _lowest_lines(pdf):
            # A heading, a label, a question or a table's header row is never last on a page.
            # (A question's writing lines are drawn below it: `test_a_question_keeps_its_lines`.)
            question = any(q.endswith(lowest[-1][0].strip()) for q in QUESTIONS)
            assert question or not all(bold for _, bold in lowest), (name, page, lowest)
    for word in ("Llŷr", "książki", "Nguyễn", "أصدقائها", "کہانیاں"):
        assert word in everything, word
    assert "喜欢" in everything.replace(" ", "")


def test_a_word_wider_than_its_column_is_hyphenated_at_a_proper_point() -> None:
    s = style.styles(DocumentOptions(large_print=True))
    flow = style.table(["Date", "Pupil", "Note"], [("22/12/2026", "Z886241726001", LONG)], s)
    widths = flow[0]._colWidths  # type: ignore[attr-defined]
    for word, width in (("22/12/2026", widths[0]), ("Z886241726001", widths[1])):
        assert fit._width(word, style.FONT, s.cell.fontSize) <= width - 2 * fit.PADDING
    assert ("multi", "disciplinary") in [
        (h.lower(), t) for h, t in fit.split_points("Multidisciplinary")
    ] or fit.split_points("Multidisciplinary")


def test_arabic_is_joined_and_right_to_left_and_cjk_and_emoji_print(
    vault: Vault, pupil_id: int, tmp_path: Path
) -> None:
    pdf = docs.passport_pdf(vault.sessions, pupil_id, today=TODAY).data
    text = " ".join(text_lines(pdf, tmp_path))
    raw = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    # Joined letters: shaped Arabic reads back as presentation forms (initial, medial, final).
    assert any("\ufe70" <= c <= "\ufeff" or "\ufb50" <= c <= "\ufdff" for c in raw)
    assert "عائشة" in text and "خان" in text
    assert "[grinning face]" in text  # an emoji no font has: a visible marker, not a box
    fonts = {name for name, _ in _fonts(pdf)}
    assert any("NotoSansArabic" in f for f in fonts) and any("DroidSans" in f for f in fonts)
    assert "喜欢" in text.replace(" ", "")


def _fonts(pdf: bytes) -> list[tuple[str, bool]]:
    found = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            found[str(font["/BaseFont"])] = embedded
    return sorted(found.items())


def test_every_font_is_embedded(vault: Vault, pupil_id: int) -> None:
    for build in BUILDERS.values():
        fonts = _fonts(build(vault, pupil_id, DocumentOptions()))
        assert fonts and all(embedded for _, embedded in fonts), fonts


def _y_of(page: object, wanted: str) -> float | None:
    found: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if wanted in text:
            found.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return found[0] if found else None


def test_a_question_keeps_its_lines_and_a_heading_its_text() -> None:
    options = DocumentOptions()
    s = style.styles(options)
    head = style.Letterhead("School", TODAY)
    lines_height = 4 * s.body_size * 2.2
    for filler_lines in range(40, 62, 3):
        story = [style.para("Filler line.", s.body) for _ in range(filler_lines)]
        story += style.question("Where does this question print?", s, 4)
        story += [style.para("Filler line.", s.body) for _ in range(filler_lines // 3)]
        story += [*style.heading("A heading", s), style.para("Its first line.", s.body)]
        pdf = style.render(story, head, options, "Test")
        for page in PdfReader(io.BytesIO(pdf)).pages:
            text = page.extract_text()
            if "Where does this question print?" in text:
                y = _y_of(page, "Where does this question print?")
                assert y is not None and y - style.FOOTER_SPACE >= lines_height, filler_lines
            if "A heading" in text:
                assert "Its first line." in text, filler_lines


@pytest.mark.parametrize("word", ["कमलाab", "محمدx", "ab(محمد)", "নামab"])
def test_a_word_that_changes_script_prints_every_letter(word: str, tmp_path: Path) -> None:
    # ReportLab shapes a word with its first font alone: the rest printed as other letters, or the
    # build failed ('hbAddPrivate'), when the word went on in another font.
    s = style.styles(DocumentOptions())
    buf = io.BytesIO()
    SimpleDocTemplate(buf).build([style.para(word, s.body)])
    printed = "".join(text_lines(buf.getvalue(), tmp_path)).replace(" ", "")
    for letters in re.findall(r"[a-z]+|[^a-z()]+", word):
        assert _norm(letters) in printed or letters[::-1] in printed, (letters, printed)


def test_right_to_left_text_longer_than_a_page_goes_on_over_the_page(tmp_path: Path) -> None:
    # ReportLab splits a paragraph at a page's foot by making a new one from its laid-out
    # lines: the right-to-left paragraph failed there ("'NoneType' object has no attribute").
    s = style.styles(DocumentOptions())
    buf = io.BytesIO()
    SimpleDocTemplate(buf).build([style.para("محمد يحب القراءة " * 400, s.body)])
    pages = PdfReader(io.BytesIO(buf.getvalue())).pages
    assert len(pages) >= 2
    lines = text_lines(buf.getvalue(), tmp_path)
    assert sum(line.count("القراءة") for line in lines) == 400  # every word, once, in order


@pytest.mark.parametrize("text", ["שלום עליכם", "Surname: כהן (Cohen), year 4"])
def test_hebrew_prints_each_word_as_it_reads(text: str, tmp_path: Path) -> None:
    # Hebrew is drawn by the main font, unshaped: its letters printed in typed order came out
    # backwards ("םולש"), word by word, on every document.
    s = style.styles(DocumentOptions())
    buf = io.BytesIO()
    SimpleDocTemplate(buf).build([style.para(text, s.body)])
    printed = " ".join(text_lines(buf.getvalue(), tmp_path))
    for word in re.findall(r"[\u0590-\u05ff]+", text):
        assert _norm(word) in _norm(printed), (word, printed)
        assert _norm(word[::-1]) not in _norm(printed) or word == word[::-1]


def test_an_optional_column_blank_in_every_row_is_left_out_and_the_roomy_ones_follow() -> None:
    from reportlab.platypus import Table

    s = style.styles(DocumentOptions())
    header = ["What", "Where", "Notes", "Who"]

    def grid(head: list[str], rows: list[list[str]], **kw: object) -> Table:
        [found] = [f for f in style.table(head, rows, s, **kw) if isinstance(f, Table)]
        return found

    def columns(head: list[str], rows: list[list[str]], **kw: object) -> list[str]:
        return [cell.text for cell in grid(head, rows, **kw)._cellvalues[0]]

    blank = [["Reading", "", " ", "TA"], ["Spelling", "", "", "SENCo"]]
    assert columns(header, blank, optional=(1, 2)) == ["What", "Who"]
    # Kept where any row has something in it; a column not named optional is always kept.
    some = [blank[0], ["Spelling", "Library", "", ""]]
    assert columns(header, some, optional=(1, 2, 3)) == ["What", "Where", "Who"]
    assert columns(header, blank) == header
    # A column named beyond the header (a parents' copy leaves its notes out) is no error.
    assert columns(header[:3], [r[:3] for r in blank], optional=(2, 3)) == ["What", "Where"]
    # A roomy column (room to write in) keeps its room after an empty one before it goes.
    widths = grid(header, blank, optional=(1,), roomy=(2,))._colWidths
    assert widths[1] >= s.frame[0] / 4 - 1, widths
