"""Shows the main window for a screenshot: python docs/screenshots/shoot.py FILE PASSPHRASE TAB.

Used with /work/shared/tools/screenshot and QT_SCALE_FACTOR=1.5 on a 1366x768 virtual screen
to check that the window fits a school laptop at 150% display scaling."""

from __future__ import annotations

import sys
from pathlib import Path

from sendesk.vault import Vault
from ui.app import make_application
from ui.main_window import MainWindow


def main() -> int:
    app = make_application()
    window = MainWindow(Vault.open(Path(sys.argv[1]), sys.argv[2]))
    window.show()
    window.register.select_pupil(window.register.model.pupil_at(int(sys.argv[4])).id)
    tab = getattr(window.record, sys.argv[3])
    window.record.tabs.setCurrentWidget(tab)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
