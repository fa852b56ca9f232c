"""Smoke test of the built one-folder bundle (installer/build_linux.sh makes dist/SENDesk).

Not part of the default run (it needs a build of a few minutes): `.ci/run` builds the bundle and
runs `pytest -m bundle`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.bundle,
    pytest.mark.skipif(sys.platform == "win32", reason="the Windows build is made on Windows"),
]

BUNDLE = Path(__file__).resolve().parents[2] / "dist" / "SENDesk"
PASSPHRASE = "correct horse battery staple"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SENDESK_PASSPHRASE=PASSPHRASE, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [str(BUNDLE / "SENDesk"), *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def bundle() -> Path:
    if not (BUNDLE / "SENDesk").exists():
        pytest.fail("no bundle: run installer/build_linux.sh first")
    return BUNDLE


def test_version(bundle: Path, tmp_path: Path) -> None:
    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("SENDesk ")


def test_init_verify_demo_and_plan(bundle: Path, tmp_path: Path) -> None:
    made = run("init", "school.sendesk", "--school", "Smoke Test Primary", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    checked = run("verify", "school.sendesk", cwd=tmp_path)
    assert checked.returncode == 0 and checked.stdout.startswith("OK"), checked.stderr
    demo = run("demo", "demo.sendesk", "--pupils", "50", cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    listed = run("pupils", "demo.sendesk", "--json", cwd=tmp_path)
    assert listed.returncode == 0 and listed.stdout.count('"upn"') == 50
    wrong = subprocess.run(
        [str(BUNDLE / "SENDesk"), "info", "demo.sendesk"],
        cwd=tmp_path, env=dict(os.environ, SENDESK_PASSPHRASE="not it at all, no"),
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert wrong.returncode == 3
    on_support = [
        p["upn"] for p in json.loads(listed.stdout) if p["sen_status"] != "N" and p["upn"]
    ]
    printed = [
        run("plan", "demo.sendesk", "--pupil", upn, "--out", f"plan-{upn}.pdf", cwd=tmp_path)
        for upn in on_support[:6]
    ]
    assert any(p.returncode == 0 for p in printed), [p.stderr for p in printed]
    pdfs = list(tmp_path.glob("plan-*.pdf"))
    assert pdfs and all(pdf.read_bytes().startswith(b"%PDF") for pdf in pdfs)


def test_the_app_starts_and_stays_up(bundle: Path, tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    app = subprocess.Popen(
        [str(BUNDLE / "SENDesk")], cwd=tmp_path, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        time.sleep(6)
        assert app.poll() is None, f"the app exited with {app.returncode}"
    finally:
        app.terminate()
        app.wait(timeout=30)
