"""The benchmarks' probe: marks when a process painted what the user waits for.

The benchmarks put this folder on PYTHONPATH and set SENDESK_PROBE, so Python imports it at
start-up in the app (`python main.py gui`) and in the hand-written floors alike; without
SENDESK_PROBE it does nothing. It changes nothing the app does: it wraps QApplication to watch
paint events and, in the app, wraps SENDesk's key derivation to note when it returned. All times
are `time.monotonic()`, the clock the benchmark read just before it started the process.

SENDESK_PROBE=start     the first window painted, then exit
SENDESK_PROBE=register  type SENDESK_PROBE_PASSPHRASE into the password box when one appears;
                        mark "key" when the key is derived and "register" when a table with
                        rows is painted after it; then SENDESK_PROBE_KEYS keystrokes in the box
                        named "Search pupils", each timed to the table's next repaint; then exit
SENDESK_PROBE_OUT       where the marks are written, as JSON
SENDESK_PROBE_UNLOCK_AFTER_MS  wait this long after the password box appears before typing into
                        it (default 0: at once), as a person takes a moment to type
"""

from __future__ import annotations

import os

MODE = os.environ.get("SENDESK_PROBE", "")
if MODE:
    import importlib.abc
    import importlib.util
    import json
    import sys
    import threading
    import time
    from typing import Any

    MARKS: dict[str, Any] = {"keys": []}
    UNLOCK_AFTER_MS = int(os.environ.get("SENDESK_PROBE_UNLOCK_AFTER_MS", "0"))
    _lock = threading.Lock()

    def mark(name: str) -> None:
        """Note the time of `name` (a later call replaces an earlier one)."""
        with _lock:
            MARKS[name] = time.monotonic()

    def finish() -> None:
        MARKS["peak_rss_kb"] = _peak_kb()
        with open(os.environ["SENDESK_PROBE_OUT"], "w", encoding="utf-8") as out:  # noqa: PTH123
            json.dump(MARKS, out)
        sys.stdout.flush()
        os._exit(0)  # the figure is taken; the user would go on working, not wait for exit

    def _peak_kb() -> int:
        try:
            import resource

            return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        except ImportError:  # Windows: the harness reads the peak from outside instead
            return 0

    def _patch_cipher(module: Any) -> None:
        derive = module.RawKey.derive.__func__

        def derived(cls: Any, *args: Any, **kwargs: Any) -> Any:
            key = derive(cls, *args, **kwargs)
            mark("key")
            return key

        module.RawKey.derive = classmethod(derived)

    def _patch_widgets(qt: Any) -> None:
        from PySide6.QtCore import QEvent, QObject, Qt, QTimer
        from PySide6.QtGui import QKeyEvent

        paint = QEvent.Type.Paint
        show = QEvent.Type.Show
        typing = os.environ.get("SENDESK_PROBE_TYPE", "ma")
        keys = int(os.environ.get("SENDESK_PROBE_KEYS", "0"))
        script = [(ch, Qt.Key(ord(ch.upper()))) for ch in typing]
        script += [("", Qt.Key.Key_Backspace)] * len(typing)

        class Probe(QObject):
            def __init__(self, app: Any) -> None:
                super().__init__()
                self.app = app
                self.done = False
                self.table: Any = None
                self.search: Any = None
                self.typed = 0
                self.started = 0.0
                self.waiting = False
                self.timeout = QTimer()
                self.timeout.setSingleShot(True)
                self.timeout.timeout.connect(self._key_lost)

            def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt's name
                kind = event.type()
                if kind == paint and not self.done and obj.isWidgetType():
                    if MODE == "start" and obj.isWindow():
                        self.done = True
                        QTimer.singleShot(0, self._painted_window)
                    elif MODE == "register" and "key" in MARKS:
                        view = obj.parent()
                        model = view.model() if isinstance(view, qt.QTableView) else None
                        if model is not None and model.rowCount() > 0 and view.isVisible():
                            self.done = True
                            self.table = view
                            QTimer.singleShot(0, self._painted_register)
                elif kind == paint and self.waiting and obj is self.table.viewport():
                    self.waiting = False
                    QTimer.singleShot(0, self._repainted)
                elif (
                    kind == show
                    and MODE == "register"
                    and isinstance(obj, qt.QLineEdit)
                    and obj.echoMode() == qt.QLineEdit.EchoMode.Password
                    and not obj.text()
                ):
                    QTimer.singleShot(UNLOCK_AFTER_MS, lambda: self._unlock(obj))
                return False

            def _unlock(self, box: Any) -> None:
                mark("unlock")
                box.setText(os.environ["SENDESK_PROBE_PASSPHRASE"])
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    ev = QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r")
                    self.app.sendEvent(box, ev)

            def _painted_window(self) -> None:
                mark("window")
                finish()

            def _painted_register(self) -> None:
                mark("register")
                window = self.table.window()
                found = [
                    w
                    for w in window.findChildren(qt.QLineEdit)
                    if w.accessibleName() == "Search pupils"
                ]
                if not keys or not found:
                    MARKS["search_box_found"] = bool(found)
                    finish()
                self.search = found[0]
                QTimer.singleShot(50, self._type)

            def _type(self) -> None:
                if self.typed >= keys:
                    finish()
                text, key = script[self.typed % len(script)]
                self.typed += 1
                self.waiting = True
                self.timeout.start(1_000)
                self.started = time.monotonic()
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    ev = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text)
                    self.app.sendEvent(self.search, ev)

            def _repainted(self) -> None:
                self.timeout.stop()
                MARKS["keys"].append(time.monotonic() - self.started)
                QTimer.singleShot(20, self._type)  # a fast typist, about 40 ms a key

            def _key_lost(self) -> None:
                self.waiting = False
                MARKS.setdefault("keys_without_repaint", 0)
                MARKS["keys_without_repaint"] += 1
                QTimer.singleShot(0, self._type)

        base = qt.QApplication

        class ProbedApplication(base):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any) -> None:
                super().__init__(*args)
                self._probe = Probe(self)
                self.installEventFilter(self._probe)

        qt.QApplication = ProbedApplication

    PATCHES = {"PySide6.QtWidgets": _patch_widgets, "sendesk.cipher": _patch_cipher}

    class _Finder(importlib.abc.MetaPathFinder):
        """Patches a module right after it is first imported."""

        def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
            patch = PATCHES.get(name)
            if patch is None:
                return None
            sys.meta_path.remove(self)
            try:
                spec = importlib.util.find_spec(name)
            finally:
                sys.meta_path.insert(0, self)
            if spec is None or spec.loader is None:
                return spec
            loader = spec.loader
            run = loader.exec_module

            def exec_module(module: Any) -> None:
                run(module)
                patch(module)

            loader.exec_module = exec_module  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, _Finder())
