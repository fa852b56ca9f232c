"""The domain never depends on the GUI: no module under sendesk/ imports Qt or ui/."""

from __future__ import annotations

import ast
from pathlib import Path

import sendesk

FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "ui")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def offenders(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        for name in imported_modules(path):
            if name.split(".")[0] in FORBIDDEN:
                found.append(f"{path.relative_to(root.parent)} imports {name}")
    return found


def test_sendesk_never_imports_qt() -> None:
    assert offenders(Path(sendesk.__file__).parent) == []


def test_the_scan_finds_a_qt_import(tmp_path: Path) -> None:
    package = tmp_path / "sendesk"
    package.mkdir()
    (package / "bad.py").write_text("def f():\n    from PySide6 import QtCore\n")
    assert offenders(package) == ["sendesk/bad.py imports PySide6"]
