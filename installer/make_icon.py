"""Draws SENDesk's icon (a rounded shield with a stylised open book) as PNG and ICO.

Run when the design changes: `QT_QPA_PLATFORM=offscreen .venv/bin/python installer/make_icon.py`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

OUT = Path(__file__).resolve().parents[1] / "resources" / "icons"


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 256
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#1f5f8b"))
    p.drawRoundedRect(QRectF(16 * s, 16 * s, 224 * s, 224 * s), 48 * s, 48 * s)
    book = QPainterPath()
    book.moveTo(QPointF(128 * s, 84 * s))
    book.cubicTo(QPointF(100 * s, 68 * s), QPointF(72 * s, 68 * s), QPointF(52 * s, 76 * s))
    book.lineTo(QPointF(52 * s, 184 * s))
    book.cubicTo(QPointF(72 * s, 176 * s), QPointF(100 * s, 176 * s), QPointF(128 * s, 192 * s))
    book.cubicTo(QPointF(156 * s, 176 * s), QPointF(184 * s, 176 * s), QPointF(204 * s, 184 * s))
    book.lineTo(QPointF(204 * s, 76 * s))
    book.cubicTo(QPointF(184 * s, 68 * s), QPointF(156 * s, 68 * s), QPointF(128 * s, 84 * s))
    p.setBrush(QColor("#f6f1e3"))
    p.drawPath(book)
    p.setPen(QPen(QColor("#1f5f8b"), 8 * s))
    p.drawLine(QPointF(128 * s, 88 * s), QPointF(128 * s, 186 * s))
    p.end()
    return image


def main() -> None:
    app = QGuiApplication([])
    OUT.mkdir(parents=True, exist_ok=True)
    draw(256).save(str(OUT / "sendesk.png"))
    draw(48).save(str(OUT / "sendesk-48.png"))
    if not draw(256).save(str(OUT / "sendesk.ico"), "ICO"):
        raise SystemExit("this Qt cannot write .ico files")
    del app


if __name__ == "__main__":
    main()
