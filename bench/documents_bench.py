"""Benchmarks of printed documents: prints measured numbers against the targets of issue 6.

    .venv/bin/python bench/documents_bench.py [--pupils 1500] [--batch 200] [--repeat 30]

Targets: a 3-page SEN support plan built in under 40 ms; 200 plans in one batch under 8 s.
Beside them, when LibreOffice is installed, the time it takes to convert an equivalent Word
document to PDF (what a SENCo does today with a Word template), as the ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from sendesk import demo  # noqa: E402
from sendesk.documents import plan_template, support_plan  # noqa: E402
from sendesk.documents.protect import encrypt  # noqa: E402
from sendesk.documents.style import DocumentOptions, Letterhead  # noqa: E402
from sendesk.errors import NotFound  # noqa: E402
from sendesk.models import (  # noqa: E402
    Cycle,
    CycleNeed,
    Outcome,
    Provision,
    Pupil,
    Strategy,
)
from sendesk.services import documents, pupils  # noqa: E402

PASSPHRASE = "benchmark passphrase for a made up school"
TODAY = dt.date(2026, 11, 23)
SENTENCE = (
    "Zoë finds it hard to follow instructions with more than one step and needs them broken "
    "down, with a visual prompt and time to process what was said before she starts. "
)


def three_page_plan() -> tuple[Pupil, Cycle]:
    """A typical full plan: five outcomes, three provisions, five strategies, views written."""
    pupil = Pupil(
        id=1, uuid="bench", upn="Z886241726001", legal_surname="Nguyễn", legal_forename="Zoë",
        year_group=4, class_name="4W", sen_status="K", primary_need="SPLD",
        secondary_need="SLCN", date_of_birth=dt.date(2017, 3, 4), strengths=SENTENCE,
        what_helps=SENTENCE, what_does_not_help=SENTENCE, pupil_views=SENTENCE,
    )  # fmt: skip
    cycle = Cycle(
        id=1, number=3, stage="do", opened_on=dt.date(2026, 9, 7), concern=SENTENCE * 2,
        parent_views=SENTENCE * 2, pupil_views=SENTENCE, review_date=dt.date(2026, 12, 11),
        parents_informed_on=dt.date(2026, 9, 14), parents_informed_how="Meeting at school",
    )  # fmt: skip
    cycle.needs = [CycleNeed(need_code="SPLD"), CycleNeed(need_code="SLCN")]
    cycle.outcomes = [
        Outcome(description=f"Outcome {n}: " + SENTENCE, success_criteria=SENTENCE[:90],
                target_date=dt.date(2026, 12, 11))
        for n in range(1, 6)
    ]  # fmt: skip
    cycle.provisions = [
        Provision(description=f"Intervention {n}: " + SENTENCE[:120], delivered_by="Mrs Ćosić",
                  group_size=n, sessions_per_week=3, minutes_per_session=20, weeks=10,
                  hourly_rate_pence=1800, starts_on=dt.date(2026, 9, 14))
        for n in range(1, 4)
    ]  # fmt: skip
    cycle.strategies = [Strategy(text=SENTENCE[:100]) for _ in range(5)]
    return pupil, cycle


def timed(action: object, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return times


def minimal_docx(paragraphs: list[str]) -> bytes:
    body = "".join(
        f"<w:p><w:r><w:t xml:space='preserve'>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs
    )
    parts = {
        "[Content_Types].xml": (
            "<?xml version='1.0' encoding='UTF-8'?><Types xmlns='http://schemas.openxmlformats.org/"
            "package/2006/content-types'><Default Extension='rels' ContentType='application/"
            "vnd.openxmlformats-package.relationships+xml'/><Default Extension='xml' "
            "ContentType='application/xml'/><Override PartName='/word/document.xml' ContentType="
            "'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'/>"
            "</Types>"
        ),
        "_rels/.rels": (
            "<?xml version='1.0' encoding='UTF-8'?><Relationships xmlns='http://schemas."
            "openxmlformats.org/package/2006/relationships'><Relationship Id='rId1' Type='http://"
            "schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument' "
            "Target='word/document.xml'/></Relationships>"
        ),
        "word/document.xml": (
            "<?xml version='1.0' encoding='UTF-8'?><w:document xmlns:w='http://schemas."
            f"openxmlformats.org/wordprocessingml/2006/main'><w:body>{body}</w:body></w:document>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


def libreoffice_ms(pdf: bytes) -> float | None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        return None
    lines = [line for page in PdfReader(io.BytesIO(pdf)).pages
             for line in (page.extract_text() or "").splitlines()]  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "plan.docx"
        source.write_bytes(minimal_docx(lines))
        start = time.perf_counter()
        subprocess.run(
            [office, "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=1500, help="pupils in the demo school")
    parser.add_argument("--batch", type=int, default=200, help="plans in the batch")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    head = Letterhead("Millbrook Community Primary School", TODAY)
    template = plan_template.shipped()
    pupil, cycle = three_page_plan()
    support_plan.build(pupil, cycle, head, template)  # fonts registered, caches warm
    pdf = support_plan.build(pupil, cycle, head, template)
    page_count = len(PdfReader(io.BytesIO(pdf)).pages)
    times = timed(lambda: support_plan.build(pupil, cycle, head, template), args.repeat)
    median = statistics.median(times)
    print(f"{'document':44} {'median ms':>10} {'target':>12}")
    ok = "ok" if median < 40 else "MISSED"
    print(f"{f'support plan, {page_count} pages':44} {median:10.1f} {'< 40 ms':>12}  {ok}")
    large = statistics.median(timed(
        lambda: support_plan.build(pupil, cycle, head, template, DocumentOptions(True, True)),
        args.repeat,
    ))  # fmt: skip
    print(f"{'  large print + dyslexia-friendly':44} {large:10.1f}")
    locked = statistics.median(timed(lambda: encrypt(pdf, "a password"), args.repeat))
    print(f"{'  AES-256 password added (pypdf)':44} {locked:10.1f}")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sendesk"
        start = time.perf_counter()
        vault = demo.build(path, PASSPHRASE, args.pupils, seed=3, today=TODAY)
        print(f"(demo school of {args.pupils} pupils built in {time.perf_counter() - start:.1f} s)")
        with vault:
            rows = pupils.list_register(vault.sessions, today=TODAY)
            candidates = [r.id for r in rows if r.sen_status in ("K", "E")]
            start = time.perf_counter()
            built = pages = 0
            for pupil_id in candidates:
                if built == args.batch:
                    break
                try:
                    plan = documents.support_plan_pdf(vault.sessions, pupil_id, today=TODAY)
                except NotFound:
                    continue
                built += 1
                pages += len(PdfReader(io.BytesIO(plan.data)).pages)
            batch_s = time.perf_counter() - start
    ok = "ok" if batch_s < 8 and built == args.batch else "MISSED"
    label = f"{built} plans from the record file ({pages} pages)"
    print(f"{label:44} {batch_s * 1000:10.0f} {'< 8000 ms':>12}  {ok}")

    office = libreoffice_ms(pdf)
    if office is None:
        print("LibreOffice is not installed: no Word-template comparison in this run.")
    else:
        print(f"{'LibreOffice .docx -> PDF (same plan)':44} {office:10.0f}   "
              f"ratio {office / median:.0f}x slower")  # fmt: skip


if __name__ == "__main__":
    main()
