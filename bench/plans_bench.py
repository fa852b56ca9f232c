"""Printing many support plans, process against process.

    .venv/bin/python bench/plans_bench.py [--plans 200] [--pupils 2000] [--rounds 3]

Ours: `sendesk plans FILE --pupils UPN... --out FOLDER`, one process for every plan, when this
SENDesk has that command. Without it, the only way is one `sendesk plan` process per plan: that
is timed for --sample pupils and the figure for --plans is that time scaled up (said so beside
it). The floor: bench/floors/bare_plans.py, the same number of three-page plans built by hand
with bare ReportLab in one process. Target: 1.3x (and under 8 s for 200 plans on 2 cores).
Then, if LibreOffice is installed, one plan's text as a .docx converted to PDF by it.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    BENCH,
    CACHE,
    PASSPHRASE,
    PYTHON,
    SENDESK,
    Figure,
    Sample,
    compare,
    demo_file,
    fresh_copy,
    save,
    spawn,
)

_serial = itertools.count()


def upns_with_plans(path: Path, count: int) -> list[str]:
    """UPNs of pupils on SEN support or with an EHC plan who have a cycle (a plan to print)."""
    import sqlcipher3

    conn = sqlcipher3.connect(str(path))
    literal = PASSPHRASE.replace("'", "''")
    conn.execute(f"PRAGMA key = '{literal}'")
    found = [
        upn
        for (upn,) in conn.execute(
            "SELECT p.upn FROM pupil p WHERE p.upn IS NOT NULL AND p.sen_status IN ('K', 'E')"
            " AND EXISTS (SELECT 1 FROM cycle c WHERE c.pupil_id = p.id AND c.stage != 'assess')"
            " ORDER BY p.id LIMIT ?",
            (count,),
        )
    ]
    conn.close()
    return found


def has_plans_command() -> bool:
    done = subprocess.run([SENDESK, "plans", "--help"], capture_output=True, check=False)
    return done.returncode == 0


def batch(plans: int, pupils: int, rounds: int, sample: int) -> Figure:
    source = demo_file(pupils)
    upns = upns_with_plans(source, plans)
    out = CACHE / "runs" / "plans"
    one_process = has_plans_command()
    scale = 1.0 if one_process else len(upns) / min(sample, len(upns))

    def ours() -> Sample:
        work = fresh_copy(source, "plans")
        folder = out / f"ours-{next(_serial)}"
        folder.mkdir(parents=True)
        if one_process:
            sample_run = spawn(
                [SENDESK, "plans", str(work), "--pupils", *upns, "--out", str(folder)]
            )
        else:  # one process per plan, as the command line allows today
            runs = [
                spawn([SENDESK, "plan", str(work), "--pupil", u, "--out", str(folder / f"{u}.pdf")])
                for u in upns[:sample]
            ]
            sample_run = Sample(sum(r.wall_ms for r in runs) * scale, max(r.peak_mb for r in runs))
        shutil.rmtree(folder)
        return sample_run

    def floor() -> Sample:
        folder = out / f"bare-{next(_serial)}"
        sample_run = spawn(
            [PYTHON, str(BENCH / "floors" / "bare_plans.py"), str(len(upns)), str(folder)]
        )
        shutil.rmtree(folder)
        return sample_run

    how = (
        "one process"
        if one_process
        else f"{sample} `sendesk plan` processes, scaled to {len(upns)}"
    )
    return compare(
        f"{len(upns)} support plans ({how})",
        ours,
        floor,
        lambda s: s.wall_ms,
        rounds=rounds,
        target=1.3,
        floor_name=f"{len(upns)} bare ReportLab builds, one process",
        pupils=pupils,
        note="" if one_process else "no `sendesk plans` command on this branch yet",
    )


def write_docx(path: Path) -> None:
    """A minimal Word document: a plan's headings, paragraphs and a five-row table."""
    import zipfile

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    para = "<w:p><w:r><w:t>{}</w:t></w:r></w:p>"
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    rows = "".join(
        "<w:tr>" + "".join(cell.format(f"Outcome {n} cell {c}") for c in range(4)) + "</w:tr>"
        for n in range(1, 6)
    )
    body = "".join(para.format(f"Section {n}: the pupil's views and the plan.") for n in range(12))
    document = (
        f"<?xml version='1.0' encoding='UTF-8'?><w:document xmlns:w='{w}'><w:body>{body}"
        f"<w:tbl>{rows}</w:tbl></w:body></w:document>"
    )
    types = (
        "<?xml version='1.0' encoding='UTF-8'?><Types xmlns='http://schemas.openxmlformats.org/"
        "package/2006/content-types'><Default Extension='rels' ContentType='application/"
        "vnd.openxmlformats-package.relationships+xml'/><Default Extension='xml' "
        "ContentType='application/xml'/><Override PartName='/word/document.xml' ContentType="
        "'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'/>"
        "</Types>"
    )
    rels = (
        "<?xml version='1.0' encoding='UTF-8'?><Relationships xmlns='http://schemas."
        "openxmlformats.org/package/2006/relationships'><Relationship Id='rId1' Type='http://"
        "schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument' "
        "Target='word/document.xml'/></Relationships>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", document)


def libreoffice(rounds: int) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        print("  LibreOffice is not installed: no Word-template comparison in this run.")
        return
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "plan.docx"
        write_docx(source)
        times = []
        for _ in range(rounds):
            start = time.monotonic()
            subprocess.run(
                [office, "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],
                check=True,
                capture_output=True,
                timeout=300,
            )
            times.append((time.monotonic() - start) * 1000)
    print(f"  LibreOffice .docx -> PDF, one plan: median {sorted(times)[len(times) // 2]:.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--pupils", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sample", type=int, default=5, help="plans timed without `plans`")
    args = parser.parse_args()
    figures = [batch(args.plans, args.pupils, args.rounds, args.sample)]
    libreoffice(args.rounds)
    print(f"results in {save(figures, 'plans')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
