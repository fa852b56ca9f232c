"""Floor for printing many support plans: N bare ReportLab builds in one process.

    bare_plans.py N OUT_FOLDER

Each build is a three-page plan written by hand with ReportLab's platypus: the pupil's details
in a table, the views and concern as paragraphs, five outcomes and three provisions as tables,
five strategies, in DejaVu Sans embedded (the fonts SENDesk ships), one PDF file per plan. No
database and no SENDesk code: the least any PDF library needs to do for the same pages.
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONTS = Path(__file__).resolve().parents[2] / "resources" / "fonts"
SENTENCE = (
    "Zoë finds it hard to follow instructions with more than one step and needs them broken "
    "down, with a visual prompt and time to process what was said before she starts. "
)


def build(number: int, out: Path) -> None:
    body = ParagraphStyle("body", fontName="Sans", fontSize=11, leading=15)
    head = ParagraphStyle("head", fontName="Sans-Bold", fontSize=14, leading=18, spaceBefore=8)
    cell = ParagraphStyle("cell", fontName="Sans", fontSize=10, leading=13)
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("FONTNAME", (0, 0), (-1, 0), "Sans-Bold"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    story = [Paragraph(f"SEN support plan — pupil {number}", head)]
    details = [
        ["Name", f"Zoë Nguyễn {number}"],
        ["UPN", "Z886241726001"],
        ["Year", "Year 4"],
        ["Class", "4W"],
        ["SEN status", "SEN support"],
        ["Needs", "SPLD, SLCN"],
        ["Review date", "11/12/2026"],
        ["Parents informed", "14/09/2026, meeting at school"],
    ]
    story.append(Table(details, colWidths=[45 * mm, 120 * mm], style=grid))
    for title in ("Concern", "What the parents say", "What the pupil says", "Strengths"):
        story += [Paragraph(title, head), Paragraph(SENTENCE * 2, body)]
    outcomes = [["Outcome", "Success criteria", "By", "Area"]] + [
        [
            Paragraph(f"Outcome {n}: {SENTENCE}", cell),
            Paragraph(SENTENCE[:90], cell),
            "11/12/2026",
            "C&L",
        ]
        for n in range(1, 6)
    ]
    story += [
        Paragraph("Outcomes", head),
        Table(outcomes, colWidths=[70 * mm, 55 * mm, 22 * mm, 18 * mm], style=grid, repeatRows=1),
    ]
    provisions = [["Provision", "Who", "Group", "Sessions", "Weeks", "Cost"]] + [
        [
            Paragraph(f"Intervention {n}: {SENTENCE[:120]}", cell),
            "Mrs Ćosić",
            str(n),
            "3 × 20 min",
            "10",
            "£180.00",
        ]
        for n in range(1, 4)
    ]
    story += [
        Paragraph("Provision", head),
        Table(
            provisions,
            colWidths=[70 * mm, 25 * mm, 15 * mm, 22 * mm, 13 * mm, 20 * mm],
            style=grid,
            repeatRows=1,
        ),
    ]
    story.append(Paragraph("Strategies", head))
    story += [Paragraph(f"• {SENTENCE[:100]}", body) for _ in range(5)]
    story += [Spacer(1, 10 * mm), Paragraph("Signed (SENCo) ____________________", body)]
    SimpleDocTemplate(str(out), pagesize=A4, title=f"Plan {number}").build(story)


def main() -> int:
    count, folder = int(sys.argv[1]), Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    pdfmetrics.registerFont(TTFont("Sans", str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("Sans-Bold", str(FONTS / "DejaVuSans-Bold.ttf")))
    for number in range(1, count + 1):
        build(number, folder / f"plan-{number:03d}.pdf")
    return 0


if __name__ == "__main__":
    sys.exit(main())
